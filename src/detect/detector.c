// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * detector.c - the tick: fold the snapshot into each advertiser's activity,
 * group advertisers into collision domains, run the rules, open and close
 * findings.  The rules live in rules_*.c, one family per file.
 */
#include "detect/config_match.h"
#include "detect/detector.h"
#include "detect/judge.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "util/strbuf.h"

/* The findings list is about to read or write a held finding (judge.h). */
static void settle_findings(void *ctx)
{
	vw_judge_release_all(ctx);
}

int vw_detector_init(struct vw_detector *d, const struct vw_detector_opts *o)
{
	memset(d, 0, sizeof(*d));
	d->o = *o;
	if (!d->o.ka_version)
		d->o.ka_version = VW_KA_DEFAULT_VERSION;
	if (!d->o.flap_window_ns)
		d->o.flap_window_ns = 60ull * 1000000000u;
	if (!d->o.flap_changes)
		d->o.flap_changes = 3;
	if (!d->o.judged_per_domain)
		d->o.judged_per_domain = VW_JUDGED_PER_DOMAIN;
	vw_findings_init(&d->findings);
	d->findings.settle = settle_findings;
	d->findings.settle_ctx = d;
	/* a switch for the tests: every domain judged at every tick */
	const char *every = getenv("VRRPWATCH_JUDGE_EVERY_TICK");
	d->judge_every_tick = every && *every && strcmp(every, "0");
	if (d->o.max_findings)
		d->findings.max = d->o.max_findings;
	int rc = vw_activity_init(&d->act);
	d->act.every_row = d->judge_every_tick;
	d->act.csum_apart = !d->judge_every_tick; /* judge.c vw_judge_sources */
	if (!rc)
		rc = vw_instances_init(d);
	if (rc)
		vw_detector_free(d);
	return rc;
}

void vw_detector_free(struct vw_detector *d)
{
	vw_judged_free(d->judged, d->domains.n);
	free(d->quiet);
	free(d->row_order);
	if (d->have_domains)
		vw_domains_free(&d->domains);
	vw_activity_free(&d->act);
	vw_findings_free(&d->findings);
	free(d->masters);
	vw_pos_index_free(&d->masters_by_domain);
	free(d->instances);
	free(d->instance_of);
	free(d->instance_master_key);
	free(d->instance_master_from_row);
	free(d->vip_state);
	memset(d, 0, sizeof(*d));
}

void vw_detector_note(struct vw_detector *d, const char *note)
{
	for (size_t i = 0; i < d->n_notes; i++)
		if (d->notes[i] == note)
			return;
	if (d->n_notes < VW_MAX_NOTES) {
		d->notes[d->n_notes++] = note;
		return;
	}
	for (size_t i = 0; i < d->n_notes_hidden; i++)
		if (d->notes_hidden[i] == note)
			return;
	if (!d->n_notes_hidden) /* the first one past: the last slot gives way */
		d->notes_hidden[d->n_notes_hidden++] = d->notes[VW_MAX_NOTES - 1];
	if (d->n_notes_hidden < VW_MAX_NOTES)
		d->notes_hidden[d->n_notes_hidden++] = note;
	else
		d->notes_hidden_full = true; /* cannot tell it apart any more */
	snprintf(d->notes_more_text, sizeof(d->notes_more_text), "%zu%s more notes not shown",
		 d->n_notes_hidden, d->notes_hidden_full ? " or" : "");
	d->notes[VW_MAX_NOTES - 1] = d->notes_more_text;
}

struct flood_tick {
	uint64_t unjudged;        /* all domains */
	size_t more;              /* domains past VW_MAX_FLOOD_NOTES */
	uint64_t more_unjudged;
};

