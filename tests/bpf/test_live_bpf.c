// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_live_bpf.c - the live programs fill the maps with what offline
 * replay builds from the same frames.
 *
 * Every frame of every capture given runs, as Ethernet (cooked and raw IP
 * captures are given an Ethernet header), through the XDP ingress program
 * and, in a second pass, the TC egress program with BPF_PROG_TEST_RUN.
 * Each must return its pass verdict.  After each pass the live backend's
 * own code (ring buffer events, map reads, vw_table_merge) builds a table,
 * which must equal the table offline replay (vw_ingest_frame) builds from
 * the same bytes: the same advertisers with the same counters and last
 * fields and address lists, the same reject counts.  Times differ (packet
 * time against run time) and are not compared.
 *
 * Exit 77 (skip) where BPF cannot be loaded, unless VRRPWATCH_NO_SKIP.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decode_test.skel.h"
#include "capture/ingest.h"
#include "live/live_bpf_int.h"
#include "pcap_frames.h"
#include "test_skip.h"
#include "vrrpwatch.skel.h"
#include "vrrpwatch_tc.skel.h"

#define MAX_FRAME 70000
#define LO_IFINDEX 1 /* BPF_PROG_TEST_RUN runs as if on loopback */
#define TC_NEXT 0xffffffffu /* TC_ACT_UNSPEC: vrrpwatch_tc.bpf.c's verdict */

struct pass {
	int dir;                   /* VW_DIR_RX: XDP, VW_DIR_TX: TC */
	struct vw_live_bpf *b;
	struct decode_test *probe; /* tells how much of a frame XDP sees */
	struct vw_table offline;
	struct vw_ingest in;
	unsigned frames, skipped, bad;
	const char *file;
};

/* The frame as Ethernet; its length, 0 for a link type without IP. */
static uint32_t to_ethernet(const uint8_t *data, uint32_t len, int dlt, uint8_t *out)
{
	int link = vw_link_from_dlt(dlt);
	uint32_t hdr = 0;
	uint16_t type = 0;

	memset(out, 0, 14);
	switch (link) {
	case VW_LINK_ETHERNET:
		memcpy(out, data, len);
		return len;
	case VW_LINK_SLL: /* pkttype hatype halen addr[8] protocol */
		if (len < 16)
			return 0;
		if (data[4] == 0 && data[5] == 6)
			memcpy(out + 6, data + 6, 6);
		type = (uint16_t)(data[14] << 8 | data[15]);
		hdr = 16;
		break;
	case VW_LINK_SLL2: /* protocol reserved ifindex hatype pkttype halen addr[8] */
		if (len < 20)
			return 0;
		if (data[11] == 6)
			memcpy(out + 6, data + 12, 6);
		type = (uint16_t)(data[0] << 8 | data[1]);
		hdr = 20;
		break;
	case VW_LINK_RAW:
	case VW_LINK_IPV4:
	case VW_LINK_IPV6:
		if (len < 1)
			return 0;
		type = link == VW_LINK_IPV6 || (link == VW_LINK_RAW && data[0] >> 4 == 6) ? 0x86dd
											    : 0x0800;
		break;
	default:
		return 0;
	}
	out[12] = (uint8_t)(type >> 8);
	out[13] = (uint8_t)type;
	memcpy(out + 14, data + hdr, len - hdr);
	return len - hdr + 14;
}

/* How many bytes of the frame an XDP program reads directly. */
static uint32_t xdp_linear(struct pass *p, const uint8_t *f, uint32_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = 1);

	p->probe->bss->link_type = VW_LINK_ETHERNET;
	if (bpf_prog_test_run_opts(bpf_program__fd(p->probe->progs.decode_test), &o))
		return len;
	return p->probe->bss->linear_len < len ? p->probe->bss->linear_len : len;
}

static int run_bpf(struct pass *p, const uint8_t *f, uint32_t len, uint32_t *ret)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = 1);
	int fd = p->dir == VW_DIR_RX ? bpf_program__fd(p->b->xdp->progs.vw_xdp)
				     : bpf_program__fd(p->b->tc->progs.vw_tc_egress);

	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	*ret = o.retval;
	ring_buffer__consume(p->b->rb); /* as the live loop does between ticks */
	return 0;
}

static int one_frame(void *ctx, unsigned n, const uint8_t *data, uint32_t caplen, int dlt)
{
	static uint8_t eth[MAX_FRAME + 14];
	struct pass *p = ctx;
	uint32_t len = caplen <= MAX_FRAME ? to_ethernet(data, caplen, dlt, eth) : 0, ret = 0;

	if (len < 14) {
		p->skipped++;
		return 0;
	}
	int rc = run_bpf(p, eth, len, &ret);
	if (rc == -EINVAL && p->dir == VW_DIR_TX) {
		p->skipped++; /* larger than a TC test run takes (a page) */
		return 0;
	}
	if (rc) {
		fprintf(stderr, "FAIL %s frame %u: test run: %s\n", p->file, n, strerror(-rc));
		p->bad++;
		return 0;
	}
	if (ret != (p->dir == VW_DIR_RX ? XDP_PASS : TC_NEXT)) {
		fprintf(stderr, "FAIL %s frame %u: verdict %d, not pass\n", p->file, n, (int)ret);
		p->bad++;
	}
	struct vw_frame f = {
		.data = eth,
		/* XDP reads a long frame's first page only: replay sees that much */
		.caplen = p->dir == VW_DIR_RX ? xdp_linear(p, eth, len) : len,
		.wirelen = len,
		.ts_ns = 1000000000ull * (p->frames + 1),
		.link = VW_LINK_ETHERNET,
		.segment = 1,
		.dir_hint = p->dir == VW_DIR_TX ? VW_DIR_TX : -1,
	};
	vw_ingest_frame(&p->in, &f);
	p->frames++;
	return 0;
}

