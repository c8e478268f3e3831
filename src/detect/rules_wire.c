// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_wire.c - what the wire alone tells about a collision domain, with
 * no configuration: collisions, split brain, mismatched timers, versions,
 * address lists and checksum dialects, priority conflicts, duplicated
 * sources and virtual MACs, resignations, bad TTLs, clear-text passwords.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "detect/detector.h"
#include "detect/judge.h"
#include "detect/silent_master.h"
#include "util/strbuf.h"

#define TEXT VW_FINDING_TEXT

struct adv {
	const struct vw_row *row;
	const struct vw_activity *act;
	uint64_t md; /* master-down interval */
};

/* One entry per source address (the most recently heard row wins): the
 * same router seen rx and tx, or from two MACs, is one advertiser here. */
static size_t advertisers(const struct vw_domain *dom, struct adv *out)
{
	size_t n = 0;

	for (size_t i = 0; i < dom->n; i++) {
		const struct vw_member *m = &dom->m[i];
		size_t j;
		for (j = 0; j < n; j++)
			if (!memcmp(out[j].row->key.src, m->row->key.src, 16))
				break;
		if (j < n && out[j].row->val.last_ns >= m->row->val.last_ns)
			continue;
		out[j].row = m->row;
		out[j].act = m->act;
		out[j].md = vw_member_master_down(m);
		if (j == n)
			n++;
	}
	return n;
}

/* How long both advertised at once (their runs' overlap): a master that
 * went quiet while the other took over and came back to preempt it was not
 * advertising with it. */
static int64_t overlap_ns(const struct adv *a, const struct adv *b)
{
	return (int64_t)vw_activity_overlap_ns(a->act, b->act);
}

/* "A, B and C", each described in full. */
static void describe_all(const struct vw_finding *f, const struct adv *a, size_t n,
			 char *buf, size_t len)
{
	char one[320];
	struct vw_strbuf sb;
	size_t k = 0;

	vw_sb_init(&sb, buf, len);
	for (size_t i = 0; i < n; i++) {
		bool in = false;
		for (unsigned s = 0; s < f->n_src; s++)
			in |= !memcmp(f->src[s].src, a[i].row->key.src, 16);
		if (!in)
			continue;
		vw_describe_source(a[i].row, one, sizeof(one));
		vw_sb_printf(&sb, "%s%s", !k ? "" : k + 1 == f->n_src ? " and " : ", ", one);
		k++;
	}
}

struct pair_findings {
	struct vw_detector *d;
	const struct vw_domain_id *id;
	struct vw_finding coll, mm, alm, tie; /* started by the first pair (pair_to) */
	char deaf[TEXT / 4]; /* why two masters each discard the other's adverts */
};

void vw_wire_silent_span(const struct vw_row *x, const struct vw_activity *xa,
			 const struct vw_row *y, const struct vw_activity *ya,
			 struct vw_silent_span *s)
{
	const struct vw_obs_val *xv = &x->val, *yv = &y->val;

	s->x_silences = vw_silencing(x, xa, y, ya, &s->x_from);
	s->y_silences = vw_silencing(y, ya, x, xa, &s->y_from);
	s->x_md = vw_master_down_ns(xv->version, xv->interval_cs, xv->priority);
	s->y_md = vw_master_down_ns(yv->version, yv->interval_cs, yv->priority);
}

/* How long one silenced the other by its last advert (vw_silenced_master_ns). */
static uint64_t silenced_for(bool silences, uint64_t from, uint64_t last)
{
	return silences && last > from ? last - from : 0;
}

uint64_t vw_wire_silent_span_until(const struct vw_silent_span *s, uint64_t x_last,
				   uint64_t y_last)
{
	if (silenced_for(s->x_silences, s->x_from, x_last) >= s->x_md)
		return x_last; /* the silent one's span is one advert */
	if (silenced_for(s->y_silences, s->y_from, y_last) >= s->y_md)
		return y_last;
	return 0;
}

/* (vw_wire_silent_span_until of vw_wire_silent_span, without working out
 * the second half where the first answers) */
