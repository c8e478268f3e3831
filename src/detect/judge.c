// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * judge.c - judge a collision domain again only when it changed (see
 * judge.h for why this gives the findings of judging it every tick).
 */
#include "detect/judge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detector.h"
#include "util/grow.h"

/* A row of dom's judged members, and its activity (NULL if not one). */
static const struct vw_member *member_of_row(const struct vw_domain *dom, const struct vw_row *r)
{
	for (size_t i = 0; i < dom->n; i++)
		if (dom->m[i].row == r)
			return &dom->m[i];
	return NULL;
}

/* The end a silent-span raise of rows x, y gives past theirs. */
static uint64_t silent_until(const struct vw_domain *dom, const struct vw_row *const *rows)
{
	const struct vw_member *x = member_of_row(dom, rows[0]), *y = member_of_row(dom, rows[1]);

	if (!x || !y || !x->act || !y->act)
		return UINT64_MAX; /* never replayable */
	return vw_wire_silent_until(x->row, x->act, y->row, y->act);
}

/* What a raise was made of: the rows it took its evidence from, its span
 * as the rule gave it, whether an event. */
struct raise_of {
	const struct vw_row *const *rows;
	unsigned n_src;
	uint64_t first_ns, last_ns;
	bool event;
};

static struct raise_of raise_of(const struct vw_finding *f)
{
	return (struct raise_of){f->rows, f->n_src, f->first_ns, f->last_ns, f->event};
}

/* f spans what vw_finding_add_source made of its rows, all of them this
 * domain's (and for a silent span, what vw_wire_silent_until adds): raising
 * it again needs nothing but their counters and times. */
static bool replayable(const struct vw_domain *dom, const struct raise_of *f, bool silent)
{
	uint64_t first = 0, last = UINT64_MAX;

	if (f->event || !f->n_src || (silent && f->n_src != 2))
		return false;
	for (unsigned i = 0; i < f->n_src; i++) {
		const struct vw_member *m = member_of_row(dom, f->rows[i]);
		if (!m || !m->act)
			return false;
		if (m->act->start_ns > first)
			first = m->act->start_ns;
		if (f->rows[i]->val.last_ns < last)
			last = f->rows[i]->val.last_ns;
	}
	if (silent) {
		uint64_t until = silent_until(dom, f->rows);
		if (until == UINT64_MAX)
			return false;
		if (until > last)
			last = until;
	}
	return f->first_ns == first && f->last_ns == last;
}

static struct vw_raised *add_raised(struct vw_judged *j)
{
	struct vw_raised *v = vw_grow(j->raised, &j->cap_raised, j->n_raised + 1, sizeof(*v), 2);

	if (!v)
		return NULL;
	j->raised = v;
	return &j->raised[j->n_raised++];
}

/* Where the findings list put the raise just made: none (SIZE_MAX) when
 * the finding there has other sources than the raise (it merged those of
 * an earlier raise), which touching it from the raise's rows would not
 * bring up to date. */
static void note_where(const struct vw_findings *l, struct vw_raised *r)
{
	r->at = l->last_raised;
	if (r->at < l->n && l->v[r->at].n_src != r->n_src)
		r->at = SIZE_MAX;
	if (r->at < l->n) {
		r->serial = l->serial[r->at];
		r->writes = l->writes[r->at];
	}
}

void vw_judge_silent_span(struct vw_detector *d, bool one_pair)
{
	struct vw_judged *j = d->judging;

	if (!j || d->judging_masters)
		return;
	if (one_pair)
		j->silent_span = true;
	else
		j->steady = false; /* judged again at every tick */
}

static struct vw_raised *add_source(struct vw_judged *j)
{
	struct vw_raised *v =
		vw_grow(j->sources, &j->cap_sources, j->n_sources + 1, sizeof(*v), 2);

	if (!v)
		return NULL;
	j->sources = v;
	return &j->sources[j->n_sources++];
}

