/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live_maps.h - the maps the BPF programs (bpf/vrrpwatch.bpf.h) fill and
 * the live backend (src/live_bpf*.c) reads.  libc-free: shared with BPF.
 *
 * Observations live in two places (design note in bpf/vrrpwatch.bpf.h):
 *   cache  per-CPU array, VW_CACHE_SLOTS slots, direct-mapped by a hash of
 *          the key; where an advertiser normally lives (an array lookup,
 *          not a hash lookup on a 56-byte key);
 *   lru    per-CPU LRU hash for keys whose cache slot is taken (a
 *          collision, or a flood of sources); fixed size, evictions counted.
 * Userspace sums both over the CPUs.
 */
#ifndef VRRPWATCH_LIVE_MAPS_H
#define VRRPWATCH_LIVE_MAPS_H

#include <linux/types.h>

#include "obs_types.h"

#define VW_CACHE_SLOTS 1024 /* per CPU, power of two */
#define VW_LRU_ENTRIES 16384 /* default; userspace may shrink it on many CPUs */
#define VW_REJECT_ENTRIES 1024
#define VW_WATCH_ENTRIES 1024  /* watched virtual addresses (VW_VIP_MAX_WATCH) */
#define VW_CLAIM_ENTRIES 4096  /* claim rows (VW_VIP_MAX_ROWS) */
#define VW_STAT_SLOTS 128   /* (ifindex % 64) * 2 + direction */
#define VW_RINGBUF_BYTES (1u << 20)

/* Bytes of the message kept with each observation: the address list of
 * the common adverts, for when a ring buffer event was lost. */
#define VW_MSG_SAMPLE 64
/* Events carry up to this much message; longer ones use the large size. */
#define VW_EVENT_MSG_SMALL 128
#define VW_EVENT_MSG_LARGE 4096

/*
 * The BPF value of one observation on one CPU.  In BPF, v.first_ns and
 * v.last_ns (and every other time here) hold jiffies, not nanoseconds:
 * see vw_now() in bpf/vrrpwatch.bpf.h; userspace converts.  `state` packs the last advert's fields exactly as
 * obs_table.c's advert_state() does, so that one compare spots a change.
 */
struct vw_bpf_val {
	struct vw_obs_val v;
	__u64 state;
	__u16 msg_len;    /* length of the message the sample was cut from */
	__u8 sample_len;  /* bytes of it in msg, <= VW_MSG_SAMPLE */
	__u8 pad[5];
	__u8 msg[VW_MSG_SAMPLE];
};

/*
 * A cache slot; key.ifindex == 0 marks it empty (no interface has index 0).
 *
 * Userspace reads the slots while the programs write them, with no lock.
 * Counting in place is harmless (counters only grow, and the next read
 * brings what a read missed); giving the slot to another key is not: a
 * read in the middle would pair the new key with the old holder's
 * counters.  So a takeover is bracketed by `gen`: odd while the slot is
 * being rewritten (the value first, then the key), even again after, and
 * never the same twice for two holders.  A copy of the slot is whole when
 * a later copy shows the same key and the same even generation (the
 * kernel copies in address order: key, gen, value): live_bpf_read.c
 * re-reads, a bounded number of times, until it can say so.  gen 0: never
 * held.
 */
struct vw_cache_slot {
	struct vw_obs_key key;
	__u64 gen;
	struct vw_bpf_val val;
};

/* Frames refused by the decoder, and adverts with a bad TTL or checksum. */
struct vw_reject_key {
	__u32 ifindex;
	__u16 vlan[2];
	__u8 reason; /* enum vw_reason */
	__u8 pad[3];
};

struct vw_reject_val {
	__u64 count;
	__u64 first_ns;
	__u64 last_ns;
	__u8 family; /* of the last one, 0 when its source is unknown */
	__u8 src_mac[6];
	__u8 pad;
	__u8 src[16];
};

/* Per interface slot and direction, per CPU. */
struct vw_bpf_stats {
	__u64 frames;       /* every frame the program saw */
	__u64 adverts;      /* VRRP adverts (also those whose key was evicted) */
	__u64 rejected;     /* protocol 112 frames the decoder refused */
	__u64 spilled;      /* adverts that went to the LRU hash (cache slot taken) */
	__u64 lru_new;      /* keys inserted into the LRU hash */
	__u64 lru_fail;     /* ... and inserts that failed */
	__u64 events;       /* ring buffer events sent */
	__u64 events_lost;  /* ... and not sent: the ring buffer was full */
	__u64 rejects_lost; /* reject counters that found the reject map full */
	__u64 hw_vlan;      /* candidates whose outer tag came from NIC metadata */
	__u64 vlan_unknown; /* candidates whose driver cannot say (no tag metadata) */
	__u64 pulled;       /* TC: candidates whose headers were pulled into the linear part */
	__u64 cache_lost;   /* cache slots taken over from a holder whose last counts
			     * userspace had not read (they are lost: an eviction) */
	__u64 claims;       /* claims and asks of watched addresses counted */
	__u64 claims_lost;  /* ... and not: the claim map was full */
};

/* One instant in jiffies and CLOCK_MONOTONIC (the vw_clock program). */
struct vw_clock_sample {
	__u64 jiffies;
	__u64 mono_ns;
	__u64 jiffies_after; /* differs from jiffies when a tick fell between */
};

#define VW_EV_NEW 0x1     /* a key this CPU had not seen */
#define VW_EV_CHANGED 0x2 /* priority, address set, interval or version changed */

/* A ring buffer record: header, then `copied` bytes of the message. */
struct vw_bpf_event {
	struct vw_obs_key key;
	__u64 ts;          /* jiffies */
	__u64 state;       /* as in struct vw_bpf_val */
	__u32 addr_hash;
	__u16 msg_len;     /* the message's full length */
	__u16 copied;      /* bytes that follow */
	__u8 kind;         /* VW_EV_* */
	__u8 flags;        /* VW_F_* of the advert */
	__u8 pad[6];
	__u8 msg[];
};

/*
 * The cache slot of a key given as its seven words: two multiplies, the
 * high bits.  Shared so that userspace (the benchmark, the tests) can tell
 * which keys share a slot.
 */
static inline __attribute__((always_inline)) __u32 vw_cache_slot_of(const __u64 *w)
{
	__u64 h = (w[0] ^ w[2] ^ w[5]) * 0x9e3779b97f4a7c15ull ^
		  (w[1] ^ w[3] ^ w[4] ^ w[6]) * 0xc2b2ae3d27d4eb4full;

	return (__u32)(h >> 40) & (VW_CACHE_SLOTS - 1);
}

/* Unpack struct vw_bpf_val.state (see obs_table.c, advert_state()). */
#define VW_STATE_PRIORITY(s) ((__u8)(s))
#define VW_STATE_VERSION(s) ((__u8)((s) >> 8))
#define VW_STATE_AUTH(s) ((__u8)((s) >> 16))
#define VW_STATE_NADDR(s) ((__u8)((s) >> 24))
#define VW_STATE_INTERVAL(s) ((__u16)((s) >> 32))
#define VW_STATE_CSUM(s) ((__u8)((s) >> 48))
#define VW_STATE_TTL(s) ((__u8)((s) >> 56))

#endif
