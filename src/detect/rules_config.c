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
#include "detect/detector.h"
#include "util/strbuf.h"

#define TEXT VW_FINDING_TEXT
#define NS_PER_S 1000000000ull
#define NS_PER_CS 10000000ull

enum set_relation { SET_SAME, SET_PARTIAL, SET_DISJOINT };

static bool addr_in(const struct ka_addr *list, size_t n, uint8_t family, const uint8_t *a)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].family == family && !memcmp(list[i].addr, a, family == 6 ? 16 : 4))
			return true;
	return false;
}

static bool in_vips(const struct ka_instance *in, uint8_t family, const uint8_t *a)
{
	for (size_t i = 0; i < in->n_vips; i++)
		if (in->vips[i].addr.family == family &&
		    !memcmp(in->vips[i].addr.addr, a, family == 6 ? 16 : 4))
			return true;
	return false;
}

static enum set_relation compare_to_config(const struct vw_row *r, const struct ka_instance *in)
{
	const uint8_t *a;
	unsigned shared = 0, n = 0;

	/* a list the capture cut (snaplen) is not judged: taken as the
	 * configured one, so that it raises nothing of its own */
	if (!vw_row_addresses_known(r))
		return SET_SAME;
	for (unsigned i = 0; (a = vw_row_address(r, i)); i++, n++)
		shared += in_vips(in, r->key.family, a);
	if (shared == n && n == in->n_vips)
		return SET_SAME;
	return shared ? SET_PARTIAL : SET_DISJOINT;
}

/* "eth0.100" is VLAN 100 on "eth0" (written to base); "eth0" is VLAN 0. */
static unsigned long split_ifname(const char *ifname, char *base, size_t len)
{
	const char *dot = strrchr(ifname, '.');

	snprintf(base, len, "%s", ifname);
	if (!dot || !dot[1] || strspn(dot + 1, "0123456789") != strlen(dot + 1))
		return 0;
	if ((size_t)(dot - ifname) < len)
		base[dot - ifname] = 0;
	return strtoul(dot + 1, NULL, 10);
}

/* "eth0" or "eth0.100" (an 802.1Q interface on eth0) against the segment
 * and VLAN a row was heard on.  A capture on the VLAN interface itself
 * sees its frames untagged.  A capture without interface names (classic
 * pcap) matches any interface: for "eth0.100" its frames tagged 100 (taken
 * on eth0) or untagged (taken on eth0.100: nothing tells which). */
bool vw_interface_matches(const struct vw_segment *seg, const char *ifname,
			  const uint16_t *vlan)
{
	char base[VW_SEGMENT_NAME_MAX];

	if (!ifname || !seg)
		return false;
	if (seg->named && !strcmp(seg->name, ifname))
		return vlan[0] == 0;
	unsigned long vid = split_ifname(ifname, base, sizeof(base));
	if (seg->named && strcmp(seg->name, base))
		return false;
	return vlan[0] == vid || (!seg->named && vlan[0] == 0 && vlan[1] == 0);
}

static bool segment_has_vlan(const struct vw_table *t, uint32_t seg, unsigned long vid)
{
	for (size_t i = 0; i < t->n_rows; i++)
		if (t->rows[i].key.ifindex == seg && t->rows[i].key.vlan[0] == vid)
			return true;
	return false;
}

