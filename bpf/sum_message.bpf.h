/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sum_message.bpf.h - the decoder's one loop, as global BPF functions.
 *
 * A global (non-static) function is verified once, on its own, with its
 * arguments unknown; a static one would be re-verified on every path that
 * calls it, and the decoder has dozens.  A BPF program that decodes does:
 *
 *	#include "sum_message.bpf.h"
 *	#define VW_BPF_SUM_MESSAGE vw_sum_xdp	(or vw_sum_skb)
 *	#include "vrrp_decode.h"
 *	VW_DEFINE_SUM(vw_sum_xdp, struct xdp_md)
 */
#ifndef VRRPWATCH_SUM_MESSAGE_BPF_H
#define VRRPWATCH_SUM_MESSAGE_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 vw_sum_xdp(struct xdp_md *ctx, __u32 off, __u32 nwords, __u32 naddr,
		 __u32 ipv6);
__u64 vw_sum_skb(struct __sk_buff *ctx, __u32 off, __u32 nwords, __u32 naddr,
		 __u32 ipv6);

/* Offsets past this cannot hold a VRRP message the decoder accepts. */
#define VW_MAX_MSG_OFF 0x3fff

#define VW_DEFINE_SUM(name, ctx_type)                                          \
	__attribute__((noinline)) __u64 name(ctx_type *ctx, __u32 off,         \
					     __u32 nwords, __u32 naddr,        \
					     __u32 ipv6)                       \
	{                                                                      \
		const __u8 *data = (const __u8 *)(long)ctx->data;              \
		const __u8 *end = (const __u8 *)(long)ctx->data_end;           \
                                                                               \
		if (off > VW_MAX_MSG_OFF)                                      \
			return VW_SUM_ERROR;                                   \
		return vw_sum_message(data + off, end, nwords, naddr, ipv6);   \
	}

#endif
