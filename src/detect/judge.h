/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * judge.h - which collision domains the wire rules judge again at a tick.
 *
 * A replay ticks every --interval of packet time, and most domains at most
 * ticks hold one master advertising the same advert as before: only its
 * counters and the time of its last advert move.  The wire rules would
 * raise the same findings again, with the same text, and only the
 * evidence counters and the time the finding was last seen would differ.
 * So a domain is judged again only when something the rules read changed
 * (a row joined or left, a field of a row, the episode or runs of an
 * advertiser: vw_activity.changed_gen); otherwise what its last judgment
 * raised is raised again, brought up to date from the rows (counters,
 * last advert), in the same order among the other domains, so that the
 * findings list sees the very same raises as when every domain is judged
 * at every tick.  When the list does not hold them as that judgment left
 * them (another rule raised one of them since), the domain is judged.
 *
 * Where only the checksum and TTL state of its rows changed (a broken
 * advert, or the first good one after it: vw_activity.structure_gen did
 * not move), only the wire rules that read that state run again
 * (VW_WIRE_DIALECT, VW_WIRE_SOURCES); the other steps raise what they
 * raised before, brought up to date, in their place in the order, and the
 * master rules, which read none of it, are left out as when nothing
 * changed.
 *
 * Only a domain found steady when judged is skipped: each of its sources
 * in one row, no flood cut, every pair of advertisers already both
 * advertising for longer than their master-down interval (their overlap
 * only grows while nothing changes, so a comparison with it cannot flip),
 * and every finding raised spanning exactly what its sources say (no rule
 * set its own times, but for the split brain of one pair of masters deaf
 * to each other, whose end judge.c works out again) with no event among
 * them.  Anything else is judged at every tick, as before.
 *
 * A domain whose judgment raised nothing, steady and with its master rules
 * idle, is quiet: the ticks leave it out altogether until the fold of one
 * of its rows changes something (vw_activity.changed_gen: the activity map
 * lists them), so that a tick costs what changed, not the number of
 * domains.  Its master of record is heard again (its last advert) before
 * anything reads the records of other domains (the checks of who holds the
 * virtual addresses) and before the domains are grouped again; a row of
 * record that the table evicted since the last tick (a flood past
 * --max-advertisers) is heard at its last advert as that tick saw it
 * (obs_table.h struct vw_evictions).
 *
 * A quiet domain stays quiet when only the checksum and TTL state of its
 * rows changes (the activity map lists those apart: csum_changed) and no
 * other rule can read the change: the dialect rule, the only other one,
 * raises nothing while its VRRPv3 members validate with one checksum
 * variant at most (always so with one advertiser, or over IPv6:
 * vw_wire_one_dialect).  Only the per-source rules run for it then, in the
 * domain's place in the order (vw_judge_sources), and what they raise (a
 * `malformed` or `ttl_not_255` finding) is raised again at each tick from
 * the row alone while it stays as it was (vw_judge_sources_again).  A
 * flaky sender's broken advert then costs its finding's raise, a touch a
 * tick while it is open, and no judgment of the domain; where anything
 * else wakes the domain, those raises go back to its judgment (judged in
 * full, which raises what every rule holds).  A held domain (below) does
 * the same where none of the findings it holds came from the dialect or
 * per-source rules: they stay held, and the per-source raises are kept
 * beside them (VW_HELD_SOURCES), so that a collision one of whose sides
 * sends a broken advert now and then costs no more than a lone flaky
 * sender (it cost a release, a judgment of the checksum steps and a hold
 * again).
 *
 * A steady domain whose judgment raised findings, with its master rules
 * idle and nothing of its own to raise again but those findings, is held
 * (replay only, where the table marks what changed between ticks): left
 * out of the ticks like a quiet one, its findings counting as raised at
 * every tick without being written (finding.h vw_findings_hold).  Raising
 * them again would only have copied their rows' counters and last adverts
 * into them, so they are brought up to date only when something reads or
 * writes them: when the domain wakes (as of the tick before, which its
 * raises would have written last), when the findings list reads them (a
 * raise of the same identity, a full list choosing what to give up: as of
 * this tick where the walk passed the domain, else the tick before), and
 * before a report (vw_detector_settle).  Its rows are noted by key, and by
 * index as a hint (an eviction moves the last row into the evicted one's
 * place; vw_key_values).  A raise that spans to a silent master's last advert
 * (silent_span) keeps what of that span holds while the domain is steady
 * (vw_wire_silent_span): its end then follows from the two last adverts.
 *
 * VRRPWATCH_JUDGE_EVERY_TICK=1 in the environment judges every domain at
 * every tick, and folds every row (the tests compare both).
 */
#ifndef VRRPWATCH_JUDGE_H
#define VRRPWATCH_JUDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/domain.h"
#include "model/finding.h"
#include "detect/detector.h"

struct vw_detector;

/* A raise of the last judgment: where the findings list keeps it, and
 * what raising it again in place needs (vw_findings_touch). */
