/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * obs_table.h - the observation table: one row per advertiser, per-reason
 * counts of rejected frames, and the segments (interfaces) they were heard
 * on.  Filled by the offline reader and the live backends alike; read by
 * the detector and the reporters.
 *
 * Memory is bounded: at most max_rows advertisers.  When full, a row is
 * evicted from a small random sample: one heard from only once if there is
 * one (a flood of spoofed one-shot sources), else the least recently heard
 * (approximate LRU); real advertisers, which repeat every interval, keep
 * their rows.  Evictions are counted, so a flood costs a fixed amount of
 * memory and shows as such.
 */
#ifndef VRRPWATCH_OBS_TABLE_H
#define VRRPWATCH_OBS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shared/obs_types.h"
#include "shared/vrrp_decode.h"
#include "util/pos_index.h"
#include "model/vip_claims.h"

#define VW_DEFAULT_MAX_ROWS 65536
#define VW_SEGMENT_NAME_MAX 64
/*
 * The segment label (Prometheus' "segment"): the same on every host of one
 * L2 segment.  Bounded: --segment names fit VW_SEGMENT_NAME_MAX, a label
 * derived from an interface's prefixes fits VW_SEGMENT_LABEL_MAX.
 */
#define VW_SEGMENT_LABEL_MAX 128
#define VW_MAX_SEGMENT_NAMES 64

/* --segment NAME and --segment IFACE=NAME, as parsed (options.c). */
struct vw_segment_names {
	const char *all;                           /* NULL: none given */
	const char *iface[VW_MAX_SEGMENT_NAMES];   /* an interface label's value */
	const char *name[VW_MAX_SEGMENT_NAMES];
	size_t n;
};

struct vw_segment {
	char name[VW_SEGMENT_NAME_MAX]; /* interface name, or the file's name */
	char label[VW_SEGMENT_LABEL_MAX]; /* the segment label ("" until set: name) */
	bool label_given;               /* from --segment, not derived */
	char *file;                     /* offline: the capture it came from */
	uint32_t if_id;                 /* pcapng interface id, live ifindex */
	int linktype;                   /* DLT of the capture, -1 live */
	bool named;                     /* name is an interface name */
};

/*
 * A row is four cache lines, aligned to them (the table allocates its rows
 * so: vw_grow_aligned).  An advert that repeats the row's last touches the
 * first two only: its counters and times (val), the state it is compared
 * with, and what the last tick saw of it (the time from which an advert
 * marks it, and whether it is marked); key and texts come after them.
 */
struct vw_row {
	struct vw_obs_val val;
	uint64_t state;   /* the last advert's fields, packed, to spot changes */
	/* Between two ticks (a replay's table, struct vw_tick_marks): its
	 * packets, last advert and first advert (a frame stamped earlier moves
	 * it) as the last tick saw them (all 0: made since), copied at the end
	 * of every tick (vw_table_close_tick) rather than at its first advert
	 * after it, a branch as good as a coin toss in a long capture; the time
	 * from which an advert must mark it (vw_row_touch); whether it is on
	 * the list of rows whose fold cannot be skipped; whether its episode
	 * was going on at the last fold of it (model/activity.c). */
	uint64_t tick_packets;
	uint64_t tick_last_ns;
	uint64_t tick_first_ns;
	uint64_t tick_quiet_ns;
	bool tick_marked;
	bool tick_active;
	/* see cut_adverts */
	bool addresses_cut;
	struct vw_obs_key key;
	uint8_t *msg;     /* the last VRRP message whose address set was new */
	uint16_t msg_len;
	/* The address list whose every address the table's vips watch
	 * (capture/ingest.c vw_ingest_watch_row): its count, hash and length
	 * (watched_len below).  Watches are never dropped, so while the row
	 * keeps that list its adverts need not look them up again (a thousand
	 * VRIDs whose adverts the replay memo misses spent 6% of the replay
	 * there).  In the padding. */
	uint8_t watched_naddr;
	bool watched;
	uint32_t watched_hash;
	/*
	 * Adverts of a capture cut short (a snaplen below the advert's
	 * length; capture/ingest.c): they count as adverts with the fields
	 * of their fixed header, their checksum unverified.  Their address
	 * list, when cut, changes nothing once a whole one was seen: the
	 * last whole list stands.  Until one is, addresses_cut is set: msg
	 * holds what was captured of the message (msg_len bytes, fewer than
	 * its count needs; vw_row_address gives the addresses seen whole),
	 * val.naddr is the count from the header and val.addr_hash 0, and
	 * the rules take the list as unknown: they do not compare it with
	 * others or with keepalived.conf (vw_row_addresses_known).  Here,
	 * not in val: vw_obs_val is shared with BPF, which never sees a cut
	 * record.
	 */
	uint64_t cut_adverts;
	uint16_t watched_len;
	/* Its texts as last made (vw_describe_source, the 8-address list of
	 * the evidence), made again only when what they say changed: a rule
	 * judging a domain again names the same advertisers in the same words
	 * (obs_table.c; NULL until first asked for). */
	struct vw_row_text *text;
} __attribute__((aligned(64)));

