// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kaconf_vip.c - one virtual_ipaddress / virtual_ipaddress_excluded line,
 *   ADDR[/PREFIX] [brd ADDR|+|-] [dev IF] [scope SCOPE] [label LABEL]
 *   [peer ADDR] [home] [-nodad] [mngtmpaddr] [noprefixroute] [autojoin]
 *   [no_track] [preferred_lft N|forever] [use_vmac]
 * read as keepalived 2.2.7's alloc_ipaddress() / parse_ipaddress() do: the
 * family comes from a ':' in the address, the prefix defaults to /32 or
 * /128, and some mistakes drop the whole address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaconf/kaconf_internal.h"

#define IFNAMSIZ_KA 16

struct vip_ctx {
	struct ka_config *cfg;
	const struct ka_tokens *t;
	struct ka_vip *v;
	size_t i;              /* index of the option word */
	bool drop;             /* keepalived skips this address */
};

static void vip_diag(struct vip_ctx *c, int sev, const char *code, const char *fmt, ...) KA_PRINTF(4, 5);

static void vip_diag(struct vip_ctx *c, int sev, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ka_vdiag(c->cfg, sev, code, c->t->file, c->t->line, fmt, ap);
	va_end(ap);
}

void ka_vip_clear(struct ka_vip *v)
{
	free(v->dev);
	free(v->label);
	memset(v, 0, sizeof(*v));
}

static bool parse_address(struct vip_ctx *c)
{
	const char *word = c->t->v[0];
	const char *slash = strchr(word, '/');
	char *host = slash ? strndup(word, (size_t)(slash - word)) : ka_strdup(word);
	unsigned max = strchr(word, ':') ? 128 : 32;
	unsigned prefix;
	bool ok;

	if (!host)
		abort();
	ok = ka_addr_parse(host, &c->v->addr) && c->v->addr.family == (max == 128 ? 6 : 4);
	free(host);
	if (!ok) {
		vip_diag(c, KA_DIAG_ERROR, "vip-invalid",
			 "'%s' is not an IP address: keepalived skips it", word);
		return false;
	}
	c->v->prefix = (uint8_t)max;
	if (slash) {
		if (ka_read_unsigned(slash + 1, 0, max, &prefix))
			c->v->prefix = (uint8_t)prefix;
		else
			vip_diag(c, KA_DIAG_WARNING, "vip-option",
				 "invalid prefix length '%s' for %s: keepalived uses /%u", slash + 1, word, max);
	}
	return true;
}

/* keepalived's rt_scopes names (find_rttables_scope()) or a number */
static bool valid_scope(const char *s)
{
	static const char *const names[] = { "global", "universe", "site", "link", "host", "nowhere" };
	unsigned n;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i]))
			return true;
	}
	return ka_read_unsigned(s, 0, 255, &n);
}

static void opt_dev(struct vip_ctx *c, const char *arg)
{
	if (c->v->dev) {
		vip_diag(c, KA_DIAG_ERROR, "vip-invalid",
			 "dev given twice for %s: keepalived skips the address", c->t->v[0]);
		c->drop = true;
		return;
	}
	c->v->dev = ka_strdup(arg);
}

static void opt_brd(struct vip_ctx *c, const char *arg)
{
	struct ka_addr brd;

	if (c->v->addr.family == 6) {
		vip_diag(c, KA_DIAG_ERROR, "vip-invalid",
			 "broadcast %s given for IPv6 address %s: keepalived skips the address", arg, c->t->v[0]);
		c->drop = true;
	} else if (strcmp(arg, "+") && strcmp(arg, "-") && (!ka_addr_parse(arg, &brd) || brd.family != 4)) {
		vip_diag(c, KA_DIAG_ERROR, "vip-invalid",
			 "invalid broadcast %s for %s: keepalived skips the address", arg, c->t->v[0]);
		c->drop = true;
	}
}

static void opt_peer(struct vip_ctx *c, const char *arg)
{
	struct ka_addr peer;

	if (!ka_addr_parse(arg, &peer) || peer.family != c->v->addr.family) {
		vip_diag(c, KA_DIAG_WARNING, "vip-option",
			 "invalid peer address %s for %s: keepalived ignores it", arg, c->t->v[0]);
		return;
	}
	/* keepalived gives the address the peer's prefix (the full length) */
	c->v->prefix = c->v->addr.family == 4 ? 32 : 128;
}

