// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_report_config.c - the output of --show-config and --lint
 * (src/report/report_config.c), table-driven: a configuration, a way to print
 * it, the exact text expected. Each case is read from a string and from
 * a file (named keepalived.conf in both, so the output is the same).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kaconf/kaconf.h"
#include "kaconf/lint.h"
#include "report/report_config.h"
#include "kaconf/testutil.h"

enum how { TEXT, TEXT_VERBOSE, JSON, LINT_TEXT, LINT_TEXT_VERBOSE, LINT_JSON };

struct rcase {
	const char *name;
	const char *text;
	enum how how;
	const char *expect;
};

static const char two_instances[] =
	"vrrp_instance VI_1 {\n"
	"  state MASTER\n"
	"  interface eth0\n"
	"  virtual_router_id 51\n"
	"  advert_int 1\n"
	"  authentication {\n"
	"    auth_type PASS\n"
	"    auth_pass secret\n"
	"  }\n"
	"  virtual_ipaddress {\n"
	"    198.18.0.100/24 dev eth0 label eth0:1\n"
	"    198.18.0.101\n"
	"  }\n"
	"}\n"
	"vrrp_instance VI_6 {\n"
	"  interface eth1\n"
	"  virtual_router_id 52\n"
	"  priority 90\n"
	"  advert_int 0.5\n"
	"  nopreempt\n"
	"  unicast_src_ip fd00::1\n"
	"  unicast_peer {\n"
	"    fd00::2 min_ttl 250\n"
	"  }\n"
	"  virtual_ipaddress {\n"
	"    fe80::52\n"
	"    fd00::52/64\n"
	"  }\n"
	"  virtual_ipaddress_excluded {\n"
	"    fd00::53\n"
	"  }\n"
	"}\n";

static const char table_text[] =
	"INSTANCE  IFACE  FAMILY  VRID  VER  PRIO  INTERVAL  STATE   SENDS TO         DEFINED AT          ADDRESSES\n"
	"VI_1      eth0   ipv4    51    v2   255   1s        MASTER  224.0.0.18       keepalived.conf:1   198.18.0.100/24,198.18.0.101\n"
	"VI_6      eth1   ipv6    52    v3   90    0.50s     BACKUP  unicast:fd00::2  keepalived.conf:15  fe80::52,fd00::52/64\n";

static const char details_text[] =
	"\n"
	"VI_1 (keepalived.conf:1)\n"
	"    interface eth0, IPv4, VRID 51, VRRPv2, priority 255 (not set: state MASTER makes it 255), advert interval 1s\n"
	"    sends to 224.0.0.18 from the interface address\n"
	"    state MASTER, preempt, preempt_delay 0s, accept on, strict off, auth pass\n"
	"    use_vmac off, v3_checksum_as_v2 off, old_unicast_checksum auto, check_unicast_src off, skip_check_adv_addr off\n"
	"    virtual_ipaddress (2):\n"
	"      198.18.0.100/24 dev eth0 label eth0:1  (keepalived.conf:11)\n"
	"      198.18.0.101/32  (keepalived.conf:12)\n"
	"\n"
	"VI_6 (keepalived.conf:15)\n"
	"    interface eth1, IPv6, VRID 52, VRRPv3, priority 90, advert interval 0.50s\n"
	"    unicast to fd00::2 (ttl 250-255) from fd00::1\n"
	"    state BACKUP, nopreempt, preempt_delay 0s, accept on, strict off, auth none\n"
	"    use_vmac off, v3_checksum_as_v2 off, old_unicast_checksum auto, check_unicast_src on, skip_check_adv_addr off\n"
	"    virtual_ipaddress (2):\n"
	"      fe80::52/128  (keepalived.conf:26)\n"
	"      fd00::52/64  (keepalived.conf:27)\n"
	"    virtual_ipaddress_excluded (1):\n"
	"      fd00::53/128  (keepalived.conf:30)\n";

