// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_inventory.c - the VRIDs in use on each segment and the free ones,
 * so that an operator can pick a VRID nobody uses (--inventory).
 */
#include <stdio.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "detect/detector.h"
#include "util/strbuf.h"

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
	struct vw_strbuf sb;

	for (size_t i = 0; i < t->n_rows; i++) {
		const struct vw_obs_key *k = &t->rows[i].key;
		if (k->ifindex == r->key.ifindex && k->vlan[0] == r->key.vlan[0] &&
		    k->vlan[1] == r->key.vlan[1] && k->family == r->key.family)
			count[k->vrid]++;
	}
	vw_sb_init(&sb, buf, len);
	for (int v = 1; v < 256; v++)
		if (count[v])
			vw_sb_item(&sb, ", ", "%d (%u advertiser%s)", v, count[v],
				   count[v] == 1 ? "" : "s");
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
