// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpf_cost - what vrrpwatch's BPF programs cost per frame, measured with
 * BPF_PROG_TEST_RUN against an empty program of the same type (XDP_PASS /
 * TC_ACT_OK) in the same run: rounds alternate between the two, and the
 * medians are compared.  The budget: a frame that is not VRRP at
 * most +10 ns over the empty program, a VRRP advert at most +60 ns.
 *
 * usage: bpf_cost [-n REPEAT] [-r ROUNDS] [-f FRAME]
 *        (root; exit 1 if over budget; -f: only the frames whose name
 *        contains FRAME, e.g. -f ARP)
 *
 * Frames: TCP over IPv4 (the fast path), a VRRPv2 IPv4 advert and a VRRPv3
 * IPv6 advert (the common path: its cache slot), and the same IPv4 advert
 * from a source whose cache slot another advertiser holds (the spill to
 * the LRU hash; shown, not budgeted: it is the collision path).
 * Then who claims the virtual addresses, at most +60 ns for an ARP or NA
 * frame (the budget): a gratuitous ARP and an unsolicited IPv6 NA
 * for a watched address (their claim slot), an ARP request for an
 * address not watched (the parse and its bit in the watch filter), and a
 * gratuitous ARP whose claim slot another key holds (the claim hash;
 * shown, not budgeted: the collision path).  TCP over IPv6 and an ICMPv6
 * echo request (ICMPv6, not NS / NA) are frames that are not VRRP: +10.
 * The last column is vrrpwatch's time over the empty program's.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shared/live_maps.h"
#include "model/obs_table.h"
#include "shared/vrrp_decode.h"
#include "shared/vip_claim.h"
#include "vrrpwatch.skel.h"
#include "vrrpwatch_tc.skel.h"

#define NON_VRRP_BUDGET_NS 10.0
#define VRRP_BUDGET_NS 60.0
#define CLAIM_BUDGET_NS 60.0 /* an ARP or NS / NA frame */

#define NFRAMES 10

struct frame {
	const char *name;
	unsigned char data[128];
	unsigned len;
	double budget; /* ns over the empty program; 0: not budgeted */
};

static unsigned short csum16(const unsigned char *p, unsigned len, unsigned long sum)
{
	for (unsigned i = 0; i + 1 < len; i += 2)
		sum += (unsigned)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (unsigned)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned short)~sum;
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static unsigned ether(unsigned char *f, unsigned type, int mcast6)
{
	static const unsigned char dst4[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x12};
	static const unsigned char dst6[6] = {0x33, 0x33, 0x00, 0x00, 0x00, 0x12};
	static const unsigned char src[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

	memcpy(f, mcast6 ? dst6 : dst4, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
	return 14;
}

static void ipv4(unsigned char *ip, unsigned proto, unsigned payload, unsigned src_last,
		 unsigned char ttl)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + payload);
	ip[8] = ttl;
	ip[9] = (unsigned char)proto;
	ip[12] = 198, ip[13] = 18, ip[14] = (unsigned char)(src_last >> 8);
	ip[15] = (unsigned char)src_last;
	ip[16] = 224, ip[17] = 0, ip[18] = 0, ip[19] = 18;
	put16(ip + 10, csum16(ip, 20, 0));
}

/* VRRPv2 over IPv4: VRID 51, priority 150, 1 s, one address, no auth. */
static void vrrp4(struct frame *f, unsigned src_last)
{
	unsigned char *ip = f->data + ether(f->data, 0x0800, 0), *v = ip + 20;

	ipv4(ip, 112, 20, src_last, 255);
	memset(v, 0, 20);
	v[0] = 0x21, v[1] = 51, v[2] = 150, v[3] = 1, v[4] = 0, v[5] = 1;
	v[8] = 198, v[9] = 18, v[10] = 0, v[11] = 100;
	put16(v + 6, csum16(v, 20, 0));
	f->len = 14 + 20 + 20;
}

/* VRRPv3 over IPv6: fe80::1 -> ff02::12, VRID 61, one address. */
static void vrrp6(struct frame *f)
{
	unsigned char *ip = f->data + ether(f->data, 0x86dd, 1), *v = ip + 40;
	unsigned long sum = 0;

	memset(ip, 0, 40 + 24);
	ip[0] = 0x60;
	put16(ip + 4, 24);
	ip[6] = 112, ip[7] = 255;
	ip[8] = 0xfe, ip[9] = 0x80, ip[23] = 1;           /* fe80::1 */
	ip[24] = 0xff, ip[25] = 0x02, ip[39] = 0x12;      /* ff02::12 */
	v[0] = 0x31, v[1] = 61, v[2] = 150, v[3] = 1, v[5] = 100;
	v[8] = 0xfd, v[23] = 0x64;                        /* fd00::64 */
	for (int i = 8; i < 40; i += 2) /* pseudo-header: addresses, length, next header */
		sum += (unsigned)ip[i] << 8 | ip[i + 1];
	sum += 24 + 112;
	put16(v + 6, csum16(v, 24, sum));
	f->len = 14 + 40 + 24;
}

