// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gen_bench_pcap.c - a large, deterministic capture for the offline
 * benchmark: half VRRP adverts (v2 and v3, IPv4 and IPv6, untagged and
 * 802.1Q-tagged, 48 advertisers), half other traffic (TCP, UDP, ARP,
 * TCPv6).  Checksums are right, so every advert counts.
 *
 * usage: gen_bench_pcap FRAMES OUTPUT.pcap
 *
 * With --shape, the captures of tools/bench/replay-shapes (issue 12), all
 * IPv4 adverts whose IP identification (and so header checksum) changes
 * from one advert of a source to the next, as a real router's do:
 *
 *   mixed    61 s of mixed traffic, ~3 M frames at scale 1, ~240-byte
 *            average frame: 35% VRRP from 187 sources on 160 VRIDs (some
 *            802.1Q-tagged, v2 and v3), 2% of adverts with a bad checksum;
 *            the rest TCP ACKs, full-size TCP segments and UDP
 *   vrrp     the VRRP frames of mixed alone, at the same times
 *   vrrp-1h  the same VRRP frames spread over one hour
 *   2r-24h   2 routers (VRIDs 1 and 2), 1 advert/s each, 24 h
 *   2r-61s   the frames of 2r-24h, their times squeezed into 61 s (what
 *            the 24 hours are measured against: the same frames, no clock)
 *   domains  1000 VRIDs on 4 VLANs (250 each), 1 advert/s each, 300 s
 *
 * SCALE multiplies the frame count of mixed/vrrp/vrrp-1h and the duration
 * of 2r-24h and domains (a quick run: 0.1).  GEN_BROKEN_PCT in the
 * environment sets the share of broken adverts (default 2).
 * GEN_ARRIVALS sets who sends each VRRP frame of mixed/vrrp/vrrp-1h:
 * rounds (the default) the next source of a round in which every source
 * advertises once (shuffled each round), as routers advertising at their
 * interval do (keepalived's adverts in pcaps/ are 1.000 to 1.003 s apart
 * at advert_int 1); random a source drawn at random for each frame, which
 * over an hour leaves sources silent past their master-down interval
 * thousands of times (the stress rows of tools/bench/replay-shapes).
 *
 * usage: gen_bench_pcap --shape NAME [SCALE] OUTPUT.pcap
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNAPLEN 262144

static uint64_t rng = 0x2545f4914f6cdd1dull;

/* xorshift64: the next state of *s */
static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint32_t next_rand(void)
{
	return (uint32_t)(xorshift(&rng) >> 16);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

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

static size_t ether(uint8_t *f, const uint8_t *dst, uint8_t src_id, int vlan, uint16_t type)
{
	static const uint8_t base[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x00};
	size_t off = 12;

	memcpy(f, dst, 6);
	memcpy(f + 6, base, 6);
	f[11] = src_id;
	if (vlan) {
		put16(f + off, 0x8100);
		put16(f + off + 2, (uint16_t)vlan);
		off += 4;
	}
	put16(f + off, type);
	return off + 2;
}

static size_t ipv4_id(uint8_t *p, uint8_t proto, uint8_t src, const uint8_t *dst,
		      size_t payload, uint16_t id)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 4, id);
	put16(p + 2, (uint16_t)(20 + payload));
	p[8] = proto == 112 ? 255 : 64;
	p[9] = proto;
	p[12] = 198, p[13] = 18, p[14] = 0, p[15] = src;
	memcpy(p + 16, dst, 4);
	put16(p + 10, csum(p, 20, 0));
	return 20;
}

static size_t ipv4(uint8_t *p, uint8_t proto, uint8_t src, const uint8_t *dst, size_t payload)
{
	return ipv4_id(p, proto, src, dst, payload, 0);
}

static size_t ipv6(uint8_t *p, uint8_t next, uint8_t src, const uint8_t *dst, size_t payload)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	put16(p + 4, (uint16_t)payload);
	p[6] = next;
	p[7] = next == 112 ? 255 : 64;
	p[8] = 0xfe, p[9] = 0x80, p[23] = src;
	memcpy(p + 24, dst, 16);
	return 40;
}

