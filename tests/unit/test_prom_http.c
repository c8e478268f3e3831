// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_prom_http.c - --prom-listen: the ADDR:PORT syntax, and the HTTP
 * responder driven in process by a real client on loopback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/listen_addr.h"
#include "prom/prom_http.h"

/* --- ADDR:PORT ------------------------------------------------------------ */

static const char *parsed(const char *spec)
{
	static char buf[VW_SOCKADDR_STRLEN];
	struct sockaddr_storage ss;
	socklen_t len;

	if (vw_listen_addr_parse(spec, &ss, &len))
		return "invalid";
	return vw_sockaddr_str(&ss, buf, sizeof(buf));
}

static void test_listen_addr(void **state)
{
	(void)state;
	assert_string_equal(parsed("9813"), "127.0.0.1:9813"); /* a port alone: loopback */
	assert_string_equal(parsed(":9813"), "127.0.0.1:9813");
	assert_string_equal(parsed("localhost:9813"), "127.0.0.1:9813");
	assert_string_equal(parsed("0.0.0.0:80"), "0.0.0.0:80");
	assert_string_equal(parsed("198.18.0.1:65535"), "198.18.0.1:65535");
	assert_string_equal(parsed("[::1]:9813"), "[::1]:9813");
	assert_string_equal(parsed("[::]:9813"), "[::]:9813");
	assert_string_equal(parsed("0"), "127.0.0.1:0"); /* the kernel picks */
	const char *bad[] = {"", "abc", "65536", "999999", "1.2.3.4", "1.2.3.4:", "::1:80",
			     "[::1]", "[::1]80", "[::1:80", "host.example:80", "1.2.3.4:-1",
			     "1.2.3.4:12a", "1.2.3.4:+80", "[1.2.3.4]:80", "1.2.3.256:80", ":"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("  %s\n", bad[i]);
		assert_string_equal(parsed(bad[i]), "invalid");
	}
}

/* --- the responder -------------------------------------------------------- */

static int setup(void **state)
{
	struct vw_prom_http *h;

	assert_int_equal(vw_prom_http_open(&h, "127.0.0.1:0"), 0);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	vw_prom_http_close(*state);
	return 0;
}

static int dial(struct vw_prom_http *h)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_int_equal(vw_listen_addr_parse(vw_prom_http_address(h), &ss, &len), 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&ss, len), 0); /* the backlog takes it */
	return fd;
}

/* One turn of the loop the live capture runs between ticks. */
static void serve_once(struct vw_prom_http *h, int timeout_ms)
{
	struct pollfd fds[VW_HTTP_MAX_FDS];
	size_t n = vw_prom_http_pollfds(h, fds, VW_HTTP_MAX_FDS);

	poll(fds, n, timeout_ms);
	vw_prom_http_handle(h, fds, n);
}

/* Send req on fd and serve until the server closes; the response (malloc'ed). */
static char *exchange_on(struct vw_prom_http *h, int fd, const char *req, size_t req_len)
{
	size_t cap = 1 << 16, len = 0;
	char *resp = malloc(cap);
	time_t give_up = time(NULL) + 20;

	assert_non_null(resp);
	assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	for (size_t sent = 0; sent < req_len;) {
		ssize_t w = send(fd, req + sent, req_len - sent, MSG_NOSIGNAL);
		if (w > 0)
			sent += (size_t)w;
		else if (errno != EAGAIN)
			break; /* the server answered early and closed */
		serve_once(h, 10);
	}
	for (;;) {
		if (len + 4096 > cap)
			assert_non_null(resp = realloc(resp, cap *= 2));
		ssize_t r = recv(fd, resp + len, cap - len - 1, 0);
		if (r == 0 || (r < 0 && errno != EAGAIN))
			break;
		if (r > 0)
			len += (size_t)r;
		else
			serve_once(h, 10);
		assert_true(time(NULL) < give_up);
	}
	close(fd);
	resp[len] = 0;
	return resp;
}

static char *exchange(struct vw_prom_http *h, const char *req)
{
	return exchange_on(h, dial(h), req, strlen(req));
}

