// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kaconf_vrid.c - keepalived 2.2.7's check_vrid_conflicts(): two instances
 * may not share a VRID where their adverts would meet, else keepalived
 * refuses to start the VRRP process. Checked against keepalived -t:
 *  - multicast: same interface, family, VRID and multicast group
 *    (mcast_dst_ip or vrrp_mcast_group4/6) conflict;
 *  - unicast: same interface, family, VRID and local address conflict
 *    when the unicast_peer lists have an address in common;
 *  - multicast and unicast instances never conflict;
 *  - an instance without interface (rejected anyway) meets every one.
 *
 * keepalived compares every pair; 100k instances took 40 s that way and
 * ten instances on one VRID gave 45 diagnostics. Here each instance is
 * looked up, in configuration order, in hash chains of the earlier ones
 * keyed by what makes a conflict, and gets at most one diagnostic naming
 * the first instance it collides with (the first it surely collides with
 * when there is one). A chain's members all conflict with each other:
 *  M  multicast: interface, family, VRID, group;
 *  U  unicast: interface, family, VRID, one peer, local address or none;
 *  A  unicast with a local address given: interface, family, VRID, peer
 *     (where "one uses the interface address" cannot be decided here).
 * Each chain exists per interface name, for instances without interface
 * (NULL) and for all (ANY), so that the wildcard costs no scan either.
 */
#include <stdint.h>
#include <string.h>

#include "kaconf/kaconf_internal.h"

enum if_mode { IF_NAMED, IF_NULL, IF_ANY };

struct key {
	unsigned char b[96 + KA_MAXBUF];
	size_t n;
};

struct hits {
	size_t sure, unsure;  /* earliest earlier instance; SIZE_MAX: none */
};

static void put(struct key *k, const void *p, size_t n)
{
	/* interface names come from one line: shorter than KA_MAXBUF */
	if (n > sizeof(k->b) - k->n)
		n = sizeof(k->b) - k->n;
	memcpy(k->b + k->n, p, n);
	k->n += n;
}

static void put_addr(struct key *k, const struct ka_addr *a)
{
	unsigned char b[17] = { a->family };

	memcpy(b + 1, a->addr, a->family == 4 ? 4 : 16);
	put(k, b, sizeof(b));
}

/* kind, mode, the instance's family and VRID, the interface when named,
 * the address (group or peer), then for U the local address if set. */
static void make_key(struct key *k, char kind, enum if_mode mode, const struct ka_instance *in,
		     const struct ka_addr *addr, const struct ka_addr *src)
{
	unsigned char head[4] = { (unsigned char)kind, (unsigned char)mode, in->family, in->vrid };

	k->n = 0;
	put(k, head, sizeof(head));
	put_addr(k, addr);
	if (kind == 'U') {
		unsigned char set = src != NULL;

		put(k, &set, 1);
		if (src)
			put_addr(k, src);
	}
	if (mode == IF_NAMED)
		put(k, in->interface, strlen(in->interface) + 1);
}

static void report(struct ka_config *cfg, const struct ka_instance *a, const struct ka_instance *b,
		   bool sure)
{
	char dst[64];
	struct ka_loc at = b->loc.vrid.line ? b->loc.vrid : (struct ka_loc){ b->file, b->line };

	ka_addr_str(&b->mcast_dst, dst, sizeof(dst));
	ka_diag(cfg, sure ? KA_DIAG_ERROR : KA_DIAG_WARNING, "duplicate-vrid", at.file, at.line,
		"(%s) VRID %u on %s for IPv%u %s is also used by %s at %s:%u: keepalived %s",
		b->name, b->vrid, b->interface ? b->interface : "?", b->family,
		b->unicast ? "unicast to a common peer" : dst, a->name, a->file, a->line,
		sure ? "refuses to start the VRRP process"
		     : "refuses to start if one's unicast_src_ip is the interface address the other uses");
}

struct vrid_ctx {
	struct ka_config *cfg;
	struct ka_hash chains;
	size_t j;        /* the instance being checked */
	struct hits hits;
};

/* The local address that keys a U chain: NULL when the interface's. */
static const struct ka_addr *src_of(const struct ka_instance *in)
{
	return in->unicast_src_set ? &in->unicast_src : NULL;
}