/* A domain with more advertisers than judged: its note (the most seen). */
static void note_flood(struct vw_detector *d, const struct vw_domain *dom, struct flood_tick *ft)
{
	size_t unjudged = dom->n_all - dom->n;
	struct vw_flood_note *fl = NULL;
	char at[160];

	ft->unjudged += unjudged;
	for (size_t i = 0; i < d->n_floods && !fl; i++)
		if (vw_domain_id_equal(&d->floods[i].id, &dom->id))
			fl = &d->floods[i];
	if (!fl) {
		if (d->n_floods == VW_MAX_FLOOD_NOTES) {
			ft->more++;
			ft->more_unjudged += unjudged;
			return;
		}
		fl = &d->floods[d->n_floods++];
		memset(fl, 0, sizeof(*fl));
		fl->id = dom->id;
	}
	if (dom->n_all <= fl->most && unjudged <= fl->unjudged_most)
		return;
	if (dom->n_all > fl->most)
		fl->most = dom->n_all;
	if (unjudged > fl->unjudged_most)
		fl->unjudged_most = unjudged;
	vw_domain_where(d->t, &dom->id, at, sizeof(at));
	snprintf(fl->text, sizeof(fl->text),
		 "%zu more sources on VRID %u on %s were not judged individually (up to %zu "
		 "advertisers at once; only the %zu busiest are, and findings name those): likely "
		 "a flood of spoofed sources",
		 fl->unjudged_most, dom->id.vrid, at, fl->most, dom->n);
	vw_detector_note(d, fl->text);
}

static void note_overflows(struct vw_detector *d, const struct flood_tick *ft)
{
	const struct vw_findings *l = &d->findings;

	d->unjudged = ft->unjudged;
	if (ft->unjudged > d->unjudged_most)
		d->unjudged_most = ft->unjudged;
	if (ft->more > d->floods_more_most || ft->more_unjudged > d->floods_more_unjudged_most) {
		if (ft->more > d->floods_more_most)
			d->floods_more_most = ft->more;
		if (ft->more_unjudged > d->floods_more_unjudged_most)
			d->floods_more_unjudged_most = ft->more_unjudged;
		snprintf(d->floods_more_text, sizeof(d->floods_more_text),
			 "%zu more collision domains had more advertisers than the %zu busiest "
			 "judged individually (up to %llu sources not judged at once): likely a "
			 "flood of spoofed sources",
			 d->floods_more_most, d->o.judged_per_domain,
			 (unsigned long long)d->floods_more_unjudged_most);
		vw_detector_note(d, d->floods_more_text);
	}
	if (l->refused_most || l->dropped) {
		snprintf(d->findings_text, sizeof(d->findings_text),
			 "more findings than the %zu kept: up to %llu at one tick were not kept, "
			 "and %llu less important ones were forgotten to make room (the most severe "
			 "are kept): likely a flood of spoofed sources",
			 l->max ? l->max : (size_t)VW_FINDINGS_MAX,
			 (unsigned long long)l->refused_most, (unsigned long long)l->dropped);
		vw_detector_note(d, d->findings_text);
	}
}

static bool pinned(const struct vw_detector *d, const struct vw_row *r)
{
	return vw_is_local(d, r) || (d->o.config && vw_config_names_source(d, r));
}

/* After vw_domain_limit: this node's rows and the configured peers left
 * out of the judged take the places of the least busy judged others, up to
 * half of the judged (see VW_JUDGED_PER_DOMAIN).  Each side keeps its order
 * (busiest first), the rows that came in last among the judged, the rows
 * that gave way first among the others.  Short of memory, the busiest
 * only are judged. */
static void keep_pinned(const struct vw_detector *d, struct vw_domain *dom)
{
	size_t n = dom->n, all = dom->n_all, most = (n + 1) / 2, have = 0, p = 0;
	struct vw_member *m = dom->m, *tmp = NULL;
	bool *pin = NULL;

	if (n == all || !n)
		return;
	tmp = malloc(all * sizeof(*tmp));
	pin = malloc(all * sizeof(*pin));
	if (!tmp || !pin)
		goto out;
	for (size_t i = 0; i < all; i++)
		pin[i] = pinned(d, m[i].row);
	for (size_t i = 0; i < n; i++)
		have += pin[i];
	size_t loose = n - have; /* judged, not pinned: they may give way */
	for (size_t i = n; i < all && have + p < most && p < loose; i++)
		p += pin[i];
	if (!p)
		goto out;
	/* the p least busy loose ones give way: those at or after cut */
	size_t cut = n, seen = 0, o = 0, taken = 0;
	while (seen < p)
		seen += !pin[--cut];
	for (size_t i = 0; i < n; i++)
		if (i < cut || pin[i])
			tmp[o++] = m[i];
	for (size_t i = n; i < all && taken < p; i++)
		if (pin[i]) {
			tmp[o++] = m[i];
			taken++;
		}
	for (size_t i = cut; i < n; i++)
		if (!pin[i])
			tmp[o++] = m[i];
	taken = 0;
	for (size_t i = n; i < all; i++) {
		if (pin[i] && taken < p) {
			taken++;
			continue;
		}
		tmp[o++] = m[i];
	}
	memcpy(m, tmp, all * sizeof(*m));
out:
	free(tmp);
	free(pin);
}