uint64_t vw_wire_silent_until(const struct vw_row *x, const struct vw_activity *xa,
			      const struct vw_row *y, const struct vw_activity *ya)
{
	const struct vw_obs_val *xv = &x->val, *yv = &y->val;

	if (vw_silenced_master_ns(x, xa, y, ya) >=
	    vw_master_down_ns(xv->version, xv->interval_cs, xv->priority))
		return xa->last_ns; /* the silent one's span is one advert */
	if (vw_silenced_master_ns(y, ya, x, xa) >=
	    vw_master_down_ns(yv->version, yv->interval_cs, yv->priority))
		return ya->last_ns;
	return 0;
}

/*
 * Both masters at once, long enough not to be a handover: both advertised
 * for a master-down interval, or one advertised while the other kept it
 * from advertising again (silent_master.c) for the advertiser's
 * master-down interval, past which any handover would have settled.
 */
static bool both_masters(const struct adv *x, const struct adv *y, int64_t both, uint64_t md,
			 uint64_t *until)
{
	*until = vw_wire_silent_until(x->row, x->act, y->row, y->act);
	return both >= (int64_t)md || *until;
}

/* x and y to finding f of a rule over pairs (f->n_src 0 before the
 * first), which the first pair starts: rules judge many pairs and raise
 * few findings, and a start writes a finding's head (a 3.6 KB struct on
 * the stack). */
static void pair_to(struct vw_detector *d, const struct vw_domain_id *id, struct vw_finding *f,
		    enum vw_kind kind, enum vw_severity sev, const struct adv *x,
		    const struct adv *y)
{
	if (!f->n_src)
		vw_finding_start(d, f, kind, sev, id);
	vw_finding_add_source(f, x->row, x->act);
	vw_finding_add_source(f, y->row, y->act);
}

static void classify_pair(struct pair_findings *p, const struct adv *x, const struct adv *y)
{
	uint64_t md = x->md > y->md ? x->md : y->md, until;
	int64_t both = overlap_ns(x, y);

	if (!x->row->val.priority || !y->row->val.priority)
		return; /* a resigning master is not competing */
	if (!vw_row_addresses_known(x->row) || !vw_row_addresses_known(y->row)) {
		/* a list the capture cut (snaplen): not compared */
	} else if (vw_disjoint_address_sets(x->row, y->row)) {
		/* no failover changes the address set: two virtual routers */
		pair_to(p->d, p->id, &p->coll, VW_K_VRID_COLLISION, VW_SEV_CRITICAL, x, y);
	} else if (vw_same_address_set(x->row, y->row)) {
		if (both_masters(x, y, both, md, &until)) {
			pair_to(p->d, p->id, &p->mm, VW_K_MULTIPLE_MASTERS, VW_SEV_CRITICAL, x, y);
			if (until > p->mm.last_ns)
				p->mm.last_ns = until;
			if (!p->deaf[0])
				vw_mutual_rejection(x->row, y->row, p->deaf, sizeof(p->deaf));
		}
	} else {
		pair_to(p->d, p->id, &p->alm, VW_K_ADDRESS_LIST_MISMATCH, VW_SEV_WARNING, x, y);
	}
	if (x->row->val.priority == y->row->val.priority && x->row->val.priority != 255 &&
	    both >= (int64_t)md)
		pair_to(p->d, p->id, &p->tie, VW_K_PRIORITY_CONFLICT, VW_SEV_WARNING, x, y);
}

static void raise_pairs(struct vw_detector *d, const struct vw_domain *dom,
			struct pair_findings *p, const struct adv *a, size_t n)
{
	char at[160], who[TEXT], free_ids[256];

