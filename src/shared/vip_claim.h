/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vip_claim.h - who claims a virtual address: ARP (requests, replies,
 * gratuitous ARP) and IPv6 neighbour solicitations and advertisements.
 * Compiled into the BPF programs and into userspace alike, under the rules
 * of vrrp_decode.h (no libc, bounds-checked reads, always inlined), so
 * that the kernel's counts and a replay's agree by construction.
 *
 * A frame claims address A for MAC M when:
 *   garp            ARP whose sender and target protocol addresses are both
 *                   A (a request or a reply: arping -U and -A);
 *   reply           an ARP reply whose sender protocol address is A;
 *   request         an ARP request whose sender protocol address is A
 *                   (the holder asking for somebody else);
 *   na_unsolicited  an IPv6 NA for target A without the Solicited flag;
 *   na_solicited    the same with it;
 * M is the ARP sender hardware address, or for an NA its target
 * link-layer address option (the first option), else the frame's source.
 * A frame asks for A (kind ask, counted per address, MAC zero) when it is
 * an ARP request whose target protocol address is A and whose sender's
 * is not, or an NS whose target is A.
 */
#ifndef VRRPWATCH_VIP_CLAIM_H
#define VRRPWATCH_VIP_CLAIM_H

#include "vrrp_decode.h"

/* The names are part of the JSON contract and the Prometheus labels:
 * add kinds at the end, rename none. */
#define VW_CLAIM_KINDS(X)                     \
	X(GARP, "garp")                       \
	X(REPLY, "reply")                     \
	X(REQUEST, "request")                 \
	X(NA_UNSOLICITED, "na_unsolicited")   \
	X(NA_SOLICITED, "na_solicited")       \
	X(ASK, "ask")

#define VW_CLAIM_ENUM(name, str) VW_CLAIM_##name,
enum vw_claim_kind { VW_CLAIM_KINDS(VW_CLAIM_ENUM) VW_CLAIM_COUNT };
#undef VW_CLAIM_ENUM

/* An announcement: what a new master sends for its addresses. */
#define VW_CLAIM_IS_ANNOUNCEMENT(k) ((k) == VW_CLAIM_GARP || (k) == VW_CLAIM_NA_UNSOLICITED)

/* One claim row; 32 bytes, no implicit padding, zeroed by its builder. */
struct vw_claim_key {
	__u32 ifindex;  /* live: the interface; offline: the segment id */
	__u16 vlan[2];  /* VIDs, outer first; 0 = no tag */
	__u8 addr[16];  /* the address claimed or asked for; IPv4 in the first 4 */
	__u8 mac[6];    /* the claiming MAC; zero for asks */
	__u8 family;    /* 4 or 6 */
	__u8 kind;      /* enum vw_claim_kind */
};

/* In BPF per CPU, in jiffies; userspace sums and converts. */
struct vw_claim_val {
	__u64 count;
	__u64 first_ns;
	__u64 last_ns;
};

/* A watched address (the BPF hash map userspace fills). */
struct vw_watch_key {
	__u8 family;
	__u8 pad[3];
	__u8 addr[16];
};

/*
 * A first, cheap filter before the watch map's hash lookup: one bit per
 * watched address in a 1024-bit set (an array map of one value), at a
 * hash of the address.  An ARP or NS for an address not watched mostly
 * stops at the bit.
 */
#define VW_WATCH_BITS 1024
struct vw_watch_bits {
	__u64 w[VW_WATCH_BITS / 64];
};

VW_INLINE __u32 vw_watch_bit(__u8 family, const __u8 *addr)
{
	__u32 x = vw_load32(addr);

	if (family == 6)
		x ^= vw_load32(addr + 4) ^ vw_load32(addr + 8) ^ vw_load32(addr + 12);
	return vw_mix32(x ^ family) & (VW_WATCH_BITS - 1);
}

VW_INLINE int vw_watch_bit_set(const struct vw_watch_bits *b, __u8 family, const __u8 *addr)
{
	__u32 i = vw_watch_bit(family, addr);

	return (b->w[(i >> 6) & (VW_WATCH_BITS / 64 - 1)] >> (i & 63)) & 1;
}

/* What one frame says: a claim, an ask, or both (an ARP request from a
 * watched address for another watched address). */
struct vw_claim {
	__u8 family;
	__u8 kind;       /* of the claim */
	__u8 has_claim;
	__u8 has_ask;
	__u8 mac[6];     /* the claimer */
	__u8 src_mac[6]; /* the frame's source (zero when the link has none) */
	__u8 addr[16];   /* claimed */
	__u8 ask[16];    /* asked for */
	__u8 own[16];    /* the sender's own address when it is not the one
			  * claimed: ARP sender, IPv6 source (0: none) */
};

VW_INLINE void vw_claim_copy(__u8 *dst, const __u8 *src, int n)
{
	for (int i = 0; i < n; i++)
		dst[i] = src[i];
}

