// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_masters.c - who is the master of each collision domain over time,
 * as keepalived sees it: master_changed at every takeover, master_flapping
 * when that happens too often.
 *
 * Only a master sends adverts (RFC 5798 6.4), so the advertiser of record
 * of a domain is whoever advertises, from the first advert heard.  It
 * hands over the way a backup takes over in RFC 5798 6.4.2 / RFC 3768
 * 6.4.2, which is what keepalived logs as "Entering MASTER STATE":
 *   - it resigned (a priority-0 advert) and another advertises;
 *   - it fell silent for its master-down interval and another advertises;
 *   - another preempted it: a higher priority (or an equal one from a
 *     higher address, RFC 5798 6.4.3) began advertising and the old master
 *     stopped at once (a master that hears a better advert becomes backup
 *     without sending another).
 * Two masters that keep advertising alongside each other (split brain, a
 * collision, adverts each side discards) hand nothing over: the collision
 * and split-brain rules speak then.  Nor do two that silence each other in
 * turn: each begins again within an interval or two of the other's last
 * advert, where a backup would have waited its master-down interval.  A
 * router with a disjoint address set is another virtual router on the
 * VRID (a collision), never the next master.
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "util/grow.h"
#include "detect/detector.h"

#define MAX_CHANGES 32
#define NS_PER_CS 10000000ull

enum handover { HAND_NONE, HAND_RESIGNED, HAND_SILENT, HAND_PREEMPTED };

struct vw_master_state {
	struct vw_domain_id id;
	struct vw_master_of rec;   /* the advertiser of record */
	uint16_t interval_cs;      /* its interval */
	uint8_t version;
	uint64_t changes[MAX_CHANGES]; /* ring of change times */
	unsigned n_changes;
};

static uint64_t id_hash(const struct vw_domain_id *id)
{
	uint64_t h = 1469598103934665603ull;
	const uint8_t head[] = {(uint8_t)id->segment, (uint8_t)(id->segment >> 8),
				(uint8_t)(id->segment >> 16), (uint8_t)(id->segment >> 24),
				(uint8_t)id->vlan[0], (uint8_t)(id->vlan[0] >> 8),
				(uint8_t)id->vlan[1], (uint8_t)(id->vlan[1] >> 8),
				id->family, id->vrid};

	for (size_t i = 0; i < sizeof(head); i++)
		h = (h ^ head[i]) * 1099511628211ull;
	for (const char *c = id->receivers; *c && c < id->receivers + sizeof(id->receivers); c++)
		h = (h ^ (uint8_t)*c) * 1099511628211ull;
	return h ^ (h >> 32);
}

static bool has_domain(const void *masters, uint32_t pos, const void *id)
{
	return vw_domain_id_equal(&((const struct vw_master_state *)masters)[pos].id, id);
}

static uint64_t domain_hash_at(const void *masters, uint32_t pos)
{
	return id_hash(&((const struct vw_master_state *)masters)[pos].id);
}

/* The slot of id in the index, or the empty slot where it would go.
 * Every rule asks for the state of every domain at every tick
 * (vw_master_of): a linear search made a tick cost domains squared. */
static size_t index_slot(const struct vw_detector *d, const struct vw_domain_id *id)
{
	return vw_pos_slot(&d->masters_by_domain, id_hash(id), has_domain, d->masters, id);
}

static struct vw_master_state *find_state(const struct vw_detector *d,
					  const struct vw_domain_id *id)
{
	/* the dispatcher names the state it expects (judge.c), else hash */
	if (d->masters_hint && d->masters_hint <= d->n_masters &&
	    vw_domain_id_equal(&d->masters[d->masters_hint - 1].id, id))
		return &d->masters[d->masters_hint - 1];
	uint32_t at = d->masters_by_domain.n ? d->masters_by_domain.slot[index_slot(d, id)] : 0;

	return at ? &d->masters[at - 1] : NULL;
}