	if (!p->coll.n_src && !p->mm.n_src && !p->alm.n_src && !p->tie.n_src)
		return;
	vw_domain_where(d->t, &dom->id, at, sizeof(at));
	if (p->coll.n_src) {
		describe_all(&p->coll, a, n, who, sizeof(who));
		vw_free_vrids(d, &dom->id, free_ids, sizeof(free_ids));
		if (dom->n_all > dom->n) /* a flood: say so before the (cut) list */
			snprintf(p->coll.message, TEXT,
				 "VRID %u on %s is used by virtual routers with different addresses, "
				 "from %zu sources (the %zu busiest judged individually: likely a "
				 "flood of spoofed sources); the busiest: %s",
				 dom->id.vrid, at, dom->n_all, dom->n, who);
		else
			snprintf(p->coll.message, TEXT,
				 "VRID %u on %s is used by %u virtual routers with different "
				 "addresses: %s",
				 dom->id.vrid, at, p->coll.n_src, who);
		snprintf(p->coll.advice, TEXT,
			 "give one of them another virtual_router_id; free on %s: %s",
			 p->coll.interface, free_ids);
		vw_detector_raise(d, &p->coll);
	}
	if (p->mm.n_src) {
		/* two masters deaf to each other: the span may follow the one
		 * kept silent (both_masters), not the rows alone */
		if (p->deaf[0])
			vw_judge_silent_span(d, n == 2);
		describe_all(&p->mm, a, n, who, sizeof(who));
		snprintf(p->mm.message, TEXT,
			 "split brain: %u routers are master of VRID %u on %s at the same time, "
			 "with the same addresses: %s%s%s%s",
			 p->mm.n_src, dom->id.vrid, at, who,
			 p->deaf[0] ? "; each discards the other's adverts (" : "", p->deaf,
			 p->deaf[0] ? "), so neither becomes backup" : "");
		if (p->deaf[0])
			snprintf(p->mm.advice, TEXT,
				 "make their vrrp_instance agree (vrrp_version, advert_int, "
				 "authentication); a router that is not one of your nodes must "
				 "leave your virtual_router_id");
		else
			snprintf(p->mm.advice, TEXT,
				 "they do not hear each other: let IP protocol 112 through between "
				 "them (nftables/iptables, security groups, IGMP snooping), or use "
				 "unicast_peer");
		vw_detector_raise(d, &p->mm);
	}
	if (p->alm.n_src) {
		describe_all(&p->alm, a, n, who, sizeof(who));
		snprintf(p->alm.message, TEXT,
			 "the routers of VRID %u on %s announce different address lists: %s",
			 dom->id.vrid, at, who);
		snprintf(p->alm.advice, TEXT,
			 "make virtual_ipaddress the same on every node of the group "
			 "(keepalived up to 2.3.2 drops adverts whose list differs from its own)");
		vw_detector_raise(d, &p->alm);
	}
	if (p->tie.n_src) {
		snprintf(p->tie.subject, sizeof(p->tie.subject), "equal priority");
		describe_all(&p->tie, a, n, who, sizeof(who));
		snprintf(p->tie.message, TEXT,
			 "equal priorities for VRID %u on %s: %s; the higher IP address wins the "
			 "election, not the intended master",
			 dom->id.vrid, at, who);
		snprintf(p->tie.advice, TEXT,
			 "give every node of the group its own priority, the intended master the "
			 "highest");
		vw_detector_raise(d, &p->tie);
	}
}

static void rule_pairs(struct vw_detector *d, const struct vw_domain *dom, const struct adv *a,
		       size_t n)
{
	struct pair_findings p;

	p.d = d;
	p.id = &dom->id;
	p.deaf[0] = 0;
	p.coll.n_src = p.mm.n_src = p.alm.n_src = p.tie.n_src = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			classify_pair(&p, &a[i], &a[j]);
	raise_pairs(d, dom, &p, a, n);
}

/* A field that should be the same for every router of a domain. */
struct field_rule {
	enum vw_kind kind;
	const char *what;
	unsigned (*get)(const struct vw_row *r);
};

static unsigned get_interval(const struct vw_row *r)
{
	return r->val.interval_cs;
}

static unsigned get_version(const struct vw_row *r)
{
	return r->val.version;
}

