// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vip_claims.c - who holds the virtual addresses (issue 11): the claim
 * decoder (src/shared/vip_claim.h), the table (src/model/vip_claims.c) and
 * the rules (src/detect/rules_vips.c), on frames built here and fed through
 * the capture ingest with its 1 s ticks, as a replay does.
 *
 * Addresses: 198.18.0.0/15 and fd00::/8 only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "capture/ingest.h"
#include "detect/detector.h"
#include "model/obs_table.h"

#define NS_PER_MS 1000000ull
#define T0 (1760000000ull * 1000000000ull)

static const uint8_t MAC_A[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t MAC_B[6] = {2, 0, 0, 0, 0, 2};
static const uint8_t MAC_R[6] = {2, 0, 0, 0, 0, 0x66}; /* the rogue */
static const uint8_t MAC_H[6] = {2, 0, 0, 0, 0, 0x77}; /* a host that asks */

struct frame {
	uint8_t b[128];
	uint32_t len;
	uint64_t ms;
};

struct run {
	struct vw_table t;
	struct vw_ingest in;
	struct vw_detector d;
	struct frame f[512];
	size_t n;
	int seg;
};

static uint16_t csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void ip4(const char *s, uint8_t *out)
{
	assert_int_equal(inet_pton(AF_INET, s, out), 1);
}

static void ip6(const char *s, uint8_t *out)
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static struct frame *add(struct run *r, uint64_t ms)
{
	assert_true(r->n < sizeof(r->f) / sizeof(r->f[0]));
	struct frame *f = &r->f[r->n++];
	memset(f, 0, sizeof(*f));
	f->ms = ms;
	return f;
}

static void eth(uint8_t *p, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = (uint8_t)(type >> 8);
	p[13] = (uint8_t)type;
}

/* A VRRPv2 advert for one address. */
static void advert(struct run *r, uint64_t ms, const uint8_t *mac, const char *src, int prio,
		   const char *vip)
{
	static const uint8_t mcast[6] = {1, 0, 0x5e, 0, 0, 0x12};
	struct frame *f = add(r, ms);
	uint8_t *ip = f->b + 14, *v = ip + 20;

	eth(f->b, mcast, mac, 0x0800);
	ip[0] = 0x45;
	ip[3] = 20 + 20;
	ip[8] = 255;
	ip[9] = 112;
	ip4(src, ip + 12);
	ip4("224.0.0.18", ip + 16);
	v[0] = 0x21;
	v[1] = 51;
	v[2] = (uint8_t)prio;
	v[3] = 1;
	v[5] = 1;
	ip4(vip, v + 8);
	uint16_t c = csum(v, 20, 0);
	v[6] = (uint8_t)(c >> 8);
	v[7] = (uint8_t)c;
	f->len = 14 + 40;
}

static void arp(struct run *r, uint64_t ms, int op, const uint8_t *sha, const char *spa,
		const char *tpa)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	struct frame *f = add(r, ms);
	uint8_t *a = f->b + 14;

	eth(f->b, bcast, sha, 0x0806);
	a[1] = 1;
	a[2] = 8;
	a[4] = 6;
	a[5] = 4;
	a[7] = (uint8_t)op;
	memcpy(a + 8, sha, 6);
	ip4(spa, a + 14);
	ip4(tpa, a + 24);
	f->len = 14 + 28;
}

/* A VRRPv3 IPv6 advert (its checksum is not computed: flagged, still an advert). */
static void advert6(struct run *r, uint64_t ms, const uint8_t *mac, const char *src, int prio,
		    const char *vip)
{
	static const uint8_t mcast[6] = {0x33, 0x33, 0, 0, 0, 0x12};
	struct frame *f = add(r, ms);
	uint8_t *ip = f->b + 14, *v = ip + 40;

	eth(f->b, mcast, mac, 0x86dd);
	ip[0] = 0x60;
	ip[5] = 8 + 16;
	ip[6] = 112;
	ip[7] = 255;
	ip6(src, ip + 8);
	ip6("ff02::12", ip + 24);
	v[0] = 0x31;
	v[1] = 51;
	v[2] = (uint8_t)prio;
	v[3] = 1;
	v[5] = 100;
	ip6(vip, v + 8);
	f->len = 14 + 40 + 24;
}

