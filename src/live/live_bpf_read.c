// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live_bpf_read.c - at every tick, the maps into the table: the per-CPU
 * cache slots, the LRU hash (summed over the CPUs), the reject counters,
 * the claims (live_bpf_claims.c) and the per-interface statistics.  Each is read whole (batch lookups
 * where the kernel has them) and merged as the difference from the
 * previous read (live_shadow.h says why).
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/live_bpf_int.h"
#include "vrrpwatch.skel.h"
#include "vrrpwatch_dev.skel.h"
#include "vrrpwatch_tc.skel.h"

int vw_bpf_read_init(struct vw_live_bpf *b)
{
	size_t n = VW_CACHE_SLOTS;

	b->lru_max = bpf_map__max_entries(b->xdp->maps.vw_lru);
	if (b->lru_max > n)
		n = b->lru_max;
	if (VW_REJECT_ENTRIES > n)
		n = VW_REJECT_ENTRIES;
	if (VW_CLAIM_ENTRIES > n)
		n = VW_CLAIM_ENTRIES;
	b->buf_entries = n;
	b->key_room = sizeof(struct vw_obs_key);
	b->val_room = b->ncpu * ROUND8(sizeof(struct vw_cache_slot));
	b->keys = malloc(n * b->key_room);
	b->vals = malloc(n * b->val_room);
	b->slot_seen = calloc((size_t)b->ncpu * VW_CACHE_SLOTS, sizeof(*b->slot_seen));
	for (int i = 0; i < 2; i++)
		b->slot_buf[i] = malloc(b->ncpu * ROUND8(sizeof(struct vw_cache_slot)));
	b->slot_cpus = malloc(b->ncpu * sizeof(*b->slot_cpus));
	b->total.lru_max = b->lru_max;
	if (!b->keys || !b->vals || !b->slot_seen || !b->slot_buf[0] || !b->slot_buf[1] ||
	    !b->slot_cpus ||
	    vw_shadow_init(&b->lru_seen, sizeof(struct vw_obs_key), sizeof(struct vw_obs_val), 64) ||
	    vw_shadow_init(&b->rej_seen, sizeof(struct vw_reject_key),
			   sizeof(struct vw_reject_val), 64) ||
	    vw_bpf_claims_init(b))
		return -ENOMEM;
	return 0;
}

void vw_bpf_read_free(struct vw_live_bpf *b)
{
	free(b->keys);
	free(b->vals);
	free(b->slot_seen);
	free(b->slot_buf[0]);
	free(b->slot_buf[1]);
	free(b->slot_cpus);
	vw_shadow_free(&b->lru_seen);
	vw_shadow_free(&b->rej_seen);
	vw_bpf_claims_free(b);
}

/* One key at a time: kernels before 5.6 have no batch lookups. */
static int dump_iter(int fd, size_t ks, size_t vs, uint8_t *keys, uint8_t *vals, uint32_t max,
		     uint32_t *n)
{
	uint8_t *prev = NULL;

	*n = 0;
	while (*n < max && !bpf_map_get_next_key(fd, prev, keys + *n * ks)) {
		/* a key evicted between the two calls is skipped, not fatal */
		if (!bpf_map_lookup_elem(fd, keys + *n * ks, vals + *n * vs))
			prev = keys + (*n)++ * ks;
		else if (errno != ENOENT)
			return -errno;
		else
			break;
	}
	return 0;
}

/*
 * Room in keys/vals for `entries` entries: the buffers only grow.  The
 * sizes per entry are the largest of any map read (key_room, val_room).
 */
static int room_for(struct vw_live_bpf *b, size_t entries)
{
	uint8_t *k, *v;

	if (entries <= b->buf_entries)
		return 0;
	if (!(k = realloc(b->keys, entries * b->key_room)))
		return -ENOMEM;
	b->keys = k;
	if (!(v = realloc(b->vals, entries * b->val_room)))
		return -ENOMEM;
	b->vals = v;
	b->buf_entries = entries;
	return 0;
}

