// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_config.c - --show-config and --lint output: instances as a table
 * (details with -v) or "instance" JSON records, lint findings as
 * compiler-style lines or "lint" JSON records. Passwords are never printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json_writer.h"
#include "report/report_config.h"
#include "util/text_table.h"

#define ADDR_LEN 64

/* ------------------------------------------------------------------ */
/* small formatting helpers */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static const char *sb_str(struct sbuf *b)
{
	if (!b->s)
		sb_add(b, "");
	return b->s;
}

static const char *family_name(uint8_t f)
{
	return f == 6 ? "ipv6" : "ipv4";
}

static void fmt_interval(char *buf, size_t len, unsigned cs)
{
	if (cs % 100 == 0)
		snprintf(buf, len, "%us", cs / 100);
	else
		snprintf(buf, len, "%u.%02us", cs / 100, cs % 100);
}

static const char *auth_name(uint8_t t)
{
	return t == 1 ? "pass" : t == 2 ? "ah" : "none";
}

static void list_vips(struct sbuf *b, const struct ka_vip *v, size_t n, bool prefix)
{
	char a[ADDR_LEN], p[16];

	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_add(b, ",");
		sb_add(b, ka_addr_str(&v[i].addr, a, sizeof(a)));
		if (prefix && v[i].prefix != (v[i].addr.family == 4 ? 32 : 128)) {
			snprintf(p, sizeof(p), "/%u", v[i].prefix);
			sb_add(b, p);
		}
	}
}

static void destination(struct sbuf *b, const struct ka_instance *in)
{
	char a[ADDR_LEN];

	if (!in->unicast) {
		sb_add(b, ka_addr_str(&in->mcast_dst, a, sizeof(a)));
		return;
	}
	sb_add(b, "unicast:");
	for (size_t i = 0; i < in->n_peers; i++) {
		if (i)
			sb_add(b, ",");
		sb_add(b, ka_addr_str(&in->peers[i], a, sizeof(a)));
	}
}

/* ------------------------------------------------------------------ */
/* instances, text */

static void instance_row(struct text_table *t, const struct ka_instance *in,
			 const struct ka_report_group *g)
{
	char vrid[8], ver[8], prio[8], ival[16], at[512], group[512];
	struct sbuf dst = { 0 }, addrs = { 0 };
	const char *cells[12];

	snprintf(vrid, sizeof(vrid), "%u", in->vrid);
	snprintf(ver, sizeof(ver), "v%u", in->version);
	snprintf(prio, sizeof(prio), "%u", in->priority);
	fmt_interval(ival, sizeof(ival), in->interval_cs);
	snprintf(at, sizeof(at), "%s:%u", in->file ? in->file : "-", in->line);
	destination(&dst, in);
	list_vips(&addrs, in->vips, in->n_vips, true);
	cells[0] = in->name;
	cells[1] = in->interface ? in->interface : "-";
	cells[2] = family_name(in->family);
	cells[3] = vrid;
	cells[4] = ver;
	cells[5] = prio;
	cells[6] = ival;
	cells[7] = in->rejected ? "REJECTED" : in->fault ? "FAULT" : ka_state_name(in->state);
	cells[8] = sb_str(&dst);
	ka_group_text(in, g, group, sizeof(group));
	cells[9] = group;
	cells[10] = at;
	cells[11] = sb_str(&addrs);
	text_table_row(t, cells);
	free(dst.s);
	free(addrs.s);
}

static void detail_addressing(FILE *out, const struct ka_instance *in)
{
	char a[ADDR_LEN];

	if (!in->unicast) {
		fprintf(out, "    sends to %s", ka_addr_str(&in->mcast_dst, a, sizeof(a)));
	} else {
		fprintf(out, "    unicast to");
		for (size_t i = 0; i < in->n_peers; i++) {
			fprintf(out, "%s %s", i ? "," : "", ka_addr_str(&in->peers[i], a, sizeof(a)));
			if (in->peer_min_ttl[i] != 0 || in->peer_max_ttl[i] != 255)
				fprintf(out, " (ttl %u-%u)", in->peer_min_ttl[i], in->peer_max_ttl[i]);
		}
	}
	if (in->unicast_src_set)
		fprintf(out, " from %s\n", ka_addr_str(&in->unicast_src, a, sizeof(a)));
	else
		fprintf(out, " from the interface address\n");
}

static const char *compat_name(int c)
{
	return c == KA_CHKSUM_COMPAT_NEVER ? "never" : c == KA_CHKSUM_COMPAT_CONFIG ? "always" : "auto";
}

