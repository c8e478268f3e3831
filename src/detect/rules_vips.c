// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_vips.c - who holds each virtual address, against who should: the
 * claims of model/vip_claims.h (ARP, IPv6 NA) against the advertiser of
 * record of the VRID that announces the address (rules_masters.c).
 *
 *   vip_foreign_claim         critical: a MAC that is neither the master's,
 *                             nor the VRRP virtual MAC, nor any router's of
 *                             that VRID claims the address (the last 30 s)
 *   vip_split_claim           critical: two MACs claim it within 5 s of each
 *                             other (a master change between two routers of
 *                             the VRID excepted)
 *   vip_no_announcement       critical: a new master (after a master change)
 *                             has sent no gratuitous ARP / unsolicited NA
 *                             for it within 5 s while the last claim points
 *                             elsewhere
 *   vip_stale_claim           warning: the last MAC to announce it is not the
 *                             master's (the master has held it over 5 s)
 *   vip_unanswered            warning: ARP requests / NS for it go unanswered
 *                             for 3 s while the master advertises
 *   vip_claim_without_master  warning: claims while no router advertises it
 *
 * Every rule works on the counters (count, first and last seen), so that
 * the live kernel counts and a replay judge alike.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/config_match.h"
#include "detect/detector.h"
#include "util/addr_fmt.h"

#define S_NS 1000000000ull
#define RECENT_NS (30 * S_NS)       /* a claim this old still counts */
#define SPLIT_NS (5 * S_NS)         /* two claimers within this */
#define ANNOUNCE_NS (5 * S_NS)      /* a new master announces within this */
#define ANNOUNCE_EARLY_NS (2 * S_NS) /* its announcement may precede its advert */
#define UNANSWERED_NS (3 * S_NS)    /* asks unanswered this long */
#define CHANGE_NS (10 * S_NS)       /* a master change this recent explains two MACs */
#define OVERLAP_NS (S_NS)           /* two routers' claims this close overlap */

/* What the ticks remember of one virtual address. */
struct vw_vip_state {
	struct vw_claim_key key; /* the ask row's key: MAC zero, kind ask */
	uint64_t asks_seen;      /* its count at the last tick */
	uint64_t pending_since;  /* first ask not answered, 0 none */
	uint64_t pending_asks;
};

static struct vw_vip_state *state_of(struct vw_detector *d, const struct vw_claim_key *ask)
{
	for (size_t i = 0; i < d->n_vip_state; i++)
		if (!memcmp(&d->vip_state[i].key, ask, sizeof(*ask)))
			return &d->vip_state[i];
	if (d->n_vip_state >= VW_VIP_MAX_WATCH * 4)
		return NULL;
	struct vw_vip_state *v = realloc(d->vip_state, (d->n_vip_state + 1) * sizeof(*v));
	if (!v)
		return NULL;
	d->vip_state = v;
	memset(&v[d->n_vip_state], 0, sizeof(*v));
	v[d->n_vip_state].key = *ask;
	return &v[d->n_vip_state++];
}

/* One virtual address on one segment, its rows gathered. */
struct vip {
	const struct vw_claim_row **rows; /* claims (not asks), in table order */
	size_t n;
	const struct vw_claim_row *ask;
	struct vw_claim_key key; /* segment, VLANs, family, address; kind ask, MAC 0 */
};

static bool same_vip(const struct vw_claim_key *a, const struct vw_claim_key *b)
{
	return a->ifindex == b->ifindex && a->vlan[0] == b->vlan[0] && a->vlan[1] == b->vlan[1] &&
	       a->family == b->family && !memcmp(a->addr, b->addr, 16);
}

static bool row_lists(const struct vw_row *r, const uint8_t *addr)
{
	const uint8_t *a;
	size_t n = r->key.family == 6 ? 16 : 4;

	for (unsigned i = 0; (a = vw_row_address(r, i)); i++)
		if (!memcmp(a, addr, n))
			return true;
	return false;
}

