// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/activity.h"
#include "util/grow.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_CS 10000000ull
#define NS_PER_S 1000000000ull
#define MIN_GAP_NS (10 * NS_PER_S)

uint64_t vw_master_down_ns(uint8_t version, uint16_t interval_cs, uint8_t priority)
{
	uint64_t interval = (uint64_t)interval_cs * NS_PER_CS;
	uint64_t skew = (256u - priority) * (version == 3 ? interval : NS_PER_S) / 256u;

	return 3 * interval + skew;
}

uint64_t vw_episode_gap_ns(uint8_t version, uint16_t interval_cs, uint8_t priority)
{
	uint64_t g = 3 * vw_master_down_ns(version, interval_cs, priority);

	return g > MIN_GAP_NS ? g : MIN_GAP_NS;
}

int vw_activity_init(struct vw_activity_map *m)
{
	memset(m, 0, sizeof(*m));
	return vw_pos_index_rebuild(&m->by_key, 64, NULL, 0, NULL);
}

void vw_activity_free(struct vw_activity_map *m)
{
	free(m->v);
	vw_pos_index_free(&m->by_key);
	free(m->of_row);
	free(m->resigned);
	free(m->changed);
	free(m->csum_changed);
	memset(m, 0, sizeof(*m));
}

static bool has_key(const void *v, uint32_t pos, const void *key)
{
	return vw_key_equal(&((const struct vw_activity *)v)[pos].key, key);
}

static uint64_t key_hash_at(const void *v, uint32_t pos)
{
	return vw_key_hash(&((const struct vw_activity *)v)[pos].key);
}

static size_t slot_of(const struct vw_activity_map *m, const struct vw_obs_key *k)
{
	return vw_pos_slot(&m->by_key, vw_key_hash(k), has_key, m->v, k);
}

struct vw_activity *vw_activity_of(const struct vw_activity_map *m, const struct vw_obs_key *k)
{
	uint32_t idx = m->by_key.slot[slot_of(m, k)];

	return idx ? &m->v[idx - 1] : NULL;
}

static int rehash(struct vw_activity_map *m, size_t n_slots)
{
	return vw_pos_index_rebuild(&m->by_key, n_slots, m->v, m->n, key_hash_at);
}

static struct vw_activity *add(struct vw_activity_map *m, const struct vw_obs_key *k)
{
	if (vw_pos_index_crowded(&m->by_key, m->n + 1) && rehash(m, m->by_key.n * 2))
		return NULL;
	struct vw_activity *v = vw_grow(m->v, &m->cap, m->n + 1, sizeof(*v), 64);

	if (!v)
		return NULL;
	m->v = v;
	struct vw_activity *a = &m->v[m->n];
	memset(a, 0, sizeof(*a));
	a->key = *k;
	a->changed_gen = a->structure_gen = m->generation;
	m->by_key.slot[slot_of(m, k)] = (uint32_t)++m->n;
	m->members_changed = true;
	return a;
}

/* Rows evicted from the table leave; the map follows the table's size. */
static int drop_stale(struct vw_activity_map *m)
{
	size_t kept = 0;

	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].generation == m->generation)
			m->v[kept++] = m->v[i];
	if (kept == m->n)
		return 0;
	m->n = kept;
	m->members_changed = true;
	int rc = rehash(m, m->by_key.n);

	if (rc) /* the old index names positions that moved: none is better */
		memset(m->by_key.slot, 0, m->by_key.n * sizeof(*m->by_key.slot));
	return rc;
}

static void keep_run(struct vw_activity *a)
{
	a->runs[a->next_run] = (struct vw_run){a->run_start_ns, a->last_ns};
	a->next_run = (uint8_t)((a->next_run + 1) % VW_ACT_RUNS);
	if (a->n_runs < VW_ACT_RUNS)
		a->n_runs++;
}

static uint64_t intersect(uint64_t f1, uint64_t t1, uint64_t f2, uint64_t t2)
{
	uint64_t from = f1 > f2 ? f1 : f2, to = t1 < t2 ? t1 : t2;

	return to > from ? to - from : 0;
}