/* Each member's activity knows its domain (the marks of a change). */
static void note_domains(struct vw_detector *d)
{
	const struct vw_domain_set *ds = &d->domains;

	for (size_t i = 0; i < d->act.n; i++)
		d->act.v[i].domain = SIZE_MAX;
	for (size_t i = 0; i < ds->n; i++)
		for (size_t k = 0; k < ds->d[i].n_all; k++)
			d->act.v[ds->d[i].m[k].act - d->act.v].domain = i;
}

/* A domain left quiet waits to be judged again until a row of it changes
 * (its activity's changed_gen set at this update). */
static void wake_changed(struct vw_detector *d)
{
	if (d->act.changed_lost) {
		vw_judge_release_all(d);
		memset(d->quiet, 0, d->domains.n);
	}
	for (size_t i = 0; i < d->act.n_changed; i++) {
		size_t dom = d->act.v[d->act.changed[i]].domain;
		if (dom < d->domains.n)
			vw_judge_wake(d, dom);
	}
}

/* Old domain o and new domain x: the same members (rows and activities)
 * in the same order, none left out by a flood cut. */
static bool same_members(const struct vw_domain *o, const struct vw_domain *x)
{
	if (o->n_all != x->n_all || o->n != o->n_all || x->n != x->n_all ||
	    o->unicast != x->unicast || !vw_domain_id_equal(&o->id, &x->id))
		return false;
	for (size_t k = 0; k < x->n_all; k++)
		if (o->m[k].row != x->m[k].row || o->m[k].act != x->m[k].act)
			return false;
	return true;
}

/*
 * Across a regrouping (an advertiser began or ended an episode somewhere),
 * a domain whose members are the very same rows and activities keeps what
 * judge.c knows of it and whether it was quiet, as if it had not been
 * regrouped: its rules read nothing the regrouping changed.  Judging every
 * domain in full instead cost a replay of a segment whose advertisers come
 * and go all the time 20 times tcpdump's pass.  Only where the update
 * folded only some rows (none moved: judge.c names rows by address, and
 * the old members are compared by address), and in replay (a live tick is a
 * second of wall time).  Before note_domains: the activities still name
 * their old domain.
 */
static void keep_judgments(struct vw_detector *d, const struct vw_domain_set *old,
			   struct vw_judged *old_judged, const uint8_t *old_quiet)
{
	for (size_t i = 0; i < d->domains.n; i++) {
		const struct vw_domain *x = &d->domains.d[i];
		size_t o = x->n_all ? x->m[0].act->domain : SIZE_MAX;
		if (o >= old->n || !old_judged[o].gen || !same_members(&old->d[o], x))
			continue;
		d->judged[i] = old_judged[o];
		memset(&old_judged[o], 0, sizeof(old_judged[o])); /* its lists move with it */
		d->quiet[i] = old_quiet[o];
	}
}

/* The domains as grouped at the last tick still hold: the same rows, the
 * same advertisers counting, no flood reordering them. */