static struct pass *walk_pass;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *dot = strrchr(path, '.');
	char err[256];

	(void)st;
	/* All captures go through one table, so their frames must come in time
	 * order for the last-value fields (auth type, version changes) to mean
	 * the same on both sides: the lab's captures (pcaps/lab) were recorded
	 * days after the samples and reuse their sources, and would interleave
	 * out of order.  The decoder sees their frames in bpf_decode. */
	if (type == FTW_D && !strcmp(path + ftw->base, "lab"))
		return FTW_SKIP_SUBTREE;
	if (type != FTW_F || !dot || (strcmp(dot, ".pcap") && strcmp(dot, ".pcapng")))
		return 0;
	walk_pass->file = path;
	if (pcap_frames_each(path, one_frame, walk_pass, err, sizeof(err)) < 0)
		fprintf(stderr, "note: %s: %s\n", path, err); /* the damaged samples */
	return 0;
}

/* ---- comparing the tables --------------------------------------------------- */

static void key_str(const struct vw_obs_key *k, char *buf, size_t len)
{
	snprintf(buf, len, "VRID %u IPv%u vlan %u.%u src %u.%u.%u.%u.. dir %u", k->vrid, k->family,
		 k->vlan[0], k->vlan[1], k->src[0], k->src[1], k->src[2], k->src[3], k->dir);
}

#define SAME(field)                                                                         \
	do {                                                                                \
		if (a->val.field != b->val.field) {                                         \
			fprintf(stderr, "FAIL %s: %s: %s offline %llu, BPF %llu\n", what, ks,   \
				#field, (unsigned long long)a->val.field,                   \
				(unsigned long long)b->val.field);                          \
			bad++;                                                              \
		}                                                                           \
	} while (0)

static int compare_row(const char *what, const struct vw_row *a, const struct vw_row *b)
{
	char ks[160];
	int bad = 0;

	key_str(&a->key, ks, sizeof(ks));
	SAME(packets);
	SAME(bytes);
	SAME(priority);
	SAME(version);
	SAME(interval_cs);
	SAME(addr_hash);
	SAME(naddr);
	SAME(auth_type);
	SAME(csum_variant);
	SAME(csum_seen);
	SAME(ttl);
	SAME(flags_seen);
	SAME(prio_changes);
	SAME(addr_changes);
	SAME(interval_changes);
	SAME(version_changes);
	SAME(bad_ttl);
	SAME(bad_csum);
	SAME(prio0);
	for (unsigned i = 0; i < a->val.naddr; i++) {
		const uint8_t *x = vw_row_address(a, i), *y = vw_row_address(b, i);
		if (!x != !y || (x && memcmp(x, y, a->key.family == 6 ? 16 : 4))) {
			fprintf(stderr, "FAIL %s: %s: address %u differs\n", what, ks, i);
			bad++;
			break;
		}
	}
	return bad;
}

static int compare_rejects(const char *what, const struct vw_table *u, const struct vw_table *k)
{
	int bad = 0;

	if (u->n_rejects != k->n_rejects) {
		fprintf(stderr, "FAIL %s: %zu reject rows offline, %zu from BPF\n", what, u->n_rejects,
			k->n_rejects);
		bad++;
	}
	for (size_t i = 0; i < u->n_rejects; i++) {
		const struct vw_reject_row *a = &u->rejects[i], *b = NULL;
		for (size_t j = 0; j < k->n_rejects && !b; j++)
			if (k->rejects[j].reason == a->reason && k->rejects[j].vlan[0] == a->vlan[0] &&
			    k->rejects[j].vlan[1] == a->vlan[1])
				b = &k->rejects[j];
		if (!b || b->count != a->count || b->last_family != a->last_family ||
		    (a->last_family && memcmp(a->last_src, b->last_src, 16))) {
			fprintf(stderr, "FAIL %s: rejects for reason %u vlan %u.%u: offline %llu, "
					"BPF %llu\n",
				what, a->reason, a->vlan[0], a->vlan[1], (unsigned long long)a->count,
				b ? (unsigned long long)b->count : 0ull);
			bad++;
		}
	}
	return bad;
}

static int compare_tables(const char *what, const struct vw_table *u, const struct vw_table *k)
{
	int bad = 0;

	if (u->n_rows != k->n_rows) {
		fprintf(stderr, "FAIL %s: %zu advertisers offline, %zu from BPF\n", what, u->n_rows,
			k->n_rows);
		bad++;
	}
	for (size_t i = 0; i < u->n_rows; i++) {
		const struct vw_row *b = vw_table_find(k, &u->rows[i].key);
		char ks[160];
		key_str(&u->rows[i].key, ks, sizeof(ks));
		if (!b) {
			fprintf(stderr, "FAIL %s: %s: not in the BPF maps\n", what, ks);
			bad++;
			continue;
		}
		bad += compare_row(what, &u->rows[i], b);
	}
	if (u->vrrp_frames != k->vrrp_frames || u->rejected != k->rejected ||
	    u->frames != k->frames) {
		fprintf(stderr, "FAIL %s: frames/adverts/rejected offline %llu/%llu/%llu, BPF "
				"%llu/%llu/%llu\n",
			what, (unsigned long long)u->frames, (unsigned long long)u->vrrp_frames,
			(unsigned long long)u->rejected, (unsigned long long)k->frames,
			(unsigned long long)k->vrrp_frames, (unsigned long long)k->rejected);
		bad++;
	}
	return bad + compare_rejects(what, u, k);
}

/* ---- a pass ------------------------------------------------------------------- */