static void rule_same_field(struct vw_detector *d, const struct vw_domain *dom,
			    const struct adv *a, size_t n, const struct field_rule *fr)
{
	struct vw_finding f;
	char at[160], who[TEXT];
	bool v2 = false;

	/* Only routers of one virtual router must agree: two with disjoint
	 * address sets are a collision, and a router outside the known group
	 * is foreign; what they do differently is told in that finding.
	 * Started by the first pair that differs (pair_to). */
	f.n_src = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (fr->get(a[i].row) == fr->get(a[j].row) ||
			    vw_disjoint_address_sets(a[i].row, a[j].row) ||
			    vw_outside_group(d, a[i].row) || vw_outside_group(d, a[j].row))
				continue;
			pair_to(d, &dom->id, &f, fr->kind, VW_SEV_WARNING, &a[i], &a[j]);
			v2 |= a[i].row->val.version == 2 || a[j].row->val.version == 2;
		}
	if (!f.n_src)
		return;
	/* RFC 3768 7.1: a VRRPv2 receiver MUST discard another interval */
	if (fr->kind == VW_K_INTERVAL_MISMATCH && v2)
		f.severity = VW_SEV_CRITICAL;
	describe_all(&f, a, n, who, sizeof(who));
	snprintf(f.message, TEXT, "the routers of VRID %u on %s use different %s: %s",
		 dom->id.vrid, vw_domain_where(d->t, &dom->id, at, sizeof(at)), fr->what, who);
	if (fr->kind == VW_K_INTERVAL_MISMATCH)
		snprintf(f.advice, TEXT,
			 "set the same advert_int on every node (VRRPv2 receivers discard adverts "
			 "with another interval; VRRPv3 backups adopt the master's)");
	else
		snprintf(f.advice, TEXT,
			 "set the same vrrp_version on every node: keepalived discards adverts of "
			 "the other version (\"wrong version\") and both stay master");
	vw_detector_raise(d, &f);
}

/* The checksum variant a VRRPv3 advert of r validated with (none: 0). */
static uint8_t v3_variant(const struct vw_row *r)
{
	return r->val.version == 3 ? r->val.csum_variant : 0;
}

static bool one_variant(uint8_t seen)
{
	return !(seen & (seen - 1));
}

/* Over every member, not only the advertisers the rule reads (a subset):
 * judge.c asks whether a checksum change can leave the rule's result as
 * it was. */
bool vw_wire_one_dialect(const struct vw_domain *dom)
{
	uint8_t seen = 0;

	if (dom->id.family != 4)
		return true;
	for (size_t i = 0; i < dom->n_all; i++)
		seen |= v3_variant(dom->m[i].row);
	return one_variant(seen);
}

static void rule_checksum_dialect(struct vw_detector *d, const struct vw_domain *dom,
				  const struct adv *a, size_t n)
{
	struct vw_finding f;
	char at[160], line[TEXT], src[VW_ADDR_STRLEN];
	uint8_t seen = 0;
	struct vw_strbuf sb;

	if (dom->id.family != 4)
		return; /* IPv6 has one checksum: with the pseudo-header */
	for (size_t i = 0; i < n; i++)
		seen |= v3_variant(a[i].row);
	if (one_variant(seen))
		return;
	vw_finding_start(d, &f, VW_K_CHECKSUM_DIALECT_MISMATCH, VW_SEV_WARNING, &dom->id);
	vw_sb_init(&sb, line, sizeof(line));
	for (size_t i = 0; i < n; i++) {
		const struct vw_row *r = a[i].row;
		if (r->val.version != 3 || !r->val.csum_variant)
			continue;
		vw_finding_add_source(&f, r, a[i].act);
		vw_sb_item(&sb, ", ", "%s: %s", vw_ip_str(r->key.family, r->key.src, src, sizeof(src)),
			   vw_csum_name(r->val.csum_variant));
	}
	snprintf(f.message, TEXT,
		 "VRRPv3 adverts for VRID %u on %s validate with different checksum variants "
		 "(%s): each side discards the other's",
		 dom->id.vrid, vw_domain_where(d->t, &dom->id, at, sizeof(at)), line);
	snprintf(f.advice, TEXT,
		 "use one dialect everywhere: pseudo = RFC 5798 (keepalived's default), message = "
		 "RFC 9568 / Cisco / keepalived v3_checksum_as_v2 (2.2.8+)");
	vw_detector_raise(d, &f);
}

