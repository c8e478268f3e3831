// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kaconf_defaults.c - keepalived 2.2.7's derivation of the values an
 * instance runs with (vrrp_complete_instance(), vrrp_complete_init()):
 * version, priority, state, advert interval rounding, accept mode,
 * authentication, multicast group or unicast, excess VIPs, sync groups.
 *
 * Facts checked against /usr/sbin/keepalived 2.2.7 (-t and -d dumps):
 *  - priority 0 or out of range becomes 100 at parse time, so "state
 *    MASTER" with an invalid priority runs at 100, not 255;
 *  - "version 2" given before IPv6 addresses keeps v2 unless strict;
 *  - a unicast keyword without peers falls back to multicast;
 *  - at most 255 IPv4 / 89 IPv6 VIPs fit a 1500 byte MTU, the rest
 *    become excluded addresses;
 *  - no interface, no VRID, or (v3 or strict) without VIPs: keepalived
 *    refuses to start the VRRP process.
 */
#include <stdlib.h>
#include <string.h>

#include "kaconf/kaconf_internal.h"

#define PRIO_OWNER 255
#define PRIO_DEFAULT 100
#define ASSUMED_MTU 1500

void ka_global_init(struct ka_global *g)
{
	memset(g, 0, sizeof(*g));
	g->vrrp_version = 2;
	ka_addr_parse("224.0.0.18", &g->mcast_group4);
	ka_addr_parse("ff02::12", &g->mcast_group6);
}

void ka_instance_init(struct ka_instance *in)
{
	memset(in, 0, sizeof(*in));
	in->unicast_ttl = -1;
}

/* A diagnostic at the keyword kw, or at the block when kw was not given. */
static void cdiag(struct ka_config *cfg, const struct ka_instance *in, struct ka_loc kw, int sev,
		  const char *code, const char *fmt, ...) KA_PRINTF(6, 7);

static void cdiag(struct ka_config *cfg, const struct ka_instance *in, struct ka_loc kw, int sev,
		  const char *code, const char *fmt, ...)
{
	va_list ap;

	if (!kw.line)
		kw = (struct ka_loc){ in->file, in->line };
	va_start(ap, fmt);
	ka_vdiag(cfg, sev, code, kw.file, kw.line, fmt, ap);
	va_end(ap);
}

static const struct ka_loc BLOCK = { NULL, 0 };

static void reject(struct ka_config *cfg, struct ka_instance *in, const char *code, const char *why)
{
	cdiag(cfg, in, BLOCK, KA_DIAG_ERROR, code,
	      "(%s) %s: keepalived refuses to start the VRRP process", in->name, why);
	in->rejected = true;
}

static void derive_version(struct ka_config *cfg, struct ka_instance *in)
{
	in->version = in->configured_version;
	if (in->family == 6) {
		if (in->version == 2 && in->strict) {
			cdiag(cfg, in, in->loc.version, KA_DIAG_WARNING, "ipv6-version",
			      "(%s) cannot use IPv6 with VRRP version 2 in strict mode: keepalived uses version 3", in->name);
			in->version = 3;
		} else if (!in->version) {
			/* the global vrrp_version does not apply to IPv6 */
			in->version = 3;
		}
	}
	if (!in->family)
		in->family = 4;
	if (!in->version)
		in->version = cfg->global.vrrp_version;
}

static void derive_priority_state(struct ka_config *cfg, struct ka_instance *in)
{
	bool master = in->state_set && in->state == KA_STATE_MASTER;

	in->priority_set = in->configured_priority != 0;
	in->priority = in->configured_priority;
	if (!in->priority)
		in->priority = master ? PRIO_OWNER : PRIO_DEFAULT;
	if (!in->state_set) {
		in->state = in->priority == PRIO_OWNER ? KA_STATE_MASTER : KA_STATE_BACKUP;
	} else if (in->strict && master != (in->priority == PRIO_OWNER)) {
		cdiag(cfg, in, in->loc.state, KA_DIAG_WARNING, "strict-state",
		      "(%s) strict mode: state MASTER must match being address owner (priority 255): keepalived uses %s",
		      in->name, in->priority == PRIO_OWNER ? "MASTER" : "BACKUP");
		in->state = in->priority == PRIO_OWNER ? KA_STATE_MASTER : KA_STATE_BACKUP;
	}
}

