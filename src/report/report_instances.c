// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_instances.c - who is master of each local virtual router, in
 * plain words: what an on-call engineer asks first, so every report opens
 * with it.  The detector decided (detect/instances.c); this only prints.
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "util/addr_fmt.h"
#include "util/json_writer.h"

/* "198.18.0.9 (02:00:00:00:00:09, priority 150)", "this node (198.18.0.1,
 * priority 101)" */
static void router_text(const struct vw_instance_router *x, char *buf, size_t len)
{
	char a[VW_ADDR_STRLEN], m[VW_MAC_STRLEN];

	vw_ip_str(x->family, x->src, a, sizeof(a));
	vw_mac_str(x->mac, m, sizeof(m));
	if (x->local)
		snprintf(buf, len, "this node (%s, %s, priority %u)", a, m, x->priority);
	else
		snprintf(buf, len, "%s (%s, priority %u)", a, m, x->priority);
}

/* What the master is to this node: ours, a stranger, or unknown. */
static const char *standing(const struct vw_instance_state *s)
{
	if (s->master.local)
		return "";
	if (s->master.in_group)
		return ", a node of your group";
	if (s->group_known)
		return ", NOT one of your nodes";
	return ", a peer? (give --peer to say)";
}

static void master_line(FILE *out, const struct vw_instance_state *s, const char *indent)
{
	char who[160], since[VW_TIME_STRLEN], last[VW_TIME_STRLEN];

	if (!s->have_master) {
		fprintf(out, "%s    master: none heard%s\n", indent,
			s->heard ? "" : " (nobody advertises its VRID here)");
		return;
	}
	router_text(&s->master, who, sizeof(who));
	if (!s->master_now) {
		fprintf(out, "%s    master: none now (the last was %s, last heard %s)\n", indent,
			who, vw_clock_str(s->master.last_ns, last, sizeof(last)));
		return;
	}
	fprintf(out, "%s    master: %s since %s%s\n", indent, who,
		vw_clock_str(s->master_since_ns, since, sizeof(since)), standing(s));
}

static unsigned peers_line(FILE *out, const struct vw_instance_state *s, const char *indent)
{
	char who[160], last[VW_TIME_STRLEN];

	if (!s->n_peers)
		return 0;
	fprintf(out, "%s    also heard:", indent);
	for (unsigned i = 0; i < s->n_peers; i++) {
		router_text(&s->peers[i], who, sizeof(who));
		fprintf(out, "%s %s, last %s", i ? ";" : "", who,
			vw_clock_str(s->peers[i].last_ns, last, sizeof(last)));
	}
	fputc('\n', out);
	return 1;
}

unsigned vw_report_instance_text(FILE *out, const struct vw_instance_state *s, const char *indent)
{
	char vlan[VW_VLAN_STRLEN];

	fprintf(out, "%s%s (%s): VRID %u IPv%u on %s", indent, s->name, s->where, s->vrid,
		s->family, s->interface);
	if (s->heard && s->vlan[0])
		fprintf(out, " (VLAN %s)", vw_vlan_str(s->vlan, vlan, sizeof(vlan)));
	fprintf(out, ", this node %s priority %u\n", s->state, s->priority);
	master_line(out, s, indent);
	return 2 + peers_line(out, s, indent);
}

void vw_report_instances_text(FILE *out, const struct vw_instance_state *v, size_t n,
			      const char *indent)
{
	for (size_t i = 0; i < n; i++)
		vw_report_instance_text(out, &v[i], indent);
}

static void router_json(struct json_writer *w, const struct vw_instance_router *x)
{
	char a[VW_ADDR_STRLEN];

	json_str(w, "src", vw_ip_str(x->family, x->src, a, sizeof(a)));
	json_str(w, "src_mac", vw_mac_str(x->mac, a, sizeof(a)));
	json_u64(w, "priority", x->priority);
	json_bool(w, "this_node", x->local);
	json_bool(w, "in_group", x->in_group);
	json_time(w, "last_seen", x->last_ns);
}

void vw_report_instance_json(FILE *out, const struct vw_instance_state *s, const char *event)
{
	struct json_writer w;

	json_begin(&w, out, "instance_state");
	if (event)
		json_str(&w, "event", event);
	json_str(&w, "instance", s->name);
	json_str(&w, "config", s->where);
	json_str(&w, "interface", s->interface);
	json_str(&w, "family", s->family == 6 ? "ipv6" : "ipv4");
	json_u64(&w, "vrid", s->vrid);
	json_str(&w, "state", s->state);
	json_u64(&w, "priority", s->priority);
	json_u64(&w, "version", s->version);
	json_u64(&w, "interval_cs", s->interval_cs);
	json_bool(&w, "group_known", s->group_known);
	json_bool(&w, "heard", s->heard);
	vw_report_json_vlan(&w, s->vlan);
	json_bool(&w, "master_now", s->master_now);
	json_bool(&w, "this_node_master", s->master_now && s->master.local);
	if (s->have_master) {
		json_object_begin(&w, "master");
		router_json(&w, &s->master);
		json_time(&w, "since", s->master_since_ns);
		json_object_end(&w);
	} else {
		json_null(&w, "master");
	}
	json_array_begin(&w, "peers");
	for (unsigned i = 0; i < s->n_peers; i++) {
		json_object_begin(&w, NULL);
		router_json(&w, &s->peers[i]);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_end(&w);
}

void vw_report_instances_json(FILE *out, const struct vw_instance_state *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vw_report_instance_json(out, &v[i], NULL);
}
