// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/addr_fmt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* Dotted quad without stdio: the detector names domains and findings by
 * address at every tick, and inet_ntop goes through sprintf. */
static const char *ip4_str(const uint8_t *a, char *buf, size_t len)
{
	char tmp[16], *p = tmp;

	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = i < 3 ? '.' : 0;
	}
	if ((size_t)(p - tmp) > len)
		return snprintf(buf, len, "?"), buf;
	memcpy(buf, tmp, (size_t)(p - tmp));
	return buf;
}

/* n chars of s into buf as snprintf would put them: cut to fit, ended. */
static const char *fit(char *buf, size_t len, const char *s, size_t n)
{
	if (!len)
		return buf;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	return buf;
}

/* v's decimal digits at out (room for 20), their count. */
static size_t put_digits(char *out, uint64_t v)
{
	char t[20];
	size_t n = sizeof(t);

	do
		t[--n] = (char)('0' + v % 10);
	while ((v /= 10));
	memcpy(out, t + n, sizeof(t) - n);
	return sizeof(t) - n;
}

const char *vw_ip_str(uint8_t family, const uint8_t *addr, char *buf, size_t len)
{
	if (family != 6)
		return ip4_str(addr, buf, len);
	if (!inet_ntop(AF_INET6, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *vw_mac_str(const uint8_t *mac, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[18];

	for (int i = 0; i < 6; i++) {
		tmp[3 * i] = hex[mac[i] >> 4];
		tmp[3 * i + 1] = hex[mac[i] & 15];
		tmp[3 * i + 2] = i < 5 ? ':' : 0;
	}
	if (len < sizeof(tmp))
		return snprintf(buf, len, "?"), buf;
	memcpy(buf, tmp, sizeof(tmp));
	return buf;
}

const char *vw_vlan_str(const uint16_t *vlan, char *buf, size_t len)
{
	char t[12];
	size_t n;

	if (!vlan[0])
		return fit(buf, len, "-", 1);
	n = put_digits(t, vlan[0]);
	if (vlan[1]) {
		t[n++] = '.';
		n += put_digits(t + n, vlan[1]);
	}
	return fit(buf, len, t, n);
}

static struct tm *utc(uint64_t ns, struct tm *tm)
{
	time_t t = (time_t)(ns / 1000000000u);

	return gmtime_r(&t, tm);
}

/* Without stdio or gmtime (a report lists two per advertiser, a finding's
 * text one or two): the time of day is the seconds since the epoch modulo
 * a day, as POSIX time has no leap seconds. */
const char *vw_clock_str(uint64_t ns, char *buf, size_t len)
{
	uint64_t s = ns / 1000000000u;
	unsigned h = (unsigned)(s / 3600 % 24), m = (unsigned)(s / 60 % 60),
		 sec = (unsigned)(s % 60), ms = (unsigned)(ns % 1000000000u / 1000000u);
	char t[12] = {(char)('0' + h / 10),   (char)('0' + h % 10),       ':',
		      (char)('0' + m / 10),   (char)('0' + m % 10),       ':',
		      (char)('0' + sec / 10), (char)('0' + sec % 10),     '.',
		      (char)('0' + ms / 100), (char)('0' + ms / 10 % 10), (char)('0' + ms % 10)};

	return fit(buf, len, t, sizeof(t));
}

const char *vw_u64_str(uint64_t v, char *buf, size_t len)
{
	char t[20];

	return fit(buf, len, t, put_digits(t, v));
}

const char *vw_date_str(uint64_t ns, char *buf, size_t len)
{
	struct tm tm;

	if (!utc(ns, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "?");
	return buf;
}

const char *vw_reason_name(unsigned reason)
{
#define VW_REASON_NAME(name, str) str,
	static const char *const names[] = {VW_REASONS(VW_REASON_NAME)};
#undef VW_REASON_NAME
	return reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "unknown";
}

const char *vw_csum_name(uint8_t variant)
{
	switch (variant) {
	case VW_CSUM_PSEUDO:
		return "pseudo";
	case VW_CSUM_MESSAGE:
		return "message";
	case VW_CSUM_KA_UNICAST:
		return "ka_unicast";
	default:
		return "none";
	}
}

const char *vw_auth_name(uint8_t auth_type)
{
	switch (auth_type) {
	case 0:
		return "none";
	case 1:
		return "pass";
	case 2:
		return "ah";
	default:
		return "unknown";
	}
}

const char *vw_interval_str(uint16_t cs, char *buf, size_t len)
{
	char t[12];
	size_t n = put_digits(t, cs / 100u);

	if (cs % 100) {
		t[n++] = '.';
		t[n++] = (char)('0' + cs % 100 / 10);
		if (cs % 10)
			t[n++] = (char)('0' + cs % 10);
	}
	t[n++] = 's';
	return fit(buf, len, t, n);
}
