/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ingest.h - the per-frame path shared by every source that hands over
 * whole frames (capture files, the libpcap live backend): decode, key,
 * account in the observation table, and fire the snapshot ticks on packet
 * time so that offline runs see the same ticks a live run would.
 */
#ifndef VRRPWATCH_INGEST_H
#define VRRPWATCH_INGEST_H

#include <stdint.h>

#include "obs_table.h"
#include "vrrp_decode.h"

struct vw_frame {
	const uint8_t *data;
	uint32_t caplen;
	uint32_t wirelen;
	uint64_t ts_ns;
	enum vw_link link;
	uint32_t segment;  /* vw_table segment id */
	int dir_hint;      /* VW_DIR_TX when the capture says outgoing, else -1 */
};

/* Called when packet time crosses a tick boundary, with the boundary time. */
typedef void (*vw_tick_fn)(void *ctx, uint64_t now_ns);

struct vw_ingest {
	struct vw_table *table;
	uint64_t other_frames; /* not VRRP at all */
	uint64_t tick_ns;      /* 0: no ticks */
	uint64_t next_tick_ns; /* 0 until the first frame */
	vw_tick_fn on_tick;
	void *tick_ctx;
	int alloc_failed;      /* the table could not grow at least once */
};

void vw_ingest_init(struct vw_ingest *in, struct vw_table *t, uint64_t tick_ns,
		    vw_tick_fn on_tick, void *tick_ctx);
void vw_ingest_frame(struct vw_ingest *in, const struct vw_frame *f);

/* DLT / LINKTYPE value of a capture to the decoder's link, -1 if unknown. */
int vw_link_from_dlt(int dlt);

#endif