/* An earlier instance in chain (kind, addr, src) conflicts with this one. */
static void look(struct vrid_ctx *c, char kind, const struct ka_addr *addr,
		 const struct ka_addr *src, bool sure)
{
	struct ka_instance *in = &c->cfg->inst[c->j];
	enum if_mode modes[2] = { IF_NAMED, IF_NULL };
	size_t n = in->interface ? 2 : 1;
	struct key k;

	if (!in->interface)
		modes[0] = IF_ANY;
	for (size_t m = 0; m < n; m++) {
		struct ka_hent *e;
		size_t *best = sure ? &c->hits.sure : &c->hits.unsure;

		make_key(&k, kind, modes[m], in, addr, src);
		e = ka_hash_find(&c->chains, k.b, k.n);
		if (!e)
			continue;
		if (e->val < *best)
			*best = e->val;
		/* every member of a sure chain conflicts with every other one:
		 * its first is the one that may not be rejected yet */
		if (sure)
			in->rejected = c->cfg->inst[e->val].rejected = true;
	}
}

static void join(struct vrid_ctx *c, char kind, const struct ka_addr *addr, const struct ka_addr *src)
{
	const struct ka_instance *in = &c->cfg->inst[c->j];
	enum if_mode modes[2] = { in->interface ? IF_NAMED : IF_NULL, IF_ANY };
	struct key k;

	for (size_t m = 0; m < 2; m++) {
		bool added;
		struct ka_hent *e;

		make_key(&k, kind, modes[m], in, addr, src);
		e = ka_hash_add(&c->chains, k.b, k.n, &added);
		if (added)
			e->val = c->j;
		else if (e->last == c->j)
			continue; /* a peer listed twice */
		e->last = c->j;
		e->count++;
		e->flag |= !in->interface;
	}
}

static void check_instance(struct vrid_ctx *c)
{
	const struct ka_instance *in = &c->cfg->inst[c->j];

	c->hits = (struct hits){ SIZE_MAX, SIZE_MAX };
	if (!in->unicast) {
		look(c, 'M', &in->mcast_dst, NULL, true);
		join(c, 'M', &in->mcast_dst, NULL);
		return;
	}
	/* all looks before any join: a peer listed twice is not a conflict */
	for (size_t p = 0; p < in->n_peers; p++) {
		look(c, 'U', &in->peers[p], src_of(in), true);
		/* one local address given, the other not: only a warning */
		if (in->unicast_src_set)
			look(c, 'U', &in->peers[p], NULL, false);
		else
			look(c, 'A', &in->peers[p], NULL, false);
	}
	for (size_t p = 0; p < in->n_peers; p++) {
		join(c, 'U', &in->peers[p], src_of(in));
		if (in->unicast_src_set)
			join(c, 'A', &in->peers[p], NULL);
	}
}

/* An instance without interface meets all of an ANY chain: every member
 * of a sure ANY chain holding one is rejected, not only the first. */
static void mark_wildcard_members(struct vrid_ctx *c)
{
	for (size_t j = 0; j < c->cfg->n_inst; j++) {
		struct ka_instance *in = &c->cfg->inst[j];
		size_t n = in->unicast ? in->n_peers : 1;

		for (size_t p = 0; in->vrid && p < n && !in->rejected; p++) {
			struct key k;
			struct ka_hent *e;

			make_key(&k, in->unicast ? 'U' : 'M', IF_ANY, in,
				 in->unicast ? &in->peers[p] : &in->mcast_dst,
				 in->unicast ? src_of(in) : NULL);
			e = ka_hash_find(&c->chains, k.b, k.n);
			if (e && e->flag && e->count > 1)
				in->rejected = true;
		}
	}
}

void ka_check_vrid_conflicts(struct ka_config *cfg)
{
	struct vrid_ctx c = { .cfg = cfg };

	for (c.j = 0; c.j < cfg->n_inst; c.j++) {
		struct ka_instance *in = &cfg->inst[c.j];

		if (!in->vrid)
			continue;
		check_instance(&c);
		if (c.hits.sure != SIZE_MAX)
			report(cfg, &cfg->inst[c.hits.sure], in, true);
		else if (c.hits.unsure != SIZE_MAX)
			report(cfg, &cfg->inst[c.hits.unsure], in, false);
	}
	mark_wildcard_members(&c);
	ka_hash_free(&c.chains);
}
