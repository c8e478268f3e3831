// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_inventory.c - the VRIDs in use on each segment and the free ones,
 * so that an operator can pick a VRID nobody uses (--inventory).
 */
#include <stdio.h>
#include <string.h>

#include "addr_fmt.h"
#include "detector.h"

static bool seen_before(const struct vw_table *t, size_t upto, const struct vw_row *r)
{
	for (size_t i = 0; i < upto; i++) {
		const struct vw_obs_key *k = &t->rows[i].key;
		if (k->ifindex == r->key.ifindex && k->vlan[0] == r->key.vlan[0] &&
		    k->vlan[1] == r->key.vlan[1] && k->family == r->key.family)
			return true;
	}
	return false;
}

static void used_vrids(const struct vw_table *t, const struct vw_row *r, char *buf, size_t len)
{
	unsigned count[256] = {0};
	size_t used = 0;

	for (size_t i = 0; i < t->n_rows; i++) {
		const struct vw_obs_key *k = &t->rows[i].key;
		if (k->ifindex == r->key.ifindex && k->vlan[0] == r->key.vlan[0] &&
		    k->vlan[1] == r->key.vlan[1] && k->family == r->key.family)
			count[k->vrid]++;
	}
	buf[0] = 0;
	for (int v = 1; v < 256; v++) {
		if (!count[v])
			continue;
		int w = snprintf(buf + used, len - used, "%s%d (%u advertiser%s)", used ? ", " : "",
				 v, count[v], count[v] == 1 ? "" : "s");
		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
}

void vw_rules_inventory(struct vw_detector *d)
{
	const struct vw_table *t = d->t;

	for (size_t i = 0; i < t->n_rows; i++) {
		const struct vw_row *r = &t->rows[i];
		struct vw_domain_id dom = {.segment = r->key.ifindex, .family = r->key.family};
		struct vw_finding f;
		char used[VW_FINDING_TEXT / 2], free_ids[VW_FINDING_TEXT / 2];

		if (seen_before(t, i, r))
			continue;
		dom.vlan[0] = r->key.vlan[0];
		dom.vlan[1] = r->key.vlan[1];
		vw_finding_start(d, &f, VW_K_INVENTORY, VW_SEV_INFO, &dom);
		snprintf(f.subject, sizeof(f.subject), "inventory");
		f.first_ns = t->first_ns;
		used_vrids(t, r, used, sizeof(used));
		vw_free_vrids(d, &dom, free_ids, sizeof(free_ids));
		snprintf(f.message, sizeof(f.message), "IPv%u VRIDs in use on %s: %s",
			 r->key.family, f.interface, used);
		snprintf(f.advice, sizeof(f.advice), "free: %s", free_ids);
		vw_detector_raise(d, &f);
	}
}