/* The domain whose advertiser of record announces the address: one with a
 * master advertising now first. */
struct owner {
	const struct vw_domain_id *id;
	const struct vw_master_of *m;
	const struct vw_row *row;
	unsigned changes;
	bool now;
	struct vw_master_of own; /* an advertiser that is not of record */
	struct vw_domain_id own_id;
};

static bool master_now(const struct vw_detector *d, const struct vw_master_of *m,
		       const struct vw_row *r)
{
	if (!m->have || m->resigned || !r)
		return false;
	uint64_t down = vw_master_down_ns(r->val.version, r->val.interval_cs, r->val.priority);
	return d->now_ns <= m->last_ns + down;
}

/* The receivers of r's domain, as the domain model names them, so that a
 * finding about it keeps one identity whichever way its owner was found:
 * the domain of record's, else r's multicast group. */
static void name_receivers(const struct vw_detector *d, const struct vw_row *r,
			   struct vw_domain_id *id)
{
	const struct vw_domain_id *m_id;
	unsigned changes;

	for (size_t i = 0; vw_master_at(d, i, &m_id, &changes); i++)
		if (m_id->segment == id->segment && m_id->vlan[0] == id->vlan[0] &&
		    m_id->vlan[1] == id->vlan[1] && m_id->family == id->family &&
		    m_id->vrid == id->vrid) {
			memcpy(id->receivers, m_id->receivers, sizeof(id->receivers));
			return;
		}
	vw_ip_str(r->key.family, r->key.dst, id->receivers, sizeof(id->receivers));
}

static bool find_owner(const struct vw_detector *d, const struct vw_claim_key *k, struct owner *o)
{
	const struct vw_domain_id *id;
	const struct vw_master_of *m;
	unsigned changes;
	bool found = false;

	memset(o, 0, sizeof(*o));
	for (size_t i = 0; (m = vw_master_at(d, i, &id, &changes)); i++) {
		if (!m->have || id->segment != k->ifindex || id->vlan[0] != k->vlan[0] ||
		    id->vlan[1] != k->vlan[1] || id->family != k->family)
			continue;
		const struct vw_row *r = vw_table_find(d->t, &m->key);
		if (!r || !row_lists(r, k->addr))
			continue;
		bool now = master_now(d, m, r);
		if (found && (o->now || !now))
			continue;
		o->id = id, o->m = m, o->row = r, o->changes = changes, o->now = now;
		found = true;
	}
	if (found && o->now)
		return true;
	/* not the master's address: another router of the segment that
	 * announces it and advertises now (a VRID shared with other
	 * addresses: vrid_collision's business).  "Now" is its episode, not
	 * its master-down interval: two masters of one VRID silence each
	 * other in turns (keepalived restarts a master's advert timer on
	 * every advert it receives, even one it discards), so one may stay
	 * master, and announce its addresses, for seconds without an advert */
	for (size_t i = 0; i < d->t->n_rows; i++) {
		const struct vw_row *r = &d->t->rows[i];
		if (r->key.ifindex != k->ifindex || r->key.vlan[0] != k->vlan[0] ||
		    r->key.vlan[1] != k->vlan[1] || r->key.family != k->family ||
		    !r->val.priority || !row_lists(r, k->addr))
			continue;
		const struct vw_activity *act = vw_activity_of(&d->act, &r->key);
		if (!act || !act->active)
			continue;
		memset(&o->own, 0, sizeof(o->own));
		o->own.have = true;
		o->own.key = r->key;
		o->own.family = r->key.family;
		memcpy(o->own.src, r->key.src, 16);
		memcpy(o->own.mac, r->key.src_mac, 6);
		o->own.priority = r->val.priority;
		o->own.since_ns = r->val.first_ns;
		o->own.last_ns = r->val.last_ns;
		memset(&o->own_id, 0, sizeof(o->own_id));
		o->own_id.segment = k->ifindex;
		o->own_id.vlan[0] = k->vlan[0];
		o->own_id.vlan[1] = k->vlan[1];
		o->own_id.family = k->family;
		o->own_id.vrid = r->key.vrid;
		name_receivers(d, r, &o->own_id);
		o->id = &o->own_id, o->m = &o->own, o->row = r, o->changes = 0, o->now = true;
		return true;
	}
	return found;
}

