/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp_decode.h - the one VRRP decoder, compiled into the BPF programs and
 * into userspace alike, so that live capture and pcap replay agree by
 * construction.
 *
 * Rules for this file (it must build with clang -target bpf):
 *   - no libc, no globals, header only, every function always inlined;
 *   - every read is preceded by a bounds check against the frame end
 *     (the BPF verifier demands it, and tcpdump's print-vrrp.c taught us);
 *   - every loop has a constant upper bound.
 *
 * The decoder classifies a frame as:
 *   VW_OTHER   not VRRP at all (not IP protocol 112, or AH not carrying 112);
 *              the fast path, a handful of instructions;
 *   VW_ADVERT  a VRRP advertisement; fields filled.  A bad TTL or checksum
 *              does not make it anonymous: it is still attributed to its
 *              sender and flagged (VW_F_BAD_TTL, VW_F_BAD_CSUM);
 *   VW_REJECT  protocol 112 that is not a valid advertisement; `reason`
 *              says why (and CARP, which shares protocol 112, lands here
 *              with reason VW_R_CARP).
 */
#ifndef VRRPWATCH_VRRP_DECODE_H
#define VRRPWATCH_VRRP_DECODE_H

#include <linux/types.h>

#define VW_INLINE static inline __attribute__((always_inline))

/*
 * Keep clang from rewriting `p + n > end` into arithmetic on `end` inside
 * loops: the verifier refuses arithmetic on a packet-end pointer.
 */
#ifdef __bpf__
#define VW_OPAQUE(x) asm volatile("" : "+r"(x))
#else
#define VW_OPAQUE(x) ((void)0)
#endif

/* Link layer of the frame handed to the decoder. */
enum vw_link {
	VW_LINK_ETHERNET = 0,
	VW_LINK_SLL = 1,  /* Linux cooked capture v1 (DLT_LINUX_SLL) */
	VW_LINK_SLL2 = 2, /* Linux cooked capture v2 (DLT_LINUX_SLL2) */
	VW_LINK_RAW = 3,  /* raw IP, version from the first nibble */
	VW_LINK_IPV4 = 4,
	VW_LINK_IPV6 = 5,
};

enum vw_verdict {
	VW_OTHER = 0,
	VW_ADVERT = 1,
	VW_REJECT = 2,
};

/* Internal: a layer decoded fine, go on to the next one. */
#define VW_NEXT (-1)

/*
 * Why a frame is not (a clean) VRRP advertisement.  The names are part of
 * the JSON contract ("rejected" records) and of the Prometheus labels:
 * add reasons at the end, never rename.  bad_ttl and bad_checksum are
 * also counted for adverts that are otherwise attributed to their sender.
 */
#define VW_REASONS(X)                                                        \
	X(NONE, "none")                                                      \
	X(TRUNCATED, "truncated")           /* frame ends inside a header */ \
	X(BAD_IP_HEADER, "bad_ip_header")   /* IP version / IHL invalid */   \
	X(BAD_IP_LENGTH, "bad_ip_length")   /* IP length below its header */ \
	X(FRAGMENT, "fragment")             /* VRRP is never fragmented */   \
	X(BAD_AH, "bad_ah")                 /* AH header malformed */        \
	X(SHORT_MESSAGE, "short_message")   /* shorter than 8 VRRP bytes */  \
	X(BAD_VERSION, "bad_version")       /* VRRP version not 2 or 3 */    \
	X(BAD_TYPE, "bad_type")             /* type != 1 (advertisement) */  \
	X(VRID_ZERO, "vrid_zero")           /* VRID range is 1..255 */       \
	X(BAD_AUTH_TYPE, "bad_auth_type")   /* v2 auth type not 0, 1, 2 */   \
	X(ZERO_INTERVAL, "zero_interval")   /* advert interval 0 */          \
	X(ADDR_COUNT, "addr_count")         /* length != count + header */   \
	X(BAD_CHECKSUM, "bad_checksum")     /* no checksum variant holds */  \
	X(BAD_TTL, "bad_ttl")               /* TTL / hop limit != 255 */     \
	X(CARP, "carp")                     /* CARP, protocol 112 too */ \
	X(CAPTURE_CUT, "capture_cut")       /* see below */

/*
 * capture_cut is never returned by the decoder: userspace (capture/ingest.c)
 * gives it to a frame of a capture file whose record is shorter than the
 * frame was on the wire (caplen < length, a short snaplen) and cut before
 * the end of the VRRP fixed header, where the decoder says truncated: the
 * capture's doing, not the sender's.
 */
#define VW_REASON_ENUM(name, str) VW_R_##name,
enum vw_reason { VW_REASONS(VW_REASON_ENUM) VW_R_COUNT };
#undef VW_REASON_ENUM

/* vw_advert.flags */
#define VW_F_BAD_TTL 0x01
#define VW_F_BAD_CSUM 0x02
#define VW_F_AH 0x04 /* carried inside IP AH (RFC 2338 auth type 2) */

/*
 * Checksum variants (vw_advert.csum_ok is a mask of those that validate,
 * csum_variant the one that counts, 0 when none does).
 *   PSEUDO: RFC 5798 5.2.8, message plus the IP pseudo-header.  The only
 *           variant for IPv6.
 *   MESSAGE: the message alone.  VRRPv2 (RFC 3768 5.3.8); for IPv4 VRRPv3
 *           what RFC 9568, Cisco and keepalived's v3_checksum_as_v2 send.
 *   KA_UNICAST: IPv4 pseudo-header with the destination taken as
 *           224.0.0.18 whatever the real one: keepalived's old unicast
 *           checksum (its old_unicast_checksum option).
 */
#define VW_CSUM_PSEUDO 0x1
#define VW_CSUM_MESSAGE 0x2
#define VW_CSUM_KA_UNICAST 0x4

/* SLL packet type (linux/if_packet.h); VW_PKT_NONE where the link has none. */
#define VW_PKT_OUTGOING 4
#define VW_PKT_NONE 0xff

#define VW_MAX_VLAN 2     /* 802.1ad outer + 802.1Q inner */
#define VW_MAX_IPV6_EXT 4 /* extension headers walked before giving up */
#define VW_VRRP_HDR_LEN 8
#define VW_V2_AUTH_LEN 8
/* Largest valid message: v3 over IPv6 with 255 addresses. */
#define VW_MAX_VRRP_LEN (VW_VRRP_HDR_LEN + 255 * 16)
#define VW_MAX_VRRP_WORDS (VW_MAX_VRRP_LEN / 4)
#define VW_VRRP_MCAST4 0xe0000012u /* 224.0.0.18, RFC 3768 5.2.2 */

struct vw_advert {
	__u8 verdict;    /* enum vw_verdict */
	__u8 reason;     /* enum vw_reason, VW_REJECT only */
	__u8 flags;      /* VW_F_* */
	__u8 family;     /* 4 or 6, 0 before the IP header */
	__u8 ttl;        /* IPv4 TTL or IPv6 hop limit */
	__u8 nvlan;      /* VLAN tags with a non-zero VID, <= VW_MAX_VLAN */
	__u8 pkt_type;   /* SLL packet type or VW_PKT_NONE */
	__u8 ip_proto;   /* 112, or 51 when wrapped in AH */
	__u16 vlan[VW_MAX_VLAN]; /* VIDs, outer first */
	__u8 src_mac[6]; /* zero when the link layer has none */
	__u8 dst_mac[6];
	__u8 src[16]; /* IPv4 in the first 4 bytes, the rest zero */
	__u8 dst[16];
	__u16 ip_len;   /* IP datagram length, header included */
	__u16 vrrp_off; /* VRRP message offset in the frame */
	__u16 vrrp_len; /* VRRP message length (IP payload minus AH) */
	__u8 version;
	__u8 type;
	__u8 vrid;
	__u8 priority;
	__u8 naddr;
	__u8 auth_type;    /* v2 only, else 0 */
	__u8 csum_ok;      /* mask of VW_CSUM_* that validate */
	__u8 csum_variant; /* the VW_CSUM_* that counts, 0 if none */
	__u16 interval_cs; /* advert interval in centiseconds (v2: s * 100) */
	__u16 checksum;    /* as sent, host order */
	__u32 addr_hash;   /* order-independent hash of the address set */
};

VW_INLINE __u16 vw_be16(const __u8 *p)
{
	return (__u16)(((__u16)p[0] << 8) | p[1]);
}

/*
 * Loads and stores of any alignment, in host byte order.  BPF: a plain
 * dereference (the verifier allows unaligned packet access where the CPU
 * does, and clang would split a memcpy into byte loads); userspace:
 * memcpy, which compiles to one move and keeps UBSan quiet.
 * Addresses are copied with these, in the widths the key builder reads
 * them back (obs_table.c), so that no load waits on narrower stores.
 */
#ifdef __bpf__
#define VW_ACCESSORS(bits)                                                     \
	VW_INLINE __u##bits vw_load##bits(const __u8 *p)                       \
	{                                                                      \
		return *(const __u##bits *)(const void *)p;                    \
	}                                                                      \
	VW_INLINE void vw_store##bits(__u8 *p, __u##bits v)                    \
	{                                                                      \
		*(__u##bits *)(void *)p = v;                                   \
	}
#else
#define VW_ACCESSORS(bits)                                                     \
	VW_INLINE __u##bits vw_load##bits(const __u8 *p)                       \
	{                                                                      \
		__u##bits v;                                                   \
		__builtin_memcpy(&v, p, sizeof(v));                            \
		return v;                                                      \
	}                                                                      \
	VW_INLINE void vw_store##bits(__u8 *p, __u##bits v)                    \
	{                                                                      \
		__builtin_memcpy(p, &v, sizeof(v));                            \
	}
#endif
VW_ACCESSORS(16)
VW_ACCESSORS(32)
VW_ACCESSORS(64)

VW_INLINE void vw_copy_mac(__u8 *dst, const __u8 *src)
{
	vw_store32(dst, vw_load32(src));
	vw_store16(dst + 4, vw_load16(src + 4));
}

VW_INLINE void vw_copy_ip6(__u8 *dst, const __u8 *src)
{
	vw_store64(dst, vw_load64(src));
	vw_store64(dst + 8, vw_load64(src + 8));
}

VW_INLINE __u32 vw_htonl(__u32 x)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(x);
#else
	return x;
#endif
}

/* Fold a sum of host-order 32-bit words to 16 bits (RFC 1071). */
VW_INLINE __u16 vw_csum_fold(__u64 sum)
{
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

VW_INLINE __u32 vw_mix32(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

VW_INLINE int vw_reject(struct vw_advert *a, enum vw_reason reason)
{
	a->verdict = VW_REJECT;
	a->reason = (__u8)reason;
	return VW_REJECT;
}

/* 802.1Q, 802.1ad and the pre-standard 0x9100 QinQ tag. */
VW_INLINE int vw_is_vlan_tpid(__u16 type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100;
}

/*
 * What the link layer says, kept apart from struct vw_advert so that a
 * frame that is not VRRP never touches (or zeroes) the advert.
 */
struct vw_l2 {
	const __u8 *l3;   /* the network header */
	const __u8 *smac; /* source MAC, 0 when the link has none */
	const __u8 *dmac;
	__u16 type;       /* ethertype after the tags */
	__u16 vlan[VW_MAX_VLAN];
	__u8 nvlan;
	__u8 pkt_type;
};

/*
 * Skip up to VW_MAX_VLAN tags at l2->l3, recording their VIDs.  A VID of
 * 0 is an 802.1p priority tag: it says nothing about the segment, so it is
 * skipped without being recorded.  Returns 0, or -1 for a third tag or a
 * frame that ends inside one.
 */
VW_INLINE int vw_skip_vlan(struct vw_l2 *l2, const __u8 *end)
{
	const __u8 *p = l2->l3;

	for (int i = 0; i < VW_MAX_VLAN + 1; i++) {
		if (!vw_is_vlan_tpid(l2->type))
			break;
		if (i == VW_MAX_VLAN || p + 4 > end)
			return -1;
		__u16 vid = vw_be16(p) & 0x0fff;
		/* no variable index: the verifier refuses it on the stack */
		if (vid && l2->nvlan == 0)
			l2->vlan[0] = vid, l2->nvlan = 1;
		else if (vid)
			l2->vlan[1] = vid, l2->nvlan = 2;
		l2->type = vw_be16(p + 2);
		p += 4;
	}
	l2->l3 = p;
	return 0;
}

/*
 * Strip the link layer into *l2.  Returns 0, or -1 when the frame is too
 * short or of an unknown link type.
 */
VW_INLINE int vw_decode_link(const __u8 *p, const __u8 *end, enum vw_link link,
			     struct vw_l2 *l2)
{
	l2->smac = l2->dmac = 0;
	l2->nvlan = 0;
	l2->vlan[0] = l2->vlan[1] = 0;
	l2->pkt_type = VW_PKT_NONE;
	switch (link) {
	case VW_LINK_ETHERNET:
		if (p + 14 > end)
			return -1;
		l2->dmac = p;
		l2->smac = p + 6;
		l2->type = vw_be16(p + 12);
		p += 14;
		break;
	case VW_LINK_SLL:
		/* pkttype(2) hatype(2) halen(2) addr(8) protocol(2) */
		if (p + 16 > end)
			return -1;
		l2->pkt_type = (__u8)vw_be16(p);
		if (vw_be16(p + 4) == 6)
			l2->smac = p + 6;
		l2->type = vw_be16(p + 14);
		p += 16;
		break;
	case VW_LINK_SLL2:
		/* protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1)
		 * halen(1) addr(8) */
		if (p + 20 > end)
			return -1;
		l2->type = vw_be16(p);
		l2->pkt_type = p[10];
		if (p[11] == 6)
			l2->smac = p + 12;
		p += 20;
		break;
	case VW_LINK_RAW:
		if (p + 1 > end)
			return -1;
		l2->type = (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
		break;
	case VW_LINK_IPV4:
		l2->type = 0x0800;
		break;
	case VW_LINK_IPV6:
		l2->type = 0x86dd;
		break;
	default:
		return -1;
	}
	l2->l3 = p;
	if (l2->type == 0x0800 || l2->type == 0x86dd)
		return 0;
	return vw_is_vlan_tpid(l2->type) ? vw_skip_vlan(l2, end) : 0;
}

/*
 * The fast path: can this network header lead to VRRP?  IPv4 protocol
 * 112 or AH; IPv6 next header 112, AH, or an extension header that may
 * lead to one.  TCP, UDP, ARP, ICMPv6... stop here.
 */
VW_INLINE int vw_may_be_vrrp(const struct vw_l2 *l2, const __u8 *end)
{
	const __u8 *p = l2->l3;

	/* the protocol byte decides: a frame cut after it is a candidate
	 * (vw_decode_ipv4/6 reject it as truncated), one cut before is not */
	if (l2->type == 0x0800) {
		if (p + 10 > end)
			return 0;
		return p[9] == 112 || p[9] == 51;
	}
	if (l2->type == 0x86dd) {
		if (p + 7 > end)
			return 0;
		__u8 next = p[6];
		return next == 112 || next == 51 || next == 0 || next == 43 || next == 44 ||
		       next == 60;
	}
	return 0;
}

/* IP AH (RFC 4302): length in 32-bit words minus 2, at least 12 bytes. */
VW_INLINE int vw_skip_ah(const __u8 **pp, const __u8 *end, __u32 *plen,
			 __u8 *next, struct vw_advert *a)
{
	const __u8 *p = *pp;

	if (p + 12 > end || *plen < 12)
		return vw_reject(a, VW_R_BAD_AH);
	__u32 ah_len = ((__u32)p[1] + 2) * 4;
	if (ah_len < 12 || ah_len > *plen)
		return vw_reject(a, VW_R_BAD_AH);
	*next = p[0];
	*pp = p + ah_len;
	*plen -= ah_len;
	a->flags |= VW_F_AH;
	return 0;
}

/*
 * IPv4: the total length, never the frame length, bounds the datagram so
 * that Ethernet padding is ignored.  Options are allowed (RFC 3768 does not
 * forbid them; the IHL is honoured).  Returns VW_NEXT and sets *pp / *plen
 * to the IP payload, VW_OTHER for non-VRRP, VW_REJECT otherwise.
 */
VW_INLINE int vw_decode_ipv4(const __u8 **pp, const __u8 *end, __u32 *plen,
			     struct vw_advert *a)
{
	const __u8 *p = *pp;

	if (p + 10 > end)
		return VW_OTHER;
	__u8 proto = p[9];
	if (proto != 112 && proto != 51)
		return VW_OTHER; /* the fast path: not VRRP */
	a->family = 4;
	a->ip_proto = proto;
	if (p + 20 > end) /* cut after the protocol byte: VRRP, truncated */
		return vw_reject(a, VW_R_TRUNCATED);
	a->ttl = p[8];
	vw_store32(a->src, vw_load32(p + 12));
	vw_store32(a->dst, vw_load32(p + 16));
	if ((p[0] >> 4) != 4 || (p[0] & 0x0f) < 5)
		return vw_reject(a, VW_R_BAD_IP_HEADER);
	__u32 ihl = (__u32)(p[0] & 0x0f) * 4;
	__u32 tot = vw_be16(p + 2);
	if (tot < ihl)
		return vw_reject(a, VW_R_BAD_IP_LENGTH);
	if (p + ihl > end || p + tot > end)
		return vw_reject(a, VW_R_TRUNCATED);
	if (vw_be16(p + 6) & 0x3fff) /* MF or a fragment offset */
		return vw_reject(a, VW_R_FRAGMENT);
	a->ip_len = (__u16)tot;
	p += ihl;
	*plen = tot - ihl;
	if (proto == 51) {
		__u8 next = 0;

		if (vw_skip_ah(&p, end, plen, &next, a))
			return VW_REJECT;
		if (next != 112)
			return VW_OTHER;
	}
	*pp = p;
	return VW_NEXT;
}

VW_INLINE int vw_decode_ipv6(const __u8 **pp, const __u8 *end, __u32 *plen,
			     struct vw_advert *a)
{
	const __u8 *p = *pp;

	if (p + 7 > end)
		return VW_OTHER;
	__u8 next = p[6];
	/* the fast path: only VRRP, AH or an extension header that may lead
	 * to one goes on; TCP, UDP, ICMPv6... leave here */
	if (next != 112 && next != 51 && next != 0 && next != 43 &&
	    next != 44 && next != 60)
		return VW_OTHER;
	if ((p[0] >> 4) != 6)
		return VW_OTHER;
	if (p + 40 > end) { /* cut after the next header byte */
		if (next != 112 && next != 51)
			return VW_OTHER;
		a->family = 6;
		a->ip_proto = next;
		return vw_reject(a, VW_R_TRUNCATED);
	}
	__u32 len = vw_be16(p + 4);
	a->ip_len = (__u16)(len > 0xffff - 40 ? 0xffff : 40 + len);
	a->ttl = p[7];
	vw_copy_ip6(a->src, p + 8);
	vw_copy_ip6(a->dst, p + 24);
	p += 40;
	if (len == 0) { /* jumbogram (RFC 2675): never VRRP */
		if (next != 112 && next != 51)
			return VW_OTHER; /* a jumbo TCP segment, say */
		a->family = 6;
		a->ip_proto = next;
		return vw_reject(a, VW_R_BAD_IP_LENGTH);
	}
	for (int i = 0; i < VW_MAX_IPV6_EXT; i++) {
		if (next == 112 || next == 51 || next == 44)
			break;
		if (next != 0 && next != 43 && next != 60)
			return VW_OTHER;
		/* hop-by-hop, routing, destination options: (len + 1) * 8 */
		if (p + 8 > end)
			return VW_OTHER;
		__u32 ext_len = ((__u32)p[1] + 1) * 8;
		if (ext_len > len)
			return VW_OTHER;
		next = p[0];
		p += ext_len;
		len -= ext_len;
	}
	if (next != 112 && next != 51 && next != 44)
		return VW_OTHER; /* MLD and friends behind hop-by-hop */
	/* a fragment header: only a fragment of VRRP (or AH) concerns us */
	if (next == 44 && (p + 8 > end || (p[0] != 112 && p[0] != 51)))
		return VW_OTHER;
	a->family = 6;
	a->ip_proto = next;
	if (next == 44) /* a fragment header: VRRP is never fragmented */
		return vw_reject(a, VW_R_FRAGMENT);
	if (p + len > end)
		return vw_reject(a, VW_R_TRUNCATED);
	if (next == 51) {
		if (vw_skip_ah(&p, end, &len, &next, a))
			return VW_REJECT;
		if (next != 112)
			return VW_OTHER;
	}
	*pp = p;
	*plen = len;
	return VW_NEXT;
}

/*
 * The message's one's complement sum over all its 32-bit words (the
 * checksum field included, so a valid message folds to 0xffff), and an
 * order-independent hash of its address list (the sum of one mixed hash
 * per address).  Returns the folded sum in bits 0-15, the hash in bits
 * 16-47, and VW_SUM_ERROR if the frame ends early.
 *
 * Each loop compares its counter with one bound only, so that the BPF
 * verifier walks it once, linearly.
 */
#define VW_SUM_ERROR (1ull << 63)
#define VW_FNV_BASIS 2166136261u
#define VW_FNV_PRIME 16777619u

VW_INLINE __u64 vw_sum_message(const __u8 *q, const __u8 *end, __u32 nwords,
			       __u32 naddr, __u32 ipv6)
{
	const __u8 *w = q;
	__u64 sum = 0;
	__u32 hash = 0;

#ifndef __bpf__
	/* the verifier needs a check per load; a CPU needs one */
	if (q + 4 * nwords > end)
		return VW_SUM_ERROR;
#endif
	for (__u32 i = 0; i < VW_MAX_VRRP_WORDS; i++) {
		if (i >= nwords)
			break;
#ifdef __bpf__
		VW_OPAQUE(end);
		if (w + 4 > end)
			return VW_SUM_ERROR;
#endif
		sum += vw_load32(w);
		w += 4;
	}
	w = q + VW_VRRP_HDR_LEN;
	if (ipv6) {
		for (__u32 i = 0; i < 255; i++) {
			if (i >= naddr)
				break;
			VW_OPAQUE(end);
			if (w + 16 > end)
				return VW_SUM_ERROR;
			__u32 acc = VW_FNV_BASIS;
			for (int k = 0; k < 16; k += 4)
				acc = (acc ^ vw_load32(w + k)) * VW_FNV_PRIME;
			hash += vw_mix32(acc);
			w += 16;
		}
	} else {
		for (__u32 i = 0; i < 255; i++) {
			if (i >= naddr)
				break;
			VW_OPAQUE(end);
			if (w + 4 > end)
				return VW_SUM_ERROR;
			hash += vw_mix32((VW_FNV_BASIS ^ vw_load32(w)) * VW_FNV_PRIME);
			w += 4;
		}
	}
	return vw_csum_fold(sum) | ((__u64)hash << 16);
}

/*
 * In BPF the loop above must be verified once, not once for every path
 * that reaches it (VLAN tags, IPv4/IPv6, AH, v2/v3 multiply them past the
 * verifier's limit).  Each BPF program therefore wraps it in a global
 * function that the verifier checks on its own (bpf/sum_message.bpf.h)
 * and names it in VW_BPF_SUM_MESSAGE before including this header.
 */
#ifdef __bpf__
#ifndef VW_BPF_SUM_MESSAGE
#error "include bpf/sum_message.bpf.h before vrrp_decode.h"
#endif
#define VW_SUM_MESSAGE(ctx, frame, q, end, nwords, naddr, ipv6) \
	VW_BPF_SUM_MESSAGE(ctx, (__u32)((q) - (frame)), nwords, naddr, ipv6)
#else
#define VW_SUM_MESSAGE(ctx, frame, q, end, nwords, naddr, ipv6) \
	((void)(ctx), vw_sum_message(q, end, nwords, naddr, ipv6))
#endif

/* Pseudo-header sums (RFC 5798 5.2.8, RFC 8200 8.1), host-order words. */
VW_INLINE __u64 vw_pseudo4(const __u8 *src, __u32 dst_word, __u32 len)
{
	return (__u64)vw_load32(src) + dst_word + vw_htonl((112u << 16) | len);
}

VW_INLINE __u64 vw_pseudo6(const __u8 *src, const __u8 *dst, __u32 len)
{
	__u64 s = vw_htonl(len) + (__u64)vw_htonl(112);

	for (int i = 0; i < 16; i += 4)
		s += (__u64)vw_load32(src + i) + vw_load32(dst + i);
	return s;
}

VW_INLINE void vw_check_csum(struct vw_advert *a, __u16 sum, __u32 len)
{
	__u8 ok = 0;

	if (a->family == 6) {
		if (vw_csum_fold(sum + vw_pseudo6(a->src, a->dst, len)) == 0xffff)
			ok |= VW_CSUM_PSEUDO;
	} else {
		if (vw_csum_fold(sum) == 0xffff)
			ok |= VW_CSUM_MESSAGE;
		if (a->version == 3) {
			if (vw_csum_fold(sum + vw_pseudo4(a->src, vw_load32(a->dst), len)) == 0xffff)
				ok |= VW_CSUM_PSEUDO;
			if (vw_csum_fold(sum + vw_pseudo4(a->src, vw_htonl(VW_VRRP_MCAST4), len)) ==
			    0xffff)
				ok |= VW_CSUM_KA_UNICAST;
		}
	}
	a->csum_ok = ok;
	if (a->version == 2 && a->family == 4) /* RFC 3768 5.3.8 */
		ok &= VW_CSUM_MESSAGE;
	if (ok & VW_CSUM_PSEUDO)
		a->csum_variant = VW_CSUM_PSEUDO;
	else if (ok & VW_CSUM_MESSAGE)
		a->csum_variant = VW_CSUM_MESSAGE;
	else if (ok & VW_CSUM_KA_UNICAST)
		a->csum_variant = VW_CSUM_KA_UNICAST;
	else
		a->flags |= VW_F_BAD_CSUM;
}

/*
 * CARP (OpenBSD) uses protocol 112, version 2, type 1 like VRRPv2, but its
 * message is always 36 bytes with authlen 7 in the byte where VRRPv2 keeps
 * its address count; a VRRPv2 message with 7 addresses is 44 bytes long.
 */
VW_INLINE int vw_is_carp(const __u8 *q, __u32 len)
{
	return q[0] == 0x21 && len == 36 && q[3] == 7;
}

/*
 * The VRRP message at q, len bytes (RFC 3768 5.1, RFC 5798 5.1).
 * Structural checks first (version, type, VRID, auth type, interval,
 * count against length), then the checksum.  TTL and checksum failures
 * are flagged, not rejected, so that the sender stays known: RFC 5798 7.1
 * tells a receiver to discard them, and vrrpwatch reports who sends them.
 */
VW_INLINE int vw_decode_vrrp(void *ctx, const __u8 *frame, const __u8 *q,
			     const __u8 *end, __u32 len, struct vw_advert *a)
{
	if (len < VW_VRRP_HDR_LEN)
		return vw_reject(a, VW_R_SHORT_MESSAGE);
	if (q + VW_VRRP_HDR_LEN > end)
		return vw_reject(a, VW_R_TRUNCATED);
	a->vrrp_off = (__u16)(q - frame);
	a->vrrp_len = (__u16)len;
	if (vw_is_carp(q, len))
		return vw_reject(a, VW_R_CARP);
	a->version = q[0] >> 4;
	a->type = q[0] & 0x0f;
	a->vrid = q[1];
	a->priority = q[2];
	a->naddr = q[3];
	a->checksum = vw_be16(q + 6);
	if (a->version != 2 && a->version != 3)
		return vw_reject(a, VW_R_BAD_VERSION);
	if (a->type != 1)
		return vw_reject(a, VW_R_BAD_TYPE);
	if (a->vrid == 0)
		return vw_reject(a, VW_R_VRID_ZERO);

	__u32 alen = a->family == 6 ? 16 : 4;
	__u32 expected = VW_VRRP_HDR_LEN + (__u32)a->naddr * alen;
	if (a->version == 2) {
		a->auth_type = q[4];
		a->interval_cs = (__u16)(q[5] * 100);
		/* RFC 3768 5.1: 8 bytes of auth data, whatever the auth type.
		 * keepalived's VRRPv2 over IPv6 (an extension) has none. */
		if (a->family == 4)
			expected += VW_V2_AUTH_LEN;
		if (a->auth_type > 2)
			return vw_reject(a, VW_R_BAD_AUTH_TYPE);
	} else {
		/* 4 reserved bits, then 12 bits of centiseconds */
		a->interval_cs = vw_be16(q + 4) & 0x0fff;
	}
	if (a->interval_cs == 0)
		return vw_reject(a, VW_R_ZERO_INTERVAL);
	/* keepalived discards a message longer or shorter than its count
	 * says (vrrp_check_packet: "vrrp packet too long/short") */
	if (len != expected)
		return vw_reject(a, VW_R_ADDR_COUNT);

	__u64 r = VW_SUM_MESSAGE(ctx, frame, q, end, expected / 4, a->naddr,
				 a->family == 6);
	if (r & VW_SUM_ERROR)
		return vw_reject(a, VW_R_TRUNCATED);
	a->addr_hash = (__u32)(r >> 16);
	vw_check_csum(a, (__u16)r, expected);
	if (a->ttl != 255)
		a->flags |= VW_F_BAD_TTL;
	a->verdict = VW_ADVERT;
	return VW_ADVERT;
}

/*
 * Decode one frame into *a, in two stages: vw_decode_link and
 * vw_may_be_vrrp (the fast path), then vw_decode_l3.  `ctx` is the BPF
 * program context (NULL in userspace).  Returns the verdict, also stored
 * in a->verdict.  A frame that cannot be VRRP returns VW_OTHER having
 * written nothing else: the rest of *a is only meaningful for VW_ADVERT
 * and VW_REJECT, and then every field not set is zero.
 */
VW_INLINE int vw_decode_l3(void *ctx, const __u8 *frame, const __u8 *end,
			   const struct vw_l2 *l2, struct vw_advert *a)
{
	const __u8 *p = l2->l3;
	__u32 plen = 0;
	int rc;

	__builtin_memset(a, 0, sizeof(*a));
	a->nvlan = l2->nvlan;
	a->vlan[0] = l2->vlan[0];
	a->vlan[1] = l2->vlan[1];
	a->pkt_type = l2->pkt_type;
	if (l2->type == 0x0800)
		rc = vw_decode_ipv4(&p, end, &plen, a);
	else
		rc = vw_decode_ipv6(&p, end, &plen, a);
	if (rc == VW_OTHER)
		return a->verdict = VW_OTHER;
	if (l2->smac)
		vw_copy_mac(a->src_mac, l2->smac);
	if (l2->dmac)
		vw_copy_mac(a->dst_mac, l2->dmac);
	if (rc != VW_NEXT)
		return rc;
	return vw_decode_vrrp(ctx, frame, p, end, plen, a);
}

VW_INLINE int vw_decode(void *ctx, const __u8 *frame, const __u8 *end,
			enum vw_link link, struct vw_advert *a)
{
	struct vw_l2 l2;

	a->verdict = VW_OTHER;
	if (vw_decode_link(frame, end, link, &l2) || !vw_may_be_vrrp(&l2, end))
		return VW_OTHER;
	return vw_decode_l3(ctx, frame, end, &l2, a);
}

#endif /* VRRPWATCH_VRRP_DECODE_H */
