// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_group.c - the group of a local instance, as --show-config lists
 * it (issue 10: this node, unicast_peer, --peer).
 */
#include "report/report_group.h"

#include <stdio.h>
#include <string.h>

#define ADDR_LEN 64

static bool listed(const struct ka_group_member *m, size_t n, const struct ka_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].addr && ka_addr_equal(m[i].addr, a))
			return true;
	return false;
}

static size_t add(struct ka_group_member *out, size_t n, size_t max, const struct ka_addr *a,
		  bool this_node, const char *from)
{
	if (n >= max || (a && listed(out, n, a)))
		return n;
	out[n] = (struct ka_group_member){a, this_node, from};
	return n + 1;
}

size_t ka_group_members(const struct ka_instance *in, const struct ka_report_group *g,
			struct ka_group_member *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; g && i < g->n_local; i++)
		if (g->local[i].family == in->family)
			n = add(out, n, max, &g->local[i], true, "--local-address");
	if (in->unicast_src_set)
		n = add(out, n, max, &in->unicast_src, true, "unicast_src_ip");
	if (!n) /* this node is in its group, whatever its address */
		n = add(out, n, max, NULL, true, NULL);
	for (size_t i = 0; i < in->n_peers; i++)
		n = add(out, n, max, &in->peers[i], false, "unicast_peer");
	for (size_t i = 0; g && i < g->n_peers; i++)
		if (g->peers[i].family == in->family)
			n = add(out, n, max, &g->peers[i], false, "--peer");
	return n;
}

bool ka_group_known(const struct ka_instance *in, const struct ka_report_group *g)
{
	struct ka_group_member m[KA_GROUP_MAX];
	size_t n = ka_group_members(in, g, m, KA_GROUP_MAX);

	for (size_t i = 0; i < n; i++)
		if (!m[i].this_node)
			return true;
	return false;
}

void ka_group_text(const struct ka_instance *in, const struct ka_report_group *g, char *buf,
		   size_t len)
{
	struct ka_group_member m[KA_GROUP_MAX];
	size_t n = ka_group_members(in, g, m, KA_GROUP_MAX), off = 0;
	char a[ADDR_LEN];

	buf[0] = 0;
	for (size_t i = 0; i < n && off < len; i++) {
		const char *sep = i ? ", " : "";
		if (m[i].this_node && !m[i].addr)
			off += (size_t)snprintf(buf + off, len - off, "%sthis node", sep);
		else if (m[i].this_node)
			off += (size_t)snprintf(buf + off, len - off, "%sthis node %s", sep,
						ka_addr_str(m[i].addr, a, sizeof(a)));
		else
			off += (size_t)snprintf(buf + off, len - off, "%s%s (%s)", sep,
						ka_addr_str(m[i].addr, a, sizeof(a)), m[i].from);
	}
	/* without a peer named, any router with these addresses may be one */
	if (off < len && !ka_group_known(in, g))
		snprintf(buf + off, len - off, "; no peer named (--peer ADDR)");
}

void ka_group_json(struct json_writer *w, const struct ka_instance *in,
		   const struct ka_report_group *g)
{
	struct ka_group_member m[KA_GROUP_MAX];
	size_t n = ka_group_members(in, g, m, KA_GROUP_MAX);
	char a[ADDR_LEN];

	json_bool(w, "group_known", ka_group_known(in, g));
	json_array_begin(w, "group");
	for (size_t i = 0; i < n; i++) {
		json_object_begin(w, NULL);
		if (m[i].addr)
			json_str(w, "address", ka_addr_str(m[i].addr, a, sizeof(a)));
		else
			json_null(w, "address");
		json_bool(w, "this_node", m[i].this_node);
		if (m[i].from)
			json_str(w, "from", m[i].from);
		else
			json_null(w, "from");
		json_object_end(w);
	}
	json_array_end(w);
}