/* A raise of the per-source rules of a quiet domain (vw_judge_sources),
 * kept to be raised again from its row alone: one source, its span what
 * the row says, where the list put it. */
static void keep_source_raise(struct vw_detector *d, struct vw_judged *j,
			      const struct raise_of *f)
{
	const struct vw_domain *dom = &d->domains.d[j - d->judged];
	struct vw_raised *r;

	if (j->sources_lost || f->n_src != 1 || !replayable(dom, f, false) ||
	    !(r = add_source(j))) {
		j->sources_lost = true;
		return;
	}
	r->first_ns = f->first_ns;
	r->n_src = f->n_src;
	r->step = VW_WIRE_SOURCES;
	r->silent_span = false;
	memcpy(r->rows, f->rows, f->n_src * sizeof(*r->rows));
	note_where(&d->findings, r);
	if (r->at == SIZE_MAX)
		j->sources_lost = true;
}

static void capture(struct vw_detector *d, const struct raise_of *f)
{
	struct vw_judged *j = d->judging;
	struct vw_raised *r;

	if (!j)
		return;
	if (d->judging_sources) {
		keep_source_raise(d, j, f);
		return;
	}
	if (d->judging_masters) { /* see vw_masters_idle: it raises nothing then */
		j->masters_idle = false;
		return;
	}
	bool silent = j->silent_span;

	j->silent_span = false;
	if (!j->steady)
		return;
	if (!replayable(&d->domains.d[j - d->judged], f, silent) || !(r = add_raised(j))) {
		j->steady = false; /* judged again next tick: only slower */
		return;
	}
	r->first_ns = f->first_ns;
	r->n_src = f->n_src;
	r->step = j->step;
	r->silent_span = silent;
	memcpy(r->rows, f->rows, f->n_src * sizeof(*r->rows));
	note_where(&d->findings, r);
}

void vw_judge_capture(struct vw_detector *d, const struct vw_finding *f)
{
	struct raise_of r = raise_of(f);

	capture(d, &r);
}

void vw_judge_capture_source(struct vw_detector *d, const struct vw_row *row, uint64_t first_ns,
			     uint64_t last_ns, bool event)
{
	struct raise_of r = {&row, 1, first_ns, last_ns, event};

	capture(d, &r);
}

/* Steady: no flood cut, one row per source, and every two sources
 * already advertising together for longer than their master-down
 * interval (rules_wire.c compares that overlap, which only grows while
 * nothing changes). */
static bool steady(const struct vw_domain *dom)
{
	if (dom->n != dom->n_all)
		return false;
	for (size_t i = 0; i < dom->n; i++)
		for (size_t k = 0; k < i; k++) {
			const struct vw_member *a = &dom->m[i], *b = &dom->m[k];
			uint64_t md = vw_member_master_down(a), mb = vw_member_master_down(b);
			if (!memcmp(a->row->key.src, b->row->key.src, 16))
				return false; /* which of its rows is heard last moves */
			if (vw_activity_overlap_ns(a->act, b->act) < (md > mb ? md : mb))
				return false;
		}
	return true;
}

static bool changed_since(const struct vw_domain *dom, uint64_t gen)
{
	for (size_t i = 0; i < dom->n_all; i++)
		if (dom->m[i].act->changed_gen > gen)
			return true;
	return false;
}

/* More than the checksum and TTL state of a row changed. */
static bool restructured_since(const struct vw_domain *dom, uint64_t gen)
{
	for (size_t i = 0; i < dom->n_all; i++)
		if (dom->m[i].act->structure_gen > gen)
			return true;
	return false;
}

/* The steps that read the rows' checksum and TTL state (judge.h). */
static bool reads_checksums(enum vw_wire_step step)
{
	return step == VW_WIRE_DIALECT || step == VW_WIRE_SOURCES;
}

