// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/finding.h"
#include "util/grow.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>


const char *vw_kind_name(enum vw_kind k)
{
#define VW_KIND_NAME(name, str) str,
	static const char *const names[] = {VW_FINDING_KINDS(VW_KIND_NAME)};
#undef VW_KIND_NAME
	return (unsigned)k < VW_K_COUNT ? names[k] : "unknown";
}

const char *vw_severity_name(enum vw_severity s)
{
	switch (s) {
	case VW_SEV_CRITICAL:
		return "critical";
	case VW_SEV_WARNING:
		return "warning";
	default:
		return "info";
	}
}

void vw_findings_init(struct vw_findings *l)
{
	memset(l, 0, sizeof(*l));
	l->max = VW_FINDINGS_MAX;
	l->last_raised = SIZE_MAX;
}

void vw_findings_free(struct vw_findings *l)
{
	free(l->v);
	free(l->raised);
	free(l->is_open);
	free(l->serial);
	free(l->writes);
	free(l->held);
	vw_pos_index_free(&l->by_identity);
	free(l->victims);
	free(l->refused_set);
	free(l->forgotten);
	free(l->source_marks);
	memset(l, 0, sizeof(*l));
}

void vw_findings_begin_tick(struct vw_findings *l)
{
	/* a held finding counts as raised at every tick (vw_findings_hold) */
	if (l->n && l->n_held)
		memcpy(l->raised, l->held, l->n * sizeof(*l->raised));
	else if (l->n)
		memset(l->raised, 0, l->n * sizeof(*l->raised));
	l->changes = 0;
	l->refused = 0;
	l->victims_built = false;
	if (l->n_refused_set)
		memset(l->refused_set, 0, 2 * VW_FINDINGS_REFUSED_SET * sizeof(*l->refused_set));
	l->n_refused_set = 0;
	l->n_forgotten = 0;
	l->forgotten_more = 0;
}

static bool same_domain(const struct vw_domain_id *a, const struct vw_domain_id *b)
{
	return a->segment == b->segment && a->vlan[0] == b->vlan[0] && a->vlan[1] == b->vlan[1] &&
	       a->family == b->family && a->vrid == b->vrid && !strcmp(a->receivers, b->receivers);
}

static bool same_identity(const struct vw_finding *a, const struct vw_finding *b)
{
	return a->kind == b->kind && same_domain(&a->d, &b->d) && !strcmp(a->subject, b->subject);
}

/* --- the index by identity: open addressing, linear probing ------------- */

static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* Eight bytes a step: a finding's identity is hashed at every raise, and
 * its receivers and subject run to dozens of bytes. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t w;

	for (; len >= 8; b += 8, len -= 8) {
		memcpy(&w, b, 8);
		h = mix(h, w);
	}
	w = 0;
	memcpy(&w, b, len);
	return mix(mix(h, w), len);
}

static uint64_t identity_hash(const struct vw_finding *f)
{
	uint64_t h = (uint64_t)f->kind << 48 ^ (uint64_t)f->d.family << 40 ^
		     (uint64_t)f->d.vrid << 32 ^ f->d.segment;

	h = mix(h, (uint64_t)f->d.vlan[0] << 32 | f->d.vlan[1]);
	h = hash_bytes(h, f->d.receivers, strnlen(f->d.receivers, sizeof(f->d.receivers)));
	return hash_bytes(h, f->subject, strnlen(f->subject, sizeof(f->subject)));
}

static bool has_identity(const void *v, uint32_t pos, const void *f)
{
	return same_identity(&((const struct vw_finding *)v)[pos], f);
}

static uint64_t identity_hash_at(const void *v, uint32_t pos)
{
	return identity_hash(&((const struct vw_finding *)v)[pos]);
}

/* The slot holding f's identity, or the empty slot where it would go. */
static size_t index_slot(const struct vw_findings *l, const struct vw_finding *f)
{
	return vw_pos_slot(&l->by_identity, identity_hash(f), has_identity, l->v, f);
}

static int index_rebuild(struct vw_findings *l, size_t n_index)
{
	return vw_pos_index_rebuild(&l->by_identity, n_index, l->v, l->n, identity_hash_at);
}

/* Remove finding i from the index. */
static void index_remove(struct vw_findings *l, size_t i)
{
	vw_pos_index_remove(&l->by_identity, index_slot(l, &l->v[i]), l->v, identity_hash_at);
}

