// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * instances.c - who is master of each local virtual router, at every tick:
 * the instance's configured state and priority, the master on the wire
 * (the advertiser of record of its collision domain, rules_masters.c) and
 * the other routers heard with its VRID and addresses.  What the reports
 * open with (model/instance_state.h); nothing here raises a finding.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "detect/config_match.h"
#include "detect/detector.h"

static bool usable(const struct ka_instance *in)
{
	return in->vrid && in->family && !in->rejected;
}

int vw_instances_init(struct vw_detector *d)
{
	const struct ka_config *c = d->o.config;
	size_t n = 0;

	for (size_t i = 0; c && i < c->n_inst; i++)
		n += usable(&c->inst[i]);
	if (!n)
		return 0;
	d->instances = calloc(n, sizeof(*d->instances));
	d->instance_of = calloc(n, sizeof(*d->instance_of));
	d->instance_master_key = calloc(n, sizeof(*d->instance_master_key));
	d->instance_master_from_row = calloc(n, sizeof(*d->instance_master_from_row));
	if (!d->instances || !d->instance_of || !d->instance_master_key ||
	    !d->instance_master_from_row)
		return -ENOMEM; /* vw_detector_free frees either */
	for (size_t i = 0; i < c->n_inst; i++) {
		const struct ka_instance *in = &c->inst[i];
		struct vw_instance_state *s = &d->instances[d->n_instances];
		if (!usable(in))
			continue;
		snprintf(s->name, sizeof(s->name), "%s", in->name ? in->name : "?");
		snprintf(s->where, sizeof(s->where), "%s:%u", in->file ? in->file : "?",
			 in->loc.vrid.line ? in->loc.vrid.line : in->line);
		snprintf(s->interface, sizeof(s->interface), "%s",
			 in->interface ? in->interface : "?");
		snprintf(s->state, sizeof(s->state), "%s",
			 in->state == KA_STATE_MASTER ? "MASTER" : "BACKUP");
		s->family = in->family;
		s->vrid = in->vrid;
		s->version = in->version;
		s->priority = in->priority;
		s->interval_cs = in->interval_cs;
		d->instance_of[d->n_instances++] = in;
	}
	return 0;
}

static void router_from_row(const struct vw_detector *d, const struct ka_instance *in,
			    const struct vw_row *r, struct vw_instance_router *out)
{
	out->family = r->key.family;
	memcpy(out->src, r->key.src, 16);
	memcpy(out->mac, r->key.src_mac, 6);
	out->priority = r->val.priority;
	out->local = vw_is_local(d, r);
	out->in_group = vw_in_group(d, in, r);
	out->last_ns = r->val.last_ns;
}

static bool same_router(const struct vw_instance_router *x, const struct vw_row *r)
{
	return !memcmp(x->src, r->key.src, 16);
}

/* The others heard with its VRID and (some of) its addresses, the most
 * recently heard first. */
static void collect_peers(const struct vw_detector *d, const struct ka_instance *in,
			  const struct vw_domain *dom, struct vw_instance_state *s)
{
	s->n_peers = 0;
	for (size_t i = 0; i < dom->n; i++) {
		const struct vw_row *r = dom->m[i].row;
		unsigned k;
		if (vw_compare_to_config(r, in) == VW_SET_DISJOINT ||
		    (s->have_master && same_router(&s->master, r)))
			continue;
		for (k = 0; k < s->n_peers && !same_router(&s->peers[k], r); k++)
			;
		if (k < s->n_peers) {
			if (r->val.last_ns > s->peers[k].last_ns)
				router_from_row(d, in, r, &s->peers[k]);
			continue;
		}
		if (s->n_peers < VW_INSTANCE_PEERS)
			router_from_row(d, in, r, &s->peers[s->n_peers++]);
	}
	for (unsigned a = 1; a < s->n_peers; a++) /* few: insertion sort */
		for (unsigned b = a; b > 0 && s->peers[b].last_ns > s->peers[b - 1].last_ns; b--) {
			struct vw_instance_router t = s->peers[b];
			s->peers[b] = s->peers[b - 1];
			s->peers[b - 1] = t;
		}
}