/* An NA (type 136) or NS (135) for target, with a link-layer option. */
static void nd(struct run *r, uint64_t ms, int type, bool solicited, const uint8_t *mac,
	       const char *src, const char *target)
{
	static const uint8_t mcast[6] = {0x33, 0x33, 0, 0, 0, 1};
	struct frame *f = add(r, ms);
	uint8_t *ip = f->b + 14, *m = ip + 40;

	eth(f->b, mcast, mac, 0x86dd);
	ip[0] = 0x60;
	ip[5] = 32;
	ip[6] = 58;
	ip[7] = 255;
	ip6(src, ip + 8);
	ip6("ff02::1", ip + 24);
	m[0] = (uint8_t)type;
	m[4] = type == 136 ? (uint8_t)(0x20 | (solicited ? 0x40 : 0)) : 0;
	ip6(target, m + 8);
	m[24] = type == 136 ? 2 : 1;
	m[25] = 1;
	memcpy(m + 26, mac, 6);
	f->len = 14 + 40 + 32;
}

static void on_tick(void *ctx, uint64_t now)
{
	struct run *r = ctx;

	vw_detector_tick(&r->d, &r->t, now);
}

static int cmp_frames(const void *a, const void *b)
{
	const struct frame *x = a, *y = b;

	return x->ms < y->ms ? -1 : x->ms > y->ms;
}

static void setup_run(struct run *r)
{
	struct vw_detector_opts o = {0};

	memset(r, 0, sizeof(*r));
	assert_int_equal(vw_table_init(&r->t, 0), 0);
	r->seg = vw_table_add_segment(&r->t, "eth0", NULL, 1, 1, true);
	assert_true(r->seg > 0);
	assert_int_equal(vw_detector_init(&r->d, &o), 0);
	vw_ingest_init(&r->in, &r->t, 1000 * NS_PER_MS, on_tick, r);
}

static void play(struct run *r)
{
	qsort(r->f, r->n, sizeof(r->f[0]), cmp_frames);
	for (size_t i = 0; i < r->n; i++) {
		struct vw_frame fr = {
			.data = r->f[i].b,
			.caplen = r->f[i].len,
			.wirelen = r->f[i].len,
			.ts_ns = T0 + r->f[i].ms * NS_PER_MS,
			.link = VW_LINK_ETHERNET,
			.segment = (uint32_t)r->seg,
			.dir_hint = -1,
		};
		vw_ingest_frame(&r->in, &fr);
	}
	vw_detector_tick(&r->d, &r->t, r->t.last_ns + 1);
	vw_detector_settle(&r->d);
}

static void free_run(struct run *r)
{
	vw_detector_free(&r->d);
	vw_ingest_free(&r->in);
	vw_table_free(&r->t);
}

/* The vip_* findings of kind k (any severity); the first in *out. */
static unsigned count_kind(const struct run *r, enum vw_kind k, const struct vw_finding **out)
{
	unsigned n = 0;

	for (size_t i = 0; i < r->d.findings.n; i++)
		if (r->d.findings.v[i].kind == k) {
			if (!n && out)
				*out = &r->d.findings.v[i];
			n++;
		}
	return n;
}

static unsigned vip_findings(const struct run *r)
{
	unsigned n = 0;

	for (enum vw_kind k = VW_K_VIP_FOREIGN_CLAIM; k <= VW_K_VIP_CLAIM_WITHOUT_MASTER; k++)
		n += count_kind(r, k, NULL);
	return n;
}

static void print_findings(const struct run *r)
{
	for (size_t i = 0; i < r->d.findings.n; i++)
		print_message("  %s %s: %s\n", vw_kind_name(r->d.findings.v[i].kind),
			      r->d.findings.v[i].subject, r->d.findings.v[i].message);
}

/* Router A master for [from, to) ms, every second. */
static void adverts(struct run *r, const uint8_t *mac, const char *src, int prio, int from,
		    int to)
{
	for (int t = from; t < to; t += 1000)
		advert(r, r->n ? (uint64_t)t : (uint64_t)t, mac, src, prio, "198.18.0.100");
}

/* ------------------------------------------------------------------ */