/* The last judgment's findings are in the list as it left them. */
static bool touchable(const struct vw_detector *d, const struct vw_judged *j)
{
	for (size_t k = 0; k < j->n_raised; k++) {
		const struct vw_raised *r = &j->raised[k];
		if (!vw_findings_touchable(&d->findings, r->at, r->serial, r->writes))
			return false;
	}
	return true;
}

/* Raise r again, with the evidence of now. */
static void touch(struct vw_detector *d, const struct vw_domain *dom, const struct vw_raised *r)
{
	uint64_t until = r->silent_span ? silent_until(dom, r->rows) : 0;

	if (until == UINT64_MAX) /* not its rows any more: cannot be (replayable) */
		until = 0;

	vw_findings_touch(&d->findings, r->at, r->rows, r->n_src, r->first_ns, until);
}

static void raise_again(struct vw_detector *d, const struct vw_judged *j,
			const struct vw_domain *dom)
{
	for (size_t k = 0; k < j->n_raised; k++)
		touch(d, dom, &j->raised[k]);
}

static void judge_wire(struct vw_detector *d, struct vw_judged *j, const struct vw_domain *dom)
{
	int error = d->error;

	j->n_raised = 0;
	j->steady = steady(dom);
	d->judging = j;
	vw_rules_wire(d, dom);
	d->judging = NULL;
	if (d->error != error) /* what it could not raise must not be taken as nothing */
		j->steady = false;
}

/* Only the checksum and TTL state changed: the steps that read it run,
 * the others raise their last raises again (vw_judge_step).  The domain
 * stays steady: what the pair rules compare did not move. */
static void judge_checksums(struct vw_detector *d, struct vw_judged *j,
			    const struct vw_domain *dom)
{
	struct vw_raised *v = j->before;
	size_t cap = j->cap_before;

	j->before = j->raised;
	j->cap_before = j->cap_raised;
	j->n_before = j->n_raised;
	j->before_at = 0;
	j->raised = v;
	j->cap_raised = cap;
	j->n_raised = 0;
	j->partial = true;
	d->judging = j;
	vw_rules_wire(d, dom);
	d->judging = NULL;
	j->partial = false;
}

bool vw_judge_step(struct vw_detector *d, enum vw_wire_step step)
{
	struct vw_judged *j = d->judging;

	if (!j || d->judging_masters)
		return true;
	j->step = step;
	if (!j->partial || reads_checksums(step))
		return true;
	while (j->before_at < j->n_before && j->before[j->before_at].step < step)
		j->before_at++; /* raised by a step that ran again */
	for (; j->before_at < j->n_before && j->before[j->before_at].step == step; j->before_at++) {
		const struct vw_raised *b = &j->before[j->before_at];
		struct vw_raised *r = add_raised(j);
		touch(d, &d->domains.d[j - d->judged], b);
		if (r)
			*r = *b;
		else
			j->steady = false; /* judged in full next tick: only slower */
	}
	return false;
}

static void judge_masters(struct vw_detector *d, struct vw_judged *j,
			  const struct vw_domain *dom)
{
	size_t at = SIZE_MAX;
	bool raised_none;

	j->masters_idle = true;
	d->judging = j;
	d->judging_masters = true;
	d->masters_hint = j->masters_at; /* its state, found at the last judgment */
	vw_rules_masters(d, dom);
	d->judging_masters = false;
	d->judging = NULL;
	raised_none = j->masters_idle;
	j->masters_idle = vw_masters_idle(d, dom, &at, &j->masters_row) && raised_none;
	j->masters_at = at == SIZE_MAX ? 0 : at + 1;
	d->masters_hint = 0;
}

/* Its rows' last adverts into their activities (vw_activity_refresh):
 * the update left out those that only counted. */
static void refresh_members(struct vw_detector *d, const struct vw_domain *dom)
{
	for (size_t k = 0; k < dom->n_all; k++)
		vw_activity_refresh(&d->act.v[dom->m[k].act - d->act.v], dom->m[k].row);
}

