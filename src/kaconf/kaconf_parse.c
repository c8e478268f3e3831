// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kaconf_parse.c - walk keepalived's block structure and record what the
 * VRRP process keeps: global_defs values, vrrp_instance and
 * vrrp_sync_group blocks. The walk is keepalived 2.2.7's process_stream():
 *
 *  - a keyword with a block wants '{' on the next line (braces are always
 *    lines of their own by now), else "Missing '{'" and the line is read
 *    inside the block anyway;
 *  - '}' ends the current block;
 *  - an unknown keyword is reported and its line ignored. Its block is NOT
 *    skipped: its '{' is "unexpected", the lines inside are read as
 *    keywords of the current block, and its '}' ends the current block;
 *  - blocks of other processes (virtual_server, ...) are skipped whole.
 *
 * Values are checked the way the keepalived handlers check them
 * (vrrp_parser.c, global_parser.c); keepalived's messages become diags.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaconf/kaconf_internal.h"

#define IFNAMSIZ_KA 16

/* A vrrp_script / vrrp_track_process / track_file and its weight. */
struct weight_def {
	char kind;                 /* 's' script, 'p' process, 'f' file */
	char name[64];
	int weight;
};

/* One track_* line of an instance or a sync group. */
struct track_ref {
	size_t owner;              /* index of the instance or the group */
	bool group;
	char kind;                 /* 's', 'p', 'f', 'i' interface, 'b' bfd */
	char name[64];
	bool has_weight;
	int weight;
	bool reverse;
};

struct weights {
	struct weight_def *defs;
	size_t n_defs;
	struct track_ref *refs;
	size_t n_refs;
};

struct pstate {
	struct ka_config *cfg;
	struct ka_lexer *lx;
	struct ka_tokens t;        /* the current line */
	bool pushed;               /* t is to be read again */
	bool done;                 /* no more lines */
	bool skip_block;           /* the handler asked to skip its block */
	struct ka_instance *inst;  /* the vrrp_instance being read */
	struct ka_sync_group *group;
	const char *unknown;       /* keyword of the previous line, if unknown */
	char unknown_buf[64];
	struct weights weights;    /* tracked objects and references to them */
	char track_kind;           /* of the track_* block being read */
	struct ka_hash inst_names; /* name -> index in cfg->inst */
	struct ka_hash group_names; /* name -> index in cfg->groups */
};

/* The earlier block named like the current line's name, or -1; else
 * index it as number idx. Hashed: 100k instances are read. */
static long seen_name(struct ka_hash *names, const char *name, size_t idx)
{
	bool added;
	struct ka_hent *e = ka_hash_add(names, name, strlen(name), &added);

	if (!added)
		return (long)e->val;
	e->val = idx;
	return -1;
}

static void pdiag(struct pstate *ps, int sev, const char *code, const char *fmt, ...) KA_PRINTF(4, 5);

static void pdiag(struct pstate *ps, int sev, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ka_vdiag(ps->cfg, sev, code, ps->t.file, ps->t.line, fmt, ap);
	va_end(ap);
}

static bool next_line(struct pstate *ps)
{
	if (ps->pushed) {
		ps->pushed = false;
		return true;
	}
	if (ps->done)
		return false;
	if (ka_lexer_next(ps->lx, &ps->t) <= 0) {
		ps->done = true;
		return false;
	}
	return true;
}

static const char *arg(const struct ka_tokens *t, size_t i)
{
	return i < t->n ? t->v[i] : NULL;
}

static struct ka_loc here(const struct pstate *ps)
{
	return (struct ka_loc){ ps->t.file, ps->t.line };
}

/* A keyword that needs a value: keepalived exits when it is missing. */
static const char *need_arg(struct pstate *ps, size_t i)
{
	const char *a = arg(&ps->t, i);

	if (!a) {
		pdiag(ps, KA_DIAG_ERROR, "missing-parameter",
		      "'%s' is missing a parameter: keepalived stops reading the configuration here and exits",
		      ps->t.v[0]);
		ps->cfg->syntax_error = true;
		ps->done = true;
		ka_lexer_stop(ps->lx);
	}
	return a;
}

/* [BOOL] after a keyword: no word means true. -1 when not a boolean. */
static int opt_bool(struct pstate *ps)
{
	int b;

	if (ps->t.n < 2)
		return 1;
	b = ka_true_false(ps->t.v[1]);
	if (b < 0)
		pdiag(ps, KA_DIAG_WARNING, "invalid-value",
		      "invalid %s value '%s': keepalived ignores the line", ps->t.v[0], ps->t.v[1]);
	return b;
}

/* ------------------------------------------------------------------ */
/* block walking */

/* The keyword's block is not ours: skip it if it has one. */
static void skip_block(struct pstate *ps)
{
	int depth = 1;

	if (!next_line(ps))
		return;
	if (strcmp(ps->t.v[0], "{")) {
		ps->pushed = true;
		return;
	}
	while (depth && next_line(ps)) {
		for (size_t i = 0; i < ps->t.n && depth; i++) {
			if (!strcmp(ps->t.v[i], "{"))
				depth++;
			else if (!strcmp(ps->t.v[i], "}"))
				depth--;
		}
	}
}

typedef void (*value_fn)(struct pstate *ps, const struct ka_tokens *t);

/* keepalived's alloc_value_block(): lines up to '}', each one value. */
static void value_block(struct pstate *ps, value_fn item)
{
	bool need_bob = true;
	const char *kw = ps->t.v[0];
	char kwbuf[64];

	snprintf(kwbuf, sizeof(kwbuf), "%s", kw);
	if (ps->t.n > 1)
		pdiag(ps, KA_DIAG_WARNING, "extra-parameters",
		      "block %s has extra parameters '%s ...': keepalived ignores them", kwbuf, ps->t.v[1]);
	while (next_line(ps)) {
		struct ka_tokens t = ps->t;
		bool eob = false;

		if (need_bob) {
			need_bob = false;
			if (!strcmp(t.v[0], "{")) {
				if (t.n == 1)
					continue;
				t.v++;
				t.n--;
			} else {
				pdiag(ps, KA_DIAG_ERROR, "missing-brace",
				      "'{' missing at the start of block %s: keepalived reads the lines up to the next '}' as its values",
				      kwbuf);
			}
		}
		if (!strcmp(t.v[t.n - 1], "}")) {
			if (t.n == 1)
				break;
			eob = true;
			t.n--;
		}
		if (item)
			item(ps, &t);
		if (eob)
			break;
	}
}

