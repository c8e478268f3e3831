// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_config.c - the wire against the local keepalived.conf: someone else
 * on our VRID, a peer whose adverts our keepalived would discard, a
 * foreign router that keeps both our nodes BACKUP, timers and versions
 * that differ from the configuration, priorities that tie or beat ours,
 * and configured VRIDs nobody advertises.
 *
 * What keepalived accepts follows its vrrp_check_packet() (2.2.x) and the
 * 2.3.3 change that logs, instead of dropping, adverts whose address list
 * differs from the configuration (--keepalived-version).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "detect/config_match.h"
#include "detect/detector.h"
#include "util/strbuf.h"

#define TEXT VW_FINDING_TEXT
#define NS_PER_S 1000000000ull
#define NS_PER_CS 10000000ull

static void where(const struct vw_finding *f, char *buf, size_t len)
{
	char vlan[VW_VLAN_STRLEN];

	if (f->d.vlan[0])
		snprintf(buf, len, "%s VLAN %s", f->interface, vw_vlan_str(f->d.vlan, vlan, sizeof(vlan)));
	else
		snprintf(buf, len, "%s", f->interface);
}


static uint8_t accepted_checksums(const struct vw_detector *d, const struct ka_instance *in)
{
	if (in->v3_checksum_as_v2 && d->o.ka_version >= VW_KA_VERSION(2, 2, 8))
		return VW_CSUM_MESSAGE;
	if (in->unicast && in->old_unicast_checksum == KA_CHKSUM_COMPAT_CONFIG)
		return VW_CSUM_KA_UNICAST;
	/* by default keepalived falls back to the old unicast checksum when a
	 * unicast peer uses it (vrrp_check_packet, "Setting unicast VRRPv3
	 * checksum to old version") */
	if (in->unicast && in->old_unicast_checksum != KA_CHKSUM_COMPAT_NEVER)
		return VW_CSUM_PSEUDO | VW_CSUM_KA_UNICAST;
	return VW_CSUM_PSEUDO;
}

/* Why keepalived with instance `in` would discard r's adverts; empty if
 * it accepts them. */
static void rejection_reasons(const struct vw_detector *d, const struct ka_instance *in,
			      const struct vw_row *r, char *why, size_t len)
{
	const struct vw_obs_val *v = &r->val;
	char x[24], y[24];
	struct vw_strbuf sb;

	vw_sb_init(&sb, why, len);
	if (v->version != in->version)
		vw_sb_item(&sb, "; ", "VRRP version %u where keepalived.conf says %u", v->version,
		       in->version);
	if (v->version == 2 && in->version == 2 && v->auth_type != in->auth_type)
		vw_sb_item(&sb, "; ", "auth type %s where keepalived.conf says %s",
		       vw_auth_name(v->auth_type), vw_auth_name(in->auth_type));
	/* keepalived compares the 8 bytes of a PASS advert with auth_pass
	 * ("received an invalid passwd!"); the password is never shown */
	const uint8_t *pass = vw_row_auth_data(r);
	if (v->version == 2 && in->version == 2 && v->auth_type == 1 && in->auth_type == 1 && pass &&
	    memcmp(pass, in->auth_pass, 8))
		vw_sb_item(&sb, "; ", "a password other than auth_pass");
	if (v->version == 2 && in->version == 2 && v->interval_cs != in->interval_cs)
		vw_sb_item(&sb, "; ", "advert interval %s where keepalived.conf says %s",
		       vw_interval_str(v->interval_cs, x, sizeof(x)),
		       vw_interval_str(in->interval_cs, y, sizeof(y)));
	if (!in->unicast && v->ttl != 255)
		vw_sb_item(&sb, "; ", "TTL %u, not 255", v->ttl);
	if (!v->csum_variant)
		vw_sb_item(&sb, "; ", "no valid checksum");
	else if (r->key.family == 4 && v->version == 3 && in->version == 3 &&
		 !(v->csum_variant & accepted_checksums(d, in)))
		vw_sb_item(&sb, "; ", "checksum computed as %s where keepalived expects %s",
		       vw_csum_name(v->csum_variant), vw_csum_name(accepted_checksums(d, in)));
	if (in->unicast && in->check_unicast_src &&
	    !vw_ka_addr_in(in->peers, in->n_peers, r->key.family, r->key.src))
		vw_sb_item(&sb, "; ", "source not listed in unicast_peer");
	/* skip_check_adv_addr spares only the adverts of the master already
	 * accepted (vrrp_state_backup: pkt_saddr == master_saddr); a router
	 * that never sent our addresses was never accepted, so it is checked */
	enum vw_set_relation rel = vw_compare_to_config(r, in);
	if (d->o.ka_version < VW_KA_VERSION(2, 3, 3) && rel != VW_SET_SAME &&
	    (!in->skip_check_adv_addr || rel == VW_SET_DISJOINT))
		vw_sb_item(&sb, "; ", "address list differs from virtual_ipaddress "
		       "(keepalived up to 2.3.2 drops such adverts)");
}