static int group_domains(struct vw_detector *d, const struct vw_table *t)
{
	if (d->have_domains && !d->act.members_changed && !d->judge_every_tick) {
		wake_changed(d);
		return 0;
	}
	bool keep = d->have_domains && !d->judge_every_tick && t->marks.on && !d->act.folded_all;
	struct vw_domain_set old = d->domains;
	struct vw_judged *old_judged = d->judged;
	uint8_t *old_quiet = d->quiet;
	size_t old_n = d->have_domains ? d->domains.n : 0;

	if (d->have_domains) {
		vw_judge_hear_quiet(d);
		vw_judge_release_all(d); /* judge.c notes their rows by address */
	}
	d->judged = NULL;
	d->quiet = NULL;
	d->have_domains = false;
	memset(&d->domains, 0, sizeof(d->domains));
	int rc = 0;
	if (d->act.folded_all || !d->row_order || d->n_row_order != t->n_rows) {
		/* rows came, went or moved: sorted again (else only episodes did) */
		free(d->row_order);
		d->row_order = NULL;
		rc = vw_domains_order(t, &d->row_order);
		d->n_row_order = rc ? 0 : t->n_rows;
	}
	if (!rc && vw_domains_build_ordered(&d->domains, t, &d->act, true, d->row_order))
		rc = -ENOMEM;
	if (!rc) {
		d->judged = calloc(d->domains.n + 1, sizeof(*d->judged));
		d->quiet = calloc(d->domains.n + 1, 1);
	}
	if (!rc && (!d->judged || !d->quiet)) { /* grouped again at the next tick */
		vw_judged_free(d->judged, d->domains.n);
		d->judged = NULL;
		free(d->quiet);
		d->quiet = NULL;
		vw_domains_free(&d->domains);
		rc = -ENOMEM;
	}
	if (!rc && keep)
		keep_judgments(d, &old, old_judged, old_quiet);
	vw_judged_free(old_judged, old_n);
	free(old_quiet);
	vw_domains_free(&old);
	if (rc)
		return rc;
	note_domains(d);
	if (keep)
		wake_changed(d);
	d->have_domains = true;
	return 0;
}

/* Floods: past judged_per_domain advertisers, the busiest are judged
 * (vw_domain_limit reorders the members: the domains are grouped again
 * at the next tick). */
static void limit_floods(struct vw_detector *d, struct flood_tick *ft)
{
	struct vw_domain_set *ds = &d->domains;

	d->flooded = false;
	if (ds->most <= d->o.judged_per_domain)
		return; /* the common case, known without a look at each domain */
	for (size_t i = 0; i < ds->n; i++) {
		struct vw_domain *dom = &ds->d[i];
		if (dom->n_all <= d->o.judged_per_domain)
			continue;
		d->flooded = true;
		vw_domain_limit(dom, d->o.judged_per_domain, d->ticks - 1);
		keep_pinned(d, dom);
		note_flood(d, dom, ft);
		/* the members judged now come first among equals at the next tick */
		for (size_t j = 0; j < dom->n; j++) {
			struct vw_activity *a = vw_activity_of(&d->act, &dom->m[j].row->key);
			if (a)
				a->judged_tick = d->ticks;
		}
	}
}

/* Of eight quiet states, a bit (0x80) in the byte of each that the walk
 * visits: VW_JUDGE (0), VW_QUIET_SOURCES (2), VW_QUIET_SOURCES_CHANGED (3)
 * and their held twins (6, 7); not VW_QUIET (1) nor VW_HELD (4). */
static uint64_t to_visit(uint64_t w)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
	uint64_t zero = ~(((w & low7) + low7) | w | low7); /* 0x80 where a byte is 0 */

	return zero | (w & 0x0202020202020202ull) << 6;
}

static void visit(struct vw_detector *d, size_t i)
{
	d->walked = i + 1;
	switch (d->quiet[i]) {
	case VW_JUDGE:
		vw_judge_domain(d, i);
		break;
	case VW_QUIET_SOURCES:
	case VW_HELD_SOURCES:
		vw_judge_sources_again(d, i);
		break;
	case VW_QUIET_SOURCES_CHANGED:
	case VW_HELD_SOURCES_CHANGED:
		vw_judge_sources(d, i);
		break;
	}
}

/* The domains not left quiet, in order: the wire rules, then the master
 * rules (judge.c); and the quiet ones' per-source rules where they have
 * any.  Most are quiet or held at most ticks: found eight at a time, and
 * passed over without a branch each (in a long capture which of them is
 * held changes from tick to tick). */