/* A VRRP advert from advertiser `who` (0..47). */
static size_t vrrp_frame(uint8_t *f, unsigned who)
{
	static const uint8_t mac4[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x12};
	static const uint8_t mac6[6] = {0x33, 0x33, 0x00, 0x00, 0x00, 0x12};
	static const uint8_t grp4[4] = {224, 0, 0, 18};
	static const uint8_t grp6[16] = {0xff, 0x02, [15] = 0x12};
	unsigned kind = who % 4; /* 0 v2/v4, 1 v2/v4 VLAN, 2 v3/v4, 3 v3/v6 */
	uint8_t src = (uint8_t)(1 + who), vrid = (uint8_t)(1 + who / 2), naddr = (uint8_t)(1 + who % 2);
	int six = kind == 3, v2 = kind < 2;
	size_t alen = six ? 16 : 4, vlen = 8 + naddr * alen + (v2 ? 8 : 0);
	size_t off = ether(f, six ? mac6 : mac4, src, kind == 1 ? 100 + (int)(who % 3) : 0,
			   six ? 0x86dd : 0x0800);
	uint8_t *ip = f + off, *v;

	off += six ? ipv6(ip, 112, src, grp6, vlen) : ipv4(ip, 112, src, grp4, vlen);
	v = f + off;
	memset(v, 0, vlen);
	v[0] = v2 ? 0x21 : 0x31;
	v[1] = vrid;
	v[2] = (uint8_t)(100 + who % 50);
	v[3] = naddr;
	if (v2)
		v[5] = 1;
	else
		put16(v + 4, 100);
	for (unsigned i = 0; i < naddr; i++) {
		uint8_t *a = v + 8 + i * alen;
		if (six)
			a[0] = 0xfd, a[14] = vrid, a[15] = (uint8_t)(100 + i);
		else
			a[0] = 198, a[1] = 18, a[2] = vrid, a[3] = (uint8_t)(100 + i);
	}
	uint32_t pseudo = 0;
	if (six) {
		for (int i = 8; i < 40; i += 2)
			pseudo += (uint32_t)(ip[i] << 8 | ip[i + 1]);
		pseudo += (uint32_t)vlen + 112;
	} else if (!v2) {
		for (int i = 12; i < 20; i += 2)
			pseudo += (uint32_t)(ip[i] << 8 | ip[i + 1]);
		pseudo += (uint32_t)vlen + 112;
	}
	put16(v + 6, csum(v, vlen, pseudo));
	return off + vlen;
}

static size_t other_frame(uint8_t *f, unsigned kind)
{
	static const uint8_t peer[6] = {0x02, 0x00, 0x00, 0x00, 0x01, 0x01};
	static const uint8_t dst4[4] = {198, 18, 1, 1};
	static const uint8_t dst6[16] = {0xfd, [15] = 1};
	size_t off;

	switch (kind % 4) {
	case 0: /* TCP SYN */
		off = ether(f, peer, 200, 0, 0x0800);
		off += ipv4(f + off, 6, 200, dst4, 20);
		memset(f + off, 0, 20);
		f[off + 12] = 0x50, f[off + 13] = 0x02;
		return off + 20;
	case 1: /* UDP with 64 bytes of payload */
		off = ether(f, peer, 201, 0, 0x0800);
		off += ipv4(f + off, 17, 201, dst4, 72);
		memset(f + off, 0, 72);
		put16(f + off + 4, 72);
		return off + 72;
	case 2: /* ARP request */
		off = ether(f, peer, 202, 0, 0x0806);
		memset(f + off, 0, 28);
		put16(f + off, 1), put16(f + off + 2, 0x0800), f[off + 4] = 6, f[off + 5] = 4;
		put16(f + off + 6, 1);
		return off + 28;
	default: /* TCP over IPv6 */
		off = ether(f, peer, 203, 0, 0x86dd);
		off += ipv6(f + off, 6, 203, dst6, 20);
		memset(f + off, 0, 20);
		f[off + 12] = 0x50;
		return off + 20;
	}
}


/* --- shapes (issue 12) --------------------------------------------------- */

#define MAX_SOURCES 1024

struct shape_src {
	uint16_t ip_id;
	uint16_t idx; /* source 10.VLAN.IDX: tells the sources apart */
	uint8_t vrid;
	uint8_t prio;
	int vlan;
	int v3;
};