static struct vw_master_state *state_of(struct vw_detector *d, const struct vw_domain_id *id)
{
	struct vw_master_state *s = find_state(d, id);

	if (s)
		return s;
	if (vw_pos_index_crowded(&d->masters_by_domain, d->n_masters + 1) &&
	    vw_pos_index_rebuild(&d->masters_by_domain,
				 d->masters_by_domain.n ? d->masters_by_domain.n * 2 : 64, d->masters,
				 d->n_masters, domain_hash_at))
		return NULL;
	s = vw_grow(d->masters, &d->cap_masters, d->n_masters + 1, sizeof(*s), 16);
	if (!s)
		return NULL;
	d->masters = s;
	s = &d->masters[d->n_masters++];
	memset(s, 0, sizeof(*s));
	s->id = *id;
	d->masters_by_domain.slot[index_slot(d, id)] = (uint32_t)d->n_masters;
	return s;
}

const struct vw_master_of *vw_master_of(const struct vw_detector *d, const struct vw_domain_id *id)
{
	const struct vw_master_state *s = find_state(d, id);

	return s && s->rec.have ? &s->rec : NULL;
}

static bool is_src(const struct vw_member *m, const uint8_t *src)
{
	return !memcmp(m->row->key.src, src, 16);
}

/* Its row in the domain as judged now (the latest heard, if several). */
static const struct vw_member *member_of(const struct vw_domain *dom, const uint8_t *src)
{
	const struct vw_member *found = NULL;

	for (size_t i = 0; i < dom->n; i++)
		if (is_src(&dom->m[i], src) &&
		    (!found || dom->m[i].row->val.last_ns > found->row->val.last_ns))
			found = &dom->m[i];
	return found;
}

static void record(struct vw_master_state *s, const struct vw_member *m, uint64_t since)
{
	const struct vw_obs_val *v = &m->row->val;

	memcpy(s->rec.src, m->row->key.src, 16);
	memcpy(s->rec.mac, m->row->key.src_mac, 6);
	s->rec.family = m->row->key.family;
	s->rec.priority = v->priority;
	s->rec.since_ns = since;
	s->rec.last_ns = v->last_ns;
	s->rec.have = true;
	s->rec.key = m->row->key;
	s->interval_cs = v->interval_cs;
	s->version = v->version;
	s->rec.resigned = v->priority == 0;
}

/* keepalived's election (RFC 5798 6.4.3): the higher priority, then the
 * higher primary address. */
static bool outranks(const struct vw_row *x, const uint8_t *src, uint8_t prio, uint8_t family)
{
	if (x->val.priority != prio)
		return x->val.priority > prio;
	return memcmp(x->key.src, src, family == 6 ? 16 : 4) > 0;
}

/* Advertising now, with a priority above 0. */
static bool advertising(const struct vw_member *m)
{
	return m->act->active && m->row->val.priority;
}

/* The best advertiser other than the one of record (whose row is rec_row,
 * if still in the table) that advertised after `after`, or NULL. */
static const struct vw_member *contender(const struct vw_domain *dom,
					 const struct vw_master_state *s,
					 const struct vw_row *rec_row, uint64_t after)
{
	const struct vw_member *best = NULL;

	for (size_t i = 0; i < dom->n; i++) {
		const struct vw_member *m = &dom->m[i];
		if (is_src(m, s->rec.src) || !advertising(m) || m->row->val.last_ns <= after)
			continue;
		/* no failover changes the address set: another virtual router
		 * on the VRID is a collision, not a new master */
		if (rec_row && vw_disjoint_address_sets(rec_row, m->row))
			continue;
		if (!best || outranks(m->row, best->row->key.src, best->row->val.priority,
				      dom->id.family))
			best = m;
	}
	return best;
}

static uint64_t interval_ns(const struct vw_master_state *s)
{
	return (uint64_t)s->interval_cs * NS_PER_CS;
}

