/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - what the reporters are handed.  Reporters print; they never
 * decide (the detector does) and never change the table.
 */
#ifndef VRRPWATCH_REPORT_H
#define VRRPWATCH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/addr_fmt.h"
#include "model/finding.h"
#include "model/instance_state.h"
#include "model/obs_table.h"

struct vw_report {
	const struct vw_table *table;
	uint64_t other_frames;  /* frames that were not VRRP at all */
	const char *const *files; /* offline inputs, NULL-terminated; NULL live */
	bool live;
	const struct vw_findings *findings; /* NULL: none computed */
	const char *const *notes;           /* what was not judged and why */
	size_t n_notes;
	const char *config_path;            /* the keepalived.conf judged against */
	const struct vw_instance_state *instances; /* who is master of each local instance */
	size_t n_instances;
	/* live capture's own losses (0 offline), for the Prometheus outputs */
	uint64_t ring_losses;               /* XDP: ring-buffer records lost */
	uint64_t map_evictions;             /* XDP: keys the kernel's LRU map evicted */
	uint64_t capture_drops;             /* libpcap: frames the kernel dropped */
};

/*
 * Who an advertiser is, as the tables print it (the report's and the live
 * view's): interface, VLAN, VRID, family, direction, source, MAC.
 */
#define VW_KEY_CELLS 7
struct vw_key_text {
	char vlan[VW_VLAN_STRLEN], vrid[8], src[VW_ADDR_STRLEN], mac[VW_MAC_STRLEN];
};
void vw_report_key_cells(const struct vw_table *t, const struct vw_obs_key *k,
			 struct vw_key_text *buf, const char *cells[VW_KEY_CELLS]);

/* One finding, as the text report prints it (also for the live view). */
void vw_report_finding_text(FILE *out, const struct vw_finding *f);
struct json_writer;
/* The fields of an "advertiser" record (the live lines add their own). */
void vw_report_advertiser_fields(struct json_writer *w, const struct vw_table *t,
				 const struct vw_row *row);
/* One finding as a JSON "finding" record. */
void vw_report_finding_json(FILE *out, const struct vw_finding *f);
/*
 * The same with "event" after "type" (NULL: none, as above): a live line
 * says "opened", "closed" or "event" (an instant finding, master_changed).
 */
void vw_report_finding_json_event(FILE *out, const struct vw_finding *f, const char *event);

/* A "vlan" array: the tags, outer first (empty when untagged). */
void vw_report_json_vlan(struct json_writer *w, const uint16_t *vlan);
/* Who is master of each local instance (report_instances.c): the lines
 * that open the terminal report and the live view, and "instance_state"
 * records. */
void vw_report_instances_text(FILE *out, const struct vw_instance_state *v, size_t n,
			      const char *indent);
void vw_report_instances_json(FILE *out, const struct vw_instance_state *v, size_t n);
/* One instance: its lines (and how many), or its record. */
unsigned vw_report_instance_text(FILE *out, const struct vw_instance_state *s, const char *indent);
void vw_report_instance_json(FILE *out, const struct vw_instance_state *s, const char *event);

/* Who holds the virtual addresses (report_vips.c): the terminal section
 * and the "vip_claim" records; nothing when no claim was counted. */
void vw_report_vips_text(FILE *out, const struct vw_table *t);
void vw_report_vips_json(FILE *out, const struct vw_table *t);
/* The fields of a "vip_claim" record (the live lines add their own). */
void vw_report_vip_claim_fields(struct json_writer *w, const struct vw_table *t,
				const struct vw_claim_row *r);

/*
 * One line of the claims tables (the report's and the live view's): a
 * claimer (interface, VLANs, address, MAC) with its kinds together, "3
 * garp, 120 reply" ("asked for": the asks, MAC "-").
 */
struct vw_vip_line {
	const struct vw_claim_key *key;
	char claims[256];
	uint64_t first_ns, last_ns;
};
/* The line of rows[i] and those after it with the same claimer (rows
 * sorted: vw_vips_sorted); returns the index after them. */
size_t vw_report_vip_line(struct vw_claim_row *const *rows, size_t n, size_t i,
			  struct vw_vip_line *l);
/* How many lines n sorted rows make; *claimers: those of a MAC (not asks). */
size_t vw_report_vip_lines(struct vw_claim_row *const *rows, size_t n, size_t *claimers);
/* Its cells: interface, VLAN, address, MAC, claims. */
#define VW_VIP_CELLS 5
struct vw_vip_text {
	char vlan[VW_VLAN_STRLEN], addr[VW_ADDR_STRLEN], mac[VW_MAC_STRLEN];
};
void vw_report_vip_cells(const struct vw_table *t, const struct vw_vip_line *l,
			 struct vw_vip_text *buf, const char *cells[VW_VIP_CELLS]);

/* The terminal report: summary line, advertisers, rejected frames, findings. */
void vw_report_text(FILE *out, const struct vw_report *r);
/* JSON lines: "advertiser", "rejected", "finding", "note", "summary". */
void vw_report_json(FILE *out, const struct vw_report *r);

#endif
