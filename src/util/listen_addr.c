// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/listen_addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static int parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 5)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

/* Split into host (maybe empty) and port; brackets around an IPv6 host. */
static int split(const char *spec, char *host, size_t len, const char **port, int *v6)
{
	const char *colon;
	size_t n;

	*v6 = spec[0] == '[';
	if (*v6) {
		const char *end = strchr(spec, ']');
		if (!end || end[1] != ':')
			return -EINVAL;
		n = (size_t)(end - spec - 1);
		spec++;
		colon = end + 1;
	} else if (!(colon = strrchr(spec, ':'))) {
		*host = 0;
		*port = spec;
		return 0;
	} else if (strchr(spec, ':') != colon) {
		return -EINVAL; /* an IPv6 address without brackets: where is the port? */
	} else {
		n = (size_t)(colon - spec);
	}
	if (n >= len)
		return -EINVAL;
	memcpy(host, spec, n);
	host[n] = 0;
	*port = colon + 1;
	return 0;
}

int vw_listen_addr_parse(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[INET6_ADDRSTRLEN + 1];
	const char *port_s;
	uint16_t port;
	int v6;

	memset(ss, 0, sizeof(*ss));
	if (!spec || split(spec, host, sizeof(host), &port_s, &v6) || parse_port(port_s, &port))
		return -EINVAL;
	if (v6) {
		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
			return -EINVAL;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		return 0;
	}
	if (!*host || !strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &in4->sin_addr) != 1)
		return -EINVAL;
	in4->sin_family = AF_INET;
	in4->sin_port = htons(port);
	*len = sizeof(*in4);
	return 0;
}

const char *vw_sockaddr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(in6->sin6_port));
	} else {
		const struct sockaddr_in *in4 = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &in4->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(in4->sin_port));
	}
	return buf;
}