static bool priority_wins(const struct vw_detector *d, const struct ka_instance *in,
			  const struct vw_row *r)
{
	if (r->val.priority != in->priority)
		return r->val.priority > in->priority;
	/* equal: the higher primary address wins (keepalived vrrp_saddr_cmp) */
	const uint8_t *ours = in->unicast_src_set ? in->unicast_src.addr : NULL;
	for (size_t i = 0; !ours && i < d->o.n_local; i++)
		if (d->o.local[i].family == r->key.family)
			ours = d->o.local[i].addr;
	return !ours || memcmp(r->key.src, ours, r->key.family == 6 ? 16 : 4) > 0;
}

struct judged {
	struct vw_finding foreign, partial, starve, unknown;
	bool pair_active; /* a node of ours is the master now */
	bool local_master; /* this node is the master now */
	bool group;       /* the group is known (unicast_peer, --peer) */
};



/* r stopped right when a higher priority began: it became backup. */
static bool preempted(const struct vw_domain *dom, const struct vw_row *r)
{
	uint64_t half = (uint64_t)r->val.interval_cs * NS_PER_CS / 2;

	for (size_t i = 0; i < dom->n; i++) {
		const struct vw_member *m = &dom->m[i];
		if (m->row->val.priority > r->val.priority && m->act->active &&
		    m->act->run_start_ns + half >= r->val.last_ns)
			return true;
	}
	return false;
}

/*
 * Most of these rules read the rows and the domains, which a calm tick
 * (detector.c) leaves as they were.  The few that read the clock say until
 * when their answer holds: a fixed time (nobody heard since the capture
 * began), or while a row keeps being heard (a master within its
 * master-down interval; an instance's adverts within 3 intervals + 1 s),
 * which its next advert pushes later, never earlier.  An answer that a
 * next advert could turn back (a master past its master-down interval,
 * still in its episode) holds for no time.
 */
static void hold_until(struct vw_detector *d, uint64_t until_ns)
{
	if (until_ns < d->config_fixed_until)
		d->config_fixed_until = until_ns;
	if (until_ns < d->config_until)
		d->config_until = until_ns;
}

static void hold_while_heard(struct vw_detector *d, const struct vw_row *r, uint64_t after_ns)
{
	uint64_t until = r->val.last_ns + after_ns;

	if (until < d->config_until)
		d->config_until = until;
	if (d->n_config_watch == VW_CONFIG_WATCHES) {
		d->config_watch_lost = true; /* judged again at config_until */
		return;
	}
	d->config_watch[d->n_config_watch].row = (size_t)(r - d->t->rows);
	d->config_watch[d->n_config_watch++].after_ns = after_ns;
}

