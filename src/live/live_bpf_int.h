/* SPDX-License-Identifier: GPL-2.0-or-later */
/* live_bpf_int.h - the XDP/TC backend's state, shared by its two files. */
#ifndef VRRPWATCH_LIVE_BPF_INT_H
#define VRRPWATCH_LIVE_BPF_INT_H

#include <stdint.h>

#include "live/live_attach.h"
#include "live/live_backend.h"
#include "live/live_clock.h"
#include "shared/live_maps.h"
#include "live/live_shadow.h"

struct vrrpwatch;
struct vrrpwatch_tc;
struct ring_buffer;

/* A cache slot on one CPU as last read. */
struct vw_slot_seen {
	struct vw_obs_key key;
	struct vw_obs_val val;
	uint64_t gen; /* another generation: another holder, even with the same key */
};

/* Per-CPU values come 8-byte aligned, one per possible CPU. */
#define ROUND8(n) (((n) + 7) & ~(size_t)7)

struct vw_live_bpf {
	struct vw_live_setup s;
	struct vrrpwatch *xdp;     /* owns the maps */
	struct vrrpwatch_tc *tc;
	bool tcx;
	struct vw_attach *att;     /* one per interface */
	size_t n_att;
	struct ring_buffer *rb;
	unsigned ncpu;
	struct vw_jclock clock;

	/* map reads: buffers sized once, shadows of the last read */
	uint8_t *keys, *vals;
	size_t buf_entries;               /* they grow when a batch needs more */
	size_t key_room, val_room;        /* bytes per entry: the largest of any map */
	uint64_t batch_regrown;           /* ENOSPC answered with more room */
	bool short_said;                  /* a short map read was reported */
	uint32_t lru_max;
	struct vw_slot_seen *slot_seen;   /* ncpu * VW_CACHE_SLOTS */
	struct vw_shadow lru_seen;        /* key -> struct vw_obs_val */
	struct vw_shadow rej_seen;        /* reject key -> struct vw_reject_val */
	struct vw_shadow claim_seen;      /* claim key -> struct vw_claim_val (vw_claims) */
	uint64_t *claim_slot_seen;        /* ncpu * VW_CLAIM_SLOTS: counts last read */
	uint8_t *claim_slot_buf;          /* a re-read of one claim slot, all CPUs */
	size_t watch_pushed;              /* table watch entries handed to vw_watch */
	struct vw_bpf_stats stat_seen[VW_STAT_SLOTS];
	struct vw_live_counters total;
	uint64_t lru_new;                 /* keys ever inserted into the LRU hash */
	uint64_t cache_lost;              /* cache slots taken over before their holder was read */
	uint64_t slot_unsettled;          /* slot copies given up on (rewritten on every re-read) */
	uint8_t *slot_buf[2];             /* re-reads of one cache index, all CPUs */
	unsigned *slot_cpus;              /* the CPUs of one cache index to re-read */
	bool no_batch;                    /* the kernel has no batch lookups */
	int alloc_failed;                 /* the table could not grow */
};

/*
 * Open and load the programs, relate jiffies to the clock, open the ring
 * buffer and the read buffers: everything but attaching (the tests run
 * the programs with BPF_PROG_TEST_RUN instead).  b->s must be set.
 */
int vw_bpf_load(struct vw_live_bpf *b, char *err, size_t errlen);
/* Detach, close, free: the one cleanup path, for any partial state. */
void vw_bpf_free(struct vw_live_bpf *b);

/* The table segment of an interface index; 0 when not watched. */
uint32_t vw_bpf_segment_of(const struct vw_live_bpf *b, uint32_t ifindex);

/* Fold one advertiser's news (jiffies stamps, converted here) into the table. */
void vw_bpf_merge(struct vw_live_bpf *b, const struct vw_obs_key *key, struct vw_obs_val *d,
		  const uint8_t *msg, uint16_t msg_len, bool from_event);

/* Hand the table's newly watched addresses to the kernel (live_bpf_claims.c). */
void vw_bpf_push_watch(struct vw_live_bpf *b);
/* The claim slots and the claim hash into the table (live_bpf_claims.c). */
void vw_bpf_read_claims(struct vw_live_bpf *b);
int vw_bpf_claims_init(struct vw_live_bpf *b);
void vw_bpf_claims_free(struct vw_live_bpf *b);
/* A map read that stopped short: counted, said once (live_bpf_read.c). */
void vw_bpf_read_short(struct vw_live_bpf *b, const char *map, int rc);
/* Read every map into the table (live_bpf_read.c).  No map read error
 * ends it: what was not read is counted (total.map_reads_short) and read
 * at a later tick.  0 (the table's allocation failures: alloc_failed). */
int vw_bpf_read_maps(struct vw_live_bpf *b);
/* One map whole into b->keys / b->vals (grown as needed); *n entries are
 * valid even on error (the read stopped short).  For the tests too. */
int vw_bpf_dump_map(struct vw_live_bpf *b, int fd, size_t ks, size_t vs, uint32_t max,
		    uint32_t *n);
int vw_bpf_read_init(struct vw_live_bpf *b);
void vw_bpf_read_free(struct vw_live_bpf *b);

#endif