/*
 * Does x challenge the one of record: does it outrank it and has it begun
 * advertising (*first, its run's first advert) while the other was master?
 * A master that hears it becomes backup at once (RFC 5798 6.4.3).
 */
static bool challenges(const struct vw_master_state *s, const struct vw_member *x,
		       uint64_t *first)
{
	*first = x->act->run_start_ns;
	return outranks(x->row, s->rec.src, s->rec.priority, s->rec.family) &&
	       *first >= s->rec.since_ns;
}

/*
 * Has the one of record been preempted by x?  x challenges it, and it has
 * not advertised since x's first advert (a little slack for one already
 * on the wire), for one of its intervals: as a master it would have
 * advertised again.
 */
static bool preempted_by(const struct vw_master_state *s, const struct vw_member *x,
			 uint64_t now_ns)
{
	uint64_t first;

	return challenges(s, x, &first) && s->rec.last_ns <= first + interval_ns(s) / 2 &&
	       now_ns >= first + interval_ns(s);
}

/*
 * x challenges the one of record, but preempted_by cannot tell yet: the
 * old master stops at once, yet its silence shows only an interval later.
 * Until then the rules that see both claim the addresses (keepalived's
 * new master announces them while the old one's kernel still answers for
 * them) wait; if the old one keeps advertising, it is two masters, not a
 * handover.  0: no contest.
 */
static uint64_t contest_end(const struct vw_master_state *s, const struct vw_member *x)
{
	uint64_t first;

	return challenges(s, x, &first) ? first + 2 * interval_ns(s) : 0;
}

static enum handover handover(const struct vw_master_state *s, const struct vw_member *x,
			      uint64_t now_ns)
{
	uint64_t md = vw_master_down_ns(s->version, s->interval_cs, s->rec.priority);

	if (s->rec.resigned)
		return HAND_RESIGNED;
	/* a backup takes over a master-down interval after the last advert it
	 * heard; one that began within two intervals of it was advertising
	 * alongside (two masters silencing each other in turn) */
	if (now_ns >= s->rec.last_ns + md && x->row->val.last_ns >= s->rec.last_ns + md &&
	    x->act->run_start_ns >= s->rec.last_ns + 2 * interval_ns(s))
		return HAND_SILENT;
	return preempted_by(s, x, now_ns) ? HAND_PREEMPTED : HAND_NONE;
}

static unsigned recent_changes(const struct vw_master_state *s, uint64_t since)
{
	unsigned n = 0, k = s->n_changes < MAX_CHANGES ? s->n_changes : MAX_CHANGES;

	for (unsigned i = 0; i < k; i++)
		n += s->changes[i] >= since;
	return n;
}

static const char *how(enum handover h)
{
	switch (h) {
	case HAND_RESIGNED:
		return "which resigned with a priority-0 advert";
	case HAND_SILENT:
		return "which fell silent for its master-down interval";
	case HAND_PREEMPTED:
		return "preempted by a higher priority";
	default:
		return "which stopped";
	}
}

static void raise_change(struct vw_detector *d, const struct vw_domain *dom,
			 const struct vw_master_state *s, const struct vw_member *now,
			 enum handover h, uint64_t at)
{
	struct vw_finding f;
	char old[VW_ADDR_STRLEN], who[VW_FINDING_TEXT];
	const struct vw_member *was = member_of(dom, s->rec.src);