static void derive_auth(struct ka_config *cfg, struct ka_instance *in)
{
	const char *why = NULL;

	if (!in->auth_type)
		return;
	if (in->strict)
		why = "strict mode does not support authentication";
	else if (in->version == 3)
		why = "VRRP version 3 does not support authentication";
	else if (!in->auth_pass[0])
		why = "authentication given without a password";
	else if (in->family == 6 && in->auth_type == 2)
		why = "AH authentication cannot be used with IPv6";
	if (why) {
		cdiag(cfg, in, in->loc.auth, KA_DIAG_WARNING, "auth-ignored", "(%s) %s: keepalived sends no authentication",
		      in->name, why);
		in->auth_type = 0;
		memset(in->auth_pass, 0, sizeof(in->auth_pass));
	} else if (in->auth_type == 2 && in->state == KA_STATE_MASTER && in->priority != PRIO_OWNER) {
		cdiag(cfg, in, in->loc.auth, KA_DIAG_WARNING, "auth-ah-master",
		      "(%s) initial state MASTER is incompatible with AH authentication: keepalived starts as BACKUP",
		      in->name);
		in->state = KA_STATE_BACKUP;
	}
}

static void check_vips(struct ka_config *cfg, struct ka_instance *in)
{
	if (!in->n_vips) {
		if (in->version == 3 || in->strict)
			reject(cfg, in, "no-vip", "no virtual_ipaddress given; at least one is required");
		else
			cdiag(cfg, in, BLOCK, KA_DIAG_WARNING, "no-vip",
			      "(%s) no virtual_ipaddress given; at least one is sensible", in->name);
		return;
	}
	if (in->family == 6 && !in->n_peers && !ka_addr_is_ipv6_linklocal(&in->vips[0].addr)) {
		char a[64];

		cdiag(cfg, in, (struct ka_loc){ in->vips[0].file, in->vips[0].line },
		      in->strict ? KA_DIAG_ERROR : KA_DIAG_WARNING, "ipv6-first-vip",
		      "(%s) the first IPv6 virtual address %s is not link-local: RFC 5798 wants the link-local address first (keepalived %s)",
		      in->name, ka_addr_str(&in->vips[0].addr, a, sizeof(a)),
		      in->strict ? "reports an error in strict mode" : "only logs this; other routers may not accept the adverts");
	}
}

/* The advert carries at most what fits a 1500 byte frame (255 at most);
 * keepalived moves the rest to the excluded addresses. */
static void move_excess_vips(struct ka_config *cfg, struct ka_instance *in)
{
	size_t hdr, max;

	if (in->family == 4) {
		hdr = 14 + 20 + 8 + (in->version == 2 ? 8 + (in->auth_type == 2 ? 24 : 0) : 0);
		max = (ASSUMED_MTU - hdr) / 4;
	} else {
		hdr = 14 + 40 + 8;
		max = (ASSUMED_MTU - hdr) / 16;
	}
	if (max > 255)
		max = 255;
	if (in->n_vips <= max)
		return;
	cdiag(cfg, in, in->loc.vips, KA_DIAG_WARNING, "too-many-vips",
	      "(%s) %zu virtual addresses do not fit an advert (max %zu with MTU %d): keepalived advertises the first %zu and treats the rest as excluded",
	      in->name, in->n_vips, max, ASSUMED_MTU, max);
	for (size_t i = max; i < in->n_vips; i++) {
		in->vips_excluded = ka_grow(in->vips_excluded, in->n_vips_excluded, sizeof(struct ka_vip));
		in->vips_excluded[in->n_vips_excluded++] = in->vips[i];
	}
	in->n_vips = max;
}

