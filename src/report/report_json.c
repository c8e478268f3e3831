// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_json.c - JSON lines.  The record types and field names are the
 * contract of design.md ("Interfaces"): add fields freely, rename none.
 */
#include <stdlib.h>

#include "util/addr_fmt.h"
#include "util/json_writer.h"
#include "report/output.h"
#include "report/report.h"
#include "report/report_config.h"

void vw_report_json_vlan(struct json_writer *w, const uint16_t *vlan)
{
	json_array_begin(w, "vlan");
	for (int i = 0; i < VW_MAX_VLAN && vlan[i]; i++)
		json_array_u64(w, vlan[i]);
	json_array_end(w);
}

static const char *family_name(uint8_t family)
{
	return family == 6 ? "ipv6" : "ipv4";
}

static void json_addresses(struct json_writer *w, const struct vw_row *row)
{
	char a[VW_ADDR_STRLEN];
	const uint8_t *addr;

	json_array_begin(w, "addresses");
	for (unsigned i = 0; (addr = vw_row_address(row, i)); i++)
		json_array_str(w, vw_ip_str(row->key.family, addr, a, sizeof(a)));
	json_array_end(w);
}

void vw_report_advertiser_fields(struct json_writer *jw, const struct vw_table *t,
				 const struct vw_row *row)
{
	const struct vw_obs_key *k = &row->key;
	const struct vw_obs_val *v = &row->val;
	const struct vw_segment *seg = vw_table_segment(t, k->ifindex);
	char s[VW_ADDR_STRLEN];

	json_str(jw, "interface", seg ? seg->name : "");
	vw_report_json_vlan(jw, k->vlan);
	json_str(jw, "direction", k->dir == VW_DIR_TX ? "tx" : "rx");
	json_str(jw, "family", family_name(k->family));
	json_u64(jw, "vrid", k->vrid);
	json_str(jw, "src", vw_ip_str(k->family, k->src, s, sizeof(s)));
	json_str(jw, "src_mac", vw_mac_str(k->src_mac, s, sizeof(s)));
	json_str(jw, "dst", vw_ip_str(k->family, k->dst, s, sizeof(s)));
	json_u64(jw, "packets", v->packets);
	json_u64(jw, "bytes", v->bytes);
	json_u64(jw, "priority", v->priority);
	json_u64(jw, "interval_cs", v->interval_cs);
	json_u64(jw, "version", v->version);
	json_addresses(jw, row);
	json_time(jw, "first_seen", v->first_ns);
	json_time(jw, "last_seen", v->last_ns);
	json_str(jw, "auth_type", vw_auth_name(v->auth_type));
	/* every advert cut by the capture (snaplen): no checksum was seen */
	json_str(jw, "checksum", row->cut_adverts && row->cut_adverts == v->packets
					 ? "not_verified"
					 : vw_csum_name(v->csum_variant));
	json_u64(jw, "ttl", v->ttl);
	json_u64(jw, "priority_changes", v->prio_changes);
	json_u64(jw, "address_changes", v->addr_changes);
	json_u64(jw, "interval_changes", v->interval_changes);
	json_u64(jw, "version_changes", v->version_changes);
	json_u64(jw, "bad_ttl", v->bad_ttl);
	json_u64(jw, "bad_checksum", v->bad_csum);
	json_u64(jw, "priority0", v->prio0);
	json_bool(jw, "ah", v->flags_seen & VW_F_AH);
	if (row->cut_adverts) { /* only for a capture cut short (snaplen) */
		json_u64(jw, "cut_adverts", row->cut_adverts);
		json_bool(jw, "addresses_cut", row->addresses_cut);
	}
	if (seg && seg->file)
		json_str(jw, "file", seg->file);
}

static void advertiser(FILE *out, const struct vw_table *t, const struct vw_row *row)
{
	struct json_writer w;

	json_begin(&w, out, "advertiser");
	vw_report_advertiser_fields(&w, t, row);
	json_end(&w);
}

