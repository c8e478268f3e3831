// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_report_prom.c - the Prometheus exposition (label escaping, order,
 * the cardinality caps, findings) and the atomic textfile writer's error
 * paths.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "config.h"
#include "prom/prom_file.h"
#include "prom/prom_text.h"
#include "prom/report_prom.h"

#define NS 1000000000ull
#define T0 (1767225600ull * NS)

/* --- building tables ------------------------------------------------------ */

struct fixture {
	struct vw_table t;
	struct vw_findings f;
	struct vw_report r;
	struct vw_prom_limits lim;
	char *out;
	size_t len;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	assert_int_equal(vw_table_init(&fx->t, 4096), 0);
	vw_findings_init(&fx->f);
	fx->r.table = &fx->t;
	fx->r.findings = &fx->f;
	vw_prom_limits_default(&fx->lim);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	vw_table_free(&fx->t);
	vw_findings_free(&fx->f);
	free(fx->out);
	free(fx);
	return 0;
}

struct adv {
	uint32_t seg;
	uint16_t vlan;
	uint8_t vrid, family, src, dir, priority;
	unsigned packets;
};

static void add(struct fixture *fx, const struct adv *d)
{
	static const uint8_t frame[64] = {0x21, 1, 100, 1, 0, 1, 0, 0, 198, 18, 0, 100};
	struct vw_advert a = {
		.verdict = VW_ADVERT,
		.family = d->family ? d->family : 4,
		.ttl = 255,
		.nvlan = d->vlan ? 1 : 0,
		.vlan = {d->vlan, 0},
		.src_mac = {2, 0, 0, 0, 0, d->src},
		.ip_len = 40,
		.vrrp_off = 0,
		.vrrp_len = 12,
		.version = 2,
		.type = 1,
		.vrid = d->vrid,
		.priority = d->priority ? d->priority : 100,
		.naddr = 1,
		.interval_cs = 100,
	};
	struct vw_obs_key k;

	if (a.family == 4) {
		memcpy(a.src, (uint8_t[]){198, 18, 0, d->src}, 4);
		memcpy(a.dst, (uint8_t[]){224, 0, 0, 18}, 4);
	} else {
		memcpy(a.src, (uint8_t[]){0xfe, 0x80, [15] = d->src}, 16);
		memcpy(a.dst, (uint8_t[]){0xff, 0x02, [15] = 0x12}, 16);
	}
	vw_key_from_advert(&k, d->seg, d->dir ? VW_DIR_TX : VW_DIR_RX, &a);
	for (unsigned i = 0; i < (d->packets ? d->packets : 1); i++)
		assert_non_null(vw_table_add_advert(&fx->t, &k, &a, frame, T0 + i * NS));
}

static uint32_t segment(struct fixture *fx, const char *name)
{
	int id = vw_table_add_segment(&fx->t, name, NULL, 0, 1, true);

	assert_true(id > 0);
	return (uint32_t)id;
}

