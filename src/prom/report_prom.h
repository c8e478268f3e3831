/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_prom.h - the report as Prometheus metrics (text exposition format
 * 0.0.4): for node_exporter's textfile collector (prom_file.h) and for
 * --prom-listen (prom_http.h).
 *
 * Every family has HELP and TYPE lines and appears even when it has no
 * samples; families come in a fixed order and series in the report's
 * order, so two renderings of one table are byte for byte the same.  No
 * sample carries a timestamp: the scrape's time is the right one.  Label
 * cardinality is bounded by the caps of prom_select.h.
 */
#ifndef VRRPWATCH_REPORT_PROM_H
#define VRRPWATCH_REPORT_PROM_H

#include <stddef.h>
#include <stdio.h>

#include "prom/prom_select.h"
#include "report/report.h"

/*
 * Write the exposition to out.  Returns 0, -ENOMEM (out of memory: the
 * caller must not publish what was written) or -EIO (out failed).
 */
int vw_report_prom(FILE *out, const struct vw_report *r, const struct vw_prom_limits *lim);

/* The same into a malloc'ed buffer (NUL-terminated); the caller frees *buf. */
int vw_report_prom_buf(const struct vw_report *r, const struct vw_prom_limits *lim,
		       char **buf, size_t *len);

#endif
