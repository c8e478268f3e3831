// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_config.c - vrrpwatch --lint and --show-config.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd_config.h"
#include "kaconf/kaconf.h"
#include "kaconf/lint.h"
#include "live/privileges.h"

static const char *path_of(const struct vw_config_cmd *c)
{
	return c->config_path ? c->config_path : KA_DEFAULT_CONFIG;
}

/* Read, then give root up (-Z): what is left is judging and printing. */
static int load(const struct vw_config_cmd *c, struct ka_config *cfg)
{
	struct ka_parse_opts opts = { .config_id = c->config_id };
	char err[512] = "";
	int rc = ka_config_load_file(path_of(c), &opts, cfg);

	if (vw_priv_lockdown(VW_PRIV_OFFLINE, 0, c->err, 0, err, sizeof(err))) {
		fprintf(c->err, "vrrpwatch: %s\n", err);
		exit(2);
	}
	return rc;
}

int vw_cmd_lint(const struct vw_config_cmd *c)
{
	struct ka_config cfg;
	struct ka_lint l;
	int r = load(c, &cfg), status;

	ka_lint_run(&cfg, &l);
	c->output->lint(c->out, path_of(c), &l, c->verbose);
	status = ka_lint_exit_status(r, &l);
	ka_lint_free(&l);
	ka_config_free(&cfg);
	return status;
}

/* Errors always go to err; with -v warnings and notes too. */
static void print_diags(const struct vw_config_cmd *c, const struct ka_config *cfg)
{
	for (size_t i = 0; i < cfg->n_diags; i++) {
		const struct ka_diag *d = &cfg->diags[i];

		if (d->severity < KA_DIAG_ERROR && !c->verbose)
			continue;
		fputs("vrrpwatch: ", c->err);
		if (d->file && d->line)
			fprintf(c->err, "%s:%u: ", d->file, d->line);
		else if (d->file)
			fprintf(c->err, "%s: ", d->file);
		fprintf(c->err, "%s: %s\n", ka_severity_name(d->severity), d->message);
	}
}

int vw_cmd_show_config(const struct vw_config_cmd *c)
{
	struct ka_config cfg;
	int r = load(c, &cfg);

	print_diags(c, &cfg);
	if (cfg.n_inst || !cfg.fatal)
		c->output->config(c->out, &cfg, &c->group, c->verbose);
	ka_config_free(&cfg);
	return r < 0 ? 2 : 0;
}
