/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * silent_master.h - a master that keepalived keeps from advertising: two
 * routers that each discard the other's adverts stay master both, though
 * one of them may fall silent after a single advert.
 */
#ifndef VRRPWATCH_SILENT_MASTER_H
#define VRRPWATCH_SILENT_MASTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/activity.h"
#include "model/obs_table.h"

/* Why x and y each discard the other's adverts, by what the wire shows
 * (version, VRRPv2 interval or authentication); empty if they need not.
 * Returns the length written. */
size_t vw_mutual_rejection(const struct vw_row *x, const struct vw_row *y, char *why, size_t len);

/* How long y has been master, advertising little or not at all because
 * x's adverts, which it discards, keep restarting its advert timer: from
 * y's first advert of its episode to x's last; 0 when that does not hold. */
uint64_t vw_silenced_master_ns(const struct vw_row *x, const struct vw_activity *xa,
			       const struct vw_row *y, const struct vw_activity *ya);
/* What of that holds while neither row nor activity changes but for their
 * counters and last adverts: whether x keeps y silent at all, and from
 * when (*from_ns: y's first advert of its episode), so that it holds for
 * x's last advert minus that time, where x's last advert is later. */
bool vw_silencing(const struct vw_row *x, const struct vw_activity *xa, const struct vw_row *y,
		  const struct vw_activity *ya, uint64_t *from_ns);

#endif