_Static_assert(offsetof(struct vw_row, addresses_cut) < 128,
	       "what a repeated advert touches of its row fits two cache lines");

/* The row's address list was captured whole at least once. */
static inline bool vw_row_addresses_known(const struct vw_row *r)
{
	return !r->addresses_cut;
}

struct vw_reject_row {
	uint32_t segment;
	uint16_t vlan[VW_MAX_VLAN];
	uint8_t reason; /* enum vw_reason */
	uint64_t count;
	uint64_t first_ns, last_ns;
	uint8_t last_family; /* 0 when the source was not known */
	uint8_t last_src[16];
	uint8_t last_src_mac[6];
};

/*
 * What changed between two snapshot ticks, for a detector that folds only
 * the rows whose fold does something (model/activity.c).  A row that only
 * counted more adverts like its last, none after a silence that could
 * start a new run, folds to nothing but its counters and last advert,
 * which the fold reads from the row (tick_packets, tick_last_ns) when it
 * next must fold it.  Kept where every change is a frame (replay: on
 * with vw_ingest's ticks); a live table, merged from the kernel's
 * counters, folds every row at every tick.
 */
struct vw_tick_marks {
	bool on;
	bool overflow;   /* a mark could not be kept: fold every row */
	uint32_t *rows;  /* indexes of the rows marked since the last tick */
	size_t n, cap;
};

/*
 * The rows evicted since the last tick (kept once a detector ticks: it
 * clears them), each as the last tick saw it: its packets and last advert.
 * A key heard again after its row was evicted folds on from them, as its
 * activity would have (model/activity.c), and the record of a master whose
 * row went is heard at its last advert (detect/judge.c).  The first
 * eviction of a key between two ticks is the one kept.
 */
struct vw_evicted_row {
	struct vw_obs_key key;
	uint64_t packets, last_ns;
	uint64_t first_ns;
};

struct vw_evictions {
	bool keep;
	bool lost;       /* one could not be kept */
	struct vw_evicted_row *v;
	size_t n, cap;
	struct vw_pos_index by_key;
};

struct vw_table {
	struct vw_row *rows;
	size_t n_rows, cap_rows, max_rows;
	struct vw_pos_index by_key; /* rows by key */
	uint64_t evictions;
	uint64_t rng;    /* eviction sampling */

	struct vw_reject_row *rejects;
	size_t n_rejects, cap_rejects;

	struct vw_segment *segments; /* id N is segments[N - 1] */
	size_t n_segments;
	const struct vw_segment_names *seg_names; /* --segment; NULL: none */

	uint64_t frames;        /* every frame handed in */
	uint64_t vrrp_frames;   /* adverts attributed to a row */
	uint64_t rejected;      /* protocol 112 frames refused */
	uint64_t first_ns, last_ns; /* packet time span */

	/* who claims the virtual addresses (ARP, IPv6 ND): model/vip_claims.h */
	struct vw_vip_claims vips;
	struct vw_tick_marks marks;
	struct vw_evictions evicted;
};