uint64_t vw_activity_overlap_ns(const struct vw_activity *a, const struct vw_activity *b)
{
	uint64_t sum = 0;

	/* index n_runs is the current run */
	for (unsigned i = 0; i <= a->n_runs; i++) {
		uint64_t f1 = i < a->n_runs ? a->runs[i].from : a->run_start_ns;
		uint64_t t1 = i < a->n_runs ? a->runs[i].to : a->last_ns;
		for (unsigned j = 0; j <= b->n_runs; j++)
			sum += intersect(f1, t1, j < b->n_runs ? b->runs[j].from : b->run_start_ns,
					 j < b->n_runs ? b->runs[j].to : b->last_ns);
	}
	return sum;
}

/* Of the shape, what tells an advert from a broken one: the checksum
 * variant, the variants and flags seen, the TTL, the counts of bad TTLs
 * and checksums (from csum_variant to the end of the pad, and bad_ttl,
 * bad_csum).  The rest (addresses, interval, priority, version,
 * authentication, the counts of changes, prio0) is the structure. */
#define CSUM_FROM offsetof(struct vw_obs_val, csum_variant)
#define CSUM_TO offsetof(struct vw_obs_val, prio_changes)
#define BAD_FROM offsetof(struct vw_obs_val, bad_ttl)
#define BAD_TO offsetof(struct vw_obs_val, prio0)
#define SHAPE_AT(off) ((off) - offsetof(struct vw_obs_val, addr_hash))

static bool same_bytes(const uint8_t *a, const uint8_t *b, size_t from, size_t to)
{
	return !memcmp(a + SHAPE_AT(from), b + SHAPE_AT(from), to - from);
}

/* The structure of a row's shape is the same in s and val. */
static bool same_structure(const struct vw_row_shape *s, const uint8_t *val)
{
	return same_bytes(s->val, val, offsetof(struct vw_obs_val, addr_hash), CSUM_FROM) &&
	       same_bytes(s->val, val, CSUM_TO, BAD_FROM) &&
	       same_bytes(s->val, val, BAD_TO, sizeof(struct vw_obs_val));
}

/* What the rules read of a row besides its counters and last advert:
 * changed since the last fold?  VW_SHAPE_CHANGED, and VW_SHAPE_STRUCTURE
 * when more than its checksum and TTL state changed.  (Compared in
 * place: this runs for every row at every tick.) */
enum { VW_SHAPE_CHANGED = 1, VW_SHAPE_STRUCTURE = 2 };

static unsigned take_shape(struct vw_activity *a, const struct vw_row *r)
{
	const uint8_t *val = (const uint8_t *)&r->val + offsetof(struct vw_obs_val, addr_hash);
	struct vw_row_shape *s = &a->shape;
	unsigned how = VW_SHAPE_CHANGED;

	if (!memcmp(s->val, val, sizeof(s->val)) && s->msg == r->msg &&
	    s->msg_len == r->msg_len && s->addresses_cut == r->addresses_cut)
		return 0;
	if (s->msg != r->msg || s->msg_len != r->msg_len ||
	    s->addresses_cut != r->addresses_cut || !same_structure(s, val))
		how |= VW_SHAPE_STRUCTURE;
	memcpy(s->val, val, sizeof(s->val));
	s->msg = r->msg;
	s->msg_len = r->msg_len;
	s->addresses_cut = r->addresses_cut;
	return how;
}

static void note_changed(struct vw_activity_map *m, struct vw_activity *a)
{
	uint32_t *v;

	a->changed_gen = m->generation;
	if (!(v = vw_grow(m->changed, &m->cap_changed, m->n_changed + 1, sizeof(*v), 64))) {
		m->changed_lost = true;
		return;
	}
	m->changed = v;
	m->changed[m->n_changed++] = (uint32_t)(a - m->v);
}

/* Only a's checksum and TTL state changed (csum_apart): listed apart, or
 * as any change where the list cannot grow. */
static void note_csum_changed(struct vw_activity_map *m, struct vw_activity *a)
{
	uint32_t *v = vw_grow(m->csum_changed, &m->cap_csum_changed, m->n_csum_changed + 1,
			      sizeof(*v), 64);

	if (!v) {
		note_changed(m, a);
		return;
	}
	m->csum_changed = v;
	m->csum_changed[m->n_csum_changed++] = (uint32_t)(a - m->v);
}

