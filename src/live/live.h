/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live.h - `vrrpwatch -i IFACE`: capture live (XDP/TC or libpcap), and
 * every --interval bring the observation table up to date, run the
 * detector and report; until --duration, SIGINT or SIGTERM, then detach
 * and print the closing report, with the exit status of offline mode.
 */
#ifndef VRRPWATCH_LIVE_H
#define VRRPWATCH_LIVE_H

#include <poll.h>
#include <stddef.h>
#include <stdio.h>

#include "detect/detector.h"
#include "settings/options.h"
#include "report/report.h"

/* Outputs that follow every tick, wired by main.c (the Prometheus ones). */
struct vw_live_hooks {
	void *ctx;
	int (*publish)(void *ctx, const struct vw_report *r);
	size_t (*pollfds)(void *ctx, struct pollfd *fds, size_t max);
	void (*service)(void *ctx, const struct pollfd *fds, size_t n);
	int (*timeout)(void *ctx); /* ms until the hooks need service, -1 none */
};

struct vw_live_args {
	const struct vw_options *o;
	struct vw_detector_opts dopt;    /* config and --local-address; live adds its own */
	const char *config_path;         /* NULL: wire-only */
	const struct vw_live_hooks *hooks; /* may be NULL */
	/* after root was given up (-Z): can the outputs still be written? 0 yes */
	int (*dropped)(const struct vw_options *o);
	FILE *out, *err;
};

/* Returns the exit status: 0 clean, 1 findings, 2 trouble. */
int vw_live_run(const struct vw_live_args *a);
/* The segment label of interface `name`: its prefixes and VLAN (obs_table.h). */
void vw_live_segment_label(const char *name, char *buf, size_t len);

#endif
