// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lint.c - vrrpwatch --lint: the reader's diagnostics (keepalived's own
 * complaints, in keepalived's order of reading) plus checks that need
 * the whole configuration or point at settings that silently mean
 * something else than they seem to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaconf/kaconf_internal.h"
#include "kaconf/lint.h"

struct lint_ctx {
	const struct ka_config *cfg;
	struct ka_lint *out;
	struct ka_hash names;  /* instance names: one lookup per diagnostic */
};

static void add(struct lint_ctx *c, int sev, const char *check, struct ka_loc at,
		const char *instance, const char *fmt, ...) KA_PRINTF(6, 7);

static void add(struct lint_ctx *c, int sev, const char *check, struct ka_loc at,
		const char *instance, const char *fmt, ...)
{
	struct ka_lint *l = c->out;
	struct ka_lint_finding *f;
	va_list ap;

	l->f = ka_grow(l->f, l->n, sizeof(*l->f));
	f = &l->f[l->n++];
	memset(f, 0, sizeof(*f));
	f->severity = sev;
	f->check = check;
	f->file = at.file;
	f->line = at.line;
	f->instance = instance ? ka_strdup(instance) : NULL;
	va_start(ap, fmt);
	if (vasprintf(&f->message, fmt, ap) < 0)
		abort();
	va_end(ap);
}

/* The place to point at: the keyword if given, else the block. */
static struct ka_loc at(const struct ka_instance *in, struct ka_loc kw)
{
	if (kw.line)
		return kw;
	return (struct ka_loc){ in->file, in->line };
}

/* Which instance a reader diagnostic is about: "(NAME) ..." */
static const char *diag_instance(const struct lint_ctx *c, const char *msg, char *buf, size_t len)
{
	const char *close;

	if (msg[0] != '(' || !(close = strchr(msg, ')')) || (size_t)(close - msg) >= len)
		return NULL;
	snprintf(buf, len, "%.*s", (int)(close - msg - 1), msg + 1);
	return ka_name_index_get(&c->names, c->cfg, buf) ? buf : NULL;
}

static void reader_diags(struct lint_ctx *c)
{
	const struct ka_config *cfg = c->cfg;

	for (size_t i = 0; i < cfg->n_diags; i++) {
		const struct ka_diag *d = &cfg->diags[i];
		char name[128];

		add(c, d->severity, d->code ? d->code : "reader", (struct ka_loc){ d->file, d->line },
		    diag_instance(c, d->message, name, sizeof(name)), "%s", d->message);
	}
}

/* ------------------------------------------------------------------ */
/* per instance */

static void check_master_priority(struct lint_ctx *c, const struct ka_instance *in)
{
	if (!in->loc.state.line || in->priority_set || in->state != KA_STATE_MASTER)
		return;
	add(c, KA_DIAG_WARNING, "master-without-priority", in->loc.state, in->name,
	    "(%s) state MASTER without priority: keepalived runs it at priority 255 (address owner), which always wins and cannot be preempted; give a priority below 255 unless this node owns the addresses",
	    in->name);
}

static void check_strict_accept(struct lint_ctx *c, const struct ka_instance *in)
{
	const struct ka_loc *g = &c->cfg->global.loc_strict;
	char from[300] = "";

	if (!in->strict || in->accept || in->loc.accept.line || in->priority == 255)
		return;
	if (!in->loc.strict.line && g->line)
		snprintf(from, sizeof(from), " (vrrp_strict at %s:%u)", g->file, g->line);
	add(c, KA_DIAG_WARNING, "strict-without-accept", at(in, in->loc.strict), in->name,
	    "(%s) strict mode%s without accept: when this node is master but not the address owner, keepalived drops traffic to the virtual addresses; add 'accept' if they must answer",
	    in->name, from);
}

