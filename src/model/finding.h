/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * finding.h - what the detector concludes, and the list that keeps each
 * finding from the tick its condition starts to hold to the tick it stops.
 *
 * A finding has a kind (the names are the JSON contract of design.md:
 * add kinds at the end, rename none), a severity, the collision domain it
 * is about, the advertisers involved with their evidence, one sentence of
 * what is wrong and one of what to change.
 */
#ifndef VRRPWATCH_FINDING_H
#define VRRPWATCH_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/obs_table.h"
#include "util/pos_index.h"

enum vw_severity {
	VW_SEV_INFO = 0,
	VW_SEV_WARNING = 1,
	VW_SEV_CRITICAL = 2,
};

#define VW_FINDING_KINDS(X)                                   \
	X(VRID_COLLISION, "vrid_collision")                   \
	X(MULTIPLE_MASTERS, "multiple_masters")               \
	X(LOCAL_STARVED, "local_starved")                     \
	X(PEER_REJECTS_ADVERT, "peer_rejects_advert")         \
	X(CHECKSUM_DIALECT_MISMATCH, "checksum_dialect_mismatch") \
	X(PRIORITY_CONFLICT, "priority_conflict")             \
	X(INTERVAL_MISMATCH, "interval_mismatch")             \
	X(VERSION_MISMATCH, "version_mismatch")               \
	X(ADDRESS_LIST_MISMATCH, "address_list_mismatch")     \
	X(DUPLICATE_SOURCE_IP, "duplicate_source_ip")         \
	X(VMAC_SHARED, "vmac_shared")                         \
	X(MASTER_CHANGED, "master_changed")                   \
	X(MASTER_FLAPPING, "master_flapping")                 \
	X(MASTER_LOST, "master_lost")                         \
	X(NO_ADVERTISER, "no_advertiser")                     \
	X(MASTER_RESIGNED, "master_resigned")                 \
	X(TTL_NOT_255, "ttl_not_255")                         \
	X(MALFORMED, "malformed")                             \
	X(CLEARTEXT_AUTH, "cleartext_auth")                   \
	X(INVENTORY, "inventory")                             \
	X(VIP_FOREIGN_CLAIM, "vip_foreign_claim")             \
	X(VIP_SPLIT_CLAIM, "vip_split_claim")                 \
	X(VIP_NO_ANNOUNCEMENT, "vip_no_announcement")         \
	X(VIP_UNANSWERED, "vip_unanswered")                   \
	X(VIP_STALE_CLAIM, "vip_stale_claim")                 \
	X(VIP_CLAIM_WITHOUT_MASTER, "vip_claim_without_master")

#define VW_KIND_ENUM(name, str) VW_K_##name,
enum vw_kind { VW_FINDING_KINDS(VW_KIND_ENUM) VW_K_COUNT };
#undef VW_KIND_ENUM

#define VW_FINDING_MAX_SOURCES 8
#define VW_FINDING_TEXT 640

/* One advertiser's part in a finding, copied from its row. */
struct vw_evidence {
	uint8_t family;
	uint8_t dir;
	uint8_t priority;
	uint8_t version;
	uint8_t auth_type;
	uint8_t csum_variant;
	uint8_t src[16];
	uint8_t mac[6];
	uint16_t interval_cs;
	uint64_t packets;
	uint64_t first_ns, last_ns;
	char addresses[192];
};

/* The collision domain D of design.md. */
struct vw_domain_id {
	uint32_t segment;
	uint16_t vlan[VW_MAX_VLAN];
	uint8_t family;
	uint8_t vrid;
	char receivers[96]; /* "224.0.0.18", or "unicast 198.18.0.1 198.18.0.2" */
};

struct vw_finding {
	enum vw_kind kind;
	enum vw_severity severity;
	struct vw_domain_id d;
	char interface[VW_SEGMENT_NAME_MAX];
	char subject[64];  /* what else tells this finding apart (a source, a reason) */
	struct vw_evidence src[VW_FINDING_MAX_SOURCES];
	unsigned n_src;
	/* The rows the evidence was copied from (vw_finding_add_source), for
	 * the detector to bring a finding of an unchanged domain up to date
	 * without judging it again (detect/judge.c).  Valid during the tick
	 * of the raise only; never reported. */
	const struct vw_row *rows[VW_FINDING_MAX_SOURCES];
	uint64_t first_ns, last_ns;
	bool open;         /* the condition held at the last tick */
	bool event;        /* an instant (a failover, a resignation), never open */
	unsigned count;    /* events, or times the condition started to hold */
	char message[VW_FINDING_TEXT];
	char advice[VW_FINDING_TEXT];
};

