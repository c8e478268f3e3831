// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_decode.c - the shared VRRP decoder (src/shared/vrrp_decode.h), table-driven.
 *
 * Every case builds its frame from a `struct spec` with the builders below
 * (Ethernet, 802.1Q / 802.1ad / 0x9100 tags, Linux cooked v1 and v2, raw
 * IP; IPv4 with options, IPv6 with extension headers, keepalived's AH;
 * VRRPv2, VRRPv3, CARP and a few non-VRRP protocols), computes checksums
 * with its own code (never the decoder's), copies the frame into a buffer
 * of exactly its size (so that ASan sees any read past its end), decodes
 * it as userspace does, and compares every field of struct vw_advert with
 * the expectation written in the table.
 *
 * Then: address-set hash properties, every truncated prefix of every
 * frame, seeded random mutations with invariants (including an
 * independent checksum verdict), and the crafted captures in pcaps/edge
 * against their manifest (pcaps/edge/expected.tsv, written by
 * tools/craft-edge-pcaps from the same data as pcaps/edge/README.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pcap/pcap.h>

#include "shared/vrrp_decode.h"

/* ------------------------------------------------------------------ */
/* Addresses: 198.18.0.0/15, fd00::/8, fe80::/10 and the VRRP groups.  */

static const uint8_t mac_src[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t mac_peer[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t mac_group4[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x12};
static const uint8_t mac_group6[6] = {0x33, 0x33, 0x00, 0x00, 0x00, 0x12};
static const uint8_t mac_bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static const uint8_t ip4_src[4] = {198, 18, 0, 1};
static const uint8_t ip4_peer[4] = {198, 18, 0, 2};
static const uint8_t ip4_group[4] = {224, 0, 0, 18};
static const uint8_t ip6_ll[16] = {0xfe, 0x80, [15] = 0x01};
static const uint8_t ip6_group[16] = {0xff, 0x02, [15] = 0x12};
static const uint8_t ip6_src[16] = {0xfd, 0x00, [15] = 0x01};
static const uint8_t ip6_peer[16] = {0xfd, 0x00, [15] = 0x02};

/* ------------------------------------------------------------------ */
/* Frame specification                                                 */

enum kind {
	K_VRRP,  /* VRRP message from vt/vrid/prio/naddr/auth/interval */
	K_CARP,  /* OpenBSD CARP, 36 bytes */
	K_TCP,   /* TCP SYN */
	K_UDP,   /* UDP, 4 bytes of payload */
	K_MLD,   /* MLDv2 report joining ff02::12 */
	K_ARP,   /* ARP request, no IP */
	K_BYTES, /* `bytes` as the IP payload, protocol 112 unless `proto` */
};

enum csum_mode {
	CS_AUTO,    /* what a correct sender writes */
	CS_MESSAGE, /* the message alone */
	CS_PSEUDO,  /* IP pseudo-header with the real destination */
	CS_KA,      /* IPv4 pseudo-header with 224.0.0.18 as destination */
	CS_BAD,     /* CS_AUTO plus one */
};

#define MAX_TAGS 3
#define MAX_EXT 6

struct spec {
	enum vw_link link;
	uint8_t ntag;
	uint16_t tag[MAX_TAGS][2]; /* TPID, TCI; outer first */
	uint16_t ethertype;        /* 0: from family / kind */
	uint8_t pkttype;           /* SLL / SLL2 packet type */
	uint8_t halen0;            /* SLL / SLL2 without a hardware address */
	uint8_t vmac;              /* source MAC 00:00:5e:00:01:<vrid> */
	uint8_t family;            /* 4 or 6 (0 for ARP) */
	uint8_t uni;               /* to the unicast peer, not the group */
	uint8_t ttl;               /* 0: 255 */
	uint8_t ver_ihl;           /* IPv4 first byte; 0: from optlen */
	uint8_t optlen;            /* IPv4 option bytes (multiple of 4) */
	uint16_t frag;             /* IPv4 flags and fragment offset */
	uint8_t iplen_set;         /* IP length field is `iplen` */
	uint16_t iplen;            /* IPv4 total / IPv6 payload length */
	uint8_t n_ext;             /* IPv6 extension headers */
	uint16_t ext[MAX_EXT];     /* type | hdrlen << 8 */
	uint8_t proto;             /* IP protocol / last next header; 0: kind */
	uint8_t ah;                /* in keepalived's 24-byte AH */
	uint8_t ah_next;           /* AH next header; 0: the kind's */
	uint8_t ah_plen;           /* AH payload length field; 0: 4 */
	enum kind kind;
	const uint8_t *bytes; /* K_BYTES */
	uint16_t nbytes;
	uint8_t vt; /* version << 4 | type */
	uint8_t vrid, prio, naddr, auth;
	uint16_t interval; /* v2: byte 5 (s); v3: bytes 4-5 */
	uint8_t set;       /* address set */
	uint8_t perm;      /* 0 in order, 1 reversed, 2 rotated by one */
	int16_t extra;     /* message bytes added (zeros) or dropped */
	enum csum_mode csum;
	uint16_t pad;      /* bytes after the IP datagram */
	uint16_t cut;      /* bytes cut off the end of the frame */
	int32_t keep;      /* frame cut to this length; < 0: empty */
};

/* What the builder made, independent of the decoder. */
struct frame {
	uint8_t *buf; /* malloc'ed, exactly len bytes (1 when len is 0) */
	size_t len;
	size_t msg_off, msg_len; /* VRRP / CARP message */
	size_t ip_len;           /* IP datagram length as the header says */
	uint16_t csum;           /* checksum field as written */
	uint8_t smac[6], dmac[6], src[16], dst[16];
};

/* ------------------------------------------------------------------ */
/* Independent Internet checksum (RFC 1071), big-endian 16-bit words.  */

static uint32_t sum16(uint32_t acc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

static uint32_t pseudo4_sum(const uint8_t *src, const uint8_t *dst, size_t len)
{
	uint8_t ph[12] = {0};

	memcpy(ph, src, 4);
	memcpy(ph + 4, dst, 4);
	ph[9] = 112;
	ph[10] = (uint8_t)(len >> 8);
	ph[11] = (uint8_t)len;
	return sum16(0, ph, sizeof(ph));
}

static uint32_t pseudo6_sum(const uint8_t *src, const uint8_t *dst, size_t len, uint8_t nh)
{
	uint8_t ph[40] = {0};

	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	ph[34] = (uint8_t)(len >> 8);
	ph[35] = (uint8_t)len;
	ph[39] = nh;
	return sum16(0, ph, sizeof(ph));
}

/* ------------------------------------------------------------------ */
/* Builders                                                            */

struct out {
	uint8_t *p;
	size_t n, cap;
};

static void put8(struct out *o, unsigned v)
{
	assert_true(o->n < o->cap);
	o->p[o->n++] = (uint8_t)v;
}

static void put16(struct out *o, unsigned v)
{
	put8(o, v >> 8);
	put8(o, v);
}

static void put32(struct out *o, uint32_t v)
{
	put16(o, v >> 16);
	put16(o, v & 0xffff);
}

static void putn(struct out *o, const void *src, size_t n)
{
	assert_true(o->n + n <= o->cap);
	memcpy(o->p + o->n, src, n);
	o->n += n;
}

static void addr_of(uint8_t family, unsigned set, unsigned i, uint8_t *a)
{
	if (family == 6) {
		uint8_t v6[16] = {0xfd, 0x00, [12] = 0, [13] = (uint8_t)(100 + set), [14] = 0,
				  [15] = (uint8_t)(i + 1)};

		memcpy(a, v6, 16);
	} else {
		a[0] = 198;
		a[1] = 18;
		a[2] = (uint8_t)(100 + set);
		a[3] = (uint8_t)(i + 1);
	}
}

static unsigned upper_proto(const struct spec *s)
{
	switch (s->kind) {
	case K_TCP:
		return 6;
	case K_UDP:
		return 17;
	case K_MLD:
		return 58;
	default:
		return 112;
	}
}

/* The IP payload proper: VRRP, CARP, TCP... Returns its length. */
static size_t build_message(const struct spec *s, const struct frame *f, uint8_t *m, size_t cap,
			    uint16_t *csum)
{
	struct out o = {m, 0, cap};
	size_t csum_at = 0;
	int has_csum = 0;

	switch (s->kind) {
	case K_VRRP: {
		unsigned alen = s->family == 6 ? 16 : 4;
		int v3_layout = (s->vt >> 4) == 3;

		put8(&o, s->vt);
		put8(&o, s->vrid);
		put8(&o, s->prio);
		put8(&o, s->naddr);
		if (v3_layout) {
			put16(&o, s->interval);
		} else {
			put8(&o, s->auth);
			put8(&o, s->interval & 0xff);
		}
		csum_at = o.n;
		put16(&o, 0);
		for (unsigned i = 0; i < s->naddr; i++) {
			unsigned j = s->perm == 1 ? s->naddr - 1 - i
				   : s->perm == 2 ? (i + 1) % s->naddr : i;
			uint8_t a[16];

			addr_of(s->family, s->set, j, a);
			putn(&o, a, alen);
		}
		if (!v3_layout && s->family == 4) /* RFC 3768 authentication data */
			putn(&o, s->auth == 1 ? "vrrpw8ch" : "\0\0\0\0\0\0\0\0", 8);
		has_csum = 1;
		break;
	}
	case K_CARP:
		put8(&o, 0x21);
		put8(&o, s->vrid); /* vhid */
		put8(&o, s->prio); /* advskew */
		put8(&o, 7);       /* authlen */
		put8(&o, 0);       /* demote */
		put8(&o, 1);       /* advbase */
		csum_at = o.n;
		put16(&o, 0);
		put32(&o, 0);
		put32(&o, 42); /* counter */
		for (unsigned i = 0; i < 20; i++)
			put8(&o, 0xc0 + i); /* HMAC */
		has_csum = 1;
		break;
	case K_TCP:
		put16(&o, 40000);
		put16(&o, 22);
		put32(&o, 1);
		put32(&o, 0);
		put16(&o, 0x5002); /* 5 words, SYN */
		put16(&o, 65535);
		put32(&o, 0);
		break;
	case K_UDP:
		put16(&o, 40000);
		put16(&o, 53);
		put16(&o, 12);
		put16(&o, 0);
		putn(&o, "ping", 4);
		break;
	case K_MLD:
		put8(&o, 143);
		put8(&o, 0);
		put16(&o, 0);
		put16(&o, 0);
		put16(&o, 1);
		put8(&o, 4); /* CHANGE_TO_EXCLUDE */
		put8(&o, 0);
		put16(&o, 0);
		putn(&o, ip6_group, 16);
		break;
	case K_ARP:
		break;
	case K_BYTES:
		if (s->nbytes)
			putn(&o, s->bytes, s->nbytes);
		break;
	}
	if (s->extra > 0) {
		for (int i = 0; i < s->extra; i++)
			put8(&o, 0);
	} else if (s->extra < 0) {
		assert_true(o.n >= (size_t)-s->extra);
		o.n -= (size_t)-s->extra;
	}
	if (has_csum) {
		uint32_t acc = sum16(0, m, o.n);
		int v3 = (s->vt >> 4) == 3;
		enum csum_mode mode = s->csum;

		if (s->kind == K_CARP)
			mode = CS_MESSAGE;
		if (mode == CS_AUTO || mode == CS_BAD)
			mode = s->family == 6 || v3 ? CS_PSEUDO : CS_MESSAGE;
		if (mode == CS_PSEUDO)
			acc += s->family == 6 ? pseudo6_sum(f->src, f->dst, o.n, 112)
					      : pseudo4_sum(f->src, f->dst, o.n);
		else if (mode == CS_KA)
			acc += pseudo4_sum(f->src, ip4_group, o.n);
		uint16_t c = (uint16_t)~fold(acc);

		if (s->csum == CS_BAD)
			c++;
		m[csum_at] = (uint8_t)(c >> 8);
		m[csum_at + 1] = (uint8_t)c;
		*csum = c;
	}
	return o.n;
}

static void put_ipv6_ext(struct out *o, unsigned ext, unsigned next)
{
	unsigned type = ext & 0xff, hl = ext >> 8;
	size_t size = (hl + 1) * 8;

	switch (type) {
	case 0: /* hop-by-hop: router alert, then PadN */
		put8(o, next);
		put8(o, hl);
		put8(o, 5);
		put8(o, 2);
		put16(o, 0);
		put8(o, 1);
		put8(o, (unsigned)(size - 8));
		for (size_t i = 8; i < size; i++)
			put8(o, 0);
		break;
	case 60: /* destination options: PadN */
		put8(o, next);
		put8(o, hl);
		put8(o, 1);
		put8(o, (unsigned)(size - 4));
		for (size_t i = 4; i < size; i++)
			put8(o, 0);
		break;
	case 43: /* routing type 0, no segment left */
		put8(o, next);
		put8(o, hl);
		put8(o, 0);
		put8(o, 0);
		for (size_t i = 4; i < size; i++)
			put8(o, 0);
		break;
	case 44: /* fragment: offset 0, more fragments */
		put8(o, next);
		put8(o, 0);
		put16(o, 0x0001);
		put32(o, 0x00c0ffee);
		break;
	default:
		fail_msg("unknown extension header %u", type);
	}
}

static void put_tags_and_type(struct out *o, const struct spec *s, unsigned type)
{
	for (unsigned i = 0; i < s->ntag; i++) {
		put16(o, s->tag[i][1]);
		put16(o, i + 1 < s->ntag ? s->tag[i + 1][0] : type);
	}
}

static void build(const struct spec *s, struct frame *f)
{
	static uint8_t scratch[16384];
	static uint8_t msg[8192];
	struct out o = {scratch, 0, sizeof(scratch)};
	uint16_t csum = 0;
	size_t mlen = 0;

	memset(f, 0, sizeof(*f));
	/* addresses first: the checksum needs them */
	if (s->family == 6) {
		memcpy(f->src, s->uni ? ip6_src : ip6_ll, 16);
		memcpy(f->dst, s->uni ? ip6_peer : ip6_group, 16);
	} else if (s->family == 4) {
		memcpy(f->src, ip4_src, 4);
		memcpy(f->dst, s->uni ? ip4_peer : ip4_group, 4);
	}
	if (s->vmac) {
		const uint8_t v[6] = {0x00, 0x00, 0x5e, 0x00, s->family == 6 ? 0x02 : 0x01, s->vrid};

		memcpy(f->smac, v, 6);
	} else {
		memcpy(f->smac, mac_src, 6);
	}
	memcpy(f->dmac, s->kind == K_ARP ? mac_bcast
			: s->uni	 ? mac_peer
			: s->family == 6 ? mac_group6
					 : mac_group4,
	       6);
	mlen = build_message(s, f, msg, sizeof(msg), &csum);
	f->csum = csum;

	unsigned inner = upper_proto(s);
	unsigned l3type = s->kind == K_ARP ? 0x0806 : s->family == 6 ? 0x86dd : 0x0800;
	unsigned type = s->ethertype ? s->ethertype : l3type;
	unsigned first = s->ntag ? s->tag[0][0] : type;

	/* link layer */
	switch (s->link) {
	case VW_LINK_ETHERNET:
		putn(&o, f->dmac, 6);
		putn(&o, f->smac, 6);
		put16(&o, first);
		put_tags_and_type(&o, s, type);
		break;
	case VW_LINK_SLL:
		put16(&o, s->pkttype);
		put16(&o, 1); /* ARPHRD_ETHER */
		put16(&o, s->halen0 ? 0 : 6);
		if (s->halen0)
			putn(&o, "\0\0\0\0\0\0\0\0", 8);
		else {
			putn(&o, f->smac, 6);
			put16(&o, 0);
		}
		put16(&o, first);
		put_tags_and_type(&o, s, type);
		break;
	case VW_LINK_SLL2:
		put16(&o, first);
		put16(&o, 0);
		put32(&o, 3); /* ifindex */
		put16(&o, 1); /* ARPHRD_ETHER */
		put8(&o, s->pkttype);
		put8(&o, s->halen0 ? 0 : 6);
		if (s->halen0)
			putn(&o, "\0\0\0\0\0\0\0\0", 8);
		else {
			putn(&o, f->smac, 6);
			put16(&o, 0);
		}
		put_tags_and_type(&o, s, type);
		break;
	default: /* raw IP: no link header */
		break;
	}

	/* network layer */
	size_t l3 = o.n;
	size_t ahlen = s->ah ? 24 : 0;

	if (s->kind == K_ARP) {
		put16(&o, 1);
		put16(&o, 0x0800);
		put8(&o, 6);
		put8(&o, 4);
		put16(&o, 1);
		putn(&o, f->smac, 6);
		putn(&o, ip4_src, 4);
		putn(&o, "\0\0\0\0\0\0", 6);
		putn(&o, ip4_peer, 4);
		f->ip_len = 0;
	} else if (s->family == 4) {
		size_t hlen = 20 + s->optlen;
		size_t tot = s->iplen_set ? s->iplen : hlen + ahlen + mlen;

		put8(&o, s->ver_ihl ? s->ver_ihl : 0x40 | (unsigned)(hlen / 4));
		put8(&o, 0xc0);
		put16(&o, (unsigned)tot);
		put16(&o, 0x1234);
		put16(&o, s->frag);
		put8(&o, s->ttl ? s->ttl : 255);
		put8(&o, s->proto ? s->proto : s->ah ? 51 : inner);
		put16(&o, 0);
		putn(&o, f->src, 4);
		putn(&o, f->dst, 4);
		if (s->optlen) {
			/* router alert, NOPs, end of options */
			put8(&o, 0x94);
			put8(&o, 4);
			put16(&o, 0);
			for (unsigned i = 4; i + 1 < s->optlen; i++)
				put8(&o, 1);
			if (s->optlen > 4)
				put8(&o, 0);
		}
		uint16_t hc = (uint16_t)~fold(sum16(0, scratch + l3, hlen));

		scratch[l3 + 10] = (uint8_t)(hc >> 8);
		scratch[l3 + 11] = (uint8_t)hc;
		f->ip_len = tot;
	} else if (s->family == 6) {
		size_t extlen = 0;

		for (unsigned i = 0; i < s->n_ext; i++)
			extlen += (s->ext[i] & 0xff) == 44 ? 8 : ((s->ext[i] >> 8) + 1) * 8u;
		size_t plen = s->iplen_set ? s->iplen : extlen + ahlen + mlen;
		unsigned last = s->proto ? s->proto : s->ah ? 51 : inner;

		put32(&o, 0x60000000);
		put16(&o, (unsigned)plen);
		put8(&o, s->n_ext ? s->ext[0] & 0xff : last);
		put8(&o, s->ttl ? s->ttl : 255);
		putn(&o, f->src, 16);
		putn(&o, f->dst, 16);
		for (unsigned i = 0; i < s->n_ext; i++)
			put_ipv6_ext(&o, s->ext[i], i + 1 < s->n_ext ? s->ext[i + 1] & 0xff : last);
		f->ip_len = 40 + plen;
	}
	if (s->ah) { /* keepalived: vrrp_build_ipsecah */
		put8(&o, s->ah_next ? s->ah_next : inner);
		put8(&o, s->ah_plen ? s->ah_plen : 4);
		put16(&o, 0);
		if (s->family == 4)
			putn(&o, f->src, 4); /* SPI: the source address */
		else
			put32(&o, 0x100);
		put32(&o, 7); /* sequence number */
		for (unsigned i = 0; i < 12; i++)
			put8(&o, 0xa0 + i); /* HMAC-MD5-96 ICV */
	}
	f->msg_off = o.n;
	f->msg_len = mlen;
	putn(&o, msg, mlen);
	for (unsigned i = 0; i < s->pad; i++)
		put8(&o, 0xa5); /* padding, FCS: anything but VRRP */

	size_t len = o.n;

	if (s->cut)
		len = s->cut < len ? len - s->cut : 0;
	if (s->keep > 0 && (size_t)s->keep < len)
		len = (size_t)s->keep;
	else if (s->keep < 0)
		len = 0;
	f->len = len;
	f->buf = malloc(len ? len : 1);
	assert_non_null(f->buf);
	memcpy(f->buf, scratch, len);
}

static int decode(const struct frame *f, enum vw_link link, struct vw_advert *a)
{
	memset(a, 0, sizeof(*a));
	return vw_decode(NULL, f->buf, f->buf + f->len, link, a);
}

/* ------------------------------------------------------------------ */
/* The table                                                           */

#define H_SMAC 0x01u  /* src_mac is the built source MAC */
#define H_DMAC 0x02u  /* dst_mac is the built destination MAC */
#define H_IP 0x04u    /* src / dst are the built addresses */
#define H_CSUM 0x08u  /* checksum is the field as built */
#define H_IPLEN 0x10u /* ip_len is the length the IP header states */
#define H_ETH (H_SMAC | H_DMAC)
#define H_IPS (H_IP | H_IPLEN)
#define H_ALL (H_ETH | H_IPS | H_CSUM)
#define H_NOMAC (H_IPS | H_CSUM)
#define H_SLL (H_SMAC | H_IPS | H_CSUM)

struct tcase {
	const char *name;
	struct spec s;
	struct vw_advert e; /* everything but the byte arrays and addr_hash */
	unsigned have;      /* H_*: byte arrays expected filled; else zero */
};

/* spec shorthands */
#define ETH .link = VW_LINK_ETHERNET
#define SLL(t) .link = VW_LINK_SLL, .pkttype = (t)
#define SLL2(t) .link = VW_LINK_SLL2, .pkttype = (t)
#define RAW .link = VW_LINK_RAW
#define IP4 .family = 4
#define IP6 .family = 6
#define TAG1(t0, c0) .ntag = 1, .tag = {{t0, c0}}
#define TAG2(t0, c0, t1, c1) .ntag = 2, .tag = {{t0, c0}, {t1, c1}}
#define EXT(...) .n_ext = sizeof((uint16_t[]){__VA_ARGS__}) / 2, .ext = {__VA_ARGS__}
#define VRRP(vt_, vrid_, prio_, n_, auth_, int_)                                                 \
	.kind = K_VRRP, .vt = (vt_), .vrid = (vrid_), .prio = (prio_), .naddr = (n_),            \
	.auth = (auth_), .interval = (int_)
#define V2(vrid_, n_) VRRP(0x21, vrid_, 100, n_, 0, 1)   /* 1 s */
#define V3(vrid_, n_) VRRP(0x31, vrid_, 100, n_, 0, 100) /* 100 cs */
#define BYTES(...)                                                                               \
	.kind = K_BYTES, .bytes = (const uint8_t[]){__VA_ARGS__},                                \
	.nbytes = sizeof((uint8_t[]){__VA_ARGS__})

/* expectation shorthands */
#define X_ETH .pkt_type = VW_PKT_NONE
#define X_PKT(t) .pkt_type = (t)
#define X_IP(fam, proto, ttl_) .family = (fam), .ip_proto = (proto), .ttl = (ttl_)
#define X4 X_IP(4, 112, 255)
#define X6 X_IP(6, 112, 255)
#define X_AT(o, l) .vrrp_off = (o), .vrrp_len = (l)
#define X_HDR(vt_, vrid_, prio_, n_)                                                             \
	.version = (vt_) >> 4, .type = (vt_) & 0x0f, .vrid = (vrid_), .priority = (prio_),       \
	.naddr = (n_)
#define X_V2(vrid_, n_) X_HDR(0x21, vrid_, 100, n_), .interval_cs = 100
#define X_V3(vrid_, n_) X_HDR(0x31, vrid_, 100, n_), .interval_cs = 100
#define OK_(mask, var) .verdict = VW_ADVERT, .csum_ok = (mask), .csum_variant = (var)
#define OK_MSG OK_(VW_CSUM_MESSAGE, VW_CSUM_MESSAGE)
#define OK_PSEUDO OK_(VW_CSUM_PSEUDO, VW_CSUM_PSEUDO)
#define OK_KA OK_(VW_CSUM_KA_UNICAST, VW_CSUM_KA_UNICAST)
/* v3 to 224.0.0.18: the pseudo-header and keepalived's variant coincide */
#define OK_GROUP OK_(VW_CSUM_PSEUDO | VW_CSUM_KA_UNICAST, VW_CSUM_PSEUDO)
#define BAD_SUM(fl) .verdict = VW_ADVERT, .flags = (fl), .csum_ok = 0, .csum_variant = 0
#define REJ(r) .verdict = VW_REJECT, .reason = VW_R_##r
#define OTHER .verdict = VW_OTHER

/* Ethernet + IPv4 = 34, + IPv6 = 54; tag +4; SLL 16, SLL2 20; AH 24 */
static const struct tcase cases[] = {
	/* ---- accepted: VRRPv2 over IPv4 ---- */
	{"v2 ipv4 auth none", {ETH, IP4, V2(1, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 20), X_V2(1, 1)}, H_ALL},
	{"v2 ipv4 auth pass (type 1), 2 addresses", {ETH, IP4, VRRP(0x21, 2, 150, 2, 1, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 24), X_HDR(0x21, 2, 150, 2), .auth_type = 1,
	  .interval_cs = 100}, H_ALL},
	{"v2 ipv4 auth type 2 without AH", {ETH, IP4, VRRP(0x21, 3, 100, 1, 2, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 20), X_HDR(0x21, 3, 100, 1), .auth_type = 2,
	  .interval_cs = 100}, H_ALL},
	{"v2 ipv4 in AH as keepalived sends it", {ETH, IP4, .ah = 1, VRRP(0x21, 4, 100, 1, 2, 1)},
	 {OK_MSG, X_ETH, X_IP(4, 51, 255), .flags = VW_F_AH, X_AT(58, 20),
	  X_HDR(0x21, 4, 100, 1), .auth_type = 2, .interval_cs = 100}, H_ALL},
	{"v2 priority 0 (master resigns)", {ETH, IP4, VRRP(0x21, 5, 0, 1, 0, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 20), X_HDR(0x21, 5, 0, 1), .interval_cs = 100}, H_ALL},
	{"v2 vrid 255 priority 255 interval 255 s", {ETH, IP4, VRRP(0x21, 255, 255, 1, 0, 255)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 20), X_HDR(0x21, 255, 255, 1), .interval_cs = 25500},
	 H_ALL},
	{"v2 unicast to a peer", {ETH, IP4, .uni = 1, V2(6, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 20), X_V2(6, 1)}, H_ALL},
	{"v2 7 addresses (count byte = CARP authlen)", {ETH, IP4, V2(7, 7)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 44), X_V2(7, 7)}, H_ALL},
	{"v2 5 addresses (36 bytes = CARP length)", {ETH, IP4, V2(8, 5)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 36), X_V2(8, 5)}, H_ALL},
	{"v2 no address", {ETH, IP4, V2(9, 0)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 16), X_V2(9, 0)}, H_ALL},
	{"v2 255 addresses", {ETH, IP4, V2(10, 255)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 1036), X_V2(10, 255)}, H_ALL},
	{"v2 source MAC is the virtual MAC (use_vmac)", {ETH, IP4, .vmac = 1, V2(11, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 20), X_V2(11, 1)}, H_ALL},

	/* ---- accepted: VRRPv3 over IPv4, the three checksum variants ---- */
	{"v3 ipv4 group, RFC 5798 pseudo-header checksum", {ETH, IP4, V3(20, 1)},
	 {OK_GROUP, X_ETH, X4, X_AT(34, 12), X_V3(20, 1)}, H_ALL},
	{"v3 ipv4 group, message-only checksum (RFC 9568)",
	 {ETH, IP4, .csum = CS_MESSAGE, V3(21, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 12), X_V3(21, 1)}, H_ALL},
	{"v3 ipv4 unicast, RFC 5798 pseudo-header checksum", {ETH, IP4, .uni = 1, V3(22, 1)},
	 {OK_PSEUDO, X_ETH, X4, X_AT(34, 12), X_V3(22, 1)}, H_ALL},
	{"v3 ipv4 unicast, keepalived old unicast checksum",
	 {ETH, IP4, .uni = 1, .csum = CS_KA, V3(23, 1)},
	 {OK_KA, X_ETH, X4, X_AT(34, 12), X_V3(23, 1)}, H_ALL},
	{"v3 ipv4 unicast, message-only checksum", {ETH, IP4, .uni = 1, .csum = CS_MESSAGE, V3(24, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 12), X_V3(24, 1)}, H_ALL},
	{"v3 interval 4095 cs with the reserved bits set",
	 {ETH, IP4, VRRP(0x31, 25, 100, 1, 0, 0xffff)},
	 {OK_GROUP, X_ETH, X4, X_AT(34, 12), X_HDR(0x31, 25, 100, 1), .interval_cs = 4095},
	 H_ALL},
	{"v3 interval 1 cs", {ETH, IP4, VRRP(0x31, 26, 100, 1, 0, 1)},
	 {OK_GROUP, X_ETH, X4, X_AT(34, 12), X_HDR(0x31, 26, 100, 1), .interval_cs = 1}, H_ALL},
	{"v3 ipv4 no address", {ETH, IP4, V3(27, 0)},
	 {OK_GROUP, X_ETH, X4, X_AT(34, 8), X_V3(27, 0)}, H_ALL},
	{"v3 ipv4 255 addresses", {ETH, IP4, V3(28, 255)},
	 {OK_GROUP, X_ETH, X4, X_AT(34, 1028), X_V3(28, 255)}, H_ALL},

	/* ---- accepted: IPv6 ---- */
	{"v3 ipv6 to ff02::12", {ETH, IP6, V3(30, 1)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(54, 24), X_V3(30, 1)}, H_ALL},
	{"v3 ipv6 unicast", {ETH, IP6, .uni = 1, V3(31, 1)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(54, 24), X_V3(31, 1)}, H_ALL},
	{"v3 ipv6 no address", {ETH, IP6, V3(32, 0)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(54, 8), X_V3(32, 0)}, H_ALL},
	{"v3 ipv6 255 addresses", {ETH, IP6, V3(33, 255)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(54, 4088), X_V3(33, 255)}, H_ALL},
	{"v2 ipv6 as keepalived sends it (no auth data)", {ETH, IP6, V2(34, 1)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(54, 24), X_V2(34, 1)}, H_ALL},
	{"v2 ipv6 3 addresses", {ETH, IP6, V2(35, 3)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(54, 56), X_V2(35, 3)}, H_ALL},

	/* ---- accepted: VLAN tags ---- */
	{"802.1Q VID 100", {ETH, TAG1(0x8100, 100), IP4, V2(40, 1)},
	 {OK_MSG, X_ETH, .nvlan = 1, .vlan = {100}, X4, X_AT(38, 20), X_V2(40, 1)}, H_ALL},
	{"802.1Q PCP 7 DEI VID 4094", {ETH, TAG1(0x8100, 0xfffe), IP4, V2(41, 1)},
	 {OK_MSG, X_ETH, .nvlan = 1, .vlan = {4094}, X4, X_AT(38, 20), X_V2(41, 1)}, H_ALL},
	{"802.1ad QinQ outer 200 inner 100", {ETH, TAG2(0x88a8, 200, 0x8100, 100), IP4, V2(42, 1)},
	 {OK_MSG, X_ETH, .nvlan = 2, .vlan = {200, 100}, X4, X_AT(42, 20), X_V2(42, 1)}, H_ALL},
	{"0x9100 QinQ outer 300 inner 101", {ETH, TAG2(0x9100, 300, 0x8100, 101), IP4, V3(43, 1)},
	 {OK_GROUP, X_ETH, .nvlan = 2, .vlan = {300, 101}, X4, X_AT(42, 12), X_V3(43, 1)},
	 H_ALL},
	{"priority tag (VID 0) is not a VLAN", {ETH, TAG1(0x8100, 0xa000), IP4, V2(44, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(38, 20), X_V2(44, 1)}, H_ALL},
	{"802.1ad 400 with a priority-tagged inner tag",
	 {ETH, TAG2(0x88a8, 400, 0x8100, 0x6000), IP4, V2(45, 1)},
	 {OK_MSG, X_ETH, .nvlan = 1, .vlan = {400}, X4, X_AT(42, 20), X_V2(45, 1)}, H_ALL},
	{"802.1Q VID 100, v3 ipv6", {ETH, TAG1(0x8100, 100), IP6, V3(46, 1)},
	 {OK_PSEUDO, X_ETH, .nvlan = 1, .vlan = {100}, X6, X_AT(58, 24), X_V3(46, 1)}, H_ALL},

	/* ---- accepted: IPv4 options, flags, padding ---- */
	{"ipv4 router alert option", {ETH, IP4, .optlen = 4, V2(50, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(38, 20), X_V2(50, 1)}, H_ALL},
	{"ipv4 40 bytes of options (IHL 15)", {ETH, IP4, .optlen = 40, V3(51, 1)},
	 {OK_GROUP, X_ETH, X4, X_AT(74, 12), X_V3(51, 1)}, H_ALL},
	{"ipv4 don't-fragment set", {ETH, IP4, .frag = 0x4000, V2(52, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 20), X_V2(52, 1)}, H_ALL},
	{"ethernet padding after a 32-byte v3 datagram", {ETH, IP4, .pad = 14, V3(53, 1)},
	 {OK_GROUP, X_ETH, X4, X_AT(34, 12), X_V3(53, 1)}, H_ALL},
	{"ethernet padding and FCS after a v2 datagram", {ETH, IP4, .pad = 10, V2(54, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(34, 20), X_V2(54, 1)}, H_ALL},
	{"trailer after an ipv6 datagram", {ETH, IP6, .pad = 4, V3(55, 1)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(54, 24), X_V3(55, 1)}, H_ALL},
	{"padding after a v2 in AH", {ETH, IP4, .ah = 1, .pad = 6, VRRP(0x21, 56, 100, 0, 2, 1)},
	 {OK_MSG, X_ETH, X_IP(4, 51, 255), .flags = VW_F_AH, X_AT(58, 16),
	  X_HDR(0x21, 56, 100, 0), .auth_type = 2, .interval_cs = 100}, H_ALL},

	/* ---- accepted: IPv6 extension headers ---- */
	{"ipv6 hop-by-hop header", {ETH, IP6, EXT(0), V3(60, 1)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(62, 24), X_V3(60, 1)}, H_ALL},
	{"ipv6 destination options (16 bytes)", {ETH, IP6, EXT(60 | 1 << 8), V3(61, 1)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(70, 24), X_V3(61, 1)}, H_ALL},
	{"ipv6 four extension headers", {ETH, IP6, EXT(0, 60, 43, 60), V3(62, 1)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(86, 24), X_V3(62, 1)}, H_ALL},
	{"ipv6 AH (not sent by keepalived)", {ETH, IP6, .ah = 1, V3(63, 1)},
	 {OK_PSEUDO, X_ETH, X_IP(6, 51, 255), .flags = VW_F_AH, X_AT(78, 24), X_V3(63, 1)},
	 H_ALL},

	/* ---- accepted but flagged: TTL and checksum (never a reason) ---- */
	{"ttl 64: advert flagged bad_ttl", {ETH, IP4, .ttl = 64, V2(70, 1)},
	 {OK_MSG, .flags = VW_F_BAD_TTL, X_ETH, X_IP(4, 112, 64), X_AT(34, 20), X_V2(70, 1)},
	 H_ALL},
	{"hop limit 1: advert flagged bad_ttl", {ETH, IP6, .ttl = 1, V3(71, 1)},
	 {OK_PSEUDO, .flags = VW_F_BAD_TTL, X_ETH, X_IP(6, 112, 1), X_AT(54, 24), X_V3(71, 1)},
	 H_ALL},
	{"v2 bad checksum: flagged bad_checksum", {ETH, IP4, .csum = CS_BAD, V2(72, 1)},
	 {BAD_SUM(VW_F_BAD_CSUM), X_ETH, X4, X_AT(34, 20), X_V2(72, 1)}, H_ALL},
	{"v2 ipv4 with a pseudo-header checksum is bad", {ETH, IP4, .csum = CS_PSEUDO, V2(73, 1)},
	 {BAD_SUM(VW_F_BAD_CSUM), X_ETH, X4, X_AT(34, 20), X_V2(73, 1)}, H_ALL},
	{"v3 ipv4 bad checksum", {ETH, IP4, .csum = CS_BAD, V3(74, 1)},
	 {BAD_SUM(VW_F_BAD_CSUM), X_ETH, X4, X_AT(34, 12), X_V3(74, 1)}, H_ALL},
	{"v3 ipv6 message-only checksum is bad", {ETH, IP6, .csum = CS_MESSAGE, V3(75, 1)},
	 {BAD_SUM(VW_F_BAD_CSUM), X_ETH, X6, X_AT(54, 24), X_V3(75, 1)}, H_ALL},
	{"v2 ipv6 message-only checksum is bad", {ETH, IP6, .csum = CS_MESSAGE, V2(76, 1)},
	 {BAD_SUM(VW_F_BAD_CSUM), X_ETH, X6, X_AT(54, 24), X_V2(76, 1)}, H_ALL},
	{"bad ttl and bad checksum", {ETH, IP4, .ttl = 1, .csum = CS_BAD, V3(77, 1)},
	 {BAD_SUM(VW_F_BAD_CSUM | VW_F_BAD_TTL), X_ETH, X_IP(4, 112, 1), X_AT(34, 12),
	  X_V3(77, 1)}, H_ALL},

	/* ---- accepted: Linux cooked captures, raw IP ---- */
	{"sll v2 multicast in (packet type 2)", {SLL(2), IP4, V2(80, 1)},
	 {OK_MSG, X_PKT(2), X4, X_AT(36, 20), X_V2(80, 1)}, H_SLL},
	{"sll outgoing (packet type 4)", {SLL(4), IP4, V2(81, 1)},
	 {OK_MSG, X_PKT(4), X4, X_AT(36, 20), X_V2(81, 1)}, H_SLL},
	{"sll to us (packet type 0)", {SLL(0), IP4, .uni = 1, V3(82, 1)},
	 {OK_PSEUDO, X_PKT(0), X4, X_AT(36, 12), X_V3(82, 1)}, H_SLL},
	{"sll without a hardware address", {SLL(2), .halen0 = 1, IP4, V2(83, 1)},
	 {OK_MSG, X_PKT(2), X4, X_AT(36, 20), X_V2(83, 1)}, H_NOMAC},
	{"sll with an 802.1Q tag", {SLL(2), TAG1(0x8100, 100), IP4, V2(84, 1)},
	 {OK_MSG, X_PKT(2), .nvlan = 1, .vlan = {100}, X4, X_AT(40, 20), X_V2(84, 1)}, H_SLL},
	{"sll v3 ipv6", {SLL(2), IP6, V3(85, 1)},
	 {OK_PSEUDO, X_PKT(2), X6, X_AT(56, 24), X_V3(85, 1)}, H_SLL},
	{"sll2 v2 in", {SLL2(2), IP4, V2(86, 1)},
	 {OK_MSG, X_PKT(2), X4, X_AT(40, 20), X_V2(86, 1)}, H_SLL},
	{"sll2 outgoing", {SLL2(4), IP4, V3(87, 1)},
	 {OK_GROUP, X_PKT(4), X4, X_AT(40, 12), X_V3(87, 1)}, H_SLL},
	{"sll2 v3 ipv6 outgoing", {SLL2(4), IP6, V3(88, 1)},
	 {OK_PSEUDO, X_PKT(4), X6, X_AT(60, 24), X_V3(88, 1)}, H_SLL},
	{"sll2 without a hardware address", {SLL2(2), .halen0 = 1, IP4, V2(89, 1)},
	 {OK_MSG, X_PKT(2), X4, X_AT(40, 20), X_V2(89, 1)}, H_NOMAC},
	{"sll2 with 802.1ad QinQ", {SLL2(2), TAG2(0x88a8, 10, 0x8100, 20), IP4, V2(90, 1)},
	 {OK_MSG, X_PKT(2), .nvlan = 2, .vlan = {10, 20}, X4, X_AT(48, 20), X_V2(90, 1)}, H_SLL},
	{"raw ipv4", {RAW, IP4, V2(91, 1)},
	 {OK_MSG, X_ETH, X4, X_AT(20, 20), X_V2(91, 1)}, H_NOMAC},
	{"raw ipv6", {RAW, IP6, V3(92, 1)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(40, 24), X_V3(92, 1)}, H_NOMAC},
	{"ipv4 link type", {.link = VW_LINK_IPV4, IP4, V3(93, 2)},
	 {OK_GROUP, X_ETH, X4, X_AT(20, 16), X_V3(93, 2)}, H_NOMAC},
	{"ipv6 link type", {.link = VW_LINK_IPV6, IP6, V2(94, 1)},
	 {OK_PSEUDO, X_ETH, X6, X_AT(40, 24), X_V2(94, 1)}, H_NOMAC},
	{"raw ipv4 in AH", {RAW, IP4, .ah = 1, VRRP(0x21, 95, 100, 1, 2, 1)},
	 {OK_MSG, X_ETH, X_IP(4, 51, 255), .flags = VW_F_AH, X_AT(44, 20),
	  X_HDR(0x21, 95, 100, 1), .auth_type = 2, .interval_cs = 100}, H_NOMAC},

	/* ---- reject: truncated, at each layer ---- */
	{"truncated: frame ends inside the addresses", {ETH, IP4, .cut = 14, V2(100, 2)},
	 {REJ(TRUNCATED), X_ETH, X4}, H_ETH | H_IP},
	{"truncated: frame ends inside the VRRP header", {ETH, IP4, .keep = 34 + 4, V2(101, 1)},
	 {REJ(TRUNCATED), X_ETH, X4}, H_ETH | H_IP},
	{"truncated: frame ends inside the IPv4 options",
	 {ETH, IP4, .optlen = 8, .keep = 14 + 24, V2(102, 1)},
	 {REJ(TRUNCATED), X_ETH, X4}, H_ETH | H_IP},
	{"truncated: frame ends inside the IPv4 header", {ETH, IP4, .keep = 14 + 16, V2(103, 1)},
	 {REJ(TRUNCATED), X_ETH, .family = 4, .ip_proto = 112}, H_ETH},
	{"truncated: frame ends inside AH", {ETH, IP4, .ah = 1, .keep = 34 + 10, V2(104, 1)},
	 {REJ(TRUNCATED), X_ETH, X_IP(4, 51, 255)}, H_ETH | H_IP},
	{"truncated: frame ends inside the IPv6 payload", {ETH, IP6, .cut = 10, V3(105, 1)},
	 {REJ(TRUNCATED), X_ETH, X6}, H_ETH | H_IPS},
	{"truncated: frame ends inside the IPv6 header", {ETH, IP6, .keep = 14 + 30, V3(106, 1)},
	 {REJ(TRUNCATED), X_ETH, .family = 6, .ip_proto = 112}, H_ETH},
	{"truncated: ipv6 hop-by-hop, frame ends in VRRP", {ETH, IP6, EXT(0), .cut = 4, V3(107, 1)},
	 {REJ(TRUNCATED), X_ETH, X6}, H_ETH | H_IPS},
	{"truncated: sll", {SLL(2), IP4, .cut = 3, V2(108, 1)},
	 {REJ(TRUNCATED), X_PKT(2), X4}, H_SMAC | H_IP},
	{"truncated: sll2 ipv6", {SLL2(4), IP6, .cut = 1, V3(109, 1)},
	 {REJ(TRUNCATED), X_PKT(4), X6}, H_SMAC | H_IPS},
	{"truncated: 255 ipv6 addresses at a 1500-byte snaplen", {RAW, IP6, .keep = 1500, V3(110, 255)},
	 {REJ(TRUNCATED), X_ETH, X6}, H_IPS},

	/* ---- reject: bad IP header / length, fragments ---- */
	/* the source is still read, so the reject names who sent it */
	{"bad ip header: IHL 4", {ETH, IP4, .ver_ihl = 0x44, V2(111, 1)},
	 {REJ(BAD_IP_HEADER), X_ETH, X4}, H_ETH | H_IP},
	{"bad ip header: version 5 behind ethertype 0x0800", {ETH, IP4, .ver_ihl = 0x55, V2(112, 1)},
	 {REJ(BAD_IP_HEADER), X_ETH, X4}, H_ETH | H_IP},
	{"bad ip header: raw link, version nibble 5", {RAW, IP4, .ver_ihl = 0x55, V2(113, 1)},
	 {REJ(BAD_IP_HEADER), X_ETH, X4}, H_IP},
	{"bad ip length: IPv4 total length 16", {ETH, IP4, .iplen_set = 1, .iplen = 16, V2(114, 1)},
	 {REJ(BAD_IP_LENGTH), X_ETH, X4}, H_ETH | H_IP},
	{"bad ip length: total length ends inside the options",
	 {ETH, IP4, .optlen = 8, .iplen_set = 1, .iplen = 24, V2(115, 1)},
	 {REJ(BAD_IP_LENGTH), X_ETH, X4}, H_ETH | H_IP},
	{"bad ip length: IPv6 payload length 0", {ETH, IP6, .iplen_set = 1, .iplen = 0, V3(116, 1)},
	 {REJ(BAD_IP_LENGTH), X_ETH, X6}, H_ETH | H_IPS},
	{"fragment: IPv4 more fragments", {ETH, IP4, .frag = 0x2000, V2(117, 1)},
	 {REJ(FRAGMENT), X_ETH, X4}, H_ETH | H_IP},
	{"fragment: IPv4 offset 185", {ETH, IP4, .frag = 185, V2(118, 1)},
	 {REJ(FRAGMENT), X_ETH, X4}, H_ETH | H_IP},
	{"fragment: IPv4 AH, more fragments", {ETH, IP4, .ah = 1, .frag = 0x2000, V2(119, 1)},
	 {REJ(FRAGMENT), X_ETH, X_IP(4, 51, 255)}, H_ETH | H_IP},
	{"fragment: IPv6 fragment header", {ETH, IP6, EXT(44), V3(120, 1)},
	 {REJ(FRAGMENT), X_ETH, X_IP(6, 44, 255)}, H_ETH | H_IPS},
	{"fragment: IPv6 hop-by-hop, then fragment header", {ETH, IP6, EXT(0, 44), V3(121, 1)},
	 {REJ(FRAGMENT), X_ETH, X_IP(6, 44, 255)}, H_ETH | H_IPS},

	/* ---- reject: AH ---- */
	{"bad ah: length field beyond the datagram", {ETH, IP4, .ah = 1, .ah_plen = 10, V2(122, 1)},
	 {REJ(BAD_AH), X_ETH, X_IP(4, 51, 255)}, H_ETH | H_IPS},
	{"bad ah: length field 0 (8 bytes)", {ETH, IP4, .proto = 51,
	  BYTES(112, 0, 0, 0, 198, 18, 0, 1, 0, 0, 0, 1, 0x21, 1, 100, 0, 0, 1, 0, 0)},
	 {REJ(BAD_AH), X_ETH, X_IP(4, 51, 255)}, H_ETH | H_IPS},
	{"bad ah: datagram shorter than 12 bytes", {ETH, IP4, .proto = 51,
	  BYTES(112, 1, 0, 0, 198, 18, 0, 1)},
	 {REJ(BAD_AH), X_ETH, X_IP(4, 51, 255)}, H_ETH | H_IPS},
	{"bad ah: ipv6 length field beyond the payload", {ETH, IP6, .ah = 1, .ah_plen = 40, V3(123, 1)},
	 {REJ(BAD_AH), X_ETH, X_IP(6, 51, 255)}, H_ETH | H_IPS},

	/* ---- reject: the VRRP message ---- */
	{"short message: 4 bytes", {ETH, IP4, BYTES(0x21, 1, 100, 0)},
	 {REJ(SHORT_MESSAGE), X_ETH, X4}, H_ETH | H_IPS},
	{"short message: empty", {ETH, IP4, .kind = K_BYTES},
	 {REJ(SHORT_MESSAGE), X_ETH, X4}, H_ETH | H_IPS},
	{"short message: 7 bytes", {ETH, IP4, BYTES(0x31, 1, 100, 0, 0, 100, 0)},
	 {REJ(SHORT_MESSAGE), X_ETH, X4}, H_ETH | H_IPS},
	{"short message: nothing after AH", {ETH, IP4, .ah = 1, .kind = K_BYTES},
	 {REJ(SHORT_MESSAGE), X_ETH, X_IP(4, 51, 255), .flags = VW_F_AH}, H_ETH | H_IPS},
	{"short message: ipv6 4 bytes", {ETH, IP6, BYTES(0x31, 1, 100, 0)},
	 {REJ(SHORT_MESSAGE), X_ETH, X6}, H_ETH | H_IPS},
	{"bad version 1", {ETH, IP4, VRRP(0x11, 130, 100, 1, 0, 1)},
	 {REJ(BAD_VERSION), X_ETH, X4, X_AT(34, 20), X_HDR(0x11, 130, 100, 1)}, H_ALL},
	{"bad version 4", {ETH, IP4, VRRP(0x41, 131, 100, 1, 0, 1)},
	 {REJ(BAD_VERSION), X_ETH, X4, X_AT(34, 20), X_HDR(0x41, 131, 100, 1)}, H_ALL},
	{"bad version 0, type 0", {ETH, IP4, VRRP(0x00, 132, 100, 1, 0, 1)},
	 {REJ(BAD_VERSION), X_ETH, X4, X_AT(34, 20), X_HDR(0x00, 132, 100, 1)}, H_ALL},
	{"bad version 15 over ipv6", {ETH, IP6, VRRP(0xf1, 133, 100, 1, 0, 1)},
	 {REJ(BAD_VERSION), X_ETH, X6, X_AT(54, 24), X_HDR(0xf1, 133, 100, 1)}, H_ALL},
	{"bad type 2 (v2)", {ETH, IP4, VRRP(0x22, 134, 100, 1, 0, 1)},
	 {REJ(BAD_TYPE), X_ETH, X4, X_AT(34, 20), X_HDR(0x22, 134, 100, 1)}, H_ALL},
	{"bad type 0 (v3)", {ETH, IP4, VRRP(0x30, 135, 100, 1, 0, 100)},
	 {REJ(BAD_TYPE), X_ETH, X4, X_AT(34, 12), X_HDR(0x30, 135, 100, 1)}, H_ALL},
	{"bad type 15 (v3 ipv6)", {ETH, IP6, VRRP(0x3f, 136, 100, 1, 0, 100)},
	 {REJ(BAD_TYPE), X_ETH, X6, X_AT(54, 24), X_HDR(0x3f, 136, 100, 1)}, H_ALL},
	{"vrid 0 (v2)", {ETH, IP4, V2(0, 1)},
	 {REJ(VRID_ZERO), X_ETH, X4, X_AT(34, 20), X_HDR(0x21, 0, 100, 1)}, H_ALL},
	{"vrid 0 (v3 ipv6)", {ETH, IP6, V3(0, 1)},
	 {REJ(VRID_ZERO), X_ETH, X6, X_AT(54, 24), X_HDR(0x31, 0, 100, 1)}, H_ALL},
	{"bad auth type 3", {ETH, IP4, VRRP(0x21, 140, 100, 1, 3, 1)},
	 {REJ(BAD_AUTH_TYPE), X_ETH, X4, X_AT(34, 20), X_HDR(0x21, 140, 100, 1), .auth_type = 3,
	  .interval_cs = 100}, H_ALL},
	{"bad auth type 255", {ETH, IP4, VRRP(0x21, 141, 100, 1, 255, 1)},
	 {REJ(BAD_AUTH_TYPE), X_ETH, X4, X_AT(34, 20), X_HDR(0x21, 141, 100, 1), .auth_type = 255,
	  .interval_cs = 100}, H_ALL},
	{"bad auth type 3, v2 over ipv6", {ETH, IP6, VRRP(0x21, 142, 100, 1, 3, 2)},
	 {REJ(BAD_AUTH_TYPE), X_ETH, X6, X_AT(54, 24), X_HDR(0x21, 142, 100, 1), .auth_type = 3,
	  .interval_cs = 200}, H_ALL},
	{"zero interval (v2)", {ETH, IP4, VRRP(0x21, 143, 100, 1, 0, 0)},
	 {REJ(ZERO_INTERVAL), X_ETH, X4, X_AT(34, 20), X_HDR(0x21, 143, 100, 1)}, H_ALL},
	{"zero interval (v3, reserved bits set)", {ETH, IP4, VRRP(0x31, 144, 100, 1, 0, 0xf000)},
	 {REJ(ZERO_INTERVAL), X_ETH, X4, X_AT(34, 12), X_HDR(0x31, 144, 100, 1)}, H_ALL},
	{"zero interval (v3 ipv6)", {ETH, IP6, VRRP(0x31, 145, 100, 1, 0, 0)},
	 {REJ(ZERO_INTERVAL), X_ETH, X6, X_AT(54, 24), X_HDR(0x31, 145, 100, 1)}, H_ALL},
	{"addr count: v2 count 2, one address", {ETH, IP4, .extra = -4, V2(146, 2)},
	 {REJ(ADDR_COUNT), X_ETH, X4, X_AT(34, 20), X_V2(146, 2)}, H_ALL},
	{"addr count: v2 count 1, two addresses", {ETH, IP4, .extra = 4, V2(147, 1)},
	 {REJ(ADDR_COUNT), X_ETH, X4, X_AT(34, 24), X_V2(147, 1)}, H_ALL},
	{"addr count: v2 ipv4 without auth data", {ETH, IP4, .extra = -8, V2(148, 1)},
	 {REJ(ADDR_COUNT), X_ETH, X4, X_AT(34, 12), X_V2(148, 1)}, H_ALL},
	{"addr count: v3 two trailing bytes", {ETH, IP4, .extra = 2, V3(149, 1)},
	 {REJ(ADDR_COUNT), X_ETH, X4, X_AT(34, 14), X_V3(149, 1)}, H_ALL},
	{"addr count: v3 count 3, no address", {ETH, IP4, .extra = -12, V3(150, 3)},
	 {REJ(ADDR_COUNT), X_ETH, X4, X_AT(34, 8), X_V3(150, 3)}, H_ALL},
	{"addr count: v3 count 255, 254 addresses", {ETH, IP4, .extra = -4, V3(151, 255)},
	 {REJ(ADDR_COUNT), X_ETH, X4, X_AT(34, 1024), X_V3(151, 255)}, H_ALL},
	{"addr count: v3 ipv6 with a 4-byte address", {ETH, IP6, .extra = -12, V3(152, 1)},
	 {REJ(ADDR_COUNT), X_ETH, X6, X_AT(54, 12), X_V3(152, 1)}, H_ALL},
	{"addr count: v2 ipv6 with auth data", {ETH, IP6, .extra = 8, V2(153, 1)},
	 {REJ(ADDR_COUNT), X_ETH, X6, X_AT(54, 32), X_V2(153, 1)}, H_ALL},
	{"carp over ipv4", {ETH, IP4, .kind = K_CARP, .vrid = 1},
	 {REJ(CARP), X_ETH, X4, X_AT(34, 36)}, H_ETH | H_IPS},
	{"carp over ipv6", {ETH, IP6, .kind = K_CARP, .vrid = 2},
	 {REJ(CARP), X_ETH, X6, X_AT(54, 36)}, H_ETH | H_IPS},
	{"carp in 802.1Q", {ETH, TAG1(0x8100, 7), IP4, .kind = K_CARP, .vrid = 3},
	 {REJ(CARP), X_ETH, .nvlan = 1, .vlan = {7}, X4, X_AT(38, 36)}, H_ETH | H_IPS},

	/* ---- not VRRP at all ---- */
	{"other: arp request", {ETH, .kind = K_ARP}, {OTHER}, 0},
	{"other: ipv4 tcp", {ETH, IP4, .kind = K_TCP}, {OTHER}, 0},
	{"other: ipv4 udp", {ETH, IP4, .kind = K_UDP}, {OTHER}, 0},
	{"other: ipv6 udp", {ETH, IP6, .kind = K_UDP}, {OTHER}, 0},
	{"other: MLDv2 report behind hop-by-hop", {ETH, IP6, EXT(0), .kind = K_MLD}, {OTHER}, 0},
	{"other: ipv4 AH carrying TCP", {ETH, IP4, .ah = 1, .kind = K_TCP}, {OTHER}, 0},
	{"other: ipv6 AH carrying UDP", {ETH, IP6, .ah = 1, .kind = K_UDP}, {OTHER}, 0},
	{"other: three VLAN tags",
	 {ETH, .ntag = 3, .tag = {{0x88a8, 1}, {0x8100, 2}, {0x8100, 3}}, IP4, V2(160, 1)},
	 {OTHER}, 0},
	{"other: frame shorter than an Ethernet header", {ETH, IP4, .keep = 10, V2(161, 1)},
	 {OTHER}, 0},
	{"other: frame ends inside the 802.1Q tag", {ETH, TAG1(0x8100, 5), IP4, .keep = 16, V2(162, 1)},
	 {OTHER}, 0},
	{"other: frame ends before the IPv4 protocol byte", {ETH, IP4, .keep = 14 + 9, V2(163, 1)},
	 {OTHER}, 0},
	{"other: ipv4 tcp, header cut", {ETH, IP4, .keep = 14 + 15, .kind = K_TCP}, {OTHER}, 0},
	{"other: 802.3 length field", {ETH, IP4, .ethertype = 0x002e, V2(164, 1)}, {OTHER}, 0},
	{"other: ipv6 five extension headers", {ETH, IP6, EXT(0, 60, 60, 60, 60), V3(165, 1)},
	 {OTHER}, 0},
	{"other: ipv6 extension header longer than the payload",
	 {ETH, IP6, EXT(60 | 10 << 8), .iplen_set = 1, .iplen = 16, V3(166, 1)}, {OTHER}, 0},
	{"other: ipv6 frame ends inside the hop-by-hop header",
	 {ETH, IP6, EXT(0), .keep = 14 + 40 + 4, V3(167, 1)}, {OTHER}, 0},
	{"other: ipv6 jumbogram (hop-by-hop, payload length 0)",
	 {ETH, IP6, EXT(0), .iplen_set = 1, .iplen = 0, .kind = K_UDP}, {OTHER}, 0},
	{"other: ipv6 fragment of a UDP datagram", {ETH, IP6, EXT(44), .kind = K_UDP}, {OTHER}, 0},
	{"other: ipv6 hop-by-hop then fragment of UDP", {ETH, IP6, EXT(0, 44), .kind = K_UDP},
	 {OTHER}, 0},
	{"other: ipv4 header behind ethertype 0x86dd", {ETH, IP4, .ethertype = 0x86dd, V2(168, 1)},
	 {OTHER}, 0},
	{"other: sll arp", {SLL(1), .kind = K_ARP}, {OTHER}, 0},
	{"other: sll2 ipv4 udp", {SLL2(0), IP4, .kind = K_UDP}, {OTHER}, 0},
	{"other: raw, empty frame", {RAW, IP4, .keep = -1, V2(169, 1)}, {OTHER}, 0},
	{"other: sll header cut", {SLL(2), IP4, .keep = 15, V2(170, 1)}, {OTHER}, 0},
	{"other: sll2 header cut", {SLL2(2), IP4, .keep = 19, V2(171, 1)}, {OTHER}, 0},
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* ------------------------------------------------------------------ */
/* Field-by-field comparison                                           */

struct checker {
	const char *name;
	int errors;
};

static void chk(struct checker *c, const char *field, unsigned long got, unsigned long want)
{
	if (got != want) {
		print_error("[%s] %s: got %lu (0x%lx), want %lu (0x%lx)\n", c->name, field, got, got,
			    want, want);
		c->errors++;
	}
}

static void chk_bytes(struct checker *c, const char *field, const uint8_t *got,
		      const uint8_t *want, size_t n)
{
	static const uint8_t zero[16];

	if (!want)
		want = zero;
	if (memcmp(got, want, n)) {
		char g[64] = "", w[64] = "";

		for (size_t i = 0; i < n; i++) {
			snprintf(g + strlen(g), sizeof(g) - strlen(g), "%02x", got[i]);
			snprintf(w + strlen(w), sizeof(w) - strlen(w), "%02x", want[i]);
		}
		print_error("[%s] %s: got %s, want %s\n", c->name, field, g, w);
		c->errors++;
	}
}

#define CHK(field) chk(&c, #field, a->field, e->field)

static int compare(const struct tcase *t, const struct frame *f, const struct vw_advert *a, int rc)
{
	const struct vw_advert *e = &t->e;
	struct checker c = {t->name, 0};

	chk(&c, "return value", (unsigned long)rc, e->verdict);
	CHK(verdict);
	CHK(reason);
	if (e->verdict == VW_OTHER)
		return c.errors; /* nothing else is promised for non-VRRP */
	CHK(flags);
	CHK(family);
	CHK(ttl);
	CHK(nvlan);
	CHK(vlan[0]);
	CHK(vlan[1]);
	CHK(pkt_type);
	CHK(ip_proto);
	chk_bytes(&c, "src_mac", a->src_mac, t->have & H_SMAC ? f->smac : NULL, 6);
	chk_bytes(&c, "dst_mac", a->dst_mac, t->have & H_DMAC ? f->dmac : NULL, 6);
	chk_bytes(&c, "src", a->src, t->have & H_IP ? f->src : NULL, 16);
	chk_bytes(&c, "dst", a->dst, t->have & H_IP ? f->dst : NULL, 16);
	chk(&c, "ip_len", a->ip_len, t->have & H_IPLEN ? f->ip_len : 0);
	CHK(vrrp_off);
	CHK(vrrp_len);
	CHK(version);
	CHK(type);
	CHK(vrid);
	CHK(priority);
	CHK(naddr);
	CHK(auth_type);
	CHK(csum_ok);
	CHK(csum_variant);
	CHK(interval_cs);
	chk(&c, "checksum", a->checksum, t->have & H_CSUM ? f->csum : 0);
	if (e->verdict == VW_ADVERT && e->naddr)
		chk(&c, "addr_hash != 0", a->addr_hash != 0, 1);
	else
		chk(&c, "addr_hash", a->addr_hash, 0);
	/* the table itself: offsets agree with what was built */
	if (e->vrrp_off) {
		chk(&c, "table vrrp_off vs builder", e->vrrp_off, f->msg_off);
		chk(&c, "table vrrp_len vs builder", e->vrrp_len, f->msg_len);
	}
	return c.errors;
}

static void test_case(void **state)
{
	const struct tcase *t = *state;
	struct frame f;
	struct vw_advert a;

	build(&t->s, &f);
	int rc = decode(&f, t->s.link, &a);
	int errors = compare(t, &f, &a, rc);

	free(f.buf);
	assert_int_equal(errors, 0);
}

/* Every reason code has at least one case (bad_checksum and bad_ttl are
 * flags on adverts, never a reason: they have flagged cases instead). */
static void test_reason_coverage(void **state)
{
	int seen[VW_R_COUNT] = {0}, flagged_ttl = 0, flagged_csum = 0;

	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		seen[cases[i].e.reason]++;
		flagged_ttl += !!(cases[i].e.flags & VW_F_BAD_TTL);
		flagged_csum += !!(cases[i].e.flags & VW_F_BAD_CSUM);
	}
	for (int r = VW_R_NONE + 1; r < VW_R_COUNT; r++) {
		if (r == VW_R_BAD_CHECKSUM || r == VW_R_BAD_TTL)
			continue;
		if (r == VW_R_CAPTURE_CUT) /* ingest.c's, never the decoder's */
			continue;
		if (!seen[r])
			fail_msg("reason %d has no case", r);
	}
	assert_true(flagged_ttl >= 2);
	assert_true(flagged_csum >= 2);
}

/* ------------------------------------------------------------------ */
/* addr_hash properties                                                */

static uint32_t hash_of(struct spec s)
{
	struct frame f;
	struct vw_advert a;

	build(&s, &f);
	int rc = decode(&f, s.link, &a);

	free(f.buf);
	assert_int_equal(rc, VW_ADVERT);
	assert_int_equal(a.flags & VW_F_BAD_CSUM, 0);
	return a.addr_hash;
}

static void test_addr_hash(void **state)
{
	(void)state;
	const struct spec v2 = {ETH, IP4, V2(1, 3)}, v3 = {ETH, IP4, V3(1, 3)};
	const struct spec v6 = {ETH, IP6, V3(1, 4)}, big = {ETH, IP4, V3(1, 255)};
	const struct spec big6 = {ETH, IP6, V3(1, 255)};
	struct spec s;
	uint32_t h = hash_of(v2);

	/* the same set in another order */
	s = v2, s.perm = 1;
	assert_int_equal(hash_of(s), h);
	s = v2, s.perm = 2;
	assert_int_equal(hash_of(s), h);
	s = big, s.perm = 1;
	assert_int_equal(hash_of(s), hash_of(big));
	s = big6, s.perm = 2;
	assert_int_equal(hash_of(s), hash_of(big6));
	s = v6, s.perm = 1;
	assert_int_equal(hash_of(s), hash_of(v6));
	/* the same set whatever carries it */
	assert_int_equal(hash_of(v3), h);
	s = v2, s.link = VW_LINK_RAW;
	assert_int_equal(hash_of(s), h);
	s = v3, s.ntag = 2, s.tag[0][0] = 0x88a8, s.tag[0][1] = 9, s.tag[1][0] = 0x8100,
	s.tag[1][1] = 10;
	assert_int_equal(hash_of(s), h);
	s = v2, s.ah = 1, s.auth = 2;
	assert_int_equal(hash_of(s), h);
	s = v3, s.uni = 1, s.csum = CS_KA;
	assert_int_equal(hash_of(s), h);
	/* another set */
	s = v2, s.set = 1;
	assert_int_not_equal(hash_of(s), h);
	s = v2, s.naddr = 2; /* a subset */
	assert_int_not_equal(hash_of(s), h);
	s = v2, s.naddr = 4; /* a superset */
	assert_int_not_equal(hash_of(s), h);
	s = big, s.naddr = 254;
	assert_int_not_equal(hash_of(s), hash_of(big));
	s = v6, s.set = 2;
	assert_int_not_equal(hash_of(s), hash_of(v6));
	s = v6, s.naddr = 3;
	assert_int_not_equal(hash_of(s), hash_of(v6));
	/* the empty set */
	s = v2, s.naddr = 0;
	uint32_t empty = hash_of(s);
	s = v6, s.naddr = 0;
	assert_int_equal(hash_of(s), empty);
	assert_int_not_equal(empty, h);
	/* one address changed in its last byte */
	{
		static const uint8_t a1[] = {0x21, 1, 100, 2, 0, 1, 0, 0, 198, 18, 100, 1,
					     198, 18, 100, 2, 0, 0, 0, 0, 0, 0, 0, 0};
		static const uint8_t a2[] = {0x21, 1, 100, 2, 0, 1, 0, 0, 198, 18, 100, 1,
					     198, 18, 100, 3, 0, 0, 0, 0, 0, 0, 0, 0};
		struct spec b = {ETH, IP4, .kind = K_BYTES, .bytes = a1, .nbytes = sizeof(a1)};
		struct frame f;
		struct vw_advert x, y;

		build(&b, &f);
		/* fix the checksum with our own sum: K_BYTES writes none */
		uint16_t cs = (uint16_t)~fold(sum16(0, f.buf + f.msg_off, f.msg_len));
		f.buf[f.msg_off + 6] = (uint8_t)(cs >> 8), f.buf[f.msg_off + 7] = (uint8_t)cs;
		assert_int_equal(decode(&f, VW_LINK_ETHERNET, &x), VW_ADVERT);
		free(f.buf);
		b.bytes = a2;
		build(&b, &f);
		cs = (uint16_t)~fold(sum16(0, f.buf + f.msg_off, f.msg_len));
		f.buf[f.msg_off + 6] = (uint8_t)(cs >> 8), f.buf[f.msg_off + 7] = (uint8_t)cs;
		assert_int_equal(decode(&f, VW_LINK_ETHERNET, &y), VW_ADVERT);
		free(f.buf);
		assert_int_equal(x.flags, 0);
		assert_int_equal(y.flags, 0);
		assert_int_not_equal(x.addr_hash, y.addr_hash);
	}
}

/* ------------------------------------------------------------------ */
/* Invariants for any input, with an independent checksum verdict      */

static void check_invariants(const uint8_t *buf, size_t len, const struct vw_advert *a, int rc)
{
	assert_int_equal(rc, a->verdict);
	assert_in_range(rc, VW_OTHER, VW_REJECT);
	if (rc == VW_REJECT) {
		assert_in_range(a->reason, VW_R_NONE + 1, VW_R_COUNT - 1);
		assert_int_not_equal(a->reason, VW_R_BAD_CHECKSUM);
		assert_int_not_equal(a->reason, VW_R_BAD_TTL);
	} else {
		assert_int_equal(a->reason, VW_R_NONE);
	}
	assert_true(a->nvlan <= VW_MAX_VLAN);
	if (a->vrrp_off || a->vrrp_len)
		assert_true((size_t)a->vrrp_off + a->vrrp_len <= len || rc == VW_REJECT);
	if (rc != VW_ADVERT)
		return;

	/* an advert: every field consistent with the bytes it came from */
	assert_true(a->family == 4 || a->family == 6);
	assert_true((size_t)a->vrrp_off + a->vrrp_len <= len);
	const uint8_t *m = buf + a->vrrp_off;
	unsigned alen = a->family == 6 ? 16 : 4;
	size_t want_len = 8 + (size_t)a->naddr * alen + (a->version == 2 && a->family == 4 ? 8 : 0);

	assert_int_equal(a->vrrp_len, want_len);
	assert_int_equal(a->version, m[0] >> 4);
	assert_true(a->version == 2 || a->version == 3);
	assert_int_equal(a->type, 1);
	assert_int_equal(a->type, m[0] & 0x0f);
	assert_int_not_equal(a->vrid, 0);
	assert_int_equal(a->vrid, m[1]);
	assert_int_equal(a->priority, m[2]);
	assert_int_equal(a->naddr, m[3]);
	assert_int_equal(a->checksum, (unsigned)(m[6] << 8 | m[7]));
	if (a->version == 2) {
		assert_int_equal(a->auth_type, m[4]);
		assert_true(a->auth_type <= 2);
		assert_int_equal(a->interval_cs, m[5] * 100u);
	} else {
		assert_int_equal(a->auth_type, 0);
		assert_int_equal(a->interval_cs, (unsigned)((m[4] << 8 | m[5]) & 0x0fff));
	}
	assert_int_not_equal(a->interval_cs, 0);
	assert_int_equal(!!(a->flags & VW_F_BAD_TTL), a->ttl != 255);
	assert_int_equal(!!(a->flags & VW_F_AH), a->ip_proto == 51);

	uint8_t ok = 0;
	uint32_t msum = sum16(0, m, a->vrrp_len);

	if (a->family == 6) {
		if (fold(msum + pseudo6_sum(a->src, a->dst, a->vrrp_len, 112)) == 0xffff)
			ok |= VW_CSUM_PSEUDO;
	} else {
		if (fold(msum) == 0xffff)
			ok |= VW_CSUM_MESSAGE;
		if (a->version == 3) {
			if (fold(msum + pseudo4_sum(a->src, a->dst, a->vrrp_len)) == 0xffff)
				ok |= VW_CSUM_PSEUDO;
			if (fold(msum + pseudo4_sum(a->src, ip4_group, a->vrrp_len)) == 0xffff)
				ok |= VW_CSUM_KA_UNICAST;
		}
	}
	assert_int_equal(a->csum_ok, ok);
	if (a->version == 2 && a->family == 4)
		ok &= VW_CSUM_MESSAGE; /* RFC 3768: the message alone */
	uint8_t variant = ok & VW_CSUM_PSEUDO	 ? VW_CSUM_PSEUDO
			  : ok & VW_CSUM_MESSAGE ? VW_CSUM_MESSAGE
						 : ok & VW_CSUM_KA_UNICAST;
	assert_int_equal(a->csum_variant, variant);
	assert_int_equal(!!(a->flags & VW_F_BAD_CSUM), variant == 0);
}

/* Decode a copy of buf[0..len) in a buffer of exactly that size. */
static int decode_exact(const uint8_t *buf, size_t len, enum vw_link link, struct vw_advert *a)
{
	uint8_t *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, buf, len);
	memset(a, 0, sizeof(*a));
	int rc = vw_decode(NULL, copy, copy + len, link, a);

	check_invariants(copy, len, a, rc);
	free(copy);
	return rc;
}

/* Every prefix of every frame, each in a buffer of exactly its size. */
static void test_truncations(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		struct frame f;
		struct vw_advert a;

		build(&cases[i].s, &f);
		for (size_t n = 0; n <= f.len; n++) {
			int rc = decode_exact(f.buf, n, cases[i].s.link, &a);

			/* a prefix of an advert is an advert only if it holds
			 * the whole datagram */
			if (rc == VW_ADVERT && cases[i].e.verdict == VW_ADVERT)
				assert_true(n >= f.msg_off + f.msg_len);
		}
		free(f.buf);
	}
}

static uint64_t rng_state = 0x5eed5eed12345678ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state; /* xorshift64 */

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

/* Random byte changes and truncations of every frame, decoded with its own
 * link type and now and then with another one. */
static void test_mutations(void **state)
{
	static const uint8_t special[] = {0x00, 0xff, 0x70, 0x33, 0x2c, 0x3c, 0x81, 0x88,
					  0xa8, 0x91, 0x86, 0xdd, 0x08, 0x45, 0x4f, 0x60,
					  0x21, 0x31, 0x01, 0x07, 0x24, 0x12};
	unsigned counts[3] = {0};

	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		struct frame f;

		build(&cases[i].s, &f);
		uint8_t *work = malloc(f.len ? f.len : 1);

		assert_non_null(work);
		for (int iter = 0; iter < 4000; iter++) {
			size_t len = f.len;
			struct vw_advert a;

			memcpy(work, f.buf, f.len);
			if (f.len) {
				unsigned n = 1 + (unsigned)(rnd() % 4);

				for (unsigned k = 0; k < n; k++) {
					/* mostly the headers, where the decisions are */
					size_t span = rnd() % 4 ? (f.len < 96 ? f.len : 96) : f.len;
					size_t pos = (size_t)(rnd() % span);

					switch (rnd() % 3) {
					case 0:
						work[pos] ^= (uint8_t)(1u << (rnd() % 8));
						break;
					case 1:
						work[pos] = (uint8_t)rnd();
						break;
					default:
						work[pos] = special[rnd() % sizeof(special)];
					}
				}
			}
			if (rnd() % 4 == 0)
				len = (size_t)(rnd() % (f.len + 1));
			enum vw_link link = cases[i].s.link;

			if (rnd() % 8 == 0)
				link = (enum vw_link)(rnd() % 6);
			counts[decode_exact(work, len, link, &a)]++;
		}
		free(work);
		free(f.buf);
	}
	/* the mutations reach all three verdicts */
	print_message("mutations: %u other, %u advert, %u reject\n", counts[0], counts[1],
		      counts[2]);
	assert_true(counts[0] > 0 && counts[1] > 0 && counts[2] > 0);
}