/* Room for one more finding in each of the parallel arrays, which share
 * l->cap (a failure leaves the grown ones larger than it says: harmless). */
static int grow(struct vw_findings *l)
{
	size_t need = l->n + 1, c;
	struct vw_finding *v;
	bool *r;
	uint64_t *sn, *w;

	c = l->cap;
	if (!(v = vw_grow(l->v, &c, need, sizeof(*v), 16)))
		return -ENOMEM;
	l->v = v;
	c = l->cap;
	if (!(r = vw_grow(l->raised, &c, need, sizeof(*r), 16)))
		return -ENOMEM;
	l->raised = r;
	c = l->cap;
	if (!(r = vw_grow(l->is_open, &c, need, sizeof(*r), 16)))
		return -ENOMEM;
	l->is_open = r;
	c = l->cap;
	if (!(sn = vw_grow(l->serial, &c, need, sizeof(*sn), 16)))
		return -ENOMEM;
	l->serial = sn;
	c = l->cap;
	if (!(w = vw_grow(l->writes, &c, need, sizeof(*w), 16)))
		return -ENOMEM;
	l->writes = w;
	c = l->cap;
	if (!(r = vw_grow(l->held, &c, need, sizeof(*r), 16)))
		return -ENOMEM;
	l->held = r;
	l->cap = c;
	return 0;
}

static void copy_text(char *dst, const char *text)
{
	vw_str_copy(dst, VW_FINDING_TEXT, text);
}

/* Evidence e as far as it is in use: its address list (192 bytes of room,
 * a few dozen used) to its end. */
static void copy_evidence(struct vw_evidence *dst, const struct vw_evidence *e)
{
	memcpy(dst, e, offsetof(struct vw_evidence, addresses));
	vw_str_copy(dst->addresses, sizeof(dst->addresses), e->addresses);
}

#define SPAN(from, to) (offsetof(struct vw_finding, to) - offsetof(struct vw_finding, from))

/* *dst = *f as far as it is in use: the evidence and rows of its n_src
 * sources, the texts to their ends.  A finding is 3.6 KB, most of it room
 * (8 sources, 640-byte texts), and a long replay raises one thousands of
 * times. */
static void copy_finding(struct vw_finding *dst, const struct vw_finding *f)
{
	memcpy(dst, f, offsetof(struct vw_finding, src));
	for (unsigned i = 0; i < f->n_src; i++)
		copy_evidence(&dst->src[i], &f->src[i]);
	memcpy(&dst->n_src, &f->n_src, SPAN(n_src, rows));
	memcpy(dst->rows, f->rows, f->n_src * sizeof(f->rows[0]));
	memcpy(&dst->first_ns, &f->first_ns, SPAN(first_ns, message));
	copy_text(dst->message, f->message);
	copy_text(dst->advice, f->advice);
}

/* Finding i raised again, spanning first_ns..last_ns (never ending before
 * it starts): it keeps the first time ever seen and the latest end, counts
 * the raise where it is an event or opens the finding again, and is raised
 * at this tick.  Shared by the full raise (update) and the raise in place
 * (vw_findings_raise_source). */
static void count_raise(struct vw_findings *l, size_t i, uint64_t first_ns, uint64_t last_ns,
			bool event)
{
	struct vw_finding *old = &l->v[i];
	bool was_open = old->open;

	if (first_ns < old->first_ns)
		old->first_ns = first_ns;
	if (last_ns > old->last_ns)
		old->last_ns = last_ns;
	old->count += event || !was_open ? 1 : 0;
	old->open = !event;
	if (!was_open && !event)
		l->changes++;
	l->is_open[i] = old->open;
	l->raised[i] = true;
}

/* Finding i takes f's evidence and text, and counts the raise. */
static void update(struct vw_findings *l, size_t i, const struct vw_finding *f)
{
	struct vw_finding *old = &l->v[i];
	uint64_t first = old->first_ns, last = old->last_ns;
	unsigned count = old->count;
	bool open = old->open;

	copy_finding(old, f);
	old->first_ns = first;
	old->last_ns = last;
	old->count = count;
	old->open = open;
	count_raise(l, i, f->first_ns, f->last_ns, f->event);
}