static void rejected(FILE *out, const struct vw_table *t, const struct vw_reject_row *j)
{
	const struct vw_segment *seg = vw_table_segment(t, j->segment);
	char s[VW_ADDR_STRLEN];
	struct json_writer w;

	json_begin(&w, out, "rejected");
	json_str(&w, "reason", vw_reason_name(j->reason));
	json_u64(&w, "count", j->count);
	json_str(&w, "interface", seg ? seg->name : "");
	vw_report_json_vlan(&w, j->vlan);
	json_time(&w, "first_seen", j->first_ns);
	json_time(&w, "last_seen", j->last_ns);
	if (j->last_family) {
		json_str(&w, "family", family_name(j->last_family));
		json_str(&w, "last_src", vw_ip_str(j->last_family, j->last_src, s, sizeof(s)));
		json_str(&w, "last_src_mac", vw_mac_str(j->last_src_mac, s, sizeof(s)));
	}
	json_end(&w);
}

static void evidence(struct json_writer *w, const struct vw_evidence *e)
{
	char s[VW_ADDR_STRLEN];

	json_object_begin(w, NULL);
	json_str(w, "src", vw_ip_str(e->family, e->src, s, sizeof(s)));
	json_str(w, "src_mac", vw_mac_str(e->mac, s, sizeof(s)));
	json_str(w, "direction", e->dir == VW_DIR_TX ? "tx" : "rx");
	json_u64(w, "priority", e->priority);
	json_u64(w, "interval_cs", e->interval_cs);
	json_u64(w, "version", e->version);
	json_str(w, "addresses", e->addresses);
	json_u64(w, "packets", e->packets);
	json_time(w, "first_seen", e->first_ns);
	json_time(w, "last_seen", e->last_ns);
	json_object_end(w);
}

void vw_report_finding_json(FILE *out, const struct vw_finding *f)
{
	vw_report_finding_json_event(out, f, NULL);
}

void vw_report_finding_json_event(FILE *out, const struct vw_finding *f, const char *event)
{
	char s[VW_ADDR_STRLEN];
	struct json_writer w;

	json_begin(&w, out, "finding");
	if (event)
		json_str(&w, "event", event);
	json_str(&w, "kind", vw_kind_name(f->kind));
	json_str(&w, "severity", vw_severity_name(f->severity));
	json_str(&w, "interface", f->interface);
	vw_report_json_vlan(&w, f->d.vlan);
	if (f->d.family)
		json_str(&w, "family", family_name(f->d.family));
	else
		json_null(&w, "family");
	if (f->d.vrid)
		json_u64(&w, "vrid", f->d.vrid);
	else
		json_null(&w, "vrid");
	json_str(&w, "receivers", f->d.receivers);
	json_array_begin(&w, "sources");
	for (unsigned i = 0; i < f->n_src; i++)
		json_array_str(&w, vw_ip_str(f->src[i].family, f->src[i].src, s, sizeof(s)));
	json_array_end(&w);
	json_time(&w, "first_seen", f->first_ns);
	json_time(&w, "last_seen", f->last_ns);
	json_str(&w, "message", f->message);
	json_str(&w, "advice", f->advice);
	json_bool(&w, "open", f->open);
	json_u64(&w, "count", f->count);
	if (f->subject[0])
		json_str(&w, "subject", f->subject);
	json_array_begin(&w, "evidence");
	for (unsigned i = 0; i < f->n_src; i++)
		evidence(&w, &f->src[i]);
	json_array_end(&w);
	json_end(&w);
}

static void findings(FILE *out, const struct vw_report *r)
{
	const struct vw_finding **v = vw_findings_sorted(r->findings);
	struct json_writer w;

	for (size_t i = 0; v && i < r->findings->n; i++)
		vw_report_finding_json(out, v[i]);
	free(v);
	for (size_t i = 0; i < r->n_notes; i++) {
		json_begin(&w, out, "note");
		json_str(&w, "message", r->notes[i]);
		json_end(&w);
	}
}

static void summary(FILE *out, const struct vw_report *r)
{
	const struct vw_table *t = r->table;
	struct json_writer w;

	json_begin(&w, out, "summary");
	json_u64(&w, "frames", t->frames);
	json_u64(&w, "vrrp_frames", t->vrrp_frames);
	json_u64(&w, "rejected_frames", t->rejected);
	json_u64(&w, "other_frames", r->other_frames);
	json_u64(&w, "advertisers", t->n_rows);
	json_u64(&w, "evictions", t->evictions);
	if (t->frames) {
		json_time(&w, "first_seen", t->first_ns);
		json_time(&w, "last_seen", t->last_ns);
	}
	if (r->findings) {
		unsigned n[3] = {0};
		for (size_t i = 0; i < r->findings->n; i++)
			n[r->findings->v[i].severity]++;
		json_u64(&w, "critical", n[VW_SEV_CRITICAL]);
		json_u64(&w, "warning", n[VW_SEV_WARNING]);
		json_u64(&w, "info", n[VW_SEV_INFO]);
	}
	if (r->config_path)
		json_str(&w, "config", r->config_path);
	if (r->files) {
		json_array_begin(&w, "files");
		for (const char *const *f = r->files; *f; f++)
			json_array_str(&w, *f);
		json_array_end(&w);
	}
	json_end(&w);
}