static bool row_matches(const struct vw_detector *d, const struct ka_instance *in,
			const struct vw_row *r)
{
	const struct vw_obs_key *k = &r->key;

	if (k->family != in->family || k->vrid != in->vrid ||
	    !vw_interface_matches(vw_table_segment(d->t, k->ifindex), in->interface, k->vlan))
		return false;
	if (!in->unicast)
		return !memcmp(k->dst, in->mcast_dst.addr, k->family == 6 ? 16 : 4);
	return addr_in(in->peers, in->n_peers, k->family, k->src) ||
	       addr_in(in->peers, in->n_peers, k->family, k->dst) ||
	       (in->unicast_src_set && (!memcmp(in->unicast_src.addr, k->src, 16) ||
					!memcmp(in->unicast_src.addr, k->dst, 16)));
}

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
	    !addr_in(in->peers, in->n_peers, r->key.family, r->key.src))
		vw_sb_item(&sb, "; ", "source not listed in unicast_peer");
	/* skip_check_adv_addr spares only the adverts of the master already
	 * accepted (vrrp_state_backup: pkt_saddr == master_saddr); a router
	 * that never sent our addresses was never accepted, so it is checked */
	enum set_relation rel = compare_to_config(r, in);
	if (d->o.ka_version < VW_KA_VERSION(2, 3, 3) && rel != SET_SAME &&
	    (!in->skip_check_adv_addr || rel == SET_DISJOINT))
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
	struct vw_finding foreign, partial, starve;
	bool pair_active;
};

