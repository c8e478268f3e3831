// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture/ingest.h"

#include <stdlib.h>
#include <string.h>

void vw_ingest_init(struct vw_ingest *in, struct vw_table *t, uint64_t tick_ns,
		    vw_tick_fn on_tick, void *tick_ctx)
{
	memset(in, 0, sizeof(*in));
	in->table = t;
	in->tick_ns = on_tick ? tick_ns : 0;
	in->on_tick = on_tick;
	in->tick_ctx = tick_ctx;
	in->memo = calloc(1, sizeof(*in->memo)); /* optional: NULL only slows */
}

void vw_ingest_free(struct vw_ingest *in)
{
	free(in->memo);
	in->memo = NULL;
}

int vw_link_from_dlt(int dlt)
{
	switch (dlt) {
	case 1: /* DLT_EN10MB */
		return VW_LINK_ETHERNET;
	case 113: /* DLT_LINUX_SLL */
		return VW_LINK_SLL;
	case 276: /* DLT_LINUX_SLL2 */
		return VW_LINK_SLL2;
	case 12:  /* DLT_RAW on most systems */
	case 14:  /* DLT_RAW on OpenBSD */
	case 101: /* LINKTYPE_RAW as stored in files */
		return VW_LINK_RAW;
	case 228: /* LINKTYPE_IPV4 */
		return VW_LINK_IPV4;
	case 229: /* LINKTYPE_IPV6 */
		return VW_LINK_IPV6;
	default:
		return -1;
	}
}

/*
 * Ticks fire on packet time, before the first packet at or past the
 * boundary, so the snapshot of tick T holds exactly the packets before T,
 * as a live tick would.  A silence fires the ticks in it, since the
 * detector needs them to notice the silence, but only its first
 * VW_SILENCE_NS (longer than any horizon: 3 episodes of the longest VRRP
 * interval) and at most VW_SILENCE_TICKS of them: past that nothing more
 * can change, and a timestamp that jumps a year (two captures weeks
 * apart, a corrupt record) must not cost a tick per interval.
 */
#define VW_SILENCE_NS (600ull * 1000000000u)
#define VW_SILENCE_TICKS 1000

void vw_ingest_ticks(struct vw_ingest *in, uint64_t ts)
{
	uint64_t silence_start = in->next_tick_ns;
	unsigned fired = 0;

	if (!in->next_tick_ns) {
		in->next_tick_ns = ts + in->tick_ns;
		return;
	}
	while (ts >= in->next_tick_ns) {
		if (fired++ == VW_SILENCE_TICKS ||
		    in->next_tick_ns - silence_start > VW_SILENCE_NS) {
			/* skip to the boundary after ts, keeping the phase */
			in->next_tick_ns += ((ts - in->next_tick_ns) / in->tick_ns + 1) * in->tick_ns;
			return;
		}
		in->on_tick(in->tick_ctx, in->next_tick_ns);
		in->next_tick_ns += in->tick_ns;
	}
}

static enum vw_dir direction(const struct vw_frame *f, const struct vw_advert *a)
{
	return f->dir_hint == VW_DIR_TX || a->pkt_type == VW_PKT_OUTGOING ? VW_DIR_TX : VW_DIR_RX;
}

/* bad TTL and bad checksum are also counted per segment and reason */
static void count_flags(struct vw_ingest *in, const struct vw_frame *f,
			const struct vw_advert *a)
{
	if (a->flags & VW_F_BAD_TTL)
		vw_table_add_reject(in->table, f->segment, a, VW_R_BAD_TTL, f->ts_ns);
	if (a->flags & VW_F_BAD_CSUM)
		vw_table_add_reject(in->table, f->segment, a, VW_R_BAD_CHECKSUM, f->ts_ns);
}

static bool repeat_of_memo(struct vw_ingest *in, const struct vw_frame *f)
{
	const struct vw_memo_entry *e =
		vw_memo_find(in->memo, f->data, f->caplen, f->segment, f->dir_hint);
	struct vw_row *r = e ? vw_table_row_at(in->table, e->row, &e->key) : NULL;

	if (!r)
		return false;
	vw_row_count(in->table, r, &e->advert, f->ts_ns);
	count_flags(in, f, &e->advert);
	in->memo->hits++;
	return true;
}

void vw_ingest_candidate(struct vw_ingest *in, const struct vw_frame *f,
			 const struct vw_l2 *l2)
{
	struct vw_table *t = in->table;
	struct vw_advert a;
	struct vw_obs_key k;

	if (in->memo && repeat_of_memo(in, f))
		return;
	switch (vw_decode_l3(NULL, f->data, f->data + f->caplen, l2, &a)) {
	case VW_OTHER:
		in->other_frames++;
		return;
	case VW_REJECT:
		t->rejected++;
		if (vw_table_add_reject(t, f->segment, &a, (enum vw_reason)a.reason, f->ts_ns))
			in->alloc_failed = 1;
		return;
	}
	vw_key_from_advert(&k, f->segment, direction(f, &a), &a);
	struct vw_row *r = vw_table_add_advert(t, &k, &a, f->data, f->ts_ns);
	if (!r) {
		in->alloc_failed = 1;
		return;
	}
	count_flags(in, f, &a);
	if (in->memo)
		vw_memo_store(in->memo, f->data, f->caplen, f->segment, f->dir_hint, &a, &k,
			      (uint32_t)(r - t->rows), (uint16_t)(l2->l3 - f->data));
}