/*
 * The batch may hand back more than `max` entries: a hash walk meets an
 * entry again that moved buckets meanwhile (LRU evictions, inserts), and
 * the kernel never splits a bucket: a bucket bigger than the room left
 * is ENOSPC with nothing read.  So the room grows, to twice the map plus
 * a few buckets at most; past that the read stops short.
 */
static uint32_t room_bound(uint32_t max)
{
	return 2 * max + 256;
}

/*
 * Room for the next bucket: a little more, not double: a full map is the
 * common case under load, and per-CPU values make an entry large.
 */
static uint32_t grown(uint32_t room, uint32_t bound)
{
	uint64_t r = (uint64_t)room + (room / 16 > 64 ? room / 16 : 64);

	return r > bound ? bound : (uint32_t)r;
}

static bool no_batch_errno(int e)
{
	return e == EINVAL || e == ENOTSUP || e == EOPNOTSUPP;
}

/*
 * Every entry of a map into keys/vals; `vs` is the value size of one key.
 * *n entries are valid whatever the result: 0, or a negative errno when
 * the read stopped short (-ENOSPC: more than room_bound() entries).
 */
int vw_bpf_dump_map(struct vw_live_bpf *b, int fd, size_t ks, size_t vs, uint32_t max,
		    uint32_t *n)
{
	uint64_t in = 0, out = 0;
	uint32_t room = max;

	*n = 0;
	while (!b->no_batch) {
		LIBBPF_OPTS(bpf_map_batch_opts, o);
		if (*n >= room) { /* full, and the walk may not be over */
			if (room >= room_bound(max))
				return -ENOSPC;
			room = grown(room, room_bound(max));
			if (room_for(b, room))
				return -ENOMEM;
		}
		__u32 count = room - *n;
		int rc = bpf_map_lookup_batch(fd, *n ? &in : NULL, &out, b->keys + *n * ks,
					      b->vals + *n * vs, &count, &o);
		int e = errno;
		*n += count;
		if (!rc) {
			in = out;
			continue;
		}
		if (e == ENOENT)
			return 0;
		if (e == ENOSPC && room < room_bound(max)) {
			b->batch_regrown++;
			room = grown(room, room_bound(max));
			if (room_for(b, room))
				return -ENOMEM;
			continue; /* the same bucket again, with room for it */
		}
		if (!no_batch_errno(e))
			return -e;
		b->no_batch = true;
	}
	return dump_iter(fd, ks, vs, b->keys, b->vals, max, n);
}

/* Tries at a whole copy of a slot (struct vw_cache_slot, gen) per tick. */
#define VW_SLOT_TRIES 4

static int same_key(const struct vw_obs_key *x, const struct vw_obs_key *y)
{
	return !memcmp(x, y, sizeof(*x));
}

/*
 * A copy of a slot is whole (its key and its value from one holder) if a
 * later copy has the same key and the same even generation: the kernel
 * copies a slot in address order (key, gen, value), so no takeover
 * (gen odd while the key and value are rewritten) touched the slot
 * between the first copy's gen and the second's, which is when the first
 * copy's value and the second's key were read; the same key then makes
 * the first copy whole.  (Loads in address order: x86; the programs'
 * gen steps are fully ordered atomics.)
 */
static bool is_whole(const struct vw_cache_slot *first, const struct vw_cache_slot *later)
{
	return first->gen == later->gen && !(first->gen & 1) && same_key(&first->key, &later->key);
}

/* A whole copy of a slot on one CPU into the table, as the difference from the last. */
static void merge_slot(struct vw_live_bpf *b, struct vw_slot_seen *seen,
		       const struct vw_cache_slot *w)
{
	struct vw_obs_val d;

	if (!w->key.ifindex)
		return;
	/* a new generation is a new holder, even the key that held it before
	 * (it took the slot back after a takeover): its counts start afresh */
	bool same = seen->gen == w->gen && same_key(&seen->key, &w->key);
	if (same && seen->val.packets == w->val.v.packets)
		return;
	if (vw_obs_delta(same ? &seen->val : NULL, &w->val.v, &d))
		vw_bpf_merge(b, &w->key, &d, w->val.msg, w->val.sample_len, false);
	seen->key = w->key;
	seen->val = w->val.v;
	seen->gen = w->gen;
}