/* ------------------------------------------------------------------ */
/* The crafted captures in pcaps/edge against their manifest           */

static int link_of_dlt(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
		return VW_LINK_ETHERNET;
	case DLT_LINUX_SLL:
		return VW_LINK_SLL;
	case 276: /* DLT_LINUX_SLL2 */
		return VW_LINK_SLL2;
	case DLT_RAW:
	case 101: /* LINKTYPE_RAW */
		return VW_LINK_RAW;
	default:
		return -1;
	}
}

static const char *verdict_name(int v)
{
	return v == VW_ADVERT ? "advert" : v == VW_REJECT ? "reject" : "other";
}

static const char *reason_names[] = {
#define VW_REASON_STR(name, str) str,
	VW_REASONS(VW_REASON_STR)
#undef VW_REASON_STR
};

struct capture {
	char name[128];
	pcap_t *p;
	unsigned frame;
	int link;
};

static void close_capture(struct capture *c, unsigned *files)
{
	struct pcap_pkthdr *h;
	const u_char *d;

	if (!c->p)
		return;
	/* the manifest lists every frame libpcap can read */
	int rc = pcap_next_ex(c->p, &h, &d);

	if (rc == 1)
		fail_msg("%s: frame %u is not in the manifest", c->name, c->frame + 1);
	if (strstr(c->name, "truncated") || strstr(c->name, "corrupt"))
		assert_int_equal(rc, PCAP_ERROR);
	else
		assert_int_equal(rc, PCAP_ERROR_BREAK);
	pcap_close(c->p);
	c->p = NULL;
	(*files)++;
}