bool vw_config_holds(struct vw_detector *d, const struct vw_table *t, uint64_t now_ns)
{
	uint64_t until = d->config_fixed_until;

	if (t->n_segments != d->config_segments || t->first_ns != d->config_first_ns)
		return false; /* a new interface or file: what covers an instance;
			       * an earlier frame: when the clock began */
	if (now_ns < d->config_until)
		return true;
	if (d->config_watch_lost)
		return false;
	/* a row that moved is a change (the tick is not calm): only stay
	 * within the table */
	for (unsigned i = 0; i < d->n_config_watch; i++) {
		const struct vw_config_watch *w = &d->config_watch[i];
		if (w->row >= t->n_rows)
			return false;
		uint64_t heard = t->rows[w->row].val.last_ns + w->after_ns;
		if (heard < until)
			until = heard;
	}
	d->config_until = until;
	return now_ns < until;
}

/*
 * Is the master of the domain one of ours, now?  The advertiser of record
 * (rules_masters.c), still advertising: in the group when it is known,
 * else any router with our addresses.  A router that preempted our node
 * is the master as soon as our node stopped, which is what keepalived
 * logs; an episode would hold on to our node for seconds longer.
 */
static bool ours_is_master(struct vw_detector *d, const struct ka_instance *in,
			   const struct vw_domain *dom, bool group)
{
	const struct vw_master_of *m = vw_master_of(d, &dom->id);
	const struct vw_row *r;
	const struct vw_activity *a;

	if (!m || m->resigned || !(r = vw_table_find(d->t, &m->key)) ||
	    !(group ? vw_in_group(d, in, r) : vw_compare_to_config(r, in) != VW_SET_DISJOINT))
		return false;
	uint64_t down = vw_master_down_ns(r->val.version, r->val.interval_cs, r->val.priority);

	if (d->now_ns < r->val.last_ns + down) {
		hold_while_heard(d, r, down);
		return true;
	}
	hold_until(d, 0);
	/* silent for longer, yet still in its episode (two masters silencing
	 * each other in turn): ours, unless a higher priority preempted it */
	return (a = vw_activity_of(&d->act, &r->key)) && a->active && !preempted(dom, r);
}

static bool local_is_master(struct vw_detector *d, const struct ka_instance *in,
			    const struct vw_domain *dom)
{
	const struct vw_master_of *m = vw_master_of(d, &dom->id);
	const struct vw_row *r = m ? vw_table_find(d->t, &m->key) : NULL;

	return r && vw_is_local(d, r) && ours_is_master(d, in, dom, true);
}

/* Still master now: its last advert is within its master-down interval
 * (an episode lasts longer, and a backup takes over sooner). */
static bool advertising_now(struct vw_detector *d, const struct vw_member *m)
{
	if (!m->row->val.priority)
		return false;
	uint64_t after = vw_member_master_down(m);

	if (d->now_ns >= m->row->val.last_ns + after) {
		hold_until(d, 0);
		return false;
	}
	hold_while_heard(d, m->row, after);
	return true;
}


static void judge_peer(struct vw_detector *d, const struct ka_instance *in,
		       const struct vw_domain *dom, const struct vw_member *m)
{
	struct vw_finding f;
	char why[TEXT / 2], who[TEXT / 2], inst[160];

	if (vw_is_local(d, m->row))
		return;
	rejection_reasons(d, in, m->row, why, sizeof(why));
	if (!why[0])
		return;
	vw_finding_start(d, &f, VW_K_PEER_REJECTS_ADVERT, VW_SEV_CRITICAL, &dom->id);
	vw_ip_str(m->row->key.family, m->row->key.src, f.subject, sizeof(f.subject));
	vw_finding_add_source(&f, m->row, m->act);
	vw_describe_source(m->row, who, sizeof(who));
	vw_instance_text(in, inst, sizeof(inst));
	snprintf(f.message, TEXT, "keepalived (%s) discards the adverts of %s: %s", inst, who, why);
	snprintf(f.advice, TEXT,
		 "make both nodes' vrrp_instance agree (version, advert_int, authentication, "
		 "checksum dialect, unicast_peer); until then each side thinks the other is gone");
	vw_detector_raise(d, &f);
}