/* Judged now, it raised nothing, and will raise nothing while its rows
 * change in nothing but their counters and last adverts: steady (the
 * wire rules are left out), the master rules idle (they only hear the
 * master of record again: vw_judge_hear_quiet). */
static bool quiet(const struct vw_detector *d, const struct vw_judged *j)
{
	return !d->judge_every_tick && j->steady && !j->n_raised && j->masters_idle &&
	       j->masters_at;
}

void vw_judge_hear_quiet(struct vw_detector *d)
{
	for (size_t i = 0; i < d->domains.n; i++)
		if (d->quiet[i])
			vw_masters_hear_record(d, d->judged[i].masters_at - 1);
}

/* Held: steady with findings raised, its master rules idle, nothing of
 * its own per-source rules kept, and every raise where the list put it,
 * open, as that raise left it, in a replay. */
static bool holdable(const struct vw_detector *d, const struct vw_judged *j)
{
	const struct vw_findings *l = &d->findings;

	if (d->judge_every_tick || !d->t->marks.on || d->error || !j->steady || !j->n_raised ||
	    !j->masters_idle || !j->masters_at || j->n_sources || j->judge_in_full)
		return false;
	for (size_t k = 0; k < j->n_raised; k++) {
		const struct vw_raised *r = &j->raised[k];
		if (r->at >= l->n || l->serial[r->at] != r->serial ||
		    l->writes[r->at] != r->writes || !l->is_open[r->at])
			return false;
	}
	return true;
}

/* What the silent span of raise r holds to while its domain is steady. */
static bool note_span(const struct vw_domain *dom, const struct vw_raised *r,
		      struct vw_silent_span *s)
{
	const struct vw_member *x = member_of_row(dom, r->rows[0]),
			       *y = member_of_row(dom, r->rows[1]);

	if (!x || !y || !x->act || !y->act)
		return false; /* cannot be: the raise was replayable */
	vw_wire_silent_span(x->row, x->act, y->row, y->act, s);
	return true;
}

/* Note where the rows of domain i's raises are, and hold their findings. */
static bool hold(struct vw_detector *d, struct vw_judged *j)
{
	const struct vw_domain *dom = &d->domains.d[j - d->judged];
	size_t n = 0;

	for (size_t k = 0; k < j->n_raised; k++)
		n += j->raised[k].n_src;
	struct vw_held_row *h = vw_grow(j->hold, &j->cap_hold, n, sizeof(*h), 4);
	if (h)
		j->hold = h;
	struct vw_silent_span *sp =
		vw_grow(j->spans, &j->cap_spans, j->n_raised, sizeof(*sp), 2);
	if (sp)
		j->spans = sp;
	if (!h || !sp)
		return false; /* visited at every tick instead: only slower */
	for (size_t k = 0; k < j->n_raised; k++)
		if (j->raised[k].silent_span && !note_span(dom, &j->raised[k], &sp[k]))
			return false;
	j->n_hold = n;
	for (size_t k = 0; k < j->n_raised; k++) {
		const struct vw_raised *r = &j->raised[k];
		for (unsigned s = 0; s < r->n_src; s++, h++) {
			h->idx = (size_t)(r->rows[s] - d->t->rows);
			h->key = r->rows[s]->key;
		}
		vw_findings_hold(&d->findings, r->at);
	}
	d->holds++;
	return true;
}

/* Held domain i's findings as its raises would have left them: at this
 * tick where the walk passed it (now), else at the tick before. */