static void check_v3cs(struct lint_ctx *c, const struct ka_instance *in)
{
	if (!in->v3_checksum_as_v2)
		return;
	if (in->version != 3 || in->family != 4)
		add(c, KA_DIAG_INFO, "v3-checksum-as-v2", at(in, in->loc.v3_checksum_as_v2), in->name,
		    "(%s) v3_checksum_as_v2 only changes IPv4 VRRPv3 adverts", in->name);
	else
		add(c, KA_DIAG_WARNING, "v3-checksum-as-v2", at(in, in->loc.v3_checksum_as_v2), in->name,
		    "(%s) v3_checksum_as_v2 needs keepalived 2.2.8 or later: 2.2.7 reports an unknown keyword and keeps the RFC 5798 pseudo-header checksum",
		    in->name);
}

static void check_peer_self(struct lint_ctx *c, const struct ka_instance *in)
{
	char a[64];

	if (!in->unicast_src_set)
		return;
	for (size_t i = 0; i < in->n_peers; i++) {
		if (ka_addr_equal(&in->peers[i], &in->unicast_src)) {
			add(c, KA_DIAG_WARNING, "unicast-peer-self", at(in, in->loc.peers), in->name,
			    "(%s) unicast_peer %s is this node's own unicast_src_ip", in->name,
			    ka_addr_str(&in->unicast_src, a, sizeof(a)));
			return;
		}
	}
}

static void check_instances(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->cfg->n_inst; i++) {
		const struct ka_instance *in = &c->cfg->inst[i];

		check_master_priority(c, in);
		check_strict_accept(c, in);
		check_v3cs(c, in);
		check_peer_self(c, in);
	}
	if (c->cfg->global.v3_checksum_as_v2 && !c->cfg->n_inst)
		add(c, KA_DIAG_WARNING, "v3-checksum-as-v2", c->cfg->global.loc_v3cs, NULL,
		    "v3_checksum_as_v2 needs keepalived 2.2.8 or later");
}

/* ------------------------------------------------------------------ */

static size_t file_rank(const struct ka_config *cfg, const char *file)
{
	for (size_t i = 0; i < cfg->n_files; i++) {
		if (cfg->files[i] == file)
			return i;
	}
	return cfg->n_files;
}

struct sort_key {
	size_t rank;  /* order in which the file was read */
	unsigned line;
	size_t seq;   /* keeps equal places in the order found */
};

static int cmp_key(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* By file (in reading order) and line, stable. */
static void sort_findings(const struct ka_config *cfg, struct ka_lint *l)
{
	struct sort_key *k;
	struct ka_lint_finding *sorted;

	if (l->n < 2)
		return;
	k = calloc(l->n, sizeof(*k));
	sorted = calloc(l->n, sizeof(*sorted));
	if (!k || !sorted)
		abort();
	for (size_t i = 0; i < l->n; i++)
		k[i] = (struct sort_key){ file_rank(cfg, l->f[i].file), l->f[i].line, i };
	qsort(k, l->n, sizeof(*k), cmp_key);
	for (size_t i = 0; i < l->n; i++)
		sorted[i] = l->f[k[i].seq];
	memcpy(l->f, sorted, l->n * sizeof(*sorted));
	free(sorted);
	free(k);
}

void ka_lint_run(const struct ka_config *cfg, struct ka_lint *out)
{
	struct lint_ctx c = { cfg, out, { 0 } };

	memset(out, 0, sizeof(*out));
	ka_name_index_build(&c.names, cfg);
	reader_diags(&c);
	ka_hash_free(&c.names);
	check_instances(&c);
	sort_findings(cfg, out);
	for (size_t i = 0; i < out->n; i++) {
		int s = out->f[i].severity;

		out->by_severity[s < 0 ? 0 : s > 2 ? 2 : s]++;
	}
}

void ka_lint_free(struct ka_lint *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->f[i].instance);
		free(l->f[i].message);
	}
	free(l->f);
	memset(l, 0, sizeof(*l));
}

int ka_lint_exit_status(int load_status, const struct ka_lint *l)
{
	if (load_status < 0)
		return 2;
	return l->by_severity[KA_DIAG_WARNING] || l->by_severity[KA_DIAG_ERROR] ? 1 : 0;
}