static void judge_config_field(struct vw_detector *d, const struct ka_instance *in,
			       const struct vw_domain *dom, const struct vw_member *m)
{
	const struct vw_obs_val *v = &m->row->val;
	struct vw_finding f;
	char who[TEXT / 2], inst[160], x[16], y[16];

	if (vw_is_local(d, m->row) || (v->interval_cs == in->interval_cs && v->version == in->version))
		return; /* nothing to tell: no text made (this runs at every tick) */
	vw_describe_source(m->row, who, sizeof(who));
	vw_instance_text(in, inst, sizeof(inst));
	if (v->interval_cs != in->interval_cs) {
		/* same identity as the wire rule's finding: one finding, told
		 * against the configuration */
		vw_finding_start(d, &f, VW_K_INTERVAL_MISMATCH,
				 v->version == 2 ? VW_SEV_CRITICAL : VW_SEV_WARNING, &dom->id);
		vw_finding_add_source(&f, m->row, m->act);
		snprintf(f.message, TEXT, "%s advertises every %s; keepalived.conf %s says advert_int %s",
			 who, vw_interval_str(v->interval_cs, x, sizeof(x)), inst,
			 vw_interval_str(in->interval_cs, y, sizeof(y)));
		snprintf(f.advice, TEXT, "set the same advert_int on both nodes");
		vw_detector_raise(d, &f);
	}
	if (v->version != in->version) {
		vw_finding_start(d, &f, VW_K_VERSION_MISMATCH, VW_SEV_WARNING, &dom->id);
		vw_finding_add_source(&f, m->row, m->act);
		snprintf(f.message, TEXT, "%s speaks VRRPv%u; keepalived.conf %s runs VRRPv%u", who,
			 v->version, inst, in->version);
		snprintf(f.advice, TEXT, "set the same vrrp_version (global_defs or the instance's "
					 "version) on both nodes");
		vw_detector_raise(d, &f);
	}
}

static void judge_priority(struct vw_detector *d, const struct ka_instance *in,
			   const struct vw_domain *dom, const struct vw_member *m, bool know_local)
{
	const struct vw_row *r = m->row;
	bool meant_master = in->state == KA_STATE_MASTER || in->priority == 255;
	struct vw_finding f;
	char who[TEXT / 2], inst[160], why[TEXT / 2], src[VW_ADDR_STRLEN];

	if (!know_local || vw_is_local(d, r) || !r->val.priority)
		return;
	bool tie = r->val.priority == in->priority, above = r->val.priority > in->priority;
	if (!tie && !(above && meant_master))
		return;
	/* it only keeps this node from master if keepalived accepts its adverts */
	rejection_reasons(d, in, r, why, sizeof(why));
	bool wins = !why[0] && (above || (meant_master && priority_wins(d, in, r)));
	vw_finding_start(d, &f, VW_K_PRIORITY_CONFLICT, wins ? VW_SEV_CRITICAL : VW_SEV_WARNING,
			 &dom->id);
	/* a tie merges with the wire rule's "equal priority" finding */
	snprintf(f.subject, sizeof(f.subject), "%s", tie ? "equal priority" : "above config");
	vw_finding_add_source(&f, r, m->act);
	vw_describe_source(r, who, sizeof(who));
	vw_instance_text(in, inst, sizeof(inst));
	if (why[0])
		snprintf(f.message, TEXT,
			 "%s advertises VRID %u at priority %u, %s the %u of keepalived.conf %s; "
			 "keepalived discards its adverts: %s. So it does not take the election "
			 "from this node, but the two fight over the VRID",
			 who, in->vrid, r->val.priority, tie ? "equal to" : "above", in->priority, inst,
			 why);
	else if (tie)
		snprintf(f.message, TEXT,
			 "%s advertises VRID %u at priority %u, the same as keepalived.conf %s: the "
			 "higher address wins the election",
			 who, in->vrid, in->priority, inst);
	else
		snprintf(f.message, TEXT,
			 "%s advertises VRID %u at priority %u, above the %u of keepalived.conf %s, "
			 "which is meant to be master: this node cannot become master",
			 who, in->vrid, r->val.priority, in->priority, inst);
	snprintf(f.advice, TEXT,
		 "give each router of the group its own priority; if %s is not part of your "
		 "group, it uses your VRID: change one of them",
		 vw_ip_str(r->key.family, r->key.src, src, sizeof(src)));
	vw_detector_raise(d, &f);
}