/* the design's "instance" record: its fields first, then more */
static const char json_text[] =
	"{\"type\":\"instance\",\"name\":\"VI_1\",\"interface\":\"eth0\",\"family\":\"ipv4\",\"vrid\":51,"
	"\"version\":2,\"priority\":255,\"interval_cs\":100,\"addresses\":[\"198.18.0.100\",\"198.18.0.101\"],"
	"\"file\":\"keepalived.conf\",\"line\":1,\"state\":\"MASTER\",\"priority_set\":false,"
	"\"priority_tracked\":false,\"priority_low\":255,\"priority_high\":255,\"nopreempt\":false,"
	"\"preempt_delay_s\":0,\"accept\":true,\"strict\":false,\"unicast\":false,\"mcast_dst\":\"224.0.0.18\","
	"\"unicast_src\":null,\"unicast_peers\":[],\"auth_type\":\"pass\",\"use_vmac\":false,"
	"\"v3_checksum_as_v2\":false,\"old_unicast_checksum\":\"auto\",\"check_unicast_src\":false,"
	"\"skip_check_adv_addr\":false,\"sync_group\":null,\"excluded_addresses\":[],\"fault\":false,"
	"\"rejected\":false}\n"
	"{\"type\":\"instance\",\"name\":\"VI_6\",\"interface\":\"eth1\",\"family\":\"ipv6\",\"vrid\":52,"
	"\"version\":3,\"priority\":90,\"interval_cs\":50,\"addresses\":[\"fe80::52\",\"fd00::52\"],"
	"\"file\":\"keepalived.conf\",\"line\":15,\"state\":\"BACKUP\",\"priority_set\":true,"
	"\"priority_tracked\":false,\"priority_low\":90,\"priority_high\":90,\"nopreempt\":true,"
	"\"preempt_delay_s\":0,\"accept\":true,\"strict\":false,\"unicast\":true,\"mcast_dst\":null,"
	"\"unicast_src\":\"fd00::1\",\"unicast_peers\":[\"fd00::2\"],\"auth_type\":\"none\",\"use_vmac\":false,"
	"\"v3_checksum_as_v2\":false,\"old_unicast_checksum\":\"auto\",\"check_unicast_src\":true,"
	"\"skip_check_adv_addr\":false,\"sync_group\":null,\"excluded_addresses\":[\"fd00::53\"],\"fault\":false,"
	"\"rejected\":false}\n";

static const char lint_master[] =
	"keepalived.conf:2: warning: (VI_1) state MASTER without priority: keepalived runs it at priority 255 "
	"(address owner), which always wins and cannot be preempted; give a priority below 255 unless this "
	"node owns the addresses [master-without-priority]\n";

static const char problems[] =
	"vrrp_instance P {\n"
	"  interface eth0\n"
	"  virtual_router_id 7\n"
	"  advert_int 1.5\n"
	"  bogus_keyword 1\n"
	"  virtual_ipaddress {\n"
	"    198.18.7.1 'x\\y'\n"
	"  }\n"
	"}\n"
	"vrrp_instance Q {\n"
	"  interface eth0\n"
	"  virtual_router_id 7\n"
	"  virtual_ipaddress {\n"
	"    198.18.7.2\n"
	"  }\n"
	"}\n";

static const char problems_text[] =
	"keepalived.conf:4: warning: (P) VRRPv2 advert interval 1.5s is not a multiple of 1s: keepalived rounds it to 2s [advert-int-rounded]\n"
	"keepalived.conf:7: warning: unknown option ''x\\y'' for ip address 198.18.7.1: keepalived ignores it [vip-option]\n"
	"keepalived.conf:12: error: (Q) VRID 7 on eth0 for IPv4 224.0.0.18 is also used by P at keepalived.conf:1: keepalived refuses to start the VRRP process [duplicate-vrid]\n"
	"keepalived.conf: warning: 1 unknown keyword ignored by keepalived (-v lists them) [unknown-keyword]\n"
	"keepalived.conf: 1 error, 3 warnings\n";