/*
 * The fast path after vw_may_be_vrrp said no: ARP, or IPv6 whose next
 * header is ICMPv6.  An IPv4 frame costs nothing more than before.
 */
VW_INLINE int vw_may_be_claim(const struct vw_l2 *l2, const __u8 *end)
{
	const __u8 *p = l2->l3;

	if (l2->type == 0x0806)
		return 1;
	if (l2->type == 0x86dd)
		return p + 7 <= end && p[6] == 58;
	return 0;
}

VW_INLINE int vw_ip4_zero(const __u8 *p)
{
	return !(p[0] | p[1] | p[2] | p[3]);
}

/* Returns 1 when the frame claims or asks for something (*c filled), else 0. */
VW_INLINE int vw_decode_claim(const struct vw_l2 *l2, const __u8 *end, struct vw_claim *c)
{
	const __u8 *p = l2->l3;

	c->has_claim = c->has_ask = 0;
	for (int i = 0; i < 6; i++)
		c->src_mac[i] = l2->smac ? l2->smac[i] : 0;
	if (l2->type == 0x0806) {
		/* Ethernet / IPv4 only: hrd 1, pro 0x0800, hln 6, pln 4 */
		if (p + 28 > end)
			return 0;
		if (vw_be16(p) != 1 || vw_be16(p + 2) != 0x0800 || p[4] != 6 || p[5] != 4)
			return 0;
		__u16 op = vw_be16(p + 6);
		const __u8 *sha = p + 8, *spa = p + 14, *tpa = p + 24;
		if (op != 1 && op != 2)
			return 0;
		c->family = 4;
		int same = spa[0] == tpa[0] && spa[1] == tpa[1] && spa[2] == tpa[2] &&
			   spa[3] == tpa[3];
		for (int i = 0; i < 16; i++)
			c->addr[i] = c->ask[i] = 0;
#ifndef __bpf__
		for (int i = 0; i < 16; i++)
			c->own[i] = 0;
#endif
		vw_claim_copy(c->mac, sha, 6);
		if (!vw_ip4_zero(spa)) {
			c->has_claim = 1;
			c->kind = same ? VW_CLAIM_GARP : op == 2 ? VW_CLAIM_REPLY : VW_CLAIM_REQUEST;
			vw_claim_copy(c->addr, spa, 4);
#ifndef __bpf__ /* userspace only: to name a claimer */
			if (!same)
				vw_claim_copy(c->own, spa, 4);
#endif
		}
		if (op == 1 && !same && !vw_ip4_zero(tpa)) {
			c->has_ask = 1;
			vw_claim_copy(c->ask, tpa, 4);
		}
		return c->has_claim | c->has_ask;
	}
	if (l2->type != 0x86dd)
		return 0;
	/* IPv6, next header ICMPv6, then NS (135) or NA (136): type, code,
	 * checksum, 4 bytes (NA flags), the 16-byte target */
	if (p + 64 > end || p[6] != 58 || (p[0] >> 4) != 6)
		return 0;
	__u8 type = p[40];
	if ((type != 135 && type != 136) || p[41] != 0)
		return 0;
	c->family = 6;
#ifndef __bpf__
	vw_claim_copy(c->own, p + 8, 16);
#endif
	if (type == 135) {
		c->has_ask = 1;
		vw_claim_copy(c->ask, p + 48, 16);
		return 1;
	}
	c->has_claim = 1;
	c->kind = (p[44] & 0x40) ? VW_CLAIM_NA_SOLICITED : VW_CLAIM_NA_UNSOLICITED;
	vw_claim_copy(c->addr, p + 48, 16);
	/* the target link-layer address option, when it comes first */
	if (p + 72 <= end && p[64] == 2 && p[65] == 1)
		vw_claim_copy(c->mac, p + 66, 6);
	else
		vw_claim_copy(c->mac, c->src_mac, 6);
	return 1;
}

/* The key of a claim (ask: the asked address, MAC zero). */
VW_INLINE void vw_claim_key_of(struct vw_claim_key *k, __u32 ifindex, const struct vw_l2 *l2,
			       const struct vw_claim *c, int ask)
{
	k->ifindex = ifindex;
	k->vlan[0] = l2->nvlan > 0 ? l2->vlan[0] : 0;
	k->vlan[1] = l2->nvlan > 1 ? l2->vlan[1] : 0;
	k->family = c->family;
	k->kind = ask ? VW_CLAIM_ASK : c->kind;
	vw_claim_copy(k->addr, ask ? c->ask : c->addr, 16);
	for (int i = 0; i < 6; i++)
		k->mac[i] = ask ? 0 : c->mac[i];
}

VW_INLINE void vw_watch_key_of(struct vw_watch_key *w, __u8 family, const __u8 *addr)
{
	w->family = family;
	w->pad[0] = w->pad[1] = w->pad[2] = 0;
	vw_claim_copy(w->addr, addr, 16);
}

#endif /* VRRPWATCH_VIP_CLAIM_H */