/*
 * The CPUs of cache index idx whose copy from the batch read (`batch`,
 * all CPUs) changed, made whole and merged: one re-read of the index (all
 * CPUs at once) per try serves every CPU still waiting, so a tick costs
 * at most VW_SLOT_TRIES lookups per changed index, whatever the number of
 * CPUs.  A CPU whose copies all raced a takeover is given up on for this
 * tick (its counts stay in the slot; the next tick tries again).
 */
static void read_slot(struct vw_live_bpf *b, int fd, uint32_t idx, const uint8_t *batch)
{
	const size_t stride = ROUND8(sizeof(struct vw_cache_slot));
	unsigned *cpus = b->slot_cpus, n = 0;

	for (unsigned c = 0; c < b->ncpu; c++) {
		const struct vw_cache_slot *s = (const void *)(batch + (size_t)c * stride);
		const struct vw_slot_seen *seen = &b->slot_seen[(size_t)c * VW_CACHE_SLOTS + idx];
		if (!s->key.ifindex && !s->gen)
			continue; /* never held */
		if (seen->gen == s->gen && same_key(&seen->key, &s->key) &&
		    seen->val.packets == s->val.v.packets)
			continue; /* nothing new: the common case */
		cpus[n++] = c;
	}
	/* `prev`: the copies the next re-read checks, the batch's first */
	const uint8_t *prev = batch;
	for (int t = 0; n && t < VW_SLOT_TRIES; t++) {
		uint8_t *buf = b->slot_buf[t & 1];
		if (bpf_map_lookup_elem(fd, &idx, buf))
			break;
		unsigned left = 0;
		for (unsigned i = 0; i < n; i++) {
			unsigned c = cpus[i];
			const struct vw_cache_slot *first = (const void *)(prev + (size_t)c * stride);
			const struct vw_cache_slot *next = (const void *)(buf + (size_t)c * stride);
			if (is_whole(first, next))
				merge_slot(b, &b->slot_seen[(size_t)c * VW_CACHE_SLOTS + idx], first);
			else
				cpus[left++] = c; /* raced a takeover: next against a later copy */
		}
		n = left;
		prev = buf;
	}
	b->slot_unsettled += n;
}

/*
 * A map read that failed or stopped short ends nothing: what was read is
 * used, what was not waits in the map for the next tick (or, for an LRU
 * key evicted meanwhile, is counted among the evictions).  Counted, and
 * said once.
 */
void vw_bpf_read_short(struct vw_live_bpf *b, const char *map, int rc)
{
	b->total.map_reads_short++;
	if (b->short_said)
		return;
	b->short_said = true;
	fprintf(b->s.log, "vrrpwatch: reading the %s map fell short (%s): what was not read is "
			  "read at a later tick (counted as map_reads_short)\n",
		map, strerror(-rc));
}

static void read_cache(struct vw_live_bpf *b)
{
	const size_t stride = ROUND8(sizeof(struct vw_cache_slot));
	int fd = bpf_map__fd(b->xdp->maps.vw_cache);
	uint32_t n;
	int rc = vw_bpf_dump_map(b, fd, sizeof(__u32), b->ncpu * stride, VW_CACHE_SLOTS, &n);

	if (rc) {
		vw_bpf_read_short(b, "cache", rc);
		b->slot_unsettled++; /* slots not read: not "read up to now" */
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t idx = ((const uint32_t *)b->keys)[i];
		if (idx < VW_CACHE_SLOTS)
			read_slot(b, fd, idx, b->vals + (size_t)i * b->ncpu * stride);
	}
}