/*
 * A router outside the known group that advertises our VRID with our
 * addresses (or some of them): if keepalived accepts its adverts and it
 * outranks this node, it holds the virtual router (local_starved); if
 * keepalived discards them while one of ours is master, it is a second
 * master (multiple_masters); otherwise it uses our VRID (vrid_collision).
 * What it does differently (interval, version) is told in that finding,
 * not as a mismatch of ours.
 */
static void judge_outsider(struct vw_detector *d, const struct ka_instance *in,
			   const struct vw_domain *dom, const struct vw_member *m,
			   struct judged *j)
{
	char why[TEXT / 2];

	if (!m->row->val.priority)
		return; /* it resigned: master_resigned tells it */
	rejection_reasons(d, in, m->row, why, sizeof(why));
	if (why[0] && in->unicast) /* a unicast sender we do not list: a missing peer? */
		judge_peer(d, in, dom, m);
	else if (!why[0] && m->row->val.priority >= in->priority)
		vw_finding_add_source(&j->starve, m->row, m->act);
	else if (why[0] && j->pair_active && vw_compare_to_config(m->row, in) == VW_SET_SAME)
		return; /* our addresses, discarded while a node of ours is master:
			 * neither can make the other backup (RFC 3768 6.4.3), so it
			 * is a second master of our virtual router, which
			 * multiple_masters (rules_wire.c) tells with the reason */
	else
		vw_finding_add_source(&j->foreign, m->row, m->act);
}

/* Without a known group: a router with our addresses, accepted, above this
 * node's priority.  A healthy peer, or a stranger holding our virtual
 * router: only the operator knows, so ask (raised while this node is
 * silent, see raise_judged). */
static void judge_unconfirmed(struct vw_detector *d, const struct ka_instance *in,
			      const struct vw_member *m, struct judged *j)
{
	char why[TEXT / 2];

	rejection_reasons(d, in, m->row, why, sizeof(why));
	if (!why[0] && advertising_now(d, m) && priority_wins(d, in, m->row))
		vw_finding_add_source(&j->unknown, m->row, m->act);
}

static void judge_member(struct vw_detector *d, const struct ka_instance *in,
			 const struct vw_domain *dom, const struct vw_member *m,
			 struct judged *j, bool know_local)
{
	char why[TEXT / 2];

	enum vw_set_relation rel = vw_compare_to_config(m->row, in);

	if (rel != VW_SET_DISJOINT && j->group && !vw_in_group(d, in, m->row)) {
		unsigned starving = j->starve.n_src;
		judge_outsider(d, in, dom, m, j);
		if (j->starve.n_src == starving) /* else local_starved tells it */
			judge_priority(d, in, dom, m, know_local);
		return;
	}
	switch (rel) {
	case VW_SET_SAME:
		if (!j->group && know_local && !vw_is_local(d, m->row))
			judge_unconfirmed(d, in, m, j);
		judge_peer(d, in, dom, m);
		judge_config_field(d, in, dom, m);
		break;
	case VW_SET_PARTIAL:
		vw_finding_add_source(&j->partial, m->row, m->act);
		judge_peer(d, in, dom, m);
		judge_config_field(d, in, dom, m);
		break;
	case VW_SET_DISJOINT:
		if (vw_is_local(d, m->row))
			break; /* our own node with another list: a reload in progress */
		vw_finding_add_source(&j->foreign, m->row, m->act);
		rejection_reasons(d, in, m->row, why, sizeof(why));
		/* both local nodes are BACKUP here, and a backup accepts an
		 * advert of equal priority whatever its address (keepalived
		 * vrrp_state_backup; RFC 5798 6.4.2) */
		if (!why[0] && m->row->val.priority && m->row->val.priority >= in->priority)
			vw_finding_add_source(&j->starve, m->row, m->act);
		break;
	}
	judge_priority(d, in, dom, m, know_local);
}