static void expect(struct vw_prom_http *h, const char *req, const char *status_line)
{
	char *resp = exchange(h, req);

	print_message("  %s", req);
	assert_true(!strncmp(resp, status_line, strlen(status_line)));
	assert_non_null(strstr(resp, "\r\nConnection: close\r\n"));
	free(resp);
}

static const char body[] = "# HELP x y\n# TYPE x gauge\nx 1\n";

static void test_metrics(void **state)
{
	struct vw_prom_http *h = *state;

	expect(h, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.0 503 ");
	assert_int_equal(vw_prom_http_set_body(h, body, strlen(body)), 0);
	char *resp = exchange(h, "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n");
	assert_string_equal(resp, "HTTP/1.0 200 OK\r\n"
				  "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
				  "Content-Length: 30\r\n"
				  "Connection: close\r\n\r\n"
				  "# HELP x y\n# TYPE x gauge\nx 1\n");
	free(resp);
	resp = exchange(h, "HEAD /metrics HTTP/1.0\r\n\r\n");
	assert_non_null(strstr(resp, "Content-Length: 30\r\n"));
	assert_null(strstr(resp, "x 1"));
	free(resp);
	expect(h, "GET /metrics?name[]=x HTTP/1.1\n\n", "HTTP/1.0 200 ");
}

static void test_bad_requests(void **state)
{
	struct vw_prom_http *h = *state;

	assert_int_equal(vw_prom_http_set_body(h, body, strlen(body)), 0);
	expect(h, "GET / HTTP/1.1\r\n\r\n", "HTTP/1.0 404 ");
	expect(h, "GET /metricsx HTTP/1.1\r\n\r\n", "HTTP/1.0 404 ");
	expect(h, "POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", "HTTP/1.0 405 ");
	expect(h, "garbage\r\n\r\n", "HTTP/1.0 400 ");
	expect(h, "GET /metrics\r\n\r\n", "HTTP/1.0 400 ");
	expect(h, "GET /metrics HTTP/2.0\r\n\r\n", "HTTP/1.0 400 ");
	expect(h, "GET  /metrics HTTP/1.1\r\n\r\n", "HTTP/1.0 400 ");
	expect(h, "\r\n\r\n", "HTTP/1.0 400 ");

	/* bounded: a request past 4 KiB is refused, not buffered */
	size_t n = 3 * VW_HTTP_MAX_REQUEST;
	char *big = malloc(n);
	assert_non_null(big);
	memcpy(big, "GET /metrics HTTP/1.1\r\nX: ", 26);
	memset(big + 26, 'a', n - 26);
	char *resp = exchange_on(h, dial(h), big, n);
	assert_true(!strncmp(resp, "HTTP/1.0 400 Bad Request", 24));
	assert_non_null(strstr(resp, "request too large"));
	free(resp);
	free(big);

	/* a NUL byte inside the request line */
	resp = exchange_on(h, dial(h), "GET /met\0rics HTTP/1.1\r\n\r\n", 26);
	assert_true(!strncmp(resp, "HTTP/1.0 4", 10));
	free(resp);
}

/* A large exposition goes out whole, over many partial writes. */
static void test_large_body(void **state)
{
	struct vw_prom_http *h = *state;
	size_t n = 4 << 20;
	char *big = malloc(n), want[64];

	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	assert_int_equal(vw_prom_http_set_body(h, big, n), 0);
	char *resp = exchange(h, "GET /metrics HTTP/1.0\r\n\r\n");
	snprintf(want, sizeof(want), "Content-Length: %zu\r\n", n);
	assert_non_null(strstr(resp, want));
	char *b = strstr(resp, "\r\n\r\n") + 4;
	assert_int_equal(strlen(b), n);
	assert_memory_equal(b, big, n);
	free(resp);
	free(big);
}

/*
 * Serve until n connections are held: one that sends nothing is handed
 * over by the kernel only after about a second (TCP_DEFER_ACCEPT).
 */
static void wait_clients(struct vw_prom_http *h, size_t n)
{
	time_t give_up = time(NULL) + 8;

	while (vw_prom_http_clients(h) < n) {
		serve_once(h, 10);
		assert_true(time(NULL) < give_up);
	}
}

/*
 * Idle clients neither block the others nor stay forever: with every
 * slot held by a client that sends nothing, the next one is served at
 * once (it takes the oldest idle one's slot), and the idle ones go at
 * their request head deadline.
 */
static void test_idle_clients(void **state)
{
	struct vw_prom_http *h = *state;
	int idle[VW_HTTP_MAX_CLIENTS];
	struct timespec t0, t1;

	assert_int_equal(vw_prom_http_set_body(h, body, strlen(body)), 0);
	idle[0] = dial(h);
	serve_once(h, 10);
	char *resp = exchange(h, "GET /metrics HTTP/1.0\r\n\r\n"); /* beside one idle client */
	assert_true(!strncmp(resp, "HTTP/1.0 200 ", 13));
	free(resp);
	for (int i = 1; i < VW_HTTP_MAX_CLIENTS; i++)
		idle[i] = dial(h);
	wait_clients(h, VW_HTTP_MAX_CLIENTS);
	assert_true(vw_prom_http_timeout(h) > 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	resp = exchange(h, "GET /metrics HTTP/1.0\r\n\r\n");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(!strncmp(resp, "HTTP/1.0 200 ", 13));
	assert_true(t1.tv_sec - t0.tv_sec <= 1); /* at once, not at a deadline */
	free(resp);
	/* then the idle ones reach their deadline: keep serving until all are let go */
	for (int i = 0; i < 500 && vw_prom_http_timeout(h) >= 0; i++)
		serve_once(h, 10);
	assert_int_equal(vw_prom_http_timeout(h), -1);
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++) {
		char c;
		assert_int_equal(recv(idle[i], &c, 1, 0), 0); /* closed by the server */
		close(idle[i]);
	}
}

/* A client that goes away half way through its request costs nothing. */
static void test_client_gone(void **state)
{
	struct vw_prom_http *h = *state;
	int fd = dial(h);

	assert_int_equal(send(fd, "GET /met", 8, 0), 8);
	serve_once(h, 10);
	close(fd);
	for (int i = 0; i < 5; i++)
		serve_once(h, 10);
	assert_int_equal(vw_prom_http_timeout(h), -1); /* no client left */
	assert_int_equal(vw_prom_http_set_body(h, body, strlen(body)), 0);
	expect(h, "GET /metrics HTTP/1.0\r\n\r\n", "HTTP/1.0 200 ");
}

static void test_open_errors(void **state)
{
	struct vw_prom_http *h, *h2;

	(void)state;
	assert_int_equal(vw_prom_http_open(&h, "not an address"), -EINVAL);
	assert_int_equal(vw_prom_http_open(&h, "127.0.0.1:0"), 0);
	assert_int_equal(vw_prom_http_open(&h2, vw_prom_http_address(h)), -EADDRINUSE);
	assert_null(h2);
	vw_prom_http_close(h);
	/* an address this host does not have */
	assert_int_equal(vw_prom_http_open(&h, "192.0.2.1:9813"), -EADDRNOTAVAIL);
}

/* --- starvation (issue 13) -------------------------------------------------- */

/*
 * The server runs in its own thread, as in the live loop, while this one
 * plays a scraper and a thread plays the attackers; every scrape must be
 * answered within the scraper's 2 s timeout (Prometheus' default is 10 s).
 */
struct server_thread {
	struct vw_prom_http *h;
	pthread_t t;
	atomic_bool stop;
	atomic_size_t max_clients;  /* the most connections it ever held */
	atomic_size_t max_pollfds;
};

static void *serve_loop(void *arg)
{
	struct server_thread *st = arg;

	while (!atomic_load(&st->stop)) {
		struct pollfd fds[VW_HTTP_MAX_FDS + 8];
		size_t n = vw_prom_http_pollfds(st->h, fds, sizeof(fds) / sizeof(fds[0]));
		int ms = vw_prom_http_timeout(st->h);

		poll(fds, n, ms < 0 || ms > 50 ? 50 : ms);
		vw_prom_http_handle(st->h, fds, n);
		if (n > atomic_load(&st->max_pollfds))
			atomic_store(&st->max_pollfds, n);
		size_t c = vw_prom_http_clients(st->h);
		if (c > atomic_load(&st->max_clients))
			atomic_store(&st->max_clients, c);
	}
	return NULL;
}

static void server_start(struct server_thread *st, struct vw_prom_http *h)
{
	memset(st, 0, sizeof(*st));
	st->h = h;
	assert_int_equal(vw_prom_http_set_body(h, body, strlen(body)), 0);
	assert_int_equal(pthread_create(&st->t, NULL, serve_loop, st), 0);
}

static void server_stop(struct server_thread *st)
{
	atomic_store(&st->stop, true);
	pthread_join(st->t, NULL);
	print_message("  server: at most %zu connections, %zu descriptors polled\n",
		      atomic_load(&st->max_clients), atomic_load(&st->max_pollfds));
	assert_true(atomic_load(&st->max_clients) <= VW_HTTP_MAX_CLIENTS);
	assert_true(atomic_load(&st->max_pollfds) <= VW_HTTP_MAX_FDS);
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A socket connecting to the server without waiting (EINPROGRESS). */
static int dial_nb(struct vw_prom_http *h)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	assert_int_equal(vw_listen_addr_parse(vw_prom_http_address(h), &ss, &len), 0);
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One scrape with a 2 s timeout; its latency in seconds, or -1. */
static double scrape(struct vw_prom_http *h)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct timeval tv = {.tv_sec = 2};
	const char req[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	char resp[1024];
	size_t got = 0;
	double t0 = mono_s();
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(vw_listen_addr_parse(vw_prom_http_address(h), &ss, &len), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)); /* connect too */
	if (connect(fd, (struct sockaddr *)&ss, len) ||
	    send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) != (ssize_t)sizeof(req) - 1) {
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t r = recv(fd, resp + got, sizeof(resp) - 1 - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (mono_s() - t0 > 2)
			break;
	}
	close(fd);
	resp[got] = 0;
	if (strncmp(resp, "HTTP/1.0 200 OK\r\n", 17) || !strstr(resp, body)) {
		print_message("  scrape after %.3f s got %zu bytes: %.60s\n", mono_s() - t0, got, resp);
		return -1;
	}
	return mono_s() - t0;
}

/*
 * Scrape every 100 ms for secs; how many were not answered within 2 s.
 * Counted, not asserted here: the threads are stopped first.
 */
static int scrape_for(struct vw_prom_http *h, double secs, const char *what)
{
	double end = mono_s() + secs, worst = 0;
	int n = 0, failed = 0;

	while (mono_s() < end) {
		double t = scrape(h);

		if (t < 0) {
			print_message("  %s: scrape %d not answered within 2 s\n", what, n + 1);
			failed++;
		}
		if (t > worst)
			worst = t;
		n++;
		usleep(100 * 1000);
	}
	print_message("  %s: %d of %d scrapes answered, slowest %.0f ms\n", what, n - failed, n,
		      worst * 1000);
	return failed;
}

/* As many descriptors as the hard limit allows (the attackers need ~1100). */
static size_t raise_nofile(void)
{
	struct rlimit rl;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur;
}

/* Every slot without a whole request head: the next connection takes the
 * oldest one's. */
static void test_evicts_oldest_idle(void **state)
{
	struct vw_prom_http *h = *state;
	int idle[VW_HTTP_MAX_CLIENTS];
	char c;

	assert_int_equal(vw_prom_http_set_body(h, body, strlen(body)), 0);
	/* a first byte each, so that the kernel hands them over at once (and
	 * in this order): none has a whole request head */
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++) {
		idle[i] = dial(h);
		assert_int_equal(send(idle[i], "G", 1, 0), 1);
		wait_clients(h, (size_t)i + 1);
	}
	assert_int_equal(vw_prom_http_clients(h), VW_HTTP_MAX_CLIENTS);
	/* more of a request head does not make a connection less idle */
	assert_int_equal(send(idle[1], "ET /metr", 8, 0), 8);
	serve_once(h, 10);
	char *resp = exchange(h, "GET /metrics HTTP/1.0\r\n\r\n");
	assert_true(!strncmp(resp, "HTTP/1.0 200 ", 13));
	free(resp);
	assert_int_equal(recv(idle[0], &c, 1, MSG_DONTWAIT), 0); /* the oldest: closed */
	for (int i = 1; i < VW_HTTP_MAX_CLIENTS; i++) {
		assert_int_equal(recv(idle[i], &c, 1, MSG_DONTWAIT), -1); /* the others wait */
		assert_int_equal(errno, EAGAIN);
	}
	assert_true(vw_prom_http_clients(h) <= VW_HTTP_MAX_CLIENTS);
	/* the head deadline: a connection that sends nothing goes after it */
	double t0 = mono_s();
	while (vw_prom_http_clients(h) && mono_s() - t0 < 5)
		serve_once(h, 50);
	assert_int_equal(vw_prom_http_clients(h), 0);
	assert_true(mono_s() - t0 < VW_HTTP_HEAD_MS / 1000.0 + 0.5);
	for (int i = 0; i < VW_HTTP_MAX_CLIENTS; i++)
		close(idle[i]);
}

