// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture/ingest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/huge_alloc.h"

void vw_ingest_init(struct vw_ingest *in, struct vw_table *t, uint64_t tick_ns,
		    vw_tick_fn on_tick, void *tick_ctx)
{
	memset(in, 0, sizeof(*in));
	in->table = t;
	in->tick_ns = on_tick ? tick_ns : 0;
	in->on_tick = on_tick;
	in->tick_ctx = tick_ctx;
	/* ticks on packet time: the table notes what changed between them */
	t->marks.on = on_tick != NULL;
	in->memo = vw_huge_alloc(sizeof(*in->memo)); /* optional: NULL only slows */
}

void vw_ingest_free(struct vw_ingest *in)
{
	vw_huge_free(in->memo, sizeof(*in->memo));
	in->memo = NULL;
	free(in->cut_buf);
	in->cut_buf = NULL;
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

bool vw_ingest_repeat(struct vw_ingest *in, const struct vw_frame *f)
{
	const struct vw_memo_entry *e =
		vw_memo_find(in->memo, f->data, f->caplen, f->segment, f->dir_hint);
	struct vw_row *r = NULL;

	/* rows move only when one is evicted: with none since, its index holds */
	if (e && e->evictions == in->table->evictions && e->row < in->table->n_rows)
		r = &in->table->rows[e->row];
	else if (e)
		r = vw_table_row_at(in->table, e->row, &e->key);

	/* the message within this frame (the same bytes decode alike: this
	 * only guards what a change below copies from it) */
	if (!r || e->hot.msg_end > f->caplen)
		return false;
	/* A repeat of the row's last advert is a count; an advert the row
	 * had before something else (a broken one, another priority) is
	 * decoded already but taken as a change. */
	if (r->state == e->state && r->val.addr_hash == e->hot.addr_hash && !r->addresses_cut)
		vw_row_count_repeat(in->table, r, e->hot.ip_len, e->hot.flags, e->hot.priority,
				    f->ts_ns);
	else
		vw_row_add_advert(in->table, r, &e->advert, f->data, f->ts_ns);
	if (e->hot.flags & (VW_F_BAD_TTL | VW_F_BAD_CSUM))
		count_flags(in, f, &e->advert);
	in->memo->hits++;
	return true;
}

/*
 * A record of a capture file cut short (caplen < wirelen: a snaplen of 38,
 * 64 or 96 bytes) that the decoder refused.  The decoder only says where
 * the bytes ran out, and that is the capture's doing, not the sender's.
 *
 * The decoder (shared with BPF, kept as it is) decodes a copy of the frame
 * padded with zeros to its wire length.  Every check before the VRRP
 * message reads the IP (and AH, extension) headers, and every structural
 * check of the message reads its 8-byte fixed header and the IP length: so
 * when the fixed header lies within the captured bytes, that decode read
 * only captured bytes, except the address list, the v2 auth data and the
 * checksum over them.  Then:
 *   - an advert is one, of its sender, with the fields of its header; its
 *     checksum was not verified (neither good nor bad: the flag and the
 *     variant are cleared) and its address hash is 0 unless the whole
 *     list was captured (*whole_list);
 *   - a structural reject (bad_version, vrid_zero, addr_count...) is the
 *     sender's, as for a whole frame.
 * When the capture ends before the fixed header: capture_cut, unless the
 * padded frame is still short of its own IP length (the frame was short
 * on the wire: truncated, the sender's) or the decoder refused the
 * captured bytes for what they say (bad_ip_header, fragment...).  An AH
 * header cut by the capture reads as bad_ah: capture_cut too.
 *
 * Returns the verdict (VW_ADVERT or VW_REJECT) now in *a, and in *seen the
 * bytes of the message captured.
 */
#define VW_CUT_BUF (65536u + 128u) /* an IPv6 datagram of 40 + 65535, and L2 */

static int decode_cut(struct vw_ingest *in, const struct vw_frame *f, const struct vw_l2 *l2,
		      struct vw_advert *a, uint16_t *seen, bool *whole_list)
{
	uint32_t len = f->wirelen < VW_CUT_BUF ? f->wirelen : VW_CUT_BUF;
	struct vw_advert p;
	struct vw_l2 pl2 = *l2;

	if (a->reason != VW_R_TRUNCATED && a->reason != VW_R_BAD_AH)
		return VW_REJECT; /* refused for what the captured bytes say */
	/* a record that long holds any datagram and its link header whole:
	 * nothing was cut that the decoder needed (and it would not fit) */
	if (f->caplen >= len)
		return VW_REJECT;
	if (!in->cut_buf && !(in->cut_buf = malloc(VW_CUT_BUF)))
		goto cut;
	memcpy(in->cut_buf, f->data, f->caplen);
	memset(in->cut_buf + f->caplen, 0, len - f->caplen);
	pl2.l3 = in->cut_buf + (l2->l3 - f->data); /* the MACs stay where they were */
	vw_decode_l3(NULL, in->cut_buf, in->cut_buf + len, &pl2, &p);
	if (p.vrrp_off && (uint32_t)p.vrrp_off + VW_VRRP_HDR_LEN <= f->caplen) {
		*a = p;
		if (p.verdict != VW_ADVERT)
			return VW_REJECT;
		uint32_t alen = p.family == 6 ? 16 : 4, got = f->caplen - p.vrrp_off;
		*seen = (uint16_t)(got < p.vrrp_len ? got : p.vrrp_len);
		*whole_list = VW_VRRP_HDR_LEN + (uint32_t)p.naddr * alen <= got;
		a->flags &= (uint8_t)~VW_F_BAD_CSUM;
		a->csum_ok = 0;
		a->csum_variant = 0;
		if (!*whole_list)
			a->addr_hash = 0;
		return VW_ADVERT;
	}
	if (p.verdict == VW_REJECT && p.reason == VW_R_TRUNCATED)
		return VW_REJECT; /* short on the wire too: the sender's */
cut:
	a->reason = VW_R_CAPTURE_CUT;
	return VW_REJECT;
}

static void note_cut(struct vw_ingest *in, const struct vw_frame *f)
{
	/* the snaplen the file gives when it is what cut this record, else
	 * what was kept of it */
	uint32_t at = f->snaplen && f->snaplen >= f->caplen && f->snaplen < f->wirelen ? f->snaplen
										    : f->caplen;

	if (at > in->cut_at)
		in->cut_at = at;
	if (!in->cut_at_min || at < in->cut_at_min)
		in->cut_at_min = at;
}

bool vw_ingest_cut_note(const struct vw_ingest *in, char *buf, size_t len)
{
	char adverts[160] = "", rejects[128] = "", at[40];

	if (!in->cut_adverts && !in->cut_rejects)
		return false;
	if (in->cut_adverts && in->cut_adverts_addrs)
		snprintf(adverts, sizeof(adverts),
			 "%" PRIu64 " VRRP advert%s counted from the fixed header, checksum not "
			 "verified, %" PRIu64 " of them without the whole address list",
			 in->cut_adverts, in->cut_adverts == 1 ? "" : "s", in->cut_adverts_addrs);
	else if (in->cut_adverts)
		snprintf(adverts, sizeof(adverts),
			 "%" PRIu64 " VRRP advert%s counted from the fixed header, checksum not "
			 "verified",
			 in->cut_adverts, in->cut_adverts == 1 ? "" : "s");
	if (in->cut_rejects)
		snprintf(rejects, sizeof(rejects),
			 "%" PRIu64 " frame%s of IP protocol 112 cut inside the headers "
			 "(rejected: capture_cut)",
			 in->cut_rejects, in->cut_rejects == 1 ? "" : "s");
	if (in->cut_at_min < in->cut_at)
		snprintf(at, sizeof(at), "%" PRIu32 " to %" PRIu32, in->cut_at_min, in->cut_at);
	else
		snprintf(at, sizeof(at), "%" PRIu32, in->cut_at);
	snprintf(buf, len,
		 "the capture was cut at %s bytes per frame (its snaplen), short of whole VRRP "
		 "adverts: %s%s%s. This is the capture's doing, not the senders': recapture with "
		 "tcpdump -s 0",
		 at, adverts, adverts[0] && rejects[0] ? "; " : "", rejects);
	return true;
}

void vw_ingest_candidate(struct vw_ingest *in, const struct vw_frame *f,
			 const struct vw_l2 *l2)
{
	struct vw_table *t = in->table;
	struct vw_advert a;
	struct vw_obs_key k;
	uint16_t seen = 0;
	bool whole_list = true;

	switch (vw_decode_l3(NULL, f->data, f->data + f->caplen, l2, &a)) {
	case VW_OTHER:
		in->other_frames++;
		return;
	case VW_REJECT:
		if (f->capture_file && f->caplen < f->wirelen &&
		    decode_cut(in, f, l2, &a, &seen, &whole_list) == VW_ADVERT)
			break;
		if (a.reason == VW_R_CAPTURE_CUT) {
			in->cut_rejects++;
			note_cut(in, f);
		}
		t->rejected++;
		if (vw_table_add_reject(t, f->segment, &a, (enum vw_reason)a.reason, f->ts_ns))
			in->alloc_failed = 1;
		return;
	}
	if (seen) { /* an advert the capture cut: never remembered (memo) */
		struct vw_row *cr;
		in->cut_adverts++;
		in->cut_adverts_addrs += !whole_list;
		note_cut(in, f);
		vw_key_from_advert(&k, f->segment, direction(f, &a), &a);
		if (!(cr = vw_table_add_cut_advert(t, &k, &a, f->data, f->ts_ns, seen, whole_list)))
			in->alloc_failed = 1;
		else
			count_flags(in, f, &a), vw_ingest_watch_row(t, cr);
		return;
	}
	vw_key_from_advert(&k, f->segment, direction(f, &a), &a);
	struct vw_row *r = vw_table_add_advert(t, &k, &a, f->data, f->ts_ns);
	if (!r) {
		in->alloc_failed = 1;
		return;
	}
	count_flags(in, f, &a);
	vw_ingest_watch_row(t, r); /* a repeat (the memo) announces nothing new */
	if (in->memo)
		vw_memo_store(in->memo, f->data, f->caplen, f->segment, f->dir_hint, &a, &k,
			      (uint32_t)(r - t->rows), t->evictions,
			      (uint16_t)(l2->l3 - f->data));
}

/* The row's address list is the one all of whose addresses were watched:
 * the same count, hash and length (the table keeps a new message only for
 * a new hash or count); a cut list is never taken as such, what it holds
 * may grow. */
static bool watched_already(const struct vw_row *r)
{
	return r->watched && r->watched_len == r->msg_len && r->watched_naddr == r->val.naddr &&
	       r->watched_hash == r->val.addr_hash && !r->addresses_cut;
}

void vw_ingest_watch_row(struct vw_table *t, struct vw_row *r)
{
	const uint8_t *addr;
	bool all = !r->addresses_cut;

	if (watched_already(r))
		return;
	for (unsigned i = 0; (addr = vw_row_address(r, i)); i++)
		all &= !vw_vips_watch(&t->vips, r->key.family, addr, false);
	/* one refused (the watch table full) is tried, and counted, again */
	r->watched = all;
	r->watched_len = r->msg_len;
	r->watched_naddr = r->val.naddr;
	r->watched_hash = r->val.addr_hash;
}

void vw_ingest_claim(struct vw_ingest *in, const struct vw_frame *f, const struct vw_l2 *l2)
{
	struct vw_vip_claims *v = &in->table->vips;
	struct vw_claim_keys ks;
	uint8_t mac[6], own[16];

	in->other_frames++;
	if (l2->type == 0x0806)
		v->arp_frames++;
	/* the keys the BPF programs count under, built by the same code */
	if (!vw_claim_keys_of(l2, f->data + f->caplen, f->segment, &ks))
		return;
	if (l2->type == 0x86dd)
		v->nd_frames++;
	if (ks.has_claim && vw_vips_watched(v, ks.claim.family, ks.claim.addr) &&
	    vw_vips_count(v, &ks.claim, f->ts_ns) == -ENOMEM)
		in->alloc_failed = 1;
	if (ks.has_ask && vw_vips_watched(v, ks.ask.family, ks.ask.addr) &&
	    vw_vips_count(v, &ks.ask, f->ts_ns) == -ENOMEM)
		in->alloc_failed = 1;
	/* the sender's own address, to name a claimer: one not watched */
	uint8_t family = ks.has_claim ? ks.claim.family : ks.ask.family;
	if (vw_claim_sender(l2, &ks, mac, own) && !vw_vips_watched(v, family, own))
		vw_vips_host(v, mac, family, own);
}
