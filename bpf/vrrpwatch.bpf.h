/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrpwatch.bpf.h - the live capture's maps and per-frame logic, shared by
 * the three BPF objects:
 *   vrrpwatch.bpf.c      XDP ingress (native or generic); owns the maps
 *   vrrpwatch_tc.bpf.c   TC egress (tcx link, or a clsact filter)
 *   vrrpwatch_dev.bpf.c  XDP ingress bound to one device, reading VLAN tags
 *                        the NIC took off (bpf_xdp_metadata_rx_vlan_tag)
 * One object per context type: the decoder's checksum loop is a global
 * function whose argument is the program's context (sum_message.bpf.h).
 * Userspace loads vrrpwatch.bpf.c first and hands its maps to the others.
 *
 * Before including: sum_message.bpf.h, VW_BPF_SUM_MESSAGE, vrrp_decode.h,
 * and VW_LOAD_BYTES(ctx, off, buf, len) (bpf_xdp_load_bytes or
 * bpf_skb_load_bytes).
 *
 * Cost (the budget: +10 ns for a frame that is not VRRP, +60 ns
 * for an advert, over an empty XDP program).  A per-CPU LRU hash lookup on
 * the 56-byte key costs about 71 ns alone, so an advertiser normally lives
 * in a per-CPU array, direct-mapped by a multiplicative hash of the key:
 * an inlined array lookup and a 7-word compare.  A key whose slot is held
 * by another, still active key goes to the LRU hash (the spill); a slot
 * whose holder has been silent for vw_stale_jiffies is taken over
 * (userspace has read its counters by then: the delay is longer than its
 * tick).  So a flood of random sources cannot push out the advertisers
 * that hold slots: they are heard at least every advert interval.
 *
 * Nothing here writes a packet; the programs pass every frame on
 * (XDP_PASS; the TC program gives no verdict: vrrpwatch_tc.bpf.c).
 */
#ifndef VRRPWATCH_BPF_H
#define VRRPWATCH_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "live_maps.h"
#include "obs_update.h"
#include "vip_claim.h"

#ifndef VW_BPF_SUM_MESSAGE
#error "include sum_message.bpf.h and vrrp_decode.h first"
#endif

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VW_CACHE_SLOTS);
	__type(key, __u32);
	__type(value, struct vw_cache_slot);
} vw_cache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, VW_LRU_ENTRIES);
	__type(key, struct vw_obs_key);
	__type(value, struct vw_bpf_val);
} vw_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, VW_REJECT_ENTRIES);
	__type(key, struct vw_reject_key);
	__type(value, struct vw_reject_val);
} vw_rejects SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VW_STAT_SLOTS);
	__type(key, __u32);
	__type(value, struct vw_bpf_stats);
} vw_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, VW_RINGBUF_BYTES);
} vw_events SEC(".maps");

/*
 * Who claims the watched virtual addresses (ARP, IPv6 NS / NA): userspace
 * fills vw_watch from keepalived.conf and from the addresses adverts
 * announce; the programs count claims and asks of those addresses only.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VW_WATCH_ENTRIES);
	__type(key, struct vw_watch_key);
	__type(value, __u8);
} vw_watch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vw_watch_bits);
} vw_watch_bits SEC(".maps");

/* Where a claim key is counted: its slot here (vw_claim_slot_of) ... */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VW_CLAIM_SLOTS);
	__type(key, __u32);
	__type(value, struct vw_claim_slot);
} vw_claim_cache SEC(".maps");

/* ... or, when another key holds that slot on this CPU, here. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, VW_CLAIM_ENTRIES);
	__type(key, struct vw_claim_key);
	__type(value, struct vw_claim_val);
} vw_claims SEC(".maps");

/*
 * Per-CPU scratch space.  The decoder writes MACs with 4-byte stores at
 * 2-byte offsets, which the verifier allows in a map value but not on the
 * stack; and a new LRU value would not fit the 512-byte stack.
 */