/* A response under way keeps its exposition when a new one comes. */
static void test_body_shared(void **state)
{
	struct vw_prom_http *h = *state;
	size_t n = 8 << 20;
	char *big = malloc(n);
	int fd;

	assert_non_null(big);
	memset(big, 'a', n);
	assert_int_equal(vw_prom_http_set_body(h, big, n), 0);
	fd = dial(h);
	assert_int_equal(send(fd, "GET /metrics HTTP/1.0\r\n\r\n", 25, 0), 25);
	for (int i = 0; i < 5; i++)
		serve_once(h, 10); /* under way: more than the socket buffers hold */
	memset(big, 'b', n);
	assert_int_equal(vw_prom_http_set_body(h, big, n / 2), 0);
	char *resp = exchange_on(h, fd, "", 0);
	char *b = strstr(resp, "\r\n\r\n") + 4;
	assert_int_equal(strlen(b), n);
	assert_int_equal(strspn(b, "a"), n);
	free(resp);
	resp = exchange(h, "GET /metrics HTTP/1.0\r\n\r\n");
	b = strstr(resp, "\r\n\r\n") + 4;
	assert_int_equal(strlen(b), n / 2);
	assert_int_equal(strspn(b, "b"), n / 2);
	free(resp);
	free(big);
}

/* 1000 idle connections, held open, opened while a scraper polls. */
static void test_starve_idle(void **state)
{
	struct vw_prom_http *h = *state;
	struct server_thread st;
	int fds[1000];
	size_t n = raise_nofile() > 1100 ? 1000 : 200, opened = 0, closed = 0;
	int failed = 0;

	server_start(&st, h);
	for (size_t i = 0; i < n; i++) {
		if ((fds[i] = dial_nb(h)) >= 0)
			opened++;
		if (i % 100 == 99)
			failed += scrape(h) < 0; /* during the flood too */
	}
	print_message("  %zu idle connections opened\n", opened);
	failed += scrape_for(h, 2.0, "1000 idle");
	/* none stays: each is accepted (after the kernel's deferral), then
	 * evicted or closed at its head deadline */
	for (double end = mono_s() + 8; closed < opened && mono_s() < end;) {
		for (size_t i = 0; i < n; i++) {
			char c;

			if (fds[i] >= 0 && recv(fds[i], &c, 1, MSG_DONTWAIT) == 0) {
				close(fds[i]);
				fds[i] = -1;
				closed++;
			}
		}
		usleep(50 * 1000);
	}
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	print_message("  %zu of them closed by the server\n", closed);
	server_stop(&st);
	assert_int_equal(failed, 0);
	assert_int_equal(closed, opened);
}

