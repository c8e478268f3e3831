/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * obs_update.h - how one decoded advert updates an observation value, for
 * the BPF programs and the userspace table alike (header only, libc-free).
 */
#ifndef VRRPWATCH_OBS_UPDATE_H
#define VRRPWATCH_OBS_UPDATE_H

#include "obs_types.h"
#include "vrrp_decode.h"

/*
 * The "last value" fields, which struct vw_advert and struct vw_obs_val
 * name alike: packed in one word (when it equals the stored one, nothing
 * about the advertiser changed), and copied from one to the other.
 */
#define VW_LAST_STATE(x)                                                          \
	((__u64)(x)->priority | (__u64)(x)->version << 8 | (__u64)(x)->auth_type << 16 | \
	 (__u64)(x)->naddr << 24 | (__u64)(x)->interval_cs << 32 |                 \
	 (__u64)(x)->csum_variant << 48 | (__u64)(x)->ttl << 56)

#define VW_COPY_LAST(dst, src)                                                    \
	do {                                                                      \
		(dst)->priority = (src)->priority;                                \
		(dst)->version = (src)->version;                                  \
		(dst)->interval_cs = (src)->interval_cs;                          \
		(dst)->addr_hash = (src)->addr_hash;                              \
		(dst)->naddr = (src)->naddr;                                      \
		(dst)->auth_type = (src)->auth_type;                              \
		(dst)->csum_variant = (src)->csum_variant;                        \
		(dst)->ttl = (src)->ttl;                                          \
	} while (0)

VW_INLINE __u64 vw_advert_state(const struct vw_advert *a)
{
	return VW_LAST_STATE(a);
}

VW_INLINE __u64 vw_val_state(const struct vw_obs_val *v)
{
	return VW_LAST_STATE(v);
}

/* Take an advert's "last value" fields. */
VW_INLINE void vw_obs_set_last(struct vw_obs_val *v, const struct vw_advert *a)
{
	VW_COPY_LAST(v, a);
	v->csum_seen |= a->csum_variant;
}

#endif