static int run_pass(int dir, char **paths, int n_paths, struct decode_test *probe)
{
	static const struct vw_live_iface lo = {"lo", LO_IFINDEX, 1};
	const char *what = dir == VW_DIR_RX ? "XDP" : "TC";
	struct vw_table live;
	struct pass p = {.dir = dir, .probe = probe};
	char err[256] = "";
	int bad = 0;

	if (!(p.b = calloc(1, sizeof(*p.b))) || vw_table_init(&live, 0) ||
	    vw_table_init(&p.offline, 0) ||
	    vw_table_add_segment(&live, "lo", NULL, LO_IFINDEX, -1, true) != 1 ||
	    vw_table_add_segment(&p.offline, "lo", NULL, LO_IFINDEX, -1, true) != 1) {
		fprintf(stderr, "FAIL: out of memory\n");
		return 1;
	}
	p.b->s = (struct vw_live_setup){.ifaces = &lo, .n_ifaces = 1, .table = &live,
					.interval_ns = 1000000000ull, .log = stderr};
	if (vw_bpf_load(p.b, err, sizeof(err))) {
		fprintf(stderr, "FAIL: %s\n", err);
		return 1;
	}
	vw_ingest_init(&p.in, &p.offline, 0, NULL, NULL);
	walk_pass = &p;
	for (int i = 0; i < n_paths; i++)
		if (nftw(paths[i], visit, 16, FTW_PHYS | FTW_ACTIONRETVAL)) {
			fprintf(stderr, "FAIL: cannot walk %s\n", paths[i]);
			bad++;
		}
	if (ring_buffer__consume(p.b->rb) < 0 || vw_bpf_read_maps(p.b) || p.b->alloc_failed) {
		fprintf(stderr, "FAIL %s: reading the maps failed\n", what);
		bad++;
	}
	bad += (int)p.bad + compare_tables(what, &p.offline, &live);
	printf("%s: %u frames (%u skipped), %zu advertisers, %llu adverts, %zu reject rows; "
	       "events %llu (lost %llu), cache misses %llu: %s\n",
	       what, p.frames, p.skipped, live.n_rows, (unsigned long long)live.vrrp_frames,
	       live.n_rejects, (unsigned long long)p.b->total.events,
	       (unsigned long long)p.b->total.events_lost, (unsigned long long)p.b->total.spilled,
	       bad ? "MISMATCH" : "same as offline replay");
	if (!p.frames || !live.n_rows) {
		fprintf(stderr, "FAIL %s: nothing was compared\n", what);
		bad++;
	}
	vw_bpf_free(p.b);
	vw_ingest_free(&p.in);
	vw_table_free(&p.offline);
	vw_table_free(&live);
	return bad != 0;
}

/* ---- claims: ARP and IPv6 NS / NA of the watched addresses -------------------- */

struct claim_pass {
	int dir;
	struct vw_live_bpf *b;
	struct vw_table offline, learn;
	struct vw_ingest in, learn_in;
	unsigned frames, bad;
	bool learning;
	const char *file;
};

static struct claim_pass *claim_walk;

static int claim_frame(void *ctx, unsigned n, const uint8_t *data, uint32_t caplen, int dlt)
{
	static uint8_t eth[MAX_FRAME + 14];
	struct claim_pass *p = ctx;
	uint32_t len = caplen <= MAX_FRAME ? to_ethernet(data, caplen, dlt, eth) : 0, ret = 0;
	struct vw_frame f = {.data = eth, .caplen = len, .wirelen = len, .link = VW_LINK_ETHERNET,
			     .segment = 1, .dir_hint = p->dir == VW_DIR_TX ? VW_DIR_TX : -1,
			     .ts_ns = 1000000000ull * (p->frames + 1)};

	if (len < 14 || len > 1500) /* claims are short; a TC run takes a page */
		return 0;
	if (p->learning) { /* the addresses the adverts announce */
		vw_ingest_frame(&p->learn_in, &f);
		return 0;
	}
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = eth, .data_size_in = len, .repeat = 1);
	int fd = p->dir == VW_DIR_RX ? bpf_program__fd(p->b->xdp->progs.vw_xdp)
				     : bpf_program__fd(p->b->tc->progs.vw_tc_egress);
	if (bpf_prog_test_run_opts(fd, &o)) {
		if (errno == EINVAL && p->dir == VW_DIR_TX)
			return 0; /* a frame a TC test run does not take: on neither side */
		fprintf(stderr, "FAIL %s frame %u: test run: %s\n", p->file, n, strerror(errno));
		p->bad++;
		return 0;
	}
	ret = o.retval;
	if (ret != (p->dir == VW_DIR_RX ? XDP_PASS : TC_NEXT)) {
		fprintf(stderr, "FAIL %s frame %u: verdict %d, not pass\n", p->file, n, (int)ret);
		p->bad++;
	}
	ring_buffer__consume(p->b->rb);
	vw_ingest_frame(&p->in, &f);
	p->frames++;
	return 0;
}

static int claim_visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *dot = strrchr(path, '.');
	char err[256];

	(void)st;
	(void)ftw;
	if (type != FTW_F || !dot || (strcmp(dot, ".pcap") && strcmp(dot, ".pcapng")))
		return 0;
	claim_walk->file = path;
	pcap_frames_each(path, claim_frame, claim_walk, err, sizeof(err));
	return 0;
}