static struct shape_src srcs[MAX_SOURCES];

/* An IPv4 advert of source s (VRRPv2 or v3, one address), next IP ID. */
static size_t shape_vrrp(uint8_t *f, struct shape_src *s, int broken)
{
	static const uint8_t mac4[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x12};
	static const uint8_t grp4[4] = {224, 0, 0, 18};
	size_t vlen = s->v3 ? 12 : 20;
	size_t off = ether(f, mac4, (uint8_t)s->idx, s->vlan, 0x0800);
	uint8_t *ip = f + off, *v;

	f[10] = (uint8_t)(s->idx >> 8);
	off += ipv4_id(ip, 112, 0, grp4, vlen, s->ip_id++);
	ip[12] = 10, ip[13] = (uint8_t)s->vlan;
	put16(ip + 14, (uint16_t)(s->idx + 1));
	put16(ip + 10, 0);
	put16(ip + 10, csum(ip, 20, 0));
	v = f + off;
	memset(v, 0, vlen);
	v[0] = s->v3 ? 0x31 : 0x21;
	v[1] = s->vrid;
	v[2] = s->prio;
	v[3] = 1;
	if (s->v3) {
		put16(v + 4, 100);
	} else {
		v[5] = 1;
	}
	v[8] = 10, v[9] = (uint8_t)s->vlan, v[10] = s->vrid, v[11] = 254; /* the virtual address */
	uint32_t pseudo = 0;
	if (s->v3) {
		for (int i = 12; i < 20; i += 2)
			pseudo += (uint32_t)(ip[i] << 8 | ip[i + 1]);
		pseudo += (uint32_t)vlen + 112;
	}
	put16(v + 6, (uint16_t)(csum(v, vlen, pseudo) + (broken ? 1 : 0)));
	return off + vlen;
}

/* Everything else of a busy segment: ACKs, full segments, UDP. */
static size_t shape_other(uint8_t *f, uint32_t r)
{
	static const uint8_t peer[6] = {0x02, 0x00, 0x00, 0x00, 0x01, 0x01};
	uint8_t dst4[4] = {10, 200, (uint8_t)(r >> 8), (uint8_t)(r >> 16)};
	unsigned pick = r % 100;
	size_t off = ether(f, peer, (uint8_t)(r >> 24), 0, 0x0800);

	if (pick < 62) { /* TCP ACK with timestamps: 66 bytes */
		off += ipv4_id(f + off, 6, 200, dst4, 32, (uint16_t)r);
		memset(f + off, 0, 32);
		f[off + 12] = 0x80, f[off + 13] = 0x10;
		return off + 32;
	}
	if (pick < 80) { /* full-size TCP segment: 1514 bytes */
		off += ipv4_id(f + off, 6, 201, dst4, 1480, (uint16_t)r);
		memset(f + off, (int)(r & 0xff), 1480);
		f[off + 12] = 0x50, f[off + 13] = 0x18;
		return off + 1480;
	}
	off += ipv4_id(f + off, 17, 202, dst4, 116, (uint16_t)r); /* UDP: 150 bytes */
	memset(f + off, 0, 116);
	put16(f + off + 4, 116);
	return off + 116;
}

static int put_record(FILE *out, uint64_t us, const uint8_t *frame, size_t len)
{
	uint32_t rec[4] = {(uint32_t)(us / 1000000u), (uint32_t)(us % 1000000u), (uint32_t)len,
			   (uint32_t)len};

	return fwrite(rec, 1, sizeof(rec), out) != sizeof(rec) ||
	       fwrite(frame, 1, len, out) != len;
}

#define SHAPE_START (1767225600ull * 1000000u) /* 2026-01-01 00:00:00 UTC */

#define SHAPE_SOURCES 187

/* The source of the next advert: drawn at random, or (rounds) the next of
 * a round in which each source advertises once, in an order shuffled per
 * round: then no source is silent for more than two rounds.  The shuffle
 * draws from a generator of its own, so that both give the same frames,
 * broken adverts and times, only the sources in another order. */
