// SPDX-License-Identifier: GPL-2.0-or-later
#include "ingest.h"

#include <string.h>

void vw_ingest_init(struct vw_ingest *in, struct vw_table *t, uint64_t tick_ns,
		    vw_tick_fn on_tick, void *tick_ctx)
{
	memset(in, 0, sizeof(*in));
	in->table = t;
	in->tick_ns = on_tick ? tick_ns : 0;
	in->on_tick = on_tick;
	in->tick_ctx = tick_ctx;
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
 * as a live tick would.  A long silence fires every tick in it: the
 * detector needs them to notice the silence.
 */
static void fire_ticks(struct vw_ingest *in, uint64_t ts)
{
	if (!in->next_tick_ns) {
		in->next_tick_ns = ts + in->tick_ns;
		return;
	}
	while (ts >= in->next_tick_ns) {
		in->on_tick(in->tick_ctx, in->next_tick_ns);
		in->next_tick_ns += in->tick_ns;
	}
}

static void count_time(struct vw_table *t, uint64_t ts)
{
	if (!t->frames || ts < t->first_ns)
		t->first_ns = ts;
	if (ts > t->last_ns)
		t->last_ns = ts;
	t->frames++;
}

static void account_advert(struct vw_ingest *in, const struct vw_frame *f,
			   const struct vw_advert *a)
{
	struct vw_obs_key k;
	enum vw_dir dir = f->dir_hint == VW_DIR_TX || a->pkt_type == VW_PKT_OUTGOING
				  ? VW_DIR_TX
				  : VW_DIR_RX;

	vw_key_from_advert(&k, f->segment, dir, a);
	if (!vw_table_add_advert(in->table, &k, a, f->data, f->ts_ns))
		in->alloc_failed = 1;
	if (a->flags & VW_F_BAD_TTL)
		vw_table_add_reject(in->table, f->segment, a, VW_R_BAD_TTL, f->ts_ns);
	if (a->flags & VW_F_BAD_CSUM)
		vw_table_add_reject(in->table, f->segment, a, VW_R_BAD_CHECKSUM, f->ts_ns);
}

void vw_ingest_frame(struct vw_ingest *in, const struct vw_frame *f)
{
	struct vw_advert a;

	if (in->tick_ns)
		fire_ticks(in, f->ts_ns);
	count_time(in->table, f->ts_ns);
	memset(&a, 0, sizeof(a));
	switch (vw_decode(NULL, f->data, f->data + f->caplen, f->link, &a)) {
	case VW_ADVERT:
		account_advert(in, f, &a);
		break;
	case VW_REJECT:
		in->table->rejected++;
		if (vw_table_add_reject(in->table, f->segment, &a, (enum vw_reason)a.reason,
					f->ts_ns))
			in->alloc_failed = 1;
		break;
	default:
		in->other_frames++;
	}
}