static void merge_sources(struct vw_finding *old, const struct vw_finding *f)
{
	struct vw_finding merged = *f;

	for (unsigned i = 0; i < old->n_src && merged.n_src < VW_FINDING_MAX_SOURCES; i++) {
		bool have = false;
		for (unsigned j = 0; j < merged.n_src; j++)
			have |= !memcmp(merged.src[j].src, old->src[i].src, 16) &&
				!memcmp(merged.src[j].mac, old->src[i].mac, 6);
		if (!have)
			merged.src[merged.n_src++] = old->src[i];
	}
	merged.first_ns = old->first_ns < f->first_ns ? old->first_ns : f->first_ns;
	merged.last_ns = old->last_ns > f->last_ns ? old->last_ns : f->last_ns;
	merged.count = old->count;
	merged.open = old->open;
	*old = merged;
}

/* --- the cap ------------------------------------------------------------ */

/* Least important first: least severe, closed (and events) before open,
 * oldest, then the order kept. */
static int cmp_victims(const void *pa, const void *pb, void *ctx)
{
	const struct vw_findings *l = ctx;
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	const struct vw_finding *a = &l->v[ia], *b = &l->v[ib];

	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	if (a->open != b->open)
		return a->open ? 1 : -1;
	if (a->last_ns != b->last_ns)
		return a->last_ns < b->last_ns ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

/* The finding to give up for f (1, its index in *victim), or 0 when every
 * one kept matters as much, or -ENOMEM: candidates are sorted once per
 * tick; those raised since are skipped. */
static int pick_victim(struct vw_findings *l, const struct vw_finding *f, size_t *victim)
{
	if (!l->victims_built && l->n_held)
		l->settle(l->settle_ctx); /* candidates as of now, none held */
	if (!l->victims_built) {
		size_t *v = realloc(l->victims, (l->n + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->victims = v;
		l->n_victims = 0;
		for (size_t i = 0; i < l->n; i++)
			if (!l->raised[i])
				v[l->n_victims++] = i;
		qsort_r(v, l->n_victims, sizeof(*v), cmp_victims, l);
		l->victim_at = 0;
		l->victims_built = true;
	}
	while (l->victim_at < l->n_victims) {
		size_t i = l->victims[l->victim_at];
		const struct vw_finding *v = &l->v[i];
		if (l->raised[i]) { /* raised again since: not a candidate */
			l->victim_at++;
			continue;
		}
		/* f holds now: it outranks a closed one of its severity, not an open one */
		if (v->severity > f->severity || (v->severity == f->severity && v->open))
			return 0;
		l->victim_at++;
		*victim = i;
		return 1;
	}
	return 0;
}

/* Count f refused, once per identity and tick (the wire rule and the
 * config rule may raise the same one).  Past VW_FINDINGS_REFUSED_SET
 * distinct ones in a tick (or short of memory for the set), every
 * refusal counts. */
static void refuse(struct vw_findings *l, const struct vw_finding *f)
{
	const size_t slots = 2 * VW_FINDINGS_REFUSED_SET, mask = slots - 1;
	uint64_t h = identity_hash(f);

	if (!h)
		h = 1;
	if (!l->refused_set)
		l->refused_set = calloc(slots, sizeof(*l->refused_set));
	if (l->refused_set) {
		size_t i;
		for (i = h & mask; l->refused_set[i]; i = (i + 1) & mask)
			if (l->refused_set[i] == h)
				return; /* refused already this tick */
		if (l->n_refused_set < VW_FINDINGS_REFUSED_SET) {
			l->refused_set[i] = h;
			l->n_refused_set++;
		}
	}
	l->refused++;
	if (l->refused > l->refused_most)
		l->refused_most = l->refused;
}

/* Finding i, open, is about to be forgotten: keep a copy for the lines. */
static void remember_forgotten(struct vw_findings *l, size_t i)
{
	if (!l->forgotten) {
		l->forgotten = malloc(VW_FINDINGS_FORGOTTEN_KEPT * sizeof(*l->forgotten));
		if (!l->forgotten) {
			l->forgotten_more++;
			return;
		}
	}
	if (l->n_forgotten < VW_FINDINGS_FORGOTTEN_KEPT)
		l->forgotten[l->n_forgotten++] = l->v[i];
	else
		l->forgotten_more++;
}

int vw_findings_raise(struct vw_findings *l, const struct vw_finding *f)
{
	size_t max = l->max ? l->max : VW_FINDINGS_MAX;
	size_t i, slot;
	struct vw_finding spanned;

	/* A finding never ends before it starts: sources whose adverts never
	 * overlapped (one stopped before the other began) span an instant. */
	if (f->last_ns < f->first_ns) {
		spanned = *f;
		spanned.last_ns = spanned.first_ns;
		f = &spanned;
	}

	l->last_raised = SIZE_MAX;
	if (!l->by_identity.n && index_rebuild(l, 64))
		return -ENOMEM;
	slot = index_slot(l, f);
	if (l->by_identity.slot[slot]) {
		i = l->by_identity.slot[slot] - 1;
		if (l->held[i])
			l->settle(l->settle_ctx); /* merged or updated as of now */
		l->last_raised = i;
		l->writes[i]++;
		if (l->raised[i] && !f->event) {
			/* raised twice in one tick (the wire rule, then the same
			 * finding told against the config): one finding, the later
			 * text, the sources of both */
			merge_sources(&l->v[i], f);
			return 0;
		}
		update(l, i, f);
		return 0;
	}
	if (l->n >= max) {
		int rc = pick_victim(l, f, &i);
		if (rc < 0)
			return rc;
		if (!rc) {
			refuse(l, f);
			return 0;
		}
		if (l->v[i].open) {
			l->changes++; /* it closes, forgotten */
			remember_forgotten(l, i);
		}
		index_remove(l, i);
		l->dropped++;
	} else {
		if (l->n == l->cap && grow(l))
			return -ENOMEM;
		if (vw_pos_index_crowded(&l->by_identity, l->n + 1) &&
		    index_rebuild(l, l->by_identity.n * 2))
			return -ENOMEM;
		i = l->n++;
	}
	copy_finding(&l->v[i], f);
	l->v[i].count = 1;
	l->v[i].open = l->is_open[i] = !f->event;
	l->raised[i] = true;
	l->serial[i] = ++l->next_serial;
	l->writes[i] = 1;
	l->held[i] = false;
	l->by_identity.slot[index_slot(l, f)] = (uint32_t)(i + 1);
	l->changes++;
	l->last_raised = i;
	return 0;
}

bool vw_findings_touchable(const struct vw_findings *l, size_t i, uint64_t serial,
			   uint64_t writes)
{
	return i < l->n && l->serial[i] == serial && l->writes[i] == writes && l->is_open[i] &&
	       !l->raised[i];
}

/* The end a raise of sources whose earliest last advert is last gives
 * (until: the end its rule gives past theirs), as vw_findings_raise spans
 * it; update() keeps the later one. */
static void extend(struct vw_finding *old, uint64_t last, uint64_t until, uint64_t first_ns)
{
	if (until > last)
		last = until;
	if (last < first_ns)
		last = first_ns;
	if (last > old->last_ns)
		old->last_ns = last;
}

void vw_findings_touch(struct vw_findings *l, size_t i, const struct vw_row *const *rows,
		       unsigned n_src, uint64_t first_ns, uint64_t until)
{
	struct vw_finding *old = &l->v[i];
	uint64_t last = UINT64_MAX;

	/* what vw_finding_add_source takes from each row, and update() keeps */
	for (unsigned k = 0; k < n_src; k++) {
		const struct vw_obs_val *v = &rows[k]->val;
		old->src[k].packets = v->packets;
		old->src[k].csum_variant = v->csum_variant; /* judge.c: a broken advert */
		old->src[k].first_ns = v->first_ns;
		old->src[k].last_ns = v->last_ns;
		if (v->last_ns < last)
			last = v->last_ns;
	}
	extend(old, last, until, first_ns);
	l->raised[i] = true;
}

void vw_findings_hold(struct vw_findings *l, size_t i)
{
	l->n_held += !l->held[i];
	l->held[i] = true;
}

void vw_findings_held_variant(struct vw_findings *l, size_t i, unsigned k, uint8_t variant)
{
	l->v[i].src[k].csum_variant = variant;
}

void vw_findings_unhold(struct vw_findings *l, size_t i, bool raised)
{
	l->n_held -= l->held[i];
	l->held[i] = false;
	l->raised[i] = raised;
}

void vw_findings_catch_up(struct vw_findings *l, size_t i, const uint64_t *packets,
			  const uint64_t *last_ns, const uint64_t *src_first_ns, unsigned n_src,
			  uint64_t first_ns, uint64_t until)
{
	struct vw_finding *old = &l->v[i];
	uint64_t last = UINT64_MAX;

	for (unsigned k = 0; k < n_src; k++) {
		old->src[k].packets = packets[k];
		old->src[k].last_ns = last_ns[k];
		old->src[k].first_ns = src_first_ns[k];
		if (last_ns[k] < last)
			last = last_ns[k];
	}
	extend(old, last, until, first_ns);
}

/* --- per-source findings raised again in place -------------------------- */

_Static_assert(VW_K_COUNT <= 256, "a source mark keeps the kind in a byte");
_Static_assert((VW_FINDINGS_SOURCE_MARKS & (VW_FINDINGS_SOURCE_MARKS - 1)) == 0,
	       "the source marks are indexed by a mask");

/* Marks are kept in sets of this many, the most recently marked (raised
 * in full) first: with fewer, sources whose marks share a set would push
 * each other out at every raise (187 sources in 512 sets of two: three
 * sets of three, 426 raises in full beyond the first in the benchmark's
 * hour; in sets of four, none). */
#define MARK_WAYS 4u

_Static_assert(VW_FINDINGS_SOURCE_MARKS % MARK_WAYS == 0, "whole sets of marks");

/* The set of marks that keeps kind's finding about r's source. */
static struct vw_source_mark *source_set(struct vw_source_mark *marks, enum vw_kind kind,
					 const struct vw_row *r)
{
	uint64_t a, b;

	memcpy(&a, r->key.src, 8);
	memcpy(&b, r->key.src + 8, 8);
	uint64_t h = mix(mix((uint64_t)kind << 8 | r->key.family, a), b);
	return &marks[MARK_WAYS * (h & (VW_FINDINGS_SOURCE_MARKS / MARK_WAYS - 1))];
}

static bool marks_source(const struct vw_source_mark *m, enum vw_kind kind,
			 const struct vw_row *r)
{
	return m->serial && m->kind == kind && m->family == r->key.family &&
	       !memcmp(m->src, r->key.src, sizeof(m->src));
}

/* The way of set m that marks kind's finding about r's source, or
 * MARK_WAYS. */
static unsigned way_of(const struct vw_source_mark *m, enum vw_kind kind,
		       const struct vw_row *r)
{
	unsigned k = 0;

	while (k < MARK_WAYS && !marks_source(&m[k], kind, r))
		k++;
	return k;
}

void vw_findings_mark_source(struct vw_findings *l, enum vw_kind kind, const struct vw_row *r)
{
	size_t at = l->last_raised;

	if (at >= l->n || at > UINT32_MAX)
		return; /* refused: nothing to find again */
	if (!l->source_marks &&
	    !(l->source_marks = calloc(VW_FINDINGS_SOURCE_MARKS, sizeof(*l->source_marks))))
		return; /* raised in full each time: only slower */
	struct vw_source_mark *m = source_set(l->source_marks, kind, r);
	unsigned k = way_of(m, kind, r);
	if (k == MARK_WAYS)
		k--; /* the least recent goes */
	memmove(&m[1], &m[0], k * sizeof(*m));
	m->serial = l->serial[at];
	m->at = (uint32_t)at;
	m->kind = (uint8_t)kind;
	m->family = r->key.family;
	memcpy(m->src, r->key.src, sizeof(m->src));
}

/* Finding at, marked for kind's finding about r's source, is the one a
 * raise of it in domain d would update: the mark's identity is the
 * finding's while its serial holds (a finding never changes identity; one
 * put in its place gets a new serial), the subject follows from kind and
 * the address, so kind, address and domain tell the identity. */
static bool marked_here(const struct vw_findings *l, const struct vw_source_mark *m,
			const struct vw_domain_id *d)
{
	return m->at < l->n && l->serial[m->at] == m->serial && same_domain(&l->v[m->at].d, d);
}

struct vw_finding *vw_findings_raise_source(struct vw_findings *l, enum vw_kind kind,
					    const struct vw_domain_id *d,
					    const struct vw_row *r, uint64_t first_ns,
					    uint64_t last_ns, bool event)
{
	if (!l->source_marks)
		return NULL;
	const struct vw_source_mark *m = source_set(l->source_marks, kind, r);
	unsigned k = way_of(m, kind, r);
	/* raised at this tick already, a full raise merges; a held finding
	 * counts as raised (vw_findings_begin_tick) and a full raise settles
	 * its holder first */
	if (k == MARK_WAYS || !marked_here(l, &m[k], d) || l->raised[m[k].at])
		return NULL;
	m += k;
	size_t i = m->at;
	struct vw_finding *old = &l->v[i];

	/* what vw_findings_raise does with a finding it found, of one source:
	 * its span never ending before it starts, update() */
	if (last_ns < first_ns)
		last_ns = first_ns;
	vw_evidence_from_row(&old->src[0], r);
	old->rows[0] = r;
	old->n_src = 1;
	old->event = event;
	count_raise(l, i, first_ns, last_ns, event);
	l->writes[i]++;
	l->last_raised = i;
	return old;
}

_Static_assert(sizeof(bool) == 1, "vw_findings_end_tick reads eight flags as one word");

/* Close what findings first..end hold open and the tick did not raise. */
static void close_unraised(struct vw_findings *l, size_t first, size_t end)
{
	for (size_t i = first; i < end; i++)
		if (l->is_open[i] && !l->raised[i]) {
			l->v[i].open = l->is_open[i] = false;
			l->changes++;
		}
}

void vw_findings_end_tick(struct vw_findings *l)
{
	size_t i = 0, n_open = 0;

	/* eight flags a step (each 0 or 1): most ticks close nothing */
	for (; i + 8 <= l->n; i += 8) {
		uint64_t open, raised;
		memcpy(&open, l->is_open + i, 8);
		memcpy(&raised, l->raised + i, 8);
		if (open & ~raised)
			close_unraised(l, i, i + 8);
		/* the bytes' sum (each 0 or 1) in the top byte: a multiply,
		 * where popcount without -mpopcnt is a call into libgcc */
		n_open += (size_t)(((open & raised) * 0x0101010101010101ull) >> 56);
	}
	close_unraised(l, i, l->n);
	for (; i < l->n; i++)
		n_open += l->is_open[i];
	l->n_open = n_open;
}

static int cmp_findings(const void *pa, const void *pb)
{
	const struct vw_finding *a = *(const struct vw_finding *const *)pa;
	const struct vw_finding *b = *(const struct vw_finding *const *)pb;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = strcmp(a->interface, b->interface)))
		return c;
	for (int i = 0; i < VW_MAX_VLAN; i++)
		if (a->d.vlan[i] != b->d.vlan[i])
			return a->d.vlan[i] < b->d.vlan[i] ? -1 : 1;
	if (a->d.vrid != b->d.vrid)
		return a->d.vrid < b->d.vrid ? -1 : 1;
	if (a->d.family != b->d.family)
		return a->d.family < b->d.family ? -1 : 1;
	if ((c = strcmp(a->d.receivers, b->d.receivers)))
		return c;
	return strcmp(a->subject, b->subject);
}

const struct vw_finding **vw_findings_sorted(const struct vw_findings *l)
{
	const struct vw_finding **v = malloc((l->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		v[i] = &l->v[i];
	qsort(v, l->n, sizeof(*v), cmp_findings);
	return v;
}

bool vw_findings_alarming(const struct vw_findings *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].severity >= VW_SEV_WARNING)
			return true;
	return false;
}

void vw_evidence_from_row(struct vw_evidence *e, const struct vw_row *r)
{
	/* cleared up to its address list only: the list is written below and
	 * read to its end only (copy_evidence) */
	memset(e, 0, offsetof(struct vw_evidence, addresses));
	e->family = r->key.family;
	e->dir = r->key.dir;
	e->priority = r->val.priority;
	e->version = r->val.version;
	e->auth_type = r->val.auth_type;
	e->csum_variant = r->val.csum_variant;
	memcpy(e->src, r->key.src, sizeof(e->src));
	memcpy(e->mac, r->key.src_mac, sizeof(e->mac));
	e->interval_cs = r->val.interval_cs;
	e->packets = r->val.packets;
	e->first_ns = r->val.first_ns;
	e->last_ns = r->val.last_ns;
	vw_row_addresses_str(r, 8, e->addresses, sizeof(e->addresses));
}