	vw_finding_start(d, &f, VW_K_MASTER_CHANGED, VW_SEV_INFO, &dom->id);
	vw_finding_add_source(&f, now->row, now->act);
	/* the old master too: its row in the domain, else in the table (out
	 * of the domain in the tick of its priority-0 advert or after), so
	 * that live and replay name it whatever the phase of their ticks */
	const struct vw_row *old_row = was ? was->row : vw_table_find(d->t, &s->rec.key);
	if (old_row)
		vw_finding_add_source(&f, old_row, was ? was->act : vw_activity_of(&d->act,
										  &old_row->key));
	f.event = true;
	f.first_ns = f.last_ns = at;
	vw_ip_str(dom->id.family, s->rec.src, old, sizeof(old));
	vw_describe_source(now->row, who, sizeof(who));
	snprintf(f.message, sizeof(f.message),
		 "the master of VRID %u on %s changed from %s, %s, to %s", dom->id.vrid,
		 f.interface, old, how(h), who);
	if (h == HAND_PREEMPTED)
		snprintf(f.advice, sizeof(f.advice),
			 "a preemption: if %s is not meant to be master, lower its priority or "
			 "set nopreempt / preempt_delay",
			 vw_ip_str(dom->id.family, now->row->key.src, old, sizeof(old)));
	else
		snprintf(f.advice, sizeof(f.advice),
			 "a failover: check why the old master stopped (its keepalived log, tracked "
			 "scripts and interfaces)");
	vw_detector_raise(d, &f);
}

static void raise_flapping(struct vw_detector *d, const struct vw_domain *dom,
			   const struct vw_member *now, unsigned changes)
{
	struct vw_finding f;

	vw_finding_start(d, &f, VW_K_MASTER_FLAPPING, VW_SEV_WARNING, &dom->id);
	vw_finding_add_source(&f, now->row, now->act);
	snprintf(f.message, sizeof(f.message),
		 "the master of VRID %u on %s changed %u times within %llu s", dom->id.vrid,
		 f.interface, changes, (unsigned long long)(d->o.flap_window_ns / 1000000000u));
	snprintf(f.advice, sizeof(f.advice),
		 "look for a flapping track_script or track_interface, adverts lost on the way "
		 "(load, link errors), or nopreempt / preempt_delay to damp it");
	vw_detector_raise(d, &f);
}

static void take_over(struct vw_detector *d, const struct vw_domain *dom,
		      struct vw_master_state *s, const struct vw_member *x, enum handover h)
{
	uint64_t gone = s->rec.last_ns, at = x->act->run_start_ns;

	if (at < gone) /* it advertised alongside: it took over when the other stopped */
		at = gone;
	raise_change(d, dom, s, x, h, at);
	s->changes[s->n_changes++ % MAX_CHANGES] = at;
	record(s, x, at);
}

void vw_rules_masters(struct vw_detector *d, const struct vw_domain *dom)
{
	struct vw_master_state *s = state_of(d, &dom->id);
	const struct vw_member *x;
	const struct vw_row *r;

	if (!s) {
		d->error = -ENOMEM;
		return;
	}
	if (!s->rec.have) {
		/* the first heard: the master when the capture or watch began */
		if ((x = contender(dom, s, NULL, 0)))
			record(s, x, x->act->start_ns);
		return;
	}
	/* its own row, even when its episode ended (a resignation ends it) */
	if ((r = vw_table_find(d->t, &s->rec.key)))
		vw_masters_heard(d, (size_t)(s - d->masters), r);
	s->rec.contested_until_ns = 0;
	if ((x = contender(dom, s, r, s->rec.resigned ? s->rec.last_ns : 0))) {
		enum handover h = handover(s, x, d->now_ns);
		if (h != HAND_NONE)
			take_over(d, dom, s, x, h);
		else
			s->rec.contested_until_ns = contest_end(s, x);
	}
	uint64_t since = d->now_ns > d->o.flap_window_ns ? d->now_ns - d->o.flap_window_ns : 0;
	unsigned n = recent_changes(s, since);
	if (n > d->o.flap_changes && (x = member_of(dom, s->rec.src)))
		raise_flapping(d, dom, x, n); /* "more than N changes in the window" */
}

const struct vw_master_of *vw_master_at(const struct vw_detector *d, size_t i,
					const struct vw_domain_id **id, unsigned *changes)
{
	if (i >= d->n_masters)
		return NULL;
	*id = &d->masters[i].id;
	*changes = d->masters[i].n_changes;
	return &d->masters[i].rec;
}

