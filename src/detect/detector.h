/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * detector.h - from snapshots of the observation table to findings.
 *
 * The detector sees nothing but the table at each tick (and the local
 * keepalived.conf): offline ticks fall on packet time at the same interval
 * as live ones, so a capture replayed gives the findings the live run gave.
 * It decides; it never prints (the reporters do).
 */
#ifndef VRRPWATCH_DETECTOR_H
#define VRRPWATCH_DETECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/activity.h"
#include "model/domain.h"
#include "model/finding.h"
#include "model/instance_state.h"
#include "kaconf/kaconf.h"
#include "model/obs_table.h"
#include "util/pos_index.h"

/* keepalived versions as major * 10000 + minor * 100 + patch */
#define VW_KA_VERSION(a, b, c) ((a) * 10000 + (b) * 100 + (c))
#define VW_KA_DEFAULT_VERSION VW_KA_VERSION(2, 2, 7) /* Debian 12 */

struct vw_detector_opts {
	const struct ka_config *config; /* NULL: wire-only detections */
	const struct ka_addr *local;    /* this node's addresses (--local-address) */
	size_t n_local;
	const struct ka_addr *peers;    /* the other nodes of the group (--peer) */
	size_t n_peers;
	unsigned ka_version;            /* acceptance rules of this keepalived */
	uint64_t flap_window_ns;        /* master_flapping: more changes than */
	unsigned flap_changes;          /* this within this window */
	bool inventory;                 /* raise the VRID inventory findings */
	size_t judged_per_domain;       /* 0: VW_JUDGED_PER_DOMAIN */
	size_t max_findings;            /* 0: VW_FINDINGS_MAX */
};

/*
 * Past this many advertisers in one collision domain (a flood of spoofed
 * sources), the pairwise and per-source rules judge the busiest only, and
 * a note says how many more were not judged individually.  This bounds
 * the detector's work per tick and its findings whatever the flood.
 */
#define VW_JUDGED_PER_DOMAIN 256
/*
 * Among the judged, this node's own rows (sent, or from --local-address)
 * and the sources keepalived.conf names (unicast_peer, unicast_src_ip)
 * are kept even when a flood pushes them out of the busiest, so that the
 * checks against the configuration still find them: they take the places
 * of the least busy others, up to half of the judged (a spoofer using
 * those sources cannot push out all the busiest).
 */
/* Domains with a note of their own about advertisers left out; more are
 * summed up in one more note. */
#define VW_MAX_FLOOD_NOTES 4
#define VW_NOTE_TEXT 384

/* Notes kept for the report.  They are about the whole run (like the
 * findings, they are never reset between ticks) and each is added once.
 * Past VW_MAX_NOTES, the last slot becomes "N more notes not shown". */
#define VW_MAX_NOTES 16

/* A collision domain with more advertisers than judged, as noted. */
struct vw_flood_note {
	struct vw_domain_id id;
	size_t most;          /* the most advertisers at one tick */
	size_t unjudged_most; /* the most not judged individually at one tick */
	char text[VW_NOTE_TEXT];
};

struct vw_master_state;

/* The advertiser of record of a collision domain (rules_masters.c). */
struct vw_master_of {
	bool have;
	struct vw_obs_key key; /* its row */
	uint8_t family;
	uint8_t src[16];
	uint8_t mac[6];
	uint8_t priority;  /* its last priority above 0 */
	bool resigned;     /* its last advert had priority 0 */
	uint64_t since_ns; /* master since (its first advert heard, or the takeover) */
	uint64_t last_ns;  /* its last advert */
	/* until then a router that outranks it is advertising and may be
	 * preempting it: who is master is being decided; 0 none */
	uint64_t contested_until_ns;
};

/* A row whose answer to a configuration rule holds while it was last
 * heard less than after_ns ago (rules_config.c hold_while_heard). */
#define VW_CONFIG_WATCHES 16
struct vw_config_watch {
	size_t row; /* index in the table */
	uint64_t after_ns;
};