/* A router of the owner's VRID (any advertiser row of its domain). */
static bool router_mac(const struct vw_detector *d, const struct vw_domain_id *id,
		       const uint8_t *mac)
{
	for (size_t i = 0; i < d->t->n_rows; i++) {
		const struct vw_obs_key *k = &d->t->rows[i].key;
		if (k->ifindex == id->segment && k->vlan[0] == id->vlan[0] &&
		    k->vlan[1] == id->vlan[1] && k->family == id->family && k->vrid == id->vrid &&
		    !memcmp(k->src_mac, mac, 6))
			return true;
	}
	return false;
}

static bool master_mac(const struct owner *o, const uint8_t *mac)
{
	return !memcmp(mac, o->m->mac, 6) || vw_is_vrrp_vmac(mac, o->id->family, o->id->vrid);
}

static void kinds_str(const struct vip *v, const uint8_t *mac, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < v->n && off < len; i++)
		if (!memcmp(v->rows[i]->key.mac, mac, 6))
			off += (size_t)snprintf(buf + off, len - off, "%s%llu %s",
						off ? ", " : "", (unsigned long long)v->rows[i]->val.count,
						vw_claim_kind_name(v->rows[i]->key.kind));
}

static void host_str(const struct vw_detector *d, const uint8_t *mac, char *buf, size_t len)
{
	const struct vw_claim_host *h = vw_vips_host_of(&d->t->vips, mac);
	char a[VW_ADDR_STRLEN];

	if (h)
		snprintf(buf, len, " (its own address: %s)", vw_ip_str(h->family, h->addr, a, sizeof(a)));
	else
		buf[0] = 0;
}

static void start(struct vw_detector *d, struct vw_finding *f, enum vw_kind kind,
		  enum vw_severity sev, const struct vip *v, const struct owner *o, uint8_t vrid,
		  const uint8_t *mac)
{
	struct vw_domain_id id = {0};
	char a[VW_ADDR_STRLEN], m[VW_MAC_STRLEN];

	if (o && o->id)
		id = *o->id;
	else {
		id.segment = v->key.ifindex;
		id.vlan[0] = v->key.vlan[0];
		id.vlan[1] = v->key.vlan[1];
		id.family = v->key.family;
		id.vrid = vrid;
	}
	vw_finding_start(d, f, kind, sev, &id);
	if (o && o->row)
		vw_finding_add_source(f, o->row, NULL);
	vw_ip_str(v->key.family, v->key.addr, a, sizeof(a));
	if (mac)
		snprintf(f->subject, sizeof(f->subject), "%s %s", a, vw_mac_str(mac, m, sizeof(m)));
	else
		snprintf(f->subject, sizeof(f->subject), "%s", a);
}

static uint64_t mac_last(const struct vip *v, const uint8_t *mac, uint64_t *first)
{
	uint64_t last = 0;

	*first = UINT64_MAX;
	for (size_t i = 0; i < v->n; i++)
		if (!memcmp(v->rows[i]->key.mac, mac, 6)) {
			if (v->rows[i]->val.last_ns > last)
				last = v->rows[i]->val.last_ns;
			if (v->rows[i]->val.first_ns < *first)
				*first = v->rows[i]->val.first_ns;
		}
	return last;
}