static void derive_preempt(struct ka_config *cfg, struct ka_instance *in)
{
	if (in->priority == PRIO_OWNER && in->nopreempt) {
		cdiag(cfg, in, in->loc.nopreempt, KA_DIAG_WARNING, "nopreempt-ignored",
		      "(%s) nopreempt is incompatible with priority 255: keepalived resets it", in->name);
		in->nopreempt = false;
	}
	if (in->state == KA_STATE_MASTER) {
		if (in->nopreempt)
			cdiag(cfg, in, in->loc.nopreempt, KA_DIAG_WARNING, "nopreempt-ignored",
			      "(%s) nopreempt does not work with initial state MASTER: keepalived clears it", in->name);
		if (in->preempt_delay_s || in->loc.preempt_delay.line)
			cdiag(cfg, in, in->loc.preempt_delay, KA_DIAG_WARNING, "preempt-delay-ignored",
			      "(%s) preempt_delay does not work with initial state MASTER: keepalived clears it",
			      in->name);
		in->nopreempt = false;
		in->preempt_delay_s = 0;
	}
	if (in->preempt_delay_s && (in->strict || in->nopreempt)) {
		cdiag(cfg, in, in->loc.preempt_delay, KA_DIAG_WARNING, "preempt-delay-ignored",
		      "(%s) preempt_delay is incompatible with %s: keepalived resets it", in->name,
		      in->strict ? "strict mode" : "nopreempt");
		in->preempt_delay_s = 0;
	}
}

static void derive_accept(struct ka_config *cfg, struct ka_instance *in)
{
	const struct ka_global *g = &cfg->global;

	if (!in->loc.accept.line)
		in->accept = in->priority == PRIO_OWNER ? true : !in->strict;
	if (in->accept && in->priority != PRIO_OWNER && in->strict && in->version == 2) {
		cdiag(cfg, in, in->loc.accept, KA_DIAG_WARNING, "accept-ignored",
		      "(%s) accept mode for VRRP version 2 does not comply with RFC 3768 in strict mode: keepalived resets it",
		      in->name);
		in->accept = false;
	}
	if (!in->loc.lower_prio_no_advert.line)
		in->lower_prio_no_advert = in->strict ? true : g->lower_prio_no_advert;
	else if (in->strict)
		in->lower_prio_no_advert = true;
	if (!in->loc.higher_prio_send_advert.line)
		in->higher_prio_send_advert = in->strict ? false : g->higher_prio_send_advert;
	else if (in->strict)
		in->higher_prio_send_advert = false;
}

/* v2 adverts carry whole seconds (1-255), v3 centiseconds (1-4095);
 * keepalived rounds half up and clamps. */
static void derive_interval(struct ka_config *cfg, struct ka_instance *in)
{
	unsigned long us = in->advert_int_us ? in->advert_int_us : 1000000UL;
	unsigned long unit = in->version == 2 ? 1000000UL : 10000UL;
	unsigned long max = in->version == 2 ? 255UL * 1000000UL : 4095UL * 10000UL;
	unsigned long cfgd = us;

	if (us > max) {
		us = max;
		cdiag(cfg, in, in->loc.advert_int, KA_DIAG_WARNING, "advert-int-range",
		      "(%s) VRRPv%u advert interval %gs is out of range: keepalived uses %gs",
		      in->name, in->version, cfgd / 1e6, us / 1e6);
	} else if (us % unit) {
		us += unit / 2;
		us -= us % unit;
		if (!us)
			us = unit;
		cdiag(cfg, in, in->loc.advert_int, KA_DIAG_WARNING, "advert-int-rounded",
		      "(%s) VRRPv%u advert interval %gs is not a multiple of %s: keepalived rounds it to %gs",
		      in->name, in->version, cfgd / 1e6, in->version == 2 ? "1s" : "10ms", us / 1e6);
	}
	in->interval_cs = (uint16_t)(us / 10000UL);
}