static void test_edge_pcaps(void **state)
{
	char path[512], line[1024], errbuf[PCAP_ERRBUF_SIZE];
	struct capture cap = {.p = NULL};
	unsigned rows = 0, files = 0, mismatches = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/pcaps/edge/expected.tsv", VW_SOURCE_ROOT);
	FILE *tsv = fopen(path, "r");

	if (!tsv)
		fail_msg("%s: cannot open (run tools/craft-edge-pcaps)", path);
	while (fgets(line, sizeof(line), tsv)) {
		char file[128], verdict[16], reason[32];
		unsigned frame, flags, vrid, prio, ver, intv, naddr, variant;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%127s %u %15s %31s %u %u %u %u %u %u %u", file, &frame, verdict,
			   reason, &flags, &vrid, &prio, &ver, &intv, &naddr, &variant) != 11) {
			if (!strncmp(line, "file\t", 5))
				continue; /* the header */
			fail_msg("%s: bad line: %s", path, line);
		}
		if (strcmp(file, cap.name)) {
			close_capture(&cap, &files);
			snprintf(cap.name, sizeof(cap.name), "%s", file);
			snprintf(path, sizeof(path), "%s/pcaps/edge/%s", VW_SOURCE_ROOT, file);
			cap.p = pcap_open_offline(path, errbuf);
			if (!cap.p)
				fail_msg("%s: %s", path, errbuf);
			cap.frame = 0;
			cap.link = link_of_dlt(pcap_datalink(cap.p));
			assert_true(cap.link >= 0);
		}

		struct pcap_pkthdr *h;
		const u_char *data;
		int rc = pcap_next_ex(cap.p, &h, &data);

		if (rc != 1)
			fail_msg("%s: frame %u: pcap_next_ex %d: %s", file, frame, rc,
				 pcap_geterr(cap.p));
		assert_int_equal(++cap.frame, frame);

		struct vw_advert a;
		int v = decode_exact(data, h->caplen, (enum vw_link)cap.link, &a);
		char got[256], want[256];

		if (v == VW_OTHER) /* nothing but the verdict is promised */
			memset(&a, 0, sizeof(a));

		snprintf(want, sizeof(want), "%s %s %u %u %u %u %u %u %u", verdict, reason, flags, vrid,
			 prio, ver, intv, naddr, variant);
		snprintf(got, sizeof(got), "%s %s %u %u %u %u %u %u %u", verdict_name(v),
			 reason_names[a.reason], a.flags, a.vrid, a.priority, a.version,
			 a.interval_cs, a.naddr, a.csum_variant);
		if (strcmp(got, want)) {
			print_error("%s frame %u: decoder \"%s\", manifest \"%s\"\n", file, frame, got,
				    want);
			mismatches++;
		}
		rows++;
	}
	fclose(tsv);
	close_capture(&cap, &files);
	print_message("%u frames in %u crafted captures\n", rows, files);
	assert_int_equal(mismatches, 0);
	assert_true(rows > 0);
}

/* ------------------------------------------------------------------ */

int main(void)
{
	size_t n = NCASES + 5, k = 0;
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));

	if (!tests)
		return 1;
	for (size_t i = 0; i < NCASES; i++)
		tests[k++] = (struct CMUnitTest){cases[i].name, test_case, NULL, NULL,
						 (void *)&cases[i]};
	tests[k++] = (struct CMUnitTest){"reason coverage", test_reason_coverage, NULL, NULL, NULL};
	tests[k++] = (struct CMUnitTest){"addr_hash properties", test_addr_hash, NULL, NULL, NULL};
	tests[k++] = (struct CMUnitTest){"every truncated prefix", test_truncations, NULL, NULL,
					 NULL};
	tests[k++] = (struct CMUnitTest){"random mutations", test_mutations, NULL, NULL, NULL};
	tests[k++] = (struct CMUnitTest){"pcaps/edge manifest", test_edge_pcaps, NULL, NULL, NULL};
	int rc = _cmocka_run_group_tests("decode", tests, k, NULL, NULL);

	free(tests);
	return rc;
}