static void tcp4(struct frame *f)
{
	unsigned char *ip = f->data + ether(f->data, 0x0800, 0);

	ipv4(ip, 6, 26, 7, 64);
	memset(ip + 20, 0, 26);
	ip[32] = 0x50; /* data offset 5 */
	f->len = 14 + 20 + 26;
}

/* ARP: op, sender 198.18.0.<spa>, target 198.18.0.<tpa>. */
static void arp(struct frame *f, unsigned op, unsigned spa, unsigned tpa)
{
	static const unsigned char bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	unsigned char *a = f->data + 14;

	memcpy(f->data, bcast, 6);
	f->data[6] = 0x02, f->data[11] = 0x01;
	put16(f->data + 12, 0x0806);
	memset(a, 0, 28);
	a[1] = 1, a[2] = 8, a[4] = 6, a[5] = 4, a[7] = (unsigned char)op;
	a[8] = 0x02, a[13] = 0x01;
	a[14] = 198, a[15] = 18, a[17] = (unsigned char)spa;
	a[24] = 198, a[25] = 18, a[27] = (unsigned char)tpa;
	f->len = 14 + 28;
}

static void tcp6(struct frame *f)
{
	unsigned char *ip = f->data + ether(f->data, 0x86dd, 0);

	memset(ip, 0, 40 + 20);
	ip[0] = 0x60;
	put16(ip + 4, 20);
	ip[6] = 6, ip[7] = 64;
	ip[8] = 0xfd, ip[23] = 1;
	ip[24] = 0xfd, ip[39] = 2;
	ip[40 + 12] = 0x50; /* data offset 5 */
	f->len = 14 + 40 + 20;
}

/* ICMPv6 of `type` from fe80::1 for target fd00::64 (NA with a target
 * link-layer address option; other types the same bytes). */
static void icmp6(struct frame *f, unsigned type)
{
	unsigned char *ip = f->data + ether(f->data, 0x86dd, 1), *m = ip + 40;

	memset(ip, 0, 40 + 32);
	ip[0] = 0x60;
	put16(ip + 4, 32);
	ip[6] = 58, ip[7] = 255;
	ip[8] = 0xfe, ip[9] = 0x80, ip[23] = 1;
	ip[24] = 0xff, ip[25] = 0x02, ip[39] = 1;
	m[0] = (unsigned char)type, m[4] = 0x20;
	m[8] = 0xfd, m[23] = 0x64;
	m[24] = 2, m[25] = 1, m[26] = 0x02, m[31] = 0x01;
	f->len = 14 + 40 + 32;
}

/* A MAC whose gratuitous ARP for 198.18.0.100 lands in the claim slot of
 * 02:00:00:00:00:01's (arp() sends from that MAC). */
static void colliding_claimer(struct frame *f)
{
	struct vw_claim_key k = {.ifindex = 1, .addr = {198, 18, 0, 100}, .mac = {2, 0, 0, 0, 0, 1},
				 .family = 4, .kind = VW_CLAIM_GARP};
	__u32 want = vw_claim_slot_of((const __u64 *)&k);

	for (unsigned i = 2; i < 65536; i++) {
		k.mac[4] = (unsigned char)(i >> 8), k.mac[5] = (unsigned char)i;
		if (vw_claim_slot_of((const __u64 *)&k) == want)
			break;
	}
	memcpy(f->data + 6, k.mac, 6);
	memcpy(f->data + 14 + 8, k.mac, 6);
}

/* A source whose key lands in the same cache slot as 198.18.0.<1>. */
static unsigned colliding_source(void)
{
	struct frame a, b;
	struct vw_advert x, y;
	struct vw_obs_key ka, kb;

	vrrp4(&a, 1);
	vw_decode(NULL, a.data, a.data + a.len, VW_LINK_ETHERNET, &x);
	vw_key_from_advert(&ka, 1, VW_DIR_RX, &x);
	for (unsigned s = 2; s < 65536; s++) {
		vrrp4(&b, s);
		vw_decode(NULL, b.data, b.data + b.len, VW_LINK_ETHERNET, &y);
		vw_key_from_advert(&kb, 1, VW_DIR_RX, &y);
		if (vw_cache_slot_of((const __u64 *)&kb) == vw_cache_slot_of((const __u64 *)&ka))
			return s;
	}
	return 0;
}