static void judge_unquiet(struct vw_detector *d)
{
	size_t n = d->domains.n, i = 0;

	vw_judge_route_csum_changes(d);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ /* byte k of the word: its bits 8k.. */
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, d->quiet + i, 8);
		for (uint64_t m = to_visit(w); m;) {
			unsigned b = (unsigned)__builtin_ctzll(m) / 8;
			visit(d, i + b);
			/* a visit can release held domains after it (a raise that
			 * settles held findings: judge.c vw_judge_release_all),
			 * which this tick must then judge: the word read again */
			memcpy(&w, d->quiet + i, 8);
			m = b == 7 ? 0 : to_visit(w) & ~0ull << 8 * (b + 1);
		}
	}
#endif
	for (; i < n; i++)
		if (to_visit(d->quiet[i]) & 0x80) /* its byte alone: byte 0 of the word */
			visit(d, i);
}

/* Every domain quiet and no finding open after a tick, with no flood
 * cut and nothing refused or forgotten (the notes those make), nor a rule
 * that reads the clock alone: the inventory's.  (The configuration's say
 * until when they hold: calm.) */
static bool settled(const struct vw_detector *d)
{
	const struct vw_findings *l = &d->findings;

	return d->have_domains && !d->judge_every_tick && !d->error && !d->o.inventory &&
	       !d->flooded && !l->n_open && !l->refused_most && !l->dropped &&
	       !memchr(d->quiet, 0, d->domains.n);
}

/*
 * Settled after the last tick, and since then no frame was refused and no
 * address claimed (their rules read those at every tick): if the activity
 * update changes nothing either (no row changed, began or ended an episode,
 * or resigned), judging would raise nothing, close nothing and wake no
 * domain, and the configuration's rules, as long as what they read of
 * the clock holds (vw_config_holds), raise nothing either.  Such a tick
 * only moves the clocks, as most ticks of a long capture of a steady
 * segment do; and where no row is even due to be looked at, the update
 * itself is passed over (vw_activity_unchanged).
 * VRRPWATCH_JUDGE_EVERY_TICK judges every tick in full
 * (tests/e2e/test_judge_every_tick.py compares both).
 */
static bool calm(struct vw_detector *d, const struct vw_table *t, uint64_t now_ns)
{
	return d->settled && !t->n_rejects && !t->vips.n_rows &&
	       (!d->o.config || vw_config_holds(d, t, now_ns));
}

/* Every rule over the domains not left quiet; the findings none raised
 * again close. */
static void judge_tick(struct vw_detector *d, struct vw_table *t)
{
	struct flood_tick ft = {0};

	vw_findings_begin_tick(&d->findings);
	limit_floods(d, &ft);
	judge_unquiet(d);
	d->walked = SIZE_MAX;
	if (t->n_rejects)
		vw_rules_segment(d);
	if (t->vips.n_rows) /* it reads the masters of record */
		vw_judge_hear_quiet(d);
	vw_rules_vips(d);
	if (d->o.config) {
		vw_rules_config(d, &d->domains);
		vw_instances_update(d, &d->domains);
	}
	if (d->o.inventory)
		vw_rules_inventory(d);
	vw_findings_end_tick(&d->findings);
	note_overflows(d, &ft);
}

/* A calm tick that changed nothing: what judge_tick would have done. */
static void pass_tick(struct vw_detector *d, const struct vw_table *t)
{
	vw_findings_begin_tick(&d->findings); /* this tick's counts: none */
	vw_rules_vips(d);                     /* it keeps the time of every tick */
	d->unjudged = 0;
	if (!d->o.config)
		return;
	if (t->marks.on) /* replay: the report refreshes them */
		d->instances_stale = true;
	else /* live: read after every tick */
		vw_instances_update(d, &d->domains);
}

/* A calm tick at which no row is marked or due (vw_activity_unchanged):
 * it moves the clocks and does what pass_tick does, as almost every tick
 * of a day of one steady pair does. */
