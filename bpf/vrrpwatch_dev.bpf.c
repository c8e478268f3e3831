// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vrrpwatch_dev.bpf.c - XDP ingress bound to one device, so that it may ask
 * the driver for the VLAN tag the NIC took off the frame
 * (bpf_xdp_metadata_rx_vlan_tag, kernel 6.8 and later).  Loaded once per
 * interface, native mode only; the maps are vrrpwatch.bpf.c's.  A separate
 * object: a kernel without the kfunc refuses the whole object that calls it.
 */
#include "sum_message.bpf.h"
#define VW_BPF_SUM_MESSAGE vw_sum_xdp
#include "vrrp_decode.h"

VW_DEFINE_SUM(vw_sum_xdp, struct xdp_md)

#define VW_LOAD_BYTES(ctx, off, buf, len) bpf_xdp_load_bytes(ctx, off, buf, len)
#include "vrrpwatch.bpf.h"

#define VW_EOPNOTSUPP (-95)

extern int bpf_xdp_metadata_rx_vlan_tag(const struct xdp_md *ctx, __be16 *vlan_proto,
					__u16 *vlan_tci) __ksym;

SEC("xdp")
int vw_xdp_dev(struct xdp_md *ctx)
{
	const __u8 *data = (const __u8 *)(long)ctx->data;
	const __u8 *end = (const __u8 *)(long)ctx->data_end;
	__u32 ifindex = ctx->ingress_ifindex;
	struct vw_bpf_stats *st = vw_stats_of(ifindex, VW_DIR_RX);
	struct vw_l2 l2;
	__be16 proto;
	__u16 tci;

	if (!st)
		return XDP_PASS;
	st->frames++;
	if (vw_decode_link(data, end, VW_LINK_ETHERNET, &l2))
		return XDP_PASS;
	if (!vw_may_be_vrrp(&l2, end)) {
		if (vw_may_be_claim(&l2, end)) {
			if (!bpf_xdp_metadata_rx_vlan_tag(ctx, &proto, &tci))
				vw_push_outer_vlan(&l2, tci);
			vw_claim_observe(end, &l2, ifindex, st);
		}
		return XDP_PASS;
	}
	/* only candidates ask: the tag cannot make a frame VRRP */
	int rc = bpf_xdp_metadata_rx_vlan_tag(ctx, &proto, &tci);
	if (!rc) {
		vw_push_outer_vlan(&l2, tci);
		st->hw_vlan++;
	} else if (rc == VW_EOPNOTSUPP) {
		st->vlan_unknown++; /* the driver keeps no such metadata */
	}
	vw_observe(ctx, data, end, &l2, ifindex, VW_DIR_RX, st);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
