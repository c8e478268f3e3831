// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live_bpf_claims.c - who claims the watched addresses, between the table
 * and the BPF programs: the addresses to watch go in (vw_watch and its bit
 * filter), the claim counts come out at every tick as differences from
 * the last read.  The programs count a claim key in its slot of the
 * per-CPU array vw_claim_cache, or in the per-CPU hash vw_claims when
 * another key holds that slot on that CPU (bpf/vrrpwatch.bpf.h); a key
 * never leaves either, so each (CPU, slot) and each hash entry is a
 * running total, merged into the table's row for its key.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "live/live_bpf_int.h"
#include "vrrpwatch.skel.h"

int vw_bpf_claims_init(struct vw_live_bpf *b)
{
	b->claim_slot_seen = calloc((size_t)b->ncpu * VW_CLAIM_SLOTS, sizeof(uint64_t));
	b->claim_slot_buf = malloc(b->ncpu * ROUND8(sizeof(struct vw_claim_slot)));
	if (!b->claim_slot_seen || !b->claim_slot_buf)
		return -ENOMEM;
	return vw_shadow_init(&b->claim_seen, sizeof(struct vw_claim_key),
			      sizeof(struct vw_claim_val), 64);
}

void vw_bpf_claims_free(struct vw_live_bpf *b)
{
	free(b->claim_slot_seen);
	free(b->claim_slot_buf);
	vw_shadow_free(&b->claim_seen);
}

/*
 * The watched addresses the table gained since the last push (its watch
 * list only grows) go into vw_watch: from then on the programs count
 * their claims.  A full map refuses the rest, as the table does.
 */
void vw_bpf_push_watch(struct vw_live_bpf *b)
{
	const struct vw_vip_claims *v = &b->s.table->vips;
	int fd = bpf_map__fd(b->xdp->maps.vw_watch);
	int bits_fd = bpf_map__fd(b->xdp->maps.vw_watch_bits);
	struct vw_watch_bits bits;
	uint32_t zero = 0;
	uint8_t one = 1;

	if (b->watch_pushed == v->n_watch)
		return;
	/* the map first, then its bit: a bit set finds its key */
	for (; b->watch_pushed < v->n_watch; b->watch_pushed++) {
		struct vw_watch_key w;
		const struct vw_watch *x = &v->watch[b->watch_pushed];
		vw_watch_key_of(&w, x->family, x->addr);
		bpf_map_update_elem(fd, &w, &one, BPF_ANY);
	}
	memset(&bits, 0, sizeof(bits));
	for (size_t i = 0; i < v->n_watch; i++) {
		uint32_t n = vw_watch_bit(v->watch[i].family, v->watch[i].addr);
		bits.w[n >> 6] |= 1ull << (n & 63);
	}
	bpf_map_update_elem(bits_fd, &zero, &bits, BPF_ANY);
}

/* `count` more claims of k over [first, last] (jiffies) into the table. */
static void merge_claim(struct vw_live_bpf *b, const struct vw_claim_key *k, uint64_t count,
			uint64_t first, uint64_t last)
{
	struct vw_claim_key tk = *k;

	tk.ifindex = vw_bpf_segment_of(b, k->ifindex);
	if (tk.ifindex && count &&
	    vw_vips_merge(&b->s.table->vips, &tk, count, vw_jclock_real_ns(&b->clock, first),
			  vw_jclock_real_ns(&b->clock, last)) == -ENOMEM)
		b->alloc_failed = 1;
}

/*
 * One claim slot on one CPU whose count moved since the last read.  The
 * batch copied the slot in address order, key before count, while the
 * program may have been filling it (key words, then a fully ordered add
 * of the count): a copy can show the count before the key is whole.  A
 * slot seen before was whole then, and its key never changes; a new one
 * is copied again (`again`, all CPUs of the index), which, made after a
 * copy that showed the count, finds the key whole.
 */