static void instance_text(const struct ka_instance *in, char *buf, size_t len)
{
	snprintf(buf, len, "%s (%s:%u)", in->name ? in->name : "?", in->file ? in->file : "?",
		 in->loc.vrid.line ? in->loc.vrid.line : in->line);
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
	instance_text(in, inst, sizeof(inst));
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

	if (vw_is_local(d, m->row))
		return;
	vw_describe_source(m->row, who, sizeof(who));
	instance_text(in, inst, sizeof(inst));
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
	instance_text(in, inst, sizeof(inst));
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

static void judge_member(struct vw_detector *d, const struct ka_instance *in,
			 const struct vw_domain *dom, const struct vw_member *m,
			 struct judged *j, bool know_local)
{
	char why[TEXT / 2];

	switch (compare_to_config(m->row, in)) {
	case SET_SAME:
		j->pair_active |= m->row->val.priority != 0;
		judge_peer(d, in, dom, m);
		judge_config_field(d, in, dom, m);
		break;
	case SET_PARTIAL:
		vw_finding_add_source(&j->partial, m->row, m->act);
		judge_peer(d, in, dom, m);
		judge_config_field(d, in, dom, m);
		break;
	case SET_DISJOINT:
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

static void config_vips(const struct ka_instance *in, char *buf, size_t len)
{
	char a[VW_ADDR_STRLEN];
	struct vw_strbuf sb;

	vw_sb_init(&sb, buf, len);
	for (size_t i = 0; i < in->n_vips && i < 4; i++)
		vw_sb_item(&sb, ", ", "%s", ka_addr_str(&in->vips[i].addr, a, sizeof(a)));
	if (in->n_vips > 4)
		vw_sb_item(&sb, ", ", "+%zu more", in->n_vips - 4);
}

static void raise_judged(struct vw_detector *d, const struct ka_instance *in,
			 const struct vw_domain *dom, struct judged *j)
{
	char who[TEXT / 2], inst[160], vips[160], at[96], free_ids[200];

	instance_text(in, inst, sizeof(inst));
	config_vips(in, vips, sizeof(vips));
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
	if (j->starve.n_src && !j->pair_active) {
		sources_text(&j->starve, dom, who, sizeof(who));
		snprintf(j->starve.message, TEXT,
			 "%s wins the election for VRID %u on %s and your keepalived accepts it as "
			 "master: both your nodes (%s, priority %u) stay BACKUP and %s is not served",
			 who, in->vrid, at, inst, in->priority, vips);
		snprintf(j->starve.advice, TEXT,
			 "change virtual_router_id of %s to a free VRID on this segment, or stop the "
			 "foreign advertiser",
			 inst);
		vw_detector_raise(d, &j->starve);
	}
}

static void judge_domain(struct vw_detector *d, const struct ka_instance *in,
			 const struct vw_domain *dom, bool know_local)
{
	struct judged j;

	memset(&j, 0, sizeof(j));
	vw_finding_start(d, &j.foreign, VW_K_VRID_COLLISION, VW_SEV_CRITICAL, &dom->id);
	vw_finding_start(d, &j.partial, VW_K_ADDRESS_LIST_MISMATCH, VW_SEV_WARNING, &dom->id);
	snprintf(j.partial.subject, sizeof(j.partial.subject), "config");
	vw_finding_start(d, &j.starve, VW_K_LOCAL_STARVED, VW_SEV_CRITICAL, &dom->id);
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
		if (d->t->rows[i].key.dir == VW_DIR_TX && row_matches(d, in, &d->t->rows[i]))
			return true;
	return false;
}

/* The segment and VLAN the instance's interface is on: "eth0.100" is
 * VLAN 100 of a capture on eth0, or untagged on a capture on eth0.100. */
static const struct vw_segment *first_segment(const struct vw_detector *d,
					      const struct ka_instance *in,
					      struct vw_domain_id *dom)
{
	char base[VW_SEGMENT_NAME_MAX];
	unsigned long vid;

	if (!in->interface)
		return NULL;
	vid = split_ifname(in->interface, base, sizeof(base));
	for (uint32_t s = 1; s <= d->t->n_segments; s++) {
		const struct vw_segment *seg = vw_table_segment(d->t, s);
		uint16_t vlan[VW_MAX_VLAN] = {(uint16_t)vid, 0};
		if (seg->named && !strcmp(seg->name, in->interface))
			vlan[0] = 0;
		else if (seg->named && strcmp(seg->name, base))
			continue;
		else if (!seg->named && vid && !segment_has_vlan(d->t, s, vid))
			vlan[0] = 0; /* taken on the VLAN interface itself, untagged */
		dom->segment = s;
		dom->vlan[0] = vlan[0];
		return seg;
	}
	return NULL;
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
	if (!first_segment(d, in, &dom) || (!d->t->frames && !d->t->first_ns))
		return; /* the capture or the watched interfaces do not cover it */
	for (size_t i = 0; i < d->t->n_rows; i++) {
		const struct vw_row *r = &d->t->rows[i];
		if (row_matches(d, in, r) && r->val.last_ns >= last) {
			last = r->val.last_ns;
			last_row = r;
		}
	}
	if (in->unicast)
		snprintf(dom.receivers, sizeof(dom.receivers), "unicast");
	else
		ka_addr_str(&in->mcast_dst, dom.receivers, sizeof(dom.receivers));
	instance_text(in, inst, sizeof(inst));
	config_vips(in, vips, sizeof(vips));
	if (cut_frames_since(d, dom.segment, in->family,
			     d->now_ns > horizon ? d->now_ns - horizon : 0))
		return;
	if (!last_row && d->now_ns >= d->t->first_ns + horizon) {
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
	} else if (last_row && d->now_ns > last + horizon) {
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

bool vw_config_names_source(const struct vw_detector *d, const struct vw_row *r)
{
	const struct ka_config *c = d->o.config;

	for (size_t i = 0; c && i < c->n_inst; i++) {
		const struct ka_instance *in = &c->inst[i];
		if (!in->unicast || in->rejected || in->family != r->key.family ||
		    in->vrid != r->key.vrid)
			continue;
		if (addr_in(in->peers, in->n_peers, r->key.family, r->key.src) ||
		    (in->unicast_src_set && addr_in(&in->unicast_src, 1, r->key.family, r->key.src)))
			return true;
	}
	return false;
}

static bool domain_for_instance(const struct vw_detector *d, const struct ka_instance *in,
				const struct vw_domain *dom)
{
	if (dom->id.family != in->family || dom->id.vrid != in->vrid)
		return false;
	for (size_t i = 0; i < dom->n; i++)
		if (row_matches(d, in, dom->m[i].row))
			return true;
	return false;
}

void vw_rules_config(struct vw_detector *d, const struct vw_domain_set *active)
{
	const struct ka_config *c = d->o.config;

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
			if (domain_for_instance(d, in, &active->d[k]))
				judge_domain(d, in, &active->d[k], local);
		judge_silence(d, in);
	}
}