/* The key as 7 words (struct vw_obs_key is 56 bytes, no padding). */
static inline uint64_t vw_key_word(const struct vw_obs_key *k, int i)
{
	return vw_load64((const uint8_t *)k + 8 * i);
}

/* Independent multiplies (they pipeline), one final mix, no loop: this
 * runs for every advert, and per row per tick in the detector. */
static inline uint64_t vw_key_hash(const struct vw_obs_key *k)
{
	uint64_t h = vw_key_word(k, 0) * 0x9e3779b97f4a7c15ull ^
		     vw_key_word(k, 1) * 0xc2b2ae3d27d4eb4full ^
		     vw_key_word(k, 2) * 0x165667b19e3779f9ull ^
		     vw_key_word(k, 3) * 0xd6e8feb86659fd93ull ^
		     vw_key_word(k, 4) * 0xff51afd7ed558ccdull ^
		     vw_key_word(k, 5) * 0xc4ceb9fe1a85ec53ull ^
		     vw_key_word(k, 6) * 0x87c37b91114253d5ull;

	return h ^ (h >> 29) ^ (h >> 47);
}

static inline bool vw_key_equal(const struct vw_obs_key *a, const struct vw_obs_key *b)
{
	uint64_t d = 0;

	for (int i = 0; i < 7; i++)
		d |= vw_key_word(a, i) ^ vw_key_word(b, i);
	return !d;
}

int vw_table_init(struct vw_table *t, size_t max_rows);
void vw_table_free(struct vw_table *t);

/* Register a segment; returns its id (>= 1), or negative errno. */
int vw_table_add_segment(struct vw_table *t, const char *name, const char *file,
			 uint32_t if_id, int linktype, bool named);
const struct vw_segment *vw_table_segment(const struct vw_table *t, uint32_t id);
/*
 * A segment's label: --segment's name for it when one was given, else
 * what was set with vw_table_set_segment_label (live: the interface's
 * prefixes), else its name.  "" for an unknown id.
 */
const char *vw_segment_label(const struct vw_table *t, uint32_t id);
/* Set a segment's derived label (ignored when --segment named it). */
void vw_table_set_segment_label(struct vw_table *t, uint32_t id, const char *label);
/*
 * The label of the segment an interface name (keepalived.conf's, or a
 * finding's) stands for: the segment of that name; else the one label
 * every segment shares; else --segment's name for it; else the name.
 */
const char *vw_table_segment_label_for(const struct vw_table *t, const char *ifname);

/* One prefix of an interface (family 4 or 6, network bytes, length). */
struct vw_prefix {
	uint8_t family, len;
	uint8_t addr[16];
};
/*
 * The derived segment label: the prefixes' networks ("198.18.0.0/24"),
 * sorted (IPv4 first), duplicates, host routes (/32, /128) and link-local
 * ones left out (keepalived's virtual addresses and fe80::/64 are not what
 * tells segments apart), then " vlan N" for a VLAN interface.  Without a
 * prefix: `fallback` (the interface name) and the VLAN.  Bounded by len
 * (at most VW_SEGMENT_LABEL_MAX): prefixes that do not fit are counted,
 * " +N".  Sorts p in place.
 */
void vw_segment_label_format(struct vw_prefix *p, size_t n, unsigned vlan, const char *fallback,
			     char *buf, size_t len);

/* Build the observation key of a decoded advert heard on a segment. */
void vw_key_from_advert(struct vw_obs_key *k, uint32_t segment, enum vw_dir dir,
			const struct vw_advert *a);

/*
 * Account one decoded advert (verdict VW_ADVERT) heard at ts_ns.  `frame`
 * is the frame the advert was decoded from (for the address list).
 * Returns the row, or NULL on allocation failure.
 */
struct vw_row *vw_table_add_advert(struct vw_table *t, const struct vw_obs_key *k,
				   const struct vw_advert *a, const uint8_t *frame,
				   uint64_t ts_ns);
/*
 * The same for the row of its key, already found (capture/ingest.c: the
 * replay memo names the row): a broken advert and the good one after it
 * change a row thousands of times in an hour of a flaky sender, and the
 * key's lookup read a cache line of the row and one of the index that
 * counting a repeat never reads.
 */