/* --- for judge.c: a domain not judged again at a tick ------------------- */

/*
 * Contender x can never take over from the one of record while the rows
 * of their domain change in nothing but their counters and last adverts
 * (x's run start, priority, address set, and who advertises stay put; the
 * one of record's last advert only moves on): handover() needs x's run to
 * begin two intervals past the last advert of record (HAND_SILENT), or
 * the one of record silent since x's first advert (HAND_PREEMPTED): once
 * either fails it fails at every later tick.  Two masters advertising
 * alongside (a collision, a split brain) are so from their second tick.
 */
static bool never_hands_over(const struct vw_master_state *s, const struct vw_member *x)
{
	uint64_t first = x->act->run_start_ns;

	if (first >= s->rec.last_ns + 2 * interval_ns(s))
		return false;
	return !challenges(s, x, &first) || s->rec.last_ns > first + interval_ns(s) / 2;
}

/* The member of dom that is the row of record, or NULL. */
static const struct vw_member *member_of_record(const struct vw_domain *dom,
						const struct vw_master_state *s)
{
	for (size_t i = 0; i < dom->n; i++)
		if (vw_key_equal(&dom->m[i].row->key, &s->rec.key))
			return &dom->m[i];
	return NULL;
}

/*
 * After vw_rules_masters(dom) at this tick: while the rows of dom change
 * in nothing but their counters and last adverts, would it do nothing at
 * the coming ticks but follow the last advert of the one of record?  Yes
 * when the one of record is among dom's judged rows (no flood cut), has
 * not resigned, and its contender, if any, can never take over
 * (never_hands_over): with no change of master the changes in the
 * flapping window only age out (none raised now, none later), and the
 * contest's end stays where it was worked out.  *at is its state, for
 * vw_masters_heard (and, idle or not, for d->masters_hint), *row the row
 * of record to hear.
 */
bool vw_masters_idle(const struct vw_detector *d, const struct vw_domain *dom, size_t *at,
		     const struct vw_row **row)
{
	const struct vw_master_state *s = find_state(d, &dom->id);
	uint64_t since = d->now_ns > d->o.flap_window_ns ? d->now_ns - d->o.flap_window_ns : 0;
	const struct vw_member *own, *x;

	if (!s)
		return false;
	*at = (size_t)(s - d->masters);
	if (!s->rec.have || s->rec.resigned || dom->n != dom->n_all ||
	    recent_changes(s, since) > d->o.flap_changes || !(own = member_of_record(dom, s)))
		return false;
	x = contender(dom, s, own->row, 0);
	if (x && !never_hands_over(s, x))
		return false;
	*row = own->row;
	return true;
}

/* The same, its row found by its key (the table's rows may have moved). */
void vw_masters_hear_record(struct vw_detector *d, size_t at)
{
	struct vw_master_state *s = &d->masters[at];
	const struct vw_row *r = vw_table_find(d->t, &s->rec.key);
	const struct vw_evicted_row *e;

	if (r) {
		vw_masters_heard(d, at, r);
	} else if ((e = vw_table_evicted(d->t, &s->rec.key)) && e->last_ns >= s->rec.last_ns) {
		/* evicted since the last tick, which heard it at that advert (its
		 * priority as recorded: a change would have been judged) */
		s->rec.last_ns = e->last_ns;
	}
}

/* What vw_rules_masters does first at every tick, for an idle domain: the
 * one of record (row r) was heard at its last advert. */
void vw_masters_heard(struct vw_detector *d, size_t at, const struct vw_row *r)
{
	struct vw_master_state *s = &d->masters[at];

	if (r->val.last_ns >= s->rec.last_ns) {
		s->rec.last_ns = r->val.last_ns;
		s->rec.priority = r->val.priority ? r->val.priority : s->rec.priority;
		s->rec.resigned = !r->val.priority;
	}
}