static unsigned next_source(uint32_t r, int rounds)
{
	static uint8_t order[SHAPE_SOURCES];
	static unsigned turn = SHAPE_SOURCES;
	static uint64_t shuffle = 0x9e3779b97f4a7c15ull;

	if (!rounds)
		return r % SHAPE_SOURCES;
	if (turn == SHAPE_SOURCES) {
		for (unsigned k = 0; k < SHAPE_SOURCES; k++)
			order[k] = (uint8_t)k;
		for (unsigned k = SHAPE_SOURCES - 1; k > 0; k--) {
			unsigned j = (unsigned)(xorshift(&shuffle) >> 32) % (k + 1);
			uint8_t t = order[k];
			order[k] = order[j];
			order[j] = t;
		}
		turn = 0;
	}
	return order[turn++];
}

/* mixed, vrrp, vrrp-1h: the same random sequence, filtered or stretched;
 * broken_pct of the adverts with a bad checksum. */
static int shape_mixed(FILE *out, double scale, int vrrp_only, uint64_t span_us,
		       unsigned broken_pct, int rounds)
{
	uint64_t n = (uint64_t)(3000000 * scale);
	uint8_t frame[2048];
	int err = 0;

	for (unsigned i = 0; i < SHAPE_SOURCES; i++) {
		srcs[i] = (struct shape_src){
			.ip_id = (uint16_t)(i * 977),
			.idx = (uint16_t)i,
			.vrid = (uint8_t)(1 + i % 160), /* 27 VRIDs have two sources */
			.prio = i < 160 ? 200 : 100,
			.vlan = i % 5 == 1 ? 100 + (int)(i % 7) : 0,
			.v3 = i % 3 == 2,
		};
	}
	for (uint64_t i = 0; i < n && !err; i++) {
		uint32_t r = next_rand();
		uint64_t us = SHAPE_START + i * span_us / n;
		if (r % 100 < 35) {
			uint32_t r2 = next_rand();
			size_t len = shape_vrrp(frame, &srcs[next_source(r2, rounds)],
						(r2 >> 16) % 100 < broken_pct);
			err = put_record(out, us, frame, len);
		} else {
			uint32_t r2 = next_rand();
			if (!vrrp_only)
				err = put_record(out, us, frame, shape_other(frame, r2));
		}
	}
	return err;
}

/* n sources, each the master of its domain, 1 advert/s for secs seconds;
 * with span_us, the same frames with their times squeezed into it. */
static int shape_periodic(FILE *out, unsigned n, unsigned per_vlan, uint64_t secs,
			  uint64_t span_us)
{
	uint8_t frame[256];
	int err = 0;

	for (unsigned i = 0; i < n; i++)
		srcs[i] = (struct shape_src){
			.ip_id = (uint16_t)(i * 977),
			.idx = (uint16_t)i,
			.vrid = (uint8_t)(1 + i % per_vlan),
			.prio = 150,
			.vlan = n > 2 ? 10 + (int)(i / per_vlan) : 0,
			.v3 = i % 2,
		};
	for (uint64_t t = 0; t < secs && !err; t++)
		for (unsigned i = 0; i < n && !err; i++) {
			uint64_t at = t * 1000000u + (uint64_t)i * 1000000u / n +
				      next_rand() % 500; /* a little jitter */
			/* 128 bits: at * span_us passes 2^64 from a scale of 3.5 */
			uint64_t us = SHAPE_START +
				      (span_us ? (uint64_t)((unsigned __int128)at * span_us /
							    (secs * 1000000u))
					       : at);
			err = put_record(out, us, frame, shape_vrrp(frame, &srcs[i], 0));
		}
	return err;
}