static void fold_row(struct vw_activity_map *m, struct vw_activity *a, const struct vw_row *r,
		     uint64_t now_ns)
{
	const struct vw_obs_val *v = &r->val;
	/* an evicted and re-added row restarts its counters */
	uint64_t delta = v->packets >= a->packets ? v->packets - a->packets : v->packets;
	uint64_t start = a->start_ns, run = a->run_start_ns;
	uint8_t n_runs = a->n_runs;
	bool active = a->active, resigned = a->resigned;
	unsigned shape = take_shape(a, r);

	if (shape & VW_SHAPE_STRUCTURE) { /* its timers follow its interval and priority */
		a->md_ns = vw_master_down_ns(v->version, v->interval_cs, v->priority);
		a->gap_ns = vw_episode_gap_ns(v->version, v->interval_cs, v->priority);
	}
	uint64_t gap = a->gap_ns;

	a->new_adverts = delta;
	a->resigned = false;
	a->new_bad_ttl = v->bad_ttl >= a->bad_ttl ? v->bad_ttl - a->bad_ttl : v->bad_ttl;
	a->new_bad_csum = v->bad_csum >= a->bad_csum ? v->bad_csum - a->bad_csum : v->bad_csum;
	if (delta) {
		/* the first advert since the last tick: exact when there was one */
		uint64_t first = delta == 1 || !m->prev_tick_ns ? v->last_ns : m->prev_tick_ns;
		if (first < v->first_ns)
			first = v->first_ns;
		if (!a->active || first > a->last_ns + gap) {
			a->start_ns = a->run_start_ns = first;
			a->n_runs = a->next_run = 0;
		} else if (first > a->last_ns + a->md_ns) {
			keep_run(a);
			a->run_start_ns = first;
		}
		a->active = true;
		a->last_ns = v->last_ns;
		if (v->prio0 != a->prio0 && v->priority == 0) {
			a->resigned = true; /* RFC 5798 6.4.3: the master stopped */
			a->active = false;
		}
	} else if (a->active && now_ns > a->last_ns + gap) {
		a->active = false;
	}
	a->packets = v->packets;
	a->prio0 = v->prio0;
	a->bad_ttl = v->bad_ttl;
	a->bad_csum = v->bad_csum;
	a->generation = m->generation;
	bool moved = start != a->start_ns || run != a->run_start_ns || n_runs != a->n_runs ||
		     active != a->active || resigned != a->resigned;
	bool structure = moved || (shape & VW_SHAPE_STRUCTURE);
	bool csum = shape || a->new_bad_ttl || a->new_bad_csum; /* or only that */
	if (structure)
		a->structure_gen = m->generation;
	if (structure || (csum && !m->csum_apart))
		note_changed(m, a);
	else if (csum)
		note_csum_changed(m, a);
	if ((active || resigned) != (a->active || a->resigned))
		m->members_changed = true;
}

/* The table holds the rows it held at the last update, in the same
 * places: none added, none evicted, not moved. */
static bool same_rows(const struct vw_activity_map *m, const struct vw_table *t)
{
	return m->rows_seen == t->rows && m->n_of_row == t->n_rows &&
	       m->evictions_seen == t->evictions && m->of_row;
}

bool vw_activity_indexes(const struct vw_activity_map *m, const struct vw_table *t)
{
	return same_rows(m, t);
}

static int remember_rows(struct vw_activity_map *m, const struct vw_table *t)
{
	if (t->n_rows > m->cap_of_row) {
		uint32_t *v = vw_grow(m->of_row, &m->cap_of_row, t->n_rows, sizeof(*v), 64);
		if (!v)
			return -ENOMEM;
		m->of_row = v;
	}
	for (size_t i = 0; i < t->n_rows; i++) {
		uint32_t idx = m->by_key.slot[slot_of(m, &t->rows[i].key)];
		m->of_row[i] = idx;
		if (idx)
			m->v[idx - 1].row = (uint32_t)i;
	}
	m->n_of_row = t->n_rows;
	m->rows_seen = t->rows;
	m->evictions_seen = t->evictions;
	return 0;
}

/* --- the due wheel: episodes that end unless their rows are heard ------ */

static unsigned slot_of_time(uint64_t at)
{
	return (unsigned)((at >> VW_DUE_SLICE_BITS) % VW_DUE_SLOTS);
}

static bool slot_busy(const struct vw_activity_map *m, unsigned slot)
{
	return m->busy[slot / 64] >> (slot % 64) & 1;
}

