/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lint.h - static checks of a keepalived.conf (vrrpwatch --lint): what the
 * reader noticed while reading it the way keepalived does, plus checks
 * across instances (duplicate VRIDs by keepalived's own rule) and of
 * settings that silently do something else than they seem to.
 */
#ifndef VRRPWATCH_LINT_H
#define VRRPWATCH_LINT_H

#include <stddef.h>

#include "kaconf/kaconf.h"

struct ka_lint_finding {
	int severity;          /* KA_DIAG_ERROR / WARNING / INFO */
	const char *check;     /* stable id, e.g. "duplicate-vrid" */
	const char *file;      /* shared with the ka_config; may be NULL */
	unsigned line;
	char *instance;        /* the vrrp_instance concerned, or NULL */
	char *message;
};

struct ka_lint {
	struct ka_lint_finding *f;
	size_t n;
	size_t by_severity[3]; /* counts per KA_DIAG_* */
};

/* The reader's diagnostics and the checks, ordered by file and line.
 * The findings refer to cfg's file names: keep cfg until ka_lint_free(). */
void ka_lint_run(const struct ka_config *cfg, struct ka_lint *out);
void ka_lint_free(struct ka_lint *l);

/* --lint exit status: 0 nothing at warning or above, 1 problems found,
 * 2 when the file could not be read or keepalived could not parse it
 * (load_status is what ka_config_load_*() returned). */
int ka_lint_exit_status(int load_status, const struct ka_lint *l);

#endif
