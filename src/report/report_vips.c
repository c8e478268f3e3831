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
		const struct vw_claim_key *k = &rows[i]->key;
		char vlan[VW_VLAN_STRLEN], addr[VW_ADDR_STRLEN], mac[VW_MAC_STRLEN], claims[256],
			first[VW_TIME_STRLEN], last[VW_TIME_STRLEN];
		uint64_t f = UINT64_MAX, l = 0;
		size_t off = 0, j = i;
		/* one line per address and MAC: its kinds together */
		for (; j < v->n_rows; j++) {
			const struct vw_claim_row *r = rows[j];
			if (r->key.ifindex != k->ifindex || memcmp(r->key.vlan, k->vlan, 4) ||
			    r->key.family != k->family || memcmp(r->key.addr, k->addr, 16) ||
			    memcmp(r->key.mac, k->mac, 6))
				break;
			if (off < sizeof(claims))
				off += (size_t)snprintf(claims + off, sizeof(claims) - off, "%s%llu %s",
							off ? ", " : "",
							(unsigned long long)r->val.count,
							r->key.kind == VW_CLAIM_ASK
								? "asked for"
								: vw_claim_kind_name(r->key.kind));
			if (r->val.first_ns < f)
				f = r->val.first_ns;
			if (r->val.last_ns > l)
				l = r->val.last_ns;
		}
		const struct vw_segment *seg = vw_table_segment(t, k->ifindex);
		const char *cells[] = {
			seg ? seg->name : "?",
			vw_vlan_str(k->vlan, vlan, sizeof(vlan)),
			vw_ip_str(k->family, k->addr, addr, sizeof(addr)),
			memcmp(k->mac, no_mac, 6) ? vw_mac_str(k->mac, mac, sizeof(mac)) : "-",
			claims,
			vw_clock_str(f, first, sizeof(first)),
			vw_clock_str(l, last, sizeof(last)),
		};
		text_table_row(&tt, cells);
		i = j;
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

void vw_report_vips_json(FILE *out, const struct vw_table *t)
{
	const struct vw_vip_claims *v = &t->vips;
	struct vw_claim_row **rows;

	if (!v->n_rows || !(rows = vw_vips_sorted(v)))
		return;
	for (size_t i = 0; i < v->n_rows; i++) {
		const struct vw_claim_row *r = rows[i];
		const struct vw_segment *seg = vw_table_segment(t, r->key.ifindex);
		const struct vw_claim_host *h;
		char s[VW_ADDR_STRLEN];
		struct json_writer w;

		json_begin(&w, out, "vip_claim");
		json_str(&w, "interface", seg ? seg->name : "");
		vw_report_json_vlan(&w, r->key.vlan);
		json_str(&w, "family", r->key.family == 6 ? "ipv6" : "ipv4");
		json_str(&w, "address", vw_ip_str(r->key.family, r->key.addr, s, sizeof(s)));
		if (r->key.kind == VW_CLAIM_ASK)
			json_null(&w, "mac");
		else
			json_str(&w, "mac", vw_mac_str(r->key.mac, s, sizeof(s)));
		json_str(&w, "kind", vw_claim_kind_name(r->key.kind));
		json_u64(&w, "count", r->val.count);
		json_time(&w, "first_seen", r->val.first_ns);
		json_time(&w, "last_seen", r->val.last_ns);
		if (r->key.kind != VW_CLAIM_ASK && (h = vw_vips_host_of(v, r->key.mac)))
			json_str(&w, "mac_own_address", vw_ip_str(h->family, h->addr, s, sizeof(s)));
		json_end(&w);
	}
	free(rows);
}