static void test_decode_kinds(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	struct vw_claim_keys ks;
	struct vw_l2 l2 = {0};
	uint8_t mac[6], own[16];
	(void)state;

	arp(r, 0, 1, MAC_A, "198.18.0.100", "198.18.0.100"); /* arping -U */
	arp(r, 0, 2, MAC_A, "198.18.0.100", "198.18.0.100"); /* arping -A */
	arp(r, 0, 2, MAC_A, "198.18.0.100", "198.18.0.50");  /* a reply */
	arp(r, 0, 1, MAC_A, "198.18.0.100", "198.18.0.50");  /* the holder asks */
	arp(r, 0, 1, MAC_H, "0.0.0.0", "198.18.0.100");      /* a probe */
	nd(r, 0, 136, false, MAC_A, "fe80::1", "fd00::100");
	nd(r, 0, 136, true, MAC_A, "fe80::1", "fd00::100");
	nd(r, 0, 135, false, MAC_H, "fe80::77", "fd00::100");
	static const struct {
		int has_claim, has_ask, kind, has_own;
	} want[] = {
		{1, 0, VW_CLAIM_GARP, 0},         {1, 0, VW_CLAIM_GARP, 0},
		{1, 0, VW_CLAIM_REPLY, 1},        {1, 1, VW_CLAIM_REQUEST, 1},
		{0, 1, 0, 0},                     {1, 0, VW_CLAIM_NA_UNSOLICITED, 1},
		{1, 0, VW_CLAIM_NA_SOLICITED, 1}, {0, 1, 0, 1},
	};
	for (size_t i = 0; i < r->n; i++) {
		const uint8_t *end = r->f[i].b + r->f[i].len;
		assert_int_equal(vw_decode_link(r->f[i].b, end, VW_LINK_ETHERNET, &l2), 0);
		assert_false(vw_may_be_vrrp(&l2, end));
		assert_true(vw_may_be_claim(&l2, end));
		memset(&ks, 0xa5, sizeof(ks)); /* every byte of a key is built */
		assert_int_equal(vw_claim_keys_of(&l2, end, 7, &ks), 1);
		assert_int_equal(ks.has_claim, want[i].has_claim);
		assert_int_equal(ks.has_ask, want[i].has_ask);
		if (ks.has_claim) {
			assert_int_equal(ks.claim.kind, want[i].kind);
			assert_int_equal(ks.claim.ifindex, 7);
			assert_memory_equal(ks.claim.mac, MAC_A, 6);
		}
		if (ks.has_ask) {
			static const uint8_t zero[6];
			assert_int_equal(ks.ask.kind, VW_CLAIM_ASK);
			assert_memory_equal(ks.ask.mac, zero, 6);
			assert_int_equal(ks.ask.vlan[0] | ks.ask.vlan[1], 0);
		}
		/* the sender named by its own address; the NS by its source MAC */
		assert_int_equal(vw_claim_sender(&l2, &ks, mac, own), want[i].has_own);
		if (i == 7)
			assert_memory_equal(mac, MAC_H, 6);
	}
	/* cut short: nothing */
	assert_int_equal(vw_decode_link(r->f[0].b, r->f[0].b + 30, VW_LINK_ETHERNET, &l2), 0);
	assert_int_equal(vw_claim_keys_of(&l2, r->f[0].b + 30, 7, &ks), 0);
	free(r);
}

/* Only watched addresses are counted; asks have no MAC. */
static void test_watched_only(void **state)
{
	struct run *r = malloc(sizeof(*r));
	(void)state;

	setup_run(r);
	arp(r, 100, 1, MAC_A, "198.18.0.100", "198.18.0.100"); /* before any advert */
	adverts(r, MAC_A, "198.18.0.1", 100, 1000, 5000);
	arp(r, 1500, 1, MAC_A, "198.18.0.100", "198.18.0.100");
	arp(r, 1600, 1, MAC_H, "198.18.0.77", "198.18.0.100");
	arp(r, 1700, 2, MAC_A, "198.18.0.100", "198.18.0.77");
	arp(r, 1800, 1, MAC_H, "198.18.0.77", "198.18.0.9"); /* not watched */
	play(r);
	const struct vw_vip_claims *v = &r->t.vips;
	assert_int_equal(v->n_rows, 3);
	assert_int_equal(v->arp_frames, 5);
	struct vw_claim_key k = {.ifindex = (uint32_t)r->seg, .family = 4, .kind = VW_CLAIM_GARP};
	ip4("198.18.0.100", k.addr);
	memcpy(k.mac, MAC_A, 6);
	assert_non_null(vw_vips_find(v, &k));
	assert_int_equal(vw_vips_find(v, &k)->val.count, 1);
	k.kind = VW_CLAIM_ASK;
	memset(k.mac, 0, 6);
	assert_non_null(vw_vips_find(v, &k));
	const struct vw_claim_host *h = vw_vips_host_of(v, MAC_H);
	assert_non_null(h);
	assert_null(vw_vips_capture_note(&r->t));
	assert_int_equal(vip_findings(r), 0);
	free_run(r);
	free(r);
}