/*
 * At most this many findings are kept (open, closed and events alike), so
 * that a flood of spoofed sources cannot grow the list without bound.
 * Past it, a new finding takes the place of the least important one kept
 * (least severe, closed before open, oldest) if it matters more; else it
 * is refused and counted.
 */
#define VW_FINDINGS_MAX 4096
/* Open findings forgotten at one tick whose copy is kept for the live
 * lines (their "dropped" line); past it they are only counted. */
#define VW_FINDINGS_FORGOTTEN_KEPT 64
/* Distinct identities refused at one tick told apart (a set of their
 * hashes); past it each further refusal counts as a distinct one. */
#define VW_FINDINGS_REFUSED_SET 4096
/* Where the list last put each advertiser's per-source findings
 * (vw_findings_mark_source): a cache, in sets of four (finding.c
 * MARK_WAYS); a miss costs only a full raise. */
#define VW_FINDINGS_SOURCE_MARKS 1024

/* Where a per-source finding of one advertiser is in the list: kind's
 * finding about the advertiser at src, at v[at] while serial[at] is serial. */
struct vw_source_mark {
	uint64_t serial; /* 0: none */
	uint32_t at;
	uint8_t kind;
	uint8_t family;
	uint8_t src[16];
};

struct vw_findings {
	struct vw_finding *v;
	size_t n, cap;
	bool *raised; /* per finding: raised during the current tick */
	bool *is_open; /* per finding: v[i].open, kept beside the flags above so
			* that a tick's passes over the list read no finding (each
			* is 3.6 KB: a line apiece, out of the cache in a long replay) */
	uint64_t *serial; /* per finding: its serial number (see next_serial) */
	uint64_t *writes; /* per finding: raises that wrote it (vw_findings_touch) */
	/* per finding: held (vw_findings_hold), raised at every tick without
	 * being written; n_held of them */
	bool *held;
	size_t n_held;
	/* Called before the list reads or writes a held finding (a raise of
	 * its identity, a full list choosing what to give up): its holder
	 * brings every finding it holds up to date and lets go of them
	 * (vw_findings_catch_up, vw_findings_unhold). */
	void (*settle)(void *ctx);
	void *settle_ctx;
	size_t last_raised; /* the finding the last raise wrote; SIZE_MAX: refused */
	uint64_t next_serial; /* given to the next finding added, from 1: a
			       * finding that takes another's place (over max)
			       * has another serial than the one it replaced */
	unsigned changes; /* findings opened or closed at the last tick */
	size_t n_open;    /* findings open after the last tick */
	struct vw_pos_index by_identity; /* v by identity (kind, domain, subject) */
	size_t max;       /* most findings kept: VW_FINDINGS_MAX (0: the same) */
	uint64_t refused;      /* distinct identities raised at the last tick, but
				* not kept: over max */
	uint64_t refused_most; /* the most refused at any one tick */
	uint64_t dropped;      /* kept findings forgotten for more important ones */
	size_t *victims;       /* this tick's eviction candidates, least important first */
	size_t n_victims, victim_at;
	bool victims_built;
	uint64_t *refused_set; /* this tick's refused identities: hashes, 0 = empty */
	size_t n_refused_set;  /* entries in it */
	/* findings that were open and were forgotten during the current tick
	 * (copies, as they last were, open still set): up to
	 * VW_FINDINGS_FORGOTTEN_KEPT, the others only counted */
	struct vw_finding *forgotten;
	size_t n_forgotten;
	uint64_t forgotten_more;
	/* VW_FINDINGS_SOURCE_MARKS of them, by kind and source (NULL until
	 * the first mark) */
	struct vw_source_mark *source_marks;
};

const char *vw_kind_name(enum vw_kind k);
const char *vw_severity_name(enum vw_severity s);

void vw_findings_init(struct vw_findings *l);
void vw_findings_free(struct vw_findings *l);

/* Start a tick: every open finding must be raised again to stay open. */
void vw_findings_begin_tick(struct vw_findings *l);
/*
 * Raise a finding (its condition holds now).  An open finding with the
 * same kind, domain and subject is updated; a closed one reopens; else it
 * is added (past l->max, see VW_FINDINGS_MAX: it may be refused, counted
 * in l->refused).  Returns 0 or -ENOMEM.
 */