void vw_row_add_advert(struct vw_table *t, struct vw_row *r, const struct vw_advert *a,
		       const uint8_t *frame, uint64_t ts_ns);

/*
 * Account one advert of a record the capture cut short, decoded from its
 * fixed header (capture/ingest.c): `seen` bytes of its message were
 * captured, whole_list when they hold the whole address list.  Its
 * checksum was not verified: the row keeps the variant it had.  See
 * struct vw_row for its address list.
 */
struct vw_row *vw_table_add_cut_advert(struct vw_table *t, const struct vw_obs_key *k,
				       const struct vw_advert *a, const uint8_t *frame,
				       uint64_t ts_ns, uint16_t seen, bool whole_list);

void vw_table_mark(struct vw_table *t, struct vw_row *r);
/* The row of key k evicted since the last tick, or NULL (struct vw_evictions). */
const struct vw_evicted_row *vw_table_evicted(const struct vw_table *t, const struct vw_obs_key *k);
/*
 * The end of a detector's tick at now_ns, after it read the rows as the
 * tick before saw them: every row's values are now those the next tick
 * reads as the last tick's (with tick marks on), and the evicted rows'
 * records, read, start over.
 */
void vw_table_close_tick(struct vw_table *t, uint64_t now_ns);
/*
 * Row r's packets and last advert as the last tick saw them (with tick
 * marks on): its values then (vw_table_close_tick); for a row made since
 * for a key whose row that tick saw and that was evicted since, that row's
 * (its eviction record).  Without tick marks (live), its values now.
 */
void vw_row_at_last_tick(const struct vw_table *t, const struct vw_row *r, uint64_t *packets,
			 uint64_t *last_ns);

/*
 * Within a detector's tick (after vw_activity_update closed the marks,
 * before vw_table_close_tick), the packets, last and first advert of the
 * key whose row was at index idx, as the tick before saw them
 * (detect/judge.c: findings held without being raised again are brought
 * up to date to it): its row, at idx where it was then unless an eviction
 * moved another row there (or its own elsewhere), else the key's eviction
 * record.  False when neither says.  With now, its values now instead.
 */
bool vw_key_values(const struct vw_table *t, size_t idx, const struct vw_obs_key *key, bool now,
		   uint64_t *packets, uint64_t *last_ns, uint64_t *first_ns);

/* 3 intervals of row r's last advert after it: a later advert follows a
 * silence that may start a run or an episode (the master-down interval
 * and the episode's gap are longer: activity.h). */
static inline uint64_t vw_row_quiet_ns(const struct vw_row *r)
{
	return r->val.last_ns + 3ull * r->val.interval_cs * 10000000u;
}

/*
 * Before row r changes with an advert at ts_ns (struct vw_tick_marks):
 * mark it when its fold cannot be skipped: changed, its episode over (or
 * none yet), or heard again (or the last tick) more than 3 intervals after
 * its last advert as of the last tick (vw_row_quiet_ns).  The end of that
 * tick put all but the change in tick_quiet_ns: 0 where any advert marks,
 * else the first time past the silence.  An advert past it marks even when
 * it is not the row's first since the tick: a fold the row did not need
 * (the fold sees the row at ticks only) rather than a branch per advert
 * on whether it is the first.
 */
static inline void vw_row_touch(struct vw_table *t, struct vw_row *r, uint64_t ts_ns,
				bool changed)
{
	if (t->marks.on && (changed | (ts_ns >= r->tick_quiet_ns)) && !r->tick_marked)
		vw_table_mark(t, r);
}

/*
 * Count one more advert on row r that repeats the row's last state (the
 * caller knows it does: see advert_memo.h): its IP length, flags and
 * priority.
 */
