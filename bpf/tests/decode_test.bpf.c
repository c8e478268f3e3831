// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode_test.bpf.c - the shared decoder, built for BPF and nothing else.
 *
 * tests/bpf/test_bpf_decode.c runs every sample frame through this program with
 * BPF_PROG_TEST_RUN and compares the struct vw_advert it leaves in `result`
 * with the userspace build of the same header, field by field.
 */
#include "sum_message.bpf.h"
#define VW_BPF_SUM_MESSAGE vw_sum_xdp
#include "vrrp_decode.h"

VW_DEFINE_SUM(vw_sum_xdp, struct xdp_md)

/* Link type of the next test frame; set by the test before each run. */
volatile __u32 link_type = VW_LINK_ETHERNET;
/* Bytes the program could read directly: a frame longer than one page
 * reaches XDP in fragments, and only the first is linear. */
volatile __u32 linear_len;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vw_advert);
} result SEC(".maps");

SEC("xdp")
int decode_test(struct xdp_md *ctx)
{
	const __u8 *data = (const __u8 *)(long)ctx->data;
	const __u8 *end = (const __u8 *)(long)ctx->data_end;
	__u32 zero = 0;
	struct vw_advert *a = bpf_map_lookup_elem(&result, &zero);

	if (!a)
		return XDP_PASS;
	linear_len = (__u32)(end - data);
	__builtin_memset(a, 0, sizeof(*a));
	vw_decode(ctx, data, end, (enum vw_link)link_type, a);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
