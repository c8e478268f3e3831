/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - what the reporters are handed.  Reporters print; they never
 * decide (the detector does) and never change the table.
 */
#ifndef VRRPWATCH_REPORT_H
#define VRRPWATCH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "obs_table.h"

struct vw_report {
	const struct vw_table *table;
	uint64_t other_frames;  /* frames that were not VRRP at all */
	const char *const *files; /* offline inputs, NULL-terminated; NULL live */
	bool live;
};

/* The terminal report: summary line, advertisers, rejected frames. */
void vw_report_text(FILE *out, const struct vw_report *r);
/* JSON lines: "advertiser", "rejected" and "summary" records. */
void vw_report_json(FILE *out, const struct vw_report *r);

/* Addresses of a row joined with ", "; at most `max` shown, then "+N more". */
void vw_row_addresses_str(const struct vw_row *row, unsigned max, char *buf, size_t len);

#endif