static int empty_prog(enum bpf_prog_type type, int ret)
{
	struct bpf_insn insns[] = {
		{.code = 0xb7, .dst_reg = 0, .imm = ret}, /* r0 = ret */
		{.code = 0x95},                           /* exit */
	};

	return bpf_prog_load(type, "vw_empty", "GPL", insns, 2, NULL);
}

/* Mean ns per run of `repeat` runs of one frame. */
static double run(int fd, const struct frame *f, unsigned repeat)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->data, .data_size_in = f->len,
		    .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &o)) {
		fprintf(stderr, "bpf_cost: test run: %s\n", strerror(errno));
		exit(2);
	}
	return (double)o.duration;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const char *only; /* -f */

/* Alternate empty and vrrpwatch rounds; returns the failures. */
static int compare(const char *hook, int empty, int prog, struct frame *frames, int n,
		   unsigned repeat, int rounds)
{
	double e[64], p[64];
	int bad = 0;

	for (int i = 0; i < n; i++) {
		const struct frame *f = &frames[i];
		if (only && !strstr(f->name, only))
			continue;
		run(prog, f, 1000); /* warm: its cache slot or LRU entry exists */
		for (int r = 0; r < rounds; r++) {
			e[r] = run(empty, f, repeat);
			p[r] = run(prog, f, repeat);
		}
		double me = median(e, rounds), mp = median(p, rounds), d = mp - me;
		int over = f->budget > 0 && d > f->budget;
		printf("%-4s %-34s %8.1f %10.1f %+9.1f %6.2f   %s\n", hook, f->name, me, mp, d,
		       mp / me, f->budget > 0 ? (over ? "OVER BUDGET" : "ok") : "(not budgeted)");
		bad += over;
	}
	return bad;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static void pin_cpu(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set); /* best effort: steadier figures */
}

