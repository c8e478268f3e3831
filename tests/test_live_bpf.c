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

#include "decode_test.skel.h"
#include "ingest.h"
#include "live_bpf_int.h"
#include "pcap_frames.h"
#include "vrrpwatch.skel.h"
#include "vrrpwatch_tc.skel.h"

#define EXIT_SKIP 77
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

static int skip_or_fail(const char *why)
{
	if (getenv("VRRPWATCH_NO_SKIP")) {
		fprintf(stderr, "FAIL: %s (VRRPWATCH_NO_SKIP is set: no skipping)\n", why);
		return 1;
	}
	fprintf(stderr, "SKIP: %s\n", why);
	return EXIT_SKIP;
}

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
	(void)ftw;
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
		if (nftw(paths[i], visit, 16, FTW_PHYS)) {
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
	decode_test__destroy(probe);
	return failed;
}