static void derive_addressing(struct ka_config *cfg, struct ka_instance *in)
{
	const struct ka_global *g = &cfg->global;

	in->unicast = in->n_peers > 0;
	if (!in->unicast && in->unicast_configured) {
		in->fault = in->unicast_fault_no_peer;
		if (in->unicast_fault_no_peer)
			cdiag(cfg, in, in->loc.unicast, KA_DIAG_ERROR, "unicast-no-peers",
			      "(%s) unicast_fault_no_peer without unicast peers: keepalived keeps the instance in FAULT state (no adverts)",
			      in->name);
		else
			cdiag(cfg, in, in->loc.unicast, KA_DIAG_WARNING, "unicast-no-peers",
			      "(%s) a unicast keyword is given without any unicast_peer: keepalived falls back to multicast",
			      in->name);
	}
	if (in->unicast)
		memset(&in->mcast_dst, 0, sizeof(in->mcast_dst));
	else if (!in->mcast_dst_set)
		in->mcast_dst = in->family == 4 ? g->mcast_group4 : g->mcast_group6;
	if (g->check_unicast_src)
		in->check_unicast_src = true;
	/* keepalived 2.2.7 applies the global flag to every instance, also
	 * to those read before global_defs (checked with keepalived -d) */
	if (g->skip_check_adv_addr)
		in->skip_check_adv_addr = true;
	if (!in->unicast)
		in->check_unicast_src = false;
	if (!in->loc.v3_checksum_as_v2.line)
		in->v3_checksum_as_v2 = g->v3_checksum_as_v2;
	if (in->vmac_xmit_base && (!in->use_vmac || in->strict))
		in->vmac_xmit_base = false;
}

void ka_complete_instance(struct ka_config *cfg, struct ka_instance *in)
{
	if (!in->loc.strict.line)
		in->strict = cfg->global.vrrp_strict;
	derive_version(cfg, in);
	if (!in->vrid)
		reject(cfg, in, "no-vrid", "the virtual router id must be set");
	if (!in->interface)
		reject(cfg, in, "no-interface", "no (usable) interface given");
	derive_priority_state(cfg, in);
	derive_auth(cfg, in);
	check_vips(cfg, in);
	move_excess_vips(cfg, in);
	derive_preempt(cfg, in);
	derive_accept(cfg, in);
	derive_interval(cfg, in);
	derive_addressing(cfg, in);
}

/* Which group each instance is in (SIZE_MAX: none), and each group's
 * instances in configuration order: the sync group passes look up by
 * name and per group, never by scanning all instances per group. */
struct group_map {
	size_t *group_of;  /* per instance */
	size_t *start;     /* per group + 1: its members in order[] */
	size_t *order;     /* instance indices, grouped, in config order */
};

static void link_group(struct ka_config *cfg, const struct ka_hash *names, struct group_map *m,
		       size_t gi)
{
	struct ka_sync_group *g = &cfg->groups[gi];

	if (!g->n_members)
		ka_diag(cfg, KA_DIAG_WARNING, "group-empty", g->file, g->line,
			"sync group %s has no group block naming its instances: keepalived removes it", g->name);
	for (size_t i = 0; i < g->n_members; i++) {
		struct ka_instance *in = ka_name_index_get(names, cfg, g->members[i]);

		if (!in) {
			ka_diag(cfg, KA_DIAG_WARNING, "group-member", g->file, g->line,
				"sync group %s: vrrp_instance %s does not exist", g->name, g->members[i]);
		} else if (in->sync_group) {
			ka_diag(cfg, KA_DIAG_WARNING, "group-member", g->file, g->line,
				"sync group %s: vrrp_instance %s is already in sync group %s", g->name,
				in->name, in->sync_group);
		} else {
			in->sync_group = ka_strdup(g->name);
			m->group_of[in - cfg->inst] = gi;
		}
	}
}

