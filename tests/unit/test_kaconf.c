// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_kaconf.c - the keepalived.conf reader (src/kaconf*.c), table-driven.
 *
 * Each case is a configuration text, the instances keepalived 2.2.7 runs
 * for it (one summary line per instance, see summarize()), the reader's
 * diagnostics that must (or must not, "!code") appear, optionally at a
 * line ("code@12"), and the load status. Every case is read twice: from
 * a string and from a file in a fresh temporary directory, together with
 * any files it includes.
 *
 * The expected instances are facts about keepalived: the cases were run
 * through tests/kaconf/oracle_compare.py (keepalived -d in a private
 * network namespace) and agree with it, except where a comment says the
 * fact comes from keepalived's source instead.
 *
 * Then the files in tests/kaconf/ (real-world style configurations and
 * keepalived's documented examples) and fuzzing: every truncation and
 * seeded garbling of every configuration must load without crashing.
 *
 * VW_KACONF_DUMP_DIR=dir writes the case texts there (for the oracle);
 * VW_KACONF_PRINT=1 prints every case's diagnostics.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kaconf/kaconf.h"
#include "kaconf/testutil.h"

#define DATA VW_TEST_DATA_DIR "/kaconf/"

struct kcase {
	const char *name;
	const char *text;
	const char *expect;        /* summaries, one line per instance */
	const char *diags;         /* "code code@line !code" */
	int status;
	const char *config_id;     /* NULL: "node1" */
	const struct tu_file *files;
	size_t max_expansion;
	unsigned max_depth;
};

/* ------------------------------------------------------------------ */
/* one line per instance: what the detector compares, then what differs
 * from the defaults */

struct sb {
	char buf[8192];
	size_t n;
};

static void sbf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sbf(struct sb *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (b->n < sizeof(b->buf))
		b->n += (size_t)vsnprintf(b->buf + b->n, sizeof(b->buf) - b->n, fmt, ap);
	va_end(ap);
	if (b->n >= sizeof(b->buf))
		b->n = sizeof(b->buf) - 1;
}

static void sb_vips(struct sb *b, const char *key, const struct ka_vip *v, size_t n)
{
	char a[64];

	sbf(b, " %s=", key);
	for (size_t i = 0; i < n; i++) {
		sbf(b, "%s%s", i ? "," : "", ka_addr_str(&v[i].addr, a, sizeof(a)));
		if (v[i].prefix != (v[i].addr.family == 4 ? 32 : 128))
			sbf(b, "/%u", v[i].prefix);
	}
}

static void sb_dest(struct sb *b, const struct ka_instance *in)
{
	char a[64];

	if (!in->unicast) {
		sbf(b, " dst=%s", ka_addr_str(&in->mcast_dst, a, sizeof(a)));
		return;
	}
	sbf(b, " unicast=");
	for (size_t i = 0; i < in->n_peers; i++)
		sbf(b, "%s%s", i ? "," : "", ka_addr_str(&in->peers[i], a, sizeof(a)));
}

static void sb_extras(struct sb *b, const struct ka_instance *in)
{
	char a[64];

	if (in->unicast_src_set)
		sbf(b, " src=%s", ka_addr_str(&in->unicast_src, a, sizeof(a)));
	if (in->n_vips_excluded)
		sb_vips(b, "evips", in->vips_excluded, in->n_vips_excluded);
	if (in->nopreempt)
		sbf(b, " nopreempt");
	if (in->preempt_delay_s)
		sbf(b, " delay=%u", in->preempt_delay_s);
	if (!in->accept)
		sbf(b, " noaccept");
	if (in->strict)
		sbf(b, " strict");
	if (in->auth_type)
		sbf(b, " auth=%s", in->auth_type == 1 ? "pass:" : "ah:");
	if (in->auth_type)
		sbf(b, "%s", in->auth_pass);
	if (in->use_vmac)
		sbf(b, " vmac%s", in->vmac_xmit_base ? "+xmitbase" : "");
	if (in->v3_checksum_as_v2)
		sbf(b, " v3cs");
	if (in->old_unicast_checksum)
		sbf(b, " compat=%s", in->old_unicast_checksum == KA_CHKSUM_COMPAT_NEVER ? "never" : "always");
	if (in->check_unicast_src)
		sbf(b, " ucsrc");
	if (in->skip_check_adv_addr)
		sbf(b, " skipchk");
	if (in->lower_prio_no_advert)
		sbf(b, " lpna");
	if (in->higher_prio_send_advert)
		sbf(b, " hpsa");
	if (in->sync_group)
		sbf(b, " group=%s", in->sync_group);
	if (in->priority_tracked)
		sbf(b, " range=%u-%u", in->priority_low, in->priority_high);
	if (in->fault)
		sbf(b, " FAULT");
	if (in->rejected)
		sbf(b, " REJECTED");
}

static void summarize(struct sb *b, const struct ka_config *cfg)
{
	for (size_t i = 0; i < cfg->n_inst; i++) {
		const struct ka_instance *in = &cfg->inst[i];

		sbf(b, "%s %s ipv%u vrid=%u v%u prio=%u cs=%u %s", in->name,
		    in->interface ? in->interface : "-", in->family, in->vrid, in->version,
		    in->priority, in->interval_cs, ka_state_name(in->state));
		sb_dest(b, in);
		sb_vips(b, "vips", in->vips, in->n_vips);
		sb_extras(b, in);
		sbf(b, "\n");
	}
}

/* ------------------------------------------------------------------ */

static const char *normalize(const char *s, char *buf, size_t len)
{
	/* tables write one instance per line, indented for reading */
	size_t n = 0;

	while (*s && n + 1 < len) {
		if (*s == '\n') {
			buf[n++] = '\n';
			s++;
			s += strspn(s, " \t");
			continue;
		}
		buf[n++] = *s++;
	}
	buf[n] = '\0';
	return buf;
}

static void check_diags(const struct kcase *c, const struct ka_config *cfg, enum tu_mode m)
{
	char want[1024];
	char *save = NULL;

	if (!c->diags)
		return;
	snprintf(want, sizeof(want), "%s", c->diags);
	for (char *w = strtok_r(want, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		bool negate = *w == '!';
		char *at = strchr(w, '@');
		unsigned line = at ? (unsigned)atoi(at + 1) : 0;
		bool has;

		if (at)
			*at = '\0';
		has = tu_has_diag(cfg, w + negate, line);
		if (has == negate) {
			fprintf(stderr, "case %s (%s): diag %s%s%s expected %s\n", c->name, tu_mode_name(m),
				w + negate, at ? " at line " : "", at ? at + 1 : "", negate ? "absent" : "present");
			tu_print_diags(cfg);
			fail();
		}
	}
}

static void run_case(const struct kcase *c, enum tu_mode m)
{
	struct ka_parse_opts opts = {
		.config_id = c->config_id ? c->config_id : "node1",
		.max_expansion = c->max_expansion,
		.max_include_depth = c->max_depth,
	};
	struct ka_config cfg;
	struct sb got = { .n = 0 };
	char want[8192];
	int r = tu_load(m, c->text, c->files, &opts, false, &cfg);

	summarize(&got, &cfg);
	if (getenv("VW_KACONF_PRINT") && m == TU_STRING) {
		fprintf(stderr, "== %s\n", c->name);
		tu_print_diags(&cfg);
	}
	normalize(c->expect ? c->expect : "", want, sizeof(want));
	if (strcmp(got.buf, want) || r != c->status) {
		fprintf(stderr, "case %s (%s): status %d (want %d)\n--- got\n%s--- want\n%s---\n",
			c->name, tu_mode_name(m), r, c->status, got.buf, want);
		tu_print_diags(&cfg);
	}
	assert_int_equal(r, c->status);
	assert_string_equal(got.buf, want);
	check_diags(c, &cfg, m);
	ka_config_free(&cfg);
}

static void run_table(const struct kcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		run_case(&cases[i], TU_STRING);
		run_case(&cases[i], TU_FILE);
	}
}

#define RUN(t) run_table(t, sizeof(t) / sizeof((t)[0]))

/* ------------------------------------------------------------------ */
/* grammar: comments, quotes, braces, unknown keywords, other blocks */

static const struct kcase grammar_cases[] = {
	{
		.name = "minimal",
		.text = "vrrp_instance VI_1 {\n"
			"  interface eth0\n"
			"  virtual_router_id 51\n"
			"  virtual_ipaddress {\n"
			"    198.18.0.100/24\n"
			"  }\n"
			"}\n",
		.expect = "VI_1 eth0 ipv4 vrid=51 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.100/24\n",
		.diags = "!unknown-keyword",
	},
	{
		.name = "comments",
		.text = "! bang comment\n"
			"# hash comment\n"
			"vrrp_instance A {   # after a brace\n"
			"  interface eth0 ! after a value\n"
			"  virtual_router_id 9#no space needed\n"
			"  priority 120 # } a brace in a comment\n"
			"  virtual_ipaddress {\n"
			"    198.18.0.1 label \"eth0:a#b\"   # '#' inside quotes is not a comment\n"
			"    198.18.0.2 \\# escaped: no comment, just a bad option\n"
			"  }\n"
			"}\n",
		.expect = "A eth0 ipv4 vrid=9 v2 prio=120 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.1,198.18.0.2\n",
		.diags = "vip-option@9",
	},
	{
		.name = "braces anywhere",
		.text = "vrrp_instance A { interface eth0\n"
			"  virtual_router_id 1\n"
			"  virtual_ipaddress { 198.18.0.1 dev eth0 }\n"
			"  state MASTER }\n"
			"vrrp_instance B\n"
			"{\n"
			"  interface eth0\n"
			"  virtual_router_id 2\n"
			"  advert_int 3\n"
			"  virtual_ipaddress\n"
			"  {\n"
			"    198.18.0.2\n"
			"    198.18.0.3 }\n"
			"}\n"
			"vrrp_instance C { interface eth1 virtual_router_id 3 }\n",
		/* C: "interface eth1 virtual_router_id 3" is one line: no VRID */
		.expect = "A eth0 ipv4 vrid=1 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.0.1\n"
			  "B eth0 ipv4 vrid=2 v2 prio=100 cs=300 BACKUP dst=224.0.0.18 vips=198.18.0.2,198.18.0.3\n"
			  "C eth1 ipv4 vrid=0 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips= REJECTED\n",
		.diags = "no-vrid",
	},
	{
		.name = "quoted words",
		.text = "vrrp_instance \"Q 1\" {\n"
			"  interface \"eth0\"\n"
			"  virtual_router_id \"7\"\n"
			"  virtual_ipaddress {\n"
			"    \"198.18.0.7/24\" label \"eth0:{x}\"\n"
			"  }\n"
			"}\n",
		.expect = "Q 1 eth0 ipv4 vrid=7 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.7/24\n",
	},
	{
		/* keepalived does not skip the block of a keyword it does not
		 * know: the block's '}' ends the vrrp_instance, so priority and
		 * the addresses below are read at the top level and lost */
		.name = "unknown keyword with a block",
		.text = "vrrp_instance X {\n"
			"   interface eth0\n"
			"   virtual_router_id 20\n"
			"   foo_block {\n"
			"      bar 1\n"
			"   }\n"
			"   priority 200\n"
			"   virtual_ipaddress {\n"
			"     198.18.0.50\n"
			"   }\n"
			"}\n",
		.expect = "X eth0 ipv4 vrid=20 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=\n",
		.diags = "unknown-keyword@4 unknown-block@4 unknown-keyword@5 unknown-keyword@7 "
			 "unknown-keyword@8 unknown-block@8 unbalanced-brace@10 unbalanced-brace@11 no-vip",
	},
	{
		.name = "unknown keywords without a block",
		.text = "global_defs {\n"
			"  no_such_global 1\n"
			"}\n"
			"vrrp_instance X {\n"
			"   interface eth0\n"
			"   virtual_router_id 21\n"
			"   priorty 200\n"
			"   virtual_ipaddress {\n"
			"     198.18.0.51\n"
			"   }\n"
			"}\n",
		.expect = "X eth0 ipv4 vrid=21 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.51\n",
		.diags = "unknown-keyword@2 unknown-keyword@7 !unknown-block",
	},
	{
		.name = "other processes' blocks skipped",
		.text = "vrrp_script chk { script \"/bin/true\"\n interval 2 }\n"
			"virtual_server 198.18.8.1 80 {\n"
			"  real_server 198.18.8.5 80 {\n"
			"    TCP_CHECK {\n"
			"      vrrp_instance NOT_ONE {\n"
			"        virtual_router_id 99\n"
			"      }\n"
			"    }\n"
			"  }\n"
			"}\n"
			"static_ipaddress {\n  198.18.9.9/24 dev eth0\n}\n"
			"vrrp_instance U {\n"
			"  interface eth0\n"
			"  virtual_router_id 31\n"
			"  track_script {\n    chk weight 10\n  }\n"
			"  track_interface {\n    eth1 weight -20\n  }\n"
			"  virtual_routes {\n    198.18.99.0/24 via 198.18.8.254\n  }\n"
			"  virtual_ipaddress {\n    198.18.8.2\n  }\n"
			"}\n",
		.expect = "U eth0 ipv4 vrid=31 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.8.2 range=80-110\n",
		.diags = "!unknown-keyword",
	},
	{
		.name = "duplicate and nameless instances",
		.text = "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
			" virtual_ipaddress {\n 198.18.0.1\n }\n}\n"
			"vrrp_instance A {\n interface eth1\n virtual_router_id 2\n}\n"
			"vrrp_instance {\n interface eth1\n virtual_router_id 3\n}\n",
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.1\n",
		.diags = "instance-duplicate@8 instance-name@12",
	},
	{
		.name = "missing closing brace",
		.text = "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
			" virtual_ipaddress {\n 198.18.0.1\n }\n",
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.1\n",
		.diags = "missing-brace@1",
		.status = -EINVAL,
	},
	{
		.name = "extra closing brace",
		.text = "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
			" virtual_ipaddress {\n 198.18.0.1\n }\n}\n}\n",
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.1\n",
		.diags = "extra-brace@8 !unbalanced-brace", /* one diagnostic for one '}' */
		.status = -EINVAL,
	},
	{
		.name = "unterminated quote",
		.text = "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
			" virtual_ipaddress {\n \"198.18.0.1\n }\n}\n",
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=\n",
		.diags = "unterminated-quote@5",
		.status = -EINVAL,
	},
	{
		/* keepalived exits when a keyword lacks its parameter */
		.name = "missing parameter",
		.text = "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n priority\n"
			" virtual_ipaddress {\n 198.18.0.1\n }\n}\n",
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=\n",
		.diags = "missing-parameter@4 !missing-brace",
		.status = -EINVAL,
	},
	{
		/* checked with keepalived -d: all three are silently different */
		.name = "pitfalls",
		.text = "vrrp_instance A{\n"
			"  interface eth0\n"
			"  virtual_router_id 1\n"
			"  priority \\\n"
			"  100\n"
			"  virtual_ipaddress { 198.18.0.1 198.18.0.2 }\n"
			"} vrrp_instance B {\n"
			"  interface eth0\n"
			"\tvirtual_router_id\t2\n"
			"  $X =5\n"
			"  virtual_ipaddress {\n"
			"    198.18.0.3#c\n"
			"    \"198.18.0.5\"#c\n"
			"  }\n"
			"}\n",
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.1\n"
			  "B eth0 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.3,198.18.0.5\n",
		.diags = "unknown-keyword@4 unknown-keyword@5 vip-option@6 unknown-keyword@10",
	},
	{
		.name = "empty",
		.text = "",
		.expect = "",
	},
	{
		.name = "missing brace after keyword",
		.text = "vrrp_instance A\n interface eth0\n virtual_router_id 1\n"
			" virtual_ipaddress {\n 198.18.0.1\n }\n}\n",
		/* keepalived reads the lines inside anyway; the final '}' is extra */
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.1\n",
		.diags = "missing-brace@2 extra-brace@7",
		.status = -EINVAL,
	},
};

static void test_grammar(void **state)
{
	(void)state;
	RUN(grammar_cases);
}

/* ------------------------------------------------------------------ */
/* include */

static const struct tu_file inc_glob_files[] = {
	{ "conf.d/20-b.conf", "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
			      " virtual_ipaddress {\n  198.18.0.2\n }\n}\n" },
	{ "conf.d/10-a.conf", "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
			      " include ../parts/vips.part\n}\n" },
	{ "parts/vips.part", " virtual_ipaddress {\n  198.18.0.1\n }\n" },
	{ "conf.d/skip.txt", "this is not included\n" },
	{ "conf.d/exec.conf", "vrrp_instance EXEC {\n}\n", 0755 },
	{ NULL, NULL, 0 },
};

static const struct tu_file inc_brace_files[] = {
	{ "a.conf", "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
		    " virtual_ipaddress {\n  198.18.0.1\n }\n}\n" },
	{ "c.conf", "vrrp_instance C {\n interface eth0\n virtual_router_id 3\n"
		    " virtual_ipaddress {\n  198.18.0.3\n }\n}\n" },
	{ NULL, NULL, 0 },
};

static const struct tu_file inc_loop_files[] = {
	{ "d/a.conf", "include b.conf\n" },
	{ "d/b.conf", "vrrp_instance B {\n include a.conf\n}\n" },
	{ NULL, NULL, 0 },
};

static const struct tu_file inc_deep_files[] = {
	{ "d1.conf", "include d2.conf\n" },
	{ "d2.conf", "include d3.conf\n" },
	{ "d3.conf", "include d4.conf\n" },
	{ "d4.conf", "vrrp_instance DEEP {\n}\n" },
	{ NULL, NULL, 0 },
};

static const struct tu_file inc_check_files[] = {
	{ "there.conf", "\n" },
	{ NULL, NULL, 0 },
};

static const struct kcase include_cases[] = {
	{
		.name = "include glob, relative to the including file",
		.text = "include conf.d/*.conf\n",
		.files = inc_glob_files,
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.1\n"
			  "B eth0 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.2\n",
		/* keepalived skips executable files */
		.diags = "include-skipped !include-missing",
	},
	{
		.name = "include brace pattern, missing alternative",
		.text = "include {a,b,c}.conf\ninclude nothing-here/*.conf\n",
		.files = inc_brace_files,
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.1\n"
			  "C eth0 ipv4 vrid=3 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.3\n",
		.diags = "include-missing@2",
	},
	{
		.name = "include loop",
		.text = "include d/a.conf\nvrrp_instance A {\n}\n",
		.files = inc_loop_files,
		.expect = "B - ipv4 vrid=0 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips= REJECTED\n",
		.diags = "include-loop@2",
		.status = -ELOOP,
	},
	{
		.name = "include depth limit",
		.text = "include d1.conf\n",
		.files = inc_deep_files,
		.max_depth = 3,
		.expect = "",
		.diags = "include-depth@1",
		.status = -ELOOP,
	},
	{
		/* includea: every check; a missing file is an error */
		.name = "include variants and include_check",
		.text = "includea missing.conf\n"
			"includer there.conf\n"
			"global_defs {\n include_check\n}\n"
			"include gone/*.conf\n",
		.files = inc_check_files,
		.expect = "",
		.diags = "include-missing@1 include-missing@6",
	},
	{
		.name = "quoted include path",
		.text = "include \"a.conf\"\n",
		.files = inc_brace_files,
		.expect = "",
		.diags = "include-quoted@1 include-missing@1",
	},
};

static void test_include(void **state)
{
	(void)state;
	RUN(include_cases);
}

/* ------------------------------------------------------------------ */
/* $VAR, @conditionals, ~SEQ, ~LST */

static const struct kcase expansion_cases[] = {
	{
		.name = "definitions",
		.text = "$IF=eth0\n"
			"$NET=198.18.5\n"
			"$EMPTY=\n"
			"vrrp_instance V$EMPTY {\n"
			"  interface $IF\n"
			"  virtual_router_id 1${EMPTY}2\n"
			"  virtual_ipaddress {\n"
			"    ${NET}.1\n"
			"    $NET.2\n"          /* '.' after $NET: not a reference */
			"    ${UNDEFINED}.3\n"
			"  }\n"
			"}\n",
		.expect = "V eth0 ipv4 vrid=12 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.5.1\n",
		.diags = "vip-invalid@9 vip-invalid@10",
	},
	{
		/* substitution happens at use, not at definition */
		.name = "late binding and redefinition",
		.text = "$BASE=198.18.${SUB}\n"
			"$SUB=0\n"
			"vrrp_instance L {\n interface eth0\n virtual_router_id 3\n"
			" virtual_ipaddress {\n"
			"  ${BASE}.100\n"
			"  $SUB=10\n"
			"  ${BASE}.100\n"
			" }\n}\n",
		.expect = "L eth0 ipv4 vrid=3 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 "
			  "vips=198.18.0.100,198.18.10.100\n",
	},
	{
		.name = "multi-line definition",
		.text = "$INST= \\\n"
			"vrrp_instance VI_${N} { \\\n"
			"    interface eth0 \\\n"
			"    virtual_router_id 1${N} \\\n"
			"    @node1 priority 130 \\\n"
			"    @^node1 priority 120 \\\n"
			"    virtual_ipaddress { \\\n"
			"        198.18.${N}.254/24 \\\n"
			"    } \\\n"
			"}\n"
			"\n"
			"$N=0\n"
			"$INST\n"
			"$N=1\n"
			"$INST\n",
		.expect = "VI_0 eth0 ipv4 vrid=10 v2 prio=130 cs=100 BACKUP dst=224.0.0.18 vips=198.18.0.254/24\n"
			  "VI_1 eth0 ipv4 vrid=11 v2 prio=130 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.254/24\n",
	},
	{
		/* a blank line ends a multi-line definition (keepalived's
		 * read_line()); the rest is read as ordinary lines */
		.name = "blank line ends a multi-line definition",
		.text = "$VIPS= \\\n"
			"  198.18.7.1 \\\n"
			"\n"
			"  198.18.7.2\n"
			"vrrp_instance M {\n interface eth0\n virtual_router_id 4\n"
			" virtual_ipaddress {\n  $VIPS\n }\n}\n",
		.expect = "M eth0 ipv4 vrid=4 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.7.1\n",
		.diags = "unknown-keyword@4",
	},
	{
		.name = "conditionals",
		.text = "@node1 $P=200\n"
			"@^node1 $P=100\n"
			"vrrp_instance C {\n"
			"  interface eth0\n"
			"  virtual_router_id 5\n"
			"  priority $P\n"
			"  @node2 state MASTER\n"
			"  @^node2 nopreempt\n"
			"  @node1\n"                 /* nothing after the id: dropped */
			"  virtual_ipaddress {\n"
			"    @node1 198.18.5.1\n"
			"    @other 198.18.5.2\n"
			"  }\n"
			"}\n",
		.expect = "C eth0 ipv4 vrid=5 v2 prio=200 cs=100 BACKUP dst=224.0.0.18 vips=198.18.5.1 nopreempt\n",
	},
	{
		.name = "conditionals, other node",
		.config_id = "node2",
		.text = "@node1 $P=200\n"
			"@^node1 $P=100\n"
			"vrrp_instance C {\n"
			"  interface eth0\n"
			"  virtual_router_id 5\n"
			"  priority $P\n"
			"  @node2 state MASTER\n"
			"  @^node2 nopreempt\n"
			"  virtual_ipaddress {\n"
			"    @node1 198.18.5.1\n"
			"    @^node1 198.18.5.2\n"
			"  }\n"
			"}\n",
		.expect = "C eth0 ipv4 vrid=5 v2 prio=100 cs=100 MASTER dst=224.0.0.18 vips=198.18.5.2\n",
	},
	{
		.name = "~SEQ",
		.text = "vrrp_instance S {\n"
			"  interface eth0\n"
			"  virtual_router_id 6\n"
			"  virtual_ipaddress {\n"
			"    ~SEQ(N, 3) 198.18.6.${N}\n"
			"    ~SEQ(M, 5, -2, 1) 198.18.7.${M}\n"
			"    ~SEQ(A, 0, 1) ~SEQ(B, 2, 3) 198.18.${A}.${B}\n"
			"    ~SEQ(Z, 1, 0, 9) 198.18.9.1\n"      /* step 0: invalid */
			"  }\n"
			"}\n",
		.expect = "S eth0 ipv4 vrid=6 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 "
			  "vips=198.18.6.1,198.18.6.2,198.18.6.3,198.18.7.5,198.18.7.3,198.18.7.1,"
			  "198.18.0.2,198.18.0.3,198.18.1.2,198.18.1.3\n",
		.diags = "bad-seq@8",
	},
	{
		.name = "~SEQx and ~LST",
		.text = "~LST({NAME, ID, PRIO}, {X, 11, 150}, {Y, 12}) $NAME=${NAME}\n"
			"vrrp_instance H {\n"
			"  interface eth0\n"
			"  virtual_router_id 7\n"
			"  virtual_ipaddress {\n"
			"    fe80::1\n"
			"    ~SEQx(X, 0x90, 0x10, 0xc0) fd00::20:${X}:1\n"
			"    ~LST(V, 1, 2) fd00::${V}\n"
			"  }\n"
			"}\n",
		.expect = "H eth0 ipv6 vrid=7 v3 prio=100 cs=100 BACKUP dst=ff02::12 "
			  "vips=fe80::1,fd00::20:90:1,fd00::20:a0:1,fd00::20:b0:1,fd00::20:c0:1,fd00::1,fd00::2\n",
	},
	{
		/* keepalived would loop for ever on $A=$A */
		.name = "runaway substitution",
		.text = "$A=$A\nvrrp_instance R {\n interface $A\n}\n",
		.expect = NULL,
		.diags = "runaway-expansion@3",
		.status = -E2BIG,
	},
	{
		.name = "runaway generator",
		.max_expansion = 100000,
		.text = "~SEQ(N, 1, 1000000000) vrrp_instance I$N {\n",
		.expect = NULL,
		.diags = "runaway-expansion@1",
		.status = -E2BIG,
	},
	{
		.name = "self-recursive multi-line definition",
		.max_expansion = 100000,
		.text = "$M= \\\n  priority 1 \\\n  $M\n\nvrrp_instance R {\n $M\n}\n",
		.expect = NULL,
		.diags = "runaway-expansion@6",
		.status = -E2BIG,
	},
	{
		/* $_HASH becomes '#', and keepalived decomments again after
		 * substitution, so it starts a comment after all */
		.name = "standard definitions",
		.text = "vrrp_instance ${_INSTANCE} {\n"
			"  interface eth0\n"
			"  virtual_router_id 8\n"
			"  virtual_ipaddress {\n"
			"    198.18.8.1 label eth0:${_HASH}x\n"
			"  }\n"
			"}\n",
		.expect = "node1 eth0 ipv4 vrid=8 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.8.1\n",
	},
};

static void test_expansion(void **state)
{
	(void)state;
	/* runaway generators stop at different instances: only the status
	 * and the diagnostic are checked */
	for (size_t i = 0; i < sizeof(expansion_cases) / sizeof(expansion_cases[0]); i++) {
		const struct kcase *c = &expansion_cases[i];

		if (c->expect) {
			run_case(c, TU_STRING);
			run_case(c, TU_FILE);
			continue;
		}
		for (int m = TU_STRING; m <= TU_FILE; m++) {
			struct ka_parse_opts opts = { .config_id = "node1", .max_expansion = c->max_expansion };
			struct ka_config cfg;
			int r = tu_load((enum tu_mode)m, c->text, NULL, &opts, false, &cfg);

			assert_int_equal(r, c->status);
			check_diags(c, &cfg, (enum tu_mode)m);
			ka_config_free(&cfg);
		}
	}
}

/* ------------------------------------------------------------------ */
/* keepalived's defaults and derivations */

#define INST(name, body) \
	"vrrp_instance " name " {\n  interface eth0\n" body "}\n"
#define VIP4(a) "  virtual_ipaddress {\n    " a "\n  }\n"

static const struct kcase default_cases[] = {
	{
		.name = "state MASTER without priority is the address owner",
		.text = INST("M", "  state MASTER\n  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("P", "  state MASTER\n  priority 150\n  virtual_router_id 2\n" VIP4("198.18.1.2"))
			INST("O", "  priority 255\n  virtual_router_id 3\n" VIP4("198.18.1.3"))
			INST("B", "  state BACKUP\n  virtual_router_id 4\n" VIP4("198.18.1.4")),
		.expect = "M eth0 ipv4 vrid=1 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.1\n"
			  "P eth0 ipv4 vrid=2 v2 prio=150 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.2\n"
			  "O eth0 ipv4 vrid=3 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.3\n"
			  "B eth0 ipv4 vrid=4 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.4\n",
	},
	{
		/* keepalived replaces an invalid priority by 100 while
		 * parsing, so "state MASTER" then runs at 100, not 255 */
		.name = "invalid priority",
		.text = INST("Z", "  state MASTER\n  priority 0\n  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("H", "  priority 300\n  virtual_router_id 2\n" VIP4("198.18.1.2"))
			INST("N", "  priority -5\n  virtual_router_id 3\n" VIP4("198.18.1.3")),
		.expect = "Z eth0 ipv4 vrid=1 v2 prio=100 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.1\n"
			  "H eth0 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2\n"
			  "N eth0 ipv4 vrid=3 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.3\n",
		.diags = "priority-range@4 priority-range@12 priority-range@20",
	},
	{
		.name = "version: global, instance, IPv6 forces 3",
		.text = "global_defs {\n  vrrp_version 3\n}\n"
			INST("G", "  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("I2", "  version 2\n  virtual_router_id 2\n" VIP4("198.18.1.2"))
			INST("V6", "  virtual_router_id 3\n" VIP4("fe80::3")),
		.expect = "G eth0 ipv4 vrid=1 v3 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.1\n"
			  "I2 eth0 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2\n"
			  "V6 eth0 ipv6 vrid=3 v3 prio=100 cs=100 BACKUP dst=ff02::12 vips=fe80::3\n",
	},
	{
		/* "version 2" before IPv6 addresses keeps v2 (not strict);
		 * after them keepalived ignores it; native_ipv6 means v3 */
		.name = "version 2 with IPv6",
		.text = "global_defs {\n  vrrp_version 2\n}\n"
			INST("BEFORE", "  version 2\n  virtual_router_id 1\n" VIP4("fe80::1"))
			INST("AFTER", "  virtual_router_id 2\n" VIP4("fe80::2") "  version 2\n")
			INST("NATIVE", "  native_ipv6\n  virtual_router_id 3\n" VIP4("fe80::3")),
		.expect = "BEFORE eth0 ipv6 vrid=1 v2 prio=100 cs=100 BACKUP dst=ff02::12 vips=fe80::1\n"
			  "AFTER eth0 ipv6 vrid=2 v3 prio=100 cs=100 BACKUP dst=ff02::12 vips=fe80::2\n"
			  "NATIVE eth0 ipv6 vrid=3 v3 prio=100 cs=100 BACKUP dst=ff02::12 vips=fe80::3\n",
		.diags = "version-conflict@18",
	},
	{
		.name = "advert interval rounding",
		.text = INST("A", "  virtual_router_id 1\n  advert_int 1.5\n" VIP4("198.18.1.1"))
			INST("B", "  virtual_router_id 2\n  advert_int 2.4\n" VIP4("198.18.1.2"))
			INST("C", "  virtual_router_id 3\n  advert_int 0.4\n" VIP4("198.18.1.3"))
			INST("D", "  virtual_router_id 4\n  version 3\n  advert_int 1.555\n" VIP4("198.18.1.4"))
			INST("E", "  virtual_router_id 5\n  version 3\n  advert_int 0.014\n" VIP4("198.18.1.5"))
			INST("F", "  virtual_router_id 6\n  version 3\n  advert_int 41\n" VIP4("198.18.1.6"))
			INST("G", "  virtual_router_id 7\n  advert_int 0.005\n" VIP4("198.18.1.7"))
			INST("H", "  virtual_router_id 8\n  advert_int 300\n" VIP4("198.18.1.8"))
			INST("I", "  virtual_router_id 9\n  version 3\n  advert_int 0.25\n" VIP4("198.18.1.9")),
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=200 BACKUP dst=224.0.0.18 vips=198.18.1.1\n"
			  "B eth0 ipv4 vrid=2 v2 prio=100 cs=200 BACKUP dst=224.0.0.18 vips=198.18.1.2\n"
			  "C eth0 ipv4 vrid=3 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.3\n"
			  "D eth0 ipv4 vrid=4 v3 prio=100 cs=156 BACKUP dst=224.0.0.18 vips=198.18.1.4\n"
			  "E eth0 ipv4 vrid=5 v3 prio=100 cs=1 BACKUP dst=224.0.0.18 vips=198.18.1.5\n"
			  "F eth0 ipv4 vrid=6 v3 prio=100 cs=4095 BACKUP dst=224.0.0.18 vips=198.18.1.6\n"
			  "G eth0 ipv4 vrid=7 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.7\n"
			  "H eth0 ipv4 vrid=8 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.8\n"
			  "I eth0 ipv4 vrid=9 v3 prio=100 cs=25 BACKUP dst=224.0.0.18 vips=198.18.1.9\n",
		.diags = "advert-int-rounded@4 advert-int-rounded@12 advert-int-rounded@20 advert-int-rounded@29 "
			 "advert-int-rounded@38 advert-int-range@47 advert-int-range@55 advert-int-range@63",
	},
	{
		.name = "unicast",
		.text = INST("U", "  virtual_router_id 1\n  unicast_src_ip 198.18.0.1\n"
				  "  unicast_peer {\n    198.18.0.2\n    198.18.0.3 min_ttl 10 max_ttl 250\n  }\n"
				  VIP4("198.18.1.1"))
			INST("NOPEERS", "  virtual_router_id 2\n  unicast_src_ip 198.18.0.1\n" VIP4("198.18.1.2"))
			INST("FAULT", "  virtual_router_id 3\n  unicast_fault_no_peer\n" VIP4("198.18.1.3"))
			INST("TTL", "  virtual_router_id 4\n  unicast_ttl 5\n" VIP4("198.18.1.4"))
			INST("CHK", "  virtual_router_id 5\n  check_unicast_src\n  old_unicast_checksum never\n"
				    "  unicast_peer {\n    198.18.0.9\n  }\n" VIP4("198.18.1.5")),
		.expect = "U eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP unicast=198.18.0.2,198.18.0.3 "
			  "vips=198.18.1.1 src=198.18.0.1 ucsrc\n"
			  "NOPEERS eth0 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2 src=198.18.0.1\n"
			  "FAULT eth0 ipv4 vrid=3 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.3 FAULT\n"
			  "TTL eth0 ipv4 vrid=4 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.4\n"
			  "CHK eth0 ipv4 vrid=5 v2 prio=100 cs=100 BACKUP unicast=198.18.0.9 vips=198.18.1.5 "
			  "compat=never ucsrc\n",
		.diags = "unicast-no-peers@16 unicast-no-peers@24 unicast-no-peers@29",
	},
	{
		.name = "family from the first address",
		.text = INST("SRC6", "  virtual_router_id 1\n  unicast_src_ip fd00::1\n"
				     "  unicast_peer {\n    fd00::2\n    198.18.0.2\n  }\n"
				     VIP4("fe80::1\n    198.18.1.1"))
			INST("MIXED", "  virtual_router_id 2\n" VIP4("198.18.1.2\n    fd00::2\n    198.18.1.3")),
		.expect = "SRC6 eth0 ipv6 vrid=1 v3 prio=100 cs=100 BACKUP unicast=fd00::2 vips=fe80::1 src=fd00::1\n"
			  "MIXED eth0 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2,198.18.1.3\n",
		.diags = "family-mismatch@7 family-mismatch@11 family-mismatch@19",
	},
	{
		.name = "multicast groups",
		.text = "global_defs {\n  vrrp_mcast_group4 224.0.0.81\n  vrrp_mcast_group6 ff02::81\n}\n"
			INST("G4", "  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("G6", "  virtual_router_id 1\n" VIP4("fe80::1"))
			INST("OWN", "  virtual_router_id 2\n  mcast_dst_ip 224.0.0.82\n" VIP4("198.18.1.2"))
			INST("BAD", "  virtual_router_id 3\n  mcast_dst_ip 198.18.0.1\n" VIP4("198.18.1.3"))
			INST("BAD6", "  virtual_router_id 4\n  mcast_dst_ip ff05::1\n" VIP4("fe80::4")),
		.expect = "G4 eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.81 vips=198.18.1.1\n"
			  "G6 eth0 ipv6 vrid=1 v3 prio=100 cs=100 BACKUP dst=ff02::81 vips=fe80::1\n"
			  "OWN eth0 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.82 vips=198.18.1.2\n"
			  "BAD eth0 ipv4 vrid=3 v2 prio=100 cs=100 BACKUP dst=224.0.0.81 vips=198.18.1.3\n"
			  "BAD6 eth0 ipv6 vrid=4 v3 prio=100 cs=100 BACKUP dst=ff02::81 vips=fe80::4\n",
		.diags = "invalid-value@30 invalid-value@38",
	},
	{
		.name = "authentication",
		.text = INST("PASS", "  virtual_router_id 1\n  authentication {\n    auth_type PASS\n"
				     "    auth_pass 123456789abc\n  }\n" VIP4("198.18.1.1"))
			INST("V3", "  virtual_router_id 2\n  version 3\n  authentication {\n    auth_type PASS\n"
				   "    auth_pass abc\n  }\n" VIP4("198.18.1.2"))
			INST("AH", "  state MASTER\n  priority 100\n  virtual_router_id 3\n"
				   "  authentication {\n    auth_type AH\n    auth_pass secret\n  }\n" VIP4("198.18.1.3"))
			INST("NOPASS", "  virtual_router_id 4\n  authentication {\n    auth_type PASS\n  }\n"
				       VIP4("198.18.1.4"))
			INST("AH6", "  virtual_router_id 5\n  version 2\n  authentication {\n    auth_type AH\n"
				    "    auth_pass x\n  }\n" VIP4("fe80::5")),
		.expect = "PASS eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.1 auth=pass:12345678\n"
			  "V3 eth0 ipv4 vrid=2 v3 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2\n"
			  "AH eth0 ipv4 vrid=3 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.3 auth=ah:secret\n"
			  "NOPASS eth0 ipv4 vrid=4 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.4\n"
			  "AH6 eth0 ipv6 vrid=5 v2 prio=100 cs=100 BACKUP dst=ff02::12 vips=fe80::5\n",
		.diags = "auth-pass-truncated@6 auth-ignored@17 auth-ah-master@30 auth-ignored@41 auth-ignored@52",
	},
	{
		.name = "strict mode",
		.text = "global_defs {\n  vrrp_strict\n}\n"
			INST("OWNER", "  state MASTER\n  priority 255\n  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("NOTOWNER", "  state MASTER\n  priority 200\n  preempt_delay 10\n  accept\n"
					 "  virtual_router_id 2\n  authentication {\n    auth_type PASS\n"
					 "    auth_pass secret\n  }\n" VIP4("198.18.1.2"))
			INST("V6", "  version 2\n  virtual_router_id 3\n  accept\n" VIP4("fe80::3"))
			INST("OFF", "  strict_mode off\n  state MASTER\n  priority 200\n  virtual_router_id 4\n"
				    "  preempt_delay 10\n" VIP4("198.18.1.4"))
			INST("NOVIP", "  virtual_router_id 5\n"),
		.expect = "OWNER eth0 ipv4 vrid=1 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.1 strict lpna\n"
			  "NOTOWNER eth0 ipv4 vrid=2 v2 prio=200 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2 "
			  "noaccept strict lpna\n"
			  "V6 eth0 ipv6 vrid=3 v3 prio=100 cs=100 BACKUP dst=ff02::12 vips=fe80::3 strict lpna\n"
			  "OFF eth0 ipv4 vrid=4 v2 prio=200 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.4\n"
			  "NOVIP eth0 ipv4 vrid=5 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips= noaccept strict lpna "
			  "REJECTED\n",
		.diags = "strict-state@15 preempt-delay-ignored@17 accept-ignored@18 auth-ignored@21 "
			 "ipv6-version@30 preempt-delay-ignored@43 no-vip@48",
	},
	{
		.name = "preemption",
		.text = INST("NP", "  virtual_router_id 1\n  nopreempt\n  preempt_delay 5\n" VIP4("198.18.1.1"))
			INST("PD", "  virtual_router_id 2\n  preempt_delay 2.5\n" VIP4("198.18.1.2"))
			INST("M", "  state MASTER\n  priority 200\n  nopreempt\n  preempt_delay 5\n"
				  "  virtual_router_id 3\n" VIP4("198.18.1.3"))
			INST("OWN", "  priority 255\n  state BACKUP\n  nopreempt\n  virtual_router_id 4\n"
				    VIP4("198.18.1.4"))
			INST("BACK", "  nopreempt\n  preempt\n  virtual_router_id 5\n" VIP4("198.18.1.5")),
		.expect = "NP eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.1 nopreempt\n"
			  "PD eth0 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2 delay=2\n"
			  "M eth0 ipv4 vrid=3 v2 prio=200 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.3\n"
			  "OWN eth0 ipv4 vrid=4 v2 prio=255 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.4\n"
			  "BACK eth0 ipv4 vrid=5 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.5\n",
		.diags = "preempt-delay-ignored@5 nopreempt-ignored@22 preempt-delay-ignored@23 nopreempt-ignored@33",
	},
	{
		.name = "addresses and their options",
		.text = INST("V", "  virtual_router_id 1\n"
				  "  virtual_ipaddress {\n"
				  "    198.18.1.1/24 brd 198.18.1.255 dev eth0 scope global label eth0:1\n"
				  "    198.18.1.2/33\n"              /* bad prefix: /32 */
				  "    198.18.1.3 dev\n"             /* no value: skipped */
				  "    198.18.1.4 brd nonsense\n"    /* skipped */
				  "    198.18.1.5 no_track preferred_lft forever -nodad home\n"
				  "    198.18.1.6 peer 198.18.1.7/24\n"
				  "    198.18.1.8 bogus 1\n"
				  "    198.18.1.300\n"               /* not an address */
				  "  }\n"
				  "  virtual_ipaddress_excluded {\n"
				  "    fd00::5/64\n"
				  "    198.18.2.1/24\n"
				  "  }\n")
			INST("V6", "  virtual_router_id 2\n"
				   "  virtual_ipaddress {\n"
				   "    fe80::1/64 label eth0:6\n"
				   "    fd00::1 brd ff02::1\n"         /* broadcast for IPv6: skipped */
				   "  }\n"),
		.expect = "V eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 "
			  "vips=198.18.1.1/24,198.18.1.2,198.18.1.5,198.18.1.6,198.18.1.8 evips=fd00::5/64,198.18.2.1/24\n"
			  "V6 eth0 ipv6 vrid=2 v3 prio=100 cs=100 BACKUP dst=ff02::12 vips=fe80::1/64\n",
		.diags = "vip-option@6 vip-invalid@7 vip-invalid@8 vip-option@10 vip-option@11 vip-invalid@12 "
			 "vip-option@23 vip-invalid@24",
	},
	{
		/* keepalived 2.2.7 sets the flag for "off" too */
		.name = "skip_check_adv_addr and flags",
		.text = "global_defs {\n  vrrp_check_unicast_src\n}\n"
			INST("S", "  virtual_router_id 1\n  skip_check_adv_addr off\n  use_vmac\n  vmac_xmit_base\n"
				  "  unicast_peer {\n    198.18.0.2\n  }\n" VIP4("198.18.1.1"))
			INST("T", "  virtual_router_id 2\n  lower_prio_no_advert\n  higher_prio_send_advert on\n"
				  "  vmac_xmit_base\n" VIP4("198.18.1.2")),
		.expect = "S eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP unicast=198.18.0.2 vips=198.18.1.1 "
			  "vmac+xmitbase ucsrc skipchk\n"
			  "T eth0 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2 lpna hpsa\n",
	},
	{
		/* global values apply to instances read before global_defs */
		.name = "global_defs order",
		.text = INST("EARLY", "  virtual_router_id 1\n" VIP4("198.18.1.1"))
			"global_defs {\n  vrrp_skip_check_adv_addr\n  vrrp_version 3\n}\n"
			INST("LATE", "  virtual_router_id 2\n" VIP4("198.18.1.2")),
		.expect = "EARLY eth0 ipv4 vrid=1 v3 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.1 skipchk\n"
			  "LATE eth0 ipv4 vrid=2 v3 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2 skipchk\n",
	},
	{
		/* keepalived >= 2.2.8 keyword, read as it means there */
		.name = "v3_checksum_as_v2",
		.text = "global_defs {\n  v3_checksum_as_v2\n}\n"
			INST("G", "  version 3\n  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("OFF", "  version 3\n  v3_checksum_as_v2 off\n  virtual_router_id 2\n" VIP4("198.18.1.2")),
		.expect = "G eth0 ipv4 vrid=1 v3 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.1 v3cs\n"
			  "OFF eth0 ipv4 vrid=2 v3 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2\n",
		.diags = "!unknown-keyword",
	},
	{
		.name = "sync groups",
		.text = "vrrp_sync_group G1 {\n  group {\n    A\n    B\n  }\n}\n"
			"vrrp_sync_group G2 {\n  group {\n    C\n    D\n    NONE\n  }\n}\n"
			"vrrp_sync_group EMPTY {\n}\n"
			INST("A", "  state MASTER\n  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("B", "  state MASTER\n  priority 200\n  virtual_router_id 2\n" VIP4("198.18.1.2"))
			INST("C", "  state MASTER\n  virtual_router_id 3\n" VIP4("198.18.1.3"))
			INST("D", "  priority 255\n  virtual_router_id 4\n" VIP4("198.18.1.4")),
		/* B cannot start as MASTER (not owner), so A does not either */
		.expect = "A eth0 ipv4 vrid=1 v2 prio=255 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.1 group=G1\n"
			  "B eth0 ipv4 vrid=2 v2 prio=200 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2 group=G1\n"
			  "C eth0 ipv4 vrid=3 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.3 group=G2\n"
			  "D eth0 ipv4 vrid=4 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.4 group=G2\n",
		.diags = "group-member@7 group-empty@14 group-state@18 group-state@26",
	},
	{
		/* weighted tracking moves the advertised priority at run time */
		.name = "tracking weights",
		.text = "vrrp_script chk {\n  script \"/bin/true\"\n  weight -30\n}\n"
			"vrrp_script up {\n  script \"/bin/true\"\n  weight 20\n}\n"
			"vrrp_track_file f1 {\n  file /run/f1\n}\n"
			"vrrp_sync_group G {\n  group {\n    F\n  }\n}\n"
			"vrrp_sync_group GW {\n  group {\n    H\n  }\n  sync_group_tracking_weight\n"
			"  track_script {\n    up\n  }\n}\n"
			INST("A", "  priority 100\n  virtual_router_id 1\n  track_script {\n    chk\n    up\n  }\n"
				  VIP4("198.18.1.1"))
			INST("B", "  priority 250\n  virtual_router_id 2\n  track_script {\n    up\n  }\n" VIP4("198.18.1.2"))
			INST("C", "  priority 255\n  virtual_router_id 3\n  track_script {\n    chk\n  }\n" VIP4("198.18.1.3"))
			INST("D", "  virtual_router_id 4\n  track_interface {\n    eth1 weight -50\n    eth2\n  }\n"
				  VIP4("198.18.1.4"))
			INST("E", "  virtual_router_id 5\n  track_file {\n    f1\n    nofile weight 5\n  }\n"
				  VIP4("198.18.1.5"))
			INST("F", "  virtual_router_id 6\n  track_script {\n    chk\n  }\n" VIP4("198.18.1.6"))
			INST("H", "  virtual_router_id 7\n  track_script {\n    chk weight -10\n    nosuch\n  }\n"
				  VIP4("198.18.1.7"))
			INST("R", "  virtual_router_id 8\n  track_script {\n    up reverse\n  }\n" VIP4("198.18.1.8")),
		.expect = "A eth0 ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.1 range=70-120\n"
			  "B eth0 ipv4 vrid=2 v2 prio=250 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2 range=250-254\n"
			  "C eth0 ipv4 vrid=3 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.3\n"
			  "D eth0 ipv4 vrid=4 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.4 range=50-100\n"
			  "E eth0 ipv4 vrid=5 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.5 range=1-254\n"
			  "F eth0 ipv4 vrid=6 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.6 group=G\n"
			  "H eth0 ipv4 vrid=7 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.7 group=GW "
			  "range=90-120\n"
			  "R eth0 ipv4 vrid=8 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.8 range=80-100\n",
	},
	{
		.name = "what makes keepalived refuse to start",
		.text = "vrrp_instance NOIF {\n  virtual_router_id 1\n" VIP4("198.18.1.1") "}\n"
			"vrrp_instance LO {\n  interface lo\n  virtual_router_id 2\n" VIP4("198.18.1.2") "}\n"
			INST("NOVRID", VIP4("198.18.1.3"))
			INST("BADVRID", "  virtual_router_id 256\n" VIP4("198.18.1.4"))
			INST("V3NOVIP", "  version 3\n  virtual_router_id 5\n")
			INST("V2NOVIP", "  virtual_router_id 6\n"),
		.expect = "NOIF - ipv4 vrid=1 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.1 REJECTED\n"
			  "LO - ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2 REJECTED\n"
			  "NOVRID eth0 ipv4 vrid=0 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.3 REJECTED\n"
			  "BADVRID eth0 ipv4 vrid=0 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.4 REJECTED\n"
			  "V3NOVIP eth0 ipv4 vrid=5 v3 prio=100 cs=100 BACKUP dst=224.0.0.18 vips= REJECTED\n"
			  "V2NOVIP eth0 ipv4 vrid=6 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=\n",
		.diags = "no-interface@1 no-interface@7 invalid-value@8 no-vrid@14 no-vrid@20 invalid-value@22 "
			 "no-vip@27 no-vip@32",
	},
	{
		/* keepalived's check_vrid_conflicts() */
		.name = "duplicate VRIDs",
		.text = INST("A", "  virtual_router_id 40\n" VIP4("198.18.1.1"))
			INST("B", "  virtual_router_id 40\n" VIP4("198.18.1.2"))
			INST("OTHER_GROUP", "  virtual_router_id 41\n  mcast_dst_ip 224.0.0.19\n" VIP4("198.18.1.3"))
			INST("DEFAULT_GROUP", "  virtual_router_id 41\n" VIP4("198.18.1.4"))
			INST("V6", "  virtual_router_id 40\n" VIP4("fe80::5"))
			"vrrp_instance OTHER_IF {\n  interface eth1\n  virtual_router_id 40\n" VIP4("198.18.1.6") "}\n"
			INST("UC1", "  virtual_router_id 42\n  unicast_peer {\n    198.18.0.7\n  }\n" VIP4("198.18.1.7"))
			INST("UC2", "  virtual_router_id 42\n  unicast_peer {\n    198.18.0.8\n  }\n" VIP4("198.18.1.8"))
			INST("UC3", "  virtual_router_id 42\n  unicast_peer {\n    198.18.0.8\n    198.18.0.9\n  }\n"
				    VIP4("198.18.1.9"))
			INST("MC42", "  virtual_router_id 42\n" VIP4("198.18.1.10")),
		.expect = "A eth0 ipv4 vrid=40 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.1 REJECTED\n"
			  "B eth0 ipv4 vrid=40 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.2 REJECTED\n"
			  "OTHER_GROUP eth0 ipv4 vrid=41 v2 prio=100 cs=100 BACKUP dst=224.0.0.19 vips=198.18.1.3\n"
			  "DEFAULT_GROUP eth0 ipv4 vrid=41 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.4\n"
			  "V6 eth0 ipv6 vrid=40 v3 prio=100 cs=100 BACKUP dst=ff02::12 vips=fe80::5\n"
			  "OTHER_IF eth1 ipv4 vrid=40 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.6\n"
			  "UC1 eth0 ipv4 vrid=42 v2 prio=100 cs=100 BACKUP unicast=198.18.0.7 vips=198.18.1.7\n"
			  "UC2 eth0 ipv4 vrid=42 v2 prio=100 cs=100 BACKUP unicast=198.18.0.8 vips=198.18.1.8 REJECTED\n"
			  "UC3 eth0 ipv4 vrid=42 v2 prio=100 cs=100 BACKUP unicast=198.18.0.8,198.18.0.9 "
			  "vips=198.18.1.9 REJECTED\n"
			  "MC42 eth0 ipv4 vrid=42 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.1.10\n",
		.diags = "duplicate-vrid@10 duplicate-vrid@66",
	},
};

static void test_defaults(void **state)
{
	(void)state;
	RUN(default_cases);
}

/* ------------------------------------------------------------------ */
/* many addresses: what does not fit the advert becomes excluded */

static char *many_vips(unsigned n4, unsigned n6)
{
	size_t cap = 64 + 40 * (n4 + n6) + 256, len = 0;
	char *t = malloc(cap);

	len += (size_t)snprintf(t + len, cap - len, "vrrp_instance M4 {\n interface eth0\n virtual_router_id 1\n"
						     " virtual_ipaddress {\n");
	for (unsigned i = 0; i < n4; i++)
		len += (size_t)snprintf(t + len, cap - len, "  198.19.%u.%u\n", i / 250, i % 250 + 1);
	len += (size_t)snprintf(t + len, cap - len, " }\n}\nvrrp_instance M6 {\n interface eth0\n"
						     " virtual_router_id 2\n virtual_ipaddress {\n  fe80::1\n");
	for (unsigned i = 2; i <= n6; i++)
		len += (size_t)snprintf(t + len, cap - len, "  fd00:1::%x\n", i);
	snprintf(t + len, cap - len, " }\n}\n");
	return t;
}

static void test_vip_limits(void **state)
{
	char *text = many_vips(300, 100);

	(void)state;
	for (int m = TU_STRING; m <= TU_FILE; m++) {
		struct ka_parse_opts opts = { .config_id = "node1" };
		struct ka_config cfg;
		char a[64];

		assert_int_equal(tu_load((enum tu_mode)m, text, NULL, &opts, false, &cfg), 0);
		assert_int_equal(cfg.n_inst, 2);
		/* keepalived 2.2.7 keeps the first 255 IPv4 / 89 IPv6 (MTU 1500) */
		assert_int_equal(cfg.inst[0].n_vips, 255);
		assert_int_equal(cfg.inst[0].n_vips_excluded, 45);
		assert_string_equal(ka_addr_str(&cfg.inst[0].vips_excluded[0].addr, a, sizeof(a)), "198.19.1.6");
		assert_int_equal(cfg.inst[1].n_vips, 89);
		assert_int_equal(cfg.inst[1].n_vips_excluded, 11);
		assert_true(tu_has_diag(&cfg, "too-many-vips", 0));
		ka_config_free(&cfg);
	}
	free(text);
}

/* ------------------------------------------------------------------ */
/* keepalived's line limit */

static void test_long_line(void **state)
{
	static char text[4096];
	size_t n;

	(void)state;
	n = (size_t)sprintf(text, "vrrp_instance L {\n interface eth0\n virtual_router_id 1\n notify_master \"");
	memset(text + n, 'x', 1500);
	n += 1500;
	n += (size_t)sprintf(text + n, "\"\n virtual_ipaddress {\n  198.18.1.1\n }\n}\n");
	for (int m = TU_STRING; m <= TU_FILE; m++) {
		struct ka_parse_opts opts = { .config_id = "node1" };
		struct ka_config cfg;
		int r = tu_load((enum tu_mode)m, text, NULL, &opts, false, &cfg);

		/* fgets(1024) cuts the line: its two halves have a quote each */
		assert_true(tu_has_diag(&cfg, "line-too-long", 4));
		assert_int_equal(r, -EINVAL);
		assert_int_equal(cfg.n_inst, 1);
		ka_config_free(&cfg);
	}
}

/* ------------------------------------------------------------------ */
/* the configuration files in tests/kaconf */

struct file_case {
	const char *file;
	const char *config_id;
	const char *expect;
	int status;
	const char *diags;
};

static const struct file_case file_cases[] = {
	{ "doc_vrrp.conf", "node1",
	  "VI_1 eth0 ipv4 vrid=51 v2 prio=100 cs=100 MASTER dst=224.0.0.18 "
	  "vips=198.18.200.16,198.18.200.17,198.18.200.18,198.18.200.18 auth=pass:1111\n"
	  "VI_2 eth0 ipv4 vrid=50 v2 prio=50 cs=100 BACKUP dst=224.0.0.18 "
	  "vips=198.18.200.13,198.18.200.14,198.18.200.15\n"
	  "VI_3 eth1 ipv4 vrid=52 v2 prio=100 cs=100 MASTER dst=224.0.0.18 "
	  "vips=198.18.201.13,198.18.201.14,198.18.201.15 auth=pass:1111\n"
	  "VI_4 eth1 ipv4 vrid=53 v2 prio=50 cs=100 BACKUP dst=224.0.0.18 "
	  "vips=198.18.201.16,198.18.201.17,198.18.201.18\n", 0, "!unknown-keyword" },
	{ "doc_sync.conf", "node1",
	  "VI_1 eth0 ipv4 vrid=51 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.200.18/25 group=G1\n"
	  "VI_2 eth1 ipv4 vrid=52 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.201.18/26 group=G1\n"
	  "VI_3 eth0 ipv4 vrid=53 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.200.19/27 group=G2\n"
	  "VI_4 eth1 ipv4 vrid=54 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.201.19/28 group=G2\n"
	  "VI_5 eth0 ipv4 vrid=55 v2 prio=90 cs=200 BACKUP dst=224.0.0.18 vips=198.18.200.20/27 group=G1\n",
	  0, "group-state" },
	{ "doc_conditional.conf", "main",
	  "VRRP eth0 ipv4 vrid=10 v2 prio=240 cs=100 BACKUP unicast=198.18.3.5,198.18.3.6 "
	  "vips=198.18.3.100/24 src=198.18.3.4\n", 0, NULL },
	{ "doc_conditional.conf", "backup",
	  "VRRP eth0 ipv4 vrid=10 v2 prio=200 cs=100 BACKUP unicast=198.18.3.4,198.18.3.6 "
	  "vips=198.18.3.100/24 src=198.18.3.5\n", 0, NULL },
	{ "doc_conditional.conf", "backup2",
	  "VRRP eth0 ipv4 vrid=10 v2 prio=100 cs=100 BACKUP unicast=198.18.3.4,198.18.3.5 "
	  "vips=198.18.3.100/24 src=198.18.3.6\n", 0, NULL },
	{ "doc_multiline.conf", "high",
	  "VI_0 eth0.0 ipv4 vrid=1 v2 prio=130 cs=100 BACKUP dst=224.0.0.18 "
	  "vips=198.18.0.254/24,198.18.10.0,198.18.10.1,198.18.10.2 vmac\n"
	  "VI_1 eth0.1 ipv4 vrid=1 v2 prio=130 cs=100 BACKUP dst=224.0.0.18 "
	  "vips=198.18.1.254/24,198.18.11.0,198.18.11.1,198.18.11.2 vmac\n"
	  "VI_2 eth1 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.19.0.100,198.19.10.100\n",
	  0, "family-mismatch" },
	{ "doc_multiline.conf", "low",
	  "VI_0 eth0.0 ipv4 vrid=1 v2 prio=120 cs=100 BACKUP dst=224.0.0.18 "
	  "vips=198.18.0.254/24,198.18.10.0,198.18.10.1,198.18.10.2 vmac\n"
	  "VI_1 eth0.1 ipv4 vrid=1 v2 prio=120 cs=100 BACKUP dst=224.0.0.18 "
	  "vips=198.18.1.254/24,198.18.11.0,198.18.11.1,198.18.11.2 vmac\n"
	  "VI_2 eth1 ipv4 vrid=2 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.19.0.100,198.19.10.100\n",
	  0, NULL },
	{ "ha_pair_unicast.conf", "lb1",
	  "LB_V4 ens192 ipv4 vrid=61 v2 prio=150 cs=100 BACKUP unicast=198.18.10.12 "
	  "vips=198.18.10.100/24 src=198.18.10.11 evips=198.18.11.100/24 nopreempt auth=pass:s3cr3t-p ucsrc range=120-150\n",
	  0, "auth-pass-truncated" },
	{ "ipv6_dual_stack.conf", "gw-a",
	  "GW4 bond0.100 ipv4 vrid=100 v3 prio=200 cs=50 MASTER dst=224.0.0.18 vips=198.18.100.1/24\n"
	  "GW6 bond0.100 ipv6 vrid=100 v3 prio=200 cs=50 MASTER dst=ff02::12 vips=fe80::1/64,fd00:100::1/64\n",
	  0, "!duplicate-vrid" },
	{ "conf_d_main.conf", "edge-1",
	  "WEB eth0 ipv4 vrid=21 v2 prio=110 cs=100 BACKUP dst=224.0.0.81 vips=198.18.21.1/24\n"
	  "DB eth0 ipv4 vrid=22 v2 prio=90 cs=100 BACKUP dst=224.0.0.82 vips=198.18.22.1/24\n"
	  "EXTRA eth1 ipv4 vrid=23 v2 prio=100 cs=100 BACKUP dst=224.0.0.81 vips=198.18.23.1\n",
	  0, "!include-missing !unknown-keyword" },
	{ "strict.conf", "node1",
	  "OWNER eth0 ipv4 vrid=1 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.1.1 strict lpna\n"
	  "NOT_OWNER eth0 ipv4 vrid=2 v2 prio=200 cs=100 BACKUP dst=224.0.0.18 vips=198.18.2.1 noaccept strict lpna\n"
	  "V6 eth0 ipv6 vrid=3 v3 prio=100 cs=100 BACKUP dst=ff02::12 vips=fe80::3,fd00:3::1 noaccept strict lpna\n"
	  "RELAXED eth0 ipv4 vrid=4 v2 prio=200 cs=100 MASTER dst=224.0.0.18 vips=198.18.4.1\n", 0, NULL },
	{ "lint_problems.conf", "node1",
	  "MASTER_NO_PRIO eth0 ipv4 vrid=51 v2 prio=255 cs=100 MASTER dst=224.0.0.18 vips=198.18.51.1/24 REJECTED\n"
	  "SAME_VRID eth0 ipv4 vrid=51 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.51.2/24 REJECTED\n"
	  "UNICAST_NO_PEERS eth0 ipv4 vrid=52 v2 prio=100 cs=200 BACKUP dst=224.0.0.18 vips=198.18.52.1/24 "
	  "src=198.18.52.10\n"
	  "V6_GLOBAL_FIRST eth1 ipv6 vrid=53 v3 prio=100 cs=100 BACKUP dst=ff02::12 vips=fd00:53::1/64,fe80::53\n"
	  "STRICT_NO_ACCEPT eth1 ipv4 vrid=54 v2 prio=100 cs=100 BACKUP dst=224.0.0.18 vips=198.18.54.1 "
	  "noaccept strict lpna\n", 0, "duplicate-vrid@17 unknown-keyword@53" },
};

static void run_file_case(const struct file_case *fc, enum tu_mode m)
{
	char path[1024];
	char *text;
	struct kcase c = { .name = fc->file, .expect = fc->expect, .status = fc->status,
			   .diags = fc->diags, .config_id = fc->config_id };
	struct ka_parse_opts opts = { .config_id = fc->config_id };
	struct ka_config cfg;
	struct sb got = { .n = 0 };
	char cwd[1024];
	int r;

	snprintf(path, sizeof(path), "%s%s", DATA, fc->file);
	if (m == TU_FILE) {
		r = ka_config_load_file(path, &opts, &cfg);
	} else {
		/* a string, read from the test data directory (for includes) */
		text = tu_read_file(path);
		assert_non_null(text);
		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(DATA), 0);
		r = ka_config_load_string(text, fc->file, &opts, &cfg);
		assert_int_equal(chdir(cwd), 0);
		free(text);
	}
	summarize(&got, &cfg);
	if (strcmp(got.buf, fc->expect) || r != fc->status) {
		fprintf(stderr, "file %s (%s, id %s): status %d\n--- got\n%s--- want\n%s---\n", fc->file,
			tu_mode_name(m), fc->config_id, r, got.buf, fc->expect);
		tu_print_diags(&cfg);
	}
	assert_int_equal(r, fc->status);
	assert_string_equal(got.buf, fc->expect);
	check_diags(&c, &cfg, m);
	ka_config_free(&cfg);
}

static void test_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(file_cases) / sizeof(file_cases[0]); i++) {
		run_file_case(&file_cases[i], TU_STRING);
		run_file_case(&file_cases[i], TU_FILE);
	}
}

/* The keepalived.conf files of the sample captures: keepalived runs them
 * all, so the reader must find instances and no errors. */
static void test_sample_captures(void **state)
{
	static const char *const dirs[] = {
		"collision", "failover", "foreign_same_priority", "healthy", "interval_mismatch",
		"ipv6", "split_brain", "unicast", "version_mismatch",
	};
	static const char *const names[] = { "keepalived.conf", "b.conf", "c.conf", "d.conf", "e.conf" };
	unsigned seen = 0;

	(void)state;
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
			char path[1024];
			struct ka_config cfg;
			struct ka_parse_opts opts = { .config_id = "node1" };

			snprintf(path, sizeof(path), "%s/pcaps/%s/%s", VW_SOURCE_ROOT, dirs[d], names[n]);
			if (access(path, R_OK))
				continue;
			seen++;
			assert_int_equal(ka_config_load_file(path, &opts, &cfg), 0);
			assert_true(cfg.n_inst > 0);
			for (size_t i = 0; i < cfg.n_diags; i++) {
				if (cfg.diags[i].severity >= KA_DIAG_ERROR) {
					tu_print_diags(&cfg);
					fail_msg("%s: unexpected error", path);
				}
			}
			for (size_t i = 0; i < cfg.n_inst; i++) {
				assert_false(cfg.inst[i].rejected);
				assert_true(cfg.inst[i].n_vips > 0);
			}
			ka_config_free(&cfg);
		}
	}
	if (!seen)
		skip();
}

/* ------------------------------------------------------------------ */
/* API details */

static void test_api(void **state)
{
	struct ka_addr a;
	char buf[64];
	struct ka_config cfg;
	struct ka_parse_opts opts = { .config_id = "node1" };

	(void)state;
	assert_true(ka_addr_parse("198.18.0.1", &a));
	assert_int_equal(a.family, 4);
	assert_memory_equal(a.addr, ((uint8_t[]){ 198, 18, 0, 1 }), 4);
	assert_string_equal(ka_addr_str(&a, buf, sizeof(buf)), "198.18.0.1");
	assert_true(ka_addr_parse("fe80::1", &a));
	assert_true(ka_addr_is_ipv6_linklocal(&a));
	assert_false(ka_addr_parse("198.18.0.256", &a));
	assert_false(ka_addr_parse("", &a));
	a.family = 0;
	assert_string_equal(ka_addr_str(&a, buf, sizeof(buf)), "-");
	assert_true(ka_addr_parse("ff02::12", &a));
	assert_true(ka_addr_is_multicast(&a));

	assert_int_equal(ka_config_load_file("/nonexistent/vw/keepalived.conf", &opts, &cfg), -ENOENT);
	assert_true(cfg.fatal);
	assert_int_equal(cfg.n_inst, 0);
	assert_true(tu_has_diag(&cfg, "config-unreadable", 0));
	ka_config_free(&cfg);
	ka_config_free(&cfg); /* freeing twice is harmless */

	assert_int_equal(ka_config_load_string(NULL, NULL, NULL, &cfg), 0);
	assert_non_null(cfg.config_id); /* the host name */
	ka_config_free(&cfg);

	assert_int_equal(ka_config_load_string(INST("W", "  virtual_router_id 9\n  version 2\n  advert_int 3\n"
						     VIP4("198.18.1.1")), "x", &opts, &cfg), 0);
	assert_int_equal(ka_instance_wire_interval(&cfg.inst[0]), 3);
	assert_string_equal(cfg.inst[0].file, "x");
	assert_int_equal(cfg.inst[0].line, 1);
	assert_int_equal(cfg.inst[0].vips[0].line, 7);
	ka_config_free(&cfg);
}

static void test_unreadable_main(void **state)
{
	char *dir = tu_mkdtemp();
	char path[1024];
	struct tu_file exe = { "keepalived.conf", "vrrp_instance A {\n}\n", 0755 };
	struct tu_file sub = { "sub", NULL, 0 };
	struct ka_config cfg;

	(void)state;
	tu_write(dir, &exe);
	tu_write(dir, &sub);
	snprintf(path, sizeof(path), "%s/keepalived.conf", dir);
	/* keepalived skips executable configuration files */
	assert_int_equal(ka_config_load_file(path, NULL, &cfg), -EACCES);
	assert_true(tu_has_diag(&cfg, "config-unreadable", 0));
	ka_config_free(&cfg);
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_true(ka_config_load_file(path, NULL, &cfg) < 0);
	ka_config_free(&cfg);
	tu_rmtree(dir);
	free(dir);
}

/* ------------------------------------------------------------------ */
/* fuzzing: truncated and garbled inputs never crash or hang */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void fuzz_load(const char *text)
{
	/* VW_KACONF_FUZZ_TRACE=file keeps the input being read, for a hang */
	if (getenv("VW_KACONF_FUZZ_TRACE")) {
		FILE *f = fopen(getenv("VW_KACONF_FUZZ_TRACE"), "w");

		if (f) {
			fputs(text, f);
			fclose(f);
		}
	}
	struct ka_parse_opts opts = { .config_id = "node1", .max_expansion = 1 << 16, .max_include_depth = 4 };
	struct ka_config cfg;
	int r = ka_config_load_string(text, "fuzz", &opts, &cfg);

	assert_true(r == 0 || r == -EINVAL || r == -E2BIG || r == -ELOOP || r == -ENOENT || r == -EACCES);
	for (size_t i = 0; i < cfg.n_inst; i++) {
		assert_non_null(cfg.inst[i].name);
		assert_true(cfg.inst[i].version == 2 || cfg.inst[i].version == 3);
		assert_true(cfg.inst[i].family == 4 || cfg.inst[i].family == 6);
		assert_true(cfg.inst[i].priority >= 1);
		assert_true(cfg.inst[i].interval_cs >= 1 && cfg.inst[i].interval_cs <= 25500);
	}
	for (size_t i = 0; i < cfg.n_diags; i++)
		assert_non_null(cfg.diags[i].message);
	ka_config_free(&cfg);
}

static void fuzz_text(const char *text)
{
	size_t n = strlen(text), step = n > 3000 ? n / 1500 : 1;
	char *buf = malloc(n + 1);
	static const char special[] = "{}\"#!$@~\\\n \t=/:.,()^x0";

	for (size_t cut = 0; cut <= n; cut += step) {
		memcpy(buf, text, cut);
		buf[cut] = '\0';
		fuzz_load(buf);
	}
	for (int round = 0; round < 150; round++) {
		memcpy(buf, text, n + 1);
		for (int k = 0; k < 1 + (int)(rng() % 8) && n; k++) {
			size_t at = rng() % n;

			buf[at] = rng() % 4 ? special[rng() % (sizeof(special) - 1)] : (char)(rng() % 255 + 1);
		}
		fuzz_load(buf);
	}
	free(buf);
}

static void test_fuzz(void **state)
{
	static const char *const files[] = {
		"doc_vrrp.conf", "doc_sync.conf", "doc_conditional.conf", "doc_multiline.conf",
		"ha_pair_unicast.conf", "ipv6_dual_stack.conf", "strict.conf", "lint_problems.conf",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(grammar_cases) / sizeof(grammar_cases[0]); i++)
		fuzz_text(grammar_cases[i].text);
	for (size_t i = 0; i < sizeof(expansion_cases) / sizeof(expansion_cases[0]); i++)
		fuzz_text(expansion_cases[i].text);
	for (size_t i = 0; i < sizeof(default_cases) / sizeof(default_cases[0]); i++)
		fuzz_text(default_cases[i].text);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[1024];
		char *text;

		snprintf(path, sizeof(path), "%s%s", DATA, files[i]);
		text = tu_read_file(path);
		assert_non_null(text);
		fuzz_text(text);
		free(text);
	}
}

/* ------------------------------------------------------------------ */

/* VW_KACONF_DUMP_DIR=dir: write every case as dir/NAME.conf for
 * tests/kaconf/oracle_compare.py */
static void dump_cases(const char *dir, const struct kcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char sub[512], name[256];
		struct tu_file f = { "keepalived.conf", cases[i].text, 0 };
		size_t k;

		for (k = 0; cases[i].name[k] && k + 1 < sizeof(name); k++)
			name[k] = isalnum((unsigned char)cases[i].name[k]) ? cases[i].name[k] : '_';
		name[k] = '\0';
		snprintf(sub, sizeof(sub), "%s/%s", dir, name);
		tu_write(sub, &f);
		for (const struct tu_file *x = cases[i].files; x && x->name; x++)
			tu_write(sub, x);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_expansion),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_vip_limits),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_sample_captures),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_unreadable_main),
		cmocka_unit_test(test_fuzz),
	};
	const char *dump = getenv("VW_KACONF_DUMP_DIR");

	if (dump) {
		dump_cases(dump, grammar_cases, sizeof(grammar_cases) / sizeof(grammar_cases[0]));
		dump_cases(dump, include_cases, sizeof(include_cases) / sizeof(include_cases[0]));
		dump_cases(dump, expansion_cases, sizeof(expansion_cases) / sizeof(expansion_cases[0]));
		dump_cases(dump, default_cases, sizeof(default_cases) / sizeof(default_cases[0]));
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