struct vw_detector {
	struct vw_detector_opts o;
	struct vw_activity_map act;
	struct vw_findings findings;
	struct vw_master_state *masters;
	size_t n_masters, cap_masters;
	struct vw_pos_index masters_by_domain; /* (rules_masters.c) */
	size_t masters_hint;     /* masters index + 1 the next lookup likely wants; 0 none */
	/* who is master of each local instance (instances.c), in the order of
	 * keepalived.conf */
	struct vw_instance_state *instances;
	const struct ka_instance **instance_of;
	/* per instance: the row its master was taken from at the last update,
	 * if it was (instances.c vw_instances_catch_up) */
	struct vw_obs_key *instance_master_key;
	bool *instance_master_from_row;
	size_t n_instances;
	uint64_t ticks;
	uint64_t now_ns;
	const struct vw_table *t; /* the snapshot of the current tick */
	const char *notes[VW_MAX_NOTES]; /* what could not be judged, and why */
	size_t n_notes;
	/* notes past VW_MAX_NOTES: the ones not shown (told apart up to
	 * VW_MAX_NOTES of them), and the text in the last slot */
	const char *notes_hidden[VW_MAX_NOTES];
	size_t n_notes_hidden;
	bool notes_hidden_full;     /* perhaps more than those */
	char notes_more_text[96];
	int error;                /* -ENOMEM seen */
	/* floods: advertisers not judged individually (vw_domain_limit) */
	uint64_t unjudged;        /* at the last tick, all domains */
	uint64_t unjudged_most;   /* the most at one tick */
	struct vw_flood_note floods[VW_MAX_FLOOD_NOTES];
	size_t n_floods;
	size_t floods_more_most;  /* the most other such domains at one tick */
	uint64_t floods_more_unjudged_most;
	char floods_more_text[VW_NOTE_TEXT];
	/* findings refused or forgotten over the cap (findings.refused_most,
	 * findings.dropped), told as a note */
	char findings_text[VW_NOTE_TEXT];
	/* The collision domains, grouped again only when a row came or went
	 * or an advertiser started or stopped counting (or a flood reordered
	 * them), and per domain what judge.c keeps of its last judgment. */
	struct vw_domain_set domains;
	bool have_domains;
	bool flooded;             /* a domain was cut to the busiest at this tick */
	struct vw_judged *judged; /* one per domain */
	/* per domain: its last judgment raised nothing and will raise the
	 * same while none of its rows changes (judge.c vw_judge_quiet): left
	 * out of the ticks until one does */
	uint8_t *quiet;
	/* after the last tick, every domain quiet, no finding open, nothing
	 * cut or refused: a tick that brings nothing new passes over
	 * (detector.c calm, settled) */
	bool settled;
	/* the configuration's rules hold as judged while no interface is
	 * added, before config_fixed_until, and while each watched row was
	 * heard within its time (rules_config.c vw_config_holds): a calm tick
	 * is calm for them too.  config_until: the earliest of those, as of
	 * the last look. */
	uint64_t config_until, config_fixed_until;
	struct vw_config_watch config_watch[VW_CONFIG_WATCHES];
	unsigned n_config_watch;
	bool config_watch_lost; /* more than fit: at config_until, judged again */
	size_t config_segments;
	uint64_t config_first_ns; /* the table's first frame then (it moves back with an earlier one) */
	/* replay: calm ticks leave the instance states to vw_instances_refresh */
	bool instances_stale;
	/* the table's rows in the order domains take their members
	 * (vw_domains_order), kept while no row moves */
	uint32_t *row_order;
	size_t n_row_order;
	struct vw_judged *judging; /* the domain whose raises are kept, or NULL */
	bool judging_masters;     /* and it is the master rules that raise */
	bool judging_sources;     /* or its per-source rules alone (vw_judge_sources) */
	bool judge_every_tick;    /* VRRPWATCH_JUDGE_EVERY_TICK (judge.h) */
	/* the domains this tick's walk passed (those before it; after the
	 * walk, all): a held one among them counts as raised now (judge.h) */
	size_t walked;
	uint64_t holds; /* domains held so (judge.h), for the tests */
	uint64_t held_sources; /* checksum changes routed to a held domain's
				* per-source rules alone (judge.h), for the tests */
	/* rules_vips.c: per virtual address, what the ticks remember */
	struct vw_vip_state *vip_state;
	size_t n_vip_state;
	uint64_t vip_prev_tick;
};