static void detail_flags(FILE *out, const struct ka_instance *in)
{
	fprintf(out, "    state %s, %s, preempt_delay %us, accept %s, strict %s, auth %s\n",
		ka_state_name(in->state), in->nopreempt ? "nopreempt" : "preempt", in->preempt_delay_s,
		in->accept ? "on" : "off", in->strict ? "on" : "off", auth_name(in->auth_type));
	fprintf(out, "    use_vmac %s%s, v3_checksum_as_v2 %s, old_unicast_checksum %s, check_unicast_src %s, skip_check_adv_addr %s\n",
		in->use_vmac ? "on" : "off", in->vmac_xmit_base ? " (vmac_xmit_base)" : "",
		in->v3_checksum_as_v2 ? "on" : "off", compat_name(in->old_unicast_checksum),
		in->check_unicast_src ? "on" : "off", in->skip_check_adv_addr ? "on" : "off");
}

static void detail_vips(FILE *out, const char *what, const struct ka_vip *v, size_t n)
{
	char a[ADDR_LEN];

	fprintf(out, "    %s (%zu):\n", what, n);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "      %s/%u", ka_addr_str(&v[i].addr, a, sizeof(a)), v[i].prefix);
		if (v[i].dev)
			fprintf(out, " dev %s", v[i].dev);
		if (v[i].label)
			fprintf(out, " label %s", v[i].label);
		fprintf(out, "  (%s:%u)\n", v[i].file ? v[i].file : "-", v[i].line);
	}
}

static void instance_details(FILE *out, const struct ka_instance *in,
			     const struct ka_report_group *g)
{
	char ival[16], range[48] = "", group[512];

	fmt_interval(ival, sizeof(ival), in->interval_cs);
	if (in->priority_tracked)
		snprintf(range, sizeof(range), " (tracking moves it within %u-%u)", in->priority_low,
			 in->priority_high);
	fprintf(out, "\n%s (%s:%u)%s%s\n", in->name, in->file ? in->file : "-", in->line,
		in->rejected ? "  REJECTED: keepalived does not start VRRP with this instance" : "",
		in->fault ? "  FAULT: keepalived keeps it in FAULT state, it never advertises" : "");
	fprintf(out, "    interface %s, IPv%u, VRID %u, VRRPv%u, priority %u%s%s, advert interval %s\n",
		in->interface ? in->interface : "(none)", in->family, in->vrid, in->version, in->priority,
		in->priority_set ? "" : in->priority == 255 ? " (not set: state MASTER makes it 255)" : " (default)",
		range, ival);
	detail_addressing(out, in);
	ka_group_text(in, g, group, sizeof(group));
	fprintf(out, "    group: %s\n", group);
	detail_flags(out, in);
	if (in->sync_group)
		fprintf(out, "    sync group %s\n", in->sync_group);
	detail_vips(out, "virtual_ipaddress", in->vips, in->n_vips);
	if (in->n_vips_excluded)
		detail_vips(out, "virtual_ipaddress_excluded", in->vips_excluded, in->n_vips_excluded);
}

void ka_report_instances_text(FILE *out, const struct ka_config *cfg,
			      const struct ka_report_group *g, int verbose)
{
	static const char *const head[] = {
		"INSTANCE", "IFACE", "FAMILY", "VRID", "VER", "PRIO", "INTERVAL", "STATE",
		"SENDS TO", "GROUP", "DEFINED AT", "ADDRESSES",
	};
	struct text_table t;

	if (!cfg->n_inst) {
		fprintf(out, "no vrrp_instance found\n");
		return;
	}
	text_table_init(&t, 12);
	text_table_row(&t, head);
	for (size_t i = 0; i < cfg->n_inst; i++)
		instance_row(&t, &cfg->inst[i], g);
	text_table_print(&t, out, "");
	text_table_free(&t);
	if (verbose) {
		for (size_t i = 0; i < cfg->n_inst; i++)
			instance_details(out, &cfg->inst[i], g);
	}
}

/* ------------------------------------------------------------------ */
/* instances, JSON */

static void json_vips(struct json_writer *w, const char *key, const struct ka_vip *v, size_t n)
{
	char a[ADDR_LEN];

	json_array_begin(w, key);
	for (size_t i = 0; i < n; i++)
		json_array_str(w, ka_addr_str(&v[i].addr, a, sizeof(a)));
	json_array_end(w);
}

static void json_opt_str(struct json_writer *w, const char *key, const char *v)
{
	if (v)
		json_str(w, key, v);
	else
		json_null(w, key);
}

static void json_addressing(struct json_writer *w, const struct ka_instance *in)
{
	char a[ADDR_LEN];

	json_bool(w, "unicast", in->unicast);
	json_opt_str(w, "mcast_dst", in->unicast ? NULL : ka_addr_str(&in->mcast_dst, a, sizeof(a)));
	json_opt_str(w, "unicast_src", in->unicast_src_set ? ka_addr_str(&in->unicast_src, a, sizeof(a)) : NULL);
	json_array_begin(w, "unicast_peers");
	for (size_t i = 0; i < in->n_peers; i++)
		json_array_str(w, ka_addr_str(&in->peers[i], a, sizeof(a)));
	json_array_end(w);
}