int main(int argc, char **argv)
{
	unsigned repeat = 1000000;
	int rounds = 9, c;

	while ((c = getopt(argc, argv, "n:r:f:")) != -1) {
		if (c == 'n')
			repeat = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'r')
			rounds = atoi(optarg);
		else if (c == 'f')
			only = optarg;
		else {
			fprintf(stderr, "usage: %s [-n REPEAT] [-r ROUNDS] [-f FRAME]\n", argv[0]);
			return 2;
		}
	}
	if (!repeat || rounds < 1 || rounds > 64) {
		fprintf(stderr, "bpf_cost: -n > 0, 1 <= -r <= 64\n");
		return 2;
	}
	libbpf_set_print(quiet);
	pin_cpu();
	struct vrrpwatch *xdp = vrrpwatch__open_and_load();
	struct vrrpwatch_tc *tc = vrrpwatch_tc__open();
	if (!xdp || !tc || bpf_map__reuse_fd(tc->maps.vw_cache, bpf_map__fd(xdp->maps.vw_cache)) ||
	    bpf_map__reuse_fd(tc->maps.vw_lru, bpf_map__fd(xdp->maps.vw_lru)) ||
	    bpf_map__reuse_fd(tc->maps.vw_rejects, bpf_map__fd(xdp->maps.vw_rejects)) ||
	    bpf_map__reuse_fd(tc->maps.vw_stats, bpf_map__fd(xdp->maps.vw_stats)) ||
	    bpf_map__reuse_fd(tc->maps.vw_events, bpf_map__fd(xdp->maps.vw_events)) ||
	    bpf_map__reuse_fd(tc->maps.vw_scratch, bpf_map__fd(xdp->maps.vw_scratch)) ||
	    bpf_map__reuse_fd(tc->maps.vw_watch, bpf_map__fd(xdp->maps.vw_watch)) ||
	    bpf_map__reuse_fd(tc->maps.vw_watch_bits, bpf_map__fd(xdp->maps.vw_watch_bits)) ||
	    bpf_map__reuse_fd(tc->maps.vw_claims, bpf_map__fd(xdp->maps.vw_claims)) ||
	    bpf_map__reuse_fd(tc->maps.vw_claim_cache, bpf_map__fd(xdp->maps.vw_claim_cache)) ||
	    vrrpwatch_tc__load(tc)) {
		fprintf(stderr, "bpf_cost: cannot load the BPF programs: %s (needs root)\n",
			strerror(errno));
		return 2;
	}
	int empty_xdp = empty_prog(BPF_PROG_TYPE_XDP, XDP_PASS);
	int empty_tc = empty_prog(BPF_PROG_TYPE_SCHED_CLS, 0);
	if (empty_xdp < 0 || empty_tc < 0) {
		fprintf(stderr, "bpf_cost: cannot load the empty programs: %s\n", strerror(errno));
		return 2;
	}
	/* the watched addresses: 198.18.0.100 and fd00::64 */
	struct vw_watch_key w4 = {.family = 4, .addr = {198, 18, 0, 100}},
			    w6 = {.family = 6, .addr = {0xfd, [15] = 0x64}};
	unsigned char one = 1;
	struct vw_watch_bits bits = {0};
	unsigned b4 = vw_watch_bit(4, w4.addr), b6 = vw_watch_bit(6, w6.addr), zero = 0;
	bits.w[b4 >> 6] |= 1ull << (b4 & 63);
	bits.w[b6 >> 6] |= 1ull << (b6 & 63);
	if (bpf_map_update_elem(bpf_map__fd(xdp->maps.vw_watch), &w4, &one, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(xdp->maps.vw_watch), &w6, &one, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(xdp->maps.vw_watch_bits), &zero, &bits, BPF_ANY)) {
		fprintf(stderr, "bpf_cost: cannot fill the watch map: %s\n", strerror(errno));
		return 2;
	}
	static struct frame frames[NFRAMES];
	frames[0].name = "TCP/IPv4 (not VRRP)";
	frames[0].budget = NON_VRRP_BUDGET_NS;
	tcp4(&frames[0]);
	frames[1].name = "VRRPv2 IPv4 advert";
	frames[1].budget = VRRP_BUDGET_NS;
	vrrp4(&frames[1], 1);
	frames[2].name = "VRRPv3 IPv6 advert";
	frames[2].budget = VRRP_BUDGET_NS;
	vrrp6(&frames[2]);
	unsigned other = colliding_source();
	frames[3].name = "VRRPv2 IPv4, slot taken (LRU hash)";
	vrrp4(&frames[3], other);
	frames[4].name = "gratuitous ARP, watched address";
	frames[4].budget = CLAIM_BUDGET_NS;
	arp(&frames[4], 1, 100, 100);
	frames[5].name = "IPv6 NA (unsolicited), watched";
	frames[5].budget = CLAIM_BUDGET_NS;
	icmp6(&frames[5], 136);
	frames[6].name = "ARP request, not watched";
	frames[6].budget = CLAIM_BUDGET_NS;
	arp(&frames[6], 1, 7, 9);
	frames[7].name = "gratuitous ARP, slot taken (hash)";
	arp(&frames[7], 1, 100, 100);
	colliding_claimer(&frames[7]);
	frames[8].name = "TCP/IPv6 (not VRRP)";
	frames[8].budget = NON_VRRP_BUDGET_NS;
	tcp6(&frames[8]);
	frames[9].name = "ICMPv6 echo (not NS / NA)";
	frames[9].budget = NON_VRRP_BUDGET_NS;
	icmp6(&frames[9], 128);

	printf("BPF_PROG_TEST_RUN, %u runs per measurement, median of %d rounds alternating with\n"
	       "an empty program of the same type; ns per frame\n\n", repeat, rounds);
	printf("%-4s %-34s %8s %10s %9s %6s   %s\n", "hook", "frame", "empty", "vrrpwatch", "delta",
	       "ratio", "budget");
	int bad = compare("xdp", empty_xdp, bpf_program__fd(xdp->progs.vw_xdp), frames, NFRAMES,
			  repeat, rounds);
	bad += compare("tc", empty_tc, bpf_program__fd(tc->progs.vw_tc_egress), frames, NFRAMES,
		       repeat, rounds);
	printf("\nbudget: +%.0f ns for a frame that is neither VRRP nor ARP / NS / NA, +%.0f ns for "
	       "an advert, +%.0f ns for an ARP or NS / NA frame: %s\n",
	       NON_VRRP_BUDGET_NS, VRRP_BUDGET_NS, CLAIM_BUDGET_NS, bad ? "MISSED" : "met");
	close(empty_xdp);
	close(empty_tc);
	vrrpwatch_tc__destroy(tc);
	vrrpwatch__destroy(xdp);
	return bad ? 1 : 0;
}