static void due_link(struct vw_activity_map *m, struct vw_activity *a, uint64_t at)
{
	unsigned slot = slot_of_time(at);
	uint32_t self = (uint32_t)(a - m->v) + 1, *head = &m->wheel[slot];

	a->due_ns = at;
	a->due_listed = true;
	if (at < m->due_min)
		m->due_min = at;
	/* listed before the slices walked last (an update at an earlier time
	 * than the last: fold_all does not walk): walked from there next */
	if (at >> VW_DUE_SLICE_BITS < m->wheel_slice)
		m->wheel_slice = at >> VW_DUE_SLICE_BITS;
	a->due_prev = 0;
	a->due_next = *head;
	if (*head)
		m->v[*head - 1].due_prev = self;
	*head = self;
	m->busy[slot / 64] |= 1ull << (slot % 64);
}

static void due_unlink(struct vw_activity_map *m, struct vw_activity *a)
{
	unsigned slot = slot_of_time(a->due_ns);

	if (a->due_prev)
		m->v[a->due_prev - 1].due_next = a->due_next;
	else if (!(m->wheel[slot] = a->due_next))
		m->busy[slot / 64] &= ~(1ull << (slot % 64));
	if (a->due_next)
		m->v[a->due_next - 1].due_prev = a->due_prev;
	a->due_ns = 0;
	a->due_listed = false;
	a->due_prev = a->due_next = 0;
}

/* The activities moved in v: none listed (they are listed again). */
static void due_clear(struct vw_activity_map *m)
{
	memset(m->wheel, 0, sizeof(m->wheel));
	memset(m->busy, 0, sizeof(m->busy));
	m->due_min = UINT64_MAX;
	for (size_t i = 0; i < m->n; i++) {
		m->v[i].due_ns = 0;
		m->v[i].due_listed = false;
		m->v[i].due_prev = m->v[i].due_next = 0;
	}
}

/* When a's episode ends unless its row is heard again. */
static uint64_t due_at(const struct vw_activity *a, uint64_t last_ns, uint64_t now_ns)
{
	uint64_t at = last_ns + a->gap_ns;

	return at < now_ns || at < last_ns ? now_ns : at; /* or past the end of time */
}

/* An active episode ends at the first update past its last advert plus
 * its gap with nothing heard (fold_row): due then.  A row heard since has
 * its time pushed back when it falls due; a gap that shrank (a shorter
 * interval) brings it forward now.  Never before the update after now:
 * a row still active past that time (heard during this tick, with an
 * older timestamp) is looked at again then, not in a loop now. */
static void schedule(struct vw_activity_map *m, struct vw_activity *a, uint64_t last_ns,
		     uint64_t now_ns)
{
	uint64_t at = due_at(a, last_ns, now_ns);

	if (!a->active || (a->due_listed && at >= a->due_ns))
		return;
	if (a->due_listed)
		due_unlink(m, a);
	due_link(m, a, at);
}

static void keep_resigned(struct vw_activity_map *m, struct vw_activity *a)
{
	uint32_t *v = vw_grow(m->resigned, &m->cap_resigned, m->n_resigned + 1, sizeof(*v), 16);

	if (!v) {
		m->every_row_once = true;
		return;
	}
	m->resigned = v;
	m->resigned[m->n_resigned++] = (uint32_t)(a - m->v);
}

/* What the last update would have left in a's counters and last advert
 * had it folded a's row (it leaves rows out that only counted): the row's
 * values as of that tick. */
static void catch_up(struct vw_activity *a, const struct vw_row *r, const struct vw_table *t)
{
	/* a row made since the last tick for a key whose row that tick saw,
	 * evicted since: its activity goes on from that row */
	if (t->marks.on)
		vw_row_at_last_tick(t, r, &a->packets, &a->last_ns);
}

/* The row learns whether its next advert may be left to fold to its
 * counters alone (vw_row_touch): only while its episode goes on. */
static void tell_row(struct vw_row *r, const struct vw_activity *a)
{
	r->tick_active = a->active;
}

static void fold_one(struct vw_activity_map *m, struct vw_activity *a, struct vw_row *r,
		     const struct vw_table *t, uint64_t now_ns)
{
	catch_up(a, r, t);
	fold_row(m, a, r, now_ns);
	tell_row(r, a);
	schedule(m, a, a->last_ns, now_ns);
	if (a->resigned)
		keep_resigned(m, a);
}

