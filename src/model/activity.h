/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * activity.h - when each advertiser has been advertising, judged at every
 * snapshot tick from its counters alone (so live and offline agree).
 *
 * An episode is a stretch of adverts with no silence longer than the gap
 * tolerance: max(10 s, 3 master-down intervals).  Two colliding keepalived
 * masters silence each other in alternating runs of 1 to 5 adverts, so a
 * per-interval view would see neither as steady; over an episode both are.
 * A priority-0 advert ends the episode at once: that master resigned.
 */
#ifndef VRRPWATCH_ACTIVITY_H
#define VRRPWATCH_ACTIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/obs_table.h"
#include "util/pos_index.h"

#define VW_ACT_RUNS 8

/* The fields every tick's fold reads and writes come first (three cache
 * lines); the key and the earlier runs, read when something changed,
 * after them. */
struct vw_activity {
	uint64_t packets;   /* counters at the previous tick */
	uint32_t prio0;
	uint32_t bad_ttl;
	uint32_t bad_csum;
	uint32_t new_bad_ttl, new_bad_csum;
	uint64_t start_ns;  /* first advert of the current (or last) episode */
	uint64_t last_ns;   /* last advert */
	/* The start of the current run: the first advert after the latest
	 * silence within the episode longer than the master-down interval
	 * (long enough for a backup to take over), else start_ns. */
	uint64_t run_start_ns;
	uint64_t new_adverts; /* since the previous tick */
	uint8_t n_runs;     /* kept, up to VW_ACT_RUNS */
	uint8_t next_run;   /* ring position of the next one */
	bool active;        /* the episode is still going */
	bool resigned;      /* a priority-0 advert since the previous tick */
	uint64_t generation; /* tick at which its row was last present */
	/* The generation (tick) at which anything the rules read changed: a
	 * field of its row other than the counters and the time of the last
	 * advert, or the episode, the runs, active or resigned.  A domain whose
	 * rows all changed before it was last judged need not be judged again
	 * (detect/judge.c). */
	uint64_t changed_gen;
	/* The same, but for changes in what tells one advert from a broken
	 * one: the checksum variant, the TTL, their counts of bad adverts
	 * (vw_checksum_state_only).  A domain where only these changed need
	 * run again only the rules that read them (detect/judge.c). */
	uint64_t structure_gen;
	uint64_t md_ns, gap_ns; /* master-down interval and episode gap, by the shape */
	struct vw_row_shape {
		uint8_t val[sizeof(struct vw_obs_val) - offsetof(struct vw_obs_val, addr_hash)];
		const uint8_t *msg;
		uint16_t msg_len;
		bool addresses_cut;
	} shape;
	struct vw_obs_key key;
	uint64_t judged_tick; /* detector tick at which it was last judged one by one */
	uint32_t row;         /* its row's index in the table (rows_seen) */
	uint64_t due_ns;      /* its episode ends after this unless heard */
	bool due_listed;      /* in the map's due wheel, at due_ns */
	uint32_t due_next, due_prev; /* its neighbours in its wheel slot (index + 1; 0: none) */
	size_t domain;        /* the detector's: index of its collision domain */
	/* The earlier runs of the episode (stretches without such a silence),
	 * the most recent VW_ACT_RUNS: how long two advertisers really
	 * advertised at once is the overlap of their runs, not of their
	 * episodes (a master killed and restarted, or preempted back and
	 * forth, keeps its episode but does not advertise in the gaps). */
	struct vw_run {
		uint64_t from, to;
	} runs[VW_ACT_RUNS];
};

