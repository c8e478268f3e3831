// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_lint.c - vrrpwatch --lint (src/kaconf/lint.c, src/cli/cmd_config.c),
 * table-driven. Each case is a configuration, the findings that must
 * appear ("severity:check@line") or not ("!check"), and the exit status;
 * each is checked from a string and from a file in a temporary directory.
 * Then the command itself: exit statuses, text and JSON output.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cmd_config.h"
#include "kaconf/kaconf.h"
#include "kaconf/lint.h"
#include "kaconf/testutil.h"

struct lcase {
	const char *name;
	const char *text;
	const char *findings;   /* "warning:check@line !check ..." */
	int exit_status;
	const struct tu_file *files;
};

#define INST(name, body) \
	"vrrp_instance " name " {\n  interface eth0\n" body "}\n"
#define VIP4(a) "  virtual_ipaddress {\n    " a "\n  }\n"

static bool has_finding(const struct ka_lint *l, const char *sev, const char *check, unsigned line)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct ka_lint_finding *f = &l->f[i];

		if (strcmp(f->check, check) || (line && f->line != line))
			continue;
		if (!sev || !strcmp(ka_severity_name(f->severity), sev))
			return true;
	}
	return false;
}

static void print_findings(const struct ka_lint *l)
{
	for (size_t i = 0; i < l->n; i++)
		fprintf(stderr, "  %s:%u: %s [%s] %s\n", l->f[i].file ? l->f[i].file : "-", l->f[i].line,
			ka_severity_name(l->f[i].severity), l->f[i].check, l->f[i].message);
}