static void foreign(struct vw_detector *d, const struct vip *v, const struct owner *o)
{
	char a[VW_ADDR_STRLEN], m[VW_MAC_STRLEN], mm[VW_MAC_STRLEN], ms[VW_ADDR_STRLEN],
		kinds[160], host[80];

	for (size_t i = 0; i < v->n; i++) {
		const struct vw_claim_row *r = v->rows[i];
		bool first_of_mac = true;
		for (size_t j = 0; j < i; j++)
			first_of_mac &= !!memcmp(v->rows[j]->key.mac, r->key.mac, 6);
		if (!first_of_mac || master_mac(o, r->key.mac))
			continue;
		uint64_t first, last = mac_last(v, r->key.mac, &first);
		/* recent first: router_mac walks the table */
		if (last + RECENT_NS < d->now_ns || router_mac(d, o->id, r->key.mac))
			continue;
		struct vw_finding f;
		start(d, &f, VW_K_VIP_FOREIGN_CLAIM, VW_SEV_CRITICAL, v, o, 0, r->key.mac);
		f.first_ns = first;
		f.last_ns = last;
		kinds_str(v, r->key.mac, kinds, sizeof(kinds));
		host_str(d, r->key.mac, host, sizeof(host));
		vw_ip_str(v->key.family, v->key.addr, a, sizeof(a));
		vw_mac_str(r->key.mac, m, sizeof(m));
		snprintf(f.message, sizeof(f.message),
			 "virtual address %s of VRID %u is claimed by %s%s (%s), which is neither "
			 "the master %s (%s) nor the VRRP virtual MAC nor any router of the VRID: "
			 "hosts that believe it send the master's traffic there",
			 a, o->id->vrid, m, host, kinds,
			 vw_ip_str(o->m->family, o->m->src, ms, sizeof(ms)),
			 vw_mac_str(o->m->mac, mm, sizeof(mm)));
		snprintf(f.advice, sizeof(f.advice),
			 "find the host with MAC %s%s and remove %s from it (a duplicate static "
			 "address, a cloned VM, a spoofer); then have the master re-announce "
			 "(vrrp_garp_master_refresh, or restart keepalived on it)",
			 m, host, a);
		vw_detector_raise(d, &f);
	}
}

static void split(struct vw_detector *d, const struct vip *v, const struct owner *o)
{
	const uint8_t *macs[8];
	size_t n = 0;
	bool all_routers = true, master_in = false;

	for (size_t i = 0; i < v->n && n < 8; i++) {
		const struct vw_claim_row *r = v->rows[i];
		if (r->val.last_ns + SPLIT_NS < d->now_ns)
			continue;
		/* another router of the VRID: only once the master had time to
		 * take the address over (a failover or preemption in progress) */
		if (!master_mac(o, r->key.mac) && router_mac(d, o->id, r->key.mac) &&
		    r->val.last_ns < o->m->since_ns + ANNOUNCE_NS)
			continue;
		/* the master's MAC and the virtual MAC are one claimer */
		const uint8_t *mac = master_mac(o, r->key.mac) ? o->m->mac : r->key.mac;
		bool dup = false;
		for (size_t j = 0; j < n; j++)
			dup |= !memcmp(macs[j], mac, 6);
		if (dup)
			continue;
		macs[n++] = mac;
		master_in |= mac == o->m->mac;
		all_routers &= master_mac(o, mac) || router_mac(d, o->id, mac);
	}
	if (n < 2)
		return;
	if (all_routers) {
		/* routers of the VRID one after the other (a failover, a
		 * preemption) are no split: their claims must overlap, or come
		 * within OVERLAP_NS of each other (both announcing at once) */
		bool overlap = false;
		for (size_t a1 = 0; a1 < n; a1++)
			for (size_t b1 = a1 + 1; b1 < n; b1++) {
				uint64_t fa, fb, la = mac_last(v, macs[a1], &fa),
						 lb = mac_last(v, macs[b1], &fb);
				overlap |= fa <= lb + OVERLAP_NS && fb <= la + OVERLAP_NS;
			}
		if (!overlap)
			return;
	}
	/* a failover between two routers of the VRID: the old master's last
	 * replies and the new one's announcements */
	if (all_routers && o->changes && o->m->since_ns + CHANGE_NS >= d->now_ns)
		return;
	/* a preemption being decided: the new master's gratuitous ARPs can
	 * draw a last reply from the old one's kernel in the same instant */
	if (all_routers && d->now_ns < o->m->contested_until_ns)
		return;
	char a[VW_ADDR_STRLEN], list[200], m[VW_MAC_STRLEN], ms[VW_ADDR_STRLEN];
	size_t off = 0;
	for (size_t j = 0; j < n && off < sizeof(list); j++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", j ? ", " : "",
					vw_mac_str(macs[j], m, sizeof(m)));
	struct vw_finding f;
	start(d, &f, VW_K_VIP_SPLIT_CLAIM, VW_SEV_CRITICAL, v, o, 0, NULL);
	f.last_ns = d->now_ns;
	f.first_ns = d->now_ns > SPLIT_NS ? d->now_ns - SPLIT_NS : 0;
	vw_ip_str(v->key.family, v->key.addr, a, sizeof(a));
	snprintf(f.message, sizeof(f.message),
		 "virtual address %s of VRID %u is claimed by %zu MACs within %llu s: %s%s; hosts "
		 "flip between them",
		 a, o->id->vrid, n, SPLIT_NS / S_NS, list,
		 master_in ? "" : " (none of them the master's)");
	snprintf(f.advice, sizeof(f.advice),
		 "only the master %s (%s) should answer for %s: find the other claimers and "
		 "remove the address from them, or look for a second master (split brain)",
		 vw_ip_str(o->m->family, o->m->src, ms, sizeof(ms)), vw_mac_str(o->m->mac, m, sizeof(m)),
		 a);
	vw_detector_raise(d, &f);
}

