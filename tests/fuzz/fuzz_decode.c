// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_decode.c - the VRRP decoder (src/shared/vrrp_decode.h) on every
 * link type, through the entry points capture/ingest.c uses.
 *
 * Input: one control byte, then the frame.
 *   bits 0-3  the link type, modulo 6: Ethernet, Linux SLL, SLL2, raw IP,
 *             IPv4, IPv6 (enum vw_link);
 *   bit 4     the frame is a capture-file record cut by the capture's
 *             snaplen (caplen < wire length): ingest's capture_cut path;
 *   bits 5-7  how much longer the frame was on the wire, in 64-byte steps.
 * The frame is decoded in two stages (vw_decode_link, vw_may_be_vrrp,
 * vw_decode_l3) and in one (vw_decode), the results are checked against
 * the decoder's contract, and it is then ingested twice into an
 * observation table (the second time through the advert memo).
 */
#include <string.h>

#include "fuzz.h"

#include "capture/ingest.h"
#include "model/obs_table.h"
#include "shared/vrrp_decode.h"

static void check_advert(const struct vw_advert *a, int verdict, const uint8_t *frame,
			 size_t len)
{
	FUZZ_CHECK(a->verdict == verdict);
	if (verdict == VW_REJECT) {
		FUZZ_CHECK(a->reason > VW_R_NONE && a->reason < VW_R_COUNT);
		FUZZ_CHECK(a->reason != VW_R_CAPTURE_CUT); /* ingest's, never the decoder's */
		return;
	}
	FUZZ_CHECK(verdict == VW_ADVERT);
	FUZZ_CHECK(a->family == 4 || a->family == 6);
	FUZZ_CHECK(a->version == 2 || a->version == 3);
	FUZZ_CHECK(a->type == 1 && a->vrid != 0 && a->interval_cs != 0);
	FUZZ_CHECK(a->nvlan <= VW_MAX_VLAN);
	/* the whole message lies within the frame */
	FUZZ_CHECK(a->vrrp_off >= 20 && (size_t)a->vrrp_off + a->vrrp_len <= len);
	uint32_t alen = a->family == 6 ? 16 : 4;
	uint32_t auth = a->version == 2 && a->family == 4 ? VW_V2_AUTH_LEN : 0;
	FUZZ_CHECK(a->vrrp_len == VW_VRRP_HDR_LEN + a->naddr * alen + auth);
	FUZZ_CHECK(frame[a->vrrp_off + 1] == a->vrid);
	FUZZ_CHECK(!!(a->flags & VW_F_BAD_CSUM) == !a->csum_variant);
	FUZZ_CHECK(!!(a->flags & VW_F_BAD_TTL) == (a->ttl != 255));
}

static void ingest(struct vw_ingest *in, const struct vw_frame *f)
{
	uint64_t frames = in->table->frames;

	vw_ingest_frame(in, f);
	FUZZ_CHECK(in->table->frames == frames + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	enum vw_link link = (enum vw_link)((ctl & 0x0f) % 6);
	/* a copy of exactly the frame's size: a read past it is caught */
	size_t len = size - 1;
	uint8_t *frame = malloc(len ? len : 1);
	const uint8_t *end = frame + len;
	struct vw_l2 l2;
	struct vw_advert a, b;

	FUZZ_CHECK(frame);
	memcpy(frame, data + 1, len);

	int verdict = VW_OTHER;
	if (!vw_decode_link(frame, end, link, &l2)) {
		FUZZ_CHECK(l2.l3 >= frame && l2.l3 <= end);
		FUZZ_CHECK(l2.nvlan <= VW_MAX_VLAN);
		if (vw_may_be_vrrp(&l2, end)) {
			verdict = vw_decode_l3(NULL, frame, end, &l2, &a);
			if (verdict != VW_OTHER)
				check_advert(&a, verdict, frame, len);
		}
	}
	/* the one-call form agrees with the two stages */
	FUZZ_CHECK(vw_decode(NULL, frame, end, link, &b) == verdict);
	FUZZ_CHECK(b.verdict == verdict);
	if (verdict != VW_OTHER)
		FUZZ_CHECK(!memcmp(&a, &b, sizeof(a)));

	/* the ingest path, as a capture file hands it a frame */
	struct vw_table t;
	struct vw_ingest in;
	FUZZ_CHECK(!vw_table_init(&t, 0));
	vw_ingest_init(&in, &t, 0, NULL, NULL);
	struct vw_frame f = {
		.data = frame,
		.caplen = (uint32_t)len,
		.wirelen = (uint32_t)len,
		.ts_ns = 1000000000ull,
		.link = link,
		.segment = (uint32_t)vw_table_add_segment(&t, "fuzz", "fuzz", 0, 1, false),
		.dir_hint = -1,
		.capture_file = true,
	};
	if (ctl & 0x10) {
		f.wirelen += 64u * (1u + (ctl >> 5));
		f.snaplen = f.caplen;
	}
	ingest(&in, &f);
	f.ts_ns += 1000000000ull;
	ingest(&in, &f); /* again: a repeat, answered by the memo */
	FUZZ_CHECK(in.other_frames <= 2);
	vw_ingest_free(&in);
	vw_table_free(&t);
	free(frame);
	return 0;
}