static void check_findings(const struct lcase *c, const struct ka_lint *l, enum tu_mode m)
{
	char want[1024], *save = NULL;

	snprintf(want, sizeof(want), "%s", c->findings ? c->findings : "");
	for (char *w = strtok_r(want, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		bool negate = *w == '!';
		char *colon = strchr(w, ':'), *at = strchr(w, '@');
		const char *sev = NULL, *check = w + negate;
		unsigned line = 0;

		if (at) {
			*at = '\0';
			line = (unsigned)atoi(at + 1);
		}
		if (colon) {
			*colon = '\0';
			sev = w + negate;
			check = colon + 1;
		}
		if (has_finding(l, sev, check, line) == negate) {
			fprintf(stderr, "case %s (%s): %s%s%s expected %s\n", c->name, tu_mode_name(m), check,
				at ? " at line " : "", at ? at + 1 : "", negate ? "absent" : "present");
			print_findings(l);
			fail();
		}
	}
}

static void run_case(const struct lcase *c, enum tu_mode m)
{
	struct ka_parse_opts opts = { .config_id = "node1" };
	struct ka_config cfg;
	struct ka_lint l;
	int r = tu_load(m, c->text, c->files, &opts, false, &cfg);

	ka_lint_run(&cfg, &l);
	if (ka_lint_exit_status(r, &l) != c->exit_status) {
		fprintf(stderr, "case %s (%s): load %d\n", c->name, tu_mode_name(m), r);
		print_findings(&l);
	}
	assert_int_equal(ka_lint_exit_status(r, &l), c->exit_status);
	check_findings(c, &l, m);
	/* ordered by file (as read) and line */
	for (size_t i = 1; i < l.n; i++) {
		if (l.f[i].file == l.f[i - 1].file)
			assert_true(l.f[i - 1].line <= l.f[i].line);
	}
	ka_lint_free(&l);
	ka_config_free(&cfg);
}

static const struct tu_file split_files[] = {
	{ "inc/b.conf", INST("B", "  virtual_router_id 7\n  advert_int 2.5\n" VIP4("198.18.7.2")) },
	{ NULL, NULL, 0 },
};

static const struct lcase cases[] = {
	{
		.name = "clean",
		.text = INST("A", "  state MASTER\n  priority 150\n  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("B", "  priority 100\n  virtual_router_id 2\n" VIP4("fe80::1\n    fd00::1")),
		.findings = "",
		.exit_status = 0,
	},
	{
		/* notes only: still clean */
		.name = "notes are not problems",
		.text = INST("R", "  virtual_router_id ${_RANDOM 1 9}\n" VIP4("198.18.1.1")),
		.findings = "info:random@3",
		.exit_status = 0,
	},
	{
		.name = "state MASTER without priority",
		.text = INST("M", "  state MASTER\n  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("OWNER", "  state MASTER\n  priority 255\n  virtual_router_id 2\n" VIP4("198.18.1.2"))
			INST("PRIO", "  state MASTER\n  priority 200\n  virtual_router_id 3\n" VIP4("198.18.1.3")),
		.findings = "warning:master-without-priority@3",
		.exit_status = 1,
	},
	{
		.name = "strict without accept",
		.text = "global_defs {\n  vrrp_strict\n}\n"
			INST("S", "  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("OWN", "  priority 255\n  virtual_router_id 2\n" VIP4("198.18.1.2"))
			INST("V3ACC", "  version 3\n  accept\n  virtual_router_id 3\n" VIP4("198.18.1.3"))
			INST("NOACC", "  no_accept\n  virtual_router_id 4\n" VIP4("198.18.1.4"))
			INST("LOCAL", "  strict_mode\n  version 3\n  virtual_router_id 5\n" VIP4("198.18.1.5")),
		.findings = "warning:strict-without-accept@4 warning:strict-without-accept@38",
		.exit_status = 1,
	},
	{
		.name = "duplicate VRID",
		.text = INST("A", "  virtual_router_id 40\n" VIP4("198.18.1.1"))
			INST("B", "  virtual_router_id 40\n" VIP4("198.18.1.2"))
			INST("C", "  virtual_router_id 41\n  unicast_src_ip 198.18.0.1\n"
				  "  unicast_peer {\n    198.18.0.9\n  }\n" VIP4("198.18.1.3"))
			INST("D", "  virtual_router_id 41\n  unicast_peer {\n    198.18.0.9\n  }\n" VIP4("198.18.1.4")),
		.findings = "error:duplicate-vrid@10 warning:duplicate-vrid@28",
		.exit_status = 1,
	},
	{
		.name = "unicast keywords without peers",
		.text = INST("U", "  virtual_router_id 1\n  unicast_src_ip 198.18.0.1\n  check_unicast_src\n"
				  VIP4("198.18.1.1")),
		.findings = "warning:unicast-no-peers@4",
		.exit_status = 1,
	},
	{
		.name = "VRRPv2 fractional and out-of-range intervals",
		.text = INST("F", "  virtual_router_id 1\n  advert_int 1.5\n" VIP4("198.18.1.1"))
			INST("R", "  virtual_router_id 2\n  advert_int 256\n" VIP4("198.18.1.2"))
			INST("V3", "  version 3\n  virtual_router_id 3\n  advert_int 0.25\n" VIP4("198.18.1.3")),
		.findings = "warning:advert-int-rounded@4 error:advert-int-range@12 !advert-int-rounded@20",
		.exit_status = 1,
	},
	{
		.name = "first IPv6 address not link-local",
		.text = INST("G", "  virtual_router_id 1\n" VIP4("fd00::1\n    fe80::1"))
			INST("L", "  virtual_router_id 2\n" VIP4("fe80::2\n    fd00::2"))
			INST("U", "  virtual_router_id 3\n  unicast_peer {\n    fd00::9\n  }\n" VIP4("fd00::3")),
		.findings = "warning:ipv6-first-vip@5 !ipv6-first-vip@12 !ipv6-first-vip@22",
		.exit_status = 1,
	},
	{
		.name = "mixed families and priority range",
		.text = INST("M", "  virtual_router_id 1\n  priority 256\n" VIP4("198.18.1.1\n    fd00::1")),
		.findings = "error:priority-range@4 error:family-mismatch@7",
		.exit_status = 1,
	},
	{
		.name = "unknown keywords",
		.text = INST("K", "  virtual_router_id 1\n  priorty 200\n" VIP4("198.18.1.1")),
		.findings = "warning:unknown-keyword@4",
		.exit_status = 1,
	},
	{
		.name = "v3_checksum_as_v2 needs 2.2.8",
		.text = INST("C", "  version 3\n  v3_checksum_as_v2\n  virtual_router_id 1\n" VIP4("198.18.1.1"))
			INST("C2", "  v3_checksum_as_v2\n  virtual_router_id 2\n" VIP4("198.18.1.2")),
		.findings = "warning:v3-checksum-as-v2@4 info:v3-checksum-as-v2@12",
		.exit_status = 1,
	},
	{
		.name = "unicast peer is itself",
		.text = INST("P", "  virtual_router_id 1\n  unicast_src_ip 198.18.0.1\n"
				  "  unicast_peer {\n    198.18.0.2\n    198.18.0.1\n  }\n" VIP4("198.18.1.1")),
		.findings = "warning:unicast-peer-self@5",
		.exit_status = 1,
	},
	{
		.name = "syntax error",
		.text = INST("S", "  virtual_router_id 1\n" VIP4("198.18.1.1")) "}\n",
		.findings = "error:extra-brace@8",
		.exit_status = 2,
	},
	{
		.name = "findings in included files, by file and line",
		.text = INST("A", "  virtual_router_id 1\n  advert_int 1.5\n" VIP4("198.18.1.1"))
			"include inc/b.conf\n"
			INST("C", "  state MASTER\n  virtual_router_id 3\n" VIP4("198.18.1.3")),
		.files = split_files,
		.findings = "advert-int-rounded@4 advert-int-rounded@4 master-without-priority@12",
		.exit_status = 1,
	},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_case(&cases[i], TU_STRING);
		run_case(&cases[i], TU_FILE);
	}
}

/* ------------------------------------------------------------------ */
/* the command */

static char *run_cmd(const char *path, bool json, int verbose, int *status)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct vw_config_cmd c = { .config_path = path, .config_id = "node1", .output = vw_output_ops(json ? VW_OUT_JSON : VW_OUT_TEXT),
				   .verbose = verbose, .out = f, .err = f };

	assert_non_null(f);
	*status = vw_cmd_lint(&c);
	fclose(f);
	return out;
}

static char *write_conf(const char *dir, const char *text)
{
	struct tu_file f = { "keepalived.conf", text, 0 };
	char *path = malloc(1024);

	tu_write(dir, &f);
	snprintf(path, 1024, "%s/keepalived.conf", dir);
	return path;
}

static void test_command(void **state)
{
	char *dir = tu_mkdtemp();
	char *path, *out;
	int st;

	(void)state;
	path = write_conf(dir, INST("A", "  virtual_router_id 1\n  priority 150\n" VIP4("198.18.1.1")));
	out = run_cmd(path, false, 0, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "no problems found"));
	free(out);
	out = run_cmd(path, true, 0, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "{\"type\":\"lint_summary\""));
	assert_non_null(strstr(out, "\"errors\":0,\"warnings\":0"));
	free(out);
	free(path);

	path = write_conf(dir, INST("A", "  state MASTER\n  virtual_router_id 1\n  foo 1\n  bar 2\n" VIP4("198.18.1.1")));
	out = run_cmd(path, false, 0, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "keepalived.conf:3: warning: (A) state MASTER without priority"));
	assert_non_null(strstr(out, "[master-without-priority]"));
	/* unknown keywords: one line without -v, each with -v */
	assert_non_null(strstr(out, "2 unknown keywords ignored by keepalived (-v lists them)"));
	assert_null(strstr(out, "'foo'"));
	free(out);
	out = run_cmd(path, false, 1, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "keepalived.conf:5: warning: unknown keyword 'foo' in vrrp_instance"));
	free(out);
	out = run_cmd(path, true, 0, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "{\"type\":\"lint\",\"severity\":\"warning\",\"check\":\"master-without-priority\","));
	assert_non_null(strstr(out, "\"line\":3,\"instance\":\"A\",\"message\":\"(A) state MASTER"));
	assert_non_null(strstr(out, "\"check\":\"unknown-keyword\""));
	free(out);
	free(path);

	/* unreadable: 2 */
	path = malloc(1024);
	snprintf(path, 1024, "%s/nonexistent.conf", dir);
	out = run_cmd(path, false, 0, &st);
	assert_int_equal(st, 2);
	assert_non_null(strstr(out, "not found"));
	free(out);
	free(path);

	tu_rmtree(dir);
	free(dir);
}

