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

/* The first slot of the set (two ways: it and the next). */
static unsigned set_of(uint64_t h)
{
	return (unsigned)(h >> 52) & (VW_MEMO_SLOTS - 2);
}

static uint32_t tag_of(uint64_t h)
{
	return (uint32_t)h | 1;
}

static bool same_frame(const struct vw_memo_entry *e, const uint8_t *frame, uint32_t caplen)
{
	unsigned ip = e->ip_off;

	if (!e->ipv4)
		return !memcmp(e->frame, frame, caplen);
	/* the 4 bytes between them (flags and fragment offset, TTL,
	 * protocol) compared as one word */
	return vw_load32(e->frame + ip + 6) == vw_load32(frame + ip + 6) &&
	       !memcmp(e->frame, frame, ip + 4) &&
	       !memcmp(e->frame + ip + 12, frame + ip + 12, caplen - ip - 12);
}

static bool matches(const struct vw_memo_entry *e, const uint8_t *frame, uint32_t caplen,
		    uint32_t segment, int dir_hint)
{
	return e->caplen == caplen && e->segment == segment && e->dir_hint == dir_hint &&
	       same_frame(e, frame, caplen);
}

const struct vw_memo_entry *vw_memo_find(struct vw_memo *m, const uint8_t *frame,
					 uint32_t caplen, uint32_t segment, int dir_hint)
{
	if (caplen < 16 || caplen > VW_MEMO_FRAME)
		return NULL;
	uint64_t h = frame_hash(frame, caplen, segment);
	unsigned s = set_of(h);
	uint32_t tag = tag_of(h);

	for (unsigned w = 0; w < 2; w++)
		if (m->tag[s + w] == tag && matches(&m->slot[s + w], frame, caplen, segment, dir_hint)) {
			m->older[s / 2] = (uint8_t)!w; /* the other way goes first */
			return &m->slot[s + w];
		}
	return NULL;
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
	/* the way that holds this frame already (its row moved: an eviction),
	 * else the way used less recently: a master's advert stays while one
	 * of its broken adverts, or a neighbour's, takes the other.  A stale
	 * way left beside a fresh one would match first at every repeat */
	unsigned w = m->older[s / 2];
	for (unsigned i = 0; i < 2; i++)
		if (m->tag[s + i] == tag_of(h) &&
		    matches(&m->slot[s + i], frame, caplen, segment, dir_hint))
			w = i;
	struct vw_memo_entry *e = &m->slot[s + w];
	m->older[s / 2] = (uint8_t)!w;
	m->tag[s + w] = tag_of(h);
	e->caplen = caplen;
	e->segment = segment;
	e->dir_hint = dir_hint;
	e->ip_off = ip_off;
	e->ipv4 = a->family == 4;
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
	memcpy(e->frame, frame, caplen);
}
