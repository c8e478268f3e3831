/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_group.h - the group of a local instance as --show-config lists
 * it: this node (--local-address, or unicast_src_ip), its unicast_peers
 * and the --peer addresses of its family.  The detector judges with the
 * same three sources (detect/config_match.c, vw_in_group).
 */
#ifndef VRRPWATCH_REPORT_GROUP_H
#define VRRPWATCH_REPORT_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "kaconf/kaconf.h"
#include "util/json_writer.h"

/* What the command line adds to keepalived.conf. */
struct ka_report_group {
	const struct ka_addr *local; /* --local-address */
	size_t n_local;
	const struct ka_addr *peers; /* --peer */
	size_t n_peers;
};

struct ka_group_member {
	const struct ka_addr *addr; /* NULL: this node, its address not given */
	bool this_node;
	const char *from;           /* the option or keyword that names it */
};

#define KA_GROUP_MAX 64

/* The members, this node first (always one entry at least); at most max. */
size_t ka_group_members(const struct ka_instance *in, const struct ka_report_group *g,
			struct ka_group_member *out, size_t max);
/* Any other node named: unicast_peer or a --peer of the family. */
bool ka_group_known(const struct ka_instance *in, const struct ka_report_group *g);
/* "this node 198.18.0.1, 198.18.0.2 (unicast_peer), 198.18.0.9 (--peer)" */
void ka_group_text(const struct ka_instance *in, const struct ka_report_group *g, char *buf,
		   size_t len);
/* "group_known" and "group": [{"address", "this_node", "from"}...] */
void ka_group_json(struct json_writer *w, const struct ka_instance *in,
		   const struct ka_report_group *g);

#endif
