// SPDX-License-Identifier: GPL-2.0-or-later
#include "prom/prom_http.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/listen_addr.h"

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

enum state {
	C_FREE = 0,
	C_READ,   /* reading the request line and headers */
	C_WRITE,  /* sending the response */
	C_LINGER, /* sent and shut down: reading what the client still sends */
};

struct client {
	int fd;
	enum state st;
	char req[VW_HTTP_MAX_REQUEST];
	size_t req_len;
	char *resp;
	size_t resp_len, resp_off;
	int64_t deadline_ms;
};

struct vw_prom_http {
	int fd;
	struct client c[VW_HTTP_MAX_CLIENTS];
	char *body; /* NULL until the first exposition */
	size_t body_len;
	char addr[VW_SOCKADDR_STRLEN];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int listen_on(const struct sockaddr_storage *ss, socklen_t len)
{
	int one = 1;
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	/* a restarted vrrpwatch must not wait out TIME_WAIT to bind again */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)ss, len) || listen(fd, 16)) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int vw_prom_http_open(struct vw_prom_http **hp, const char *spec)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct vw_prom_http *h;
	int fd;

	*hp = NULL;
	if (vw_listen_addr_parse(spec, &ss, &len))
		return -EINVAL;
	if (!(h = calloc(1, sizeof(*h))))
		return -ENOMEM;
	if ((fd = listen_on(&ss, len)) < 0) {
		free(h);
		return fd;
	}
	h->fd = fd;
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len); /* the port the kernel picked */
	vw_sockaddr_str(&ss, h->addr, sizeof(h->addr));
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++)
		h->c[i].fd = -1;
	*hp = h;
	return 0;
}

static void drop(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->resp);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void vw_prom_http_close(struct vw_prom_http *h)
{
	if (!h)
		return;
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++)
		drop(&h->c[i]);
	close(h->fd);
	free(h->body);
	free(h);
}

const char *vw_prom_http_address(const struct vw_prom_http *h)
{
	return h->addr;
}

int vw_prom_http_set_body(struct vw_prom_http *h, const char *body, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return -ENOMEM; /* keep serving the previous one */
	memcpy(copy, body, len);
	copy[len] = 0;
	free(h->body);
	h->body = copy;
	h->body_len = len;
	return 0;
}

/* --- the response --------------------------------------------------------- */

struct status {
	int code;
	const char *reason, *body;
};

static const struct status st_ok = {200, "OK", NULL};
static const struct status st_bad = {400, "Bad Request", "bad request\n"};
static const struct status st_big = {400, "Bad Request", "request too large\n"};
static const struct status st_404 = {404, "Not Found", "not found: the metrics are at /metrics\n"};
static const struct status st_405 = {405, "Method Not Allowed", "only GET and HEAD\n"};
static const struct status st_503 = {503, "Service Unavailable", "no snapshot yet\n"};

static void respond(struct vw_prom_http *h, struct client *c, const struct status *s, bool head)
{
	const char *body = s->body ? s->body : h->body;
	size_t blen = s->body ? strlen(s->body) : h->body_len;
	const char *type = s->body ? "text/plain; charset=utf-8" : CONTENT_TYPE;
	char hdr[256];
	int n = snprintf(hdr, sizeof(hdr),
			 "HTTP/1.0 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
			 "Connection: close\r\n\r\n",
			 s->code, s->reason, type, blen,
			 s->code == 405 ? "Allow: GET, HEAD\r\n" : "");

	c->st = C_WRITE;
	c->resp_len = (size_t)n + (head ? 0 : blen);
	if (!(c->resp = malloc(c->resp_len))) {
		drop(c); /* out of memory: the client sees the connection close */
		return;
	}
	memcpy(c->resp, hdr, (size_t)n);
	if (!head)
		memcpy(c->resp + n, body, blen);
}

/* The next space-separated token of *line (RFC 9112: one SP between), NULL if empty. */
static char *token(char **line)
{
	char *t = *line, *sp;

	if (!t || !*t || *t == ' ')
		return NULL;
	if ((sp = strchr(t, ' '))) {
		*sp = 0;
		*line = sp + 1;
	} else {
		*line = NULL;
	}
	return t;
}

/* "GET /metrics?x HTTP/1.1": the status it gets. */
static const struct status *route(const struct vw_prom_http *h, char *line, bool *head)
{
	char *method = token(&line), *target = token(&line), *version = token(&line);

	*head = false;
	if (!method || !target || !version || line || strncmp(version, "HTTP/1.", 7) ||
	    strlen(version) != 8)
		return &st_bad;
	*head = !strcmp(method, "HEAD");
	if (strcmp(method, "GET") && !*head)
		return &st_405;
	target[strcspn(target, "?")] = 0;
	if (strcmp(target, "/metrics"))
		return &st_404;
	return h->body ? &st_ok : &st_503;
}