static void sources_text(const struct vw_finding *f, const struct vw_domain *dom, char *buf,
			 size_t len)
{
	char one[TEXT / 2];
	struct vw_strbuf sb;

	vw_sb_init(&sb, buf, len);
	for (unsigned s = 0; s < f->n_src; s++)
		for (size_t i = 0; i < dom->n; i++) {
			const struct vw_row *r = dom->m[i].row;
			if (memcmp(r->key.src, f->src[s].src, 16) || memcmp(r->key.src_mac, f->src[s].mac, 6))
				continue;
			vw_describe_source(r, one, sizeof(one));
			vw_sb_item(&sb, " and ", "%s", one);
			break;
		}
}


static void raise_judged(struct vw_detector *d, const struct ka_instance *in,
			 const struct vw_domain *dom, struct judged *j)
{
	char who[TEXT / 2], inst[160], vips[160], at[96], free_ids[200];

	if (!j->foreign.n_src && !j->partial.n_src &&
	    !(j->unknown.n_src && !j->local_master && !j->starve.n_src) &&
	    !(j->starve.n_src && !j->pair_active))
		return; /* nothing to raise: no text made (this runs at every tick) */
	vw_instance_text(in, inst, sizeof(inst));
	vw_config_vips(in, vips, sizeof(vips));
	where(&j->foreign, at, sizeof(at));
	if (j->foreign.n_src) {
		sources_text(&j->foreign, dom, who, sizeof(who));
		vw_free_vrids(d, &dom->id, free_ids, sizeof(free_ids));
		snprintf(j->foreign.message, TEXT,
			 "another system uses your VRID %u on %s: %s; keepalived.conf %s uses it for %s",
			 in->vrid, at, who, inst, vips);
		snprintf(j->foreign.advice, TEXT,
			 "change virtual_router_id of %s to a free one (free on %s: %s), or have "
			 "the other system's owner change theirs",
			 inst, j->foreign.interface, free_ids);
		vw_detector_raise(d, &j->foreign);
	}
	if (j->partial.n_src) {
		sources_text(&j->partial, dom, who, sizeof(who));
		snprintf(j->partial.message, TEXT,
			 "%s advertises an address list for VRID %u on %s that differs from "
			 "keepalived.conf %s (%s)",
			 who, in->vrid, at, inst, vips);
		snprintf(j->partial.advice, TEXT,
			 "make virtual_ipaddress the same on both nodes and reload keepalived on both");
		vw_detector_raise(d, &j->partial);
	}
	if (j->unknown.n_src && !j->local_master && !j->starve.n_src) {
		char src[VW_ADDR_STRLEN];
		sources_text(&j->unknown, dom, who, sizeof(who));
		vw_ip_str(j->unknown.src[0].family, j->unknown.src[0].src, src, sizeof(src));
		vw_free_vrids(d, &dom->id, free_ids, sizeof(free_ids));
		snprintf(j->unknown.message, TEXT,
			 "%s is master of VRID %u on %s above the priority %u of keepalived.conf %s, "
			 "and this node does not advertise: if it is one of your nodes, this is a "
			 "healthy backup; if not, it holds your virtual router and %s is not served "
			 "by your pair",
			 who, in->vrid, at, in->priority, inst, vips);
		snprintf(j->unknown.advice, TEXT,
			 "if %s is your peer, name it with --peer %s (or unicast_peer) and this goes "
			 "away; if not, change virtual_router_id of %s to a free one (free on %s: %s) "
			 "or stop it",
			 src, src, inst, j->unknown.interface, free_ids);
		vw_detector_raise(d, &j->unknown);
	}
	if (j->starve.n_src && !j->pair_active) {
		sources_text(&j->starve, dom, who, sizeof(who));
		vw_free_vrids(d, &dom->id, free_ids, sizeof(free_ids));
		snprintf(j->starve.message, TEXT,
			 "%s is not one of your nodes, wins the election for VRID %u on %s and your "
			 "keepalived accepts it as master: your nodes (%s, priority %u) stay BACKUP "
			 "and do not serve %s",
			 who, in->vrid, at, inst, in->priority, vips);
		snprintf(j->starve.advice, TEXT,
			 "change virtual_router_id of %s to a free one (free on %s: %s), or stop the "
			 "foreign advertiser (its owner must change its VRID)",
			 inst, j->starve.interface, free_ids);
		vw_detector_raise(d, &j->starve);
	}
}