/* The activities of one wheel slot due before now_ns. */
static void fold_due_slot(struct vw_activity_map *m, struct vw_table *t, uint64_t now_ns,
			  uint32_t first)
{
	for (uint32_t i = first; i;) {
		struct vw_activity *a = &m->v[i - 1];
		i = a->due_next; /* a may be listed again: at its new slot's head */
		if (a->due_ns >= now_ns) { /* a later turn's, or after now */
			if (a->due_ns < m->due_min)
				m->due_min = a->due_ns;
			continue;
		}
		due_unlink(m, a);
		if (!a->active)
			continue;
		struct vw_row *r = &t->rows[a->row];
		if (a->generation == m->generation || r->val.packets != r->tick_packets ||
		    now_ns <= r->val.last_ns + a->gap_ns)
			schedule(m, a, r->val.last_ns, now_ns); /* heard since, or folded now */
		else
			fold_one(m, a, r, t, now_ns);
	}
}

/* The start of the first busy slice among the n slots after slice
 * last, or UINT64_MAX: no listed time in them is earlier. */
static uint64_t next_busy_slice(const struct vw_activity_map *m, uint64_t last, unsigned n)
{
	for (unsigned d = 1; d <= n;) {
		unsigned slot = (unsigned)((last + d) % VW_DUE_SLOTS), bit = slot % 64;
		uint64_t w = m->busy[slot / 64] >> bit;
		if (w) {
			d += (unsigned)__builtin_ctzll(w);
			return d <= n ? (last + d) << VW_DUE_SLICE_BITS : UINT64_MAX;
		}
		d += 64 - bit; /* the next word */
	}
	return UINT64_MAX;
}

/* Of the times listed in the slot of the slice starting at `start`, the
 * earliest in that slice; if all are a later turn's, the next slice's
 * start (the slots between were empty).  Exact where the slice start is
 * only a bound: a tick between the two would walk the slot for nothing,
 * and with few rows most walks were such (a day of one pair: 2.8 walks
 * per activity rescheduled).  A slot of many stays a bound: with that
 * many rows the walk finds work at most ticks. */
static uint64_t earliest_in(const struct vw_activity_map *m, uint64_t start)
{
	enum { FEW = 4 };
	if (start == UINT64_MAX)
		return start;
	uint64_t slice = start >> VW_DUE_SLICE_BITS, min = (slice + 1) << VW_DUE_SLICE_BITS;
	unsigned seen = 0;

	for (uint32_t i = m->wheel[slice % VW_DUE_SLOTS]; i; i = m->v[i - 1].due_next) {
		uint64_t at = m->v[i - 1].due_ns;
		if (++seen > FEW)
			return start;
		if (at >> VW_DUE_SLICE_BITS == slice && at < min)
			min = at;
	}
	return min;
}

static void fold_due(struct vw_activity_map *m, struct vw_table *t, uint64_t now_ns)
{
	if (now_ns <= m->due_min)
		return; /* nothing is due before now */
	uint64_t last = (now_ns - 1) >> VW_DUE_SLICE_BITS, s = m->wheel_slice;

	if (s > last || last - s >= VW_DUE_SLOTS) /* a turn or more since: every slot once */
		s = last >= VW_DUE_SLOTS ? last - VW_DUE_SLOTS + 1 : 0;
	unsigned walked = (unsigned)(last - s + 1);

	/* the walk lowers it to the times it passes over and lists (due_link) */
	m->due_min = UINT64_MAX;
	for (; s <= last; s++) {
		unsigned slot = (unsigned)(s % VW_DUE_SLOTS);
		if (slot_busy(m, slot))
			fold_due_slot(m, t, now_ns, m->wheel[slot]);
	}
	m->wheel_slice = last;
	/* the slots not walked hold later slices only (due_link keeps
	 * wheel_slice at or before the earliest slice listed) */
	uint64_t later = earliest_in(m, next_busy_slice(m, last, VW_DUE_SLOTS - walked));
	if (later < m->due_min)
		m->due_min = later;
}

