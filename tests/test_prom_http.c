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
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
 * Idle clients neither block the others nor stay forever: with every
 * slot held by a client that sends nothing, the next one is served once
 * the idle ones reach their deadline.
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
	for (int i = 0; i < 5; i++)
		serve_once(h, 10);
	assert_true(vw_prom_http_timeout(h) > 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	resp = exchange(h, "GET /metrics HTTP/1.0\r\n\r\n");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(!strncmp(resp, "HTTP/1.0 200 ", 13));
	assert_true(t1.tv_sec - t0.tv_sec <= VW_HTTP_DEADLINE_MS / 1000 + 2);
	free(resp);
	/*
	 * The first idle client reached its deadline before the others (it
	 * was accepted earlier): keep serving until they have all been let go.
	 */
	for (int i = 0; i < 300 && vw_prom_http_timeout(h) >= 0; i++)
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
