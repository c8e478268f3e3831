/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * prom_http.h - --prom-listen: a minimal HTTP/1.0 responder for GET
 * /metrics, for setups without node_exporter.
 *
 * Single-threaded and non-blocking: the caller polls the descriptors it is
 * given next to its own (the live loop, between ticks) and hands the
 * results back.  It serves the last exposition it was handed, so a scrape
 * never waits for a tick and never sees a table being changed.
 *
 * Unstarvable (issue 13): at most VW_HTTP_MAX_CLIENTS connections, each
 * with a fixed request buffer and a reference to the shared exposition
 * (no copy); a request head must be complete within VW_HTTP_HEAD_MS of
 * accept; a new connection always gets in, taking the slot of a finished
 * one, else of the oldest that has not sent a whole request head (idle,
 * slowloris), else of the oldest response under way.  The kernel hands
 * a connection over once its first data came (TCP_DEFER_ACCEPT; idle
 * ones after about a second), and it is read at once, so a well-formed
 * scrape is answered in the turn that accepts it, whatever idle, slow or
 * garbage connections there are or keep coming.
 */
#ifndef VRRPWATCH_PROM_HTTP_H
#define VRRPWATCH_PROM_HTTP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#define VW_HTTP_MAX_CLIENTS 32
#define VW_HTTP_MAX_REQUEST 4096  /* request line and headers */
#define VW_HTTP_HEAD_MS 1500      /* from accept to the end of the request head */
#define VW_HTTP_DEADLINE_MS 5000  /* from the request head to the response sent */
#define VW_HTTP_LINGER_MS 500     /* sent: what the client still sends is read this long */
#define VW_HTTP_BACKLOG 512       /* a burst of connections waits here, not in SYN retries */
#define VW_HTTP_DEFER_S 1         /* TCP_DEFER_ACCEPT: accepted when the request came */
#define VW_HTTP_MAX_FDS (1 + VW_HTTP_MAX_CLIENTS)

struct vw_prom_http;

/* Bind and listen on spec (listen_addr.h).  0 or a negative errno (-EINVAL: a bad spec). */
int vw_prom_http_open(struct vw_prom_http **h, const char *spec);
void vw_prom_http_close(struct vw_prom_http *h);
/* The address bound, "127.0.0.1:9813" or "[::1]:9813" (the real port for 0). */
const char *vw_prom_http_address(const struct vw_prom_http *h);

/* Serve a copy of body from now on (until then: 503).  0 or -ENOMEM. */
int vw_prom_http_set_body(struct vw_prom_http *h, const char *body, size_t len);

/* Fill up to max pollfds (VW_HTTP_MAX_FDS is enough); returns how many. */
size_t vw_prom_http_pollfds(const struct vw_prom_http *h, struct pollfd *fds, size_t max);
/*
 * Act on polled descriptors (those that are not the server's are ignored)
 * and close connections past their deadline.  Call it at least once per
 * tick even when nothing was ready, so deadlines are kept.
 */
void vw_prom_http_handle(struct vw_prom_http *h, const struct pollfd *fds, size_t n);
/* Connections open now (at most VW_HTTP_MAX_CLIENTS). */
size_t vw_prom_http_clients(const struct vw_prom_http *h);
/* Milliseconds until the next deadline, -1 if none: an upper bound for poll. */
int vw_prom_http_timeout(const struct vw_prom_http *h);

/*
 * For the tests and tests/fuzz (the server does not call it): the status
 * code the server answers to a client that sent these len bytes (at most
 * VW_HTTP_MAX_REQUEST - 1 are read), 0 while the request is incomplete;
 * have_body: a snapshot is being served; *head: a HEAD request.
 */
int vw_prom_http_parse_request(const char *req, size_t len, bool have_body, bool *head);

#endif