static void process_level(struct pstate *ps, enum ka_level lvl, bool need_bob, int kw_level);

static const char *level_name(enum ka_level lvl)
{
	static const char *const names[KA_LVL_COUNT] = {
		"the top level", "global_defs", "vrrp_instance", "authentication",
		"vrrp_sync_group", "vrrp_script", "vrrp_track_process", "vrrp_track_file",
		"garp_group", "track_group",
	};

	return names[lvl];
}

static void unknown_keyword(struct pstate *ps, enum ka_level lvl)
{
	const char *kw = ps->t.v[0];

	ps->cfg->unknown_keywords++;
	if (!strcmp(kw, "}")) {
		/* one line per '}': the lexer's extra-brace names it already */
		if (!ps->t.extra_brace)
			pdiag(ps, KA_DIAG_ERROR, "unbalanced-brace",
			      "'}' at the top level closes nothing: an earlier '{' was not taken as the start of a block");
		return;
	}
	if (!strncmp(kw, "\xef\xbb\xbf", 3))
		pdiag(ps, KA_DIAG_ERROR, "byte-order-mark",
		      "the file starts with a UTF-8 byte order mark: keepalived reads '%s' as an unknown keyword; save the file without it",
		      kw + 3);
	else if (kw[0] && kw[strlen(kw) - 1] == '\\')
		pdiag(ps, KA_DIAG_WARNING, "unknown-keyword",
		      "unknown keyword '%s' in %s: a trailing '\\' only continues $VAR definitions; keepalived ignores the line",
		      kw, level_name(lvl));
	else
		pdiag(ps, KA_DIAG_WARNING, "unknown-keyword",
		      "unknown keyword '%s' in %s: keepalived ignores the line", kw, level_name(lvl));
	snprintf(ps->unknown_buf, sizeof(ps->unknown_buf), "%s", kw);
	ps->unknown = ps->unknown_buf;
}

static void unexpected_bob(struct pstate *ps, enum ka_level lvl)
{
	if (ps->unknown && lvl == KA_LVL_ROOT)
		pdiag(ps, KA_DIAG_ERROR, "unknown-block",
		      "keepalived does not skip the block of unknown keyword '%s': the lines in it are read as top level keywords and its '}' is left over",
		      ps->unknown);
	else if (ps->unknown)
		pdiag(ps, KA_DIAG_ERROR, "unknown-block",
		      "keepalived does not skip the block of unknown keyword '%s': the lines in it are read as %s keywords and its '}' ends the enclosing %s block early",
		      ps->unknown, level_name(lvl), level_name(lvl));
	else
		pdiag(ps, KA_DIAG_ERROR, "unexpected-brace",
		      "unexpected '{': keepalived ignores it, and the matching '}' ends the enclosing block");
}

struct kw_handler {
	const char *name;
	void (*fn)(struct pstate *ps);       /* the keyword line */
	value_fn item;                       /* each line of a value block */
	void (*close)(struct pstate *ps);    /* end of a sublevel block */
};

static const struct kw_handler *find_handler(enum ka_level lvl, const char *name);

static void dispatch(struct pstate *ps, enum ka_level lvl, enum ka_kw_kind kind, int kw_level)
{
	const struct kw_handler *h = find_handler(lvl, ps->t.v[0]);
	char name[64];

	snprintf(name, sizeof(name), "%s", ps->t.v[0]);
	ps->skip_block = false;
	if (kind == KA_KW_INACTIVE) {
		skip_block(ps);
		return;
	}
	if (h && h->fn)
		h->fn(ps);
	if (ps->skip_block) {
		skip_block(ps);
		return;
	}
	if (kind == KA_KW_VALUE) {
		value_block(ps, h ? h->item : NULL);
	} else if (kind == KA_KW_SUBLEVEL) {
		process_level(ps, ka_keyword_sublevel(lvl, name), true, kw_level + 1);
		if (h && h->close)
			h->close(ps);
	}
}

static void process_level(struct pstate *ps, enum ka_level lvl, bool need_bob, int kw_level)
{
	while (next_line(ps)) {
		const char *kw = ps->t.v[0];
		const char *prev_unknown = ps->unknown;
		enum ka_kw_kind kind;

		ps->unknown = NULL;
		if (need_bob) {
			need_bob = false;
			if (!strcmp(kw, "{"))
				continue;
			pdiag(ps, KA_DIAG_ERROR, "missing-brace",
			      "'{' missing at the start of the %s block: keepalived reads the following lines inside it",
			      level_name(lvl));
		} else if (!strcmp(kw, "{")) {
			ps->unknown = prev_unknown;
			unexpected_bob(ps, lvl);
			ps->unknown = NULL;
			continue;
		}
		if (!strcmp(kw, "}") && kw_level > 0)
			return;
		if (!ka_keyword_lookup(lvl, kw, &kind)) {
			unknown_keyword(ps, lvl);
			continue;
		}
		dispatch(ps, lvl, kind, kw_level);
	}
}

/* ------------------------------------------------------------------ */
/* global_defs */

static void g_version(struct pstate *ps)
{
	const char *a = need_arg(ps, 1);
	unsigned v;

	if (!a)
		return;
	if (!ka_read_unsigned(a, 2, 3, &v)) {
		pdiag(ps, KA_DIAG_WARNING, "invalid-value",
		      "vrrp_version must be 2 or 3, not '%s': keepalived ignores it", a);
		return;
	}
	ps->cfg->global.vrrp_version = (uint8_t)v;
	ps->cfg->global.loc_version = here(ps);
}