static const char problems_verbose[] =
	"keepalived.conf:4: warning: (P) VRRPv2 advert interval 1.5s is not a multiple of 1s: keepalived rounds it to 2s [advert-int-rounded]\n"
	"keepalived.conf:5: warning: unknown keyword 'bogus_keyword' in vrrp_instance: keepalived ignores the line [unknown-keyword]\n"
	"keepalived.conf:7: warning: unknown option ''x\\y'' for ip address 198.18.7.1: keepalived ignores it [vip-option]\n"
	"keepalived.conf:12: error: (Q) VRID 7 on eth0 for IPv4 224.0.0.18 is also used by P at keepalived.conf:1: keepalived refuses to start the VRRP process [duplicate-vrid]\n"
	"keepalived.conf: 1 error, 3 warnings\n";

static const char problems_json[] =
	"{\"type\":\"lint\",\"severity\":\"warning\",\"check\":\"advert-int-rounded\",\"file\":\"keepalived.conf\","
	"\"line\":4,\"instance\":\"P\",\"message\":\"(P) VRRPv2 advert interval 1.5s is not a multiple of 1s: "
	"keepalived rounds it to 2s\"}\n"
	"{\"type\":\"lint\",\"severity\":\"warning\",\"check\":\"unknown-keyword\",\"file\":\"keepalived.conf\","
	"\"line\":5,\"instance\":null,\"message\":\"unknown keyword 'bogus_keyword' in vrrp_instance: keepalived "
	"ignores the line\"}\n"
	"{\"type\":\"lint\",\"severity\":\"warning\",\"check\":\"vip-option\",\"file\":\"keepalived.conf\","
	"\"line\":7,\"instance\":null,\"message\":\"unknown option ''x\\\\y'' for ip address 198.18.7.1: "
	"keepalived ignores it\"}\n"
	"{\"type\":\"lint\",\"severity\":\"error\",\"check\":\"duplicate-vrid\",\"file\":\"keepalived.conf\","
	"\"line\":12,\"instance\":\"Q\",\"message\":\"(Q) VRID 7 on eth0 for IPv4 224.0.0.18 is also used by P at "
	"keepalived.conf:1: keepalived refuses to start the VRRP process\"}\n"
	"{\"type\":\"lint_summary\",\"config\":\"keepalived.conf\",\"errors\":1,\"warnings\":3,\"notes\":0}\n";

static const char notes_only[] =
	"vrrp_instance R {\n  interface eth0\n  virtual_router_id ${_RANDOM 5 5}\n"
	"  priority 150\n  virtual_ipaddress {\n    198.18.9.1\n  }\n}\n";

static const char rejected[] =
	"vrrp_instance NOVRID {\n  interface eth0\n  virtual_ipaddress {\n    198.18.9.1\n  }\n}\n"
	"vrrp_instance F {\n  interface eth0\n  virtual_router_id 9\n  unicast_fault_no_peer\n"
	"  virtual_ipaddress {\n    198.18.9.2\n  }\n}\n";

static const char tracked[] =
	"vrrp_script chk {\n  script \"/bin/true\"\n  weight -30\n}\n"
	"vrrp_instance T {\n  interface eth0\n  virtual_router_id 9\n  priority 120\n"
	"  track_script {\n    chk\n  }\n  virtual_ipaddress {\n    198.18.9.9\n  }\n}\n";

static const char tracked_verbose[] =
	"INSTANCE  IFACE  FAMILY  VRID  VER  PRIO  INTERVAL  STATE   SENDS TO    DEFINED AT         ADDRESSES\n"
	"T         eth0   ipv4    9     v2   120   1s        BACKUP  224.0.0.18  keepalived.conf:5  198.18.9.9\n"
	"\n"
	"T (keepalived.conf:5)\n"
	"    interface eth0, IPv4, VRID 9, VRRPv2, priority 120 (tracking moves it within 90-120), advert interval 1s\n"
	"    sends to 224.0.0.18 from the interface address\n"
	"    state BACKUP, preempt, preempt_delay 0s, accept on, strict off, auth none\n"
	"    use_vmac off, v3_checksum_as_v2 off, old_unicast_checksum auto, check_unicast_src off, skip_check_adv_addr off\n"
	"    virtual_ipaddress (1):\n"
	"      198.18.9.9/32  (keepalived.conf:13)\n";

