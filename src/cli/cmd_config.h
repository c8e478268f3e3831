/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_config.h - the --lint and --show-config commands: read the
 * keepalived configuration, print findings or instances, return the exit
 * status. main.c parses the command line and calls these.
 */
#ifndef VRRPWATCH_CMD_CONFIG_H
#define VRRPWATCH_CMD_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "report/output.h"

struct vw_config_cmd {
	const char *config_path; /* NULL = default /etc/keepalived/keepalived.conf */
	const char *config_id;   /* NULL = short hostname, as keepalived */
	const struct vw_output_ops *output;
	struct ka_report_group group; /* --local-address, --peer */
	int verbose;
	FILE *out;
	FILE *err;
};

/* 0 clean, 1 problems found, 2 unreadable or a syntax error. */
int vw_cmd_lint(const struct vw_config_cmd *c);
/* 0 ok, 2 error (unreadable, syntax error). */
int vw_cmd_show_config(const struct vw_config_cmd *c);

#endif
