// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vrrpwatch.bpf.c - XDP ingress: every frame the interface receives is
 * counted; VRRP adverts go to the observation maps, ARP and IPv6 NS / NA
 * of watched addresses to the claim map (vrrpwatch.bpf.h).
 * This object owns the maps; the TC and device-bound objects reuse them.
 * Attached native or generic (the generic mode sees VLAN tags the NIC
 * took off as gone: userspace says so).
 */
#include "sum_message.bpf.h"
#define VW_BPF_SUM_MESSAGE vw_sum_xdp
#include "vrrp_decode.h"

VW_DEFINE_SUM(vw_sum_xdp, struct xdp_md)

#define VW_LOAD_BYTES(ctx, off, buf, len) bpf_xdp_load_bytes(ctx, off, buf, len)
#include "vrrpwatch.bpf.h"

SEC("xdp")
int vw_xdp(struct xdp_md *ctx)
{
	const __u8 *data = (const __u8 *)(long)ctx->data;
	const __u8 *end = (const __u8 *)(long)ctx->data_end;
	__u32 ifindex = ctx->ingress_ifindex;
	struct vw_bpf_stats *st = vw_stats_of(ifindex, VW_DIR_RX);
	struct vw_l2 l2;

	if (!st)
		return XDP_PASS;
	st->frames++;
	if (vw_decode_link(data, end, VW_LINK_ETHERNET, &l2))
		return XDP_PASS;
	if (!vw_may_be_vrrp(&l2, end)) {
		/* ARP, ICMPv6: who claims the watched addresses */
		if (vw_may_be_claim(&l2, end))
			vw_claim_observe(end, &l2, ifindex, st);
		return XDP_PASS;
	}
	vw_observe(ctx, data, end, &l2, ifindex, VW_DIR_RX, st);
	return XDP_PASS;
}

/*
 * Userspace's clock: it runs this with BPF_PROG_TEST_RUN to read the
 * jiffies and CLOCK_MONOTONIC of one instant (vw_now() stamps jiffies).
 */
struct vw_clock_sample vw_clock_now;

SEC("xdp")
int vw_clock(struct xdp_md *ctx)
{
	vw_clock_now.jiffies = bpf_jiffies64();
	vw_clock_now.mono_ns = bpf_ktime_get_ns();
	vw_clock_now.jiffies_after = bpf_jiffies64();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
