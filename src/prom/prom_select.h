/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * prom_select.h - which advertisers the Prometheus exposition names, so
 * that label cardinality stays bounded whatever arrives on the wire.
 *
 * Rows become series (one label set each: interface, VLANs, family, VRID,
 * source, source MAC, direction, destination; rows that would print the
 * same labels, from two captures with one interface name, are one series)
 * and series group into label domains (interface, VLANs, family, VRID: the
 * collision domains of design.md without the receivers, so that a flood
 * with random destinations cannot spread over new domains either).
 *
 * Three caps, each filled by the busiest first (most adverts, then report
 * order), because a real master advertises steadily and a spoofer that
 * cycles through sources sends few adverts from each:
 *   max_per_domain   series exported per domain,
 *   max_domains      domains exported,
 *   max_advertisers  series exported in all.
 * What is left out is counted, never silently dropped.
 */
#ifndef VRRPWATCH_PROM_SELECT_H
#define VRRPWATCH_PROM_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/obs_table.h"

struct vw_prom_limits {
	unsigned max_per_domain;
	unsigned max_domains;
	unsigned max_advertisers;
	unsigned max_findings; /* finding label sets (report_prom.c) */
};

/* The defaults: 16 per domain, 1024 domains, 1024 advertisers, 1024 findings. */
#define VW_PROM_MAX_PER_DOMAIN 16
#define VW_PROM_MAX_DOMAINS 1024
#define VW_PROM_MAX_ADVERTISERS 1024
#define VW_PROM_MAX_FINDINGS 1024
/* Fixed caps: virtual addresses named per domain, segments named. */
#define VW_PROM_MAX_ADDRESSES 8
#define VW_PROM_MAX_SEGMENTS 256
void vw_prom_limits_default(struct vw_prom_limits *l);

struct vw_prom_series {
	const struct vw_row *const *rows; /* its rows, adjacent in the selection */
	size_t n_rows;
	const struct vw_row *latest;      /* the one heard last: priority, interval */
	uint64_t adverts, bytes, last_ns;
	size_t domain;                    /* index into domains */
	bool exported;
};

struct vw_prom_domain {
	size_t first, n;   /* its series */
	uint64_t adverts;
	bool exported;
};

struct vw_prom_selection {
	const struct vw_row **rows;  /* every row, in label order */
	struct vw_prom_series *series;
	size_t n_series;
	struct vw_prom_domain *domains;
	size_t n_domains;
	size_t unexported_series, unexported_domains;
};

/* Returns 0 or -ENOMEM. */
int vw_prom_select(struct vw_prom_selection *s, const struct vw_table *t,
		   const struct vw_prom_limits *lim);
void vw_prom_selection_free(struct vw_prom_selection *s);

#endif
