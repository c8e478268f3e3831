// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - wiring: options -> sources -> observation table -> detector ->
 * reporters.  Errors are printed here, once, with their context.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture_file.h"
#include "cli/cmd_config.h"
#include "detect/detector.h"
#include "capture/ingest.h"
#include "kaconf/kaconf.h"
#include "live/live.h"
#include "live/privileges.h"
#include "model/obs_table.h"
#include "settings/options.h"
#include "prom/prom_file.h"
#include "prom/prom_output.h"
#include "report/output.h"
#include "report/report.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

/* "FILE:LINE: message", or "FILE: message" when no line applies. */
static void print_diag(const struct ka_diag *g)
{
	if (g->line)
		fprintf(stderr, "vrrpwatch: %s:%u: %s\n", g->file ? g->file : "?", g->line,
			g->message);
	else
		fprintf(stderr, "vrrpwatch: %s: %s\n", g->file ? g->file : "?", g->message);
}

/*
 * The keepalived.conf to judge against: -c FILE (an error if it cannot
 * be read), else the default when it exists (a warning if it cannot).
 * Returns 0 with *path NULL when there is none.
 */
static int load_config(const struct vw_options *o, struct ka_config *c, const char **path)
{
	struct ka_parse_opts po = {.config_id = o->config_id};
	const char *p = o->config_path;

	*path = NULL;
	if (o->no_config || (!p && access(KA_DEFAULT_CONFIG, R_OK)))
		return 0;
	int rc = ka_config_load_file(p ? p : KA_DEFAULT_CONFIG, &po, c);
	if (rc || c->fatal || c->syntax_error) {
		for (size_t i = 0; i < c->n_diags; i++)
			if (c->diags[i].severity == KA_DIAG_ERROR)
				print_diag(&c->diags[i]);
		if (!rc)
			rc = -EINVAL;
		if (!p) {
			fprintf(stderr, "vrrpwatch: %s not used; wire-only checks\n", KA_DEFAULT_CONFIG);
			ka_config_free(c);
			memset(c, 0, sizeof(*c));
			return 0;
		}
		return rc;
	}
	*path = p ? p : KA_DEFAULT_CONFIG;
	return 0;
}

struct replay {
	struct vw_table table;
	struct vw_ingest in;
	struct vw_detector det;
	struct ka_config config;
	const char *config_path;
	struct vw_prom_out prom;
	char cut_note[512]; /* the capture was cut short (vw_ingest_cut_note) */
};

static void on_tick(void *ctx, uint64_t now_ns)
{
	struct replay *r = ctx;

	vw_detector_tick(&r->det, &r->table, now_ns);
}

static void on_interrupt(int sig)
{
	(void)sig;
	vw_read_interrupted = 1;
}

/* Ctrl-C or SIGTERM while replaying ends the input, not the report. */
static void interrupt_ends_input(bool on)
{
	struct sigaction sa = {.sa_handler = on ? on_interrupt : SIG_DFL};

	sigemptyset(&sa.sa_mask); /* no SA_RESTART: a blocked read() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int read_inputs(const struct vw_options *o, struct replay *r)
{
	int status = EXIT_CLEAN;

	interrupt_ends_input(true);
	for (size_t i = 0; i < o->n_files && !vw_read_interrupted; i++) {
		struct vw_read_result res;
		if (vw_read_capture(o->files[i], o->reader, &r->in, &res)) {
			/* keep going: what was read still gets reported */
			fprintf(stderr, "vrrpwatch: %s\n", res.message);
			status = EXIT_TROUBLE;
		}
		if (res.skipped_link)
			fprintf(stderr, "vrrpwatch: %s: %llu frames on interfaces of "
					"unsupported link types skipped\n",
				o->files[i], (unsigned long long)res.skipped_link);
	}
	interrupt_ends_input(false);
	if (vw_read_interrupted)
		fprintf(stderr, "vrrpwatch: interrupted: reporting what was read\n");
	return status;
}