/* Crafted claims: every kind, unwatched addresses, a tag, cut frames. */
static void crafted_claims(struct claim_pass *p)
{
	static const uint8_t a[6] = {2, 0, 0, 0, 0, 1}, r[6] = {2, 0, 0, 0, 0, 0x66};
	static const struct {
		int op;
		const uint8_t *mac;
		uint8_t spa, tpa; /* 198.18.0.x */
		uint16_t vlan;
		uint32_t cut;
	} arps[] = {
		{1, a, 100, 100, 0, 0}, {2, a, 100, 100, 0, 0}, {2, a, 100, 50, 0, 0},
		{1, a, 100, 50, 0, 0},  {1, r, 66, 100, 0, 0},  {1, r, 0, 100, 0, 0},
		{1, r, 100, 100, 10, 0}, {2, r, 9, 9, 0, 0},     {1, r, 100, 100, 0, 30},
		{2, r, 100, 77, 0, 0},
	};
	uint8_t f[128];

	for (size_t i = 0; i < sizeof(arps) / sizeof(arps[0]); i++) {
		uint8_t *q = f;
		memset(f, 0, sizeof(f));
		memset(q, 0xff, 6);
		memcpy(q + 6, arps[i].mac, 6);
		q += 12;
		if (arps[i].vlan) {
			q[0] = 0x81, q[2] = 0, q[3] = (uint8_t)arps[i].vlan;
			q += 4;
		}
		q[0] = 0x08, q[1] = 0x06;
		uint8_t *x = q + 2;
		x[1] = 1, x[2] = 8, x[4] = 6, x[5] = 4, x[7] = (uint8_t)arps[i].op;
		memcpy(x + 8, arps[i].mac, 6);
		x[14] = 198, x[15] = 18, x[17] = arps[i].spa;
		x[24] = 198, x[25] = 18, x[27] = arps[i].tpa;
		if (!arps[i].spa)
			x[14] = x[15] = 0;
		uint32_t len = (uint32_t)(x + 28 - f);
		claim_frame(p, (unsigned)i, f, arps[i].cut ? arps[i].cut : len, 1);
	}
	/* NA unsolicited / solicited for fd00::100, an NS for it, an NA for fd00::9 */
	static const struct {
		uint8_t type, flags, last;
	} nds[] = {{136, 0x20, 0x00}, {136, 0x60, 0x00}, {135, 0, 0x00}, {136, 0x20, 0x09}};
	for (size_t i = 0; i < sizeof(nds) / sizeof(nds[0]); i++) {
		memset(f, 0, sizeof(f));
		f[0] = 0x33, f[1] = 0x33, f[5] = 1;
		memcpy(f + 6, r, 6);
		f[12] = 0x86, f[13] = 0xdd;
		uint8_t *ip = f + 14, *m = ip + 40;
		ip[0] = 0x60, ip[5] = 32, ip[6] = 58, ip[7] = 255;
		ip[8] = 0xfe, ip[9] = 0x80, ip[23] = 0x66;
		ip[24] = 0xff, ip[25] = 0x02, ip[39] = 1;
		m[0] = nds[i].type, m[4] = nds[i].flags;
		m[8] = 0xfd, m[22] = nds[i].last ? 0 : 1, m[23] = nds[i].last;
		m[24] = nds[i].type == 136 ? 2 : 1, m[25] = 1;
		memcpy(m + 26, r, 6);
		claim_frame(p, 100 + (unsigned)i, f, 14 + 40 + 32, 1);
	}
}

static int compare_claims(const char *what, const struct vw_vip_claims *u,
			  const struct vw_vip_claims *k)
{
	int bad = 0;

	if (u->n_rows != k->n_rows) {
		fprintf(stderr, "FAIL %s claims: %zu rows offline, %zu from BPF\n", what, u->n_rows,
			k->n_rows);
		bad++;
	}
	for (size_t i = 0; i < u->n_rows; i++) {
		const struct vw_claim_row *a = &u->rows[i], *b = vw_vips_find(k, &a->key);
		if (!b || b->val.count != a->val.count) {
			fprintf(stderr, "FAIL %s claims: %s %u.%u.%u.%u.. kind %s: offline %llu, BPF "
					"%llu\n",
				what, a->key.family == 6 ? "IPv6" : "IPv4", a->key.addr[0],
				a->key.addr[1], a->key.addr[2], a->key.addr[3],
				vw_claim_kind_name(a->key.kind), (unsigned long long)a->val.count,
				b ? (unsigned long long)b->val.count : 0ull);
			bad++;
		}
	}
	return bad;
}

/*
 * The claim counts of the programs equal replay's, from the same frames:
 * the lab's captures (keepalived's gratuitous ARP, replies, NAs) and
 * crafted ones, with the same watched addresses on both sides (those the
 * lab's adverts announce and two more, as keepalived.conf gives them).
 */
static int run_claims_pass(int dir, char **paths, int n_paths)
{
	static const struct vw_live_iface lo = {"lo", LO_IFINDEX, 1};
	static const uint8_t v4[16] = {198, 18, 0, 100},
			     v6[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	const char *what = dir == VW_DIR_RX ? "XDP" : "TC";
	struct vw_table live;
	struct claim_pass p = {.dir = dir};
	char err[256] = "";
	int bad = 0;

	if (!(p.b = calloc(1, sizeof(*p.b))) || vw_table_init(&live, 0) ||
	    vw_table_init(&p.offline, 0) || vw_table_init(&p.learn, 0) ||
	    vw_table_add_segment(&live, "lo", NULL, LO_IFINDEX, -1, true) != 1 ||
	    vw_table_add_segment(&p.offline, "lo", NULL, LO_IFINDEX, -1, true) != 1 ||
	    vw_table_add_segment(&p.learn, "lo", NULL, LO_IFINDEX, -1, true) != 1) {
		fprintf(stderr, "FAIL: out of memory\n");
		return 1;
	}
	vw_ingest_init(&p.learn_in, &p.learn, 0, NULL, NULL);
	claim_walk = &p;
	p.learning = true;
	for (int i = 0; i < n_paths; i++)
		nftw(paths[i], claim_visit, 16, FTW_PHYS);
	p.learning = false;
	vw_vips_watch(&p.learn.vips, 4, v4, true);
	vw_vips_watch(&p.learn.vips, 6, v6, true);
	for (size_t i = 0; i < p.learn.vips.n_watch; i++) {
		const struct vw_watch *w = &p.learn.vips.watch[i];
		vw_vips_watch(&live.vips, w->family, w->addr, true);
		vw_vips_watch(&p.offline.vips, w->family, w->addr, true);
	}
	p.b->s = (struct vw_live_setup){.ifaces = &lo, .n_ifaces = 1, .table = &live,
					.interval_ns = 1000000000ull, .log = stderr};
	if (vw_bpf_load(p.b, err, sizeof(err))) { /* pushes the watched addresses */
		fprintf(stderr, "FAIL: %s\n", err);
		return 1;
	}
	vw_ingest_init(&p.in, &p.offline, 0, NULL, NULL);
	crafted_claims(&p);
	for (int i = 0; i < n_paths; i++)
		nftw(paths[i], claim_visit, 16, FTW_PHYS);
	if (ring_buffer__consume(p.b->rb) < 0 || vw_bpf_read_maps(p.b) || p.b->alloc_failed) {
		fprintf(stderr, "FAIL %s: reading the maps failed\n", what);
		bad++;
	}
	/* the adverts of the captures added nothing unwatched on either side */
	bad += (int)p.bad + compare_claims(what, &p.offline.vips, &live.vips);
	uint64_t kinds[VW_CLAIM_COUNT] = {0};
	for (size_t i = 0; i < live.vips.n_rows; i++)
		kinds[live.vips.rows[i].key.kind] += live.vips.rows[i].val.count;
	printf("%s claims: %u frames, %zu watched addresses, %zu claim rows (garp %llu, reply "
	       "%llu, request %llu, na_unsolicited %llu, na_solicited %llu, ask %llu): %s\n",
	       what, p.frames, live.vips.n_watch, live.vips.n_rows, (unsigned long long)kinds[0],
	       (unsigned long long)kinds[1], (unsigned long long)kinds[2],
	       (unsigned long long)kinds[3], (unsigned long long)kinds[4],
	       (unsigned long long)kinds[5], bad ? "MISMATCH" : "same as offline replay");
	for (unsigned k = 0; k < VW_CLAIM_COUNT; k++)
		if (!kinds[k]) {
			fprintf(stderr, "FAIL %s claims: no %s compared\n", what, vw_claim_kind_name(k));
			bad++;
		}
	vw_bpf_free(p.b);
	vw_ingest_free(&p.in);
	vw_ingest_free(&p.learn_in);
	vw_table_free(&p.offline);
	vw_table_free(&p.learn);
	vw_table_free(&live);
	return bad != 0;
}

/* ---- scenarios: the cache, its spill, takeovers, CPUs, the ring buffer ----------- */

static unsigned short csum16(const uint8_t *p, unsigned len)
{
	unsigned long sum = 0;

	for (unsigned i = 0; i + 1 < len; i += 2)
		sum += (unsigned)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned short)~sum;
}