/* Only the rows that need it (struct vw_tick_marks). */
static void fold_marked(struct vw_activity_map *m, struct vw_table *t, uint64_t now_ns,
			size_t last_resigned)
{
	const struct vw_tick_marks *mk = &t->marks;

	for (size_t i = 0; i < mk->n; i++)
		fold_one(m, &m->v[m->of_row[mk->rows[i]] - 1], &t->rows[mk->rows[i]], t, now_ns);
	/* a resignation lasts one update: those of the last (the list's
	 * head; this update's own go after it) */
	for (size_t i = 0; i < last_resigned; i++) {
		struct vw_activity *a = &m->v[m->resigned[i]];
		if (a->generation != m->generation)
			fold_one(m, a, &t->rows[a->row], t, now_ns);
	}
	fold_due(m, t, now_ns);
}

static int fold_all(struct vw_activity_map *m, struct vw_table *t, uint64_t now_ns)
{
	int rc;

	if (same_rows(m, t)) {
		for (size_t i = 0; i < t->n_rows; i++)
			fold_one(m, &m->v[m->of_row[i] - 1], &t->rows[i], t, now_ns);
		return 0;
	}
	m->members_changed = true;
	for (size_t i = 0; i < t->n_rows; i++) {
		struct vw_row *r = &t->rows[i];
		struct vw_activity *a = vw_activity_of(m, &r->key);
		if (!a && !(a = add(m, &r->key)))
			return -ENOMEM;
		catch_up(a, r, t);
		fold_row(m, a, r, now_ns);
		tell_row(r, a);
	}
	rc = drop_stale(m);
	due_clear(m); /* the wheel names positions that may have moved */
	if (rc || (rc = remember_rows(m, t)))
		return rc; /* every row at the next update (vw_activity_update) */
	/* positions moved: what is due and who resigned, listed again */
	m->n_resigned = 0;
	for (size_t i = 0; i < m->n; i++) {
		schedule(m, &m->v[i], m->v[i].last_ns, now_ns);
		if (m->v[i].resigned)
			keep_resigned(m, &m->v[i]);
	}
	return 0;
}

/* The table's marks are spent: the next tick's begin (the rows' values
 * as this tick saw them are kept at the end of the detector's tick:
 * vw_table_close_tick). */
static void close_marks(struct vw_table *t)
{
	t->marks.n = 0;
	t->marks.overflow = false;
}

static void begin_update(struct vw_activity_map *m)
{
	m->generation++;
	m->members_changed = false;
	m->folded_all = false;
	m->n_changed = 0;
	m->n_csum_changed = 0;
	m->changed_lost = false;
	m->every_row_once = false;
}

static void end_update(struct vw_activity_map *m, struct vw_table *t, uint64_t now_ns)
{
	m->prev_tick_ns = now_ns;
	close_marks(t);
}

bool vw_activity_unchanged(const struct vw_activity_map *m, const struct vw_table *t,
			   uint64_t now_ns)
{
	/* what vw_activity_update would fold: every row, the marked ones,
	 * the last update's resignations, those due before now */
	return !m->every_row && !m->every_row_once && t->marks.on && !t->marks.overflow &&
	       !t->marks.n && !m->n_resigned && now_ns <= m->due_min && same_rows(m, t);
}

void vw_activity_pass(struct vw_activity_map *m, struct vw_table *t, uint64_t now_ns)
{
	begin_update(m);
	end_update(m, t, now_ns);
}

int vw_activity_update(struct vw_activity_map *m, struct vw_table *t, uint64_t now_ns)
{
	bool every = m->every_row || m->every_row_once || !t->marks.on || t->marks.overflow ||
		     !same_rows(m, t);
	size_t last_resigned = m->n_resigned;
	int rc = 0;

	begin_update(m);
	m->folded_all = every;
	if (every) {
		m->n_resigned = last_resigned = 0; /* every row is folded */
		rc = fold_all(m, t, now_ns);
	} else {
		fold_marked(m, t, now_ns, last_resigned);
	}
	/* this update's resignations are the next one's to fold */
	m->n_resigned -= last_resigned;
	if (last_resigned) /* NULL while none was ever kept */
		memmove(m->resigned, m->resigned + last_resigned,
			m->n_resigned * sizeof(*m->resigned));
	end_update(m, t, now_ns);
	if (rc)
		m->every_row_once = true;
	return rc;
}

void vw_activity_refresh(struct vw_activity *a, const struct vw_row *r)
{
	a->last_ns = r->val.last_ns;
}
