// SPDX-License-Identifier: GPL-2.0-or-later
#include "prom/prom_http.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
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

/*
 * An exposition, shared by the responses that send it: a client holds a
 * reference, never a copy, so that 32 slow readers of a large exposition
 * cost one copy of it, not 32 (and a new one replaces it meanwhile).
 */
struct body {
	size_t refs;
	size_t len;
	char data[];
};

struct client {
	int fd;
	enum state st;
	uint64_t seq;           /* accept order: the oldest goes first */
	char req[VW_HTTP_MAX_REQUEST];
	size_t req_len;
	char hdr[256];          /* the response: hdr, then payload */
	size_t hdr_len;
	const char *payload;    /* into body, or a static text */
	size_t payload_len;
	struct body *body;      /* the reference payload points into, or NULL */
	size_t off;             /* of hdr + payload sent */
	int64_t deadline_ms;
};

struct vw_prom_http {
	int fd;
	struct client c[VW_HTTP_MAX_CLIENTS];
	uint64_t accepted;
	struct body *body; /* NULL until the first exposition */
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
	    bind(fd, (const struct sockaddr *)ss, len) || listen(fd, VW_HTTP_BACKLOG)) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	/*
	 * A connection is handed over once its request has come (or after
	 * about a second without): idle ones then take no slot for that
	 * long, and a scraper is accepted with its request, answered in the
	 * same turn, never the newest idle one in the queue for eviction.
	 * Only an optimisation: the slots' rules below hold without it.
	 */
	int defer = VW_HTTP_DEFER_S;
	setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer));
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

static void body_put(struct body *b)
{
	if (b && !--b->refs)
		free(b);
}

static void drop(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	body_put(c->body);
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
	body_put(h->body);
	free(h);
}

const char *vw_prom_http_address(const struct vw_prom_http *h)
{
	return h->addr;
}

int vw_prom_http_set_body(struct vw_prom_http *h, const char *body, size_t len)
{
	struct body *b = malloc(sizeof(*b) + len + 1);

	if (!b)
		return -ENOMEM; /* keep serving the previous one */
	b->refs = 1;
	b->len = len;
	memcpy(b->data, body, len);
	b->data[len] = 0;
	body_put(h->body); /* responses under way keep theirs */
	h->body = b;
	return 0;
}

size_t vw_prom_http_clients(const struct vw_prom_http *h)
{
	size_t n = 0;

	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++)
		n += h->c[i].st != C_FREE;
	return n;
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
	bool metrics = !s->body;
	size_t blen = metrics ? h->body->len : strlen(s->body);
	int n = snprintf(c->hdr, sizeof(c->hdr),
			 "HTTP/1.0 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
			 "Connection: close\r\n\r\n",
			 s->code, s->reason, metrics ? CONTENT_TYPE : "text/plain; charset=utf-8",
			 blen, s->code == 405 ? "Allow: GET, HEAD\r\n" : "");

	c->st = C_WRITE;
	c->hdr_len = (size_t)n;
	c->off = 0;
	c->payload = head ? NULL : metrics ? h->body->data : s->body;
	c->payload_len = head ? 0 : blen;
	if (metrics && !head) {
		c->body = h->body;
		c->body->refs++;
	}
	/* a reader as slow as it likes, but not longer than this */
	c->deadline_ms = now_ms() + VW_HTTP_DEADLINE_MS;
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
	struct iovec iov[2];
	struct msghdr m = {.msg_iov = iov};
	size_t total = c->hdr_len + c->payload_len;

	if (c->off < c->hdr_len) {
		iov[m.msg_iovlen++] = (struct iovec){c->hdr + c->off, c->hdr_len - c->off};
		iov[m.msg_iovlen++] = (struct iovec){(void *)c->payload, c->payload_len};
	} else {
		size_t o = c->off - c->hdr_len;
		iov[m.msg_iovlen++] = (struct iovec){(void *)(c->payload + o), c->payload_len - o};
	}
	ssize_t n = sendmsg(c->fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		drop(c);
		return;
	}
	c->off += (size_t)n;
	if (c->off < total)
		return;
	body_put(c->body);
	c->body = NULL;
	c->payload = NULL;
	/*
	 * Closing with unread request bytes would send a reset that can
	 * destroy the response in flight: shut down our side and read the
	 * rest until the client closes (or a short deadline).
	 */
	shutdown(c->fd, SHUT_WR);
	c->st = C_LINGER;
	c->deadline_ms = now_ms() + VW_HTTP_LINGER_MS;
}