static void g_group(struct pstate *ps, struct ka_addr *group, uint8_t family)
{
	const char *a = need_arg(ps, 1);
	struct ka_addr addr;

	if (!a)
		return;
	if (!ka_addr_parse(a, &addr) || addr.family != family || !ka_addr_is_multicast(&addr)) {
		pdiag(ps, KA_DIAG_ERROR, "invalid-value",
		      "%s '%s' is not an IPv%u multicast address", ps->t.v[0], a, family);
		return;
	}
	*group = addr;
}

static void g_group4(struct pstate *ps)
{
	g_group(ps, &ps->cfg->global.mcast_group4, 4);
}

static void g_group6(struct pstate *ps)
{
	g_group(ps, &ps->cfg->global.mcast_group6, 6);
}

static void g_strict(struct pstate *ps)
{
	ps->cfg->global.vrrp_strict = true;
	ps->cfg->global.loc_strict = here(ps);
}

static void g_check_unicast_src(struct pstate *ps)
{
	ps->cfg->global.check_unicast_src = true;
}

static void g_skip_check_adv_addr(struct pstate *ps)
{
	ps->cfg->global.skip_check_adv_addr = true;
}

static void g_lower_prio_no_advert(struct pstate *ps)
{
	int b = opt_bool(ps);

	if (b >= 0)
		ps->cfg->global.lower_prio_no_advert = b;
}

static void g_higher_prio_send_advert(struct pstate *ps)
{
	int b = opt_bool(ps);

	if (b >= 0)
		ps->cfg->global.higher_prio_send_advert = b;
}

static void g_router_id(struct pstate *ps)
{
	const char *a = need_arg(ps, 1);

	if (a) {
		free(ps->cfg->global.router_id);
		ps->cfg->global.router_id = ka_strdup(a);
	}
}

/* include_check [[+|-]readable|match|wildcard_match|brace_match ...] */
static void g_include_check(struct pstate *ps)
{
	static const struct { const char *n; unsigned f; } names[] = {
		{ "readable", KA_INCLUDE_R },
		{ "match", KA_INCLUDE_R | KA_INCLUDE_M },
		{ "wildcard_match", KA_INCLUDE_R | KA_INCLUDE_W },
		{ "brace_match", KA_INCLUDE_R | KA_INCLUDE_B },
	};
	unsigned flags = ka_lexer_include_check(ps->lx), set = 0;
	bool relative = false;

	if (ps->t.n < 2) {
		ka_lexer_set_include_check(ps->lx, KA_INCLUDE_R | KA_INCLUDE_M | KA_INCLUDE_W | KA_INCLUDE_B);
		return;
	}
	for (size_t i = 1; i < ps->t.n; i++) {
		const char *w = ps->t.v[i];
		int sign = *w == '+' ? 1 : *w == '-' ? -1 : 0;
		size_t k;

		w += sign != 0;
		relative |= sign != 0;
		for (k = 0; k < sizeof(names) / sizeof(names[0]) && strcmp(w, names[k].n); k++)
			;
		if (k == sizeof(names) / sizeof(names[0])) {
			pdiag(ps, KA_DIAG_WARNING, "invalid-value", "unknown include_check option '%s'", ps->t.v[i]);
			continue;
		}
		if (sign < 0)
			flags &= ~names[k].f;
		else if (sign > 0)
			flags |= names[k].f;
		else
			set |= names[k].f;
	}
	ka_lexer_set_include_check(ps->lx, relative ? flags | set : set);
}

/* keepalived >= 2.2.8; 2.2.7 reports it as an unknown keyword */
static void g_v3cs(struct pstate *ps)
{
	int b = opt_bool(ps);

	if (b >= 0) {
		ps->cfg->global.v3_checksum_as_v2 = b;
		ps->cfg->global.loc_v3cs = here(ps);
	}
}

/* ------------------------------------------------------------------ */
/* vrrp_instance */

static void i_start(struct pstate *ps)
{
	struct ka_config *cfg = ps->cfg;
	struct ka_instance *in;
	long prev;

	if (ps->t.n != 2) {
		pdiag(ps, KA_DIAG_ERROR, "instance-name",
		      "vrrp_instance must have exactly one name: keepalived skips the block");
		ps->skip_block = true;
		return;
	}
	prev = seen_name(&ps->inst_names, ps->t.v[1], cfg->n_inst);
	if (prev >= 0) {
		pdiag(ps, KA_DIAG_ERROR, "instance-duplicate",
		      "vrrp_instance %s already defined at %s:%u: keepalived skips this one",
		      ps->t.v[1], cfg->inst[prev].file, cfg->inst[prev].line);
		ps->skip_block = true;
		return;
	}
	cfg->inst = ka_grow(cfg->inst, cfg->n_inst, sizeof(*cfg->inst));
	in = &cfg->inst[cfg->n_inst++];
	ka_instance_init(in);
	in->name = ka_strdup(ps->t.v[1]);
	in->file = (char *)ps->t.file;
	in->line = ps->t.line;
	ps->inst = in;
}

/* keepalived's vrrp_end_handler() */
static void i_close(struct pstate *ps)
{
	struct ka_instance *in = ps->inst;

	if (!in)
		return;
	if (in->n_peers && in->use_vmac) {
		if (!in->interface)
			in->use_vmac = false;
		else
			in->vmac_xmit_base = true;
	}
	if (!in->n_peers && in->unicast_ttl != -1) {
		ka_diag(ps->cfg, KA_DIAG_WARNING, "unicast-no-peers", in->file, in->line,
			"(%s) unicast_ttl without unicast peers: keepalived resets it", in->name);
		in->unicast_ttl = -1;
	}
}

/* The current instance; NULL after a skipped vrrp_instance line. */
static struct ka_instance *cur(struct pstate *ps)
{
	return ps->inst;
}

