/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_config.h - print what vrrpwatch read from keepalived.conf:
 * instances (--show-config) and lint findings (--lint), as a text table
 * or as JSON lines of type "instance" and "lint".
 */
#ifndef VRRPWATCH_REPORT_CONFIG_H
#define VRRPWATCH_REPORT_CONFIG_H

#include <stdio.h>

#include "kaconf/kaconf.h"
#include "kaconf/lint.h"
#include "report/report_group.h"

/* One row per instance; verbose adds a block of details per instance.
 * g: what the command line adds to each instance's group (NULL: nothing). */
void ka_report_instances_text(FILE *out, const struct ka_config *cfg,
			      const struct ka_report_group *g, int verbose);
/* One "instance" record per instance (design: name, interface, family,
 * vrid, version, priority, interval_cs, addresses, file, line; more
 * fields follow them, the group among them). */
void ka_report_instances_json(FILE *out, const struct ka_config *cfg,
			      const struct ka_report_group *g);

/* "file:line: severity: message [check]" lines and a summary line.
 * Without verbose, info findings are left out and unknown keywords are
 * counted on one line. */
void ka_report_lint_text(FILE *out, const char *config_path, const struct ka_lint *l, int verbose);
/* One "lint" record per finding: severity, check, file, line, instance,
 * message; then a "lint_summary" record. */
void ka_report_lint_json(FILE *out, const char *config_path, const struct ka_lint *l);

#endif
