/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * advert_memo.h - recognise a frame that repeats a recent advert.
 *
 * A VRRP master sends the same advert every interval: the frames are
 * byte for byte identical but for the IPv4 identification and header
 * checksum, which the decoder never reads.  A frame identical to a
 * remembered one (those two fields aside) has the same decode and belongs
 * to the same row, so the decoder's work is reused instead of repeated.
 * Replay speed on real captures comes mostly from here.
 */
#ifndef VRRPWATCH_ADVERT_MEMO_H
#define VRRPWATCH_ADVERT_MEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "model/obs_table.h"
#include "shared/vrrp_decode.h"

/* Four ways per set, 2048 sets: a thousand masters on a segment (one
 * per VRID and VLAN) each keep theirs.  Direct-mapped, one in five
 * missed on a neighbour's collision; two ways in 2048 sets still left a
 * set of three now and then, and its masters took turns to miss at every
 * advert (a tenth of 1000 VRIDs' adverts decoded again). */
#define VW_MEMO_WAYS 4
#define VW_MEMO_SET_BITS 11
#define VW_MEMO_SLOTS (VW_MEMO_WAYS << VW_MEMO_SET_BITS)
#define VW_MEMO_FRAME 160   /* longer frames are not remembered */

struct vw_memo_entry {
	uint32_t caplen;    /* 0: empty */
	uint32_t segment;
	int32_t dir_hint;
	uint16_t ip_off;    /* IPv4 header offset */
	uint8_t ipv4;       /* the IPv4 identification and checksum are not compared */
	uint32_t row;       /* row index when stored; checked against key */
	/* What counting a repeat reads of the advert, beside the frame: a
	 * repeat touches the entry's first lines only (the file streams
	 * through the cache, the advert below waits on memory) */
	struct vw_memo_hot {
		uint32_t addr_hash;
		uint16_t msg_end;   /* advert.vrrp_off + vrrp_len */
		uint16_t ip_len;
		uint8_t flags;
		uint8_t priority;
	} hot;
	uint64_t evictions; /* the table's when stored: none since, row holds */
	uint64_t state;     /* vw_advert_state(&advert): a repeat of the row's last? */
	uint8_t frame[VW_MEMO_FRAME];
	struct vw_advert advert;
	struct vw_obs_key key; /* last: a hit with no eviction since needs it not */
};

/* Beside the entries, what a lookup reads first: a tag per slot (bits of
 * the frame's hash that the set index does not use, 0: empty), so that
 * only a way that likely holds the frame is read; per set, the bits of a
 * tree that points at the way used least lately (pseudo-LRU).  Small
 * enough to stay in the cache. */
struct vw_memo {
	uint32_t tag[VW_MEMO_SLOTS];
	uint8_t lru[VW_MEMO_SLOTS / VW_MEMO_WAYS];
	struct vw_memo_entry slot[VW_MEMO_SLOTS];
	/* a bit per frame length stored: a frame of another length (most
	 * that are no VRRP) is no repeat, known before its hash */
	uint64_t lens[(VW_MEMO_FRAME + 64) / 64];
	uint64_t hits, misses;
};

/* The remembered decode of this frame, or NULL.  A lookup writes: the
 * candidates' copies take the frame's IPv4 identification and checksum
 * (see same_frame), which nothing reads. */
const struct vw_memo_entry *vw_memo_find(struct vw_memo *m, const uint8_t *frame,
					 uint32_t caplen, uint32_t segment, int dir_hint);

/* Remember an advert (verdict VW_ADVERT) and the row it went to. */
void vw_memo_store(struct vw_memo *m, const uint8_t *frame, uint32_t caplen,
		   uint32_t segment, int dir_hint, const struct vw_advert *a,
		   const struct vw_obs_key *key, uint32_t row, uint64_t evictions,
		   uint16_t ip_off);

#endif