/* The first address sets the family; later ones must match it. */
static bool take_family(struct pstate *ps, struct ka_instance *in, uint8_t family, const char *what, const char *word)
{
	if (!in->family) {
		in->family = family;
		return true;
	}
	if (in->family == family)
		return true;
	pdiag(ps, KA_DIAG_ERROR, "family-mismatch",
	      "(%s) %s %s is IPv%u but the instance is IPv%u (decided by its first address): keepalived ignores it",
	      in->name, what, word, family, in->family);
	return false;
}

static void i_state(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);

	if (!in || !a)
		return;
	in->loc.state = here(ps);
	if (!strcmp(a, "MASTER")) {
		in->state = KA_STATE_MASTER;
		in->state_set = true;
	} else if (!strcmp(a, "BACKUP")) {
		if (in->state_set && in->state == KA_STATE_MASTER) {
			pdiag(ps, KA_DIAG_WARNING, "invalid-value",
			      "(%s) state previously set as MASTER: keepalived ignores BACKUP", in->name);
			return;
		}
		in->state = KA_STATE_BACKUP;
		in->state_set = true;
	} else {
		pdiag(ps, KA_DIAG_WARNING, "invalid-value",
		      "(%s) unknown state '%s': keepalived uses BACKUP", in->name, a);
		in->state = KA_STATE_BACKUP;
		in->state_set = true;
	}
}

static void i_interface(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);

	if (!in || !a)
		return;
	if (strlen(a) >= IFNAMSIZ_KA) {
		pdiag(ps, KA_DIAG_ERROR, "invalid-value",
		      "(%s) interface name '%s' too long: keepalived ignores it", in->name, a);
		return;
	}
	if (!strcmp(a, "lo")) {
		pdiag(ps, KA_DIAG_ERROR, "invalid-value",
		      "(%s) cannot use a loopback interface (%s) for vrrp: keepalived ignores it", in->name, a);
		return;
	}
	free(in->interface);
	in->interface = ka_strdup(a);
	in->loc.interface = here(ps);
}

static void i_vrid(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);
	unsigned v;

	if (!in || !a)
		return;
	if (!ka_read_unsigned(a, 1, 255, &v)) {
		pdiag(ps, KA_DIAG_ERROR, "invalid-value",
		      "(%s) VRID '%s' not valid - must be between 1 & 255", in->name, a);
		return;
	}
	in->vrid = (uint8_t)v;
	in->loc.vrid = here(ps);
}

static void i_priority(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);
	unsigned v;

	if (!in || !a)
		return;
	in->loc.priority = here(ps);
	if (!ka_read_unsigned(a, 1, 255, &v)) {
		pdiag(ps, KA_DIAG_ERROR, "priority-range",
		      "(%s) priority '%s' not valid (1-255): keepalived uses 100", in->name, a);
		v = 100;
	}
	in->configured_priority = (uint8_t)v;
}

static void i_advert_int(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);
	unsigned long us;
	bool rounded;

	if (!in || !a)
		return;
	in->loc.advert_int = here(ps);
	if (!ka_read_micro(a, 255000000UL, &us, &rounded) || us < 10000UL) {
		pdiag(ps, KA_DIAG_ERROR, "advert-int-range",
		      "(%s) advert_int '%s' not valid (0.01 to 255 seconds): keepalived ignores it and uses 1 second",
		      in->name, a);
		return;
	}
	if (rounded)
		pdiag(ps, KA_DIAG_WARNING, "invalid-value",
		      "(%s) advert_int '%s' has more than 6 decimal places", in->name, a);
	in->advert_int_us = (uint32_t)us;
}

static void i_version(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);
	unsigned v;

	if (!in || !a)
		return;
	if (!ka_read_unsigned(a, 2, 3, &v)) {
		pdiag(ps, KA_DIAG_WARNING, "invalid-value", "(%s) version must be 2 or 3, not '%s'", in->name, a);
		return;
	}
	if ((in->configured_version && in->configured_version != v) || (v == 2 && in->family == 6)) {
		pdiag(ps, KA_DIAG_WARNING, "version-conflict",
		      "(%s) version %u conflicts with the configured or deduced version %u: keepalived ignores it",
		      in->name, v, in->configured_version ? in->configured_version : 3);
		return;
	}
	in->configured_version = (uint8_t)v;
	in->loc.version = here(ps);
}

static void i_src_ip(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);
	struct ka_addr addr;

	if (!in || !a)
		return;
	if (!strcmp(ps->t.v[0], "unicast_src_ip")) {
		in->unicast_configured = true;
		if (!in->loc.unicast.line)
			in->loc.unicast = here(ps);
	}
	if (!ka_addr_parse(a, &addr)) {
		pdiag(ps, KA_DIAG_ERROR, "invalid-value", "(%s) malformed source address %s: keepalived skips it",
		      in->name, a);
		return;
	}
	if (!take_family(ps, in, addr.family, "source address", a))
		return;
	in->unicast_src = addr;
	in->unicast_src_set = true;
}

static void i_mcast_dst(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);
	struct ka_addr addr;

	if (!in || !a)
		return;
	if (!ka_addr_parse(a, &addr)) {
		pdiag(ps, KA_DIAG_ERROR, "invalid-value", "(%s) malformed mcast dest address %s: keepalived skips it",
		      in->name, a);
		return;
	}
	if (!take_family(ps, in, addr.family, "mcast_dst_ip", a))
		return;
	/* IPv4 multicast, or IPv6 link-local scope multicast (ffX2::) */
	if (!ka_addr_is_multicast(&addr) || (addr.family == 6 && (addr.addr[1] & 0x0f) != 2)) {
		pdiag(ps, KA_DIAG_ERROR, "invalid-value", "(%s) mcast_dst_ip %s not%s multicast: keepalived skips it",
		      in->name, a, addr.family == 6 ? " link-local" : "");
		return;
	}
	in->mcast_dst = addr;
	in->mcast_dst_set = true;
	in->loc.mcast_dst = here(ps);
}

static void i_unicast_peer_start(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);

	if (!in)
		return;
	in->unicast_configured = true;
	if (!in->loc.peers.line)
		in->loc.peers = here(ps);
	if (!in->loc.unicast.line)
		in->loc.unicast = here(ps);
}