static const struct rcase cases[] = {
	{ "tracked priority", tracked, TEXT_VERBOSE, tracked_verbose },
	{ "table", two_instances, TEXT, table_text },
	{ "json", two_instances, JSON, json_text },
	{ "lint one warning", two_instances, LINT_TEXT, NULL },
	{ "lint text", problems, LINT_TEXT, problems_text },
	{ "lint text verbose", problems, LINT_TEXT_VERBOSE, problems_verbose },
	{ "lint json", problems, LINT_JSON, problems_json },
	{ "lint clean with notes", notes_only, LINT_TEXT, "keepalived.conf: no problems found (-v shows notes)\n" },
	{ "lint notes verbose", notes_only, LINT_TEXT_VERBOSE,
	  "keepalived.conf:3: info: ${_RANDOM} is a different number on every keepalived start; shown here: 5 [random]\n"
	  "keepalived.conf: no problems found\n" },
	{ "no instances", "global_defs {\n  router_id x\n}\n", TEXT, "no vrrp_instance found\n" },
	{ "no instances json", "", JSON, "" },
	{ "rejected and fault", rejected, TEXT,
	  "INSTANCE  IFACE  FAMILY  VRID  VER  PRIO  INTERVAL  STATE     SENDS TO    DEFINED AT         ADDRESSES\n"
	  "NOVRID    eth0   ipv4    0     v2   100   1s        REJECTED  224.0.0.18  keepalived.conf:1  198.18.9.1\n"
	  "F         eth0   ipv4    9     v2   100   1s        FAULT     224.0.0.18  keepalived.conf:7  198.18.9.2\n" },
};

static char *render(const struct rcase *c, enum tu_mode m)
{
	struct ka_parse_opts opts = { .config_id = "node1" };
	struct ka_config cfg;
	struct ka_lint l;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	tu_load(m, c->text, NULL, &opts, true, &cfg);
	ka_lint_run(&cfg, &l);
	switch (c->how) {
	case TEXT:
	case TEXT_VERBOSE:
		ka_report_instances_text(f, &cfg, c->how == TEXT_VERBOSE);
		break;
	case JSON:
		ka_report_instances_json(f, &cfg);
		break;
	case LINT_TEXT:
	case LINT_TEXT_VERBOSE:
		ka_report_lint_text(f, "keepalived.conf", &l, c->how == LINT_TEXT_VERBOSE);
		break;
	case LINT_JSON:
		ka_report_lint_json(f, "keepalived.conf", &l);
		break;
	}
	fclose(f);
	ka_lint_free(&l);
	ka_config_free(&cfg);
	return out;
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int m = TU_STRING; m <= TU_FILE; m++) {
			char *out = render(&cases[i], (enum tu_mode)m);
			const char *want = cases[i].expect;
			char buf[2048];

			if (!want) {
				snprintf(buf, sizeof(buf), "%skeepalived.conf: 0 errors, 1 warning\n", lint_master);
				want = buf;
			}
			if (strcmp(out, want))
				fprintf(stderr, "case %s (%s):\n--- got\n%s--- want\n%s---\n", cases[i].name,
					tu_mode_name((enum tu_mode)m), out, want);
			assert_string_equal(out, want);
			free(out);
		}
	}
}

static void test_verbose_details(void **state)
{
	struct rcase c = { "verbose", two_instances, TEXT_VERBOSE, NULL };

	(void)state;
	for (int m = TU_STRING; m <= TU_FILE; m++) {
		char *out = render(&c, (enum tu_mode)m);
		size_t n = strlen(table_text);

		assert_memory_equal(out, table_text, n);
		assert_string_equal(out + n, details_text);
		/* the password is never printed */
		assert_null(strstr(out, "secret"));
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_verbose_details),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