static void test_exit_status(void **state)
{
	struct ka_lint l = { 0 };

	(void)state;
	assert_int_equal(ka_lint_exit_status(0, &l), 0);
	assert_int_equal(ka_lint_exit_status(-ENOENT, &l), 2);
	assert_int_equal(ka_lint_exit_status(-EINVAL, &l), 2);
	l.by_severity[KA_DIAG_INFO] = 3;
	assert_int_equal(ka_lint_exit_status(0, &l), 0);
	l.by_severity[KA_DIAG_WARNING] = 1;
	assert_int_equal(ka_lint_exit_status(0, &l), 1);
	ka_lint_free(NULL);
}

/* ------------------------------------------------------------------ */
/* duplicate VRIDs: one diagnostic per colliding instance (issue 13) */

struct dup_seen {
	size_t n;          /* duplicate-vrid findings */
	size_t errors;
	char names[64][16]; /* the instance each one is about */
};

static void lint_text(const char *text, struct ka_config *cfg, struct ka_lint *l)
{
	struct ka_parse_opts o = { .config_id = "node1" };

	ka_config_load_string(text, "dup.conf", &o, cfg);
	ka_lint_run(cfg, l);
}

/* Every duplicate-vrid finding, checking that none is about the same
 * instance twice and that each names want_other as the one collided with. */