static bool peer_ttls(struct pstate *ps, const struct ka_tokens *t, unsigned *min, unsigned *max)
{
	for (size_t i = 1; i < t->n; i += 2) {
		unsigned v;

		if (i + 1 >= t->n) {
			ka_diag(ps->cfg, KA_DIAG_WARNING, "invalid-value", t->file, t->line,
				"unicast peer %s: '%s' has no value", t->v[0], t->v[i]);
			return false;
		}
		if (!ka_read_unsigned(t->v[i + 1], 0, 255, &v) ||
		    (strcmp(t->v[i], "min_ttl") && strcmp(t->v[i], "max_ttl"))) {
			ka_diag(ps->cfg, KA_DIAG_WARNING, "invalid-value", t->file, t->line,
				"unicast peer %s: invalid '%s %s'", t->v[0], t->v[i], t->v[i + 1]);
			return false;
		}
		*(t->v[i][1] == 'i' ? min : max) = v;
	}
	return true;
}

static void i_unicast_peer(struct pstate *ps, const struct ka_tokens *t)
{
	struct ka_instance *in = cur(ps);
	struct ka_addr addr;
	unsigned min = 0, max = 255;

	if (!in)
		return;
	if (!ka_addr_parse(t->v[0], &addr)) {
		ka_diag(ps->cfg, KA_DIAG_ERROR, "invalid-value", t->file, t->line,
			"(%s) malformed unicast peer address %s: keepalived skips it", in->name, t->v[0]);
		return;
	}
	if (in->family && in->family != addr.family) {
		ka_diag(ps->cfg, KA_DIAG_ERROR, "family-mismatch", t->file, t->line,
			"(%s) unicast peer %s is IPv%u but the instance is IPv%u: keepalived skips it",
			in->name, t->v[0], addr.family, in->family);
		return;
	}
	in->family = addr.family;
	peer_ttls(ps, t, &min, &max);
	/* a TTL range turns on the unicast source check */
	if (min != 0 || max != 255 || t->n > 1)
		in->check_unicast_src = true;
	in->peers = ka_grow(in->peers, in->n_peers, sizeof(*in->peers));
	in->peer_min_ttl = ka_grow(in->peer_min_ttl, in->n_peers, 1);
	in->peer_max_ttl = ka_grow(in->peer_max_ttl, in->n_peers, 1);
	in->peers[in->n_peers] = addr;
	in->peer_min_ttl[in->n_peers] = (uint8_t)min;
	in->peer_max_ttl[in->n_peers] = (uint8_t)max;
	in->n_peers++;
}

static void i_unicast_flag(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *kw = ps->t.v[0];

	if (!in)
		return;
	in->unicast_configured = true;
	if (!in->loc.unicast.line)
		in->loc.unicast = here(ps);
	if (!strcmp(kw, "unicast_fault_no_peer")) {
		in->unicast_fault_no_peer = true;
	} else if (!strcmp(kw, "check_unicast_src")) {
		in->check_unicast_src = true;
	} else if (!strcmp(kw, "old_unicast_checksum")) {
		if (ps->t.n < 2)
			in->old_unicast_checksum = KA_CHKSUM_COMPAT_CONFIG;
		else if (!strcmp(ps->t.v[1], "never"))
			in->old_unicast_checksum = KA_CHKSUM_COMPAT_NEVER;
		else
			pdiag(ps, KA_DIAG_WARNING, "invalid-value",
			      "(%s) unknown old_unicast_checksum mode %s: keepalived ignores it", in->name, ps->t.v[1]);
	}
}

static void i_unicast_ttl(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);
	unsigned v;

	if (!in || !a)
		return;
	if (!ka_read_unsigned(a, 0, 255, &v)) {
		pdiag(ps, KA_DIAG_WARNING, "invalid-value", "(%s) unicast_ttl '%s' not valid (0-255)", in->name, a);
		return;
	}
	in->unicast_ttl = (int)v;
}

static void i_native_ipv6(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);

	if (!in)
		return;
	if (in->family == 4) {
		pdiag(ps, KA_DIAG_ERROR, "family-mismatch",
		      "(%s) native_ipv6 with IPv4 addresses: keepalived ignores it", in->name);
		return;
	}
	in->family = 6;
	in->native_ipv6 = true;
	in->configured_version = 3;
}

static void i_use_vmac(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);

	if (!in)
		return;
	if (!strcmp(ps->t.v[0], "vmac_xmit_base")) {
		in->vmac_xmit_base = true;
		return;
	}
	in->use_vmac = true;
	if (ps->t.n >= 2 && (strlen(ps->t.v[1]) >= IFNAMSIZ_KA || strpbrk(ps->t.v[1], "/: \t")))
		pdiag(ps, KA_DIAG_WARNING, "invalid-value",
		      "(%s) VMAC interface name '%s' too long or invalid: keepalived ignores it", in->name, ps->t.v[1]);
}

/* use_ipvlan [IF] [IP] [mode]: an address is also the source address */
static void i_use_ipvlan(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	struct ka_addr addr;

	if (!in)
		return;
	for (size_t i = 1; i < ps->t.n; i++) {
		const char *w = ps->t.v[i];
		char *slash;
		char host[64];

		snprintf(host, sizeof(host), "%s", w);
		slash = strchr(host, '/');
		if (slash)
			*slash = '\0';
		if (!ka_addr_parse(host, &addr))
			continue;
		if (!take_family(ps, in, addr.family, "ipvlan address", w))
			continue;
		if (!in->unicast_src_set) {
			in->unicast_src = addr;
			in->unicast_src_set = true;
		}
	}
}

static void i_accept(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);

	if (!in)
		return;
	in->accept = !strcmp(ps->t.v[0], "accept");
	in->loc.accept = here(ps);
}

static void i_strict(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	int b;

	if (!in)
		return;
	b = opt_bool(ps);
	if (b < 0)
		return;
	in->strict = b;
	in->loc.strict = here(ps);
}

