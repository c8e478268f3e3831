// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_vips.c - who holds the virtual addresses (model/vip_claims.h),
 * beside the advertisers: the terminal section and the "vip_claim" JSON
 * records, one per (interface, VLANs, address, MAC, kind).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/addr_fmt.h"
#include "util/json_writer.h"
#include "util/text_table.h"

static const uint8_t no_mac[6];

static bool same_claimer(const struct vw_claim_key *a, const struct vw_claim_key *b)
{
	return a->ifindex == b->ifindex && !memcmp(a->vlan, b->vlan, 4) &&
	       a->family == b->family && !memcmp(a->addr, b->addr, 16) &&
	       !memcmp(a->mac, b->mac, 6);
}

size_t vw_report_vip_line(struct vw_claim_row *const *rows, size_t n, size_t i,
			  struct vw_vip_line *l)
{
	const struct vw_claim_key *k = &rows[i]->key;
	size_t off = 0, j = i;

	l->key = k;
	l->claims[0] = 0;
	l->first_ns = UINT64_MAX;
	l->last_ns = 0;
	for (; j < n && same_claimer(&rows[j]->key, k); j++) {
		const struct vw_claim_row *r = rows[j];
		if (off < sizeof(l->claims))
			off += (size_t)snprintf(l->claims + off, sizeof(l->claims) - off, "%s%llu %s",
						off ? ", " : "", (unsigned long long)r->val.count,
						r->key.kind == VW_CLAIM_ASK
							? "asked for"
							: vw_claim_kind_name(r->key.kind));
		if (r->val.first_ns < l->first_ns)
			l->first_ns = r->val.first_ns;
		if (r->val.last_ns > l->last_ns)
			l->last_ns = r->val.last_ns;
	}
	return j;
}

size_t vw_report_vip_lines(struct vw_claim_row *const *rows, size_t n, size_t *claimers)
{
	size_t lines = 0;

	*claimers = 0;
	for (size_t i = 0; i < n; lines++) {
		size_t j = i + 1;
		while (j < n && same_claimer(&rows[j]->key, &rows[i]->key))
			j++;
		*claimers += memcmp(rows[i]->key.mac, no_mac, 6) != 0;
		i = j;
	}
	return lines;
}

void vw_report_vip_cells(const struct vw_table *t, const struct vw_vip_line *l,
			 struct vw_vip_text *buf, const char *cells[VW_VIP_CELLS])
{
	const struct vw_claim_key *k = l->key;
	const struct vw_segment *seg = vw_table_segment(t, k->ifindex);

	cells[0] = seg ? seg->name : "?";
	cells[1] = vw_vlan_str(k->vlan, buf->vlan, sizeof(buf->vlan));
	cells[2] = vw_ip_str(k->family, k->addr, buf->addr, sizeof(buf->addr));
	cells[3] = memcmp(k->mac, no_mac, 6) ? vw_mac_str(k->mac, buf->mac, sizeof(buf->mac)) : "-";
	cells[4] = l->claims;
}

void vw_report_vips_text(FILE *out, const struct vw_table *t)
{
	static const char *const head[] = {"INTERFACE", "VLAN",  "ADDRESS", "MAC",
					   "CLAIMS",    "FIRST", "LAST"};
	const struct vw_vip_claims *v = &t->vips;
	struct vw_claim_row **rows;
	struct text_table tt;

	if (!v->n_rows || !(rows = vw_vips_sorted(v)))
		return;
	text_table_init(&tt, sizeof(head) / sizeof(head[0]));
	text_table_row(&tt, head);
	for (size_t i = 0; i < v->n_rows;) {
		struct vw_vip_line l;
		struct vw_vip_text vt;
		char first[VW_TIME_STRLEN], last[VW_TIME_STRLEN];
		const char *cells[VW_VIP_CELLS + 2];
		i = vw_report_vip_line(rows, v->n_rows, i, &l);
		vw_report_vip_cells(t, &l, &vt, cells);
		cells[VW_VIP_CELLS] = vw_clock_str(l.first_ns, first, sizeof(first));
		cells[VW_VIP_CELLS + 1] = vw_clock_str(l.last_ns, last, sizeof(last));
		text_table_row(&tt, cells);
	}
	fprintf(out, "\nWho holds the virtual addresses (ARP, IPv6 neighbour discovery):\n");
	text_table_print(&tt, out, "  ");
	if (v->rows_refused || v->watch_refused)
		fprintf(out, "  warning: %llu claims and %llu addresses past the table's bounds "
			     "were not counted\n",
			(unsigned long long)v->rows_refused, (unsigned long long)v->watch_refused);
	text_table_free(&tt);
	free(rows);
}

void vw_report_vip_claim_fields(struct json_writer *w, const struct vw_table *t,
				const struct vw_claim_row *r)
{
	const struct vw_segment *seg = vw_table_segment(t, r->key.ifindex);
	const struct vw_claim_host *h;
	char s[VW_ADDR_STRLEN];

	json_str(w, "interface", seg ? seg->name : "");
	vw_report_json_vlan(w, r->key.vlan);
	json_str(w, "family", r->key.family == 6 ? "ipv6" : "ipv4");
	json_str(w, "address", vw_ip_str(r->key.family, r->key.addr, s, sizeof(s)));
	if (r->key.kind == VW_CLAIM_ASK)
		json_null(w, "mac");
	else
		json_str(w, "mac", vw_mac_str(r->key.mac, s, sizeof(s)));
	json_str(w, "kind", vw_claim_kind_name(r->key.kind));
	json_u64(w, "count", r->val.count);
	json_time(w, "first_seen", r->val.first_ns);
	json_time(w, "last_seen", r->val.last_ns);
	if (r->key.kind != VW_CLAIM_ASK && (h = vw_vips_host_of(&t->vips, r->key.mac)))
		json_str(w, "mac_own_address", vw_ip_str(h->family, h->addr, s, sizeof(s)));
}

void vw_report_vips_json(FILE *out, const struct vw_table *t)
{
	const struct vw_vip_claims *v = &t->vips;
	struct vw_claim_row **rows;

	if (!v->n_rows || !(rows = vw_vips_sorted(v)))
		return;
	for (size_t i = 0; i < v->n_rows; i++) {
		struct json_writer w;
		json_begin(&w, out, "vip_claim");
		vw_report_vip_claim_fields(&w, t, rows[i]);
		json_end(&w);
	}
	free(rows);
}
