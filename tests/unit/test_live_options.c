// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the live capture options (options.c: -i, --backend, --xdp-mode, --duration)
 * and of the messages for bad options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "settings/options.h"

static enum vw_parse_result parse(struct vw_options *o, char *err, size_t len, ...)
{
	char *argv[32] = {"vrrpwatch"};
	int argc = 1;
	va_list ap;
	FILE *out = fopen("/dev/null", "w"), *e = fmemopen(err, len, "w");

	va_start(ap, len);
	for (char *a; (a = va_arg(ap, char *)) && argc < 31;)
		argv[argc++] = a;
	va_end(ap);
	enum vw_parse_result r = vw_options_parse(argc, argv, o, out, e);
	fclose(out);
	fclose(e);
	return r;
}

static void test_live(void **state)
{
	struct vw_options o;
	char err[512] = "";

	(void)state;
	assert_int_equal(parse(&o, err, sizeof(err), "-i", "eth0", "--interface", "eth1",
			       "--backend", "pcap", "--duration", "30s", NULL),
			 VW_PARSE_OK);
	assert_int_equal(o.mode, VW_MODE_LIVE);
	assert_int_equal(o.n_ifaces, 2);
	assert_string_equal(o.ifaces[1], "eth1");
	assert_int_equal(o.backend, VW_BACKEND_PCAP);
	assert_int_equal(o.duration_ns, 30000000000ull);
	assert_int_equal(parse(&o, err, sizeof(err), "-i", "eth0", "--xdp-mode", "generic", NULL),
			 VW_PARSE_OK);
	assert_int_equal(o.xdp_mode, VW_XDP_GENERIC);
	assert_int_equal(o.backend, VW_BACKEND_AUTO);
}

/* -Z / --user and --no-seccomp (issue 13 item 1) */
static void test_privileges(void **state)
{
	struct vw_options o;
	char err[512] = "";

	(void)state;
	assert_int_equal(parse(&o, err, sizeof(err), "-i", "eth0", NULL), VW_PARSE_OK);
	assert_null(o.user);
	assert_false(o.no_seccomp);
	assert_int_equal(parse(&o, err, sizeof(err), "-i", "eth0", "-Z", "nobody", "--no-seccomp",
			       NULL),
			 VW_PARSE_OK);
	assert_string_equal(o.user, "nobody");
	assert_true(o.no_seccomp);
	assert_int_equal(parse(&o, err, sizeof(err), "-r", "x.pcap", "--user", "root", NULL),
			 VW_PARSE_OK);
	assert_string_equal(o.user, "root");
	assert_int_equal(parse(&o, err, sizeof(err), "-r", "x.pcap", "-Z", "", NULL),
			 VW_PARSE_ERROR);
}

static void test_live_errors(void **state)
{
	struct vw_options o;
	char err[512];

	(void)state;
	memset(err, 0, sizeof(err));
	assert_int_equal(parse(&o, err, sizeof(err), "-i", "eth0", "-r", "x.pcap", NULL),
			 VW_PARSE_ERROR);
	assert_non_null(strstr(err, "exclude"));
	assert_int_equal(parse(&o, err, sizeof(err), "--duration", "5s", "-r", "x.pcap", NULL),
			 VW_PARSE_ERROR);
	assert_int_equal(parse(&o, err, sizeof(err), "-i", "eth0", "--backend", "ebpf", NULL),
			 VW_PARSE_ERROR);
	assert_int_equal(parse(&o, err, sizeof(err), "-i", "eth0", "--xdp-mode", "hw", NULL),
			 VW_PARSE_ERROR);
	assert_int_equal(parse(&o, err, sizeof(err), "-i", "a/b", NULL), VW_PARSE_ERROR);
	assert_int_equal(parse(&o, err, sizeof(err), "-i", "eth0", "--lint", NULL),
			 VW_PARSE_ERROR);
	assert_int_equal(parse(&o, err, sizeof(err), "-i", "eth0", "--backend", "pcap",
			       "--xdp-mode", "native", NULL),
			 VW_PARSE_ERROR);
}

/* Each bad option: exactly one line, "vrrpwatch: ...", never getopt's own (argv[0]). */
static void test_option_errors(void **state)
{
	static const struct {
		const char *args[4];
		const char *line;
	} cases[] = {
		{{"-x"}, "vrrpwatch: unknown option -x (try --help)\n"},
		{{"-vx"}, "vrrpwatch: unknown option -x (try --help)\n"},
		{{"--json", "-vq"}, "vrrpwatch: unknown option -q (try --help)\n"},
		{{"--bogus"}, "vrrpwatch: unknown option --bogus (try --help)\n"},
		{{"--bogus=1", "-r", "x.pcap"}, "vrrpwatch: unknown option --bogus (try --help)\n"},
		{{"-r"}, "vrrpwatch: option -r needs an argument\n"},
		{{"--read"}, "vrrpwatch: option --read needs an argument\n"},
		{{"-r", "x.pcap", "--interval"}, "vrrpwatch: option --interval needs an argument\n"},
		{{"-r", "x.pcap", "--interv"}, "vrrpwatch: option --interval needs an argument\n"},
		{{"--json=yes", "-r", "x.pcap"}, "vrrpwatch: option --json takes no argument\n"},
		{{"--pro", "x"}, "vrrpwatch: option --pro is ambiguous (try --help)\n"},
	};
	struct vw_options o;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i].args;

		memset(err, 0, sizeof(err));
		assert_int_equal(parse(&o, err, sizeof(err), a[0], a[1], a[2], a[3]),
				 VW_PARSE_ERROR);
		assert_string_equal(err, cases[i].line);
	}
	/* an earlier parse that stopped inside "-vx" leaves nothing behind */
	assert_int_equal(parse(&o, err, sizeof(err), "-r", "x.pcap", "-v", NULL), VW_PARSE_OK);
	assert_int_equal(o.verbose, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_live_errors),
		cmocka_unit_test(test_privileges),
		cmocka_unit_test(test_option_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