static bool owns_addresses(const struct vw_row *r)
{
	const uint8_t *x;
	unsigned alen = r->key.family == 6 ? 16 : 4;

	for (unsigned i = 0; (x = vw_row_address(r, i)); i++)
		if (!memcmp(x, r->key.src, alen))
			return true;
	return false;
}

static void rule_owners(struct vw_detector *d, const struct vw_domain *dom, const struct adv *a,
			size_t n)
{
	struct vw_finding two, fake;
	char at[160], who[TEXT];
	unsigned owners = 0;

	for (size_t i = 0; i < n; i++)
		owners += a[i].row->val.priority == 255;
	if (!owners)
		return;
	vw_domain_where(d->t, &dom->id, at, sizeof(at));
	vw_finding_start(d, &two, VW_K_PRIORITY_CONFLICT, VW_SEV_WARNING, &dom->id);
	snprintf(two.subject, sizeof(two.subject), "two owners");
	for (size_t i = 0; i < n; i++)
		if (a[i].row->val.priority == 255)
			vw_finding_add_source(&two, a[i].row, a[i].act);
	if (two.n_src >= 2) {
		describe_all(&two, a, n, who, sizeof(who));
		snprintf(two.message, TEXT,
			 "%u routers claim to own the addresses of VRID %u on %s (priority 255): %s",
			 two.n_src, dom->id.vrid, at, who);
		snprintf(two.advice, TEXT,
			 "only the router whose own address is the virtual address may use priority "
			 "255; give the others 254 or lower");
		vw_detector_raise(d, &two);
	}
	for (size_t i = 0; i < n; i++) {
		const struct vw_row *r = a[i].row;
		if (r->val.priority != 255 || owns_addresses(r) || !vw_row_addresses_known(r))
			continue; /* (a list the capture cut may hold its own) */
		vw_finding_start(d, &fake, VW_K_PRIORITY_CONFLICT, VW_SEV_WARNING, &dom->id);
		vw_ip_str(r->key.family, r->key.src, fake.subject, sizeof(fake.subject));
		vw_finding_add_source(&fake, r, a[i].act);
		vw_describe_source(r, who, sizeof(who));
		snprintf(fake.message, TEXT,
			 "%s advertises priority 255 (address owner, RFC 5798 5.2.4) for VRID %u on "
			 "%s but none of the addresses is its own",
			 who, dom->id.vrid, at);
		snprintf(fake.advice, TEXT,
			 "use 254 or lower (keepalived sets 255 for \"state MASTER\" without a "
			 "priority line)");
		vw_detector_raise(d, &fake);
	}
}

static bool is_vmac(const struct vw_row *r)
{
	const uint8_t *m = r->key.src_mac;

	/* RFC 5798 7.3: 00-00-5E-00-01-{VRID} (IPv4), 00-00-5E-00-02-{VRID} (IPv6) */
	return m[0] == 0 && m[1] == 0 && m[2] == 0x5e && m[3] == 0 &&
	       m[4] == (r->key.family == 6 ? 2 : 1) && m[5] == r->key.vrid;
}

