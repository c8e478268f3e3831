// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gen_bench_pcap.c - a large, deterministic capture for the offline
 * benchmark: half VRRP adverts (v2 and v3, IPv4 and IPv6, untagged and
 * 802.1Q-tagged, 48 advertisers), half other traffic (TCP, UDP, ARP,
 * TCPv6).  Checksums are right, so every advert counts.
 *
 * usage: gen_bench_pcap FRAMES OUTPUT.pcap
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNAPLEN 262144

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
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

static size_t ipv4(uint8_t *p, uint8_t proto, uint8_t src, const uint8_t *dst, size_t payload)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(20 + payload));
	p[8] = proto == 112 ? 255 : 64;
	p[9] = proto;
	p[12] = 198, p[13] = 18, p[14] = 0, p[15] = src;
	memcpy(p + 16, dst, 4);
	put16(p + 10, csum(p, 20, 0));
	return 20;
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

static int write_all(FILE *out, const void *p, size_t n)
{
	return fwrite(p, 1, n, out) == n ? 0 : -1;
}

int main(int argc, char **argv)
{
	uint32_t hdr[6] = {0xa1b2c3d4, 2 | 4u << 16, 0, 0, SNAPLEN, 1};
	uint8_t frame[512];
	char *end;

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
