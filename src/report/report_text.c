// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_text.c - the report for a person at a terminal: one summary line,
 * the advertisers heard (one row each, in the table's order), then the
 * frames that were refused and why.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "report/output.h"
#include "report/report.h"
#include "report/report_config.h"
#include "util/strbuf.h"
#include "util/text_table.h"

#define SHOWN_ADDRESSES 4

/* What is unusual about an advertiser, in a few words. */
static void row_notes(const struct vw_row *row, char *buf, size_t len)
{
	const struct vw_obs_val *v = &row->val;
	struct vw_strbuf sb;

	vw_sb_init(&sb, buf, len);
	if (v->prio0)
		vw_sb_item(&sb, "; ", "%" PRIu32 " priority-0 (resign)", v->prio0);
	if (v->prio_changes)
		vw_sb_item(&sb, "; ", "priority changed %" PRIu32 "x", v->prio_changes);
	if (v->addr_changes)
		vw_sb_item(&sb, "; ", "addresses changed %" PRIu32 "x", v->addr_changes);
	if (v->interval_changes)
		vw_sb_item(&sb, "; ", "interval changed %" PRIu32 "x", v->interval_changes);
	if (v->version_changes)
		vw_sb_item(&sb, "; ", "version changed %" PRIu32 "x", v->version_changes);
	if (v->bad_ttl)
		vw_sb_item(&sb, "; ", "%" PRIu32 " with TTL != 255 (last %u)", v->bad_ttl, v->ttl);
	if (v->bad_csum)
		vw_sb_item(&sb, "; ", "%" PRIu32 " with bad checksum", v->bad_csum);
	if (v->version == 3 && row->key.family == 4 && v->csum_seen &&
	    v->csum_seen != VW_CSUM_PSEUDO)
		vw_sb_item(&sb, "; ", "checksum %s", vw_csum_name(v->csum_variant));
	if (v->auth_type)
		vw_sb_item(&sb, "; ", "auth %s", vw_auth_name(v->auth_type));
	if (row->cut_adverts)
		vw_sb_item(&sb, "; ", "%" PRIu64 " cut by the capture (checksum not verified%s)",
			   row->cut_adverts, row->addresses_cut ? ", addresses not all captured" : "");
}

void vw_report_key_cells(const struct vw_table *t, const struct vw_obs_key *k,
			 struct vw_key_text *buf, const char *cells[VW_KEY_CELLS])
{
	const struct vw_segment *seg = vw_table_segment(t, k->ifindex);

	vw_u64_str(k->vrid, buf->vrid, sizeof(buf->vrid));
	cells[0] = seg ? seg->name : "?";
	cells[1] = vw_vlan_str(k->vlan, buf->vlan, sizeof(buf->vlan));
	cells[2] = buf->vrid;
	cells[3] = k->family == 6 ? "v6" : "v4";
	cells[4] = k->dir == VW_DIR_TX ? "tx" : "rx";
	cells[5] = vw_ip_str(k->family, k->src, buf->src, sizeof(buf->src));
	cells[6] = vw_mac_str(k->src_mac, buf->mac, sizeof(buf->mac));
}

static void advertiser_cells(const struct vw_table *t, const struct vw_row *row,
			     struct text_table *tt)
{
	char dst[VW_ADDR_STRLEN], ver[4], prio[8], intv[16], pkts[24], first[VW_TIME_STRLEN],
		last[VW_TIME_STRLEN], addrs[512], notes[512];
	const struct vw_obs_key *k = &row->key;
	const struct vw_obs_val *v = &row->val;
	struct vw_key_text kt;
	const char *cells[VW_KEY_CELLS + 9];

	vw_report_key_cells(t, k, &kt, cells);
	vw_u64_str(v->version, ver, sizeof(ver));
	vw_u64_str(v->priority, prio, sizeof(prio));
	vw_u64_str(v->packets, pkts, sizeof(pkts));
	vw_row_addresses_str(row, SHOWN_ADDRESSES, addrs, sizeof(addrs));
	row_notes(row, notes, sizeof(notes));
	const char *rest[] = {
		vw_ip_str(k->family, k->dst, dst, sizeof(dst)),
		ver,
		prio,
		vw_interval_str(v->interval_cs, intv, sizeof(intv)),
		pkts,
		vw_clock_str(v->first_ns, first, sizeof(first)),
		vw_clock_str(v->last_ns, last, sizeof(last)),
		addrs,
		notes,
	};
	_Static_assert(sizeof(rest) / sizeof(rest[0]) == 9, "cells");
	memcpy(cells + VW_KEY_CELLS, rest, sizeof(rest));
	text_table_row(tt, cells);
}

static void print_advertisers(FILE *out, const struct vw_table *t)
{
	static const char *const head[] = {"INTERFACE", "VLAN",  "VRID",    "AF",
					   "DIR",       "SOURCE", "MAC",    "DEST",
					   "VER",       "PRIO",  "INTERVAL", "ADVERTS",
					   "FIRST",     "LAST",  "ADDRESSES", "NOTES"};
	struct vw_row **rows = vw_table_sorted(t);
	struct text_table tt;

	if (!rows) {
		fprintf(out, "(out of memory listing advertisers)\n");
		return;
	}
	text_table_init(&tt, sizeof(head) / sizeof(head[0]));
	text_table_row(&tt, head);
	for (size_t i = 0; i < t->n_rows; i++)
		advertiser_cells(t, rows[i], &tt);
	text_table_print(&tt, out, "");
	text_table_free(&tt);
	free(rows);
}

static void print_rejects(FILE *out, const struct vw_table *t)
{
	static const char *const head[] = {"INTERFACE", "VLAN", "REASON", "FRAMES",
					   "FIRST", "LAST", "LAST FROM"};
	struct vw_reject_row **rows = vw_table_sorted_rejects(t);
	struct text_table tt;

	if (!rows)
		return;
	text_table_init(&tt, sizeof(head) / sizeof(head[0]));
	text_table_row(&tt, head);
	for (size_t i = 0; i < t->n_rejects; i++) {
		const struct vw_reject_row *j = rows[i];
		const struct vw_segment *seg = vw_table_segment(t, j->segment);
		char vlan[VW_VLAN_STRLEN], n[24], first[VW_TIME_STRLEN], last[VW_TIME_STRLEN],
			src[VW_ADDR_STRLEN], mac[VW_MAC_STRLEN], from[VW_ADDR_STRLEN + 24];
		snprintf(n, sizeof(n), "%" PRIu64, j->count);
		if (j->last_family)
			snprintf(from, sizeof(from), "%s (%s)",
				 vw_ip_str(j->last_family, j->last_src, src, sizeof(src)),
				 vw_mac_str(j->last_src_mac, mac, sizeof(mac)));
		else
			snprintf(from, sizeof(from), "-");
		const char *cells[] = {seg ? seg->name : "?",
				       vw_vlan_str(j->vlan, vlan, sizeof(vlan)),
				       vw_reason_name(j->reason),
				       n,
				       vw_clock_str(j->first_ns, first, sizeof(first)),
				       vw_clock_str(j->last_ns, last, sizeof(last)),
				       from};
		text_table_row(&tt, cells);
	}
	fprintf(out, "\nFrames that are not valid VRRP adverts:\n");
	text_table_print(&tt, out, "  ");
	text_table_free(&tt);
	free(rows);
}

static void print_summary(FILE *out, const struct vw_report *r)
{
	const struct vw_table *t = r->table;
	char from[VW_TIME_STRLEN], to[VW_TIME_STRLEN];

	fprintf(out, "%" PRIu64 " frames: %" PRIu64 " VRRP adverts from %zu advertiser%s, %" PRIu64
		     " rejected, %" PRIu64 " other",
		t->frames, t->vrrp_frames, t->n_rows, t->n_rows == 1 ? "" : "s", t->rejected,
		r->other_frames);
	if (t->frames)
		fprintf(out, "; %s to %s UTC (%.1f s)", vw_date_str(t->first_ns, from, sizeof(from)),
			vw_clock_str(t->last_ns, to, sizeof(to)),
			(double)(t->last_ns - t->first_ns) / 1e9);
	fputc('\n', out);
	if (r->config_path)
		fprintf(out, "judged against %s\n", r->config_path);
	if (t->evictions)
		fprintf(out, "warning: the table was full; %" PRIu64
			     " least recently heard advertisers were dropped "
			     "(raise --max-advertisers)\n",
			t->evictions);
}

static const char *const sev_label[] = {"info", "WARNING", "CRITICAL"};

void vw_report_finding_text(FILE *out, const struct vw_finding *f)
{
	char first[VW_TIME_STRLEN], last[VW_TIME_STRLEN], vlan[VW_VLAN_STRLEN], span[64];

	if (f->event && f->count > 1)
		snprintf(span, sizeof(span), "%u times, %s to %s", f->count,
			 vw_clock_str(f->first_ns, first, sizeof(first)),
			 vw_clock_str(f->last_ns, last, sizeof(last)));
	else if (f->event)
		snprintf(span, sizeof(span), "at %s", vw_clock_str(f->first_ns, first, sizeof(first)));
	else
		snprintf(span, sizeof(span), "%s to %s%s",
			 vw_clock_str(f->first_ns, first, sizeof(first)),
			 vw_clock_str(f->last_ns, last, sizeof(last)), f->open ? ", still open" : "");
	fprintf(out, "%-8s %s", sev_label[f->severity], vw_kind_name(f->kind));
	if (f->kind == VW_K_MALFORMED)
		fprintf(out, " (%.*s)", (int)strcspn(f->subject, " "), f->subject);
	fprintf(out, ": %s", f->interface);
	if (f->d.vlan[0])
		fprintf(out, " VLAN %s", vw_vlan_str(f->d.vlan, vlan, sizeof(vlan)));
	if (f->d.vrid)
		fprintf(out, " VRID %u IPv%u", f->d.vrid, f->d.family);
	fprintf(out, " (%s)\n", span);
	fprintf(out, "    %s\n", f->message);
	if (f->advice[0])
		fprintf(out, "    -> %s\n", f->advice);
}

static void print_findings(FILE *out, const struct vw_report *r)
{
	const struct vw_findings *l = r->findings;
	unsigned n[3] = {0};

	for (size_t i = 0; i < l->n; i++)
		n[l->v[i].severity]++;
	if (!l->n) {
		fprintf(out, "\nNo findings%s.\n",
			r->config_path ? "" : " on the wire (no keepalived.conf to judge against)");
	} else {
		const struct vw_finding **v = vw_findings_sorted(l);
		fprintf(out, "\nFindings: %u critical, %u warning, %u info\n", n[VW_SEV_CRITICAL],
			n[VW_SEV_WARNING], n[VW_SEV_INFO]);
		for (size_t i = 0; v && i < l->n; i++)
			vw_report_finding_text(out, v[i]);
		free(v);
	}
	for (size_t i = 0; i < r->n_notes; i++)
		fprintf(out, "note: %s\n", r->notes[i]);
}

void vw_report_text(FILE *out, const struct vw_report *r)
{
	print_summary(out, r);
	if (r->n_instances) {
		fputc('\n', out);
		vw_report_instances_text(out, r->instances, r->n_instances, "");
	}
	if (r->table->n_rows) {
		fputc('\n', out);
		print_advertisers(out, r->table);
	}
	if (r->table->n_rejects)
		print_rejects(out, r->table);
	vw_report_vips_text(out, r->table);
	if (r->findings)
		print_findings(out, r);
}

/* ---- a live run's lines, and the rest of the text format (output.h) ---- */

static void finding_line(FILE *out, const struct vw_finding *f, const char *event,
			 uint64_t now_ns)
{
	char when[VW_TIME_STRLEN];

	fprintf(out, "%s %s: ", vw_clock_str(now_ns, when, sizeof(when)), event);
	vw_report_finding_text(out, f);
}

static void advertiser_line(FILE *out, const struct vw_table *t, const struct vw_row *r,
			    const char *event, const char *changed)
{
	const struct vw_segment *seg = vw_table_segment(t, r->key.ifindex);
	char when[VW_TIME_STRLEN], vlan[VW_VLAN_STRLEN], who[512];

	vw_describe_source(r, who, sizeof(who));
	fprintf(out, "%s %s advertiser: %s", vw_clock_str(r->val.last_ns, when, sizeof(when)),
		event, seg ? seg->name : "?");
	if (r->key.vlan[0])
		fprintf(out, " VLAN %s", vw_vlan_str(r->key.vlan, vlan, sizeof(vlan)));
	fprintf(out, " VRID %u IPv%u %s %s%s%s\n", r->key.vrid, r->key.family,
		r->key.dir == VW_DIR_TX ? "tx" : "rx", who, changed[0] ? ": " : "", changed);
}

static void instance_line(FILE *out, const struct vw_instance_state *s)
{
	vw_report_instance_text(out, s, "");
}

static void note_line(FILE *out, const char *msg, uint64_t now_ns)
{
	char when[VW_TIME_STRLEN];

	fprintf(out, "%s note: %s\n", vw_clock_str(now_ns, when, sizeof(when)), msg);
}

/* "12:00:01.000 new claim: eth0 VLAN 10 198.18.0.100 garp by 02:00:00:00:00:01, 3 so far" */
static void claim_line(FILE *out, const struct vw_table *t, const struct vw_claim_row *r,
		       const char *event)
{
	const struct vw_claim_key *k = &r->key;
	const struct vw_segment *seg = vw_table_segment(t, k->ifindex);
	const struct vw_claim_host *h;
	char when[VW_TIME_STRLEN], vlan[VW_VLAN_STRLEN], addr[VW_ADDR_STRLEN], mac[VW_MAC_STRLEN];

	fprintf(out, "%s %s claim: %s", vw_clock_str(r->val.last_ns, when, sizeof(when)), event,
		seg ? seg->name : "?");
	if (k->vlan[0])
		fprintf(out, " VLAN %s", vw_vlan_str(k->vlan, vlan, sizeof(vlan)));
	fprintf(out, " %s ", vw_ip_str(k->family, k->addr, addr, sizeof(addr)));
	if (k->kind == VW_CLAIM_ASK) {
		fputs("asked for", out);
	} else {
		fprintf(out, "%s by %s", vw_claim_kind_name(k->kind),
			vw_mac_str(k->mac, mac, sizeof(mac)));
		if ((h = vw_vips_host_of(&t->vips, k->mac)))
			fprintf(out, " (%s)", vw_ip_str(h->family, h->addr, addr, sizeof(addr)));
	}
	fprintf(out, ", %llu so far\n", (unsigned long long)r->val.count);
}

static void suppressed_line(FILE *out, uint64_t n, const char *what)
{
	fprintf(out, "... and %llu more new %s (a flood of sources? the closing "
		     "report counts them)\n",
		(unsigned long long)n, what);
}

static void capture_summary(FILE *out, const struct vw_capture_summary *c)
{
	fprintf(out, "\ncapture: %s on %s: %" PRIu64 " frames, %" PRIu64 " dropped", c->backend,
		c->interfaces, c->frames, c->drops);
	if (!strcmp(c->backend, "xdp"))
		fprintf(out, ", %" PRIu64 " advertisers evicted from the kernel's table before being "
			     "read, %" PRIu64 " ring buffer events lost",
			c->evictions, c->events_lost);
	if (c->map_reads_short)
		fprintf(out, ", %" PRIu64 " map reads short (their entries read at a later tick)",
			c->map_reads_short);
	fputc('\n', out);
}

const struct vw_output_ops vw_output_text = {
	.name = "text",
	.live_screen = true,
	.report = vw_report_text,
	.finding_line = finding_line,
	.advertiser_line = advertiser_line,
	.claim_line = claim_line,
	.instance_line = instance_line,
	.note_line = note_line,
	.suppressed_line = suppressed_line,
	.capture_summary = capture_summary,
	.config = ka_report_instances_text,
	.lint = ka_report_lint_text,
};