static void rule_macs(struct vw_detector *d, const struct vw_domain *dom)
{
	char at[160], src[VW_ADDR_STRLEN], mac[VW_MAC_STRLEN], macs[256];

	for (size_t i = 0; i < dom->n; i++) {
		const struct vw_row *r = dom->m[i].row;
		struct vw_finding f;
		struct vw_strbuf sb;
		bool first = true, two_macs = false;
		for (size_t j = 0; j < dom->n; j++) {
			const struct vw_row *q = dom->m[j].row;
			if (memcmp(q->key.src, r->key.src, 16))
				continue;
			first &= j >= i; /* report each source once, from its first row */
			two_macs |= memcmp(q->key.src_mac, r->key.src_mac, 6) != 0;
		}
		if (!first || !two_macs)
			continue;
		vw_finding_start(d, &f, VW_K_DUPLICATE_SOURCE_IP, VW_SEV_CRITICAL, &dom->id);
		for (size_t j = 0; j < dom->n; j++)
			if (!memcmp(dom->m[j].row->key.src, r->key.src, 16))
				vw_finding_add_source(&f, dom->m[j].row, dom->m[j].act);
		vw_domain_where(d->t, &dom->id, at, sizeof(at));
		vw_sb_init(&sb, macs, sizeof(macs));
		for (unsigned s = 0; s < f.n_src; s++)
			vw_sb_item(&sb, ", ", "%s", vw_mac_str(f.src[s].mac, mac, sizeof(mac)));
		vw_ip_str(r->key.family, r->key.src, f.subject, sizeof(f.subject));
		snprintf(f.message, TEXT,
			 "%s advertises VRID %u on %s from %u MAC addresses (%s): a cloned VM, a "
			 "duplicated address or a spoofer",
			 vw_ip_str(r->key.family, r->key.src, src, sizeof(src)), dom->id.vrid, at,
			 f.n_src, macs);
		snprintf(f.advice, TEXT,
			 "find the hosts behind these MACs (switch MAC table, ip neigh) and remove "
			 "the duplicate address");
		vw_detector_raise(d, &f);
	}
}

static void rule_vmac_shared(struct vw_detector *d, const struct vw_domain *dom,
			     const struct adv *a, size_t n)
{
	struct vw_finding f;
	char at[160], who[TEXT], mac[VW_MAC_STRLEN];

	f.n_src = 0; /* started by the first pair (pair_to) */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			uint64_t md = a[i].md > a[j].md ? a[i].md : a[j].md;
			if (is_vmac(a[i].row) && is_vmac(a[j].row) &&
			    !memcmp(a[i].row->key.src_mac, a[j].row->key.src_mac, 6) &&
			    overlap_ns(&a[i], &a[j]) >= (int64_t)md) {
				pair_to(d, &dom->id, &f, VW_K_VMAC_SHARED, VW_SEV_WARNING, &a[i],
					&a[j]);
			}
		}
	if (!f.n_src)
		return;
	describe_all(&f, a, n, who, sizeof(who));
	snprintf(f.message, TEXT,
		 "virtual MAC %s is used by %u routers at once on %s: %s; switches see the MAC "
		 "move between ports",
		 vw_mac_str(f.src[0].mac, mac, sizeof(mac)), f.n_src,
		 vw_domain_where(d->t, &dom->id, at, sizeof(at)), who);
	snprintf(f.advice, TEXT,
		 "only one master may hold the virtual MAC (use_vmac): resolve the split brain or "
		 "collision on this VRID");
	vw_detector_raise(d, &f);
}

/* What a per-source finding says is made of. */
struct source_words {
	struct vw_detector *d;
	const struct vw_domain *dom;
	const struct vw_row *r;
	const char *who; /* vw_describe_source */
};

static void say_resigned(char *msg, const struct source_words *w)
{
	char at[160];

	vw_domain_where(w->d->t, &w->dom->id, at, sizeof(at));
	snprintf(msg, TEXT, "%s resigned as master of VRID %u on %s (priority-0 advert)", w->who,
		 w->dom->id.vrid, at);
}

static void say_ttl(char *msg, const struct source_words *w)
{
	snprintf(msg, TEXT,
		 "%u adverts from %s arrived with TTL/hop limit %u, not 255: they were routed, "
		 "and receivers discard them (RFC 5798 7.1)",
		 w->r->val.bad_ttl, w->who, w->r->val.ttl);
}

/* "%u adverts from %s fail every VRRP checksum variant", without stdio: a
 * broken advert opens this finding and the next good one closes it,
 * thousands of times in an hour of a segment with a flaky sender */
static void say_malformed(char *msg, const struct source_words *w)
{
	struct vw_strbuf sb;

	vw_sb_init(&sb, msg, TEXT);
	vw_sb_u64(&sb, w->r->val.bad_csum);
	vw_sb_put(&sb, " adverts from ");
	vw_sb_put(&sb, w->who);
	vw_sb_put(&sb, " fail every VRRP checksum variant");
}

static void say_cleartext(char *msg, const struct source_words *w)
{
	snprintf(msg, TEXT,
		 "%s uses VRRPv2 password authentication: the password travels in clear text in "
		 "every advert (not shown here)",
		 w->who);
}

