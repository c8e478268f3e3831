// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config_match.c - where keepalived.conf meets the wire: which rows and
 * domains belong to a vrrp_instance (its interface, VLAN, family, VRID and
 * receivers), how an advertised address set compares with its
 * virtual_ipaddress, and who is in its group.  The rules and the instance
 * states use these; none of them calls back into the dispatcher.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/config_match.h"
#include "util/addr_fmt.h"
#include "util/strbuf.h"

bool vw_ka_addr_in(const struct ka_addr *list, size_t n, uint8_t family, const uint8_t *a)
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

enum vw_set_relation vw_compare_to_config(const struct vw_row *r, const struct ka_instance *in)
{
	const uint8_t *a;
	unsigned shared = 0, n = 0;

	/* a list the capture cut (snaplen) is not judged: taken as the
	 * configured one, so that it raises nothing of its own */
	if (!vw_row_addresses_known(r))
		return VW_SET_SAME;

	for (unsigned i = 0; (a = vw_row_address(r, i)); i++, n++)
		shared += in_vips(in, r->key.family, a);
	if (shared == n && n == in->n_vips)
		return VW_SET_SAME;
	return shared ? VW_SET_PARTIAL : VW_SET_DISJOINT;
}

/* "eth0.100" is VLAN 100 on "eth0" (written to base); "eth0" is VLAN 0. */
unsigned long vw_split_ifname(const char *ifname, char *base, size_t len)
{
	const char *dot = strrchr(ifname, '.');

	vw_str_copy(base, len, ifname); /* the config rules match every row at every tick */
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
	unsigned long vid = vw_split_ifname(ifname, base, sizeof(base));
	if (seg->named && strcmp(seg->name, base))
		return false;
	return vlan[0] == vid || (!seg->named && vlan[0] == 0 && vlan[1] == 0);
}

bool vw_segment_has_vlan(const struct vw_table *t, uint32_t seg, unsigned long vid)
{
	for (size_t i = 0; i < t->n_rows; i++)
		if (t->rows[i].key.ifindex == seg && t->rows[i].key.vlan[0] == vid)
			return true;
	return false;
}

bool vw_row_matches(const struct vw_detector *d, const struct ka_instance *in,
			const struct vw_row *r)
{
	const struct vw_obs_key *k = &r->key;

	const struct vw_segment *seg = vw_table_segment(d->t, k->ifindex);
	char base[VW_SEGMENT_NAME_MAX];

	if (k->family != in->family || k->vrid != in->vrid ||
	    !vw_interface_matches(seg, in->interface, k->vlan))
		return false;
	/* a capture without interface names that holds frames tagged N was
	 * taken on the trunk: its untagged frames are the native VLAN, not
	 * "eth0.N" */
	unsigned long vid = vw_split_ifname(in->interface, base, sizeof(base));
	if (seg && !seg->named && vid && !k->vlan[0] && vw_segment_has_vlan(d->t, k->ifindex, vid))
		return false;
	if (!in->unicast)
		return !memcmp(k->dst, in->mcast_dst.addr, k->family == 6 ? 16 : 4);
	return vw_ka_addr_in(in->peers, in->n_peers, k->family, k->src) ||
	       vw_ka_addr_in(in->peers, in->n_peers, k->family, k->dst) ||
	       (in->unicast_src_set && (!memcmp(in->unicast_src.addr, k->src, 16) ||
					!memcmp(in->unicast_src.addr, k->dst, 16)));
}

/*
 * The group of an instance: this node, its unicast_peers and
 * unicast_src_ip, and the --peer addresses.  A multicast instance without
 * --peer has no known group: any router with our addresses may be a peer.
 */
bool vw_group_known(const struct vw_detector *d, const struct ka_instance *in)
{
	if (in->n_peers)
		return true;
	for (size_t i = 0; i < d->o.n_peers; i++)
		if (d->o.peers[i].family == in->family)
			return true;
	return false;
}

bool vw_in_group(const struct vw_detector *d, const struct ka_instance *in,
		     const struct vw_row *r)
{
	const uint8_t *src = r->key.src;

	return vw_is_local(d, r) || vw_ka_addr_in(in->peers, in->n_peers, r->key.family, src) ||
	       vw_ka_addr_in(d->o.peers, d->o.n_peers, r->key.family, src) ||
	       (in->unicast_src_set && vw_ka_addr_in(&in->unicast_src, 1, r->key.family, src));
}

void vw_instance_text(const struct ka_instance *in, char *buf, size_t len)
{
	snprintf(buf, len, "%s (%s:%u)", in->name ? in->name : "?", in->file ? in->file : "?",
		 in->loc.vrid.line ? in->loc.vrid.line : in->line);
}

void vw_config_vips(const struct ka_instance *in, char *buf, size_t len)
{
	char a[VW_ADDR_STRLEN];
	struct vw_strbuf sb;

	vw_sb_init(&sb, buf, len);
	for (size_t i = 0; i < in->n_vips && i < 4; i++)
		vw_sb_item(&sb, ", ", "%s", ka_addr_str(&in->vips[i].addr, a, sizeof(a)));
	if (in->n_vips > 4)
		vw_sb_item(&sb, ", ", "+%zu more", in->n_vips - 4);
}

/* The segment and VLAN the instance's interface is on: "eth0.100" is
 * VLAN 100 of a capture on eth0, or untagged on a capture on eth0.100. */
const struct vw_segment *vw_instance_segment(const struct vw_detector *d,
					      const struct ka_instance *in,
					      struct vw_domain_id *dom)
{
	char base[VW_SEGMENT_NAME_MAX];
	unsigned long vid;

	if (!in->interface)
		return NULL;
	vid = vw_split_ifname(in->interface, base, sizeof(base));
	for (uint32_t s = 1; s <= d->t->n_segments; s++) {
		const struct vw_segment *seg = vw_table_segment(d->t, s);
		uint16_t vlan[VW_MAX_VLAN] = {(uint16_t)vid, 0};
		if (seg->named && !strcmp(seg->name, in->interface))
			vlan[0] = 0;
		else if (seg->named && strcmp(seg->name, base))
			continue;
		else if (!seg->named && vid && !vw_segment_has_vlan(d->t, s, vid))
			vlan[0] = 0; /* taken on the VLAN interface itself, untagged */
		dom->segment = s;
		dom->vlan[0] = vlan[0];
		return seg;
	}
	return NULL;
}

bool vw_domain_for_instance(const struct vw_detector *d, const struct ka_instance *in,
				const struct vw_domain *dom)
{
	if (dom->id.family != in->family || dom->id.vrid != in->vrid)
		return false;
	for (size_t i = 0; i < dom->n; i++)
		if (vw_row_matches(d, in, dom->m[i].row))
			return true;
	return false;
}

bool vw_config_names_source(const struct vw_detector *d, const struct vw_row *r)
{
	const struct ka_config *c = d->o.config;

	for (size_t i = 0; c && i < c->n_inst; i++) {
		const struct ka_instance *in = &c->inst[i];
		if (!in->unicast || in->rejected || in->family != r->key.family ||
		    in->vrid != r->key.vrid)
			continue;
		if (vw_ka_addr_in(in->peers, in->n_peers, r->key.family, r->key.src) ||
		    (in->unicast_src_set && vw_ka_addr_in(&in->unicast_src, 1, r->key.family, r->key.src)))
			return true;
	}
	return false;
}
