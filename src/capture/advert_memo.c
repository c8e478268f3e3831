// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture/advert_memo.h"

#include <string.h>

#include "shared/obs_update.h"

/* The frame's hash, from its head and tail (MACs, and the end of the
 * address list), its length and segment: the set from its top bits, the
 * tag from its low ones. */
static uint64_t frame_hash(const uint8_t *frame, uint32_t caplen, uint32_t segment)
{
	uint64_t head = vw_load64(frame + 4), tail = vw_load64(frame + caplen - 8);

	return (head * 0x9e3779b97f4a7c15ull) ^ (tail * 0xc2b2ae3d27d4eb4full) ^
	       ((uint64_t)caplen << 32 | segment);
}

/* The first slot of the set (VW_MEMO_WAYS from it). */
static unsigned set_of(uint64_t h)
{
	return (unsigned)(h >> (64 - VW_MEMO_SET_BITS)) * VW_MEMO_WAYS;
}

static uint32_t tag_of(uint64_t h)
{
	return (uint32_t)h | 1;
}

/*
 * Pseudo-LRU over a set's four ways: bit 0 says which pair holds the way
 * to replace (0: ways 0-1, 1: ways 2-3), bits 1 and 2 which way of each
 * pair.  A use points the bits away from the way used.
 */
static void lru_use(uint8_t *bits, unsigned w)
{
	if (w < 2)
		*bits = (uint8_t)((*bits & 4) | 1 | (w == 0) << 1);
	else
		*bits = (uint8_t)((*bits & 2) | (w == 2) << 2);
}

static unsigned lru_victim(uint8_t bits)
{
	return bits & 1 ? 2 + (bits >> 2 & 1) : bits >> 1 & 1;
}

static bool same_frame(struct vw_memo_entry *e, const uint8_t *frame, uint32_t caplen)
{
	unsigned ip = e->ip_off;

	/* The remembered copy's identification and checksum are never read:
	 * take this frame's, and one compare of the whole frame says whether
	 * all else is the same (two compares around them cost a call more). */
	if (e->ipv4) {
		memcpy(e->frame + ip + 4, frame + ip + 4, 2);
		memcpy(e->frame + ip + 10, frame + ip + 10, 2);
	}
	return !memcmp(e->frame, frame, caplen);
}

static bool matches(struct vw_memo_entry *e, const uint8_t *frame, uint32_t caplen,
		    uint32_t segment, int dir_hint)
{
	return e->caplen == caplen && e->segment == segment && e->dir_hint == dir_hint &&
	       same_frame(e, frame, caplen);
}

/* The way of set s that holds this frame, or -1. */
static int way_of(struct vw_memo *m, unsigned s, uint32_t tag, const uint8_t *frame,
		  uint32_t caplen, uint32_t segment, int dir_hint)
{
	for (unsigned w = 0; w < VW_MEMO_WAYS; w++)
		if (m->tag[s + w] == tag &&
		    matches(&m->slot[s + w], frame, caplen, segment, dir_hint))
			return (int)w;
	return -1;
}

const struct vw_memo_entry *vw_memo_find(struct vw_memo *m, const uint8_t *frame,
					 uint32_t caplen, uint32_t segment, int dir_hint)
{
	if (caplen < 16 || caplen > VW_MEMO_FRAME || !(m->lens[caplen / 64] >> caplen % 64 & 1))
		return NULL;
	uint64_t h = frame_hash(frame, caplen, segment);
	unsigned s = set_of(h);
	int w = way_of(m, s, tag_of(h), frame, caplen, segment, dir_hint);

	if (w < 0)
		return NULL;
	lru_use(&m->lru[s / VW_MEMO_WAYS], (unsigned)w);
	return &m->slot[s + (unsigned)w];
}

void vw_memo_store(struct vw_memo *m, const uint8_t *frame, uint32_t caplen,
		   uint32_t segment, int dir_hint, const struct vw_advert *a,
		   const struct vw_obs_key *key, uint32_t row, uint64_t evictions,
		   uint16_t ip_off)
{
	if (caplen < 16 || caplen > VW_MEMO_FRAME || (a->family == 4 && ip_off + 20u > caplen))
		return;
	uint64_t h = frame_hash(frame, caplen, segment);
	unsigned s = set_of(h);
	uint8_t *lru = &m->lru[s / VW_MEMO_WAYS];
	/* the way that holds this frame already (its row moved: an eviction;
	 * a stale way left beside a fresh one would match first at every
	 * repeat), else an empty one, else the one used least lately: a
	 * master's advert stays while its broken adverts, or a neighbour's,
	 * take the others */
	int w = way_of(m, s, tag_of(h), frame, caplen, segment, dir_hint);
	for (unsigned i = 0; w < 0 && i < VW_MEMO_WAYS; i++)
		if (!m->tag[s + i])
			w = (int)i;
	if (w < 0)
		w = (int)lru_victim(*lru);
	struct vw_memo_entry *e = &m->slot[s + (unsigned)w];
	m->lens[caplen / 64] |= 1ull << caplen % 64;
	lru_use(lru, (unsigned)w);
	m->tag[s + (unsigned)w] = tag_of(h);
	e->caplen = caplen;
	e->segment = segment;
	e->dir_hint = dir_hint;
	e->row = row;
	e->evictions = evictions;
	e->key = *key;
	e->advert = *a;
	e->hot = (struct vw_memo_hot){
		.addr_hash = a->addr_hash,
		.msg_end = (uint16_t)(a->vrrp_off + a->vrrp_len),
		.ip_len = a->ip_len,
		.flags = a->flags,
		.priority = a->priority,
	};
	e->state = vw_advert_state(a);
	e->ip_off = ip_off;
	e->ipv4 = a->family == 4;
	memcpy(e->frame, frame, caplen);
}
