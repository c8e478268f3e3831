/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ingest.h - the per-frame path shared by every source that hands over
 * whole frames (capture files, the libpcap live backend): decode, key,
 * account in the observation table, and fire the snapshot ticks on packet
 * time so that offline runs see the same ticks a live run would.
 */
#ifndef VRRPWATCH_INGEST_H
#define VRRPWATCH_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/advert_memo.h"
#include "model/obs_table.h"
#include "shared/vrrp_decode.h"
#include "shared/vip_claim.h"

struct vw_frame {
	const uint8_t *data;
	uint32_t caplen;
	uint32_t wirelen;
	uint64_t ts_ns;
	enum vw_link link;
	uint32_t segment;  /* vw_table segment id */
	int dir_hint;      /* VW_DIR_TX when the capture says outgoing, else -1 */
	/*
	 * From a capture file: a record with caplen < wirelen was cut by the
	 * capture (its snaplen), not by the sender, and is decoded as far as
	 * it goes (see vw_ingest_candidate).  Elsewhere (live XDP sees a long
	 * frame's first page only) a short frame stays the decoder's verdict.
	 */
	bool capture_file;
	uint32_t snaplen;  /* the file's or interface's snaplen, 0 if none */
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
	struct vw_memo *memo;  /* NULL: every frame is decoded in full */
	/* records of capture files cut short (caplen < wirelen) that held VRRP */
	uint64_t cut_adverts;       /* counted as adverts from their fixed header */
	uint64_t cut_adverts_addrs; /* ... of which the address list was cut too */
	uint64_t cut_rejects;       /* cut inside the headers: rejected capture_cut */
	uint32_t cut_at;            /* the largest snaplen (or caplen) they were cut at */
	uint32_t cut_at_min;        /* the smallest */
	uint8_t *cut_buf;           /* the padded copy a cut frame is decoded from */
};

void vw_ingest_init(struct vw_ingest *in, struct vw_table *t, uint64_t tick_ns,
		    vw_tick_fn on_tick, void *tick_ctx);

void vw_ingest_free(struct vw_ingest *in);

/* A repeat of an advert the memo holds, counted (true), or not one. */
bool vw_ingest_repeat(struct vw_ingest *in, const struct vw_frame *f);

/* Out of line, off the fast path: */
void vw_ingest_ticks(struct vw_ingest *in, uint64_t ts);
void vw_ingest_candidate(struct vw_ingest *in, const struct vw_frame *f,
			 const struct vw_l2 *l2);
/* ARP or ICMPv6 (vw_may_be_claim): who claims a watched address. */
void vw_ingest_claim(struct vw_ingest *in, const struct vw_frame *f, const struct vw_l2 *l2);
/* Watch the addresses of a row's last advert (model/vip_claims.h), unless
 * all of that list are watched already (vw_row.watched). */
void vw_ingest_watch_row(struct vw_table *t, struct vw_row *r);

/*
 * One frame.  Inline: it runs for every frame of a capture, and most
 * frames are not VRRP and leave after a few compares.
 */
static inline void vw_ingest_frame(struct vw_ingest *in, const struct vw_frame *f)
{
	struct vw_table *t = in->table;
	const uint8_t *end = f->data + f->caplen;
	struct vw_l2 l2;

	if (in->tick_ns && f->ts_ns >= in->next_tick_ns)
		vw_ingest_ticks(in, f->ts_ns);
	if (!t->frames || f->ts_ns < t->first_ns)
		t->first_ns = f->ts_ns;
	if (f->ts_ns > t->last_ns)
		t->last_ns = f->ts_ns;
	t->frames++;
	/* the same bytes of one segment (one link type) decode alike, link
	 * header included: a repeat is found before it is read again */
	if (in->memo && vw_ingest_repeat(in, f))
		return;
	if (vw_decode_link(f->data, end, f->link, &l2))
		in->other_frames++;
	else if (vw_may_be_vrrp(&l2, end))
		vw_ingest_candidate(in, f, &l2);
	else if (vw_may_be_claim(&l2, end))
		vw_ingest_claim(in, f, &l2); /* counted as other too */
	else
		in->other_frames++;
}

/*
 * The note that says a capture was cut short and VRRP adverts with it
 * (once per run): written to buf, returns true; false (buf untouched)
 * when no VRRP frame was cut.
 */
bool vw_ingest_cut_note(const struct vw_ingest *in, char *buf, size_t len);

/* DLT / LINKTYPE value of a capture to the decoder's link, -1 if unknown. */
int vw_link_from_dlt(int dlt);

#endif