/* The latest claim, of announcements only or of any kind. */
static const struct vw_claim_row *latest(const struct vip *v, bool announcements)
{
	const struct vw_claim_row *best = NULL;

	for (size_t i = 0; i < v->n; i++) {
		const struct vw_claim_row *r = v->rows[i];
		if (announcements && !VW_CLAIM_IS_ANNOUNCEMENT(r->key.kind))
			continue;
		if (!best || r->val.last_ns > best->val.last_ns)
			best = r;
	}
	return best;
}

static bool announced_since(const struct vip *v, const struct owner *o, uint64_t since)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct vw_claim_row *r = v->rows[i];
		if (VW_CLAIM_IS_ANNOUNCEMENT(r->key.kind) && master_mac(o, r->key.mac) &&
		    r->val.last_ns >= since)
			return true;
	}
	return false;
}

/* Returns true when vip_no_announcement was raised. */
static bool no_announcement(struct vw_detector *d, const struct vip *v, const struct owner *o)
{
	uint64_t since = o->m->since_ns;
	const struct vw_claim_row *last = latest(v, false);
	char a[VW_ADDR_STRLEN], m[VW_MAC_STRLEN], mm[VW_MAC_STRLEN], ms[VW_ADDR_STRLEN],
		at[VW_TIME_STRLEN];

	if (!o->changes || !o->now || d->now_ns < since + ANNOUNCE_NS || !last ||
	    master_mac(o, last->key.mac))
		return false;
	if (announced_since(v, o, since > ANNOUNCE_EARLY_NS ? since - ANNOUNCE_EARLY_NS : 0))
		return false;
	struct vw_finding f;
	start(d, &f, VW_K_VIP_NO_ANNOUNCEMENT, VW_SEV_CRITICAL, v, o, 0, NULL);
	f.first_ns = since + ANNOUNCE_NS;
	f.last_ns = d->now_ns;
	vw_ip_str(v->key.family, v->key.addr, a, sizeof(a));
	vw_clock_str(since, at, sizeof(at));
	snprintf(f.message, sizeof(f.message),
		 "the new master %s (%s) of VRID %u, master since %s, sent no %s for %s within "
		 "%llu s, and the last claim heard (%s, %s) points to %s: hosts keep sending to "
		 "the old holder",
		 vw_ip_str(o->m->family, o->m->src, ms, sizeof(ms)),
		 vw_mac_str(o->m->mac, mm, sizeof(mm)), o->id->vrid, at,
		 v->key.family == 6 ? "unsolicited neighbour advertisement" : "gratuitous ARP", a,
		 ANNOUNCE_NS / S_NS, vw_claim_kind_name(last->key.kind),
		 vw_clock_str(last->val.last_ns, at, sizeof(at)), vw_mac_str(last->key.mac, m, sizeof(m)));
	snprintf(f.advice, sizeof(f.advice),
		 "its announcements are being dropped or not sent: check the switch's port "
		 "security / dynamic ARP inspection, the cloud's allowed_address_pairs or "
		 "source/destination check for %s, and keepalived's vrrp_garp_* settings "
		 "(vrrp_garp_master_delay, vrrp_garp_master_repeat)",
		 a);
	vw_detector_raise(d, &f);
	return true;
}

