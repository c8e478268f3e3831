// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * util/fd_io: whole buffers through pipes that take or give a little at a
 * time, signals that interrupt a blocked call (no SA_RESTART, as
 * vrrpwatch installs its handlers), end of file and errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/fd_io.h"

#define BIG (1u << 20) /* 16 pipe buffers: write() returns short */

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* SIGALRM every 2 ms without SA_RESTART: blocked reads and writes return
 * EINTR or short, as they do in vrrpwatch on SIGINT. */
static void interrupt_often(bool on)
{
	struct sigaction sa = {.sa_handler = on ? on_alarm : SIG_DFL};
	struct itimerval it = {.it_interval = {0, on ? 2000 : 0}, .it_value = {0, on ? 2000 : 0}};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31 + seed + i / 251);
}

struct peer {
	int fd;
	unsigned char *buf;
	size_t len;
	size_t chunk; /* bytes per read() or write() */
	long delay_ms; /* before the first: the other side blocks meanwhile */
};

/* In a thread with SIGALRM blocked, so that the signals hit the caller. */
static void block_alarm(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
}

static void *slow_reader(void *arg)
{
	struct peer *p = arg;
	size_t got = 0;

	block_alarm();
	sleep_ms(p->delay_ms);
	while (got < p->len) {
		ssize_t n = read(p->fd, p->buf + got, p->chunk);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	p->len = got;
	return NULL;
}

static void *slow_writer(void *arg)
{
	struct peer *p = arg;

	block_alarm();
	sleep_ms(p->delay_ms);
	for (size_t off = 0; off < p->len; off += p->chunk) {
		size_t n = p->len - off < p->chunk ? p->len - off : p->chunk;
		if (write(p->fd, p->buf + off, n) != (ssize_t)n)
			break;
		sleep_ms(1);
	}
	close(p->fd);
	return NULL;
}

static void test_write_all_through_a_slow_pipe(void **state)
{
	unsigned char *in = malloc(BIG), *out = calloc(1, BIG);
	int fds[2];
	pthread_t th;

	(void)state;
	assert_non_null(in);
	assert_non_null(out);
	pattern(in, BIG, 7);
	assert_int_equal(pipe(fds), 0);
	struct peer p = {.fd = fds[0], .buf = out, .len = BIG, .chunk = 4096, .delay_ms = 50};
	assert_int_equal(pthread_create(&th, NULL, slow_reader, &p), 0);
	alarms = 0;
	interrupt_often(true);
	int rc = vw_write_all(fds[1], in, BIG);
	interrupt_often(false);
	close(fds[1]);
	pthread_join(th, NULL);
	assert_int_equal(rc, 0);
	assert_true(alarms > 0); /* the write was interrupted, and went on */
	assert_int_equal(p.len, BIG);
	assert_memory_equal(in, out, BIG);
	close(fds[0]);
	free(in);
	free(out);
}

static void test_read_full_through_a_slow_pipe(void **state)
{
	enum { LEN = 100000 };
	unsigned char *in = malloc(LEN), *out = calloc(1, LEN);
	int fds[2];
	pthread_t th;

	(void)state;
	pattern(in, LEN, 3);
	assert_int_equal(pipe(fds), 0);
	/* 1000-byte pieces, 1 ms apart: many short reads, many interrupted */
	struct peer p = {.fd = fds[1], .buf = in, .len = LEN, .chunk = 1000, .delay_ms = 20};
	assert_int_equal(pthread_create(&th, NULL, slow_writer, &p), 0);
	alarms = 0;
	interrupt_often(true);
	ssize_t n = vw_read_full(fds[0], out, LEN);
	interrupt_often(false);
	signal(SIGPIPE, SIG_IGN); /* a failed read must not leave the writer blocked */
	close(fds[0]);
	pthread_join(th, NULL);
	signal(SIGPIPE, SIG_DFL);
	assert_int_equal(n, LEN);
	assert_true(alarms > 0);
	assert_memory_equal(in, out, LEN);
	free(in);
	free(out);
}

static void test_read_full_stops_at_end_of_file(void **state)
{
	char buf[16] = {0};
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(vw_write_all(fds[1], "abcde", 5), 0);
	close(fds[1]);
	assert_int_equal(vw_read_full(fds[0], buf, sizeof(buf)), 5); /* short: the caller tells */
	assert_string_equal(buf, "abcde");
	assert_int_equal(vw_read_full(fds[0], buf, sizeof(buf)), 0);
	assert_int_equal(vw_read_full(fds[0], buf, 0), 0);
	close(fds[0]);
}

static void test_errors_are_negative_errno(void **state)
{
	char buf[4];
	int fds[2];

	(void)state;
	assert_int_equal(vw_write_all(-1, "x", 1), -EBADF);
	assert_int_equal(vw_read_full(-1, buf, sizeof(buf)), -EBADF);
	assert_int_equal(vw_write_all(-1, NULL, 0), 0); /* nothing to write: no call */
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(vw_write_all(fds[1], "x", 1), -EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);
	/* a non-blocking pipe with nothing in it: EAGAIN is an error to pass up */
	assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
	assert_int_equal(vw_read_full(fds[0], buf, sizeof(buf)), -EAGAIN);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_all_through_a_slow_pipe),
		cmocka_unit_test(test_read_full_through_a_slow_pipe),
		cmocka_unit_test(test_read_full_stops_at_end_of_file),
		cmocka_unit_test(test_errors_are_negative_errno),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
