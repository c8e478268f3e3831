/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live_shadow.h - turning what the BPF maps hold into what the table
 * needs.  The maps hold running totals per key (and per CPU), and a key
 * can leave a map (an LRU eviction, a cache slot taken over) and come
 * back with fresh totals; the table must only ever grow.  So the live
 * backend remembers each map entry as it last read it (a shadow) and
 * merges the difference.
 *
 * libbpf-free: unit-tested without BPF.
 */
#ifndef VRRPWATCH_LIVE_SHADOW_H
#define VRRPWATCH_LIVE_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shared/live_maps.h"

/*
 * Sum one key's per-CPU values, as libbpf-tools do: counters add up, the
 * span is the widest, the last fields and the message sample come from
 * the CPU that heard the key last.  `stride` is the distance between two
 * CPUs' values.  Returns how many CPUs have seen the key (0: none).
 */
unsigned vw_bpf_val_sum(const void *percpu, unsigned ncpu, size_t stride,
			struct vw_bpf_val *out);

/*
 * What happened between two reads of one map entry: counters as
 * increments when `cur` continues `prev` (the same first stamp, no counter
 * went back), else `cur` whole (the key left the map and came back).
 * `prev` may be NULL.  Times and last fields are cur's.  Returns false
 * when nothing happened (no new advert).
 */
bool vw_obs_delta(const struct vw_obs_val *prev, const struct vw_obs_val *cur,
		  struct vw_obs_val *d);

/* Open-addressing map from fixed-size keys to fixed-size values. */
struct vw_shadow {
	size_t key_len, val_len;
	uint8_t *slots;  /* n_slots entries: key, value (8-byte aligned), used flag */
	size_t n_slots, n;
};

int vw_shadow_init(struct vw_shadow *s, size_t key_len, size_t val_len, size_t capacity);
void vw_shadow_free(struct vw_shadow *s);
/* The value stored under key, or NULL. */
void *vw_shadow_find(const struct vw_shadow *s, const void *key);
/* Store (or replace) key's value.  Returns 0 or -ENOMEM. */
int vw_shadow_put(struct vw_shadow *s, const void *key, const void *val);

#endif