struct vw_raised {
	size_t at;         /* its index in the list (SIZE_MAX: refused, or merged
			    * with an earlier raise's sources: not touchable) */
	uint64_t serial, writes;
	uint64_t first_ns;
	unsigned n_src;
	enum vw_wire_step step; /* the wire rule step that raised it */
	bool silent_span;       /* spans to vw_wire_silent_until(rows[0], rows[1]) */
	const struct vw_row *rows[VW_FINDING_MAX_SOURCES];
};

/* A row a held domain's raises read, by where the table keeps it. */
struct vw_held_row {
	size_t idx;
	struct vw_obs_key key;
};

/* Per domain of the detector's kept domain set. */
struct vw_judged {
	uint64_t gen;               /* activity generation when last visited; 0 never */
	bool steady;                /* the wire rules may be left out while nothing changes */
	bool masters_idle;          /* and the master rules (vw_masters_idle) */
	size_t masters_at;          /* its master state + 1 (0: none yet) */
	const struct vw_row *masters_row; /* the row of record, while masters_idle */
	struct vw_raised *raised;   /* what the wire rules raised then, in order */
	size_t n_raised, cap_raised;
	/* during a judgment: the step running, and for one of the steps that
	 * read the checksum state only (partial) the raises of the last
	 * judgment, the next one to look at */
	enum vw_wire_step step;
	bool silent_span;           /* for the next raise (vw_judge_silent_span) */
	bool partial;
	struct vw_raised *before;
	size_t n_before, cap_before, before_at;
	/* while quiet: the per-source rules' raises (vw_judge_sources), and
	 * whether one could not be kept so (judged in full at the next tick) */
	struct vw_raised *sources;
	size_t n_sources, cap_sources;
	bool sources_lost;
	bool judge_in_full; /* at its next judgment, whatever changed */
	/* while held: the rows of its raises, each raise's in turn, and per
	 * raise what its silent span holds to (where it has one) */
	struct vw_held_row *hold;
	size_t n_hold, cap_hold;
	struct vw_silent_span *spans;
	size_t cap_spans;
};

/* d->quiet[i]: judged at the tick, left out, left out but for the raises
 * of its per-source rules, or those rules to run again (an advertiser's
 * checksum and TTL state changed at this tick's update); the same while
 * held (VW_HELD set). */
enum {
	VW_JUDGE = 0,
	VW_QUIET = 1,
	VW_QUIET_SOURCES = 2,
	VW_QUIET_SOURCES_CHANGED = 3,
	VW_HELD = 4, /* left out, its findings held (vw_judge_release) */
	VW_HELD_SOURCES = VW_HELD | VW_QUIET_SOURCES,
	VW_HELD_SOURCES_CHANGED = VW_HELD | VW_QUIET_SOURCES_CHANGED,
};

/* The wire and master rules over domain i of the kept set: judged, or
 * what their last judgment raised raised again. */
void vw_judge_domain(struct vw_detector *d, size_t i);
/* Called by the wire rules before each step: whether to run it (false:
 * what it raised at the last judgment was raised again instead). */
bool vw_judge_step(struct vw_detector *d, enum vw_wire_step step);
/* The next raise (multiple_masters) spans to the last advert of a master
 * kept silent (vw_wire_silent_until), which may move while its rows do
 * not change: of one pair (its two rows), raising it again works that out
 * again; of more, the domain is judged again at every tick. */
void vw_judge_silent_span(struct vw_detector *d, bool one_pair);
/* A raise during a judgment (after the list took it): kept for the ticks
 * the domain is skipped. */
void vw_judge_capture(struct vw_detector *d, const struct vw_finding *f);
/* The same of a raise in place (vw_detector_raise_again): of row alone,
 * spanning first_ns..last_ns as its rule gave it. */
void vw_judge_capture_source(struct vw_detector *d, const struct vw_row *row, uint64_t first_ns,
			     uint64_t last_ns, bool event);
/* The per-source rules of quiet domain i (VW_QUIET_SOURCES_CHANGED), and
 * their raises raised again (VW_QUIET_SOURCES). */
void vw_judge_sources(struct vw_detector *d, size_t i);
void vw_judge_sources_again(struct vw_detector *d, size_t i);
/* After the update: each activity whose checksum and TTL state alone
 * changed either leaves its quiet domain of one advertiser to
 * vw_judge_sources or wakes its domain as any change does. */
void vw_judge_route_csum_changes(struct vw_detector *d);
void vw_judged_free(struct vw_judged *j, size_t n);
/* Domain i to be judged at this tick: where held, its findings brought up
 * to date and let go first. */
void vw_judge_wake(struct vw_detector *d, size_t i);
/* Every held domain woken so (the findings list's settle). */
void vw_judge_release_all(struct vw_detector *d);
/* The domains left quiet hear their master of record again, as their
 * master rules would have at every tick (the record's last advert): before
 * anything reads the records of other domains, and before regrouping. */
void vw_judge_hear_quiet(struct vw_detector *d);

#endif