static void test_healthy(void **state)
{
	struct run *r = malloc(sizeof(*r));
	(void)state;

	setup_run(r);
	adverts(r, MAC_A, "198.18.0.1", 150, 0, 20000);
	for (int t = 500; t < 3000; t += 500)
		arp(r, (uint64_t)t, 1, MAC_A, "198.18.0.100", "198.18.0.100");
	for (int t = 5000; t < 15000; t += 1000) {
		arp(r, (uint64_t)t, 1, MAC_H, "198.18.0.77", "198.18.0.100");
		arp(r, (uint64_t)t + 1, 2, MAC_A, "198.18.0.100", "198.18.0.77");
	}
	play(r);
	if (vip_findings(r))
		print_findings(r);
	assert_int_equal(vip_findings(r), 0);
	free_run(r);
	free(r);
}

static void test_foreign(void **state)
{
	struct run *r = malloc(sizeof(*r));
	const struct vw_finding *f = NULL;
	(void)state;

	setup_run(r);
	adverts(r, MAC_A, "198.18.0.1", 150, 0, 20000);
	arp(r, 500, 1, MAC_A, "198.18.0.100", "198.18.0.100");
	arp(r, 9000, 1, MAC_R, "198.18.0.66", "198.18.0.1"); /* the rogue's own */
	for (int t = 10000; t < 13000; t += 1000)
		arp(r, (uint64_t)t, 1, MAC_R, "198.18.0.100", "198.18.0.100");
	play(r);
	assert_int_equal(count_kind(r, VW_K_VIP_FOREIGN_CLAIM, &f), 1);
	assert_int_equal(f->severity, VW_SEV_CRITICAL);
	assert_true(f->open);
	assert_non_null(strstr(f->message, "02:00:00:00:00:66"));
	assert_non_null(strstr(f->advice, "02:00:00:00:00:66"));
	assert_non_null(strstr(f->advice, "198.18.0.66"));
	assert_int_equal(f->first_ns, T0 + 10000 * NS_PER_MS);
	/* the rogue announced last, and the master did not answer it */
	assert_int_equal(count_kind(r, VW_K_VIP_STALE_CLAIM, NULL), 1);
	free_run(r);
	free(r);
}

static void test_split(void **state)
{
	struct run *r = malloc(sizeof(*r));
	const struct vw_finding *f = NULL;
	(void)state;

	setup_run(r);
	adverts(r, MAC_A, "198.18.0.1", 150, 0, 20000);
	for (int t = 5000; t < 15000; t += 1000) {
		arp(r, (uint64_t)t, 2, MAC_A, "198.18.0.100", "198.18.0.77");
		arp(r, (uint64_t)t + 2, 2, MAC_R, "198.18.0.100", "198.18.0.77");
	}
	play(r);
	assert_int_equal(count_kind(r, VW_K_VIP_SPLIT_CLAIM, &f), 1);
	assert_int_equal(f->severity, VW_SEV_CRITICAL);
	assert_non_null(strstr(f->message, "02:00:00:00:00:01"));
	assert_non_null(strstr(f->message, "02:00:00:00:00:66"));
	assert_int_equal(count_kind(r, VW_K_VIP_FOREIGN_CLAIM, NULL), 1);
	free_run(r);
	free(r);
}

/* A fails at 10 s; B takes over at 13.5 s: with and without its GARPs. */
static void failover(struct run *r, bool garp)
{
	setup_run(r);
	adverts(r, MAC_A, "198.18.0.1", 150, 0, 10000);
	for (int t = 500; t < 3000; t += 500)
		arp(r, (uint64_t)t, 1, MAC_A, "198.18.0.100", "198.18.0.100");
	adverts(r, MAC_B, "198.18.0.2", 100, 13500, 30000);
	if (garp)
		for (int t = 13510; t < 16000; t += 500)
			arp(r, (uint64_t)t, 1, MAC_B, "198.18.0.100", "198.18.0.100");
	play(r);
}