static int shape_main(int argc, char **argv)
{
	uint32_t hdr[6] = {0xa1b2c3d4, 2 | 4u << 16, 0, 0, SNAPLEN, 1};
	double scale = 1;

	if (argc != 4 && argc != 5) {
		fprintf(stderr,
			"usage: %s --shape mixed|vrrp|vrrp-1h|2r-24h|2r-61s|domains [SCALE] "
			"OUTPUT.pcap\n",
			argv[0]);
		return 2;
	}
	const char *shape = argv[2], *path = argv[argc - 1];
	if (argc == 5) {
		char *end;
		scale = strtod(argv[3], &end);
		if (*end || !(scale > 0) || scale > 100) {
			fprintf(stderr, "%s: SCALE must be a number in (0, 100]\n", argv[0]);
			return 2;
		}
	}
	FILE *out = fopen(path, "wb");
	if (!out) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], path, strerror(errno));
		return 1;
	}
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	int err = fwrite(hdr, 1, sizeof(hdr), out) != sizeof(hdr);
	uint64_t secs;
	/* GEN_BROKEN_PCT: the share of broken adverts in mixed, vrrp and
	 * vrrp-1h (default 2), to see what the broken ones cost */
	const char *pct = getenv("GEN_BROKEN_PCT");
	char *end = NULL;
	unsigned long broken = pct ? strtoul(pct, &end, 10) : 2;
	if (pct && (!*pct || *end || broken > 100)) {
		fprintf(stderr, "%s: GEN_BROKEN_PCT must be a number from 0 to 100\n", argv[0]);
		fclose(out);
		remove(path);
		return 2;
	}
	const char *arrivals = getenv("GEN_ARRIVALS");
	int rounds = !arrivals || !strcmp(arrivals, "rounds");
	if (!rounds && strcmp(arrivals, "random")) {
		fprintf(stderr, "%s: GEN_ARRIVALS must be random or rounds\n", argv[0]);
		fclose(out);
		remove(path);
		return 2;
	}
	if (!strcmp(shape, "mixed"))
		err = err || shape_mixed(out, scale, 0, 61000000u, (unsigned)broken, rounds);
	else if (!strcmp(shape, "vrrp"))
		err = err || shape_mixed(out, scale, 1, 61000000u, (unsigned)broken, rounds);
	else if (!strcmp(shape, "vrrp-1h"))
		err = err || shape_mixed(out, scale, 1, 3600000000u, (unsigned)broken, rounds);
	else if (!strcmp(shape, "2r-24h") || !strcmp(shape, "2r-61s")) {
		secs = (uint64_t)(86400 * scale);
		err = err || shape_periodic(out, 2, 2, secs ? secs : 1,
					    strcmp(shape, "2r-61s") ? 0 : 61000000u);
	} else if (!strcmp(shape, "domains")) {
		secs = (uint64_t)(300 * scale);
		err = err || shape_periodic(out, 1000, 250, secs ? secs : 1, 0);
	} else {
		fprintf(stderr, "%s: unknown shape %s\n", argv[0], shape);
		fclose(out);
		remove(path);
		return 2;
	}
	if (fclose(out) || err) {
		fprintf(stderr, "%s: writing %s failed: %s\n", argv[0], path, strerror(errno));
		return 1;
	}
	return 0;
}

static int write_all(FILE *out, const void *p, size_t n)
{
	return fwrite(p, 1, n, out) == n ? 0 : -1;
}

int main(int argc, char **argv)
{
	uint32_t hdr[6] = {0xa1b2c3d4, 2 | 4u << 16, 0, 0, SNAPLEN, 1};
	uint8_t frame[512];
	char *end;

	if (argc >= 2 && !strcmp(argv[1], "--shape"))
		return shape_main(argc, argv);
	if (argc != 3) {
		fprintf(stderr, "usage: %s FRAMES OUTPUT.pcap\n", argv[0]);
		return 2;
	}
	unsigned long long n = strtoull(argv[1], &end, 10);
	if (*end || !n) {
		fprintf(stderr, "%s: FRAMES must be a positive number\n", argv[0]);
		return 2;
	}
	FILE *out = fopen(argv[2], "wb");
	if (!out) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[2], strerror(errno));
		return 1;
	}
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	int err = write_all(out, hdr, sizeof(hdr));
	for (unsigned long long i = 0; i < n && !err; i++) {
		uint32_t r = next_rand();
		size_t len = r & 1 ? vrrp_frame(frame, (r >> 1) % 48) : other_frame(frame, r >> 1);
		uint64_t us = 1767225600ull * 1000000u + i; /* 2026-01-01, 1 us apart */
		uint32_t rec[4] = {(uint32_t)(us / 1000000u), (uint32_t)(us % 1000000u),
				   (uint32_t)len, (uint32_t)len};
		err = write_all(out, rec, sizeof(rec)) || write_all(out, frame, len);
	}
	if (fclose(out) || err) {
		fprintf(stderr, "%s: writing %s failed: %s\n", argv[0], argv[2], strerror(errno));
		return 1;
	}
	return 0;
}
