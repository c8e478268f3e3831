// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vrrpwatch_tc.bpf.c - TC egress: the adverts this node sends (direction
 * tx), so that a node watching its own interface sees its own keepalived.
 * A tag the NIC will insert is in the skb, not in the frame: it is read
 * from the skb's VLAN fields.  The maps are vrrpwatch.bpf.c's.
 */
#include "sum_message.bpf.h"
#define VW_BPF_SUM_MESSAGE vw_sum_skb
#include "vrrp_decode.h"

VW_DEFINE_SUM(vw_sum_skb, struct __sk_buff)

#define VW_LOAD_BYTES(ctx, off, buf, len) bpf_skb_load_bytes(ctx, off, buf, len)
#include "vrrpwatch.bpf.h"

/*
 * "No verdict": the next filter or tcx program decides, and after the last
 * one the packet goes out.  TC_ACT_OK would end the chain there and skip
 * whatever other programs the interface runs after this one.
 */
#define VW_TC_NEXT (-1) /* TC_ACT_UNSPEC, TCX_NEXT */
/*
 * The decoder reads a candidate's whole IP datagram in place (the length
 * checks, the checksum over the message), so a non-linear candidate is
 * pulled up to the end of its datagram, and no further than this: the
 * largest advert the decoder accepts, VRRPv3 over IPv6 with 255
 * addresses (40 + VW_MAX_VRRP_LEN = 4128 bytes) behind an Ethernet
 * header and two tags (22), with 218 bytes to spare for an AH header or
 * a hop-by-hop option.  A datagram longer than that (its length field
 * lies, or it is not VRRP after all) is pulled that far and rejected as
 * truncated.
 */
#define VW_TC_PULL_MAX (22 + 40 + VW_MAX_VRRP_LEN + 218)
/*
 * A linear part this long shows whether a frame may be VRRP (the IPv4
 * protocol byte behind two tags is byte 31), so a frame that is not a
 * candidate there is not one at all.
 */
#define VW_TC_DECIDE 32

_Static_assert(VW_TC_PULL_MAX == 4368, "VW_TC_PULL_MAX");

/*
 * The bytes from the frame's start to the end of the IP datagram whose
 * header is at b + l3, the ethertype `type` (the IPv4 header at least, for
 * a total length that lies short); 0 if it cannot be VRRP (vw_may_be_vrrp).
 * The bytes up to the IPv4 protocol or the IPv6 next header are there.
 */
static __always_inline __u32 vw_tc_need(__u16 type, const __u8 *b, __u32 l3)
{
	if (type == 0x0800) {
		if (b[l3 + 9] != 112 && b[l3 + 9] != 51)
			return 0;
		__u32 tot = (__u32)b[l3 + 2] << 8 | b[l3 + 3];
		return l3 + (tot < 20 ? 20 : tot);
	}
	if (type == 0x86dd) {
		__u8 next = b[l3 + 6];
		if (next != 112 && next != 51 && next != 0 && next != 43 && next != 44 &&
		    next != 60)
			return 0;
		return l3 + 40 + ((__u32)b[l3 + 4] << 8 | b[l3 + 5]);
	}
	return 0;
}

/* vw_tc_need for a candidate (vw_may_be_vrrp) in the linear part. */
static __always_inline __u32 vw_tc_need_linear(const struct vw_l2 *l2, const __u8 *data,
						const __u8 *end)
{
	const __u8 *p = l2->l3;

	/*
	 * A candidate's IPv6 header may end in the linear part before its
	 * payload length (vw_may_be_vrrp reads up to byte 7 only): not
	 * knowing the length, pull all there may be (the caller caps it).
	 */
	if (p + 10 > end)
		return VW_TC_PULL_MAX;
	return vw_tc_need(l2->type, p, 0) + (__u32)(p - data);
}

/*
 * A non-linear skb whose linear part is too short to tell (a packet
 * socket's frame keeps only the link header there): the first bytes,
 * copied out of the skb, decide.  Returns vw_tc_need's length, 0 for a
 * frame that is not a candidate.  Constant offsets per tag count: the
 * verifier wants them on the stack.
 */