/* The n LRU entries read, merged as the difference from lru_seen; into `to`. */
static void merge_lru(struct vw_live_bpf *b, uint32_t n, struct vw_shadow *to)
{
	const size_t stride = ROUND8(sizeof(struct vw_bpf_val));

	for (uint32_t i = 0; i < n; i++) {
		const struct vw_obs_key *k = (const void *)(b->keys + i * sizeof(*k));
		struct vw_bpf_val sum;
		struct vw_obs_val d;
		if (!vw_bpf_val_sum(b->vals + (size_t)i * b->ncpu * stride, b->ncpu, stride, &sum))
			continue;
		if (vw_obs_delta(vw_shadow_find(&b->lru_seen, k), &sum.v, &d))
			vw_bpf_merge(b, k, &d, sum.msg, sum.sample_len, false);
		if (vw_shadow_put(to, k, &sum.v))
			b->alloc_failed = 1;
	}
}

static void read_lru(struct vw_live_bpf *b)
{
	const size_t stride = ROUND8(sizeof(struct vw_bpf_val));
	struct vw_shadow next;
	uint32_t n;
	int rc = vw_bpf_dump_map(b, bpf_map__fd(b->xdp->maps.vw_lru), sizeof(struct vw_obs_key),
				 b->ncpu * stride, b->lru_max, &n);

	if (rc)
		vw_bpf_read_short(b, "LRU hash", rc);
	if (rc || vw_shadow_init(&next, sizeof(struct vw_obs_key), sizeof(struct vw_obs_val), n)) {
		/* keys not read keep their last counts: read later, never twice */
		merge_lru(b, n, &b->lru_seen);
		return;
	}
	merge_lru(b, n, &next);
	/* keys no longer in the map drop out of the shadow with it */
	vw_shadow_free(&b->lru_seen);
	b->lru_seen = next;
	b->total.lru_entries = n;
}

static void sum_rejects(const uint8_t *percpu, unsigned ncpu, struct vw_reject_val *out)
{
	const size_t stride = ROUND8(sizeof(struct vw_reject_val));

	memset(out, 0, sizeof(*out));
	for (unsigned c = 0; c < ncpu; c++) {
		const struct vw_reject_val *v = (const void *)(percpu + c * stride);
		if (!v->count)
			continue;
		if (!out->count || v->first_ns < out->first_ns)
			out->first_ns = v->first_ns;
		if (v->last_ns >= out->last_ns) {
			out->last_ns = v->last_ns;
			if (v->family) {
				out->family = v->family;
				memcpy(out->src, v->src, sizeof(out->src));
				memcpy(out->src_mac, v->src_mac, sizeof(out->src_mac));
			}
		}
		out->count += v->count;
	}
}

static void read_rejects(struct vw_live_bpf *b)
{
	const size_t vs = b->ncpu * ROUND8(sizeof(struct vw_reject_val));
	uint32_t n;
	int rc = vw_bpf_dump_map(b, bpf_map__fd(b->xdp->maps.vw_rejects),
				 sizeof(struct vw_reject_key), vs, VW_REJECT_ENTRIES, &n);

	if (rc)
		vw_bpf_read_short(b, "reject", rc);
	for (uint32_t i = 0; i < n; i++) {
		const struct vw_reject_key *k = (const void *)(b->keys + i * sizeof(*k));
		const struct vw_reject_val *prev = vw_shadow_find(&b->rej_seen, k);
		struct vw_reject_val tot;
		uint32_t seg = vw_bpf_segment_of(b, k->ifindex);
		sum_rejects(b->vals + (size_t)i * vs, b->ncpu, &tot);
		uint64_t before = prev && prev->count <= tot.count ? prev->count : 0;
		if (seg && tot.count > before &&
		    vw_table_merge_reject(b->s.table, seg, k->vlan, k->reason, tot.count - before,
					  vw_jclock_real_ns(&b->clock, tot.first_ns),
					  vw_jclock_real_ns(&b->clock, tot.last_ns), tot.family,
					  tot.src, tot.src_mac))
			b->alloc_failed = 1;
		if (vw_shadow_put(&b->rej_seen, k, &tot))
			b->alloc_failed = 1;
	}
}

static void add_stats(struct vw_bpf_stats *o, const struct vw_bpf_stats *v, int sign)
{
	const uint64_t *a = (const uint64_t *)v;
	uint64_t *x = (uint64_t *)o;

	for (size_t i = 0; i < sizeof(*v) / sizeof(uint64_t); i++)
		x[i] += sign > 0 ? a[i] : -a[i];
}