static void release(struct vw_detector *d, size_t i)
{
	struct vw_judged *j = &d->judged[i];
	const struct vw_held_row *h = j->hold;
	bool now = i < d->walked;

	for (size_t k = 0; k < j->n_raised; k++) {
		const struct vw_raised *r = &j->raised[k];
		uint64_t packets[VW_FINDING_MAX_SOURCES], last[VW_FINDING_MAX_SOURCES],
			first[VW_FINDING_MAX_SOURCES];
		bool known = true;
		for (unsigned s = 0; s < r->n_src; s++, h++)
			known &= vw_key_values(d->t, h->idx, &h->key, now, &packets[s], &last[s],
					       &first[s]);
		uint64_t until = known && r->silent_span
					 ? vw_wire_silent_span_until(&j->spans[k], last[0], last[1])
					 : 0;
		if (known)
			vw_findings_catch_up(&d->findings, r->at, packets, last, first, r->n_src,
					     r->first_ns, until);
		else /* an eviction record lost for want of memory */
			d->error = -ENOMEM;
		vw_findings_unhold(&d->findings, r->at, now);
	}
	j->n_hold = 0;
	/* its per-source rules were to run alone at this tick, for a change
	 * no activity's changed_gen records (vw_judge_route_csum_changes):
	 * judged now, they must run */
	if (d->quiet[i] == VW_HELD_SOURCES_CHANGED)
		j->judge_in_full = true;
	d->quiet[i] = VW_JUDGE;
}

static bool held(uint8_t quiet)
{
	return quiet & VW_HELD;
}

void vw_judge_wake(struct vw_detector *d, size_t i)
{
	if (held(d->quiet[i]))
		release(d, i);
	d->quiet[i] = VW_JUDGE;
}

void vw_judge_release_all(struct vw_detector *d)
{
	for (size_t i = 0; d->findings.n_held && d->have_domains && i < d->domains.n; i++)
		if (held(d->quiet[i]))
			release(d, i);
}

void vw_judge_domain(struct vw_detector *d, size_t i)
{
	struct vw_judged *j = &d->judged[i];
	const struct vw_domain *dom = &d->domains.d[i];
	bool again = !j->gen || d->judge_every_tick || restructured_since(dom, j->gen);
	/* the raises its per-source rules kept while it was quiet go back to
	 * its judgment: in full, which raises what every rule holds */
	bool in_full = j->judge_in_full || j->n_sources;
	bool checksums;

	j->judge_in_full = false;
	j->n_sources = 0;
	refresh_members(d, dom);
	checksums = !again && changed_since(dom, j->gen);

	if (again || in_full || !j->steady || !touchable(d, j))
		judge_wire(d, j, dom);
	else if (checksums)
		judge_checksums(d, j, dom);
	else
		raise_again(d, j, dom);
	if (again || !j->masters_idle)
		judge_masters(d, j, dom);
	else
		vw_masters_heard(d, j->masters_at - 1, j->masters_row);
	j->gen = d->act.generation;
	d->quiet[i] = quiet(d, j) ? VW_QUIET : holdable(d, j) && hold(d, j) ? VW_HELD : VW_JUDGE;
}

/* Of the raises a held domain holds, none is of a rule that reads the
 * checksum and TTL state. */
static bool holds_no_checksum_raise(const struct vw_judged *j)
{
	for (size_t k = 0; k < j->n_raised; k++)
		if (reads_checksums(j->raised[k].step))
			return false;
	return true;
}

/* Its domain quiet or held, the checksum and TTL state of its rows may
 * change without waking it (judge.h): no rule but the per-source ones
 * can read the change. */
static bool sources_alone(const struct vw_detector *d, size_t i)
{
	const struct vw_domain *dom = &d->domains.d[i];
	const struct vw_judged *j = &d->judged[i];
	uint8_t q = d->quiet[i];

	if (q == VW_JUDGE || dom->n_all != dom->n || !j->gen || j->judge_in_full)
		return false;
	if (held(q) && !holds_no_checksum_raise(j))
		return false;
	return dom->n == 1 || vw_wire_one_dialect(dom);
}

/* Held domain i's findings show a's checksum variant of now in their
 * evidence, as raising them at this tick would. */