static __attribute__((noinline)) __u32 vw_tc_peek(struct __sk_buff *skb)
{
	__u8 b[VW_TC_DECIDE] = {};

	/* a non-linear frame shorter than this cannot hold an advert's headers */
	if (bpf_skb_load_bytes(skb, 0, b, sizeof(b)))
		return 0;
	__u16 type = (__u16)(b[12] << 8 | b[13]);
	if (!vw_is_vlan_tpid(type))
		return vw_tc_need(type, b, 14);
	type = (__u16)(b[16] << 8 | b[17]);
	if (!vw_is_vlan_tpid(type))
		return vw_tc_need(type, b, 18);
	type = (__u16)(b[20] << 8 | b[21]);
	return vw_is_vlan_tpid(type) ? 0 : vw_tc_need(type, b, 22);
}

/*
 * ARP or an IPv6 NS / NA in the linear part (vw_may_be_claim): who claims
 * the watched addresses, from the link header already decoded.  Never a
 * pull: claims are short, and a frame whose claim is not linear is not
 * counted on either path (the linear part holds any frame this short).
 */
static __always_inline void vw_tc_claim(struct __sk_buff *skb, const __u8 *end,
					struct vw_l2 *l2, struct vw_bpf_stats *st)
{
	if (skb->vlan_present)
		vw_push_outer_vlan(l2, (__u16)skb->vlan_tci);
	vw_claim_observe(end, l2, skb->ifindex, st);
}

SEC("tc")
int vw_tc_egress(struct __sk_buff *skb)
{
	const __u8 *data = (const __u8 *)(long)skb->data;
	const __u8 *end = (const __u8 *)(long)skb->data_end;
	__u32 ifindex = skb->ifindex;
	struct vw_bpf_stats *st = vw_stats_of(ifindex, VW_DIR_TX);
	struct vw_l2 l2;

	if (!st)
		return VW_TC_NEXT;
	st->frames++;
	int linked = !vw_decode_link(data, end, VW_LINK_ETHERNET, &l2);
	int cand = linked && vw_may_be_vrrp(&l2, end);
	__u32 linear = (__u32)(end - data);
	if (linear < skb->len) {
		/*
		 * Part of the frame is outside the linear part (paged data).
		 * Only a candidate whose IP datagram is not all in the linear
		 * part is pulled (a pull may copy the skb's head: never for
		 * the traffic that is not VRRP).  vw_may_be_vrrp has seen the
		 * bytes up to the protocol / next header, so the length
		 * fields before them are linear.
		 */
		__u32 need;
		if (cand)
			need = vw_tc_need_linear(&l2, data, end);
		else
			need = linear >= VW_TC_DECIDE ? 0 : vw_tc_peek(skb);
		if (need <= linear) /* not a candidate, or all there */
			goto decided;
		if (need > skb->len) /* the frame ends early: the decoder says so */
			need = skb->len;
		if (need > VW_TC_PULL_MAX)
			need = VW_TC_PULL_MAX;
		/* no memory: decoded as it is (the decoder rejects it as
		 * truncated); either way the packet pointers are new */
		if (!bpf_skb_pull_data(skb, need))
			st->pulled++;
		data = (const __u8 *)(long)skb->data;
		end = (const __u8 *)(long)skb->data_end;
		if (vw_decode_link(data, end, VW_LINK_ETHERNET, &l2) || !vw_may_be_vrrp(&l2, end))
			return VW_TC_NEXT; /* pulled: a candidate, or nothing */
		goto advert;
	}
decided:
	if (!cand) {
		if (linked && vw_may_be_claim(&l2, end))
			vw_tc_claim(skb, end, &l2, st);
		return VW_TC_NEXT;
	}
advert:
	if (skb->vlan_present) {
		vw_push_outer_vlan(&l2, (__u16)skb->vlan_tci);
		st->hw_vlan++;
	}
	vw_observe(skb, data, end, &l2, ifindex, VW_DIR_TX, st);
	return VW_TC_NEXT;
}

char LICENSE[] SEC("license") = "GPL";