static void judge_domain(struct vw_detector *d, const struct ka_instance *in,
			 const struct vw_domain *dom, bool know_local)
{
	struct judged j;

	/* vw_finding_start sets what a finding needs until it is raised (not
	 * the whole 3.6 KB of each: this runs at every tick) */
	vw_finding_start(d, &j.foreign, VW_K_VRID_COLLISION, VW_SEV_CRITICAL, &dom->id);
	vw_finding_start(d, &j.partial, VW_K_ADDRESS_LIST_MISMATCH, VW_SEV_WARNING, &dom->id);
	snprintf(j.partial.subject, sizeof(j.partial.subject), "config");
	vw_finding_start(d, &j.starve, VW_K_LOCAL_STARVED, VW_SEV_CRITICAL, &dom->id);
	vw_finding_start(d, &j.unknown, VW_K_LOCAL_STARVED, VW_SEV_WARNING, &dom->id);
	snprintf(j.unknown.subject, sizeof(j.unknown.subject), "unknown group");
	j.group = vw_group_known(d, in);
	j.pair_active = ours_is_master(d, in, dom, j.group);
	j.local_master = local_is_master(d, in, dom);
	for (size_t i = 0; i < dom->n; i++)
		judge_member(d, in, dom, &dom->m[i], &j, know_local);
	raise_judged(d, in, dom, &j);
}

/* Is anything local known for this instance: --local-address, or our
 * own adverts seen leaving (tx)? */
static bool know_local(const struct vw_detector *d, const struct ka_instance *in)
{
	for (size_t i = 0; i < d->o.n_local; i++)
		if (d->o.local[i].family == in->family)
			return true;
	for (size_t i = 0; i < d->t->n_rows; i++)
		if (d->t->rows[i].key.dir == VW_DIR_TX && vw_row_matches(d, in, &d->t->rows[i]))
			return true;
	return false;
}


/* Frames of protocol 112 the capture cut before their VRRP header
 * (capture_cut) on this segment since `since`: the adverts may be there. */
static bool cut_frames_since(const struct vw_detector *d, uint32_t segment, uint8_t family,
			     uint64_t since)
{
	for (size_t i = 0; i < d->t->n_rejects; i++) {
		const struct vw_reject_row *j = &d->t->rejects[i];
		if (j->reason == VW_R_CAPTURE_CUT && j->segment == segment &&
		    (!j->last_family || j->last_family == family) && j->last_ns >= since)
			return true;
	}
	return false;
}

/* master_lost / no_advertiser: nobody, rx or tx, for 3 x interval + 1 s.
 * Not judged where the capture cut frames of protocol 112 short of their
 * VRRP header in that time (a short snaplen; a note says so). */