static void test_no_announcement(void **state)
{
	struct run *r = malloc(sizeof(*r));
	const struct vw_finding *f = NULL;
	(void)state;

	failover(r, false);
	assert_int_equal(count_kind(r, VW_K_VIP_NO_ANNOUNCEMENT, &f), 1);
	assert_int_equal(f->severity, VW_SEV_CRITICAL);
	assert_true(f->open);
	assert_non_null(strstr(f->message, "02:00:00:00:00:02"));
	assert_non_null(strstr(f->message, "02:00:00:00:00:01"));
	assert_non_null(strstr(f->advice, "port security"));
	/* one finding for one cause: no stale claim beside it */
	assert_int_equal(count_kind(r, VW_K_VIP_STALE_CLAIM, NULL), 0);
	free_run(r);
	free(r);
}

static void test_failover_healthy(void **state)
{
	struct run *r = malloc(sizeof(*r));
	(void)state;

	failover(r, true);
	if (vip_findings(r))
		print_findings(r);
	assert_int_equal(vip_findings(r), 0);
	free_run(r);
	free(r);
}

/*
 * B is master; A, of a higher priority, preempts it at 8.05 s and
 * announces the address.  B's kernel still holds the address for an
 * instant and answers A's gratuitous ARP (who-has .100 tell .100): seen in
 * a keepalived lab run, where B logged "Master received advert ... with
 * higher priority 150, ours 100" and "Entering BACKUP STATE" at the stamp
 * A entered MASTER.  With B quiet from then on it is a handover; with B
 * advertising on, two masters.
 */
static void preempt_with_reply(struct run *r, int b_until)
{
	setup_run(r);
	adverts(r, MAC_B, "198.18.0.2", 100, 0, b_until);
	for (int t = 500; t < 3000; t += 500)
		arp(r, (uint64_t)t, 1, MAC_B, "198.18.0.100", "198.18.0.100");
	adverts(r, MAC_A, "198.18.0.1", 150, 8050, 20000);
	for (int t = 8051; t < 8056; t++)
		arp(r, (uint64_t)t, 1, MAC_A, "198.18.0.100", "198.18.0.100");
	arp(r, 8052, 2, MAC_B, "198.18.0.100", "198.18.0.100");
	play(r);
}

static void test_preempt_old_master_replies(void **state)
{
	struct run *r = malloc(sizeof(*r));
	(void)state;

	preempt_with_reply(r, 8000);
	if (vip_findings(r))
		print_findings(r);
	assert_int_equal(vip_findings(r), 0);
	free_run(r);
	free(r);
}

static void test_preempt_refused_is_split(void **state)
{
	struct run *r = malloc(sizeof(*r));
	const struct vw_finding *f = NULL;
	(void)state;

	preempt_with_reply(r, 20000);
	assert_int_equal(count_kind(r, VW_K_VIP_SPLIT_CLAIM, &f), 1);
	assert_non_null(strstr(f->message, "02:00:00:00:00:01"));
	assert_non_null(strstr(f->message, "02:00:00:00:00:02"));
	free_run(r);
	free(r);
}

static void test_unanswered(void **state)
{
	struct run *r = malloc(sizeof(*r));
	const struct vw_finding *f = NULL;
	(void)state;

	setup_run(r);
	adverts(r, MAC_A, "198.18.0.1", 150, 0, 20000);
	arp(r, 500, 1, MAC_A, "198.18.0.100", "198.18.0.100");
	for (int t = 5000; t < 12000; t += 1000)
		arp(r, (uint64_t)t, 1, MAC_H, "198.18.0.77", "198.18.0.100");
	play(r);
	assert_int_equal(count_kind(r, VW_K_VIP_UNANSWERED, &f), 1);
	assert_int_equal(f->severity, VW_SEV_WARNING);
	assert_non_null(strstr(f->message, "ARP requests"));
	free_run(r);
	free(r);
}