/* A finding about one advertiser: its subject is the prefix and the
 * source's address, its severity and advice fixed (what lets the list
 * raise it again in place: vw_detector_raise_again). */
struct source_rule {
	enum vw_kind kind;
	enum vw_severity sev;
	const char *prefix;
	bool event; /* an instant at its last advert */
	void (*say)(char *msg, const struct source_words *w);
	const char *advice;
};

static const struct source_rule resigned = {
	VW_K_MASTER_RESIGNED, VW_SEV_INFO, "", true, say_resigned,
	"expected when keepalived stops or reloads: a backup takes over within its skew time"};
/* keepalived checks the TTL of multicast adverts only: unicast may be
 * routed on purpose (unicast_ttl, per-peer min/max_ttl) */
static const struct source_rule ttl_not_255 = {
	VW_K_TTL_NOT_255, VW_SEV_WARNING, "", false, say_ttl,
	"keep the VRRP group on one L2 segment; across routers use unicast_peer (keepalived "
	"skips the TTL check for unicast)"};
static const struct source_rule malformed = {
	VW_K_MALFORMED, VW_SEV_INFO, "bad_checksum ", false, say_malformed,
	"suspect the sender's VRRP implementation or a device rewriting the packets (NAT, "
	"offload bugs)"};
static const struct source_rule cleartext = {
	VW_K_CLEARTEXT_AUTH, VW_SEV_INFO, "", false, say_cleartext,
	"it protects nothing (RFC 3768 dropped it): remove authentication or move to VRRPv3, "
	"and keep VRRP on a trusted segment"};

/* The per-source rules whose finding holds for r, in their order, into
 * holding (room for four): tested before any text is made, so that none
 * is for an advertiser with nothing to say (one that sent a broken advert
 * once and good ones since). */
static unsigned rules_holding(const struct vw_domain *dom, const struct vw_row *r,
			      const struct vw_activity *act, const struct source_rule **holding)
{
	const struct vw_obs_val *v = &r->val;
	unsigned n = 0;

	if (act->resigned)
		holding[n++] = &resigned;
	if (!act->active)
		return n;
	if (!dom->unicast && v->bad_ttl && v->ttl != 255)
		holding[n++] = &ttl_not_255;
	if (v->bad_csum && !v->csum_variant)
		holding[n++] = &malformed;
	if (v->version == 2 && v->auth_type == 1)
		holding[n++] = &cleartext;
	return n;
}

/* Raise rule's finding about w's row: in place where the list still holds
 * it as its last raise left it, else built and raised in full. */
static void raise_source(const struct source_rule *rule, const struct source_words *w,
			 const struct vw_activity *act)
{
	const struct vw_row *r = w->r;
	uint64_t first, last;
	struct vw_finding f;
	char *msg;

	vw_source_span(r, act, &first, &last);
	if (rule->event)
		first = last;
	if ((msg = vw_detector_raise_again(w->d, rule->kind, &w->dom->id, r, first, last,
					   rule->event))) {
		rule->say(msg, w);
		return;
	}
	vw_finding_start(w->d, &f, rule->kind, rule->sev, &w->dom->id);
	vw_str_copy(f.subject, sizeof(f.subject), rule->prefix);
	size_t n = strlen(f.subject);
	vw_ip_str(r->key.family, r->key.src, f.subject + n, sizeof(f.subject) - n);
	vw_finding_add_source(&f, r, act);
	f.first_ns = first;
	f.last_ns = last;
	f.event = rule->event;
	rule->say(f.message, w);
	vw_str_copy(f.advice, sizeof(f.advice), rule->advice);
	vw_detector_raise_source(w->d, &f, r);
}

/* Per advertiser: resignations, TTL, checksums that never validate,
 * clear-text passwords. */