static void opt_scope(struct vip_ctx *c, const char *arg)
{
	if (!valid_scope(arg))
		vip_diag(c, KA_DIAG_WARNING, "vip-option",
			 "invalid scope '%s' for %s: keepalived ignores it", arg, c->t->v[0]);
}

static void opt_label(struct vip_ctx *c, const char *arg)
{
	free(c->v->label);
	/* keepalived keeps at most IFNAMSIZ bytes (strncpy into 16) */
	c->v->label = strndup(arg, IFNAMSIZ_KA);
	if (!c->v->label)
		abort();
}

static void opt_lft(struct vip_ctx *c, const char *arg)
{
	unsigned n;

	if (strcmp(arg, "forever") && !ka_read_unsigned(arg, 0, UINT32_MAX, &n))
		vip_diag(c, KA_DIAG_WARNING, "vip-option", "preferred_lft %s is invalid", arg);
}

struct vip_opt {
	const char *name;
	void (*with_arg)(struct vip_ctx *c, const char *arg);
};

static const struct vip_opt opts_with_arg[] = {
	{ "dev", opt_dev },
	{ "scope", opt_scope },
	{ "broadcast", opt_brd },
	{ "brd", opt_brd },
	{ "label", opt_label },
	{ "peer", opt_peer },
	{ "preferred_lft", opt_lft },
};

static const char *const flag_opts[] = {
	"home", "-nodad", "mngtmpaddr", "noprefixroute", "autojoin", "no_track", "use_vmac",
};

/* false: a keyword lacks its parameter (keepalived skips the address) */
static bool parse_option(struct vip_ctx *c)
{
	const char *w = c->t->v[c->i];

	for (size_t k = 0; k < sizeof(opts_with_arg) / sizeof(opts_with_arg[0]); k++) {
		if (strcmp(w, opts_with_arg[k].name))
			continue;
		if (c->i + 1 >= c->t->n) {
			vip_diag(c, KA_DIAG_ERROR, "vip-invalid",
				 "no %s parameter given for %s: keepalived skips the address", w, c->t->v[0]);
			return false;
		}
		opts_with_arg[k].with_arg(c, c->t->v[++c->i]);
		return true;
	}
	for (size_t k = 0; k < sizeof(flag_opts) / sizeof(flag_opts[0]); k++) {
		if (!strcmp(w, flag_opts[k])) {
			if (!strcmp(w, "no_track"))
				c->v->no_track = true;
			else if (!strcmp(w, "use_vmac"))
				c->v->use_vmac = true;
			return true;
		}
	}
	{
		struct ka_addr other;
		char host[64];

		snprintf(host, sizeof(host), "%.*s", (int)strcspn(w, "/"), w);
		if (ka_addr_parse(host, &other)) {
			/* "virtual_ipaddress { A B }" is one line: B is an option of A */
			vip_diag(c, KA_DIAG_ERROR, "vip-option",
				 "address %s on the same line as %s: keepalived takes it as an unknown option and ignores it (one address per line)",
				 w, c->t->v[0]);
			return true;
		}
	}
	vip_diag(c, KA_DIAG_WARNING, "vip-option",
		 "unknown option '%s' for ip address %s: keepalived ignores it", w, c->t->v[0]);
	return true;
}

bool ka_vip_parse(struct ka_config *cfg, const struct ka_tokens *t, struct ka_vip *out)
{
	struct vip_ctx c = { .cfg = cfg, .t = t, .v = out };

	memset(out, 0, sizeof(*out));
	out->file = t->file;
	out->line = t->line;
	if (!parse_address(&c))
		return false;
	for (c.i = 1; c.i < t->n && !c.drop; c.i++) {
		if (!parse_option(&c)) {
			c.drop = true;
			break;
		}
	}
	if (!c.drop && out->addr.family == 6 && out->label) {
		vip_diag(&c, KA_DIAG_WARNING, "vip-option",
			 "label given for IPv6 address %s: keepalived ignores it", t->v[0]);
		free(out->label);
		out->label = NULL;
	}
	if (c.drop) {
		ka_vip_clear(out);
		return false;
	}
	return true;
}
