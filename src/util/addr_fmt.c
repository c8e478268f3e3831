// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/addr_fmt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>

const char *vw_ip_str(uint8_t family, const uint8_t *addr, char *buf, size_t len)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *vw_mac_str(const uint8_t *mac, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	return buf;
}

const char *vw_vlan_str(const uint16_t *vlan, char *buf, size_t len)
{
	if (!vlan[0])
		snprintf(buf, len, "-");
	else if (!vlan[1])
		snprintf(buf, len, "%u", vlan[0]);
	else
		snprintf(buf, len, "%u.%u", vlan[0], vlan[1]);
	return buf;
}

static struct tm *utc(uint64_t ns, struct tm *tm)
{
	time_t t = (time_t)(ns / 1000000000u);

	return gmtime_r(&t, tm);
}

const char *vw_clock_str(uint64_t ns, char *buf, size_t len)
{
	struct tm tm;

	if (!utc(ns, &tm))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%02d:%02d:%02d.%03u", tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (unsigned)(ns % 1000000000u / 1000000u));
	return buf;
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
	if (cs % 100 == 0)
		snprintf(buf, len, "%us", cs / 100u);
	else if (cs % 10 == 0)
		snprintf(buf, len, "%u.%us", cs / 100u, cs % 100u / 10u);
	else
		snprintf(buf, len, "%u.%02us", cs / 100u, cs % 100u);
	return buf;
}
