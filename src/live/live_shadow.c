// SPDX-License-Identifier: GPL-2.0-or-later
#include "live/live_shadow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void add_counters(struct vw_obs_val *o, const struct vw_obs_val *v)
{
	o->packets += v->packets;
	o->bytes += v->bytes;
	o->prio_changes += v->prio_changes;
	o->addr_changes += v->addr_changes;
	o->interval_changes += v->interval_changes;
	o->version_changes += v->version_changes;
	o->bad_ttl += v->bad_ttl;
	o->bad_csum += v->bad_csum;
	o->prio0 += v->prio0;
	o->csum_seen |= v->csum_seen;
	o->flags_seen |= v->flags_seen;
}

/* The last fields of one value (everything but the counters and span). */
static void copy_last(struct vw_bpf_val *o, const struct vw_bpf_val *b)
{
	struct vw_obs_val keep = o->v;

	*o = *b;
	o->v.packets = keep.packets;
	o->v.bytes = keep.bytes;
	o->v.first_ns = keep.first_ns;
	o->v.prio_changes = keep.prio_changes;
	o->v.addr_changes = keep.addr_changes;
	o->v.interval_changes = keep.interval_changes;
	o->v.version_changes = keep.version_changes;
	o->v.bad_ttl = keep.bad_ttl;
	o->v.bad_csum = keep.bad_csum;
	o->v.prio0 = keep.prio0;
	o->v.csum_seen = keep.csum_seen;
	o->v.flags_seen = keep.flags_seen;
}

unsigned vw_bpf_val_sum(const void *percpu, unsigned ncpu, size_t stride,
			struct vw_bpf_val *out)
{
	unsigned seen = 0;

	memset(out, 0, sizeof(*out));
	for (unsigned c = 0; c < ncpu; c++) {
		const struct vw_bpf_val *b =
			(const struct vw_bpf_val *)((const uint8_t *)percpu + c * stride);
		if (!b->v.packets) /* this CPU never heard the key */
			continue;
		if (!seen || b->v.last_ns > out->v.last_ns)
			copy_last(out, b);
		if (!seen || b->v.first_ns < out->v.first_ns)
			out->v.first_ns = b->v.first_ns;
		add_counters(&out->v, &b->v);
		seen++;
	}
	return seen;
}

static bool continues(const struct vw_obs_val *p, const struct vw_obs_val *c)
{
	return p && p->first_ns == c->first_ns && c->packets >= p->packets &&
	       c->bytes >= p->bytes && c->prio_changes >= p->prio_changes &&
	       c->addr_changes >= p->addr_changes && c->interval_changes >= p->interval_changes &&
	       c->version_changes >= p->version_changes && c->bad_ttl >= p->bad_ttl &&
	       c->bad_csum >= p->bad_csum && c->prio0 >= p->prio0;
}

bool vw_obs_delta(const struct vw_obs_val *prev, const struct vw_obs_val *cur,
		  struct vw_obs_val *d)
{
	*d = *cur;
	if (!continues(prev, cur))
		return cur->packets != 0;
	d->packets -= prev->packets;
	d->bytes -= prev->bytes;
	d->prio_changes -= prev->prio_changes;
	d->addr_changes -= prev->addr_changes;
	d->interval_changes -= prev->interval_changes;
	d->version_changes -= prev->version_changes;
	d->bad_ttl -= prev->bad_ttl;
	d->bad_csum -= prev->bad_csum;
	d->prio0 -= prev->prio0;
	return d->packets != 0;
}

/* ---- the shadow map ---------------------------------------------------- */

/*
 * An entry: the key, the value 8-byte aligned after it (callers read it as
 * a struct), then the used flag; entries 8-byte aligned too.
 */
#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

static size_t val_off(const struct vw_shadow *s)
{
	return ALIGN8(s->key_len);
}

static size_t used_off(const struct vw_shadow *s)
{
	return val_off(s) + s->val_len;
}

static size_t entry_len(const struct vw_shadow *s)
{
	return ALIGN8(used_off(s) + 1);
}

static uint8_t *entry(const struct vw_shadow *s, size_t i)
{
	return s->slots + i * entry_len(s);
}

static bool used(const struct vw_shadow *s, const uint8_t *e)
{
	return e[used_off(s)];
}

static uint64_t hash_key(const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h ^ (h >> 31);
}

int vw_shadow_init(struct vw_shadow *s, size_t key_len, size_t val_len, size_t capacity)
{
	size_t n = 16;

	memset(s, 0, sizeof(*s));
	s->key_len = key_len;
	s->val_len = val_len;
	while (n < capacity * 2)
		n *= 2;
	s->slots = calloc(n, entry_len(s));
	s->n_slots = n;
	return s->slots ? 0 : -ENOMEM;
}

void vw_shadow_free(struct vw_shadow *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

static size_t slot_of(const struct vw_shadow *s, const void *key)
{
	size_t mask = s->n_slots - 1, i = hash_key(key, s->key_len) & mask;

	while (used(s, entry(s, i)) && memcmp(entry(s, i), key, s->key_len))
		i = (i + 1) & mask;
	return i;
}

void *vw_shadow_find(const struct vw_shadow *s, const void *key)
{
	if (!s->slots)
		return NULL;
	uint8_t *e = entry(s, slot_of(s, key));

	return used(s, e) ? e + val_off(s) : NULL;
}

static int grow(struct vw_shadow *s)
{
	struct vw_shadow bigger;

	if (vw_shadow_init(&bigger, s->key_len, s->val_len, s->n_slots))
		return -ENOMEM;
	for (size_t i = 0; i < s->n_slots; i++) {
		uint8_t *e = entry(s, i);
		if (used(s, e))
			memcpy(entry(&bigger, slot_of(&bigger, e)), e, entry_len(s));
	}
	bigger.n = s->n;
	vw_shadow_free(s);
	*s = bigger;
	return 0;
}

int vw_shadow_put(struct vw_shadow *s, const void *key, const void *val)
{
	if ((s->n + 1) * 2 > s->n_slots && grow(s))
		return -ENOMEM;
	uint8_t *e = entry(s, slot_of(s, key));
	if (!used(s, e)) {
		e[used_off(s)] = 1;
		memcpy(e, key, s->key_len);
		s->n++;
	}
	memcpy(e + val_off(s), val, s->val_len);
	return 0;
}
