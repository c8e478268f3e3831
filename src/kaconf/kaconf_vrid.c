// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kaconf_vrid.c - keepalived 2.2.7's check_vrid_conflicts(): two instances
 * may not share a VRID where their adverts would meet, else keepalived
 * refuses to start the VRRP process. Checked against keepalived -t:
 *  - multicast: same interface, family, VRID and multicast group
 *    (mcast_dst_ip or vrrp_mcast_group4/6) conflict;
 *  - unicast: same interface, family, VRID and local address conflict
 *    when the unicast_peer lists have an address in common;
 *  - multicast and unicast instances never conflict.
 */
#include <string.h>

#include "kaconf/kaconf_internal.h"

static bool peers_overlap(const struct ka_instance *a, const struct ka_instance *b)
{
	for (size_t i = 0; i < a->n_peers; i++) {
		for (size_t j = 0; j < b->n_peers; j++) {
			if (ka_addr_equal(&a->peers[i], &b->peers[j]))
				return true;
		}
	}
	return false;
}

static bool same_if(const struct ka_instance *a, const struct ka_instance *b)
{
	return !a->interface || !b->interface || !strcmp(a->interface, b->interface);
}

static void report(struct ka_config *cfg, struct ka_instance *a, struct ka_instance *b, bool sure)
{
	char dst[64];
	struct ka_loc at = b->loc.vrid.line ? b->loc.vrid : (struct ka_loc){ b->file, b->line };

	ka_addr_str(&b->mcast_dst, dst, sizeof(dst));
	ka_diag(cfg, sure ? KA_DIAG_ERROR : KA_DIAG_WARNING, "duplicate-vrid", at.file, at.line,
		"(%s) VRID %u on %s for IPv%u %s is also used by %s at %s:%u: keepalived %s",
		b->name, b->vrid, b->interface ? b->interface : "?", b->family,
		b->unicast ? "unicast to a common peer" : dst, a->name, a->file, a->line,
		sure ? "refuses to start the VRRP process"
		     : "refuses to start if one's unicast_src_ip is the interface address the other uses");
	if (sure)
		a->rejected = b->rejected = true;
}

static void check_pair(struct ka_config *cfg, struct ka_instance *a, struct ka_instance *b)
{
	if (!a->vrid || a->family != b->family || a->vrid != b->vrid || a->unicast != b->unicast ||
	    !same_if(a, b))
		return;
	if (!a->unicast) {
		if (ka_addr_equal(&a->mcast_dst, &b->mcast_dst))
			report(cfg, a, b, true);
		return;
	}
	if (!peers_overlap(a, b))
		return;
	if (a->unicast_src_set && b->unicast_src_set) {
		if (ka_addr_equal(&a->unicast_src, &b->unicast_src))
			report(cfg, a, b, true);
	} else if (!a->unicast_src_set && !b->unicast_src_set) {
		/* both use the interface's (same) address */
		report(cfg, a, b, true);
	} else {
		/* one uses the interface address: unknown here */
		report(cfg, a, b, false);
	}
}

void ka_check_vrid_conflicts(struct ka_config *cfg)
{
	for (size_t i = 0; i < cfg->n_inst; i++) {
		for (size_t j = i + 1; j < cfg->n_inst; j++)
			check_pair(cfg, &cfg->inst[i], &cfg->inst[j]);
	}
}