static void stale(struct vw_detector *d, const struct vip *v, const struct owner *o)
{
	const struct vw_claim_row *last = latest(v, true);
	char a[VW_ADDR_STRLEN], m[VW_MAC_STRLEN], mm[VW_MAC_STRLEN], ms[VW_ADDR_STRLEN],
		at[VW_TIME_STRLEN];

	/* the master had its time to announce over it (and the master rules
	 * their time to see a preemption): measured by its own adverts, not by
	 * the clock, so that a watch that goes on after the wire fell silent
	 * judges as the capture of that wire does (a file has no time after
	 * its last frame) */
	if (!o->now || !last || master_mac(o, last->key.mac) ||
	    o->m->last_ns < o->m->since_ns + ANNOUNCE_NS ||
	    o->m->last_ns < last->val.last_ns + ANNOUNCE_NS)
		return;
	struct vw_finding f;
	start(d, &f, VW_K_VIP_STALE_CLAIM, VW_SEV_WARNING, v, o, 0, last->key.mac);
	f.first_ns = o->m->since_ns + ANNOUNCE_NS > last->val.last_ns
			     ? o->m->since_ns + ANNOUNCE_NS
			     : last->val.last_ns;
	f.last_ns = d->now_ns;
	vw_ip_str(v->key.family, v->key.addr, a, sizeof(a));
	snprintf(f.message, sizeof(f.message),
		 "the last announcement of %s (%s at %s) came from %s, not from the master %s "
		 "(%s) of VRID %u",
		 a, vw_claim_kind_name(last->key.kind),
		 vw_clock_str(last->val.last_ns, at, sizeof(at)), vw_mac_str(last->key.mac, m, sizeof(m)),
		 vw_ip_str(o->m->family, o->m->src, ms, sizeof(ms)),
		 vw_mac_str(o->m->mac, mm, sizeof(mm)), o->id->vrid);
	snprintf(f.advice, sizeof(f.advice),
		 "hosts that heard it still send %s's traffic to %s: have the master re-announce "
		 "(vrrp_garp_master_refresh) and find why %s announced it",
		 a, m, m);
	vw_detector_raise(d, &f);
}