/* Attackers on their own thread: slowloris, re-openers (sending nothing,
 * or one byte: the kernel hands those over at once), garbage. */
enum attack { SLOWLORIS, REOPEN, REOPEN_BYTE, GARBAGE };

struct attacker {
	struct vw_prom_http *h;
	enum attack kind;
	int n;
	pthread_t t;
	atomic_bool stop;
	atomic_size_t reconnects;
};

static void *attack_loop(void *arg)
{
	struct attacker *a = arg;
	int fds[128];
	char junk[512];
	unsigned seed = 13;

	bool pending[128] = {false};

	for (int i = 0; i < a->n; i++) {
		fds[i] = dial_nb(a->h);
		pending[i] = a->kind == REOPEN_BYTE;
	}
	while (!atomic_load(&a->stop)) {
		for (int i = 0; i < a->n; i++) {
			char c;
			ssize_t r = fds[i] < 0 ? 0 : recv(fds[i], &c, 1, MSG_DONTWAIT);
			bool gone = r == 0 || (r < 0 && errno != EAGAIN);

			if (!gone && a->kind == SLOWLORIS)
				gone = send(fds[i], "G", 1, MSG_NOSIGNAL) < 0 && errno != EAGAIN;
			if (!gone && a->kind == GARBAGE) {
				for (size_t k = 0; k < sizeof(junk); k++)
					junk[k] = (char)(rand_r(&seed) % 255 + 1);
				gone = send(fds[i], junk, sizeof(junk), MSG_NOSIGNAL) < 0 &&
				       errno != EAGAIN;
			}
			if (gone) { /* closed by the server: straight back */
				if (fds[i] >= 0)
					close(fds[i]);
				fds[i] = dial_nb(a->h);
				atomic_fetch_add(&a->reconnects, 1);
				if (a->kind == REOPEN_BYTE)
					pending[i] = true;
			}
			/* the byte once connected (a non-blocking connect) */
			if (pending[i] && fds[i] >= 0 && send(fds[i], "G", 1, MSG_NOSIGNAL) == 1)
				pending[i] = false;
		}
		/* a byte every 500 ms; the others as fast as they are let */
		usleep(a->kind == SLOWLORIS ? 500 * 1000 : 1000);
	}
	for (int i = 0; i < a->n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return NULL;
}

static void under_attack(struct vw_prom_http *h, enum attack kind, int n, const char *what)
{
	struct server_thread st;
	struct attacker a = {.h = h, .kind = kind, .n = n};

	raise_nofile();
	server_start(&st, h);
	assert_int_equal(pthread_create(&a.t, NULL, attack_loop, &a), 0);
	usleep(300 * 1000); /* the slots are theirs before the first scrape */
	int failed = scrape_for(h, 4.0, what);
	atomic_store(&a.stop, true);
	pthread_join(a.t, NULL);
	print_message("  %s: %zu reconnects\n", what, atomic_load(&a.reconnects));
	server_stop(&st);
	assert_int_equal(failed, 0);
}

static void test_starve_slowloris(void **state)
{
	under_attack(*state, SLOWLORIS, 50, "50 slowloris");
}

static void test_starve_reopen(void **state)
{
	under_attack(*state, REOPEN, 2 * VW_HTTP_MAX_CLIENTS, "64 re-opening idle");
}

static void test_starve_reopen_byte(void **state)
{
	under_attack(*state, REOPEN_BYTE, 2 * VW_HTTP_MAX_CLIENTS, "64 re-opening, one byte each");
}

static void test_starve_garbage(void **state)
{
	under_attack(*state, GARBAGE, 48, "48 garbage senders");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen_addr),
		cmocka_unit_test_setup_teardown(test_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_clients, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_gone, setup, teardown),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test_setup_teardown(test_evicts_oldest_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_starve_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_starve_slowloris, setup, teardown),
		cmocka_unit_test_setup_teardown(test_starve_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_starve_reopen_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_starve_garbage, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
