/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output.h - the output format, chosen once from the command line.
 *
 * Everything vrrpwatch prints on stdout goes through one table of
 * functions per format: the report (offline, and live at the end), the
 * lines of a live run that is not drawn on a terminal, the closing
 * capture summary, and --show-config and --lint.  Nothing else tests
 * the format: a new one (CSV, syslog, ...) is a value of enum
 * vw_output, its name in vw_output_by_name(), and a reporter that fills
 * a struct vw_output_ops.
 */
#ifndef VRRPWATCH_OUTPUT_H
#define VRRPWATCH_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kaconf/kaconf.h"
#include "kaconf/lint.h"
#include "model/finding.h"
#include "model/instance_state.h"
#include "model/obs_table.h"
#include "report/report.h"
#include "report/report_group.h"

enum vw_output {
	VW_OUT_TEXT = 0, /* the default: for people */
	VW_OUT_JSON,     /* --json: JSON lines */
};

/* The end of a live run: what the capture itself saw and lost. */
struct vw_capture_summary {
	const char *backend;    /* "xdp" or "pcap" */
	const char *interfaces; /* "eth0, eth1" */
	uint64_t frames, adverts, drops, evictions, spilled, events_lost, hw_vlan, tc_pulls;
	uint64_t map_reads_short; /* XDP: map entries read at a later tick */
};

struct vw_output_ops {
	const char *name;
	/* live on a terminal, a screen redrawn in place (live_view.c) instead
	 * of the lines below */
	bool live_screen;
	/* the report: offline, and at the end of a live run */
	void (*report)(FILE *out, const struct vw_report *r);
	/* a live run's lines: event is "opened", "closed", "event" or "dropped" */
	void (*finding_line)(FILE *out, const struct vw_finding *f, const char *event,
			     uint64_t now_ns);
	/* event "new" or "changed"; changed: what did ("" for new) */
	void (*advertiser_line)(FILE *out, const struct vw_table *t, const struct vw_row *r,
				const char *event, const char *changed);
	/* a local instance whose master changed */
	void (*instance_line)(FILE *out, const struct vw_instance_state *s);
	void (*note_line)(FILE *out, const char *msg, uint64_t now_ns);
	/* a claim row new since the last tick (who claims a watched address):
	 * event "new" */
	void (*claim_line)(FILE *out, const struct vw_table *t, const struct vw_claim_row *r,
			   const char *event);
	/* n new advertisers, or claims (`what`), over the per-tick budget had no line */
	void (*suppressed_line)(FILE *out, uint64_t n, const char *what);
	void (*capture_summary)(FILE *out, const struct vw_capture_summary *c);
	/* --show-config and --lint */
	void (*config)(FILE *out, const struct ka_config *cfg, const struct ka_report_group *g,
		       int verbose);
	void (*lint)(FILE *out, const char *config_path, const struct ka_lint *l, int verbose);
};

/* The table of a format; never NULL (an unknown value gets text's). */
const struct vw_output_ops *vw_output_ops(enum vw_output o);
/* "text", "json" to the format; -1 for anything else. */
int vw_output_by_name(const char *name, enum vw_output *o);

/* The formats' tables, each with its reporter. */
extern const struct vw_output_ops vw_output_text;
extern const struct vw_output_ops vw_output_json;

#endif