static void on_linger(struct client *c)
{
	char sink[512];
	ssize_t n = recv(c->fd, sink, sizeof(sink), 0);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		drop(c);
}

/*
 * The slot a new connection takes when all are held: one that is done
 * (lingering) first, then the oldest that has not sent a whole request
 * head (idle, slowloris), then the oldest response under way.  Idle
 * connections, however many and however re-opened, so never keep a
 * scraper out: it is the newest, and its request comes with it.
 */
static int rank(const struct client *c)
{
	return c->st == C_LINGER ? 0 : c->st == C_READ ? 1 : 2;
}

static struct client *slot_for_new(struct vw_prom_http *h)
{
	struct client *pick = NULL;

	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++) {
		struct client *c = &h->c[i];

		if (c->st == C_FREE)
			return c;
		if (!pick || rank(c) < rank(pick) || (rank(c) == rank(pick) && c->seq < pick->seq))
			pick = c;
	}
	if (pick->st == C_LINGER) {
		char sink[512];

		/* what it sent, read: closing then sends no reset that could
		 * destroy the response still on its way */
		for (int i = 0; i < 8 && recv(pick->fd, sink, sizeof(sink), MSG_DONTWAIT) > 0; i++)
			;
	}
	drop(pick);
	return pick;
}

/*
 * At most half the slots per turn: a connection accepted in this turn is
 * never evicted in the same turn, before its request could be read.
 */
static void accept_clients(struct vw_prom_http *h)
{
	for (int n = 0; n < VW_HTTP_MAX_CLIENTS / 2; n++) {
		int fd = accept4(h->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct client *c;

		if (fd < 0) {
			if (errno == ECONNABORTED || errno == EINTR)
				continue; /* that one is gone */
			return; /* EAGAIN, or out of descriptors: the backlog holds the rest */
		}
		c = slot_for_new(h);
		c->fd = fd;
		c->st = C_READ;
		c->seq = ++h->accepted;
		c->deadline_ms = now_ms() + VW_HTTP_HEAD_MS;
		/* a scraper's request is usually there already: answer it now */
		on_readable(h, c);
		if (c->st == C_WRITE)
			on_writable(c);
	}
}

static struct client *client_of(struct vw_prom_http *h, int fd)
{
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++)
		if (h->c[i].st != C_FREE && h->c[i].fd == fd)
			return &h->c[i];
	return NULL;
}

size_t vw_prom_http_pollfds(const struct vw_prom_http *h, struct pollfd *fds, size_t max)
{
	size_t n = 0;

	/* always: a new connection can take an idle one's slot */
	if (n < max)
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

/* --- for the tests and the fuzzer ------------------------------------------ */

int vw_prom_http_parse_request(const char *req, size_t len, bool have_body, bool *head)
{
	static struct vw_prom_http h; /* only whether it has a body is read */
	static struct body snapshot = {.refs = 1};
	struct client *c = calloc(1, sizeof(*c));
	const struct status *s = NULL;

	*head = false;
	if (!c)
		return -ENOMEM;
	h.body = have_body ? &snapshot : NULL;
	/* what on_readable does with the bytes one recv() got */
	c->req_len = len < VW_HTTP_MAX_REQUEST - 1 ? len : VW_HTTP_MAX_REQUEST - 1;
	memcpy(c->req, req, c->req_len);
	if (memchr(c->req, 0, c->req_len)) {
		s = &st_bad;
	} else if (complete(c)) {
		c->req[strcspn(c->req, "\r\n")] = 0;
		s = route(&h, c->req, head);
	} else if (c->req_len == VW_HTTP_MAX_REQUEST - 1) {
		s = &st_big;
	}
	free(c);
	return s ? s->code : 0;
}
