/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kaconf.h - read keepalived.conf the way keepalived 2.2.7 reads it and
 * derive the VRRP instances it would run, with the effective values it
 * would put on the wire (version, priority, advert interval, addresses).
 *
 * Reading follows keepalived's own parser (lib/parser.c): '#' and '!'
 * comments, double-quoted words, braces split onto their own lines,
 * include with globs, $VAR definitions (also multi-line), @id / @^id
 * conditional lines, ~SEQ / ~LST line generators. Unknown keywords are
 * treated as keepalived treats them: reported and NOT skipped as blocks.
 *
 * All strings in the result (names, file names, messages) are owned by
 * the ka_config and freed by ka_config_free(); file name pointers are
 * shared between instances, VIPs and diagnostics.
 */
#ifndef VRRPWATCH_KACONF_H
#define VRRPWATCH_KACONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KA_DEFAULT_CONFIG "/etc/keepalived/keepalived.conf"

/* family is 4 or 6, addresses in network byte order in 16 bytes
 * (IPv4 in the first 4); family 0 means "no address". */
struct ka_addr {
	uint8_t family;
	uint8_t addr[16];
};

/* A place in the configuration; file is shared (owned by ka_config). */
struct ka_loc {
	const char *file;
	unsigned line;
};

struct ka_vip {
	struct ka_addr addr;
	uint8_t prefix;       /* /32 or /128 when not given, as keepalived */
	char *dev;            /* NULL: the instance's interface */
	char *label;          /* IPv4 only (keepalived drops IPv6 labels) */
	unsigned line;
	const char *file;
	bool no_track;
	bool use_vmac;
};

enum ka_state {
	KA_STATE_BACKUP,
	KA_STATE_MASTER,
};

/* old_unicast_checksum, as keepalived's unicast_chksum_compat */
enum ka_chksum_compat {
	KA_CHKSUM_COMPAT_NONE = 0,   /* default: auto-detect old peers */
	KA_CHKSUM_COMPAT_NEVER = 1,  /* old_unicast_checksum never */
	KA_CHKSUM_COMPAT_CONFIG = 3, /* old_unicast_checksum */
};

/* Weighted tracking (track_script, track_interface, track_file,
 * track_process, track_bfd): how far it can move a priority. */
struct ka_track_weights {
	int up;          /* sum of the weights that can add */
	int down;        /* sum of the weights that can subtract (>= 0) */
	bool unbounded;  /* a track_file: its value times the weight */
};

/* Where some keywords of an instance were written, for --lint. A zero
 * line means the keyword was not given. */
struct ka_instance_locs {
	struct ka_loc state, priority, advert_int, version, vrid, interface;
	struct ka_loc strict, accept, unicast, peers, auth, nopreempt;
	struct ka_loc preempt_delay, mcast_dst, v3_checksum_as_v2, vips;
	struct ka_loc lower_prio_no_advert, higher_prio_send_advert;
};

struct ka_instance {
	char *name;
	char *interface;        /* NULL when not given (keepalived refuses) */
	uint8_t family;         /* 4 or 6: the first address decides */
	uint8_t vrid;           /* 0 when not (validly) given */
	uint8_t version;        /* effective: 2 or 3 (2 also for IPv6 if asked) */
	uint8_t priority;       /* effective, keepalived's rules */
	bool priority_set;      /* a priority keyword was given */
	/* Weighted tracking moves the advertised priority at run time within
	 * [priority_low, priority_high] (1-254; keepalived ignores weights for
	 * priority 255 and, without sync_group_tracking_weight, for members of
	 * a sync group). Both equal priority when nothing can move it. */
	bool priority_tracked;
	uint8_t priority_low, priority_high;
	struct ka_track_weights track; /* the instance's own track_* entries */
	uint16_t interval_cs;   /* effective advert interval, centiseconds */
	enum ka_state state;    /* effective initial state */
	bool state_set;
	bool nopreempt;         /* effective (cleared for MASTER / 255) */
	unsigned preempt_delay_s; /* effective, whole seconds (rounded down) */
	bool accept;            /* effective accept mode */
	bool strict;            /* effective strict mode */

	struct ka_vip *vips;    /* virtual_ipaddress only, config order */
	size_t n_vips;
	struct ka_vip *vips_excluded;
	size_t n_vips_excluded;

	struct ka_addr mcast_dst; /* effective multicast group when not unicast */
	bool unicast;             /* effective: has unicast peers */
	struct ka_addr unicast_src; /* unicast_src_ip / mcast_src_ip */
	bool unicast_src_set;
	struct ka_addr *peers;
	size_t n_peers;
	uint8_t *peer_min_ttl;    /* per peer, default 0 */
	uint8_t *peer_max_ttl;    /* per peer, default 255 */

	uint8_t auth_type;        /* effective: 0 none, 1 PASS, 2 AH (wire) */
	char auth_pass[9];        /* first 8 characters, NUL padded */