int vw_findings_raise(struct vw_findings *l, const struct vw_finding *f);
/*
 * Raise finding i again in place (detect/judge.c: a domain not judged
 * again): what vw_findings_raise would do with the finding that raise
 * made, once more with only the counters, last adverts and checksum
 * variants of its rows (n_src, first_ns as raised) new, and the end its
 * rule gives past theirs (until; 0 none).  Only while finding i is as that raise
 * left it (serial, and writes as after it): open, not raised yet at this
 * tick, written by no other raise since: vw_findings_touchable.  Its n_src
 * must be the raise's: the caller checks that when it notes the raise
 * (nothing changes a finding's sources without a write).
 */
bool vw_findings_touchable(const struct vw_findings *l, size_t i, uint64_t serial,
			   uint64_t writes);
void vw_findings_touch(struct vw_findings *l, size_t i, const struct vw_row *const *rows,
		       unsigned n_src, uint64_t first_ns, uint64_t until);
/*
 * Hold finding i (detect/judge.c: a steady domain left out of the ticks):
 * from the next tick on it counts as raised at every tick, without a
 * write, until vw_findings_unhold.  Only an open finding as a raise of
 * this tick left it.
 */
void vw_findings_hold(struct vw_findings *l, size_t i);
/* Held finding i's source k validates now with checksum variant variant
 * (a broken advert, or the good one after it): what a raise at this tick
 * would have written of it, the rest of it as held (judge.c: the
 * checksum state of a held domain's row changed, and no rule it holds a
 * raise of reads that state). */
void vw_findings_held_variant(struct vw_findings *l, size_t i, unsigned k, uint8_t variant);
/* Let go of finding i; raised: whether it counts as raised at this tick. */
void vw_findings_unhold(struct vw_findings *l, size_t i, bool raised);
/*
 * Bring held finding i up to date: what vw_findings_touch would have
 * written at the ticks it was held, from each source's packets, last and
 * first advert (as of the last of those ticks: a frame stamped before the
 * first moves it without waking the domain), the raise's first_ns and the
 * end its rule gives past theirs (until, as vw_findings_touch); its
 * sources' checksum variants did not move while held (a change wakes the
 * domain).
 */
void vw_findings_catch_up(struct vw_findings *l, size_t i, const uint64_t *packets,
			  const uint64_t *last_ns, const uint64_t *src_first_ns, unsigned n_src,
			  uint64_t first_ns, uint64_t until);
/*
 * Per-source findings raised again in place.  A rule that raises one
 * finding per advertiser and kind (rules_wire.c's per-source rules), whose
 * subject, severity and advice follow from the kind and the advertiser's
 * address alone, marks where its full raise left the finding; a long
 * replay raises such a finding again thousands of times (a flaky sender:
 * each broken advert opens `malformed`, the next good one closes it).
 *
 * vw_findings_mark_source: the raise just made (l->last_raised) is kind's
 * finding about r's source.
 *
 * vw_findings_raise_source: what vw_findings_raise would make of kind's
 * finding about r alone in domain d, its evidence r's
 * (vw_evidence_from_row), spanning first_ns..last_ns, an event or not:
 * done in place, without the identity hashed or the finding copied, and
 * the finding returned for the caller to write its message (the words
 * the full raise would carry).  NULL where the list does not hold it as
 * marked (never marked, forgotten since, another domain of the same
 * address), or a full raise would do more than update it (raised already
 * at this tick: it merges; held): then raise it in full and mark it.
 */
void vw_findings_mark_source(struct vw_findings *l, enum vw_kind kind, const struct vw_row *r);
struct vw_finding *vw_findings_raise_source(struct vw_findings *l, enum vw_kind kind,
					    const struct vw_domain_id *d,
					    const struct vw_row *r, uint64_t first_ns,
					    uint64_t last_ns, bool event);
/* End a tick: open findings that were not raised close. */
void vw_findings_end_tick(struct vw_findings *l);

/* Most severe first, then kind, interface, VLAN, VRID, subject.  Caller frees. */
const struct vw_finding **vw_findings_sorted(const struct vw_findings *l);

/* True if any finding is at warning level or above (exit status 1). */
bool vw_findings_alarming(const struct vw_findings *l);

/* Copy a row's evidence. */
void vw_evidence_from_row(struct vw_evidence *e, const struct vw_row *r);

#endif