/* The device-bound program found the driver keeps no VLAN metadata: say so once. */
static void vlan_unknown(struct vw_live_bpf *b, size_t i)
{
	struct vw_attach *a = i < b->n_att ? &b->att[i] : NULL;

	if (!a || a->vlan_warned || a->vlan_blind)
		return;
	a->vlan_warned = true;
	fprintf(b->s.log, "vrrpwatch: %s: the driver does not tell XDP which VLAN tags the NIC "
			  "removed: VLANs on %s cannot be told apart (turn rx-vlan-offload off with "
			  "ethtool -K, or use --backend pcap)\n",
		a->name, a->name);
}

/* Each interface's slot once, even if two share one (index % 64). */
static void read_stats(struct vw_live_bpf *b)
{
	const size_t stride = ROUND8(sizeof(struct vw_bpf_stats));
	bool done[VW_STAT_SLOTS] = {false};
	struct vw_table *t = b->s.table;
	int fd = bpf_map__fd(b->xdp->maps.vw_stats);

	for (size_t i = 0; i < b->s.n_ifaces; i++)
		for (uint32_t dir = 0; dir < 2; dir++) {
			uint32_t slot = ((b->s.ifaces[i].ifindex & 63) << 1) | dir;
			struct vw_bpf_stats sum, d;
			if (done[slot])
				continue;
			done[slot] = true;
			if (bpf_map_lookup_elem(fd, &slot, b->vals)) {
				vw_bpf_read_short(b, "statistics", -errno); /* counts: read whole later */
				continue;
			}
			memset(&sum, 0, sizeof(sum));
			for (unsigned c = 0; c < b->ncpu; c++)
				add_stats(&sum, (const void *)(b->vals + c * stride), 1);
			d = sum;
			add_stats(&d, &b->stat_seen[slot], -1);
			b->stat_seen[slot] = sum;
			t->frames += d.frames;
			t->vrrp_frames += d.adverts;
			t->rejected += d.rejected;
			b->total.frames += d.frames;
			b->total.adverts += d.adverts;
			b->total.spilled += d.spilled;
			b->total.events += d.events;
			b->total.events_lost += d.events_lost;
			b->total.hw_vlan += d.hw_vlan;
			b->total.tc_pulls += d.pulled;
			if (d.vlan_unknown)
				vlan_unknown(b, i);
			b->lru_new += d.lru_new;
			b->cache_lost += d.cache_lost;
		}
	/* the LRU hash loses keys only to evictions: userspace never deletes;
	 * a cache slot taken over before its holder's last counts were read
	 * is one too */
	b->total.evictions = (b->lru_new > b->total.lru_entries ? b->lru_new - b->total.lru_entries
								 : 0) +
			     b->cache_lost;
}

/*
 * Every count stamped before `upto` (jiffies) has been read: the
 * programs count a slot taken over from a holder heard since as lost
 * (vw_bpf_stats.cache_lost).  Each object has its own globals.
 */
static void set_read_upto(struct vw_live_bpf *b, uint64_t upto)
{
	b->xdp->bss->vw_read_upto = upto;
	if (b->tc)
		b->tc->bss->vw_read_upto = upto;
	for (size_t i = 0; i < b->n_att; i++)
		if (b->att[i].dev)
			b->att[i].dev->bss->vw_read_upto = upto;
}

int vw_bpf_read_maps(struct vw_live_bpf *b)
{
	/* a jiffy early: the clock is exact to a jiffy */
	uint64_t start = vw_jclock_at(&b->clock, vw_mono_ns()) - 1;

	/* no read error ends the watch: each map reads what it can */
	read_cache(b);
	read_lru(b);
	read_rejects(b);
	vw_bpf_read_claims(b);
	read_stats(b);
	vw_bpf_push_watch(b);
	if (!b->slot_unsettled)
		set_read_upto(b, start);
	b->slot_unsettled = 0;
	return 0;
}
