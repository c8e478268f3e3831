/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live_view.h - what a live run shows while it runs.  On a terminal, a
 * screen refreshed in place at every tick, like top (live_view.c);
 * otherwise, or with --json, a line per change and per finding as it
 * opens and closes (live_lines.c).  The closing report is the offline
 * one (report.h).
 */
#ifndef VRRPWATCH_LIVE_VIEW_H
#define VRRPWATCH_LIVE_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "detect/detector.h"
#include "live/live_backend.h"
#include "model/obs_table.h"

/* What the loop knows at a tick. */
struct vw_live_status {
	const struct vw_table *table;
	const struct vw_detector *det;
	struct vw_live_counters c;
	const char *backend;     /* "xdp" or "pcap" */
	const char *ifaces;      /* "eth0, eth1" */
	const char *config_path; /* NULL: wire-only */
	uint64_t start_ns, now_ns;
};

struct vw_lines;
struct vw_output_ops;
/* Lines in the format of ops (report/output.h). */
struct vw_lines *vw_lines_new(FILE *out, const struct vw_output_ops *ops);
/* A row the backend just created or changed: its line now, if it has one. */
void vw_lines_row(struct vw_lines *l, const struct vw_table *t, const struct vw_row *r);
/* A tick: new and changed advertisers, findings opened and closed. */
void vw_lines_tick(struct vw_lines *l, const struct vw_live_status *st);
void vw_lines_free(struct vw_lines *l);

struct vw_screen;
/* Takes over the terminal (alternate screen) until vw_screen_free. */
struct vw_screen *vw_screen_new(FILE *out);
void vw_screen_draw(struct vw_screen *s, const struct vw_live_status *st);
/* Draw for rows x cols whatever the terminal says (0, 0: ask it again). */
void vw_screen_set_size(struct vw_screen *s, unsigned rows, unsigned cols);
void vw_screen_free(struct vw_screen *s);

#endif
