/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * domain.h - collision domains: who competes with whom for a VRID.
 *
 * D = (segment, VLANs, family, receivers, VRID).  The same VRID on another
 * VLAN or in the other family is another router; so is the same VRID sent
 * to another multicast group (keepalived's mcast_dst_ip), or between
 * unicast pairs that never address each other.  Unicast advertisers join
 * one domain when they are connected by adverts (A sends to B, or B to A).
 */
#ifndef VRRPWATCH_DOMAIN_H
#define VRRPWATCH_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "model/activity.h"
#include "model/finding.h"
#include "model/obs_table.h"

struct vw_member {
	const struct vw_row *row;
	const struct vw_activity *act;
};

struct vw_domain {
	struct vw_domain_id id;
	bool unicast;
	struct vw_member *m; /* points into the domain set's member array */
	size_t n;            /* members judged one by one: m[0..n) */
	size_t n_all;        /* all members; m[n..n_all) were left out (vw_domain_limit) */
};

struct vw_domain_set {
	struct vw_domain *d;
	size_t n;
	size_t most; /* the largest n_all: no domain past it is flooded */
	struct vw_member *members;
	size_t n_members;
};

/*
 * Group the table's rows into domains.  With active_only, rows whose
 * episode has ended are left out.  Returns 0 or -ENOMEM.
 */
int vw_domains_build(struct vw_domain_set *s, const struct vw_table *t,
		     const struct vw_activity_map *am, bool active_only);
/* The same, from order: the table's row indices in the order the members
 * of a domain set take (vw_domains_order), so that grouping needs no sort.
 * A replay groups again whenever an advertiser begins or ends an episode,
 * while its rows stay the same for hours. */
int vw_domains_build_ordered(struct vw_domain_set *s, const struct vw_table *t,
			     const struct vw_activity_map *am, bool active_only,
			     const uint32_t *order);
/* Every row of t, in member order, into *order (t->n_rows entries; freed
 * by the caller).  Valid while the table holds the same rows in the same
 * places.  Returns 0 or -ENOMEM. */
int vw_domains_order(const struct vw_table *t, uint32_t **order);
void vw_domains_free(struct vw_domain_set *s);
/* The same collision domain: segment, VLANs, family, VRID, receivers. */
bool vw_domain_id_equal(const struct vw_domain_id *a, const struct vw_domain_id *b);

/*
 * Judge at most k members of a domain one by one: past k (a flood of
 * spoofed sources), the busiest k move to the front, busiest first, and n
 * becomes k; the others stay behind them, up to n_all.  Busiest: most
 * adverts; among equals those judged at tick prev_tick (act->judged_tick)
 * first, so that the judged set does not churn from tick to tick, then
 * the oldest, then by source, MAC, direction, destination.  A real master
 * advertises steadily, a spoofer cycling through addresses sends few
 * adverts from each: the master stays among the judged.  At or below k
 * nothing moves.
 */
void vw_domain_limit(struct vw_domain *d, size_t k, uint64_t prev_tick);

/* Where a domain is, for messages: "eth0 VLAN 10 (224.0.0.18)".  Returns buf. */
const char *vw_domain_where(const struct vw_table *t, const struct vw_domain_id *id, char *buf,
			    size_t len);

bool vw_addr_is_multicast(uint8_t family, const uint8_t *a);
/* Two rows advertise the same address set (order does not matter). */
bool vw_same_address_set(const struct vw_row *a, const struct vw_row *b);
/* They share no address at all. */
bool vw_disjoint_address_sets(const struct vw_row *a, const struct vw_row *b);

#endif