static inline void vw_row_count_repeat(struct vw_table *t, struct vw_row *r, uint16_t ip_len,
				       uint8_t flags, uint8_t priority, uint64_t ts_ns)
{
	struct vw_obs_val *v = &r->val;

	/* a broken advert, a resignation, a flag not seen before: the fold
	 * reads them */
	vw_row_touch(t, r, ts_ns,
		     (flags & (VW_F_BAD_TTL | VW_F_BAD_CSUM | ~v->flags_seen)) || !priority);
	if (ts_ns < v->first_ns)
		v->first_ns = ts_ns;
	if (ts_ns >= v->last_ns)
		v->last_ns = ts_ns;
	v->packets++;
	v->bytes += ip_len;
	v->flags_seen |= flags;
	v->bad_ttl += !!(flags & VW_F_BAD_TTL);
	v->bad_csum += !!(flags & VW_F_BAD_CSUM);
	v->prio0 += priority == 0;
	t->vrrp_frames++;
}

static inline void vw_row_count(struct vw_table *t, struct vw_row *r,
				const struct vw_advert *a, uint64_t ts_ns)
{
	vw_row_count_repeat(t, r, a->ip_len, a->flags, a->priority, ts_ns);
}

/* Row idx if it still holds key k (rows move when one is evicted). */
struct vw_row *vw_table_row_at(struct vw_table *t, uint32_t idx, const struct vw_obs_key *k);

/* Count a frame the decoder refused (or flagged: bad TTL, bad checksum). */
int vw_table_add_reject(struct vw_table *t, uint32_t segment, const struct vw_advert *a,
			enum vw_reason reason, uint64_t ts_ns);

struct vw_row *vw_table_find(const struct vw_table *t, const struct vw_obs_key *k);

/*
 * Live BPF backend: fold what the kernel counted for key k since the last
 * merge (d: counters are increments, first_ns/last_ns the span they cover,
 * the "last" fields as of d->last_ns) into its row, made if new.  Counters
 * add up, the span widens, and the last fields are taken when d is the
 * newest news of this advertiser.  msg (may be NULL) replaces the address
 * list.  Returns the row, or NULL on allocation failure.
 */
struct vw_row *vw_table_merge(struct vw_table *t, const struct vw_obs_key *k,
			      const struct vw_obs_val *d, const uint8_t *msg, uint16_t msg_len);
/* Live BPF backend: add `count` frames refused for `reason` (see above). */
int vw_table_merge_reject(struct vw_table *t, uint32_t segment, const uint16_t *vlan,
			  uint8_t reason, uint64_t count, uint64_t first_ns, uint64_t last_ns,
			  uint8_t family, const uint8_t *src, const uint8_t *src_mac);

/*
 * Rows in report order: segment name, VLANs, VRID, family, source,
 * source MAC, direction, destination.  The caller frees the array.
 */
struct vw_row **vw_table_sorted(const struct vw_table *t);
int vw_row_compare(const struct vw_row *a, const struct vw_row *b, const struct vw_table *t);
/* The same without the segment id: what names, labels and reports show. */
int vw_row_label_compare(const struct vw_row *a, const struct vw_row *b,
			 const struct vw_table *t);
/* Interface name, VLANs, VRID, family: the domain part of that order. */
int vw_key_domain_compare(const struct vw_obs_key *x, const struct vw_obs_key *y,
			  const struct vw_table *t);

/* Reject rows sorted by segment, VLAN, reason.  The caller frees. */
struct vw_reject_row **vw_table_sorted_rejects(const struct vw_table *t);

/* Address i (0-based) of the row's last advert; NULL past the end. */
const uint8_t *vw_row_address(const struct vw_row *r, unsigned i);
/* Addresses of a row joined with ", "; at most `max` shown, then "+N more". */
/* The 8 bytes of VRRPv2 authentication data of the row's kept message, or
 * NULL (VRRPv3, or not captured). */
const uint8_t *vw_row_auth_data(const struct vw_row *r);
void vw_row_addresses_str(const struct vw_row *row, unsigned max, char *buf, size_t len);
/* "198.18.0.3 (02:00:00:00:00:03, priority 200, every 1s, v2, 198.18.0.200)" */
void vw_describe_source(const struct vw_row *r, char *buf, size_t len);

#endif /* VRRPWATCH_OBS_TABLE_H */