/* Counting sort of the instances by group, stable. */
static void group_members(const struct ka_config *cfg, struct group_map *m)
{
	size_t *fill = calloc(cfg->n_groups + 1, sizeof(*fill));

	if (!fill)
		abort();
	for (size_t i = 0; i < cfg->n_inst; i++) {
		if (m->group_of[i] != SIZE_MAX)
			m->start[m->group_of[i] + 1]++;
	}
	for (size_t gi = 0; gi < cfg->n_groups; gi++)
		m->start[gi + 1] += m->start[gi];
	memcpy(fill, m->start, (cfg->n_groups + 1) * sizeof(*fill));
	for (size_t i = 0; i < cfg->n_inst; i++) {
		if (m->group_of[i] != SIZE_MAX)
			m->order[fill[m->group_of[i]]++] = i;
	}
	free(fill);
}

/* If any member of a sync group cannot start as MASTER, none does. */
static void group_states(struct ka_config *cfg, const struct group_map *m, size_t gi)
{
	const struct ka_sync_group *g = &cfg->groups[gi];
	bool have_master = false, have_backup = false;

	for (size_t k = m->start[gi]; k < m->start[gi + 1]; k++) {
		const struct ka_instance *in = &cfg->inst[m->order[k]];

		if (in->state == KA_STATE_BACKUP || in->priority != PRIO_OWNER)
			have_backup = true;
		if (in->state == KA_STATE_MASTER)
			have_master = true;
	}
	if (!have_master || !have_backup)
		return;
	for (size_t k = m->start[gi]; k < m->start[gi + 1]; k++) {
		struct ka_instance *in = &cfg->inst[m->order[k]];

		if (in->state == KA_STATE_MASTER) {
			cdiag(cfg, in, in->loc.state, KA_DIAG_INFO, "group-state",
			      "(%s) sync group %s has members that cannot start as MASTER: keepalived starts this one as BACKUP",
			      in->name, g->name);
			in->state = KA_STATE_BACKUP;
		}
	}
}

/* keepalived ignores weights for the address owner, and for sync group
 * members unless the group has sync_group_tracking_weight; then the
 * group's weights count too. The effective priority stays in 1-254. */
static void derive_tracking(struct ka_instance *in, const struct ka_sync_group *g)
{
	struct ka_track_weights t = in->track;
	int low, high;

	in->priority_low = in->priority_high = in->priority;
	in->priority_tracked = false;
	if (in->priority == PRIO_OWNER || (g && !g->tracking_weight))
		return;
	if (g) {
		t.up += g->track.up;
		t.down += g->track.down;
		t.unbounded |= g->track.unbounded;
	}
	if (!t.up && !t.down && !t.unbounded)
		return;
	low = t.unbounded ? 1 : in->priority - t.down;
	high = t.unbounded ? 254 : in->priority + t.up;
	in->priority_tracked = true;
	in->priority_low = (uint8_t)(low < 1 ? 1 : low > 254 ? 254 : low);
	in->priority_high = (uint8_t)(high < 1 ? 1 : high > 254 ? 254 : high);
}

void ka_complete_config(struct ka_config *cfg)
{
	struct ka_hash names;
	struct group_map m = {
		.group_of = malloc((cfg->n_inst + 1) * sizeof(size_t)),
		.start = calloc(cfg->n_groups + 1, sizeof(size_t)),
		.order = malloc((cfg->n_inst + 1) * sizeof(size_t)),
	};

	if (!m.group_of || !m.start || !m.order)
		abort();
	memset(m.group_of, 0xff, (cfg->n_inst + 1) * sizeof(size_t));
	for (size_t i = 0; i < cfg->n_inst; i++)
		ka_complete_instance(cfg, &cfg->inst[i]);
	ka_check_vrid_conflicts(cfg);
	ka_name_index_build(&names, cfg);
	for (size_t i = 0; i < cfg->n_groups; i++)
		link_group(cfg, &names, &m, i);
	ka_hash_free(&names);
	group_members(cfg, &m);
	for (size_t i = 0; i < cfg->n_groups; i++)
		group_states(cfg, &m, i);
	for (size_t i = 0; i < cfg->n_inst; i++) {
		size_t gi = m.group_of[i];

		derive_tracking(&cfg->inst[i], gi == SIZE_MAX ? NULL : &cfg->groups[gi]);
	}
	free(m.group_of);
	free(m.start);
	free(m.order);
}