struct vw_scratch_area {
	struct vw_advert a;
	struct vw_bpf_val val;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vw_scratch_area);
} vw_scratch SEC(".maps");

/*
 * Set by userspace once it knows the kernel's HZ (after load: globals, not
 * constants).  A cache slot silent for vw_stale_jiffies is free; a slot
 * value older than vw_read_jiffies has been read by userspace.
 */
volatile __u64 vw_stale_jiffies = 2500;
volatile __u64 vw_read_jiffies = 500;
volatile __u32 vw_ncpu = 1;
/*
 * Userspace's read mark, set after each complete read of the maps: every
 * count stamped before this jiffy has been read (0: nothing has).  A slot
 * taken over from a holder heard at or after it loses counts nobody read:
 * vw_bpf_stats.cache_lost counts those takeovers.
 */
volatile __u64 vw_read_upto;

/* CPUs looked at for an advertiser's slot elsewhere (vw_settled_elsewhere). */
#define VW_SCAN_CPUS 64

/*
 * Time is jiffies: bpf_jiffies64() is inlined into a load, where
 * bpf_ktime_get_ns() costs about 30 ns here (a clocksource read) and
 * bpf_ktime_get_coarse_ns() about 15 (the timekeeper's seqcount).  That
 * is most of the budget of an advert.  Userspace maps jiffies to time
 * (src/live/live_clock.c); a jiffy is 1 to 10 ms, plenty for VRRP.
 */
#define vw_now() bpf_jiffies64()

static __always_inline struct vw_bpf_stats *vw_stats_of(__u32 ifindex, __u32 dir)
{
	__u32 slot = ((ifindex & 63) << 1) | dir;

	return bpf_map_lookup_elem(&vw_stats, &slot);
}

/* A tag the NIC took off is the outermost one. */
static __always_inline void vw_push_outer_vlan(struct vw_l2 *l2, __u16 tci)
{
	__u16 vid = tci & 0x0fff;

	if (!vid) /* a priority tag says nothing about the segment */
		return;
	l2->vlan[1] = l2->vlan[0];
	l2->vlan[0] = vid;
	l2->nvlan = l2->nvlan ? 2 : 1;
}

/*
 * One advert on its way through: what every step needs, in one place on
 * the stack (BPF calls take at most five arguments).
 */
struct vw_seen {
	void *ctx;               /* the program's context */
	struct vw_bpf_stats *st;
	__u64 now;
	__u64 state;             /* vw_advert_state(&a) */
	__u32 ifindex;
	__u32 dir;
	__u64 w[7];              /* the key, as struct vw_obs_key */
	struct vw_advert *a;     /* in vw_scratch */
	struct vw_bpf_val *val;  /* in vw_scratch: a new LRU value */
};

/* The key as seven words, laid out as vw_key_from_advert() does. */
static __always_inline void vw_key_words(struct vw_seen *s)
{
	const struct vw_advert *a = s->a;
	__u64 v0 = a->nvlan > 0 ? a->vlan[0] : 0, v1 = a->nvlan > 1 ? a->vlan[1] : 0;

	s->w[0] = s->ifindex | v0 << 32 | v1 << 48;
	s->w[1] = vw_load32(a->src_mac) | (__u64)vw_load16(a->src_mac + 4) << 32 |
		  (__u64)a->vrid << 48 | (__u64)a->family << 56;
	/* the decoder zeroes the advert: IPv4 addresses are zero-padded */
	s->w[2] = vw_load64(a->src);
	s->w[3] = vw_load64(a->src + 8);
	s->w[4] = vw_load64(a->dst);
	s->w[5] = vw_load64(a->dst + 8);
	s->w[6] = s->dir;
}

static __always_inline int vw_key_equal(const __u64 *k, const __u64 *w)
{
	return !((k[0] ^ w[0]) | (k[1] ^ w[1]) | (k[2] ^ w[2]) | (k[3] ^ w[3]) |
		 (k[4] ^ w[4]) | (k[5] ^ w[5]) | (k[6] ^ w[6]));
}