static void test_stale(void **state)
{
	struct run *r = malloc(sizeof(*r));
	const struct vw_finding *f = NULL;
	(void)state;

	setup_run(r);
	adverts(r, MAC_A, "198.18.0.1", 150, 0, 25000);
	arp(r, 500, 1, MAC_A, "198.18.0.100", "198.18.0.100");
	/* B, a router of the VRID below A, announces once */
	advert(r, 9000, MAC_B, "198.18.0.2", 100, "198.18.0.100");
	arp(r, 9001, 1, MAC_B, "198.18.0.100", "198.18.0.100");
	play(r);
	assert_int_equal(count_kind(r, VW_K_VIP_STALE_CLAIM, &f), 1);
	assert_int_equal(f->severity, VW_SEV_WARNING);
	assert_non_null(strstr(f->message, "02:00:00:00:00:02"));
	assert_int_equal(count_kind(r, VW_K_VIP_FOREIGN_CLAIM, NULL), 0);
	free_run(r);
	free(r);
}

static void test_without_master(void **state)
{
	struct run *r = malloc(sizeof(*r));
	const struct vw_finding *f = NULL;
	(void)state;

	setup_run(r);
	adverts(r, MAC_A, "198.18.0.1", 150, 0, 5000);
	arp(r, 500, 1, MAC_A, "198.18.0.100", "198.18.0.100");
	for (int t = 15000; t < 20000; t += 1000)
		arp(r, (uint64_t)t, 2, MAC_A, "198.18.0.100", "198.18.0.77");
	play(r);
	assert_int_equal(count_kind(r, VW_K_VIP_CLAIM_WITHOUT_MASTER, &f), 1);
	assert_int_equal(f->severity, VW_SEV_WARNING);
	assert_int_equal(f->d.vrid, 51);
	free_run(r);
	free(r);
}

/* The lab's foreign_other_vips_higher: E uses the VRID for 198.18.0.150;
 * A's adverts, which E discards, keep restarting E's advert timer, so E
 * advertises in turns, here once in 6 s, and re-announces its address 5 s
 * after the first (garp_master_delay) while still master: a claim by a
 * router of the VRID in its episode, not one without a master. */
static void test_silenced_collision(void **state)
{
	struct run *r = malloc(sizeof(*r));
	(void)state;

	setup_run(r);
	adverts(r, MAC_A, "198.18.0.1", 150, 0, 20000);
	arp(r, 500, 1, MAC_A, "198.18.0.100", "198.18.0.100");
	for (int t = 6100; t < 20000; t += 6000) {
		advert(r, (uint64_t)t, MAC_R, "198.18.0.66", 200, "198.18.0.150");
		arp(r, (uint64_t)t + 1, 1, MAC_R, "198.18.0.150", "198.18.0.150");
		arp(r, (uint64_t)t + 5001, 1, MAC_R, "198.18.0.150", "198.18.0.150");
	}
	play(r);
	if (count_kind(r, VW_K_VIP_CLAIM_WITHOUT_MASTER, NULL))
		print_findings(r);
	assert_int_equal(count_kind(r, VW_K_VIP_CLAIM_WITHOUT_MASTER, NULL), 0);
	free_run(r);
	free(r);
}

static void test_ipv6_foreign(void **state)
{
	struct run *r = malloc(sizeof(*r));
	const struct vw_finding *f = NULL;
	(void)state;

	setup_run(r);
	for (int t = 0; t < 20000; t += 1000)
		advert6(r, (uint64_t)t, MAC_A, "fe80::1", 150, "fd00::100");
	nd(r, 500, 136, false, MAC_A, "fe80::1", "fd00::100");
	nd(r, 8000, 136, false, MAC_R, "fe80::66", "fd00::100");
	play(r);
	assert_int_equal(count_kind(r, VW_K_VIP_FOREIGN_CLAIM, &f), 1);
	assert_non_null(strstr(f->message, "02:00:00:00:00:66"));
	assert_non_null(strstr(f->advice, "fe80::66"));
	free_run(r);
	free(r);
}

static void test_capture_note(void **state)
{
	struct run *r = malloc(sizeof(*r));
	(void)state;

	setup_run(r);
	adverts(r, MAC_A, "198.18.0.1", 150, 0, 5000);
	play(r);
	assert_non_null(vw_vips_capture_note(&r->t));
	free_run(r);
	free(r);
}