static void held_variants(struct vw_detector *d, size_t i, const struct vw_activity *a)
{
	const struct vw_domain *dom = &d->domains.d[i];
	const struct vw_judged *j = &d->judged[i];
	const struct vw_held_row *h = j->hold;
	const struct vw_row *row = NULL;

	for (size_t k = 0; k < dom->n && !row; k++)
		if (dom->m[k].act == a)
			row = dom->m[k].row;
	if (!row)
		return; /* cannot be: a is a member */
	for (size_t k = 0; k < j->n_raised; k++)
		for (unsigned s = 0; s < j->raised[k].n_src; s++, h++)
			if (vw_key_equal(&h->key, &a->key))
				vw_findings_held_variant(&d->findings, j->raised[k].at, s,
							 row->val.csum_variant);
}

void vw_judge_route_csum_changes(struct vw_detector *d)
{
	struct vw_activity_map *m = &d->act;

	for (size_t k = 0; k < m->n_csum_changed; k++) {
		struct vw_activity *a = &m->v[m->csum_changed[k]];
		size_t i = a->domain;
		if (i >= d->domains.n)
			continue; /* no domain's member: nothing to wake */
		if (sources_alone(d, i)) {
			if (held(d->quiet[i])) {
				held_variants(d, i, a);
				d->held_sources++;
			}
			d->quiet[i] = (d->quiet[i] & VW_HELD) | VW_QUIET_SOURCES_CHANGED;
		} else { /* as any change: the domain's checksum steps run */
			a->changed_gen = m->generation;
			vw_judge_wake(d, i);
		}
	}
}

/* Its per-source raises cannot be kept apart: they go back to the
 * domain's judgment, in full, at the next vw_judge_domain (where held,
 * its findings let go first). */
static void hand_back(struct vw_detector *d, size_t i)
{
	if (held(d->quiet[i]))
		release(d, i);
	d->judged[i].n_sources = 0;
	d->judged[i].judge_in_full = true;
	d->quiet[i] = VW_JUDGE;
}

void vw_judge_sources(struct vw_detector *d, size_t i)
{
	struct vw_judged *j = &d->judged[i];
	int error = d->error;
	uint8_t was_held = d->quiet[i] & VW_HELD;

	j->n_sources = 0;
	j->sources_lost = false;
	d->judging = j;
	d->judging_sources = true;
	vw_rules_sources(d, &d->domains.d[i]);
	d->judging_sources = false;
	d->judging = NULL;
	/* a raise may have had the findings list let go of what it held (a
	 * full list choosing what to give up: vw_judge_release_all) */
	if (j->sources_lost || d->error != error || was_held != (d->quiet[i] & VW_HELD))
		hand_back(d, i); /* raised now; judged in full from the next tick */
	else
		d->quiet[i] = j->n_sources ? was_held | VW_QUIET_SOURCES
					   : was_held ? VW_HELD : VW_QUIET;
}

void vw_judge_sources_again(struct vw_detector *d, size_t i)
{
	const struct vw_judged *j = &d->judged[i];

	for (size_t k = 0; k < j->n_sources; k++) {
		const struct vw_raised *r = &j->sources[k];
		if (!vw_findings_touchable(&d->findings, r->at, r->serial, r->writes)) {
			/* not as kept: judged now, in its place in the order, as a
			 * domain whose raises were touched would be */
			hand_back(d, i);
			vw_judge_domain(d, i);
			return;
		}
	}
	for (size_t k = 0; k < j->n_sources; k++) {
		const struct vw_raised *r = &j->sources[k];
		vw_findings_touch(&d->findings, r->at, r->rows, r->n_src, r->first_ns, 0);
	}
}

void vw_judged_free(struct vw_judged *j, size_t n)
{
	for (size_t i = 0; j && i < n; i++) {
		free(j[i].raised);
		free(j[i].before);
		free(j[i].sources);
		free(j[i].hold);
		free(j[i].spans);
	}
	free(j);
}