static void judge_silence(struct vw_detector *d, const struct ka_instance *in)
{
	uint64_t horizon = 3 * (uint64_t)in->interval_cs * NS_PER_CS + NS_PER_S, last = 0;
	const struct vw_row *last_row = NULL;
	struct vw_domain_id dom = {.family = in->family, .vrid = in->vrid};
	struct vw_finding f;
	char inst[160], vips[160];

	/* offline the clock starts with the first frame; live it starts with
	 * the run (first_ns), and a silent link is exactly what to catch */
	if (!vw_instance_segment(d, in, &dom))
		return; /* the capture or the watched interfaces do not cover it */
	if (!d->t->frames && !d->t->first_ns) {
		hold_until(d, 0); /* the clock starts with a frame */
		return;
	}
	for (size_t i = 0; i < d->t->n_rows; i++) {
		const struct vw_row *r = &d->t->rows[i];
		if (vw_row_matches(d, in, r) && r->val.last_ns >= last) {
			last = r->val.last_ns;
			last_row = r;
		}
	}
	bool none = !last_row && d->now_ns >= d->t->first_ns + horizon;
	bool lost = last_row && d->now_ns > last + horizon;

	if (!none && !lost) { /* heard within the horizon: no text made */
		if (last_row) /* the newest of its rows heard within the horizon */
			hold_while_heard(d, last_row, horizon + 1);
		else
			hold_until(d, d->t->first_ns + horizon);
		return;
	}
	hold_until(d, 0);
	if (in->unicast)
		snprintf(dom.receivers, sizeof(dom.receivers), "unicast");
	else
		ka_addr_str(&in->mcast_dst, dom.receivers, sizeof(dom.receivers));
	vw_instance_text(in, inst, sizeof(inst));
	vw_config_vips(in, vips, sizeof(vips));
	if (cut_frames_since(d, dom.segment, in->family,
			     d->now_ns > horizon ? d->now_ns - horizon : 0))
		return;
	if (none) {
		vw_finding_start(d, &f, VW_K_NO_ADVERTISER, VW_SEV_CRITICAL, &dom);
		snprintf(f.subject, sizeof(f.subject), "%s", in->name ? in->name : "");
		f.first_ns = d->t->first_ns;
		snprintf(f.message, TEXT,
			 "nobody advertises VRID %u of keepalived.conf %s on %s: no master for %s",
			 in->vrid, inst, f.interface, vips);
		snprintf(f.advice, TEXT,
			 "check that keepalived runs on both nodes (systemctl status keepalived), "
			 "that the instance is not in FAULT (tracked interfaces/scripts), and that "
			 "this capture sees the right interface");
		vw_detector_raise(d, &f);
	} else {
		vw_finding_start(d, &f, VW_K_MASTER_LOST, VW_SEV_CRITICAL, &dom);
		snprintf(f.subject, sizeof(f.subject), "%s", in->name ? in->name : "");
		vw_finding_add_source(&f, last_row, vw_activity_of(&d->act, &last_row->key));
		f.first_ns = last;    /* the silence began with the last advert */
		f.last_ns = d->now_ns; /* and still holds */
		snprintf(f.message, TEXT,
			 "the adverts for VRID %u of keepalived.conf %s on %s stopped: nobody has "
			 "advertised %s for longer than 3 intervals",
			 in->vrid, inst, f.interface, vips);
		snprintf(f.advice, TEXT,
			 "check keepalived on both nodes (FAULT state, tracked scripts, a stopped "
			 "service) and the link itself");
		vw_detector_raise(d, &f);
	}
}



void vw_rules_config(struct vw_detector *d, const struct vw_domain_set *active)
{
	const struct ka_config *c = d->o.config;

	d->config_until = d->config_fixed_until = UINT64_MAX;
	d->n_config_watch = 0;
	d->config_watch_lost = false;
	d->config_segments = d->t->n_segments;
	d->config_first_ns = d->t->first_ns;
	if (!c->n_inst)
		vw_detector_note(d, "keepalived.conf has no vrrp_instance: nothing to judge the "
				    "wire against");
	for (size_t i = 0; i < c->n_inst; i++) {
		const struct ka_instance *in = &c->inst[i];
		if (!in->vrid || !in->family || in->rejected)
			continue;
		bool local = know_local(d, in);
		if (!local)
			vw_detector_note(d, "priorities against keepalived.conf not judged: give "
					    "--local-address ADDR (or a capture that marks "
					    "outgoing frames) so this node's own adverts are known");
		for (size_t k = 0; k < active->n; k++)
			if (vw_domain_for_instance(d, in, &active->d[k]))
				judge_domain(d, in, &active->d[k], local);
		judge_silence(d, in);
	}
}