static void rule_each_source(struct vw_detector *d, const struct vw_domain *dom)
{
	char who[TEXT];

	for (size_t i = 0; i < dom->n; i++) {
		const struct vw_row *r = dom->m[i].row;
		const struct vw_activity *act = dom->m[i].act;
		const struct source_rule *holding[4];
		struct source_words w = {d, dom, r, who};
		unsigned n = rules_holding(dom, r, act, holding);
		if (!n)
			continue; /* nothing to say: no text to make */
		vw_describe_source(r, who, sizeof(who));
		for (unsigned k = 0; k < n; k++)
			raise_source(holding[k], &w, act);
	}
}

void vw_rules_wire(struct vw_detector *d, const struct vw_domain *dom)
{
	static const struct field_rule interval = {VW_K_INTERVAL_MISMATCH, "advert intervals",
						   get_interval};
	static const struct field_rule version = {VW_K_VERSION_MISMATCH, "VRRP versions",
						  get_version};
	/* a domain of a few advertisers, as nearly all are, needs no
	 * allocation: this runs at every tick a domain changes in */
	struct adv few[16];
	struct adv *a = dom->n < sizeof(few) / sizeof(few[0]) ? few : calloc(dom->n + 1, sizeof(*a));

	if (!a) {
		d->error = -1;
		return;
	}
	size_t n = advertisers(dom, a);
	/* each step runs unless judge.c raises what it raised before instead */
	if (vw_judge_step(d, VW_WIRE_PAIRS))
		rule_pairs(d, dom, a, n);
	if (vw_judge_step(d, VW_WIRE_INTERVALS))
		rule_same_field(d, dom, a, n, &interval);
	if (vw_judge_step(d, VW_WIRE_VERSIONS))
		rule_same_field(d, dom, a, n, &version);
	if (vw_judge_step(d, VW_WIRE_DIALECT))
		rule_checksum_dialect(d, dom, a, n);
	if (vw_judge_step(d, VW_WIRE_OWNERS))
		rule_owners(d, dom, a, n);
	if (vw_judge_step(d, VW_WIRE_MACS))
		rule_macs(d, dom);
	if (vw_judge_step(d, VW_WIRE_VMAC))
		rule_vmac_shared(d, dom, a, n);
	if (vw_judge_step(d, VW_WIRE_SOURCES))
		rule_each_source(d, dom);
	if (a != few)
		free(a);
}

void vw_rules_sources(struct vw_detector *d, const struct vw_domain *dom)
{
	rule_each_source(d, dom);
}

/* Frames of protocol 112 the decoder refused, per segment and reason. */
void vw_rules_segment(struct vw_detector *d)
{
	const struct vw_table *t = d->t;
	char src[VW_ADDR_STRLEN];

	for (size_t i = 0; i < t->n_rejects; i++) {
		const struct vw_reject_row *j = &t->rejects[i];
		/* bad TTL and checksum are judged per advertiser; CARP is not VRRP;
		 * a frame the capture cut is not the sender's doing (a note) */
		if (j->reason == VW_R_BAD_TTL || j->reason == VW_R_BAD_CHECKSUM ||
		    j->reason == VW_R_CARP || j->reason == VW_R_CAPTURE_CUT ||
		    d->now_ns > j->last_ns + 10000000000ull)
			continue;
		struct vw_domain_id dom = {.segment = j->segment, .family = j->last_family};
		struct vw_finding f;
		dom.vlan[0] = j->vlan[0];
		dom.vlan[1] = j->vlan[1];
		vw_finding_start(d, &f, VW_K_MALFORMED, VW_SEV_INFO, &dom);
		snprintf(f.subject, sizeof(f.subject), "%s", vw_reason_name(j->reason));
		f.first_ns = j->first_ns;
		f.last_ns = j->last_ns;
		snprintf(f.message, TEXT,
			 "%llu frames of IP protocol 112 on %s were not valid VRRP: %s (last from %s)",
			 (unsigned long long)j->count, f.interface, vw_reason_name(j->reason),
			 j->last_family ? vw_ip_str(j->last_family, j->last_src, src, sizeof(src))
					: "an unknown source");
		snprintf(f.advice, TEXT,
			 "look at the sender: a broken VRRP implementation, or something else using "
			 "protocol 112");
		vw_detector_raise(d, &f);
	}
}