static void update_master(const struct vw_detector *d, const struct ka_instance *in,
			  const struct vw_domain *dom, struct vw_instance_state *s, size_t i)
{
	const struct vw_master_of *m = vw_master_of(d, &dom->id);
	const struct vw_row *r = m ? vw_table_find(d->t, &m->key) : NULL;

	if (!m || !r)
		return;
	router_from_row(d, in, r, &s->master);
	d->instance_master_key[i] = r->key;
	d->instance_master_from_row[i] = true;
	s->master.priority = m->priority; /* its last priority above 0 */
	s->have_master = true;
	s->master_since_ns = m->since_ns;
	s->master_now = !m->resigned &&
			d->now_ns < r->val.last_ns + vw_master_down_ns(r->val.version,
								       r->val.interval_cs,
								       m->priority);
}

static void update_one(const struct vw_detector *d, const struct ka_instance *in,
		       const struct vw_domain_set *active, struct vw_instance_state *s, size_t i)
{
	const struct vw_domain *dom = NULL;

	d->instance_master_from_row[i] = false; /* until update_master takes one */
	s->group_known = vw_group_known(d, in);
	for (size_t k = 0; k < active->n && !dom; k++)
		if (vw_domain_for_instance(d, in, &active->d[k]))
			dom = &active->d[k];
	if (!dom) { /* nobody advertises it now: the last master stays, not now */
		s->master_now = false;
		s->n_peers = 0;
		return;
	}
	const struct vw_segment *seg = vw_table_segment(d->t, dom->id.segment);
	s->heard = true;
	vw_str_copy(s->segment, sizeof(s->segment), seg ? seg->name : "?"); /* every tick */
	memcpy(s->vlan, dom->id.vlan, sizeof(s->vlan));
	update_master(d, in, dom, s, i);
	collect_peers(d, in, dom, s);
}

void vw_instances_update(struct vw_detector *d, const struct vw_domain_set *active)
{
	for (size_t i = 0; i < d->n_instances; i++)
		update_one(d, d->instance_of[i], active, &d->instances[i], i);
	d->instances_stale = false;
}

/*
 * A calm tick (detector.c) changes no domain, no master of record, no
 * row's existence: an update then only refreshes the routers' last adverts
 * and whether the master still advertises, and the update at the last of
 * such ticks gives what every one of them would have.  So replay leaves
 * them out and updates here, before the report, with the table still as
 * it was at that tick (the last tick of a replay follows its last frame).
 */
void vw_instances_refresh(struct vw_detector *d)
{
	if (d->instances_stale && d->have_domains && !d->error) /* error: rows moved */
		vw_instances_update(d, &d->domains);
}

/*
 * An update keeps the master it had where the instance's domain is gone
 * or its master's row is (evicted): the one of the tick before, had every
 * tick updated it.  After calm ticks left the updates out, that master is
 * the one of the last update, the same router (calm ticks change no master
 * of record and no row's fields) but heard last then: its last advert is
 * brought to what the last tick saw, from the row (vw_row_at_last_tick: a
 * row made again since for its key reads the evicted one's record) or from
 * its eviction record.  Whether it still advertised then is what that
 * update said: a calm tick holds only while an instance's master is within
 * its master-down interval (rules_config.c ours_is_master).  Within the
 * tick, before vw_table_close_tick keeps the rows as this tick sees them.
 */
void vw_instances_catch_up(struct vw_detector *d, const struct vw_table *t)
{
	if (!d->instances_stale || d->error)
		return;
	for (size_t i = 0; i < d->n_instances; i++) {
		const struct vw_obs_key *k = &d->instance_master_key[i];
		const struct vw_row *r;
		const struct vw_evicted_row *e;
		uint64_t packets;
		if (!d->instance_master_from_row[i])
			continue;
		if ((r = vw_table_find(t, k)))
			vw_row_at_last_tick(t, r, &packets, &d->instances[i].master.last_ns);
		else if ((e = vw_table_evicted(t, k)))
			d->instances[i].master.last_ns = e->last_ns;
	}
}