/* A valid VRRPv2 advert from 198.18.<src >> 8>.<src & 255>: VRID 51, one address. */
static uint32_t advert(uint8_t *f, unsigned src)
{
	static const uint8_t head[14] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x12, 0x02, 0x00,
					 0x00, 0x00, 0x00, 0x01, 0x08, 0x00};
	uint8_t *ip = f + 14, *v = ip + 20;
	unsigned short c;

	memcpy(f, head, 14);
	memset(ip, 0, 40);
	ip[0] = 0x45, ip[3] = 40, ip[8] = 255, ip[9] = 112;
	ip[12] = 198, ip[13] = 18, ip[14] = (uint8_t)(src >> 8), ip[15] = (uint8_t)src;
	ip[16] = 224, ip[19] = 18;
	c = csum16(ip, 20);
	ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
	v[0] = 0x21, v[1] = 51, v[2] = 150, v[3] = 1, v[5] = 1;
	v[8] = 198, v[9] = 19, v[10] = (uint8_t)(src >> 8), v[11] = (uint8_t)src;
	c = csum16(v, 20);
	v[6] = (uint8_t)(c >> 8), v[7] = (uint8_t)c;
	return 54;
}

/* The cache slot of an advert's key, as the programs pick it. */
static uint32_t slot_of(unsigned src)
{
	uint8_t f[64];
	struct vw_advert a;
	struct vw_obs_key k;

	advert(f, src);
	vw_decode(NULL, f, f + 54, VW_LINK_ETHERNET, &a);
	vw_key_from_advert(&k, LO_IFINDEX, VW_DIR_RX, &a);
	return vw_cache_slot_of((const __u64 *)&k);
}

static int on_cpu(unsigned cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one);
}

/* `times` adverts from src through the XDP program, on the current CPU. */
static int send_adverts(struct vw_live_bpf *b, unsigned src, unsigned times, bool consume)
{
	uint8_t f[64];
	uint32_t len = advert(f, src);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = 1);

	for (unsigned i = 0; i < times; i++)
		if (bpf_prog_test_run_opts(bpf_program__fd(b->xdp->progs.vw_xdp), &o) ||
		    o.retval != XDP_PASS)
			return -1;
	if (consume)
		ring_buffer__consume(b->rb);
	return 0;
}

static uint64_t packets_of(const struct vw_table *t, unsigned src)
{
	uint8_t f[64];
	struct vw_advert a;
	struct vw_obs_key k;

	advert(f, src);
	vw_decode(NULL, f, f + 54, VW_LINK_ETHERNET, &a);
	vw_key_from_advert(&k, LO_IFINDEX, VW_DIR_RX, &a);
	const struct vw_row *r = vw_table_find(t, &k);
	return r ? r->val.packets : 0;
}

struct scenario {
	struct vw_live_bpf *b;
	struct vw_table t;
};

static int scenario_begin(struct scenario *sc)
{
	static const struct vw_live_iface lo = {"lo", LO_IFINDEX, 1};
	char err[256] = "";

	memset(sc, 0, sizeof(*sc));
	if (!(sc->b = calloc(1, sizeof(*sc->b))) || vw_table_init(&sc->t, 0) ||
	    vw_table_add_segment(&sc->t, "lo", NULL, LO_IFINDEX, -1, true) != 1)
		return -1;
	sc->b->s = (struct vw_live_setup){.ifaces = &lo, .n_ifaces = 1, .table = &sc->t,
					  .interval_ns = 1000000000ull, .log = stderr};
	if (vw_bpf_load(sc->b, err, sizeof(err))) {
		fprintf(stderr, "FAIL: %s\n", err);
		return -1;
	}
	return 0;
}

static void scenario_end(struct scenario *sc)
{
	vw_bpf_free(sc->b);
	vw_table_free(&sc->t);
}