static void merge_claim_slot(struct vw_live_bpf *b, uint64_t *seen,
			     const struct vw_claim_slot *batch, const struct vw_claim_slot *again)
{
	const struct vw_claim_slot *s = *seen ? batch : again;

	if (!s || !s->key.family || s->val.count < *seen)
		return; /* not copied again, or never whole: the next tick */
	merge_claim(b, &s->key, s->val.count - *seen, s->val.first_ns, s->val.last_ns);
	*seen = s->val.count;
}

/* Every CPU's copy of claim slot idx (`batch`, as the batch read it). */
static void read_claim_slot(struct vw_live_bpf *b, int fd, uint32_t idx, const uint8_t *batch)
{
	const size_t stride = ROUND8(sizeof(struct vw_claim_slot));
	bool again = false, tried = false;

	for (unsigned c = 0; c < b->ncpu; c++) {
		const struct vw_claim_slot *s = (const void *)(batch + c * stride);
		uint64_t *seen = &b->claim_slot_seen[(size_t)c * VW_CLAIM_SLOTS + idx];
		if (s->val.count == *seen)
			continue; /* nothing new: the common case */
		if (!*seen && !tried) { /* a new holder: one more copy serves all CPUs */
			tried = true;
			again = !bpf_map_lookup_elem(fd, &idx, b->claim_slot_buf);
		}
		merge_claim_slot(b, seen, s,
				 again ? (const void *)(b->claim_slot_buf + c * stride) : NULL);
	}
}

static void read_claim_cache(struct vw_live_bpf *b)
{
	const size_t stride = ROUND8(sizeof(struct vw_claim_slot));
	int fd = bpf_map__fd(b->xdp->maps.vw_claim_cache);
	uint32_t n;
	int rc = vw_bpf_dump_map(b, fd, sizeof(__u32), b->ncpu * stride, VW_CLAIM_SLOTS, &n);

	if (rc)
		vw_bpf_read_short(b, "claim cache", rc);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t idx = ((const uint32_t *)b->keys)[i];
		if (idx < VW_CLAIM_SLOTS)
			read_claim_slot(b, fd, idx, b->vals + (size_t)i * b->ncpu * stride);
	}
}

static void sum_claims(const uint8_t *percpu, unsigned ncpu, struct vw_claim_val *out)
{
	const size_t stride = ROUND8(sizeof(struct vw_claim_val));

	memset(out, 0, sizeof(*out));
	for (unsigned c = 0; c < ncpu; c++) {
		const struct vw_claim_val *v = (const void *)(percpu + c * stride);
		if (!v->count)
			continue;
		if (!out->count || v->first_ns < out->first_ns)
			out->first_ns = v->first_ns;
		if (v->last_ns > out->last_ns)
			out->last_ns = v->last_ns;
		out->count += v->count;
	}
}

/* The keys whose slot was taken, summed over the CPUs. */
static void read_claim_hash(struct vw_live_bpf *b)
{
	const size_t vs = b->ncpu * ROUND8(sizeof(struct vw_claim_val));
	uint32_t n;
	int rc = vw_bpf_dump_map(b, bpf_map__fd(b->xdp->maps.vw_claims),
				 sizeof(struct vw_claim_key), vs, VW_CLAIM_ENTRIES, &n);

	if (rc)
		vw_bpf_read_short(b, "claim", rc);
	for (uint32_t i = 0; i < n; i++) {
		const struct vw_claim_key *k = (const void *)(b->keys + i * sizeof(*k));
		const struct vw_claim_val *prev = vw_shadow_find(&b->claim_seen, k);
		struct vw_claim_val tot;
		sum_claims(b->vals + (size_t)i * vs, b->ncpu, &tot);
		uint64_t before = prev && prev->count <= tot.count ? prev->count : 0;
		if (tot.count > before)
			merge_claim(b, k, tot.count - before, tot.first_ns, tot.last_ns);
		if (vw_shadow_put(&b->claim_seen, k, &tot))
			b->alloc_failed = 1;
	}
}

void vw_bpf_read_claims(struct vw_live_bpf *b)
{
	read_claim_cache(b);
	read_claim_hash(b);
}