static void i_skip_check(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	int b;

	if (!in)
		return;
	b = opt_bool(ps);
	/* keepalived 2.2.7 sets the flag for any valid boolean, even "off" */
	if (b >= 0)
		in->skip_check_adv_addr = true;
}

static void i_preempt(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);

	if (!in)
		return;
	in->nopreempt = !strcmp(ps->t.v[0], "nopreempt");
	in->loc.nopreempt = in->nopreempt ? here(ps) : (struct ka_loc){ 0 };
}

static void i_preempt_delay(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);
	unsigned long us;
	bool rounded;

	if (!in || !a)
		return;
	in->loc.preempt_delay = here(ps);
	if (!ka_read_micro(a, 1000UL * 1000000UL, &us, &rounded)) {
		pdiag(ps, KA_DIAG_WARNING, "invalid-value",
		      "(%s) preempt_delay '%s' not valid (0-1000 seconds): keepalived uses 0", in->name, a);
		us = 0;
	}
	in->preempt_delay_s = (unsigned)(us / 1000000UL);
}

static void i_prio_advert_flags(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	int b;

	if (!in)
		return;
	b = opt_bool(ps);
	if (b < 0)
		return;
	/* the location also tells completion that the value was given */
	if (!strcmp(ps->t.v[0], "lower_prio_no_advert")) {
		in->lower_prio_no_advert = b;
		in->loc.lower_prio_no_advert = here(ps);
	} else {
		in->higher_prio_send_advert = b;
		in->loc.higher_prio_send_advert = here(ps);
	}
}

static void i_v3cs(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	int b;

	if (!in)
		return;
	b = opt_bool(ps);
	if (b < 0)
		return;
	in->v3_checksum_as_v2 = b;
	in->loc.v3_checksum_as_v2 = here(ps);
}

static void i_auth_type(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);

	if (!in || !a)
		return;
	in->loc.auth = here(ps);
	if (!strcmp(a, "AH"))
		in->auth_type = 2;
	else if (!strcmp(a, "PASS"))
		in->auth_type = 1;
	else
		pdiag(ps, KA_DIAG_WARNING, "invalid-value", "(%s) unknown authentication type '%s'", in->name, a);
}

static void i_auth_pass(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);
	const char *a = need_arg(ps, 1);

	if (!in || !a)
		return;
	if (strlen(a) > 8)
		pdiag(ps, KA_DIAG_WARNING, "auth-pass-truncated",
		      "(%s) auth_pass longer than 8 characters: keepalived uses only the first 8", in->name);
	memset(in->auth_pass, 0, sizeof(in->auth_pass));
	memcpy(in->auth_pass, a, strlen(a) > 8 ? 8 : strlen(a));
}

static void add_vip(struct ka_vip **arr, size_t *n, const struct ka_vip *v)
{
	*arr = ka_grow(*arr, *n, sizeof(**arr));
	(*arr)[(*n)++] = *v;
}

static void i_vips_start(struct pstate *ps)
{
	struct ka_instance *in = cur(ps);

	if (in && !in->loc.vips.line)
		in->loc.vips = here(ps);
}

static void i_vip(struct pstate *ps, const struct ka_tokens *t)
{
	struct ka_instance *in = cur(ps);
	struct ka_vip v;

	if (!in || !ka_vip_parse(ps->cfg, t, &v))
		return;
	/* all virtual_ipaddress entries must have the instance's family */
	if (in->family && v.addr.family != in->family) {
		ka_diag(ps->cfg, KA_DIAG_ERROR, "family-mismatch", t->file, t->line,
			"(%s) address %s is IPv%u but the instance is IPv%u (decided by its first address): keepalived ignores it",
			in->name, t->v[0], v.addr.family, in->family);
		ka_vip_clear(&v);
		return;
	}
	in->family = v.addr.family;
	add_vip(&in->vips, &in->n_vips, &v);
}

static void i_evip(struct pstate *ps, const struct ka_tokens *t)
{
	struct ka_instance *in = cur(ps);
	struct ka_vip v;

	if (in && ka_vip_parse(ps->cfg, t, &v))
		add_vip(&in->vips_excluded, &in->n_vips_excluded, &v);
}

/* ------------------------------------------------------------------ */
/* vrrp_sync_group */

static void s_start(struct pstate *ps)
{
	struct ka_config *cfg = ps->cfg;
	struct ka_sync_group *g;

	ps->group = NULL;
	if (ps->t.n != 2) {
		pdiag(ps, KA_DIAG_ERROR, "group-name", "vrrp_sync_group must have a name: keepalived skips the block");
		ps->skip_block = true;
		return;
	}
	if (seen_name(&ps->group_names, ps->t.v[1], cfg->n_groups) >= 0) {
		pdiag(ps, KA_DIAG_ERROR, "group-duplicate",
		      "vrrp sync group %s already defined: keepalived skips this one", ps->t.v[1]);
		ps->skip_block = true;
		return;
	}
	cfg->groups = ka_grow(cfg->groups, cfg->n_groups, sizeof(*cfg->groups));
	g = &cfg->groups[cfg->n_groups++];
	memset(g, 0, sizeof(*g));
	g->name = ka_strdup(ps->t.v[1]);
	g->file = ps->t.file;
	g->line = ps->t.line;
	ps->group = g;
}

static void s_group_start(struct pstate *ps)
{
	if (ps->group && ps->group->n_members) {
		pdiag(ps, KA_DIAG_WARNING, "group-duplicate",
		      "group list already given for sync group %s: keepalived skips this one", ps->group->name);
		ps->skip_block = true;
	}
}

static void s_member(struct pstate *ps, const struct ka_tokens *t)
{
	struct ka_sync_group *g = ps->group;

	if (!g)
		return;
	for (size_t i = 0; i < t->n; i++) {
		g->members = ka_grow(g->members, g->n_members, sizeof(char *));
		g->members[g->n_members++] = ka_strdup(t->v[i]);
	}
}

/* ------------------------------------------------------------------ */
/* weighted tracking: how far keepalived can move a priority at run time */

