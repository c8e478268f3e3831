// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_masters.c - who is the master of each collision domain over time:
 * master_changed when the one steady advertiser becomes another (a
 * failover), master_flapping when that happens too often.
 *
 * Only a master sends adverts (RFC 5798 6.4), so a healthy domain has one
 * steady advertiser: one that has advertised for longer than its
 * master-down interval.  With two steady at once there is no "the"
 * master; the collision and split-brain rules speak then.
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "detect/detector.h"

#define MAX_CHANGES 32

struct vw_master_state {
	struct vw_domain_id id;
	uint8_t master[16];
	bool have;
	uint64_t changes[MAX_CHANGES]; /* ring of change times */
	unsigned n_changes;
};

static bool same_domain(const struct vw_domain_id *a, const struct vw_domain_id *b)
{
	return a->segment == b->segment && a->vlan[0] == b->vlan[0] && a->vlan[1] == b->vlan[1] &&
	       a->family == b->family && a->vrid == b->vrid && !strcmp(a->receivers, b->receivers);
}

static struct vw_master_state *state_of(struct vw_detector *d, const struct vw_domain_id *id)
{
	for (size_t i = 0; i < d->n_masters; i++)
		if (same_domain(&d->masters[i].id, id))
			return &d->masters[i];
	struct vw_master_state *v = realloc(d->masters, (d->n_masters + 1) * sizeof(*v));
	if (!v)
		return NULL;
	d->masters = v;
	memset(&v[d->n_masters], 0, sizeof(*v));
	v[d->n_masters].id = *id;
	return &v[d->n_masters++];
}

/*
 * m fell silent and another advertiser started only after a backup's
 * master-down time (3 intervals and the skew): a failover, m is no longer
 * master although its episode goes on.  Two masters that silence each
 * other alternate within one interval and are never taken over.
 */
static bool taken_over(const struct vw_domain *dom, const struct vw_member *m)
{
	uint64_t wait = 3 * (uint64_t)m->row->val.interval_cs * 10000000ull;

	for (size_t i = 0; i < dom->n; i++) {
		const struct vw_member *o = &dom->m[i];
		if (!memcmp(o->row->key.src, m->row->key.src, 16) || !o->act->active ||
		    !o->row->val.priority)
			continue;
		if (o->act->run_start_ns >= m->act->last_ns + wait)
			return true;
	}
	return false;
}

/* The one steady advertiser of the domain, or NULL (none, or several). */
static const struct vw_member *steady_master(const struct vw_domain *dom)
{
	const struct vw_member *found = NULL;

	for (size_t i = 0; i < dom->n; i++) {
		const struct vw_member *m = &dom->m[i];
		if (!m->act->active || !m->row->val.priority ||
		    m->act->last_ns - m->act->start_ns < vw_member_master_down(m) ||
		    taken_over(dom, m))
			continue;
		if (found && memcmp(found->row->key.src, m->row->key.src, 16))
			return NULL;
		if (!found || m->row->val.last_ns > found->row->val.last_ns)
			found = m;
	}
	return found;
}

static unsigned recent_changes(const struct vw_master_state *s, uint64_t since)
{
	unsigned n = 0, k = s->n_changes < MAX_CHANGES ? s->n_changes : MAX_CHANGES;

	for (unsigned i = 0; i < k; i++)
		n += s->changes[i] >= since;
	return n;
}

static void raise_change(struct vw_detector *d, const struct vw_domain *dom,
			 const struct vw_master_state *s, const struct vw_member *now)
{
	struct vw_finding f;
	char old[VW_ADDR_STRLEN], who[VW_FINDING_TEXT];

	vw_finding_start(d, &f, VW_K_MASTER_CHANGED, VW_SEV_INFO, &dom->id);
	vw_finding_add_source(&f, now->row, now->act);
	for (size_t i = 0; i < dom->n; i++) /* the old master too, if still heard */
		if (!memcmp(dom->m[i].row->key.src, s->master, 16))
			vw_finding_add_source(&f, dom->m[i].row, dom->m[i].act);
	f.event = true;
	f.first_ns = f.last_ns = now->act->run_start_ns; /* since it last took over */
	vw_ip_str(dom->id.family, s->master, old, sizeof(old));
	vw_describe_source(now->row, who, sizeof(who));
	snprintf(f.message, sizeof(f.message),
		 "the master of VRID %u on %s changed from %s to %s", dom->id.vrid, f.interface,
		 old, who);
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

void vw_rules_masters(struct vw_detector *d, const struct vw_domain *dom)
{
	const struct vw_member *now = steady_master(dom);
	struct vw_master_state *s;

	if (!now)
		return;
	if (!(s = state_of(d, &dom->id))) {
		d->error = -ENOMEM;
		return;
	}
	if (s->have && memcmp(s->master, now->row->key.src, 16)) {
		raise_change(d, dom, s, now);
		s->changes[s->n_changes++ % MAX_CHANGES] = now->act->run_start_ns;
	}
	memcpy(s->master, now->row->key.src, 16);
	s->have = true;
	uint64_t since = d->now_ns > d->o.flap_window_ns ? d->now_ns - d->o.flap_window_ns : 0;
	unsigned n = recent_changes(s, since);
	if (n > d->o.flap_changes) /* "more than N changes in the window" */
		raise_flapping(d, dom, now, n);
}