static void json_instance(FILE *out, const struct ka_instance *in,
			  const struct ka_report_group *g)
{
	struct json_writer w;

	json_begin(&w, out, "instance");
	json_str(&w, "name", in->name);
	json_opt_str(&w, "interface", in->interface);
	json_str(&w, "family", family_name(in->family));
	json_u64(&w, "vrid", in->vrid);
	json_u64(&w, "version", in->version);
	json_u64(&w, "priority", in->priority);
	json_u64(&w, "interval_cs", in->interval_cs);
	json_vips(&w, "addresses", in->vips, in->n_vips);
	json_str(&w, "file", in->file ? in->file : "");
	json_u64(&w, "line", in->line);
	json_str(&w, "state", ka_state_name(in->state));
	json_bool(&w, "priority_set", in->priority_set);
	json_bool(&w, "priority_tracked", in->priority_tracked);
	json_u64(&w, "priority_low", in->priority_low);
	json_u64(&w, "priority_high", in->priority_high);
	json_bool(&w, "nopreempt", in->nopreempt);
	json_u64(&w, "preempt_delay_s", in->preempt_delay_s);
	json_bool(&w, "accept", in->accept);
	json_bool(&w, "strict", in->strict);
	json_addressing(&w, in);
	ka_group_json(&w, in, g);
	json_str(&w, "auth_type", auth_name(in->auth_type));
	json_bool(&w, "use_vmac", in->use_vmac);
	json_bool(&w, "v3_checksum_as_v2", in->v3_checksum_as_v2);
	json_str(&w, "old_unicast_checksum", compat_name(in->old_unicast_checksum));
	json_bool(&w, "check_unicast_src", in->check_unicast_src);
	json_bool(&w, "skip_check_adv_addr", in->skip_check_adv_addr);
	json_opt_str(&w, "sync_group", in->sync_group);
	json_vips(&w, "excluded_addresses", in->vips_excluded, in->n_vips_excluded);
	json_bool(&w, "fault", in->fault);
	json_bool(&w, "rejected", in->rejected);
	json_end(&w);
}

void ka_report_instances_json(FILE *out, const struct ka_config *cfg,
			      const struct ka_report_group *g)
{
	for (size_t i = 0; i < cfg->n_inst; i++)
		json_instance(out, &cfg->inst[i], g);
}

/* ------------------------------------------------------------------ */
/* lint */

static bool shown(const struct ka_lint_finding *f, int verbose)
{
	if (verbose)
		return true;
	return f->severity >= KA_DIAG_WARNING && strcmp(f->check, "unknown-keyword");
}

static void lint_line(FILE *out, const struct ka_lint_finding *f)
{
	if (f->file && f->line)
		fprintf(out, "%s:%u: ", f->file, f->line);
	else if (f->file)
		fprintf(out, "%s: ", f->file);
	fprintf(out, "%s: %s [%s]\n", ka_severity_name(f->severity), f->message, f->check);
}

void ka_report_lint_text(FILE *out, const char *config_path, const struct ka_lint *l, int verbose)
{
	size_t unknown = 0, hidden_info = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct ka_lint_finding *f = &l->f[i];

		if (shown(f, verbose))
			lint_line(out, f);
		else if (!strcmp(f->check, "unknown-keyword"))
			unknown++;
		else
			hidden_info++;
	}
	if (unknown)
		fprintf(out, "%s: warning: %zu unknown keyword%s ignored by keepalived (-v lists them) [unknown-keyword]\n",
			config_path, unknown, unknown == 1 ? "" : "s");
	if (!l->by_severity[KA_DIAG_ERROR] && !l->by_severity[KA_DIAG_WARNING]) {
		fprintf(out, "%s: no problems found%s\n", config_path,
			hidden_info ? " (-v shows notes)" : "");
		return;
	}
	fprintf(out, "%s: %zu error%s, %zu warning%s\n", config_path,
		l->by_severity[KA_DIAG_ERROR], l->by_severity[KA_DIAG_ERROR] == 1 ? "" : "s",
		l->by_severity[KA_DIAG_WARNING], l->by_severity[KA_DIAG_WARNING] == 1 ? "" : "s");
}

void ka_report_lint_json(FILE *out, const char *config_path, const struct ka_lint *l)
{
	struct json_writer w;

	for (size_t i = 0; i < l->n; i++) {
		const struct ka_lint_finding *f = &l->f[i];

		json_begin(&w, out, "lint");
		json_str(&w, "severity", ka_severity_name(f->severity));
		json_str(&w, "check", f->check);
		json_opt_str(&w, "file", f->file);
		json_u64(&w, "line", f->line);
		json_opt_str(&w, "instance", f->instance);
		json_str(&w, "message", f->message);
		json_end(&w);
	}
	json_begin(&w, out, "lint_summary");
	json_str(&w, "config", config_path);
	json_u64(&w, "errors", l->by_severity[KA_DIAG_ERROR]);
	json_u64(&w, "warnings", l->by_severity[KA_DIAG_WARNING]);
	json_u64(&w, "notes", l->by_severity[KA_DIAG_INFO]);
	json_end(&w);
}
