// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * detector_flood - how the detector's tick grows with a flood of spoofed
 * sources on one VRID: a real master (VRID 51, 30 adverts) and N one-shot
 * sources with other addresses and their own MACs (a scapy or trafgen
 * flood), all in one collision domain.  Times one detector tick (activity,
 * domains, every rule, the findings) for each N and prints the ratio to
 * the first N: near-linear is about N / N0 (n log n a little more); the
 * quadratic detector was (N / N0)^2.
 *
 * usage: detector_flood [-c keepalived.conf] [N...]   (default 1000 10000 100000)
 *
 * With -c the flood is judged against that configuration as well (the
 * local address is 198.18.0.1, the master).  Speed targets live here,
 * not in the unit tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include "detect/detector.h"
#include "kaconf/kaconf.h"
#include "model/obs_table.h"

#define NS_PER_S 1000000000ull
#define T0 (1760000000ull * NS_PER_S)
#define ROUNDS 5

struct built {
	struct vw_advert a;
	uint8_t frame[64 + VW_MAX_VRRP_LEN];
};

/* An IPv4 VRRPv2 advert for VRID 51 from src with one address. */
static void build(struct built *b, uint32_t src, const uint8_t mac[6], uint8_t prio,
		  uint32_t vip)
{
	struct vw_advert *a = &b->a;
	unsigned hdr = 14 + 20;
	uint8_t *q = b->frame + hdr;
	uint32_t be;

	memset(b, 0, sizeof(*b));
	a->family = 4;
	be = htonl(src);
	memcpy(a->src, &be, 4);
	be = htonl(0xe0000012); /* 224.0.0.18 */
	memcpy(a->dst, &be, 4);
	memcpy(a->src_mac, mac, 6);
	a->verdict = VW_ADVERT;
	a->ttl = 255;
	a->pkt_type = VW_PKT_NONE;
	a->ip_proto = 112;
	a->version = 2;
	a->type = 1;
	a->vrid = 51;
	a->priority = prio;
	a->interval_cs = 100;
	a->naddr = 1;
	q[0] = 2 << 4 | 1;
	q[1] = 51;
	q[2] = prio;
	q[3] = 1;
	q[5] = 1;
	be = htonl(vip);
	memcpy(q + VW_VRRP_HDR_LEN, &be, 4);
	unsigned len = VW_VRRP_HDR_LEN + 4 + VW_V2_AUTH_LEN;
	a->vrrp_off = (uint16_t)hdr;
	a->vrrp_len = (uint16_t)len;
	a->ip_len = (uint16_t)(len + 20);
	uint64_t r = vw_sum_message(q, q + len, len / 4, 1, false);
	a->addr_hash = (uint32_t)(r >> 16);
	a->csum_ok = a->csum_variant = VW_CSUM_MESSAGE;
}

static void add(struct vw_table *t, struct built *b, uint64_t ts)
{
	struct vw_obs_key k;

	vw_key_from_advert(&k, 1, VW_DIR_RX, &b->a);
	if (!vw_table_add_advert(t, &k, &b->a, b->frame, ts)) {
		fprintf(stderr, "detector_flood: out of memory\n");
		exit(2);
	}
	if (!t->frames || ts < t->first_ns)
		t->first_ns = ts;
	if (ts > t->last_ns)
		t->last_ns = ts;
	t->frames++;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/* The median time of one detector tick over a table of n flood sources. */
static double run(size_t n, const struct ka_config *conf, size_t *findings, size_t *notes)
{
	static const uint8_t master_mac[6] = {2, 0, 0, 0, 0, 1};
	struct vw_table t;
	struct built b;
	struct ka_addr local = {.family = 4};
	double times[ROUNDS];

	if (vw_table_init(&t, n + 64) || vw_table_add_segment(&t, "eth0", NULL, 1, 1, true) != 1) {
		fprintf(stderr, "detector_flood: out of memory\n");
		exit(2);
	}
	local.addr[0] = 198, local.addr[1] = 18, local.addr[3] = 1;
	for (unsigned i = 0; i < 30; i++) { /* the master, 198.18.0.1, for 198.18.0.100 */
		build(&b, 0xc6120001, master_mac, 150, 0xc6120064);
		add(&t, &b, T0 + i * NS_PER_S);
	}
	for (size_t j = 0; j < n; j++) { /* 198.19.x.y, one advert each, over 5 s */
		uint8_t mac[6] = {2, 0xf1, (uint8_t)(j >> 24), (uint8_t)(j >> 16), (uint8_t)(j >> 8),
				  (uint8_t)j};
		build(&b, 0xc6130000 + (uint32_t)j, mac, 100, 0xc61200c8);
		add(&t, &b, T0 + 24 * NS_PER_S + 5 * NS_PER_S * j / (n ? n : 1));
	}
	for (int r = 0; r < ROUNDS; r++) {
		struct vw_detector d;
		struct vw_detector_opts o = {.config = conf, .local = conf ? &local : NULL,
					     .n_local = conf ? 1 : 0};
		if (vw_detector_init(&d, &o)) {
			fprintf(stderr, "detector_flood: out of memory\n");
			exit(2);
		}
		/* a first tick folds the counters in (every source is new news) */
		double t0 = now_s();
		vw_detector_tick(&d, &t, t.last_ns + 1);
		times[r] = now_s() - t0;
		if (d.error) {
			fprintf(stderr, "detector_flood: detector error %d\n", d.error);
			exit(2);
		}
		*findings = d.findings.n;
		*notes = d.n_notes;
		vw_detector_free(&d);
	}
	vw_table_free(&t);
	qsort(times, ROUNDS, sizeof(times[0]), cmp_double);
	return times[ROUNDS / 2];
}

int main(int argc, char **argv)
{
	static const size_t def[] = {1000, 10000, 100000};
	size_t ns[16], n_ns = 0;
	struct ka_config conf;
	const struct ka_config *cp = NULL;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-c")) {
		if (ka_config_load_file(argv[2], NULL, &conf)) {
			fprintf(stderr, "detector_flood: cannot read %s\n", argv[2]);
			return 2;
		}
		cp = &conf;
		i = 3;
	}
	for (; i < argc && n_ns < 16; i++)
		ns[n_ns++] = strtoul(argv[i], NULL, 10);
	if (!n_ns)
		for (; n_ns < 3; n_ns++)
			ns[n_ns] = def[n_ns];
	double base = 0;
	printf("%10s %12s %8s %9s %6s\n", "sources", "tick (ms)", "ratio", "findings", "notes");
	for (size_t k = 0; k < n_ns; k++) {
		size_t findings = 0, notes = 0;
		double s = run(ns[k], cp, &findings, &notes);
		if (!k)
			base = s;
		printf("%10zu %12.3f %8.1f %9zu %6zu\n", ns[k], s * 1e3, base > 0 ? s / base : 0.0,
		       findings, notes);
	}
	if (cp)
		ka_config_free(&conf);
	return 0;
}