#define CHECK(cond, ...)                                          \
	do {                                                      \
		if (!(cond)) {                                    \
			fprintf(stderr, "FAIL %s: ", __func__);    \
			fprintf(stderr, __VA_ARGS__);             \
			fputc('\n', stderr);                      \
			bad++;                                    \
		}                                                 \
	} while (0)

/* Two keys of one cache slot: the second goes to the LRU hash; both count. */
static int test_spill(void)
{
	struct scenario sc;
	unsigned a = 1, c = 2;
	int bad = 0;

	while (slot_of(c) != slot_of(a))
		c++;
	if (scenario_begin(&sc))
		return 1;
	CHECK(!send_adverts(sc.b, a, 2, true) && !send_adverts(sc.b, c, 3, true), "test run");
	CHECK(!vw_bpf_read_maps(sc.b), "read");
	CHECK(packets_of(&sc.t, a) == 2 && packets_of(&sc.t, c) == 3,
	      "holder %llu (want 2), spilled key %llu (want 3)",
	      (unsigned long long)packets_of(&sc.t, a), (unsigned long long)packets_of(&sc.t, c));
	CHECK(sc.b->total.spilled == 3 && sc.b->total.lru_entries == 1 && sc.b->lru_new == 1 &&
		      sc.b->total.evictions == 0,
	      "spilled %llu (3), LRU entries %zu (1), inserts %llu (1), evictions %llu (0)",
	      (unsigned long long)sc.b->total.spilled, sc.b->total.lru_entries,
	      (unsigned long long)sc.b->lru_new, (unsigned long long)sc.b->total.evictions);
	printf("spill: sources %u and %u share cache slot %u: %s\n", a, c, slot_of(a),
	       bad ? "WRONG" : "one in the slot, one in the LRU hash, both counted");
	scenario_end(&sc);
	return bad;
}

static void wait_jiffies(void)
{
	struct timespec ts = {0, 60 * 1000 * 1000}; /* 6 jiffies at HZ=100 */

	nanosleep(&ts, NULL);
}

/*
 * A slot whose holder fell silent goes to the next key of the slot; the
 * holder's counts read before stay, and a takeover before its last counts
 * were read is an eviction (cache_lost).  The slot's generation is even
 * and moves by two per holder.
 */
static int test_takeover(void)
{
	struct scenario sc;
	unsigned a = 1, c = 2;
	int bad = 0;

	while (slot_of(c) != slot_of(a))
		c++;
	if (scenario_begin(&sc))
		return 1;
	sc.b->xdp->data->vw_stale_jiffies = 1; /* silent for a jiffy: free */
	CHECK(!send_adverts(sc.b, a, 1, true), "test run");
	wait_jiffies();
	CHECK(!vw_bpf_read_maps(sc.b), "read");
	wait_jiffies();
	CHECK(!send_adverts(sc.b, c, 1, true), "test run"); /* takes a's slot over */
	CHECK(!vw_bpf_read_maps(sc.b), "read");
	CHECK(packets_of(&sc.t, a) == 1 && packets_of(&sc.t, c) == 1 &&
		      sc.b->total.spilled == 0 && sc.b->total.evictions == 0,
	      "a %llu (1), c %llu (1), spilled %llu (0), evictions %llu (0)",
	      (unsigned long long)packets_of(&sc.t, a), (unsigned long long)packets_of(&sc.t, c),
	      (unsigned long long)sc.b->total.spilled, (unsigned long long)sc.b->total.evictions);
	/* c's second advert is never read before a takes the slot back */
	wait_jiffies();
	CHECK(!send_adverts(sc.b, c, 1, true), "test run");
	wait_jiffies();
	CHECK(!send_adverts(sc.b, a, 1, true), "test run");
	CHECK(!vw_bpf_read_maps(sc.b), "read");
	CHECK(packets_of(&sc.t, a) == 2 && packets_of(&sc.t, c) == 1 &&
		      sc.b->total.evictions == 1 && sc.b->cache_lost == 1,
	      "after the lost takeover: a %llu (2), c %llu (1), evictions %llu (1)",
	      (unsigned long long)packets_of(&sc.t, a), (unsigned long long)packets_of(&sc.t, c),
	      (unsigned long long)sc.b->total.evictions);
	/* the slot on this CPU (0): three holders, generation 6 */
	const size_t stride = (sizeof(struct vw_cache_slot) + 7) & ~(size_t)7;
	uint8_t *buf = calloc(sc.b->ncpu, stride);
	uint32_t idx = slot_of(a);
	CHECK(buf && !bpf_map_lookup_elem(bpf_map__fd(sc.b->xdp->maps.vw_cache), &idx, buf) &&
		      ((const struct vw_cache_slot *)buf)->gen == 6,
	      "slot generation %llu, not 6",
	      buf ? (unsigned long long)((const struct vw_cache_slot *)buf)->gen : 0ull);
	free(buf);
	printf("takeover: %s\n", bad ? "WRONG" : "counts kept across holders, the lost one "
						 "counted as an eviction");
	scenario_end(&sc);
	return bad;
}

/*
 * A key takes its slot back after a takeover whose holder was never read:
 * the slot's key and packet count are what the last read saw, but its
 * generation is not, so its counts are all new (not diffed against the
 * counts of its first time in the slot, which would hide them).
 */