/* The report, and the Prometheus outputs: offline they are written once, here. */
static int report(const struct vw_options *o, struct replay *r)
{
	vw_instances_refresh(&r->det);
	struct vw_report rep = {
		.table = &r->table,
		.other_frames = r->in.other_frames,
		.files = o->files,
		.findings = &r->det.findings,
		.notes = r->det.notes,
		.n_notes = r->det.n_notes,
		.instances = r->det.instances,
		.n_instances = r->det.n_instances,
		.config_path = r->config_path,
	};

	vw_output_ops(o->output)->report(stdout, &rep);
	fflush(stdout); /* before --prom-listen keeps the process serving */
	return vw_prom_out_publish(&r->prom, &rep);
}

/*
 * Offline, nothing needs privileges: a process started as root becomes
 * its user (-Z) once its inputs and outputs are open.  --prom-file is
 * written after that, as the user: its directory must let the user in.
 */
/*
 * After the drop --prom-file is written as the user.  A directory the user
 * cannot write (root's own, a test's mkdtemp) is written by the helper that
 * stayed root (uid 0, no capabilities, that one path: lockdown.c) instead.
 */
static int prom_file_after_drop(const struct vw_options *o)
{
	int rc;

	if (!o->prom_file || !vw_priv_user() || !(rc = vw_prom_file_check(o->prom_file)))
		return 0;
	if ((rc == -EACCES || rc == -EPERM) && vw_priv_helper_writes()) {
		vw_prom_file_set_writer(vw_priv_write_file);
		if (o->verbose)
			fprintf(stderr, "vrrpwatch: --prom-file %s: its directory is not writable by "
					"%s: written by vrrpwatch's helper that stays root (no "
					"capabilities; let %s write there to do without it)\n",
				o->prom_file, vw_priv_user(), vw_priv_user());
		return 0;
	}
	if (rc == -EACCES || rc == -EPERM)
		fprintf(stderr, "vrrpwatch: --prom-file %s: its directory is not writable by user %s, "
				"whom vrrpwatch becomes once started as root: let %s write there (chown, "
				"chgrp + g+w, or setfacl -m u:%s:rwx), or pick the user with -Z USER "
				"(-Z root keeps root)\n",
			o->prom_file, vw_priv_user(), vw_priv_user(), vw_priv_user());
	else
		vw_prom_file_perror(stderr, o->prom_file, rc);
	return rc;
}

static int offline_lockdown(const struct vw_options *o)
{
	char err[512] = "";

	if (vw_priv_lockdown(VW_PRIV_OFFLINE, 0, stderr, 0, err, sizeof(err))) {
		fprintf(stderr, "vrrpwatch: %s\n", err);
		return -1;
	}
	return prom_file_after_drop(o) ? -1 : 0;
}

static int replay(const struct vw_options *o)
{
	struct replay *r = calloc(1, sizeof(*r));
	int status;

	if (!r || vw_table_init(&r->table, o->max_rows)) {
		fprintf(stderr, "vrrpwatch: out of memory\n");
		free(r);
		return EXIT_TROUBLE;
	}
	r->table.seg_names = &o->segments;
	if (load_config(o, &r->config, &r->config_path) ||
	    vw_prom_out_open(&r->prom, o->prom_file, o->prom_listen, stderr)) {
		vw_table_free(&r->table);
		ka_config_free(&r->config);
		free(r);
		return EXIT_TROUBLE;
	}
	struct vw_detector_opts dopt = {
		.config = r->config_path ? &r->config : NULL,
		.local = o->local,
		.n_local = o->n_local,
		.peers = o->peers,
		.n_peers = o->n_peers,
		.ka_version = o->ka_version,
		.inventory = o->inventory,
	};
	vw_detector_init(&r->det, &dopt);
	if (dopt.config)
		vw_vips_watch_config(&r->table, dopt.config);
	vw_ingest_init(&r->in, &r->table, o->interval_ns, on_tick, r);
	for (size_t i = 0; i < o->n_files; i++)
		vw_capture_preopen(o->files[i]);
	if (offline_lockdown(o)) {
		vw_prom_out_close(&r->prom);
		vw_detector_free(&r->det);
		vw_ingest_free(&r->in);
		vw_table_free(&r->table);
		ka_config_free(&r->config);
		free(r);
		return EXIT_TROUBLE;
	}
	status = read_inputs(o, r);
	/* the last snapshot: everything read, at the time of the last frame */
	if (r->table.frames)
		vw_detector_tick(&r->det, &r->table, r->table.last_ns + 1);
	vw_detector_settle(&r->det);
	if (vw_ingest_cut_note(&r->in, r->cut_note, sizeof(r->cut_note)))
		vw_detector_note(&r->det, r->cut_note);
	const char *vip_note = vw_vips_capture_note(&r->table);
	if (vip_note)
		vw_detector_note(&r->det, vip_note);
	if (!r->config_path)
		vw_detector_note(&r->det, "no keepalived.conf: local_starved, peer_rejects_advert, "
					  "master_lost, no_advertiser and the checks against the "
					  "configuration need -c FILE");
	if (r->in.alloc_failed || r->det.error) {
		fprintf(stderr, "vrrpwatch: out of memory: the report is incomplete\n");
		status = EXIT_TROUBLE;
	}
	/* nothing readable at all: the error line says it all, no empty report */
	bool nothing = status == EXIT_TROUBLE && !r->table.frames;
	if (!nothing && report(o, r))
		status = EXIT_TROUBLE;
	if (status == EXIT_CLEAN && vw_findings_alarming(&r->det.findings))
		status = EXIT_FINDINGS;
	if (!nothing)
		vw_prom_out_serve_until_signal(&r->prom);
	vw_prom_out_close(&r->prom);
	vw_detector_free(&r->det);
	vw_ingest_free(&r->in);
	vw_table_free(&r->table);
	ka_config_free(&r->config);
	free(r);
	return status;
}