struct vw_activity_map {
	struct vw_activity *v;
	size_t n, cap;
	struct vw_pos_index by_key; /* activities by row key */
	uint64_t generation;
	uint64_t prev_tick_ns;
	/* At the last update: a row came or went, or one joined or left the
	 * advertisers that count (active, or resigned at this tick): the
	 * collision domains must be grouped again. */
	bool members_changed;
	/* the last update folded every row (vw_activity_update's slow path):
	 * rows and activities may have moved since the one before */
	bool folded_all;
	/* The activity of each table row (index + 1), while the table keeps
	 * the same rows (rows, n_rows, evictions as at the last update): the
	 * fold then needs no hash lookup per row per tick. */
	uint32_t *of_row;
	size_t n_of_row, cap_of_row;
	const struct vw_row *rows_seen;
	uint64_t evictions_seen;
	/* With the table's tick marks (obs_table.h struct vw_tick_marks) only
	 * these rows are folded: those marked, those whose episode may end
	 * (the due wheel), those that resigned at the last
	 * update (it lasts one update).  Every row is when the rows moved,
	 * a mark was lost, or every_row is set. */
	bool every_row;
	bool every_row_once; /* at the next update: a list could not grow */
	/* The due wheel: the activities whose episode may end, listed by the
	 * time slice (2^VW_DUE_SLICE_BITS ns) of their due_ns, slices taken
	 * modulo VW_DUE_SLOTS.  A tick walks the slices it passed; one due a
	 * turn or more later waits in its slot, passed over until then.  Its
	 * cost follows the activities that fall due, not their number (a heap
	 * sifted a thousand rows' times at every reschedule).  wheel_slice:
	 * where the next walk begins, the slice walked last (it may hold times
	 * after that update's) or an earlier one listed since. */
#define VW_DUE_SLICE_BITS 30 /* 1.07 s */
#define VW_DUE_SLOTS 256     /* a turn: 275 s */
	uint32_t wheel[VW_DUE_SLOTS];
	uint64_t busy[VW_DUE_SLOTS / 64]; /* a bit per slot that lists one */
	uint64_t wheel_slice;
	uint64_t due_min; /* no listed due_ns is earlier: a tick before it walks nothing */
	uint32_t *resigned; /* resigned at an update: folded at the next */
	size_t n_resigned, cap_resigned;
	/* The activities whose changed_gen this update set (indexes in v);
	 * changed_lost: not all of them are listed. */
	uint32_t *changed;
	size_t n_changed, cap_changed;
	bool changed_lost;
	/* With csum_apart (the detector's choice), an activity whose row
	 * changed in its checksum and TTL state alone (a broken advert, the
	 * good one after it) is listed here instead, its changed_gen left as
	 * it was: the detector decides whether its domain is woken for it
	 * (judge.c vw_judge_sources). */
	bool csum_apart;
	uint32_t *csum_changed;
	size_t n_csum_changed, cap_csum_changed;
};

int vw_activity_init(struct vw_activity_map *m);
void vw_activity_free(struct vw_activity_map *m);
/* Fold the table's counters at tick now_ns into every row's activity (or,
 * with the table's tick marks, those that need it: the others fold to
 * their counters and last advert alone, read from their rows), and close
 * the table's tick marks. */
int vw_activity_update(struct vw_activity_map *m, struct vw_table *t, uint64_t now_ns);
/* The update at now_ns would fold no row: none marked, none resigned at
 * the last update, none due before now_ns, the table's rows those of the
 * last update.  Then vw_activity_pass is that update, changing nothing
 * (n_changed 0, members_changed false) but the clocks and the marks. */
bool vw_activity_unchanged(const struct vw_activity_map *m, const struct vw_table *t,
			   uint64_t now_ns);
void vw_activity_pass(struct vw_activity_map *m, struct vw_table *t, uint64_t now_ns);
/* The last update changed an activity, or the members of a domain. */
static inline bool vw_activity_changed(const struct vw_activity_map *m)
{
	return m->n_changed || m->n_csum_changed || m->members_changed || m->changed_lost;
}
struct vw_activity *vw_activity_of(const struct vw_activity_map *m, const struct vw_obs_key *k);
/* The map indexes t's rows as they are (the rows of its last update, in
 * the same places): vw_activity_at_row may be used instead of a lookup. */
bool vw_activity_indexes(const struct vw_activity_map *m, const struct vw_table *t);
static inline struct vw_activity *vw_activity_at_row(const struct vw_activity_map *m,
						     uint32_t row)
{
	return m->of_row[row] ? &m->v[m->of_row[row] - 1] : NULL;
}
/* a's last advert, as an update that folded its row would have left it
 * (the update leaves out rows that only counted: before reading an
 * activity's runs, bring it up to date from its row). */
void vw_activity_refresh(struct vw_activity *a, const struct vw_row *r);

/* How long a and b advertised at the same time within their episodes: the
 * summed overlap of their runs (the current ones and the earlier kept). */
uint64_t vw_activity_overlap_ns(const struct vw_activity *a, const struct vw_activity *b);

/* RFC 5798 6.1 / RFC 3768 6.1: 3 x interval + skew, skew = (256 - prio) / 256 of
 * the interval (v3) or of a second (v2). */
uint64_t vw_master_down_ns(uint8_t version, uint16_t interval_cs, uint8_t priority);
/* The silence that ends an episode. */
uint64_t vw_episode_gap_ns(uint8_t version, uint16_t interval_cs, uint8_t priority);

#endif