/* The table's bounds: a flood of claimers costs rows up to the bound. */
static void test_bounds(void **state)
{
	struct vw_vip_claims v;
	struct vw_claim_key k = {.ifindex = 1, .family = 4, .kind = VW_CLAIM_GARP};
	uint8_t a[16] = {198, 18, 0, 100};
	(void)state;

	vw_vips_init(&v);
	assert_int_equal(vw_vips_watch(&v, 4, a, true), 0);
	memcpy(k.addr, a, 4);
	for (uint32_t i = 0; i < VW_VIP_MAX_ROWS + 10; i++) {
		k.mac[0] = 2;
		k.mac[3] = (uint8_t)(i >> 16);
		k.mac[4] = (uint8_t)(i >> 8);
		k.mac[5] = (uint8_t)i;
		vw_vips_count(&v, &k, 1);
	}
	assert_int_equal(v.n_rows, VW_VIP_MAX_ROWS);
	assert_int_equal(v.rows_refused, 10);
	for (uint32_t i = 0; i < VW_VIP_MAX_WATCH + 5; i++) {
		uint8_t b[16] = {198, 19, (uint8_t)(i >> 8), (uint8_t)i};
		vw_vips_watch(&v, 4, b, false);
	}
	assert_int_equal(v.n_watch, VW_VIP_MAX_WATCH);
	assert_true(vw_vips_watched(&v, 4, a));
	vw_vips_free(&v);
}

/* A row announcing addr (VRID 7 on segment 1), its list's hash hash,
 * merged into t as the live backends do. */
static struct vw_row *row_announcing(struct vw_table *t, const char *addr, uint32_t hash)
{
	struct vw_obs_key k = {.ifindex = 1, .vrid = 7, .family = 4};
	struct vw_obs_val v = {.packets = 1, .first_ns = T0, .last_ns = T0, .addr_hash = hash,
			       .interval_cs = 100, .priority = 100, .version = 2, .naddr = 1};
	uint8_t msg[VW_VRRP_HDR_LEN + 4] = {0x21, 7, 100, 1};

	assert_int_equal(inet_pton(AF_INET, addr, msg + VW_VRRP_HDR_LEN), 1);
	return vw_table_merge(t, &k, &v, msg, sizeof(msg));
}

static bool watched4(const struct vw_table *t, const char *addr)
{
	uint8_t a[16] = {0};

	assert_int_equal(inet_pton(AF_INET, addr, a), 1);
	return vw_vips_watched(&t->vips, 4, a);
}

/* vw_ingest_watch_row leaves out a row whose list it watched whole: a new
 * list is still watched, and an address the full watch table refuses is
 * tried, and counted, at every advert as before. */
static void test_watch_row_once(void **state)
{
	struct vw_table t;
	struct vw_row *r;
	uint8_t a[16] = {198, 19, 0, 0};

	(void)state;
	assert_int_equal(vw_table_init(&t, 0), 0);
	r = row_announcing(&t, "198.18.0.1", 1);
	vw_ingest_watch_row(&t, r);
	vw_ingest_watch_row(&t, r);
	assert_true(watched4(&t, "198.18.0.1"));
	r = row_announcing(&t, "198.18.0.2", 2); /* the same row, a new list */
	vw_ingest_watch_row(&t, r);
	assert_true(watched4(&t, "198.18.0.2"));
	while (t.vips.n_watch < VW_VIP_MAX_WATCH) {
		a[3]++;
		a[2] += !a[3];
		assert_int_equal(vw_vips_watch(&t.vips, 4, a, false), 0);
	}
	r = row_announcing(&t, "198.18.0.3", 3);
	vw_ingest_watch_row(&t, r);
	vw_ingest_watch_row(&t, r);
	assert_false(watched4(&t, "198.18.0.3"));
	assert_int_equal(t.vips.watch_refused, 2);
	vw_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_kinds),
		cmocka_unit_test(test_watched_only),
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_foreign),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_no_announcement),
		cmocka_unit_test(test_failover_healthy),
		cmocka_unit_test(test_preempt_old_master_replies),
		cmocka_unit_test(test_preempt_refused_is_split),
		cmocka_unit_test(test_unanswered),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_without_master),
		cmocka_unit_test(test_silenced_collision),
		cmocka_unit_test(test_ipv6_foreign),
		cmocka_unit_test(test_capture_note),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_watch_row_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