static int test_retake(void)
{
	struct scenario sc;
	unsigned a = 1, c = 2;
	int bad = 0;

	while (slot_of(c) != slot_of(a))
		c++;
	if (scenario_begin(&sc))
		return 1;
	sc.b->xdp->data->vw_stale_jiffies = 1; /* silent for a jiffy: free */
	CHECK(!send_adverts(sc.b, a, 1, true), "test run");
	wait_jiffies();
	CHECK(!vw_bpf_read_maps(sc.b), "read"); /* seen: a, 1 packet, generation 2 */
	wait_jiffies();
	CHECK(!send_adverts(sc.b, c, 1, true), "test run"); /* c takes a's slot */
	wait_jiffies();
	CHECK(!send_adverts(sc.b, a, 1, true), "test run"); /* a takes it back: 1 packet */
	CHECK(!vw_bpf_read_maps(sc.b), "read");
	CHECK(packets_of(&sc.t, a) == 2 && packets_of(&sc.t, c) == 0 &&
		      sc.b->cache_lost == 1 && sc.b->total.evictions == 1,
	      "a %llu (2), c %llu (0: never read), cache_lost %llu (1), evictions %llu (1)",
	      (unsigned long long)packets_of(&sc.t, a), (unsigned long long)packets_of(&sc.t, c),
	      (unsigned long long)sc.b->cache_lost, (unsigned long long)sc.b->total.evictions);
	printf("retake: %s\n", bad ? "WRONG" : "a key back in its slot after a takeover: its "
					       "counts new, the lost holder an eviction");
	scenario_end(&sc);
	return bad;
}

/* One key heard on two CPUs, in its cache slot and in the LRU hash: the sums. */
static int test_cpus(void)
{
	struct scenario sc;
	unsigned a = 1, c = 2;
	int bad = 0;

	if (libbpf_num_possible_cpus() < 2 || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("cpus: one CPU only: per-CPU sums not tested\n");
		return 0;
	}
	while (slot_of(c) != slot_of(a))
		c++;
	if (scenario_begin(&sc))
		return 1;
	CHECK(!on_cpu(0) && !send_adverts(sc.b, a, 3, true) && !send_adverts(sc.b, c, 2, true),
	      "CPU 0");
	CHECK(!on_cpu(1) && !send_adverts(sc.b, a, 4, true) && !send_adverts(sc.b, c, 5, true),
	      "CPU 1");
	CHECK(!vw_bpf_read_maps(sc.b), "read");
	/* more on CPU 1 after a read: the differences add up */
	CHECK(!send_adverts(sc.b, a, 1, true) && !send_adverts(sc.b, c, 1, true), "CPU 1");
	on_cpu(0);
	CHECK(!vw_bpf_read_maps(sc.b), "read");
	CHECK(packets_of(&sc.t, a) == 8 && packets_of(&sc.t, c) == 8,
	      "slot key %llu (8), LRU key %llu (8)", (unsigned long long)packets_of(&sc.t, a),
	      (unsigned long long)packets_of(&sc.t, c));
	CHECK(sc.t.vrrp_frames == 16 && sc.t.frames == 16, "frames %llu, adverts %llu (16)",
	      (unsigned long long)sc.t.frames, (unsigned long long)sc.t.vrrp_frames);
	printf("cpus: %s\n", bad ? "WRONG" : "cache slots and LRU values summed over CPUs 0 and 1");
	scenario_end(&sc);
	return bad;
}

/*
 * More new keys than the ring buffer holds events for, with nobody
 * reading it: every lost event is counted, and the maps still bring every
 * key with its count and (from the message sample) its address.
 */
static int test_ring_loss(void)
{
	enum { N = 8000 };
	struct scenario sc;
	int bad = 0;
	uint64_t packets = 0;
	size_t with_addr = 0;

	if (scenario_begin(&sc))
		return 1;
	for (unsigned i = 0; i < N && !bad; i++)
		CHECK(!send_adverts(sc.b, 256 + i, 1, false), "test run");
	CHECK(!vw_bpf_read_maps(sc.b), "read");
	for (size_t i = 0; i < sc.t.n_rows; i++) {
		packets += sc.t.rows[i].val.packets;
		with_addr += vw_row_address(&sc.t.rows[i], 0) != NULL;
	}
	CHECK(sc.b->total.events_lost > 0 && sc.b->total.events + sc.b->total.events_lost == N,
	      "events %llu + lost %llu != %d new keys (or none lost)",
	      (unsigned long long)sc.b->total.events, (unsigned long long)sc.b->total.events_lost, N);
	CHECK(sc.t.n_rows + sc.b->total.evictions == N && packets + sc.b->total.evictions == N,
	      "%zu rows, %llu adverts, %llu evictions: not %d", sc.t.n_rows,
	      (unsigned long long)packets, (unsigned long long)sc.b->total.evictions, N);
	CHECK(with_addr == sc.t.n_rows, "%zu of %zu rows without their address",
	      sc.t.n_rows - with_addr, sc.t.n_rows);
	printf("ring loss: %d new keys, %llu events, %llu lost; %zu rows, %llu evictions: %s\n", N,
	       (unsigned long long)sc.b->total.events, (unsigned long long)sc.b->total.events_lost,
	       sc.t.n_rows, (unsigned long long)sc.b->total.evictions,
	       bad ? "WRONG" : "all accounted for");
	scenario_end(&sc);
	return bad;
}

/*
 * Batch reads of a hash map never end in ENOSPC (issue 13: "reading the
 * capture failed: No space left on device"): the kernel hands a bucket
 * whole, and answers ENOSPC when it does not fit in the room left.  A
 * map of N keys in N buckets has a bucket of two or more (pigeonhole);
 * read with every room from 1 to N, one of the reads starts that bucket
 * with room for one: the room must grow and the read go on, whole.  And
 * past twice the room (plus a few buckets) the read stops short, with
 * what it read valid.
 */
