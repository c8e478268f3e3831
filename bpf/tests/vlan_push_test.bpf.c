// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vlan_push_test.bpf.c - for the VLAN tests only (there is no 8021q module
 * to make VLAN interfaces): on egress, tag IPv4 VRRP from 198.18.9.0/24
 * with VID 300.  The kernel keeps the tag in the skb (what the receiver's
 * NIC metadata or the sender's TC program reads) when the device offloads
 * VLAN insertion (txvlan on), and writes it into the frame when it does
 * not (txvlan off).  tests/e2e/vlan_pusher.c attaches it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define VW_TEST_VID 300
#define TCX_NEXT (-1)

SEC("tc")
int vw_test_vlan_push(struct __sk_buff *skb)
{
	const __u8 *d = (const __u8 *)(long)skb->data;
	const __u8 *end = (const __u8 *)(long)skb->data_end;

	if (d + 34 > end || skb->vlan_present)
		return TCX_NEXT;
	/* IPv4, protocol 112, source 198.18.9.x */
	if (d[12] != 0x08 || d[13] != 0x00 || d[23] != 112 || d[26] != 198 || d[27] != 18 ||
	    d[28] != 9)
		return TCX_NEXT;
	bpf_skb_vlan_push(skb, bpf_htons(0x8100), VW_TEST_VID);
	return TCX_NEXT;
}

char LICENSE[] SEC("license") = "GPL";
