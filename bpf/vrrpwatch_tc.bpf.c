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
/* What the decoder reads in place, at most: VLANs, IPv6, extensions, AH. */
#define VW_TC_PULL 256
/*
 * A linear part this long shows whether a frame may be VRRP (the IPv4
 * protocol byte behind two tags is byte 31), so a frame that is not a
 * candidate there is not one at all.
 */
#define VW_TC_DECIDE 32

/* vw_may_be_vrrp on the bytes of an ethertype and an IP protocol / next header. */
static __always_inline int vw_tc_may_be(__u16 type, const __u8 *b, __u32 l3)
{
	if (type == 0x0800)
		return b[l3 + 9] == 112 || b[l3 + 9] == 51;
	if (type == 0x86dd) {
		__u8 next = b[l3 + 6];
		return next == 112 || next == 51 || next == 0 || next == 43 || next == 44 ||
		       next == 60;
	}
	return 0;
}

/*
 * A non-linear skb whose linear part is too short to tell (a packet
 * socket's frame keeps only the link header there): the first bytes,
 * copied out of the skb, decide.  Constant offsets per tag count: the
 * verifier wants them on the stack.
 */
static __attribute__((noinline)) int vw_tc_peek(struct __sk_buff *skb)
{
	__u8 b[VW_TC_DECIDE] = {};

	/* a non-linear frame shorter than this cannot hold an advert's headers */
	if (bpf_skb_load_bytes(skb, 0, b, sizeof(b)))
		return 0;
	__u16 type = (__u16)(b[12] << 8 | b[13]);
	if (!vw_is_vlan_tpid(type))
		return vw_tc_may_be(type, b, 14);
	type = (__u16)(b[16] << 8 | b[17]);
	if (!vw_is_vlan_tpid(type))
		return vw_tc_may_be(type, b, 18);
	type = (__u16)(b[20] << 8 | b[21]);
	return !vw_is_vlan_tpid(type) && vw_tc_may_be(type, b, 22);
}

/* Are the headers the decoder reads in place (IP, VRRP's first 8 bytes) linear? */
static __always_inline int vw_tc_headers_linear(const struct vw_l2 *l2, const __u8 *end)
{
	const __u8 *p = l2->l3;

	if (l2->type == 0x0800) {
		if (p + 20 > end || p[9] != 112) /* AH: more than that */
			return 0;
		return p + (p[0] & 15) * 4 + VW_VRRP_HDR_LEN <= end;
	}
	/* extension headers or AH: more than that */
	return p + 40 + VW_VRRP_HDR_LEN <= end && p[6] == 112;
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
	int cand = !vw_decode_link(data, end, VW_LINK_ETHERNET, &l2) && vw_may_be_vrrp(&l2, end);
	__u32 linear = (__u32)(end - data);
	if (linear < skb->len) {
		/*
		 * Part of the frame is outside the linear part (paged data).
		 * Only a candidate whose headers are not all in the linear
		 * part is pulled (a pull may copy the skb's head: never for
		 * the traffic that is not VRRP).
		 */
		if (cand ? vw_tc_headers_linear(&l2, end)
			 : linear >= VW_TC_DECIDE || !vw_tc_peek(skb))
			goto decided;
		bpf_skb_pull_data(skb, skb->len < VW_TC_PULL ? skb->len : VW_TC_PULL);
		st->pulled++;
		data = (const __u8 *)(long)skb->data;
		end = (const __u8 *)(long)skb->data_end;
		cand = !vw_decode_link(data, end, VW_LINK_ETHERNET, &l2) && vw_may_be_vrrp(&l2, end);
	}
decided:
	if (!cand)
		return VW_TC_NEXT;
	if (skb->vlan_present) {
		vw_push_outer_vlan(&l2, (__u16)skb->vlan_tci);
		st->hw_vlan++;
	}
	vw_observe(skb, data, end, &l2, ifindex, VW_DIR_TX, st);
	return VW_TC_NEXT;
}

char LICENSE[] SEC("license") = "GPL";