static void unanswered(struct vw_detector *d, const struct vip *v, const struct owner *o,
		       uint64_t prev_tick)
{
	struct vw_vip_state *s;

	if (!v->ask || !(s = state_of(d, &v->key))) {
		return;
	}
	if (v->ask->val.count > s->asks_seen) {
		if (!s->pending_since) {
			uint64_t from = prev_tick > v->ask->val.first_ns ? prev_tick : v->ask->val.first_ns;
			s->pending_since = from < v->ask->val.last_ns ? from : v->ask->val.last_ns;
		}
		s->pending_asks += v->ask->val.count - s->asks_seen;
		s->asks_seen = v->ask->val.count;
	}
	if (!s->pending_since)
		return;
	for (size_t i = 0; i < v->n; i++) {
		const struct vw_claim_row *r = v->rows[i];
		if (r->key.kind != VW_CLAIM_REQUEST && r->val.last_ns >= s->pending_since) {
			s->pending_since = 0;
			s->pending_asks = 0;
			return;
		}
	}
	if (!o || !o->now || s->pending_asks < 2 || d->now_ns < s->pending_since + UNANSWERED_NS)
		return;
	char a[VW_ADDR_STRLEN], at[VW_TIME_STRLEN], ms[VW_ADDR_STRLEN], mm[VW_MAC_STRLEN];
	struct vw_finding f;
	start(d, &f, VW_K_VIP_UNANSWERED, VW_SEV_WARNING, v, o, 0, NULL);
	f.first_ns = s->pending_since;
	f.last_ns = v->ask->val.last_ns;
	vw_ip_str(v->key.family, v->key.addr, a, sizeof(a));
	snprintf(f.message, sizeof(f.message),
		 "%llu %s for %s since %s went unanswered while the master %s (%s) of VRID "
		 "%u advertises it",
		 (unsigned long long)s->pending_asks,
		 v->key.family == 6 ? "neighbour solicitations" : "ARP requests", a,
		 vw_clock_str(s->pending_since, at, sizeof(at)),
		 vw_ip_str(o->m->family, o->m->src, ms, sizeof(ms)),
		 vw_mac_str(o->m->mac, mm, sizeof(mm)), o->id->vrid);
	snprintf(f.advice, sizeof(f.advice),
		 "check that the master really holds %s (ip addr on it), that ARP / ND is not "
		 "filtered on it (arptables, nft arp, arp_ignore / arp_filter) or on the way",
		 a);
	vw_detector_raise(d, &f);
}

/* A VRID for an address no router advertises: keepalived.conf's. */
static bool config_vrid(const struct vw_detector *d, const struct vip *v, uint8_t *vrid)
{
	const struct ka_config *c = d->o.config;
	size_t n = v->key.family == 6 ? 16 : 4;

	for (size_t i = 0; c && i < c->n_inst; i++) {
		const struct ka_instance *in = &c->inst[i];
		for (size_t j = 0; j < in->n_vips + in->n_vips_excluded; j++) {
			const struct ka_vip *x =
				j < in->n_vips ? &in->vips[j] : &in->vips_excluded[j - in->n_vips];
			if (x->addr.family == v->key.family && !memcmp(x->addr.addr, v->key.addr, n)) {
				*vrid = in->vrid;
				return true;
			}
		}
	}
	return false;
}

static void without_master(struct vw_detector *d, const struct vip *v, const struct owner *o)
{
	const struct vw_claim_row *last = latest(v, false);
	uint8_t vrid = 0;
	char a[VW_ADDR_STRLEN], m[VW_MAC_STRLEN], kinds[160];

	if (!last || last->val.last_ns + RECENT_NS < d->now_ns)
		return;
	/* claimed while a router announcing it still advertised: not without */
	for (size_t i = 0; i < d->t->n_rows; i++) {
		const struct vw_row *r = &d->t->rows[i];
		if (r->key.ifindex != v->key.ifindex || r->key.vlan[0] != v->key.vlan[0] ||
		    r->key.vlan[1] != v->key.vlan[1] || r->key.family != v->key.family ||
		    !row_lists(r, v->key.addr))
			continue;
		uint64_t down = vw_master_down_ns(r->val.version, r->val.interval_cs,
						  r->val.priority ? r->val.priority : 1);
		if (last->val.last_ns <= r->val.last_ns + down)
			return;
		vrid = r->key.vrid;
	}
	if (o && o->id)
		vrid = o->id->vrid;
	if (!vrid)
		config_vrid(d, v, &vrid);
	struct vw_finding f;
	start(d, &f, VW_K_VIP_CLAIM_WITHOUT_MASTER, VW_SEV_WARNING, v, o, vrid, last->key.mac);
	f.first_ns = last->val.first_ns;
	f.last_ns = last->val.last_ns;
	vw_ip_str(v->key.family, v->key.addr, a, sizeof(a));
	kinds_str(v, last->key.mac, kinds, sizeof(kinds));
	snprintf(f.message, sizeof(f.message),
		 "virtual address %s is claimed by %s (%s) while no router advertises its VRID%s",
		 a, vw_mac_str(last->key.mac, m, sizeof(m)), kinds,
		 o ? " any more" : "");
	snprintf(f.advice, sizeof(f.advice),
		 "a host holds %s outside VRRP: keepalived stopped without removing it, or the "
		 "address is configured by hand; remove it or restart keepalived",
		 a);
	vw_detector_raise(d, &f);
}