/* Keep the first bytes of the message: the address list of most adverts. */
static __always_inline void vw_keep_sample(const struct vw_seen *s, struct vw_bpf_val *b)
{
	__u32 len = s->a->vrrp_len, n = len < VW_MSG_SAMPLE ? len : VW_MSG_SAMPLE;

	b->msg_len = (__u16)len;
	b->sample_len = 0;
	if (n < 1 || n > VW_MSG_SAMPLE)
		return;
	if (!VW_LOAD_BYTES(s->ctx, s->a->vrrp_off, b->msg, n))
		b->sample_len = (__u8)n;
}

/* One ring buffer event; `cap` is a constant (reserve sizes must be). */
static __always_inline int vw_send_event(const struct vw_seen *s, __u8 kind, __u32 cap)
{
	struct vw_bpf_event *e = bpf_ringbuf_reserve(&vw_events, sizeof(*e) + cap, 0);
	__u32 len = s->a->vrrp_len, n = len < cap ? len : cap;

	if (!e)
		return -1;
	__u64 *k = (__u64 *)&e->key;
	for (int i = 0; i < 7; i++)
		k[i] = s->w[i];
	e->ts = s->now;
	e->state = s->state;
	e->addr_hash = s->a->addr_hash;
	e->msg_len = (__u16)len;
	e->copied = 0;
	e->kind = kind;
	e->flags = s->a->flags;
	if (n >= 1 && n <= cap && !VW_LOAD_BYTES(s->ctx, s->a->vrrp_off, e->msg, n))
		e->copied = (__u16)n;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline void vw_event(const struct vw_seen *s, __u8 kind)
{
	int rc;

	if (s->a->vrrp_len <= VW_EVENT_MSG_SMALL)
		rc = vw_send_event(s, kind, VW_EVENT_MSG_SMALL);
	else
		rc = vw_send_event(s, kind, VW_EVENT_MSG_LARGE);
	if (rc)
		s->st->events_lost++;
	else
		s->st->events++;
}

static __always_inline void vw_set_state(const struct vw_seen *s, struct vw_bpf_val *b)
{
	vw_obs_set_last(&b->v, s->a);
	b->state = s->state;
}

/* A value this CPU has not used yet: zeroed, then the advert's state. */
static __always_inline void vw_init_val(const struct vw_seen *s, struct vw_bpf_val *b)
{
	__builtin_memset(&b->v, 0, sizeof(b->v));
	b->v.first_ns = s->now;
	vw_set_state(s, b);
	vw_keep_sample(s, b);
}

/* Per advert, on the value that holds its key. */
static __always_inline void vw_count(const struct vw_seen *s, struct vw_bpf_val *b)
{
	const struct vw_advert *a = s->a;
	struct vw_obs_val *v = &b->v;

	v->packets++;
	v->bytes += a->ip_len;
	v->last_ns = s->now;
	v->prio0 += a->priority == 0;
	if (a->flags) {
		v->flags_seen |= a->flags;
		v->bad_ttl += !!(a->flags & VW_F_BAD_TTL);
		v->bad_csum += !!(a->flags & VW_F_BAD_CSUM);
	}
}

/* The uncommon path: the advert differs from the last one on this CPU. */
static __attribute__((noinline)) void vw_changed(const struct vw_seen *s, struct vw_bpf_val *b)
{
	const struct vw_advert *a = s->a;
	struct vw_obs_val *v = &b->v;
	__u8 kind = 0;

	if (!v->packets) {
		/* an LRU element another CPU made: this CPU's part is zero */
		vw_init_val(s, b);
		vw_event(s, VW_EV_NEW);
		return;
	}
	if (v->priority != a->priority)
		v->prio_changes++, kind = VW_EV_CHANGED;
	if (v->addr_hash != a->addr_hash || v->naddr != a->naddr) {
		v->addr_changes++, kind = VW_EV_CHANGED;
		vw_keep_sample(s, b);
	}
	if (v->interval_cs != a->interval_cs)
		v->interval_changes++, kind = VW_EV_CHANGED;
	if (v->version != a->version)
		v->version_changes++, kind = VW_EV_CHANGED;
	vw_set_state(s, b);
	if (kind)
		vw_event(s, kind);
}

static __always_inline void vw_hit(const struct vw_seen *s, struct vw_bpf_val *b)
{
	if (s->state != b->state || s->a->addr_hash != b->v.addr_hash)
		vw_changed(s, b);
	vw_count(s, b);
}

/* A key whose cache slot is taken: the LRU hash. */
static __attribute__((noinline)) void vw_spill(const struct vw_seen *s)
{
	struct vw_bpf_val *b = bpf_map_lookup_elem(&vw_lru, s->w);

	s->st->spilled++;
	if (b) {
		vw_hit(s, b);
		return;
	}
	b = s->val;
	vw_init_val(s, b);
	vw_count(s, b);
	if (bpf_map_update_elem(&vw_lru, s->w, b, BPF_NOEXIST)) {
		/* another CPU inserted it meanwhile, or the map is stuck */
		struct vw_bpf_val *other = bpf_map_lookup_elem(&vw_lru, s->w);
		if (other)
			vw_hit(s, other);
		else
			s->st->lru_fail++;
		return;
	}
	s->st->lru_new++;
	vw_event(s, VW_EV_NEW);
}

/* Does this key hold its slot, heard from more than once, on another CPU? */
static __attribute__((noinline)) int vw_settled_elsewhere(const struct vw_seen *s, __u32 idx)
{
	__u32 me = bpf_get_smp_processor_id();

	for (__u32 cpu = 0; cpu < VW_SCAN_CPUS; cpu++) {
		if (cpu >= vw_ncpu)
			break;
		if (cpu == me)
			continue;
		struct vw_cache_slot *o = bpf_map_lookup_percpu_elem(&vw_cache, &idx, cpu);
		if (o && o->val.v.packets > 1 && vw_key_equal((const __u64 *)&o->key, s->w))
			return 1;
	}
	return 0;
}

/*
 * A held slot goes to a newcomer only in one case.  Under a flood of
 * one-shot sources, a real advertiser whose frames start arriving on
 * another CPU (the receiving queue moved) finds its slot there taken by a
 * source heard once.  It takes that slot over if it is settled on another
 * CPU and the holder's one advert is old enough to have been read.
 */
static __always_inline int vw_may_take_over(const struct vw_seen *s,
					    const struct vw_cache_slot *slot, __u32 idx)
{
	if (slot->val.v.packets > 1 || s->now - slot->val.v.last_ns <= vw_read_jiffies)
		return 0;
	return vw_settled_elsewhere(s, idx);
}

/*
 * One step of a slot's generation (struct vw_cache_slot): an atomic add
 * whose result is used, so that it is the fetching form, fully ordered
 * (lock xadd on x86, ldaddal on arm64): the stores between the two steps
 * are seen after the first and before the second.
 */
static __always_inline void vw_gen_step(__u64 *gen)
{
	__u64 old = __sync_fetch_and_add(gen, 1);

	asm volatile("" : : "r"(old));
}

/*
 * An empty slot, one whose holder fell silent, or see vw_may_take_over:
 * the key takes it.  The rare path, out of line.
 */
static __attribute__((noinline)) void vw_take_over(const struct vw_seen *s,
						   struct vw_cache_slot *slot)
{
	__u64 *k = (__u64 *)&slot->key;

	if ((__u32)k[0] && slot->val.v.last_ns >= vw_read_upto)
		s->st->cache_lost++; /* the holder's last counts were never read */
	vw_gen_step(&slot->gen); /* odd: being rewritten */
	vw_init_val(s, &slot->val);
	vw_count(s, &slot->val);
	for (int i = 0; i < 7; i++)
		k[i] = s->w[i];
	vw_gen_step(&slot->gen); /* even: whole again */
	vw_event(s, VW_EV_NEW);
}

static __always_inline void vw_account(const struct vw_seen *s)
{
	__u32 idx = vw_cache_slot_of(s->w);
	struct vw_cache_slot *slot = bpf_map_lookup_elem(&vw_cache, &idx);

	if (!slot)
		return;
	__u64 *k = (__u64 *)&slot->key;
	if (vw_key_equal(k, s->w)) {
		vw_hit(s, &slot->val);
		return;
	}
	if ((__u32)k[0] && s->now - slot->val.v.last_ns <= vw_stale_jiffies &&
	    !vw_may_take_over(s, slot, idx)) {
		vw_spill(s);
		return;
	}
	vw_take_over(s, slot);
}

static __attribute__((noinline)) void vw_count_reject(const struct vw_seen *s, __u32 reason)
{
	const struct vw_advert *a = s->a;
	struct vw_reject_key k = {.ifindex = s->ifindex, .reason = (__u8)reason};
	struct vw_reject_val *r;

	if (a->nvlan > 0)
		k.vlan[0] = a->vlan[0];
	if (a->nvlan > 1)
		k.vlan[1] = a->vlan[1];
	r = bpf_map_lookup_elem(&vw_rejects, &k);
	if (!r) {
		struct vw_reject_val zero = {};
		/* a full map: count per interface only, as obs_table.c does */
		if (bpf_map_update_elem(&vw_rejects, &k, &zero, BPF_NOEXIST)) {
			k.vlan[0] = k.vlan[1] = 0;
			bpf_map_update_elem(&vw_rejects, &k, &zero, BPF_NOEXIST);
		}
		r = bpf_map_lookup_elem(&vw_rejects, &k);
		if (!r) {
			s->st->rejects_lost++;
			return;
		}
	}
	r->count++;
	if (!r->first_ns)
		r->first_ns = s->now;
	r->last_ns = s->now;
	if (a->family && (vw_load64(a->src) | vw_load64(a->src + 8))) {
		r->family = a->family;
		vw_copy_ip6(r->src, a->src);
		vw_copy_mac(r->src_mac, a->src_mac);
	}
}

/*
 * A frame that passed the fast path (vw_may_be_vrrp): decode it and
 * account it.  The rare paths (a change, a spill, a reject) are calls, so
 * that the common advert runs straight through.
 */
static __always_inline void vw_observe(void *ctx, const __u8 *data, const __u8 *end,
				       const struct vw_l2 *l2, __u32 ifindex, __u32 dir,
				       struct vw_bpf_stats *st)
{
	__u32 zero = 0;
	struct vw_scratch_area *area = bpf_map_lookup_elem(&vw_scratch, &zero);
	struct vw_seen s;

	if (!area)
		return;
	int verdict = vw_decode_l3(ctx, data, end, l2, &area->a);
	if (verdict == VW_OTHER)
		return;
	s.a = &area->a;
	s.val = &area->val;
	s.ctx = ctx;
	s.st = st;
	s.ifindex = ifindex;
	s.dir = dir;
	s.now = vw_now();
	if (verdict == VW_REJECT) {
		st->rejected++;
		vw_count_reject(&s, s.a->reason);
		return;
	}
	if (s.a->flags & VW_F_BAD_TTL)
		vw_count_reject(&s, VW_R_BAD_TTL);
	if (s.a->flags & VW_F_BAD_CSUM)
		vw_count_reject(&s, VW_R_BAD_CHECKSUM);
	st->adverts++;
	s.state = vw_advert_state(s.a);
	vw_key_words(&s);
	vw_account(&s);
}

/* A claim key's count, in a slot or a vw_claims entry. */
static __always_inline void vw_claim_tick(struct vw_claim_val *v, __u64 now)
{
	v->count++;
	v->last_ns = now;
}

/*
 * An empty slot takes a key for good: the key first, then a fully
 * ordered add makes the count 1 (vw_gen_step), so that userspace, which
 * copies a slot in address order (key, then count), finds the key whole
 * in any copy it makes after one that showed the count (merge_claim_slot
 * in src/live/live_bpf_claims.c copies a new slot again for it).
 */
static __always_inline void vw_claim_fill(const struct vw_claim_key *k,
					  struct vw_claim_slot *slot, __u64 now)
{
	const __u64 *src = (const __u64 *)k;
	__u64 *dst = (__u64 *)&slot->key;

	for (int i = 0; i < 4; i++)
		dst[i] = src[i];
	slot->val.first_ns = slot->val.last_ns = now;
	vw_gen_step(&slot->val.count);
}

/* A key whose slot another key holds on this CPU: the hash map. */
static __always_inline int vw_claim_spill(const struct vw_claim_key *k, __u64 now)
{
	struct vw_claim_val *v = bpf_map_lookup_elem(&vw_claims, k);

	if (!v) {
		struct vw_claim_val zero = {};
		bpf_map_update_elem(&vw_claims, k, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&vw_claims, k);
		if (!v)
			return -1; /* the map is full */
	}
	if (!v->count) /* new, or another CPU's entry: this CPU's part is zero */
		v->first_ns = now;
	vw_claim_tick(v, now);
	return 0;
}

/*
 * A key not in its slot on this CPU, out of line: the first claim of a
 * key, or a key whose slot is taken.  It is counted only while its
 * address is watched; once in a slot or in vw_claims it needs no watch
 * check again (userspace never unwatches an address).
 */
static __attribute__((noinline)) void vw_claim_miss(const struct vw_claim_key *k,
						    struct vw_claim_slot *slot,
						    struct vw_bpf_stats *st)
{
	struct vw_watch_key w;
	__u64 now = vw_now();

	vw_watch_key_of(&w, k->family, k->addr);
	if (!bpf_map_lookup_elem(&vw_watch, &w))
		return;
	if (!slot->key.family) {
		vw_claim_fill(k, slot, now);
	} else if (vw_claim_spill(k, now)) {
		st->claims_lost++;
		return;
	}
	st->claims++;
}

/*
 * One claim or ask: its address past the bit filter, then its slot.  The
 * common case, a key counted before on this CPU, is an array lookup, a
 * 4-word compare and two stores.
 */
static __always_inline void vw_claim_count(const struct vw_claim_key *k,
					   const struct vw_watch_bits *bits,
					   struct vw_bpf_stats *st)
{
	const __u64 *w = (const __u64 *)k;
	__u32 idx;
	struct vw_claim_slot *slot;

	if (!vw_watch_bit_set(bits, k->family, k->addr))
		return;
	idx = vw_claim_slot_of(w);
	slot = bpf_map_lookup_elem(&vw_claim_cache, &idx);
	if (!slot)
		return;
	const __u64 *h = (const __u64 *)&slot->key;
	if ((h[0] ^ w[0]) | (h[1] ^ w[1]) | (h[2] ^ w[2]) | (h[3] ^ w[3])) {
		vw_claim_miss(k, slot, st);
		return;
	}
	vw_claim_tick(&slot->val, vw_now());
	st->claims++;
}

/*
 * A frame that passed vw_may_be_claim (ARP, IPv6 NS / NA): parse, key,
 * count, pass.  The keys are built on the stack straight from the packet
 * (vw_claim_keys_of, which replay shares); an address not watched mostly
 * stops at its bit in vw_watch_bits.
 */
static __always_inline void vw_claim_observe(const __u8 *end, const struct vw_l2 *l2,
					     __u32 ifindex, struct vw_bpf_stats *st)
{
	__u32 zero = 0;
	struct vw_watch_bits *bits = bpf_map_lookup_elem(&vw_watch_bits, &zero);
	struct vw_claim_keys ks;

	if (!bits || !vw_claim_keys_of(l2, end, ifindex, &ks))
		return;
	if (ks.has_claim)
		vw_claim_count(&ks.claim, bits, st);
	if (ks.has_ask)
		vw_claim_count(&ks.ask, bits, st);
}

#endif