/* Live, the Prometheus outputs follow every tick. */
static int prom_publish(void *ctx, const struct vw_report *r)
{
	return vw_prom_out_publish(ctx, r);
}

static size_t prom_pollfds(void *ctx, struct pollfd *fds, size_t max)
{
	return vw_prom_out_pollfds(ctx, fds, max);
}

static void prom_service(void *ctx, const struct pollfd *fds, size_t n)
{
	vw_prom_out_service(ctx, fds, n);
}

static int prom_timeout(void *ctx)
{
	return vw_prom_out_timeout(ctx);
}

static int live(const struct vw_options *o)
{
	struct ka_config config = {0};
	struct vw_prom_out prom = {0};
	const char *config_path;
	int status = EXIT_TROUBLE;

	if (!load_config(o, &config, &config_path) &&
	    !vw_prom_out_open(&prom, o->prom_file, o->prom_listen, stderr)) {
		const struct vw_live_hooks hooks = {&prom, prom_publish, prom_pollfds, prom_service,
						    prom_timeout};
		const struct vw_live_args a = {
			.o = o,
			.dopt = {
				.config = config_path ? &config : NULL,
				.local = o->local,
				.n_local = o->n_local,
				.peers = o->peers,
				.n_peers = o->n_peers,
				.ka_version = o->ka_version,
				.inventory = o->inventory,
			},
			.config_path = config_path,
			.hooks = vw_prom_out_enabled(&prom) ? &hooks : NULL,
			.dropped = prom_file_after_drop,
			.out = stdout,
			.err = stderr,
		};
		status = vw_live_run(&a);
		vw_prom_out_close(&prom);
	}
	ka_config_free(&config);
	return status;
}

int main(int argc, char **argv)
{
	struct vw_options o;

	switch (vw_options_parse(argc, argv, &o, stdout, stderr)) {
	case VW_PARSE_EXIT:
		return EXIT_CLEAN;
	case VW_PARSE_ERROR:
		return EXIT_TROUBLE;
	case VW_PARSE_OK:
		break;
	}
	char err[512] = "";
	if (vw_priv_prepare(o.user, o.no_seccomp, err, sizeof(err))) {
		fprintf(stderr, "vrrpwatch: %s\n", err);
		return EXIT_TROUBLE;
	}
	vw_priv_note_file(o.prom_file, vw_prom_file_write_here);
	struct vw_config_cmd cc = {
		.config_path = o.config_path,
		.config_id = o.config_id,
		.output = vw_output_ops(o.output),
		.group = {o.local, o.n_local, o.peers, o.n_peers},
		.verbose = o.verbose,
		.out = stdout,
		.err = stderr,
	};
	switch (o.mode) {
	case VW_MODE_LINT:
		return vw_cmd_lint(&cc);
	case VW_MODE_SHOW_CONFIG:
		return vw_cmd_show_config(&cc);
	case VW_MODE_LIVE:
		return live(&o);
	default:
		return replay(&o);
	}
}