static int fill_hash(unsigned n)
{
	LIBBPF_OPTS(bpf_map_create_opts, o);
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "vw_test_room", 4, 8, n, &o);

	for (uint32_t i = 0; fd >= 0 && i < n; i++) {
		uint32_t k = i * 2654435761u;
		uint64_t v = i;
		if (bpf_map_update_elem(fd, &k, &v, BPF_NOEXIST)) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Each of the n entries read is a key put in, with its value, once. */
static bool entries_valid(const struct vw_live_bpf *b, uint32_t n, unsigned total)
{
	uint8_t *seen = calloc(total, 1);
	bool ok = seen != NULL;

	for (uint32_t i = 0; ok && i < n; i++) {
		uint32_t k;
		uint64_t v;
		memcpy(&k, b->keys + i * 4, 4);
		memcpy(&v, b->vals + i * 8, 8);
		ok = v < total && (uint32_t)(v * 2654435761u) == k && !seen[v]++;
	}
	free(seen);
	return ok;
}

static int test_batch_room(void)
{
	enum { N = 64, BIG = 1024 };
	uint64_t regrown = 0;
	uint32_t n;
	int bad = 0, fd = fill_hash(N), rc;

	CHECK(fd >= 0, "hash map: %s", strerror(errno));
	for (uint32_t max = 1; fd >= 0 && max <= N && !bad; max++) {
		struct vw_live_bpf b = {.key_room = 4, .val_room = 8, .buf_entries = max};
		b.keys = malloc(max * 4);
		b.vals = malloc(max * 8);
		rc = vw_bpf_dump_map(&b, fd, 4, 8, max, &n);
		CHECK(!rc && n == N && entries_valid(&b, n, N),
		      "room %u: %s, %u of %d entries", max, strerror(-rc), n, N);
		CHECK(!b.no_batch, "no batch lookups on this kernel");
		regrown += b.batch_regrown;
		free(b.keys);
		free(b.vals);
	}
	CHECK(regrown > 0, "no read met a bucket bigger than its room: ENOSPC not exercised");
	if (fd >= 0)
		close(fd);
	printf("batch room: a %d-key hash read whole with every room from 1 to %d (%llu ENOSPC "
	       "answered with more room)\n", N, N, (unsigned long long)regrown);

	/* more than twice the room: short, what was read is valid */
	fd = fill_hash(BIG);
	CHECK(fd >= 0, "hash map: %s", strerror(errno));
	if (fd >= 0) {
		struct vw_live_bpf b = {.key_room = 4, .val_room = 8, .buf_entries = 1};
		b.keys = malloc(4);
		b.vals = malloc(8);
		rc = vw_bpf_dump_map(&b, fd, 4, 8, 1, &n);
		CHECK(rc == -ENOSPC && n > 0 && n <= 2 + 256 && entries_valid(&b, n, BIG),
		      "room 1 of %d: %s, %u entries", BIG, strerror(-rc), n);
		printf("batch room: %d keys, room 1: short (%s) after %u valid entries\n", BIG,
		       strerror(-rc), n);
		free(b.keys);
		free(b.vals);
		close(fd);
	}
	return bad;
}

/*
 * A map read that stops short ends nothing and counts nothing twice: the
 * LRU hash read whole, then with room for far fewer keys than it holds
 * (the room stops growing at twice that plus a few buckets), then whole
 * again, with more adverts between: every advert is counted once (a key
 * the short read missed keeps its last counts: it is not new to the
 * next read), and the short read once.
 */
static int test_short_read(void)
{
	enum { N = 3000, MORE = 100 };
	struct scenario sc;
	int bad = 0;
	uint64_t packets = 0;

	if (scenario_begin(&sc))
		return 1;
	for (unsigned i = 0; i < N && !bad; i++)
		CHECK(!send_adverts(sc.b, 256 + i, 1, true), "test run");
	CHECK(!vw_bpf_read_maps(sc.b), "read");
	uint32_t lru_max = sc.b->lru_max;
	uint64_t lru_entries = sc.b->total.lru_entries;
	sc.b->lru_max = 8;
	CHECK(!vw_bpf_read_maps(sc.b), "a short read ended the read");
	CHECK(sc.b->total.map_reads_short == 1, "%llu short reads counted (1)",
	      (unsigned long long)sc.b->total.map_reads_short);
	sc.b->lru_max = lru_max;
	for (unsigned i = 0; i < MORE && !bad; i++)
		CHECK(!send_adverts(sc.b, 256 + N - 1 - i, 1, true), "test run");
	CHECK(!vw_bpf_read_maps(sc.b), "read");
	for (size_t i = 0; i < sc.t.n_rows; i++)
		packets += sc.t.rows[i].val.packets;
	CHECK(sc.t.n_rows + sc.b->total.evictions == N &&
	      packets + sc.b->total.evictions == N + MORE,
	      "%zu rows, %llu adverts, %llu evictions: not %d keys, %d adverts", sc.t.n_rows,
	      (unsigned long long)packets, (unsigned long long)sc.b->total.evictions, N, N + MORE);
	CHECK(sc.b->total.map_reads_short == 1, "%llu short reads after a whole one",
	      (unsigned long long)sc.b->total.map_reads_short);
	printf("short read: the LRU hash (%llu keys) read whole, short, whole: %zu keys, %llu "
	       "adverts of %d: %s\n", (unsigned long long)lru_entries, sc.t.n_rows,
	       (unsigned long long)packets, N + MORE, bad ? "WRONG" : "each counted once");
	scenario_end(&sc);
	return bad;
}

int main(int argc, char **argv)
{
	cpu_set_t one;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CAPTURE-OR-DIRECTORY...\n", argv[0]);
		return 2;
	}
	/* one CPU: the per-CPU values then hold exactly what replay counts */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	struct decode_test *probe = decode_test__open_and_load();
	if (!probe) {
		char why[160];
		snprintf(why, sizeof(why), "cannot load BPF programs: %s (needs root or CAP_BPF)",
			 strerror(errno));
		return skip_or_fail(why);
	}
	int failed = run_pass(VW_DIR_RX, argv + 1, argc - 1, probe);
	failed |= run_pass(VW_DIR_TX, argv + 1, argc - 1, probe);
	failed |= run_claims_pass(VW_DIR_RX, argv + 1, argc - 1);
	failed |= run_claims_pass(VW_DIR_TX, argv + 1, argc - 1);
	failed |= test_spill();
	failed |= test_takeover();
	failed |= test_retake();
	failed |= test_cpus();
	failed |= test_ring_loss();
	failed |= test_batch_room();
	failed |= test_short_read();
	decode_test__destroy(probe);
	return failed;
}
