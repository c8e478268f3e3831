/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * listen_addr.h - the ADDR:PORT of --prom-listen.
 *
 * "PORT" and ":PORT" listen on 127.0.0.1: metrics name the hosts and
 * addresses of a network, so exposing them takes an explicit address
 * ("0.0.0.0:PORT", "[::]:PORT").  Addresses are numeric ("localhost" is
 * 127.0.0.1), so that no lookup can fail or hang at startup.  PORT 0 lets
 * the kernel pick (the address bound is printed).
 */
#ifndef VRRPWATCH_LISTEN_ADDR_H
#define VRRPWATCH_LISTEN_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

/* "9813", ":9813", "127.0.0.1:9813", "[::1]:9813", "localhost:9813".  0 or -EINVAL. */
int vw_listen_addr_parse(const char *spec, struct sockaddr_storage *ss, socklen_t *len);

#define VW_SOCKADDR_STRLEN 64
/* "127.0.0.1:9813", "[::1]:9813" */
const char *vw_sockaddr_str(const struct sockaddr_storage *ss, char *buf, size_t len);

#endif