/* The request is complete when its headers end with an empty line. */
static bool complete(struct client *c)
{
	c->req[c->req_len] = 0;
	return strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n");
}

/* --- the connection's steps ----------------------------------------------- */

static void on_readable(struct vw_prom_http *h, struct client *c)
{
	ssize_t n = recv(c->fd, c->req + c->req_len, VW_HTTP_MAX_REQUEST - 1 - c->req_len, 0);
	bool head;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop(c); /* gone before the request was complete */
		return;
	}
	c->req_len += (size_t)n;
	if (memchr(c->req, 0, c->req_len)) {
		respond(h, c, &st_bad, false); /* no NUL in HTTP; the parsing below needs none */
	} else if (complete(c)) {
		c->req[strcspn(c->req, "\r\n")] = 0;
		const struct status *s = route(h, c->req, &head);
		respond(h, c, s, head);
	} else if (c->req_len == VW_HTTP_MAX_REQUEST - 1) {
		respond(h, c, &st_big, false);
	}
}

static void on_writable(struct client *c)
{
	ssize_t n = send(c->fd, c->resp + c->resp_off, c->resp_len - c->resp_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		drop(c);
		return;
	}
	c->resp_off += (size_t)n;
	if (c->resp_off < c->resp_len)
		return;
	/*
	 * Closing with unread request bytes would send a reset that can
	 * destroy the response in flight: shut down our side and read the
	 * rest until the client closes (or the deadline).
	 */
	shutdown(c->fd, SHUT_WR);
	c->st = C_LINGER;
}

static void on_linger(struct client *c)
{
	char sink[512];
	ssize_t n = recv(c->fd, sink, sizeof(sink), 0);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		drop(c);
}

static void accept_clients(struct vw_prom_http *h)
{
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++) {
		struct client *c = &h->c[i];

		if (c->st != C_FREE)
			continue;
		int fd = accept4(h->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == ECONNABORTED || errno == EINTR) {
				i--; /* that one is gone; the slot is still free */
				continue;
			}
			return; /* EAGAIN, or out of descriptors: the backlog holds the rest */
		}
		c->fd = fd;
		c->st = C_READ;
		c->deadline_ms = now_ms() + VW_HTTP_DEADLINE_MS;
	}
}

static struct client *client_of(struct vw_prom_http *h, int fd)
{
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++)
		if (h->c[i].st != C_FREE && h->c[i].fd == fd)
			return &h->c[i];
	return NULL;
}

static bool has_free_slot(const struct vw_prom_http *h)
{
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++)
		if (h->c[i].st == C_FREE)
			return true;
	return false;
}

size_t vw_prom_http_pollfds(const struct vw_prom_http *h, struct pollfd *fds, size_t max)
{
	size_t n = 0;

	if (n < max && has_free_slot(h))
		fds[n++] = (struct pollfd){.fd = h->fd, .events = POLLIN};
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS && n < max; i++) {
		const struct client *c = &h->c[i];

		if (c->st != C_FREE)
			fds[n++] = (struct pollfd){.fd = c->fd,
						   .events = c->st == C_WRITE ? POLLOUT : POLLIN};
	}
	return n;
}

void vw_prom_http_handle(struct vw_prom_http *h, const struct pollfd *fds, size_t n)
{
	bool listener = false;
	int64_t now;

	for (size_t i = 0; i < n; i++) {
		struct client *c;

		if (!fds[i].revents)
			continue;
		if (fds[i].fd == h->fd) {
			listener = true;
			continue;
		}
		if (!(c = client_of(h, fds[i].fd)))
			continue;
		if (c->st == C_READ)
			on_readable(h, c);
		if (c->st == C_WRITE)
			on_writable(c); /* at once: the socket buffer is usually free */
		else if (c->st == C_LINGER)
			on_linger(c);
	}
	now = now_ms();
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++)
		if (h->c[i].st != C_FREE && now >= h->c[i].deadline_ms)
			drop(&h->c[i]);
	/* last, so that a descriptor number reused by accept is not taken for an old one */
	if (listener)
		accept_clients(h);
}

int vw_prom_http_timeout(const struct vw_prom_http *h)
{
	int64_t now = now_ms(), next = -1;

	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++) {
		const struct client *c = &h->c[i];

		if (c->st != C_FREE && (next < 0 || c->deadline_ms - now < next))
			next = c->deadline_ms - now > 0 ? c->deadline_ms - now : 0;
	}
	return (int)next;
}
