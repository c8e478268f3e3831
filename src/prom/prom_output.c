// SPDX-License-Identifier: GPL-2.0-or-later
#include "prom/prom_output.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "prom/prom_file.h"
#include "prom/report_prom.h"

int vw_prom_out_open(struct vw_prom_out *p, const char *file, const char *listen, FILE *err)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->file = file;
	p->err = err;
	vw_prom_limits_default(&p->lim);
	if (file && (rc = vw_prom_file_check(file))) {
		vw_prom_file_perror(err, file, rc);
		return rc;
	}
	if (listen && (rc = vw_prom_http_open(&p->http, listen))) {
		fprintf(err, "vrrpwatch: --prom-listen %s: %s\n", listen,
			rc == -EINVAL ? "not an address like 127.0.0.1:9813, [::1]:9813 or a port"
				      : strerror(-rc));
		return rc;
	}
	if (p->http)
		fprintf(err, "vrrpwatch: serving metrics on http://%s/metrics\n",
			vw_prom_http_address(p->http));
	return 0;
}

bool vw_prom_out_enabled(const struct vw_prom_out *p)
{
	return p->file || p->http;
}

static void report_error(struct vw_prom_out *p, int rc, const char *what)
{
	if (rc == p->last_error)
		return;
	if (rc && what)
		vw_prom_file_perror(p->err, what, rc);
	else if (rc)
		fprintf(p->err, "vrrpwatch: Prometheus metrics: %s\n", strerror(-rc));
	else if (p->file)
		fprintf(p->err, "vrrpwatch: --prom-file %s: written again\n", p->file);
	p->last_error = rc;
}

int vw_prom_out_publish(struct vw_prom_out *p, const struct vw_report *r)
{
	char *buf;
	size_t len;
	int rc;

	if (!vw_prom_out_enabled(p))
		return 0;
	if ((rc = vw_report_prom_buf(r, &p->lim, &buf, &len))) {
		report_error(p, rc, NULL);
		return rc;
	}
	int rc_http = p->http ? vw_prom_http_set_body(p->http, buf, len) : 0;
	int rc_file = p->file ? vw_prom_file_write(p->file, buf, len) : 0;
	free(buf);
	rc = rc_file ? rc_file : rc_http;
	report_error(p, rc, rc_file ? p->file : NULL);
	return rc;
}

size_t vw_prom_out_pollfds(const struct vw_prom_out *p, struct pollfd *fds, size_t max)
{
	return p->http ? vw_prom_http_pollfds(p->http, fds, max) : 0;
}

void vw_prom_out_service(struct vw_prom_out *p, const struct pollfd *fds, size_t n)
{
	if (p->http)
		vw_prom_http_handle(p->http, fds, n);
}

int vw_prom_out_timeout(const struct vw_prom_out *p)
{
	return p->http ? vw_prom_http_timeout(p->http) : -1;
}

/* The signals arrive on a descriptor polled with the sockets: no handler, no race. */
static int signal_fd(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, old))
		return -errno;
	int fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0) {
		int rc = -errno;
		sigprocmask(SIG_SETMASK, old, NULL);
		return rc;
	}
	return fd;
}

int vw_prom_out_serve_until_signal(struct vw_prom_out *p)
{
	struct pollfd fds[VW_HTTP_MAX_FDS + 1];
	struct signalfd_siginfo si;
	sigset_t old;
	int sfd, rc = 0;

	if (!p->http)
		return 0;
	if ((sfd = signal_fd(&old)) < 0) {
		fprintf(p->err, "vrrpwatch: --prom-listen: %s\n", strerror(-sfd));
		return sfd;
	}
	fprintf(p->err, "vrrpwatch: replay done; serving its metrics until interrupted\n");
	for (;;) {
		size_t n = vw_prom_http_pollfds(p->http, fds, VW_HTTP_MAX_FDS);
		fds[n] = (struct pollfd){.fd = sfd, .events = POLLIN};
		if (poll(fds, n + 1, vw_prom_http_timeout(p->http)) < 0 && errno != EINTR) {
			rc = -errno;
			fprintf(p->err, "vrrpwatch: --prom-listen: %s\n", strerror(-rc));
			break;
		}
		/* SIGINT or SIGTERM: taken, so that it does not kill us once unblocked */
		if (fds[n].revents && read(sfd, &si, sizeof(si)) > 0)
			break;
		vw_prom_http_handle(p->http, fds, n);
	}
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

void vw_prom_out_close(struct vw_prom_out *p)
{
	vw_prom_http_close(p->http);
	p->http = NULL;
}
