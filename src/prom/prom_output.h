/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * prom_output.h - the Prometheus outputs of a run (--prom-file and
 * --prom-listen), fed one report at a time.
 *
 * Offline, main.c publishes the final report once; live, the loop
 * publishes after every tick and lets the listener work between ticks
 * (vw_prom_out_pollfds / vw_prom_out_service).  The exposition is rendered
 * once per publish and shared by both outputs.  This is the edge for the
 * Prometheus outputs: errors are printed here, once each (a live run that
 * fails at every tick says so once, and again when it recovers).
 */
#ifndef VRRPWATCH_PROM_OUTPUT_H
#define VRRPWATCH_PROM_OUTPUT_H

#include <poll.h>
#include <stdbool.h>
#include <stdio.h>

#include "prom/prom_http.h"
#include "prom/prom_select.h"
#include "report/report.h"

struct vw_prom_out {
	const char *file;          /* NULL: no textfile */
	struct vw_prom_http *http; /* NULL: no listener */
	struct vw_prom_limits lim;
	FILE *err;
	int last_error;            /* of the last publish, to print each error once */
};

/*
 * Check --prom-file's directory and bind --prom-listen (either may be
 * NULL), before any capture is read, so that a mistake shows at once.
 * 0, or a negative errno after printing why.
 */
int vw_prom_out_open(struct vw_prom_out *p, const char *file, const char *listen, FILE *err);
bool vw_prom_out_enabled(const struct vw_prom_out *p);

/* Render r, write the textfile, hand it to the listener.  0 or a negative errno. */
int vw_prom_out_publish(struct vw_prom_out *p, const struct vw_report *r);

/* For the live loop's poll: the listener's descriptors, and acting on them. */
size_t vw_prom_out_pollfds(const struct vw_prom_out *p, struct pollfd *fds, size_t max);
void vw_prom_out_service(struct vw_prom_out *p, const struct pollfd *fds, size_t n);
/* Milliseconds until a client's deadline (-1: none): cap the loop's poll with it. */
int vw_prom_out_timeout(const struct vw_prom_out *p);

/*
 * Offline with --prom-listen: serve the last published exposition until
 * SIGINT or SIGTERM (returns 0), without a listener at once (returns 0).
 */
int vw_prom_out_serve_until_signal(struct vw_prom_out *p);

void vw_prom_out_close(struct vw_prom_out *p);

#endif