void vw_report_json(FILE *out, const struct vw_report *r)
{
	const struct vw_table *t = r->table;
	struct vw_row **rows = vw_table_sorted(t);
	struct vw_reject_row **rej = vw_table_sorted_rejects(t);

	vw_report_instances_json(out, r->instances, r->n_instances);
	for (size_t i = 0; rows && i < t->n_rows; i++)
		advertiser(out, t, rows[i]);
	for (size_t i = 0; rej && i < t->n_rejects; i++)
		rejected(out, t, rej[i]);
	vw_report_vips_json(out, t);
	if (r->findings)
		findings(out, r);
	summary(out, r);
	free(rows);
	free(rej);
}

/* ---- a live run's lines, and the rest of the JSON format (output.h) ---- */

static void finding_line(FILE *out, const struct vw_finding *f, const char *event,
			 uint64_t now_ns)
{
	(void)now_ns; /* the record has its first and last times */
	vw_report_finding_json_event(out, f, event);
}

static void advertiser_line(FILE *out, const struct vw_table *t, const struct vw_row *r,
			    const char *event, const char *changed)
{
	struct json_writer w;

	json_begin(&w, out, "advertiser");
	json_str(&w, "event", event);
	if (changed[0])
		json_str(&w, "changed", changed);
	vw_report_advertiser_fields(&w, t, r);
	json_end(&w);
}

static void instance_line(FILE *out, const struct vw_instance_state *s)
{
	vw_report_instance_json(out, s, "master");
}

static void note_line(FILE *out, const char *msg, uint64_t now_ns)
{
	struct json_writer w;

	(void)now_ns;
	json_begin(&w, out, "note");
	json_str(&w, "message", msg);
	json_end(&w);
}

static void claim_line(FILE *out, const struct vw_table *t, const struct vw_claim_row *r,
		       const char *event)
{
	struct json_writer w;

	json_begin(&w, out, "vip_claim");
	json_str(&w, "event", event);
	vw_report_vip_claim_fields(&w, t, r);
	json_end(&w);
}

/* The closing summary counts them; no record of its own. */
static void suppressed_line(FILE *out, uint64_t n, const char *what)
{
	(void)out;
	(void)n;
	(void)what;
}

static void capture_summary(FILE *out, const struct vw_capture_summary *c)
{
	struct json_writer w;

	json_begin(&w, out, "capture");
	json_str(&w, "backend", c->backend);
	json_str(&w, "interfaces", c->interfaces);
	json_u64(&w, "frames", c->frames);
	json_u64(&w, "adverts", c->adverts);
	json_u64(&w, "dropped", c->drops);
	json_u64(&w, "bpf_evictions", c->evictions);
	json_u64(&w, "cache_misses", c->spilled);
	json_u64(&w, "events_lost", c->events_lost);
	json_u64(&w, "hw_vlan_tags", c->hw_vlan);
	json_u64(&w, "tc_pulls", c->tc_pulls);
	json_u64(&w, "map_reads_short", c->map_reads_short);
	json_end(&w);
}

static void config(FILE *out, const struct ka_config *cfg, const struct ka_report_group *g,
		   int verbose)
{
	(void)verbose;
	ka_report_instances_json(out, cfg, g);
}

static void lint(FILE *out, const char *config_path, const struct ka_lint *l, int verbose)
{
	(void)verbose;
	ka_report_lint_json(out, config_path, l);
}

const struct vw_output_ops vw_output_json = {
	.name = "json",
	.live_screen = false, /* JSON lines, even on a terminal */
	.report = vw_report_json,
	.finding_line = finding_line,
	.advertiser_line = advertiser_line,
	.claim_line = claim_line,
	.instance_line = instance_line,
	.note_line = note_line,
	.suppressed_line = suppressed_line,
	.capture_summary = capture_summary,
	.config = config,
	.lint = lint,
};