	bool use_vmac;
	bool vmac_xmit_base;
	bool v3_checksum_as_v2;   /* as keepalived >= 2.2.8 reads the keyword;
				   * 2.2.7 does not know it (see --lint) */
	int old_unicast_checksum; /* enum ka_chksum_compat */
	bool check_unicast_src;   /* effective (instance, global, peer TTLs) */
	bool skip_check_adv_addr; /* effective */
	bool lower_prio_no_advert;    /* effective */
	bool higher_prio_send_advert; /* effective */

	char *sync_group;       /* NULL when in none */
	char *file;             /* shared; where the vrrp_instance block starts */
	unsigned line;

	/* As configured, before keepalived's derivation. */
	uint32_t advert_int_us;   /* 0: not given */
	uint8_t configured_version; /* 0: not given */
	uint8_t configured_priority; /* 0: not given; invalid reads as 100 */
	bool mcast_dst_set;       /* mcast_dst_ip given and valid */
	bool unicast_configured;  /* some unicast keyword was given */
	bool unicast_fault_no_peer;
	int unicast_ttl;          /* -1: not given */
	bool native_ipv6;
	bool rejected;            /* keepalived would refuse to start VRRP */
	bool fault;               /* keepalived keeps it in FAULT: no adverts */
	struct ka_instance_locs loc;
};

struct ka_sync_group {
	char *name;
	char **members;
	size_t n_members;
	const char *file;
	unsigned line;
	bool tracking_weight;         /* sync_group_tracking_weight */
	struct ka_track_weights track;
};

/* global_defs values that change what instances put on the wire. */
struct ka_global {
	uint8_t vrrp_version;         /* default 2 */
	struct ka_addr mcast_group4;  /* default 224.0.0.18 */
	struct ka_addr mcast_group6;  /* default ff02::12 */
	bool vrrp_strict;
	bool v3_checksum_as_v2;       /* keepalived >= 2.2.8 */
	bool check_unicast_src;
	bool skip_check_adv_addr;
	bool lower_prio_no_advert;
	bool higher_prio_send_advert;
	char *router_id;
	struct ka_loc loc_version, loc_strict, loc_v3cs;
};

enum {
	KA_DIAG_INFO = 0,
	KA_DIAG_WARNING = 1,
	KA_DIAG_ERROR = 2,
};

struct ka_diag {
	int severity;          /* KA_DIAG_ERROR / WARNING / INFO */
	char *file;            /* shared; NULL when not tied to a file */
	unsigned line;
	char *message;
	const char *code;      /* short stable id, e.g. "unknown-keyword" */
};

struct ka_config {
	struct ka_instance *inst;
	size_t n_inst;
	struct ka_diag *diags;
	size_t n_diags;
	unsigned unknown_keywords;
	struct ka_global global;
	struct ka_sync_group *groups;
	size_t n_groups;
	char **files;           /* every file read, first the main file */
	size_t n_files;
	char *config_id;        /* the id @conditionals were matched against */
	bool syntax_error;      /* braces or quotes keepalived could not match */
	bool fatal;             /* reading stopped: see the last error diag */
};

struct ka_parse_opts {
	const char *config_id;       /* NULL: short host name, as keepalived */
	unsigned max_include_depth;  /* 0: 32 */
	size_t max_expansion;        /* bytes of generated lines; 0: 32 MiB */
};

/* 0, or a negative errno with a diag explaining (file:line): -ENOENT /
 * -EACCES main file unreadable, -ELOOP include loop or too deep, -E2BIG
 * runaway $VAR / ~SEQ expansion, -EINVAL unbalanced braces or quotes.
 * *out is always filled with what could be read, even on error. */
int ka_config_load_file(const char *path, const struct ka_parse_opts *opts,
			struct ka_config *out);
int ka_config_load_string(const char *text, const char *display_name,
			  const struct ka_parse_opts *opts, struct ka_config *out);
void ka_config_free(struct ka_config *cfg);

/* "198.18.0.1" / "fd00::1"; "-" for family 0. Returns buf. */
const char *ka_addr_str(const struct ka_addr *a, char *buf, size_t len);
/* Parse an IPv4 or IPv6 literal. Returns false when not an address. */
bool ka_addr_parse(const char *s, struct ka_addr *out);
bool ka_addr_equal(const struct ka_addr *a, const struct ka_addr *b);
bool ka_addr_is_ipv6_linklocal(const struct ka_addr *a);
bool ka_addr_is_multicast(const struct ka_addr *a);

/* Effective advert interval in the wire's unit: whole seconds for v2,
 * centiseconds for v3 (what the advert's interval field carries). */
unsigned ka_instance_wire_interval(const struct ka_instance *in);

const char *ka_state_name(enum ka_state s);
const char *ka_severity_name(int severity);

#endif