static void calm_tick(struct vw_detector *d, struct vw_table *t, uint64_t now_ns)
{
	vw_activity_pass(&d->act, t, now_ns);
	pass_tick(d, t);
	vw_table_close_tick(t, now_ns);
}

/* Any other tick.  Apart from calm_tick and not inlined into
 * vw_detector_tick: with link-time optimisation the rules inline into
 * it, and every calm tick paid for the stack frame and registers they
 * need (src/README.md, Replay performance). */
static __attribute__((noinline)) void busy_tick(struct vw_detector *d, struct vw_table *t,
						uint64_t now_ns, bool quiet_tick)
{
	vw_instances_catch_up(d, t); /* the rows as the last tick saw them, still */
	if (vw_activity_update(&d->act, t, now_ns) || group_domains(d, t)) {
		d->error = -ENOMEM;
		d->settled = false;
		vw_judge_release_all(d); /* as the last tick left them */
		vw_table_close_tick(t, now_ns);
		return;
	}
	if (quiet_tick && !vw_activity_changed(&d->act)) {
		pass_tick(d, t);
	} else {
		judge_tick(d, t);
		d->settled = settled(d);
	}
	vw_table_close_tick(t, now_ns); /* read: the rows evicted before this tick */
}

void vw_detector_tick(struct vw_detector *d, struct vw_table *t, uint64_t now_ns)
{
	bool quiet_tick = calm(d, t, now_ns);

	d->t = t;
	d->now_ns = now_ns;
	d->ticks++;
	d->walked = 0;
	if (quiet_tick && vw_activity_unchanged(&d->act, t, now_ns))
		calm_tick(d, t, now_ns);
	else
		busy_tick(d, t, now_ns, quiet_tick);
}

void vw_detector_settle(struct vw_detector *d)
{
	vw_judge_release_all(d);
}

void vw_finding_start(struct vw_detector *d, struct vw_finding *f, enum vw_kind kind,
		      enum vw_severity sev, const struct vw_domain_id *dom)
{
	const struct vw_segment *seg = vw_table_segment(d->t, dom->segment);
	const char *name = seg ? seg->name : "?";
	size_t len = strnlen(name, sizeof(f->interface) - 1);

	/* Rules start many findings per tick and raise few: only the head is
	 * set here (the evidence slots past n_src and the texts are written
	 * before a raise), not the whole struct. */
	f->kind = kind;
	f->severity = sev;
	f->d = *dom;
	memcpy(f->interface, name, len);
	f->interface[len] = 0;
	f->subject[0] = 0;
	f->n_src = 0;
	f->open = f->event = false;
	f->count = 0;
	f->message[0] = f->advice[0] = 0;
	f->first_ns = f->last_ns = d->now_ns;
}

/* The finding spans from when all its sources were advertising to when
 * they last all were: the oldest of their last adverts.  (The newest would
 * stretch a collision that ended when one side stopped over the whole
 * silence tolerance of its episode, during which only the other side was
 * heard.) */
void vw_source_span(const struct vw_row *r, const struct vw_activity *a, uint64_t *first_ns,
		    uint64_t *last_ns)
{
	*first_ns = a ? a->start_ns : r->val.first_ns;
	*last_ns = r->val.last_ns;
}

void vw_finding_add_source(struct vw_finding *f, const struct vw_row *r,
			   const struct vw_activity *a)
{
	uint64_t start, last;

	vw_source_span(r, a, &start, &last);
	for (unsigned i = 0; i < f->n_src; i++)
		if (!memcmp(f->src[i].src, r->key.src, 16) &&
		    !memcmp(f->src[i].mac, r->key.src_mac, 6))
			return;
	if (f->n_src == VW_FINDING_MAX_SOURCES)
		return;
	vw_evidence_from_row(&f->src[f->n_src], r);
	f->rows[f->n_src] = r;
	if (f->n_src == 0 || start > f->first_ns)
		f->first_ns = start;
	if (f->n_src == 0 || last < f->last_ns)
		f->last_ns = last;
	f->n_src++;
}

void vw_detector_raise(struct vw_detector *d, const struct vw_finding *f)
{
	if (vw_findings_raise(&d->findings, f))
		d->error = -ENOMEM;
	vw_judge_capture(d, f);
}