static const char *render(struct fixture *fx)
{
	free(fx->out);
	assert_int_equal(vw_report_prom_buf(&fx->r, &fx->lim, &fx->out, &fx->len), 0);
	assert_int_equal(strlen(fx->out), fx->len);
	return fx->out;
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* --- label escaping ------------------------------------------------------- */

static const char *escaped(const char *s, void (*fn)(FILE *, const char *))
{
	static char buf[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	fn(f, s);
	fclose(f);
	return buf;
}

static void test_label_escaping(void **state)
{
	(void)state;
	assert_string_equal(escaped("a\"b\\c\nd", vw_prom_escape_label), "a\\\"b\\\\c\\nd");
	assert_string_equal(escaped("tab\there", vw_prom_escape_label), "tab\there");
	/* valid UTF-8 passes: é, €, an emoji */
	assert_string_equal(escaped("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", vw_prom_escape_label),
			    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* a stray byte, an overlong '/', a surrogate, a truncated sequence */
	assert_string_equal(escaped("x\xffy", vw_prom_escape_label), "x\xef\xbf\xbdy");
	assert_string_equal(escaped("\xc0\xaf", vw_prom_escape_label),
			    "\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(escaped("\xed\xa0\x80", vw_prom_escape_label),
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(escaped("\xe2\x82", vw_prom_escape_label),
			    "\xef\xbf\xbd\xef\xbf\xbd");
	/* HELP escapes backslash and newline only */
	assert_string_equal(escaped("a\\b\n\"c\"", vw_prom_escape_help), "a\\\\b\\n\"c\"");
}

static void test_interface_label_escaped(void **state)
{
	struct fixture *fx = *state;

	uint32_t seg = segment(fx, "eth0");

	/* the table keeps names printable; the reporter escapes on its own all the same */
	snprintf(fx->t.segments[seg - 1].name, VW_SEGMENT_NAME_MAX, "%s", "we\"ird\\if\n\xff");
	add(fx, &(struct adv){.seg = seg, .vrid = 7, .src = 1});
	const char *out = render(fx);
	assert_non_null(strstr(out, "interface=\"we\\\"ird\\\\if\\n\xef\xbf\xbd\""));
	assert_null(strstr(out, "\xff"));
}

static void test_numbers(void **state)
{
	char b[VW_PROM_NUM_MAX];

	(void)state;
	assert_string_equal(vw_prom_fixed(150, 2, b, sizeof(b)), "1.5");
	assert_string_equal(vw_prom_fixed(100, 2, b, sizeof(b)), "1");
	assert_string_equal(vw_prom_fixed(5, 2, b, sizeof(b)), "0.05");
	assert_string_equal(vw_prom_fixed(25500, 2, b, sizeof(b)), "255");
	assert_string_equal(vw_prom_fixed(1795613360904661000ull, 9, b, sizeof(b)),
			    "1795613360.904661");
	assert_string_equal(vw_prom_fixed(0, 9, b, sizeof(b)), "0");
	assert_string_equal(vw_prom_u64(UINT64_MAX, b, sizeof(b)), "18446744073709551615");
}

/* --- structure and order -------------------------------------------------- */

static const char *const families[] = {
	"vrrpwatch_build_info gauge",
	"vrrpwatch_segment_info gauge",
	"vrrpwatch_advertiser_adverts_total counter",
	"vrrpwatch_advertiser_bytes_total counter",
	"vrrpwatch_advertiser_priority gauge",
	"vrrpwatch_advertiser_interval_seconds gauge",
	"vrrpwatch_advertiser_last_seen_timestamp_seconds gauge",
	"vrrpwatch_domain_advertisers gauge",
	"vrrpwatch_domain_address_advertisers gauge",
	"vrrpwatch_finding_active gauge",
	"vrrpwatch_findings_total counter",
	"vrrpwatch_rejected_frames_total counter",
	"vrrpwatch_vip_claims_total counter",
	"vrrpwatch_vip_claimers gauge",
	"vrrpwatch_vip_holder_info gauge",
	"vrrpwatch_table_evictions_total counter",
	"vrrpwatch_map_evictions_total counter",
	"vrrpwatch_ring_buffer_losses_total counter",
	"vrrpwatch_capture_dropped_frames_total counter",
	"vrrpwatch_export_overflow gauge",
};

static void test_families_in_order_with_help(void **state)
{
	struct fixture *fx = *state;
	const char *out = render(fx); /* an empty table: every family still there */
	const char *p = out;
	char line[128];

	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		const char *name_end = strchr(families[i], ' ');
		snprintf(line, sizeof(line), "# HELP %.*s ", (int)(name_end - families[i]),
			 families[i]);
		const char *help = strstr(p, line);
		assert_non_null(help);
		snprintf(line, sizeof(line), "\n# TYPE %s\n", families[i]);
		const char *type = strstr(help, line);
		assert_non_null(type);
		assert_null(memchr(help, '\n', (size_t)(type - help))); /* HELP, then TYPE */
		p = type + 1;
	}
	assert_int_equal(count(out, "# TYPE "), sizeof(families) / sizeof(families[0]));
	assert_non_null(strstr(out, "vrrpwatch_build_info{version=\"" VRRPWATCH_VERSION "\"} 1\n"));
	assert_non_null(strstr(out, "\nvrrpwatch_table_evictions_total 0\n"));
}

static void test_series_order_is_stable(void **state)
{
	struct fixture *fx = *state;
	uint32_t b = segment(fx, "b0"), a = segment(fx, "a0");

	/* inserted out of order; printed by interface, VLAN, VRID, family, source */
	add(fx, &(struct adv){.seg = b, .vrid = 1, .src = 1});
	add(fx, &(struct adv){.seg = a, .vrid = 3, .src = 2});
	add(fx, &(struct adv){.seg = a, .vrid = 3, .src = 1});
	add(fx, &(struct adv){.seg = a, .vrid = 2, .family = 6, .src = 1});
	add(fx, &(struct adv){.seg = a, .vrid = 2, .src = 9});
	add(fx, &(struct adv){.seg = a, .vlan = 10, .vrid = 1, .src = 1});
	const char *out = render(fx);
	const char *want[] = {
		"segment=\"a0\",interface=\"a0\",vlan=\"\",family=\"ipv4\",vrid=\"2\",source=\"198.18.0.9\"",
		"segment=\"a0\",interface=\"a0\",vlan=\"\",family=\"ipv6\",vrid=\"2\",source=\"fe80::1\"",
		"segment=\"a0\",interface=\"a0\",vlan=\"\",family=\"ipv4\",vrid=\"3\",source=\"198.18.0.1\"",
		"segment=\"a0\",interface=\"a0\",vlan=\"\",family=\"ipv4\",vrid=\"3\",source=\"198.18.0.2\"",
		"segment=\"a0\",interface=\"a0\",vlan=\"10\",family=\"ipv4\",vrid=\"1\",source=\"198.18.0.1\"",
		"segment=\"b0\",interface=\"b0\",vlan=\"\",family=\"ipv4\",vrid=\"1\",source=\"198.18.0.1\"",
	};
	const char *p = strstr(out, "\nvrrpwatch_advertiser_adverts_total{");
	for (size_t i = 0; i < 6; i++) {
		const char *q = strstr(p, want[i]);
		assert_non_null(q);
		assert_true(q >= p);
		p = q;
	}
	char *first = strdup(out);
	out = render(fx);
	assert_string_equal(out, first); /* byte for byte */
	free(first);
	assert_non_null(strstr(out, "vrrpwatch_domain_advertisers{segment=\"a0\",interface=\"a0\",vlan=\"\","
				    "family=\"ipv4\",vrid=\"3\"} 2\n"));
	assert_non_null(strstr(out, ",direction=\"rx\",source_mac=\"02:00:00:00:00:09\","
				    "destination=\"224.0.0.18\"} 1\n"));
	assert_null(strstr(out, "} 1 1")); /* no timestamps */
}

/* Two captures with one interface name: one label set, so one series. */
static void test_same_labels_merge(void **state)
{
	struct fixture *fx = *state;

	add(fx, &(struct adv){.seg = segment(fx, "capture.pcap"), .vrid = 5, .src = 1, .packets = 3});
	add(fx, &(struct adv){.seg = segment(fx, "capture.pcap"), .vrid = 5, .src = 1, .packets = 4});
	const char *out = render(fx);
	assert_int_equal(count(out, "\nvrrpwatch_advertiser_adverts_total{"), 1);
	assert_non_null(strstr(out, "destination=\"224.0.0.18\"} 7\n"));
	assert_non_null(strstr(out, "vrrpwatch_advertiser_bytes_total{segment=\"capture.pcap\",interface=\"capture.pcap\""));
}

static void test_rejects_summed_over_vlans(void **state)
{
	struct fixture *fx = *state;
	uint32_t s = segment(fx, "eth0");
	struct vw_advert a = {.family = 4, .nvlan = 1, .vlan = {100}};

	assert_int_equal(vw_table_add_reject(&fx->t, s, &a, VW_R_BAD_TTL, T0), 0);
	a.vlan[0] = 200;
	assert_int_equal(vw_table_add_reject(&fx->t, s, &a, VW_R_BAD_TTL, T0), 0);
	assert_int_equal(vw_table_add_reject(&fx->t, s, &a, VW_R_CARP, T0), 0);
	const char *out = render(fx);
	assert_non_null(strstr(out, "vrrpwatch_rejected_frames_total{interface=\"eth0\","
				    "reason=\"bad_ttl\"} 2\n"
				    "vrrpwatch_rejected_frames_total{interface=\"eth0\","
				    "reason=\"carp\"} 1\n"));
}

/* --- the caps ------------------------------------------------------------- */

static void test_cap_per_domain(void **state)
{
	struct fixture *fx = *state;
	uint32_t s = segment(fx, "eth0");
	char want[128];

	for (unsigned i = 1; i <= 20; i++) /* source i sends i adverts */
		add(fx, &(struct adv){.seg = s, .vrid = 9, .src = (uint8_t)i, .packets = i});
	fx->lim.max_per_domain = 4;
	const char *out = render(fx);
	assert_int_equal(count(out, "\nvrrpwatch_advertiser_priority{"), 4);
	for (unsigned i = 17; i <= 20; i++) { /* the busiest stay */
		snprintf(want, sizeof(want), "source=\"198.18.0.%u\",direction=\"rx\"", i);
		assert_int_equal(count(out, want), 5);
	}
	assert_null(strstr(out, "source=\"198.18.0.16\""));
	assert_non_null(strstr(out, "vrid=\"9\"} 20\n")); /* domain_advertisers: all */
	assert_non_null(strstr(out, "vrrpwatch_export_overflow{what=\"advertisers\"} 16\n"));
	assert_non_null(strstr(out, "vrrpwatch_export_overflow{what=\"domains\"} 0\n"));
}

static void test_cap_domains_and_total(void **state)
{
	struct fixture *fx = *state;
	uint32_t s = segment(fx, "eth0");

	for (unsigned v = 1; v <= 10; v++) /* VRID v: two sources, 10 * v adverts each */
		for (uint8_t src = 1; src <= 2; src++)
			add(fx, &(struct adv){.seg = s, .vrid = (uint8_t)v, .src = src,
					      .packets = 10 * v});
	fx->lim.max_domains = 3;
	const char *out = render(fx);
	assert_int_equal(count(out, "\nvrrpwatch_domain_advertisers{"), 3);
	assert_non_null(strstr(out, "vrid=\"8\"} 2\n"));
	assert_non_null(strstr(out, "vrid=\"10\"} 2\n"));
	assert_null(strstr(out, "vrid=\"7\""));
	assert_non_null(strstr(out, "vrrpwatch_export_overflow{what=\"domains\"} 7\n"));
	assert_non_null(strstr(out, "vrrpwatch_export_overflow{what=\"advertisers\"} 14\n"));

	fx->lim.max_domains = 1024;
	fx->lim.max_advertisers = 5;
	out = render(fx);
	assert_int_equal(count(out, "\nvrrpwatch_advertiser_adverts_total{"), 5);
	assert_int_equal(count(out, "\nvrrpwatch_domain_advertisers{"), 10);
	assert_non_null(strstr(out, "vrrpwatch_export_overflow{what=\"advertisers\"} 15\n"));
	/* VRID 10 and 9 (both sources) and the first of VRID 8: most adverts, then order */
	assert_non_null(strstr(out, "vrid=\"8\",source=\"198.18.0.1\""));
	assert_null(strstr(out, "vrid=\"8\",source=\"198.18.0.2\""));
}

/* A flood of spoofed sources in one domain costs at most the cap in series. */
static void test_flood_is_bounded(void **state)
{
	struct fixture *fx = *state;
	uint32_t s = segment(fx, "eth0");

	add(fx, &(struct adv){.seg = s, .vrid = 51, .src = 1, .packets = 100}); /* the master */
	for (unsigned i = 0; i < 3000; i++) {
		struct adv d = {.seg = s, .vlan = (uint16_t)(1 + i % 50), .vrid = (uint8_t)(1 + i % 255),
				.src = (uint8_t)(2 + i % 250)};
		add(fx, &d);
	}
	const char *out = render(fx);
	assert_true(count(out, "\nvrrpwatch_advertiser_adverts_total{") <= VW_PROM_MAX_ADVERTISERS);
	assert_true(count(out, "\nvrrpwatch_domain_advertisers{") <= VW_PROM_MAX_DOMAINS);
	/* one segment whatever the flood: the label is the interface's, not the frames' */
	assert_int_equal(count(out, "\nvrrpwatch_segment_info{"), 1);
	assert_int_equal(count(out, "segment=\"eth0\""), count(out, "interface=\"eth0\""));
	assert_true(count(out, "\nvrrpwatch_domain_address_advertisers{") <=
		    VW_PROM_MAX_DOMAINS * VW_PROM_MAX_ADDRESSES);
	assert_non_null(strstr(out, "vrid=\"51\",source=\"198.18.0.1\",direction=\"rx\","
				    "source_mac=\"02:00:00:00:00:01\",destination=\"224.0.0.18\"} 100\n"));
}

/* --- findings ------------------------------------------------------------- */

static void raise_finding(struct fixture *fx, enum vw_kind kind, enum vw_severity sev,
			  uint8_t vrid, const char *receivers, bool event)
{
	struct vw_finding f;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.severity = sev;
	f.d.segment = 1;
	f.d.family = 4;
	f.d.vrid = vrid;
	snprintf(f.d.receivers, sizeof(f.d.receivers), "%s", receivers);
	snprintf(f.interface, sizeof(f.interface), "eth0");
	f.event = event;
	assert_int_equal(vw_findings_raise(&fx->f, &f), 0);
}

static void test_findings_stay_present(void **state)
{
	struct fixture *fx = *state;

	vw_findings_begin_tick(&fx->f);
	raise_finding(fx, VW_K_VRID_COLLISION, VW_SEV_CRITICAL, 51, "224.0.0.18", false);
	raise_finding(fx, VW_K_MULTIPLE_MASTERS, VW_SEV_CRITICAL, 52, "224.0.0.18", false);
	raise_finding(fx, VW_K_MASTER_CHANGED, VW_SEV_INFO, 52, "224.0.0.18", true);
	vw_findings_end_tick(&fx->f);
	/* next tick: the split brain is over, the collision holds on a second group too */
	vw_findings_begin_tick(&fx->f);
	raise_finding(fx, VW_K_VRID_COLLISION, VW_SEV_CRITICAL, 51, "224.0.0.18", false);
	raise_finding(fx, VW_K_VRID_COLLISION, VW_SEV_CRITICAL, 51, "224.0.0.99", false);
	vw_findings_end_tick(&fx->f);

#define lab                                                                       \
	"{kind=\"%s\",severity=\"%s\",segment=\"eth0\",interface=\"eth0\",vlan=\"\",family=\"ipv4\","        \
	"vrid=\"%u\"} %u\n"
	const char *out = render(fx);
	char want[256];
	snprintf(want, sizeof(want), lab, "vrid_collision", "critical", 51, 1);
	assert_int_equal(count(out, want), 1); /* active, and two in total: one series each */
	snprintf(want, sizeof(want), lab, "vrid_collision", "critical", 51, 2);
	assert_int_equal(count(out, want), 1);
	snprintf(want, sizeof(want), lab, "multiple_masters", "critical", 52, 0);
	assert_non_null(strstr(out, want)); /* closed: still there, at 0 */
	snprintf(want, sizeof(want), lab, "master_changed", "info", 52, 0);
	assert_non_null(strstr(out, want)); /* an event is never active... */
	snprintf(want, sizeof(want), lab, "master_changed", "info", 52, 1);
	assert_non_null(strstr(out, want)); /* ...but counted */
	assert_int_equal(count(out, "\nvrrpwatch_finding_active{"), 3);

	fx->lim.max_findings = 1; /* the cap keeps the most severe */
	out = render(fx);
	assert_int_equal(count(out, "\nvrrpwatch_finding_active{"), 1);
	assert_non_null(strstr(out, "vrrpwatch_finding_active{kind=\"vrid_collision\""));
	assert_non_null(strstr(out, "vrrpwatch_export_overflow{what=\"findings\"} 2\n"));
}

static void test_segment_finding_has_empty_labels(void **state)
{
	struct fixture *fx = *state;
	struct vw_finding f = {.kind = VW_K_INVENTORY, .severity = VW_SEV_INFO};

	snprintf(f.interface, sizeof(f.interface), "eth1");
	assert_int_equal(vw_findings_raise(&fx->f, &f), 0);
	assert_non_null(strstr(render(fx), "vrrpwatch_finding_active{kind=\"inventory\","
					   "severity=\"info\",segment=\"eth1\",interface=\"eth1\",vlan=\"\","
					   "family=\"\",vrid=\"\"} 1\n"));
}

/* --- the segment label ---------------------------------------------------- */

static struct vw_prefix pfx(uint8_t family, const char *addr, uint8_t len)
{
	struct vw_prefix p = {.family = family, .len = len};

	assert_int_equal(inet_pton(family == 6 ? AF_INET6 : AF_INET, addr, p.addr), 1);
	return p;
}

static void test_segment_label_format(void **state)
{
	char b[VW_SEGMENT_LABEL_MAX];
	(void)state;

	/* networks, sorted, IPv4 first; host routes (a keepalived VIP), link-local
	 * and duplicates (a second address of the subnet) left out */
	struct vw_prefix p[] = {
		pfx(6, "2001:db8:1::5", 64), pfx(4, "198.18.0.2", 24), pfx(4, "198.18.0.100", 32),
		pfx(6, "fe80::1", 64),       pfx(4, "198.18.0.7", 24), pfx(4, "10.1.2.3", 16),
		pfx(4, "169.254.1.1", 16),
	};
	vw_segment_label_format(p, 7, 0, "eth0", b, sizeof(b));
	assert_string_equal(b, "10.1.0.0/16 198.18.0.0/24 2001:db8:1::/64");
	struct vw_prefix q[] = {pfx(4, "198.18.0.1", 24)};
	vw_segment_label_format(q, 1, 100, "eth0.100", b, sizeof(b));
	assert_string_equal(b, "198.18.0.0/24 vlan 100");
	/* no prefix: the interface name (and VLAN) */
	vw_segment_label_format(NULL, 0, 7, "eth0.7", b, sizeof(b));
	assert_string_equal(b, "eth0.7 vlan 7");
	struct vw_prefix host[] = {pfx(4, "198.18.0.100", 32)};
	vw_segment_label_format(host, 1, 0, "eth1", b, sizeof(b));
	assert_string_equal(b, "eth1");
	/* many prefixes: bounded, the rest counted */
	struct vw_prefix many[40];
	char a[32];
	for (unsigned i = 0; i < 40; i++) {
		snprintf(a, sizeof(a), "2001:db8:%x::1", 0x1000 + i);
		many[i] = pfx(6, a, 64);
	}
	vw_segment_label_format(many, 40, 4094, "eth2", b, sizeof(b));
	assert_true(strlen(b) < VW_SEGMENT_LABEL_MAX);
	assert_non_null(strstr(b, "2001:db8:1000::/64 "));
	assert_non_null(strstr(b, " +"));
	assert_non_null(strstr(b, " vlan 4094"));
}

static void test_segment_names(void **state)
{
	struct fixture *fx = *state;
	struct vw_segment_names g = {.all = "lab1", .iface = {"eth1"}, .name = {"lab9"}, .n = 1};

	fx->t.seg_names = &g;
	uint32_t e0 = segment(fx, "eth0"), e1 = segment(fx, "eth1");
	vw_table_set_segment_label(&fx->t, e0, "198.18.0.0/24"); /* --segment wins */
	add(fx, &(struct adv){.seg = e0, .vrid = 5, .src = 1});
	add(fx, &(struct adv){.seg = e1, .vrid = 5, .src = 2});
	raise_finding(fx, VW_K_VRID_COLLISION, VW_SEV_CRITICAL, 5, "224.0.0.18", false);
	const char *out = render(fx);
	assert_non_null(strstr(out, "vrrpwatch_segment_info{segment=\"lab1\",interface=\"eth0\"} 1\n"));
	assert_non_null(strstr(out, "vrrpwatch_segment_info{segment=\"lab9\",interface=\"eth1\"} 1\n"));
	assert_non_null(strstr(out, "vrrpwatch_domain_advertisers{segment=\"lab9\",interface=\"eth1\","));
	assert_non_null(strstr(out, "vrrpwatch_finding_active{kind=\"vrid_collision\","
				    "severity=\"critical\",segment=\"lab1\",interface=\"eth0\","));
	assert_non_null(strstr(out, "vrrpwatch_domain_address_advertisers{segment=\"lab1\","
				    "interface=\"eth0\",vlan=\"\",family=\"ipv4\",vrid=\"5\","
				    "address=\"198.18.0.100\"} 1\n"));
	assert_string_equal(vw_table_segment_label_for(&fx->t, "eth1"), "lab9");
	assert_string_equal(vw_table_segment_label_for(&fx->t, "eth5"), "lab1");
	/* without --segment: the derived label, else the name */
	fx->t.seg_names = NULL;
	uint32_t e2 = segment(fx, "eth2");
	assert_string_equal(vw_segment_label(&fx->t, e2), "eth2");
	vw_table_set_segment_label(&fx->t, e2, "198.18.1.0/24 vlan 3");
	assert_string_equal(vw_segment_label(&fx->t, e2), "198.18.1.0/24 vlan 3");
}

/* --- the atomic writer ---------------------------------------------------- */

static char tmpdir[64];

static int mk_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vw-prom-test.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int rm_tmpdir(void **state)
{
	char cmd[128];

	(void)state;
	chmod(tmpdir, 0700);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *path_in(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	return p;
}

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void test_write_replaces_whole(void **state)
{
	char *p = path_in("vrrpwatch.prom");
	struct stat st;

	(void)state;
	umask(077); /* node_exporter reads it as another user: 0644 whatever the umask */
	assert_int_equal(vw_prom_file_check(p), 0);
	assert_int_equal(vw_prom_file_write(p, "a 1\n", 4), 0);
	assert_string_equal(slurp(p), "a 1\n");
	assert_int_equal(vw_prom_file_write(p, "b 2\n", 4), 0);
	assert_string_equal(slurp(p), "b 2\n");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(entries(tmpdir), 1); /* no temporary file left */
	umask(022);
}

static void test_write_missing_dir(void **state)
{
	char *p = path_in("nonexistent/vrrpwatch.prom");
	char msg[512];
	FILE *f = fmemopen(msg, sizeof(msg), "w");

	(void)state;
	assert_int_equal(vw_prom_file_check(p), -ENOENT);
	assert_int_equal(vw_prom_file_write(p, "x\n", 2), -ENOENT);
	vw_prom_file_perror(f, p, -ENOENT);
	fclose(f);
	assert_non_null(strstr(msg, "nonexistent does not exist"));
	assert_int_equal(count(msg, "\n"), 1); /* one line */
	assert_int_equal(entries(tmpdir), 0);
}

static void test_write_not_a_directory(void **state)
{
	char file[256];

	(void)state;
	snprintf(file, sizeof(file), "%s", path_in("plain"));
	assert_int_equal(vw_prom_file_write(file, "x\n", 2), 0);
	assert_int_equal(vw_prom_file_check(path_in("plain/vrrpwatch.prom")), -ENOTDIR);
	assert_int_equal(vw_prom_file_write(path_in("plain/vrrpwatch.prom"), "x\n", 2), -ENOTDIR);
	/* the path is a directory: refused before anything is written */
	assert_int_equal(mkdir(path_in("adir"), 0755), 0);
	assert_int_equal(vw_prom_file_check(path_in("adir")), -EISDIR);
	assert_int_equal(vw_prom_file_write(path_in("adir"), "x\n", 2), -EISDIR);
	assert_int_equal(vw_prom_file_check(path_in("adir/")), -EISDIR);
	assert_int_equal(vw_prom_file_check(""), -ENOENT);
	assert_int_equal(entries(tmpdir), 2);
}

/*
 * An unwritable directory.  Root writes anywhere, so as root the check
 * runs in a child that gave up root first.
 */
static int unwritable_child(const char *dir)
{
	char p[256], msg[512];
	FILE *f = fmemopen(msg, sizeof(msg), "w");

	snprintf(p, sizeof(p), "%s/vrrpwatch.prom", dir);
	if (geteuid() == 0 && (setgid(65534) || setuid(65534)))
		return 10;
	if (vw_prom_file_check(p) != -EACCES)
		return 11;
	if (vw_prom_file_write(p, "new\n", 4) != -EACCES)
		return 12;
	vw_prom_file_perror(f, p, -EACCES);
	fclose(f);
	if (!strstr(msg, "cannot create files in directory"))
		return 13;
	return 0;
}

static void test_write_unwritable_dir(void **state)
{
	char *p = path_in("vrrpwatch.prom");
	int status;

	(void)state;
	assert_int_equal(vw_prom_file_write(p, "old\n", 4), 0);
	assert_int_equal(chmod(tmpdir, 0555), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (!pid)
		_exit(unwritable_child(tmpdir));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(chmod(tmpdir, 0700), 0);
	assert_string_equal(slurp(p), "old\n"); /* a failed write leaves the old file */
	assert_int_equal(entries(tmpdir), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test_setup_teardown(test_interface_label_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_families_in_order_with_help, setup, teardown),
		cmocka_unit_test_setup_teardown(test_series_order_is_stable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_labels_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rejects_summed_over_vlans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_per_domain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_domains_and_total, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_is_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings_stay_present, setup, teardown),
		cmocka_unit_test_setup_teardown(test_segment_finding_has_empty_labels, setup,
						teardown),
		cmocka_unit_test(test_segment_label_format),
		cmocka_unit_test_setup_teardown(test_segment_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_replaces_whole, mk_tmpdir, rm_tmpdir),
		cmocka_unit_test_setup_teardown(test_write_missing_dir, mk_tmpdir, rm_tmpdir),
		cmocka_unit_test_setup_teardown(test_write_not_a_directory, mk_tmpdir, rm_tmpdir),
		cmocka_unit_test_setup_teardown(test_write_unwritable_dir, mk_tmpdir, rm_tmpdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