/* vrrp_script NAME { ... }, vrrp_track_process NAME, track_file NAME */
static void w_def_start(struct pstate *ps)
{
	struct weights *w = &ps->weights;
	struct weight_def *d;
	const char *kw = ps->t.v[0];

	if (ps->t.n < 2)
		return;
	w->defs = ka_grow(w->defs, w->n_defs, sizeof(*w->defs));
	d = &w->defs[w->n_defs++];
	memset(d, 0, sizeof(*d));
	d->kind = !strcmp(kw, "vrrp_script") ? 's' : !strcmp(kw, "vrrp_track_process") ? 'p' : 'f';
	/* keepalived's defaults: scripts and processes 0, files 1 */
	d->weight = d->kind == 'f' ? 1 : 0;
	snprintf(d->name, sizeof(d->name), "%s", ps->t.v[1]);
}

static void w_def_weight(struct pstate *ps)
{
	struct weights *w = &ps->weights;
	int v;
	char *end;

	if (!w->n_defs || ps->t.n < 2)
		return;
	v = (int)strtol(ps->t.v[1], &end, 10);
	if (*end || v < -254 || v > 254) {
		pdiag(ps, KA_DIAG_WARNING, "invalid-value", "invalid weight '%s'", ps->t.v[1]);
		return;
	}
	w->defs[w->n_defs - 1].weight = v;
}

/* NAME [weight W] [reverse|noreverse|no_reverse] */
static void add_track_ref(struct pstate *ps, const struct ka_tokens *t, bool group, size_t owner, char kind)
{
	struct weights *w = &ps->weights;
	struct track_ref *r;

	w->refs = ka_grow(w->refs, w->n_refs, sizeof(*w->refs));
	r = &w->refs[w->n_refs++];
	memset(r, 0, sizeof(*r));
	r->owner = owner;
	r->group = group;
	r->kind = kind;
	snprintf(r->name, sizeof(r->name), "%s", t->v[0]);
	for (size_t i = 1; i < t->n; i++) {
		char *end;

		if (!strcmp(t->v[i], "weight") && i + 1 < t->n) {
			r->weight = (int)strtol(t->v[++i], &end, 10);
			r->has_weight = !*end;
		} else if (!strcmp(t->v[i], "reverse")) {
			r->reverse = true;
		}
	}
}

static char track_kind(const char *kw)
{
	static const struct { const char *kw; char kind; } kinds[] = {
		{ "track_script", 's' }, { "track_process", 'p' }, { "track_file", 'f' },
		{ "track_interface", 'i' }, { "track_bfd", 'b' },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!strcmp(kw, kinds[i].kw))
			return kinds[i].kind;
	}
	return 'i';
}

static void i_track_start(struct pstate *ps)
{
	ps->track_kind = track_kind(ps->t.v[0]);
}

static void i_track(struct pstate *ps, const struct ka_tokens *t)
{
	if (ps->inst)
		add_track_ref(ps, t, false, (size_t)(ps->inst - ps->cfg->inst), ps->track_kind);
}

static void s_track(struct pstate *ps, const struct ka_tokens *t)
{
	if (ps->group)
		add_track_ref(ps, t, true, (size_t)(ps->group - ps->cfg->groups), ps->track_kind);
}

static void s_tracking_weight(struct pstate *ps)
{
	if (ps->group)
		ps->group->tracking_weight = true;
}

/* The key of a tracked object: its kind, then its name. */
static size_t def_key(char kind, const char *name, char *key, size_t len)
{
	return (size_t)snprintf(key, len, "%c%s", kind, name);
}

/* kind + name -> the first definition (keepalived keeps the first) */
static void index_defs(const struct weights *w, struct ka_hash *t)
{
	for (size_t i = 0; i < w->n_defs; i++) {
		char key[80];
		bool added;
		size_t n = def_key(w->defs[i].kind, w->defs[i].name, key, sizeof(key));
		struct ka_hent *e = ka_hash_add(t, key, n < sizeof(key) ? n : sizeof(key) - 1, &added);

		if (added)
			e->val = i;
	}
}

static int def_weight(const struct weights *w, const struct ka_hash *defs, char kind,
		      const char *name, bool *found)
{
	char key[80];
	size_t n = def_key(kind, name, key, sizeof(key));
	struct ka_hent *e = ka_hash_find(defs, key, n < sizeof(key) ? n : sizeof(key) - 1);

	*found = e != NULL;
	return e ? w->defs[e->val].weight : 0;
}

static void add_weight(struct ka_track_weights *tw, int weight, bool reverse, bool file)
{
	if (!weight)
		return;
	/* a track_file moves the priority by its value times the weight */
	if (file) {
		tw->unbounded = true;
		return;
	}
	if (reverse)
		weight = -weight;
	if (weight > 0)
		tw->up += weight;
	else
		tw->down -= weight;
}

/* After reading: every reference gets its weight (the object's own
 * weight unless the track_* line gives one). */
static void resolve_weights(struct pstate *ps)
{
	struct weights *w = &ps->weights;
	struct ka_hash defs = { 0 };

	index_defs(w, &defs);
	for (size_t i = 0; i < w->n_refs; i++) {
		const struct track_ref *r = &w->refs[i];
		bool found = true;
		int weight = r->has_weight ? r->weight : 0;
		struct ka_track_weights *tw = r->group ? &ps->cfg->groups[r->owner].track
						       : &ps->cfg->inst[r->owner].track;

		if (r->kind == 's' || r->kind == 'p' || r->kind == 'f') {
			int own = def_weight(w, &defs, r->kind, r->name, &found);

			/* keepalived drops references to objects it does not have */
			if (!found)
				continue;
			if (!r->has_weight)
				weight = own;
		}
		add_weight(tw, weight, r->reverse, r->kind == 'f');
	}
	ka_hash_free(&defs);
	free(w->defs);
	free(w->refs);
	memset(w, 0, sizeof(*w));
}

/* ------------------------------------------------------------------ */
/* keyword table */