char *vw_detector_raise_again(struct vw_detector *d, enum vw_kind kind,
			      const struct vw_domain_id *dom, const struct vw_row *r,
			      uint64_t first_ns, uint64_t last_ns, bool event)
{
	struct vw_finding *f;

	if (d->judge_every_tick ||
	    !(f = vw_findings_raise_source(&d->findings, kind, dom, r, first_ns, last_ns, event)))
		return NULL;
	vw_judge_capture_source(d, r, first_ns, last_ns, event);
	return f->message;
}

void vw_detector_raise_source(struct vw_detector *d, const struct vw_finding *f,
			      const struct vw_row *r)
{
	vw_detector_raise(d, f);
	if (!d->judge_every_tick)
		vw_findings_mark_source(&d->findings, f->kind, r);
}

bool vw_is_local(const struct vw_detector *d, const struct vw_row *r)
{
	if (r->key.dir == VW_DIR_TX)
		return true;
	for (size_t i = 0; i < d->o.n_local; i++)
		if (d->o.local[i].family == r->key.family &&
		    !memcmp(d->o.local[i].addr, r->key.src, r->key.family == 6 ? 16 : 4))
			return true;
	return false;
}

static bool addr_listed(const struct ka_addr *list, size_t n, const struct vw_row *r)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].family == r->key.family &&
		    !memcmp(list[i].addr, r->key.src, r->key.family == 6 ? 16 : 4))
			return true;
	return false;
}

bool vw_outside_group(const struct vw_detector *d, const struct vw_row *r)
{
	bool known = false;

	if (vw_is_local(d, r) || addr_listed(d->o.peers, d->o.n_peers, r) ||
	    vw_config_names_source(d, r))
		return false;
	for (size_t i = 0; i < d->o.n_peers; i++)
		known |= d->o.peers[i].family == r->key.family;
	for (size_t i = 0; !known && d->o.config && i < d->o.config->n_inst; i++) {
		const struct ka_instance *in = &d->o.config->inst[i];
		known = !in->rejected && in->vrid == r->key.vrid && in->family == r->key.family &&
			in->n_peers;
	}
	return known;
}

uint64_t vw_member_master_down(const struct vw_member *m)
{
	const struct vw_obs_val *v = &m->row->val;

	return vw_master_down_ns(v->version, v->interval_cs, v->priority);
}

static bool same_segment(const struct vw_row *r, const struct vw_domain_id *dom)
{
	return r->key.ifindex == dom->segment && r->key.vlan[0] == dom->vlan[0] &&
	       r->key.vlan[1] == dom->vlan[1] && r->key.family == dom->family;
}

static void mark_configured(const struct vw_detector *d, const struct vw_domain_id *dom,
			    bool *used)
{
	const struct vw_segment *seg = vw_table_segment(d->t, dom->segment);

	if (!d->o.config || !seg)
		return;
	for (size_t i = 0; i < d->o.config->n_inst; i++) {
		const struct ka_instance *in = &d->o.config->inst[i];
		if (in->family == dom->family && vw_interface_matches(seg, in->interface, dom->vlan))
			used[in->vrid] = true;
	}
}

void vw_free_vrids(const struct vw_detector *d, const struct vw_domain_id *dom, char *buf,
		   size_t len)
{
	bool used[256] = {true}; /* VRID 0 is not a VRID */
	struct vw_strbuf sb;

	for (size_t i = 0; i < d->t->n_rows; i++)
		if (same_segment(&d->t->rows[i], dom))
			used[d->t->rows[i].key.vrid] = true;
	mark_configured(d, dom, used);
	vw_sb_init(&sb, buf, len);
	for (int v = 1; v < 256; v++) {
		if (used[v])
			continue;
		int end = v;
		while (end < 255 && !used[end + 1])
			end++;
		if (end == v)
			vw_sb_item(&sb, ", ", "%d", v);
		else
			vw_sb_item(&sb, ", ", "%d-%d", v, end);
		v = end;
	}
	if (!sb.items)
		vw_sb_printf(&sb, "none");
}