int vw_detector_init(struct vw_detector *d, const struct vw_detector_opts *o);
void vw_detector_free(struct vw_detector *d);
/* One snapshot: the table as it stands at now_ns. */
void vw_detector_tick(struct vw_detector *d, struct vw_table *t, uint64_t now_ns);
/* The findings as the last tick left them, before they are read between
 * ticks (a report): those of domains held out of the ticks (judge.h)
 * brought up to date. */
void vw_detector_settle(struct vw_detector *d);

/* Add a note once (static strings, or the detector's own buffers). */
void vw_detector_note(struct vw_detector *d, const char *note);

/* --- for the rule files ------------------------------------------------ */

/* A finding about domain dom, with its interface name and time span filled. */
void vw_finding_start(struct vw_detector *d, struct vw_finding *f, enum vw_kind kind,
		      enum vw_severity sev, const struct vw_domain_id *dom);
void vw_finding_add_source(struct vw_finding *f, const struct vw_row *r,
			   const struct vw_activity *a);
void vw_detector_raise(struct vw_detector *d, const struct vw_finding *f);
/* The span vw_finding_add_source gives a finding of r alone. */
void vw_source_span(const struct vw_row *r, const struct vw_activity *a, uint64_t *first_ns,
		    uint64_t *last_ns);
/*
 * A per-source rule's finding (kind's, about r alone, its subject,
 * severity and advice following from kind and r's address: see
 * vw_findings_raise_source) raised again in place, spanning
 * first_ns..last_ns: returns its message for the rule to write, or NULL:
 * then the rule builds it and raises it with vw_detector_raise_source,
 * which marks where the list put it.  VRRPWATCH_JUDGE_EVERY_TICK raises
 * every one in full (tests/e2e/test_judge_every_tick.py compares).
 */
char *vw_detector_raise_again(struct vw_detector *d, enum vw_kind kind,
			      const struct vw_domain_id *dom, const struct vw_row *r,
			      uint64_t first_ns, uint64_t last_ns, bool event);
void vw_detector_raise_source(struct vw_detector *d, const struct vw_finding *f,
			      const struct vw_row *r);
/* "1-50, 52-255": VRIDs nobody advertises or configures on that segment */
void vw_free_vrids(const struct vw_detector *d, const struct vw_domain_id *dom, char *buf,
		   size_t len);
bool vw_is_local(const struct vw_detector *d, const struct vw_row *r);
/* The group is known for r's family (--peer, or keepalived.conf's
 * unicast_peer for r's VRID) and r is not in it: a foreign router. */
bool vw_outside_group(const struct vw_detector *d, const struct vw_row *r);
uint64_t vw_member_master_down(const struct vw_member *m);

/* The wire rules in the order they raise; the steps that read the
 * checksum and TTL state of the rows (vw_activity.structure_gen) are the
 * ones judge.c runs again when only that changed in a domain. */
enum vw_wire_step {
	VW_WIRE_PAIRS,
	VW_WIRE_INTERVALS,
	VW_WIRE_VERSIONS,
	VW_WIRE_DIALECT,  /* reads the checksum variants */
	VW_WIRE_OWNERS,
	VW_WIRE_MACS,
	VW_WIRE_VMAC,
	VW_WIRE_SOURCES,  /* reads the checksum and TTL state */
};
void vw_rules_wire(struct vw_detector *d, const struct vw_domain *dom);
/* The per-advertiser rules of the wire rules alone (VW_WIRE_SOURCES). */
void vw_rules_sources(struct vw_detector *d, const struct vw_domain *dom);
/* The VRRPv3 members of dom validate with one checksum variant at most:
 * the dialect rule (VW_WIRE_DIALECT) raises nothing. */
