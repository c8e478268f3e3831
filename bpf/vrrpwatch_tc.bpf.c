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
/* Headers a candidate needs in the linear part: VLANs, IPv6, extensions. */
#define VW_TC_PULL 256
/* Less than this in the linear part cannot even show the IP protocol. */
#define VW_TC_MIN_LINEAR 64

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
	if (linear < skb->len && (cand || linear < VW_TC_MIN_LINEAR)) {
		/* a non-linear skb holding a candidate (or too little to tell):
		 * VRRP is small, bring its headers into the linear part */
		bpf_skb_pull_data(skb, skb->len < VW_TC_PULL ? skb->len : VW_TC_PULL);
		data = (const __u8 *)(long)skb->data;
		end = (const __u8 *)(long)skb->data_end;
		cand = !vw_decode_link(data, end, VW_LINK_ETHERNET, &l2) && vw_may_be_vrrp(&l2, end);
	}
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