struct level_handlers {
	enum ka_level level;
	const struct kw_handler *h;
	size_t n;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct kw_handler root_h[] = {
	{ "vrrp_instance", i_start, NULL, i_close },
	{ "vrrp_sync_group", s_start, NULL, NULL },
	{ "vrrp_script", w_def_start, NULL, NULL },
	{ "vrrp_track_process", w_def_start, NULL, NULL },
	{ "vrrp_track_file", w_def_start, NULL, NULL },
	{ "track_file", w_def_start, NULL, NULL },
};

static const struct kw_handler global_h[] = {
	{ "vrrp_version", g_version, NULL, NULL },
	{ "vrrp_mcast_group4", g_group4, NULL, NULL },
	{ "vrrp_mcast_group6", g_group6, NULL, NULL },
	{ "vrrp_strict", g_strict, NULL, NULL },
	{ "vrrp_check_unicast_src", g_check_unicast_src, NULL, NULL },
	{ "vrrp_skip_check_adv_addr", g_skip_check_adv_addr, NULL, NULL },
	{ "vrrp_lower_prio_no_advert", g_lower_prio_no_advert, NULL, NULL },
	{ "vrrp_higher_prio_send_advert", g_higher_prio_send_advert, NULL, NULL },
	{ "router_id", g_router_id, NULL, NULL },
	{ "include_check", g_include_check, NULL, NULL },
	{ "v3_checksum_as_v2", g_v3cs, NULL, NULL },
};

static const struct kw_handler inst_h[] = {
	{ "state", i_state, NULL, NULL },
	{ "interface", i_interface, NULL, NULL },
	{ "virtual_router_id", i_vrid, NULL, NULL },
	{ "priority", i_priority, NULL, NULL },
	{ "advert_int", i_advert_int, NULL, NULL },
	{ "version", i_version, NULL, NULL },
	{ "mcast_src_ip", i_src_ip, NULL, NULL },
	{ "unicast_src_ip", i_src_ip, NULL, NULL },
	{ "mcast_dst_ip", i_mcast_dst, NULL, NULL },
	{ "unicast_peer", i_unicast_peer_start, i_unicast_peer, NULL },
	{ "unicast_fault_no_peer", i_unicast_flag, NULL, NULL },
	{ "check_unicast_src", i_unicast_flag, NULL, NULL },
	{ "old_unicast_checksum", i_unicast_flag, NULL, NULL },
	{ "unicast_ttl", i_unicast_ttl, NULL, NULL },
	{ "native_ipv6", i_native_ipv6, NULL, NULL },
	{ "use_vmac", i_use_vmac, NULL, NULL },
	{ "vmac_xmit_base", i_use_vmac, NULL, NULL },
	{ "use_ipvlan", i_use_ipvlan, NULL, NULL },
	{ "accept", i_accept, NULL, NULL },
	{ "no_accept", i_accept, NULL, NULL },
	{ "strict_mode", i_strict, NULL, NULL },
	{ "skip_check_adv_addr", i_skip_check, NULL, NULL },
	{ "nopreempt", i_preempt, NULL, NULL },
	{ "preempt", i_preempt, NULL, NULL },
	{ "preempt_delay", i_preempt_delay, NULL, NULL },
	{ "lower_prio_no_advert", i_prio_advert_flags, NULL, NULL },
	{ "higher_prio_send_advert", i_prio_advert_flags, NULL, NULL },
	{ "v3_checksum_as_v2", i_v3cs, NULL, NULL },
	{ "virtual_ipaddress", i_vips_start, i_vip, NULL },
	{ "virtual_ipaddress_excluded", NULL, i_evip, NULL },
	{ "track_script", i_track_start, i_track, NULL },
	{ "track_process", i_track_start, i_track, NULL },
	{ "track_file", i_track_start, i_track, NULL },
	{ "track_interface", i_track_start, i_track, NULL },
	{ "track_bfd", i_track_start, i_track, NULL },
};

static const struct kw_handler auth_h[] = {
	{ "auth_type", i_auth_type, NULL, NULL },
	{ "auth_pass", i_auth_pass, NULL, NULL },
};

static const struct kw_handler sync_h[] = {
	{ "group", s_group_start, s_member, NULL },
	{ "track_script", i_track_start, s_track, NULL },
	{ "track_process", i_track_start, s_track, NULL },
	{ "track_file", i_track_start, s_track, NULL },
	{ "track_interface", i_track_start, s_track, NULL },
	{ "track_bfd", i_track_start, s_track, NULL },
	{ "sync_group_tracking_weight", s_tracking_weight, NULL, NULL },
	{ "global_tracking", s_tracking_weight, NULL, NULL },
};

static const struct kw_handler weight_def_h[] = {
	{ "weight", w_def_weight, NULL, NULL },
};

static const struct level_handlers handlers[] = {
	{ KA_LVL_ROOT, root_h, N(root_h) },
	{ KA_LVL_GLOBAL, global_h, N(global_h) },
	{ KA_LVL_INSTANCE, inst_h, N(inst_h) },
	{ KA_LVL_AUTH, auth_h, N(auth_h) },
	{ KA_LVL_SYNC, sync_h, N(sync_h) },
	{ KA_LVL_SCRIPT, weight_def_h, N(weight_def_h) },
	{ KA_LVL_TPROCESS, weight_def_h, N(weight_def_h) },
	{ KA_LVL_TFILE, weight_def_h, N(weight_def_h) },
};

static const struct kw_handler *find_handler(enum ka_level lvl, const char *name)
{
	for (size_t i = 0; i < N(handlers); i++) {
		if (handlers[i].level != lvl)
			continue;
		for (size_t k = 0; k < handlers[i].n; k++) {
			if (!strcmp(handlers[i].h[k].name, name))
				return &handlers[i].h[k];
		}
	}
	return NULL;
}

void ka_parse_stream(struct ka_config *cfg, struct ka_lexer *lx)
{
	struct pstate ps = { .cfg = cfg, .lx = lx };

	process_level(&ps, KA_LVL_ROOT, false, 0);
	resolve_weights(&ps);
	ka_hash_free(&ps.inst_names);
	ka_hash_free(&ps.group_names);
}