static void dup_findings(const struct ka_lint *l, const char *want_other, struct dup_seen *s)
{
	char also[64];

	memset(s, 0, sizeof(*s));
	snprintf(also, sizeof(also), "also used by %s at", want_other);
	for (size_t i = 0; i < l->n; i++) {
		const struct ka_lint_finding *f = &l->f[i];

		if (strcmp(f->check, "duplicate-vrid"))
			continue;
		assert_non_null(f->instance);
		for (size_t k = 0; k < s->n && k < 64; k++)
			assert_string_not_equal(s->names[k], f->instance);
		if (want_other && !strstr(f->message, also)) {
			print_findings(l);
			fail_msg("%s does not name %s", f->message, want_other);
		}
		if (s->n < 64)
			snprintf(s->names[s->n], sizeof(s->names[0]), "%s", f->instance);
		s->n++;
		s->errors += f->severity == KA_DIAG_ERROR;
	}
}

static const struct ka_instance *inst_named(const struct ka_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_inst; i++) {
		if (!strcmp(cfg->inst[i].name, name))
			return &cfg->inst[i];
	}
	fail_msg("no instance %s", name);
	return NULL;
}

static void test_duplicate_vrid_once(void **state)
{
	struct ka_config cfg;
	struct ka_lint l;
	struct dup_seen s;
	char text[8192] = "";

	(void)state;
	/* ten on one VRID and group, plus one on another interface */
	for (int i = 0; i < 10; i++) {
		char b[256];

		snprintf(b, sizeof(b), "vrrp_instance VI_%d {\n  interface eth0\n  virtual_router_id 7\n"
			 VIP4("198.18.2.%d") "}\n", i, i + 1);
		strcat(text, b);
	}
	strcat(text, "vrrp_instance OTHER {\n  interface eth1\n  virtual_router_id 7\n"
		     VIP4("198.18.3.1") "}\n");
	lint_text(text, &cfg, &l);
	dup_findings(&l, "VI_0", &s);
	assert_int_equal(s.n, 9);   /* not 45: one per instance after the first */
	assert_int_equal(s.errors, 9);
	for (int i = 0; i < 10; i++) {
		char n[16];

		snprintf(n, sizeof(n), "VI_%d", i);
		assert_true(inst_named(&cfg, n)->rejected);
	}
	assert_false(inst_named(&cfg, "OTHER")->rejected);
	ka_lint_free(&l);
	ka_config_free(&cfg);
}

/* Unicast conflicts are not transitive: C shares a peer with A and one
 * with B, A and B share none. One finding (C's, naming A); all three
 * refuse to start, B too, although no finding is about B. */