bool vw_wire_one_dialect(const struct vw_domain *dom);
/* Of two masters deaf to each other (x heard first), the last advert of
 * the one kept silent long enough to be master too, else 0: a
 * multiple_masters finding spans to it. */
uint64_t vw_wire_silent_until(const struct vw_row *x, const struct vw_activity *xa,
			      const struct vw_row *y, const struct vw_activity *ya);
/* The same worked out in two halves, for a pair whose rows and activities
 * change in nothing but their last adverts (judge.c: a held domain): what
 * holds while they do not change, then the end it gives for x's and y's
 * last adverts. */
struct vw_silent_span {
	bool x_silences, y_silences; /* vw_silencing(x, y), (y, x) */
	uint64_t x_from, y_from;
	uint64_t x_md, y_md;         /* their master-down intervals */
};
void vw_wire_silent_span(const struct vw_row *x, const struct vw_activity *xa,
			 const struct vw_row *y, const struct vw_activity *ya,
			 struct vw_silent_span *s);
uint64_t vw_wire_silent_span_until(const struct vw_silent_span *s, uint64_t x_last,
				   uint64_t y_last);
void vw_rules_segment(struct vw_detector *d);
void vw_rules_config(struct vw_detector *d, const struct vw_domain_set *active);
/* Would the configuration's rules at now_ns, the rows and domains as at
 * their last judgment, raise and close the same (see detector.c calm)? */
bool vw_config_holds(struct vw_detector *d, const struct vw_table *t, uint64_t now_ns);
void vw_rules_masters(struct vw_detector *d, const struct vw_domain *dom);
/* The advertiser of record of domain id, or NULL before anyone advertised. */
const struct vw_master_of *vw_master_of(const struct vw_detector *d,
					const struct vw_domain_id *id);
/* Domain i of those the master rules keep (NULL past the end): its id,
 * how many times its master changed, and its advertiser of record (whose
 * `have` may be false). */
const struct vw_master_of *vw_master_at(const struct vw_detector *d, size_t i,
					const struct vw_domain_id **id, unsigned *changes);
/* For judge.c (rules_masters.c): may vw_rules_masters(dom) be left out
 * while dom's rows change in nothing but counters and last adverts, and
 * what it does then instead (see there). */
bool vw_masters_idle(const struct vw_detector *d, const struct vw_domain *dom, size_t *at,
		     const struct vw_row **row);
void vw_masters_heard(struct vw_detector *d, size_t at, const struct vw_row *r);
void vw_masters_hear_record(struct vw_detector *d, size_t at);
void vw_rules_inventory(struct vw_detector *d);
/* rules_vips.c: who claims the virtual addresses (ARP, IPv6 ND) */
void vw_rules_vips(struct vw_detector *d);
/* Watch keepalived.conf's virtual addresses in the table's claims. */
void vw_vips_watch_config(struct vw_table *t, const struct ka_config *c);
/* The note for a capture with watched addresses and no ARP or ND at all,
 * or NULL. */
const char *vw_vips_capture_note(const struct vw_table *t);

/* instances.c: the instance states, allocated once, updated every tick */
int vw_instances_init(struct vw_detector *d);
void vw_instances_update(struct vw_detector *d, const struct vw_domain_set *active);
/* The states as the last tick would have left them, where calm ticks left
 * them out (replay): before a report reads them. */
void vw_instances_refresh(struct vw_detector *d);
/* Before a tick's activity update, where calm ticks left them out: each
 * master's last advert as the last tick saw it. */
void vw_instances_catch_up(struct vw_detector *d, const struct vw_table *t);

#endif
