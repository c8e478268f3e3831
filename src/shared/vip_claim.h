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

/* One claim row; 32 bytes, no implicit padding, built whole by
 * vw_claim_keys_of; 8-byte aligned, so that BPF builds it on the stack
 * with word stores and compares it as four words. */
struct __attribute__((aligned(8))) vw_claim_key {
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

/*
 * Where the BPF programs count a claim key: a per-CPU array of slots,
 * direct-mapped by a hash of the key (two multiplies, the high bits), so
 * that a key already counted costs an inlined array lookup and a 4-word
 * compare instead of a hash map lookup.  A slot, once a key holds it on a
 * CPU, is that key's there for good (as a hash map entry would be: the
 * counts are running totals userspace takes differences of); a key whose
 * slot another key holds goes to the vw_claims hash.
 */
#define VW_CLAIM_SLOTS 1024 /* per CPU, power of two */

struct vw_claim_slot {
	struct vw_claim_key key; /* family 0: empty */
	struct vw_claim_val val;
};

VW_INLINE __u32 vw_claim_slot_of(const __u64 *w)
{
	__u64 h = (w[0] ^ w[2]) * 0x9e3779b97f4a7c15ull ^ (w[1] ^ w[3]) * 0xc2b2ae3d27d4eb4full;

	return (__u32)(h >> 40) & (VW_CLAIM_SLOTS - 1);
}

/* A watched address (the BPF hash map userspace fills); the address
 * first, so that BPF builds the key with word stores on the stack. */
struct __attribute__((aligned(8))) vw_watch_key {
	__u8 addr[16];
	__u8 family;
	__u8 pad[7];
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

/*
 * The fast path after vw_may_be_vrrp said no: ARP, or an IPv6 NS / NA
 * (next header ICMPv6, type 135 or 136).  Any other frame, ICMPv6 echo
 * included, stops here at the cost of a compare or two.
 */
VW_INLINE int vw_may_be_claim(const struct vw_l2 *l2, const __u8 *end)
{
	const __u8 *p = l2->l3;

	if (l2->type == 0x0806)
		return 1;
	if (l2->type == 0x86dd)
		return p + 41 <= end && p[6] == 58 && (p[40] == 135 || p[40] == 136);
	return 0;
}

/* What one frame says: a claim, an ask, or both (an ARP request from a
 * watched address for another watched address), as the keys they count
 * under; each key whole, padding included (the BPF maps compare bytes). */
struct vw_claim_keys {
	struct vw_claim_key claim, ask;
	__u8 has_claim;
	__u8 has_ask;
};

/* The part of a key every kind shares; the address and MAC follow. */
VW_INLINE void vw_claim_key_head(struct vw_claim_key *k, __u32 ifindex, const struct vw_l2 *l2,
				 __u8 family, __u8 kind)
{
	k->ifindex = ifindex;
	/* the link decoder zeroes the VIDs it does not set */
	k->vlan[0] = l2->vlan[0];
	k->vlan[1] = l2->vlan[1];
	k->family = family;
	k->kind = kind;
}

/* An IPv4 address in the key's 16 bytes: word stores, zero-padded. */
VW_INLINE void vw_claim_key_ip4(struct vw_claim_key *k, __u32 addr)
{
	vw_store32(k->addr, addr);
	vw_store32(k->addr + 4, 0);
	vw_store64(k->addr + 8, 0);
}

VW_INLINE void vw_claim_key_mac(struct vw_claim_key *k, const __u8 *mac)
{
	if (mac) {
		vw_store32(k->mac, vw_load32(mac));
		vw_store16(k->mac + 4, vw_load16(mac + 4));
	} else {
		vw_store32(k->mac, 0);
		vw_store16(k->mac + 4, 0);
	}
}

/* ARP (Ethernet / IPv4 only: hrd 1, pro 0x0800, hln 6, pln 4). */
VW_INLINE int vw_claim_keys_arp(const __u8 *p, const __u8 *end, __u32 ifindex,
				const struct vw_l2 *l2, struct vw_claim_keys *o)
{
	if (p + 28 > end)
		return 0;
	if (vw_load32(p) != vw_htonl(0x00010800) || p[4] != 6 || p[5] != 4)
		return 0;
	__u16 op = vw_be16(p + 6);
	if (op != 1 && op != 2)
		return 0;
	/* sender hardware, sender protocol, target protocol address */
	__u32 spa = vw_load32(p + 14), tpa = vw_load32(p + 24);
	if (spa) {
		o->has_claim = 1;
		vw_claim_key_head(&o->claim, ifindex, l2, 4,
				  spa == tpa ? VW_CLAIM_GARP
				  : op == 2  ? VW_CLAIM_REPLY
					     : VW_CLAIM_REQUEST);
		vw_claim_key_ip4(&o->claim, spa);
		vw_claim_key_mac(&o->claim, p + 8);
	}
	if (op == 1 && spa != tpa && tpa) {
		o->has_ask = 1;
		vw_claim_key_head(&o->ask, ifindex, l2, 4, VW_CLAIM_ASK);
		vw_claim_key_ip4(&o->ask, tpa);
		vw_claim_key_mac(&o->ask, 0);
	}
	return o->has_claim | o->has_ask;
}

/* IPv6, next header ICMPv6, then NS (135) or NA (136): type, code,
 * checksum, 4 bytes (NA flags), the 16-byte target at byte 48. */
VW_INLINE int vw_claim_keys_nd(const __u8 *p, const __u8 *end, __u32 ifindex,
			       const struct vw_l2 *l2, struct vw_claim_keys *o)
{
	if (p + 64 > end || p[6] != 58 || (p[0] >> 4) != 6)
		return 0;
	__u8 type = p[40];
	if ((type != 135 && type != 136) || p[41] != 0)
		return 0;
	struct vw_claim_key *k = type == 135 ? &o->ask : &o->claim;
	vw_store64(k->addr, vw_load64(p + 48));
	vw_store64(k->addr + 8, vw_load64(p + 56));
	if (type == 135) {
		o->has_ask = 1;
		vw_claim_key_head(k, ifindex, l2, 6, VW_CLAIM_ASK);
		vw_claim_key_mac(k, 0);
		return 1;
	}
	o->has_claim = 1;
	vw_claim_key_head(k, ifindex, l2, 6,
			  (p[44] & 0x40) ? VW_CLAIM_NA_SOLICITED : VW_CLAIM_NA_UNSOLICITED);
	/* the target link-layer address option when it comes first, else the
	 * frame's source */
	if (p + 72 <= end && p[64] == 2 && p[65] == 1)
		vw_claim_key_mac(k, p + 66);
	else
		vw_claim_key_mac(k, l2->smac);
	return 1;
}

/*
 * The keys a frame counts under (ifindex: the interface, or offline the
 * segment id), built as the words the BPF maps hash and compare: the BPF
 * programs and replay count through this one function.  Returns 1 when
 * the frame claims or asks for something (o->has_claim / has_ask), else 0;
 * only the keys flagged are filled.
 */
VW_INLINE int vw_claim_keys_of(const struct vw_l2 *l2, const __u8 *end, __u32 ifindex,
			       struct vw_claim_keys *o)
{
	o->has_claim = o->has_ask = 0;
	if (l2->type == 0x0806)
		return vw_claim_keys_arp(l2->l3, end, ifindex, l2, o);
	if (l2->type == 0x86dd)
		return vw_claim_keys_nd(l2->l3, end, ifindex, l2, o);
	return 0;
}

#ifndef __bpf__
/*
 * Userspace only, to name a claimer: the sender of a frame that claims or
 * asks (vw_claim_keys_of said 1) and its own address when that is not the
 * one claimed: an ARP whose sender address is not its target's (a reply,
 * a request from its holder), or an NS / NA's IPv6 source.  The MAC is
 * the claim's, else the frame's source.  Returns 0 when there is none.
 */
VW_INLINE int vw_claim_sender(const struct vw_l2 *l2, const struct vw_claim_keys *ks,
			      __u8 *mac, __u8 *own)
{
	const __u8 *p = l2->l3;

	for (int i = 0; i < 16; i++)
		own[i] = 0;
	for (int i = 0; i < 6; i++)
		mac[i] = ks->has_claim ? ks->claim.mac[i] : l2->smac ? l2->smac[i] : 0;
	if (l2->type == 0x0806) {
		if (!ks->has_claim || ks->claim.kind == VW_CLAIM_GARP)
			return 0;
		for (int i = 0; i < 4; i++)
			own[i] = p[14 + i];
		return 1;
	}
	__u8 any = 0;
	for (int i = 0; i < 16; i++)
		any |= own[i] = p[8 + i];
	return any != 0; /* an NS for duplicate address detection comes from :: */
}
#endif

/* addr: 16 bytes (an IPv4 address zero-padded, as in a claim key). */
VW_INLINE void vw_watch_key_of(struct vw_watch_key *w, __u8 family, const __u8 *addr)
{
	vw_store64(w->addr, vw_load64(addr));
	vw_store64(w->addr + 8, vw_load64(addr + 8));
	vw_store64(&w->family, 0); /* with the padding */
	w->family = family;
}

#endif /* VRRPWATCH_VIP_CLAIM_H */