static void judge(struct vw_detector *d, const struct vip *v, uint64_t prev_tick)
{
	struct owner o;
	bool have = find_owner(d, &v->key, &o);

	unanswered(d, v, have ? &o : NULL, prev_tick);
	if (!have || !o.now) {
		without_master(d, v, have ? &o : NULL);
		return;
	}
	foreign(d, v, &o);
	split(d, v, &o);
	if (!no_announcement(d, v, &o))
		stale(d, v, &o);
}

/* Each virtual address claimed, judged.  (Out of line: the ticks of a
 * capture without ARP or neighbour discovery, most of them, set up none
 * of its frame.) */
static __attribute__((noinline)) void judge_claims(struct vw_detector *d, uint64_t prev_tick)
{
	const struct vw_vip_claims *vc = &d->t->vips;
	struct vw_claim_row **rows;

	if (!(rows = vw_vips_sorted(vc)))
		return;
	const struct vw_claim_row **buf = malloc(vc->n_rows * sizeof(*buf));
	if (!buf) {
		free(rows);
		return;
	}
	for (size_t i = 0; i < vc->n_rows;) {
		struct vip v = {.rows = buf};
		v.key = rows[i]->key;
		memset(v.key.mac, 0, 6);
		v.key.kind = VW_CLAIM_ASK;
		size_t j = i;
		for (; j < vc->n_rows && same_vip(&rows[j]->key, &v.key); j++) {
			if (rows[j]->key.kind == VW_CLAIM_ASK)
				v.ask = rows[j];
			else
				buf[v.n++] = rows[j];
		}
		judge(d, &v, prev_tick);
		i = j;
	}
	free(buf);
	free(rows);
}

void vw_rules_vips(struct vw_detector *d)
{
	uint64_t prev_tick = d->vip_prev_tick;

	d->vip_prev_tick = d->now_ns;
	if (d->t->vips.n_rows)
		judge_claims(d, prev_tick);
}

void vw_vips_watch_config(struct vw_table *t, const struct ka_config *c)
{
	for (size_t i = 0; c && i < c->n_inst; i++) {
		const struct ka_instance *in = &c->inst[i];
		if (in->rejected)
			continue;
		for (size_t j = 0; j < in->n_vips; j++)
			vw_vips_watch(&t->vips, in->vips[j].addr.family, in->vips[j].addr.addr, true);
		for (size_t j = 0; j < in->n_vips_excluded; j++)
			vw_vips_watch(&t->vips, in->vips_excluded[j].addr.family,
				      in->vips_excluded[j].addr.addr, true);
	}
}

const char *vw_vips_capture_note(const struct vw_table *t)
{
	if (!t->vips.n_watch || t->vips.arp_frames || t->vips.nd_frames)
		return NULL;
	return "the capture holds no ARP or IPv6 neighbour discovery: the checks of who holds "
	       "the virtual addresses (vip_*) need them; capture with a filter that keeps them, "
	       "e.g. 'vrrp or ip6 proto 112 or arp or (icmp6 and (ip6[40] == 135 or ip6[40] == 136))'";
}