static void test_duplicate_vrid_unicast(void **state)
{
	struct ka_config cfg;
	struct ka_lint l;
	struct dup_seen s;

	(void)state;
	lint_text(INST("A", "  virtual_router_id 9\n  unicast_peer {\n    198.18.0.1\n  }\n" VIP4("198.18.1.1"))
		  INST("B", "  virtual_router_id 9\n  unicast_peer {\n    198.18.0.2\n  }\n" VIP4("198.18.1.2"))
		  INST("C", "  virtual_router_id 9\n  unicast_peer {\n    198.18.0.2\n    198.18.0.1\n    198.18.0.2\n  }\n"
			    VIP4("198.18.1.3")),
		  &cfg, &l);
	dup_findings(&l, "A", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.names[0], "C");
	assert_true(inst_named(&cfg, "A")->rejected);
	assert_true(inst_named(&cfg, "B")->rejected);
	assert_true(inst_named(&cfg, "C")->rejected);
	ka_lint_free(&l);
	ka_config_free(&cfg);

	/* a sure collision wins over an earlier doubtful one: C (local
	 * address given) is an error naming B (same address), not a warning
	 * naming A (interface address) */
	lint_text(INST("A", "  virtual_router_id 9\n  unicast_peer {\n    198.18.0.1\n  }\n" VIP4("198.18.1.1"))
		  INST("B", "  virtual_router_id 9\n  unicast_src_ip 198.18.0.5\n"
			    "  unicast_peer {\n    198.18.0.1\n  }\n" VIP4("198.18.1.2"))
		  INST("C", "  virtual_router_id 9\n  unicast_src_ip 198.18.0.5\n"
			    "  unicast_peer {\n    198.18.0.1\n  }\n" VIP4("198.18.1.3")),
		  &cfg, &l);
	dup_findings(&l, NULL, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[0], "B"); /* warning: A may use 198.18.0.5 */
	assert_string_equal(s.names[1], "C");
	assert_int_equal(s.errors, 1);
	assert_false(inst_named(&cfg, "A")->rejected);
	assert_true(inst_named(&cfg, "B")->rejected);
	assert_true(inst_named(&cfg, "C")->rejected);
	for (size_t i = 0; i < l.n; i++) {
		if (!strcmp(l.f[i].check, "duplicate-vrid") && !strcmp(l.f[i].instance, "C"))
			assert_non_null(strstr(l.f[i].message, "also used by B at"));
	}
	ka_lint_free(&l);
	ka_config_free(&cfg);
}

/* An instance without interface meets those on every interface. */
static void test_duplicate_vrid_no_interface(void **state)
{
	struct ka_config cfg;
	struct ka_lint l;
	struct dup_seen s;

	(void)state;
	lint_text("vrrp_instance E0 {\n  interface eth0\n  virtual_router_id 5\n" VIP4("198.18.1.1") "}\n"
		  "vrrp_instance E1 {\n  interface eth1\n  virtual_router_id 5\n" VIP4("198.18.1.2") "}\n"
		  "vrrp_instance NONE {\n  virtual_router_id 5\n" VIP4("198.18.1.3") "}\n"
		  "vrrp_instance E2 {\n  interface eth2\n  virtual_router_id 5\n" VIP4("198.18.1.4") "}\n",
		  &cfg, &l);
	dup_findings(&l, NULL, &s);
	assert_int_equal(s.n, 2); /* NONE (naming E0) and E2 (naming NONE) */
	assert_string_equal(s.names[0], "NONE");
	assert_string_equal(s.names[1], "E2");
	assert_true(inst_named(&cfg, "E0")->rejected);
	assert_true(inst_named(&cfg, "E1")->rejected);
	assert_true(inst_named(&cfg, "E2")->rejected);
	ka_lint_free(&l);
	ka_config_free(&cfg);
}

/* Many instances: still one finding each (up to the reader's cap). */
static void test_duplicate_vrid_many(void **state)
{
	const int n = 3000;
	size_t len = (size_t)n * 160 + 1, off = 0;
	char *text = malloc(len);
	struct ka_config cfg;
	struct ka_lint l;
	struct dup_seen s;

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < n; i++)
		off += (size_t)snprintf(text + off, len - off,
					"vrrp_instance I%d {\n  interface eth0\n  virtual_router_id %d\n"
					"  virtual_ipaddress {\n    10.%d.%d.1\n  }\n}\n",
					i, 1 + i % 10, i / 250, i % 250);
	lint_text(text, &cfg, &l);
	dup_findings(&l, NULL, &s);
	assert_int_equal(s.n, n - 10);
	ka_lint_free(&l);
	ka_config_free(&cfg);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_duplicate_vrid_once),
		cmocka_unit_test(test_duplicate_vrid_unicast),
		cmocka_unit_test(test_duplicate_vrid_no_interface),
		cmocka_unit_test(test_duplicate_vrid_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
