// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/domain.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr_fmt.h"

bool vw_addr_is_multicast(uint8_t family, const uint8_t *a)
{
	return family == 6 ? a[0] == 0xff : (a[0] & 0xf0) == 0xe0;
}

bool vw_same_address_set(const struct vw_row *a, const struct vw_row *b)
{
	return a->val.naddr == b->val.naddr && a->val.addr_hash == b->val.addr_hash;
}

bool vw_disjoint_address_sets(const struct vw_row *a, const struct vw_row *b)
{
	unsigned alen = a->key.family == 6 ? 16 : 4;
	const uint8_t *x, *y;

	for (unsigned i = 0; (x = vw_row_address(a, i)); i++)
		for (unsigned j = 0; (y = vw_row_address(b, j)); j++)
			if (!memcmp(x, y, alen))
				return false;
	return true;
}

/* Rows of one bucket (segment, VLANs, family, VRID) sort together,
 * multicast before unicast, then by destination. */
static int cmp_bucket(const struct vw_row *a, const struct vw_row *b)
{
	const struct vw_obs_key *x = &a->key, *y = &b->key;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	for (int i = 0; i < VW_MAX_VLAN; i++)
		if (x->vlan[i] != y->vlan[i])
			return x->vlan[i] < y->vlan[i] ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->vrid != y->vrid)
		return x->vrid < y->vrid ? -1 : 1;
	return 0;
}

static int cmp_members(const void *pa, const void *pb)
{
	const struct vw_member *a = pa, *b = pb;
	int c = cmp_bucket(a->row, b->row);

	if (c)
		return c;
	bool ma = vw_addr_is_multicast(a->row->key.family, a->row->key.dst);
	bool mb = vw_addr_is_multicast(b->row->key.family, b->row->key.dst);
	if (ma != mb)
		return ma ? -1 : 1;
	if ((c = memcmp(a->row->key.dst, b->row->key.dst, 16)))
		return c;
	return memcmp(a->row->key.src, b->row->key.src, 16);
}

static int add_domain(struct vw_domain_set *s, size_t cap, struct vw_member *m, size_t n,
		      bool unicast)
{
	const struct vw_obs_key *k = &m[0].row->key;
	char a[VW_ADDR_STRLEN];

	if (s->n == cap)
		return -ENOMEM;
	struct vw_domain *d = &s->d[s->n++];
	memset(d, 0, sizeof(*d));
	d->m = m;
	d->n = d->n_all = n;
	if (n > s->most)
		s->most = n;
	d->unicast = unicast;
	d->id.segment = k->ifindex;
	d->id.vlan[0] = k->vlan[0];
	d->id.vlan[1] = k->vlan[1];
	d->id.family = k->family;
	d->id.vrid = k->vrid;
	if (!unicast) {
		/* most domains share their group address (224.0.0.18, ff02::12):
		 * worded once per run of them, not per domain (a replay groups
		 * again whenever an advertiser comes or goes) */
		const struct vw_domain *p = s->n > 1 ? &s->d[s->n - 2] : NULL;
		if (p && !p->unicast && p->id.family == k->family &&
		    !memcmp(p->m[0].row->key.dst, k->dst, 16))
			memcpy(d->id.receivers, p->id.receivers, sizeof(d->id.receivers));
		else
			vw_ip_str(k->family, k->dst, d->id.receivers, sizeof(d->id.receivers));
		return 0;
	}
	/* name a unicast domain by its lowest source and destination */
	const uint8_t *low = k->src;
	for (size_t i = 0; i < n; i++) {
		if (memcmp(m[i].row->key.src, low, 16) < 0)
			low = m[i].row->key.src;
		if (memcmp(m[i].row->key.dst, low, 16) < 0)
			low = m[i].row->key.dst;
	}
	snprintf(d->id.receivers, sizeof(d->id.receivers), "unicast %s",
		 vw_ip_str(k->family, low, a, sizeof(a)));
	return 0;
}

/* Union-find over member indices, with path halving. */
static size_t uf_find(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	/* the lower index is the root: a component is named by its first member */
	if (a < b)
		parent[b] = a;
	else if (b < a)
		parent[a] = b;
}

struct addr_ref {
	const uint8_t *addr;
	size_t member;
};

static int cmp_addr_ref(const void *pa, const void *pb)
{
	const struct addr_ref *a = pa, *b = pb;
	int c = memcmp(a->addr, b->addr, 16);

	if (c)
		return c;
	return a->member < b->member ? -1 : a->member > b->member;
}

/* Unicast rows of one bucket: connected components of the "sends to" graph
 * (two rows are connected when they share an address, as source or
 * destination).  The members are reordered so that each component is
 * contiguous, components in the order of their first member, members in
 * their sorted order within.  Sorting the addresses makes it n log n. */
static int split_unicast(struct vw_domain_set *s, size_t cap, struct vw_member *m, size_t n)
{
	size_t *parent = malloc(n * sizeof(*parent));
	size_t *comp = malloc(n * sizeof(*comp)); /* component ordinal of each member */
	size_t *start = calloc(n + 1, sizeof(*start));
	struct addr_ref *refs = malloc(2 * n * sizeof(*refs));
	struct vw_member *tmp = malloc(n * sizeof(*tmp));
	int rc = -ENOMEM;

	if (!parent || !comp || !start || !refs || !tmp)
		goto out;
	for (size_t i = 0; i < n; i++) {
		parent[i] = i;
		refs[2 * i] = (struct addr_ref){m[i].row->key.src, i};
		refs[2 * i + 1] = (struct addr_ref){m[i].row->key.dst, i};
	}
	qsort(refs, 2 * n, sizeof(*refs), cmp_addr_ref);
	for (size_t i = 1; i < 2 * n; i++)
		if (!memcmp(refs[i].addr, refs[i - 1].addr, 16))
			uf_union(parent, refs[i].member, refs[i - 1].member);
	/* number the components by their first member; count their sizes */
	size_t n_comp = 0;
	for (size_t i = 0; i < n; i++) {
		size_t r = uf_find(parent, i);
		comp[i] = r == i ? n_comp++ : comp[r]; /* the root comes first */
		start[comp[i] + 1]++;
	}
	for (size_t c = 0; c < n_comp; c++)
		start[c + 1] += start[c];
	/* a stable counting sort by component */
	size_t *fill = parent; /* no longer needed as such */
	memcpy(fill, start, n_comp * sizeof(*fill));
	for (size_t i = 0; i < n; i++)
		tmp[fill[comp[i]]++] = m[i];
	memcpy(m, tmp, n * sizeof(*m));
	rc = 0;
	for (size_t c = 0; c < n_comp && !rc; c++)
		rc = add_domain(s, cap, m + start[c], start[c + 1] - start[c], true);
out:
	free(parent);
	free(comp);
	free(start);
	free(refs);
	free(tmp);
	return rc;
}

static int group(struct vw_domain_set *s, size_t cap)
{
	struct vw_member *m = s->members;
	size_t i = 0, n = s->n_members;

	while (i < n) {
		size_t j = i + 1;
		while (j < n && !cmp_bucket(m[i].row, m[j].row))
			j++;
		size_t k = i; /* multicast, one domain per group address */
		while (k < j && vw_addr_is_multicast(m[k].row->key.family, m[k].row->key.dst)) {
			size_t e = k + 1;
			while (e < j && vw_addr_is_multicast(m[e].row->key.family, m[e].row->key.dst) &&
			       !memcmp(m[e].row->key.dst, m[k].row->key.dst, 16))
				e++;
			if (add_domain(s, cap, m + k, e - k, false))
				return -ENOMEM;
			k = e;
		}
		if (k < j && split_unicast(s, cap, m + k, j - k))
			return -ENOMEM;
		i = j;
	}
	return 0;
}

/* Rows by member order; equal ones (the same source and destination)
 * by their place in the table, as the stable sort of the members in
 * table order leaves them. */
static int cmp_row_index(const void *pa, const void *pb, void *ctx)
{
	const struct vw_table *t = ctx;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	struct vw_member x = {.row = &t->rows[a]}, y = {.row = &t->rows[b]};
	int c = cmp_members(&x, &y);

	return c ? c : a < b ? -1 : a > b;
}

int vw_domains_order(const struct vw_table *t, uint32_t **order)
{
	uint32_t *v = malloc((t->n_rows + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_rows; i++)
		v[i] = (uint32_t)i;
	qsort_r(v, t->n_rows, sizeof(*v), cmp_row_index, (void *)t);
	*order = v;
	return 0;
}

int vw_domains_build_ordered(struct vw_domain_set *s, const struct vw_table *t,
			     const struct vw_activity_map *am, bool active_only,
			     const uint32_t *order)
{
	memset(s, 0, sizeof(*s));
	s->members = calloc(t->n_rows + 1, sizeof(*s->members));
	s->d = calloc(t->n_rows + 1, sizeof(*s->d));
	if (!s->members || !s->d) {
		vw_domains_free(s);
		return -ENOMEM;
	}
	bool by_row = vw_activity_indexes(am, t); /* no hash lookup per row */

	for (size_t i = 0; i < t->n_rows; i++) {
		const struct vw_row *r = &t->rows[order[i]];
		const struct vw_activity *a =
			by_row ? vw_activity_at_row(am, order[i]) : vw_activity_of(am, &r->key);
		/* a resignation ends the episode, but is news of this tick */
		if (!a || (active_only && !a->active && !a->resigned))
			continue;
		s->members[s->n_members].row = r;
		s->members[s->n_members].act = a;
		s->n_members++;
	}
	int rc = group(s, t->n_rows + 1);
	if (rc)
		vw_domains_free(s);
	return rc;
}

int vw_domains_build(struct vw_domain_set *s, const struct vw_table *t,
		     const struct vw_activity_map *am, bool active_only)
{
	uint32_t *order;

	if (vw_domains_order(t, &order)) {
		memset(s, 0, sizeof(*s));
		return -ENOMEM;
	}
	int rc = vw_domains_build_ordered(s, t, am, active_only, order);
	free(order);
	return rc;
}

bool vw_domain_id_equal(const struct vw_domain_id *a, const struct vw_domain_id *b)
{
	return a->segment == b->segment && a->vlan[0] == b->vlan[0] && a->vlan[1] == b->vlan[1] &&
	       a->family == b->family && a->vrid == b->vrid && !strcmp(a->receivers, b->receivers);
}

void vw_domains_free(struct vw_domain_set *s)
{
	free(s->members);
	free(s->d);
	memset(s, 0, sizeof(*s));
}

/* Busiest first; ties: judged at the previous tick, oldest, then the key. */
static int cmp_busiest(const void *pa, const void *pb, void *ctx)
{
	const struct vw_member *a = pa, *b = pb;
	const struct vw_obs_key *x = &a->row->key, *y = &b->row->key;
	uint64_t prev = *(const uint64_t *)ctx;
	int c;

	if (a->row->val.packets != b->row->val.packets)
		return a->row->val.packets > b->row->val.packets ? -1 : 1;
	bool ja = a->act->judged_tick == prev, jb = b->act->judged_tick == prev;
	if (ja != jb)
		return ja ? -1 : 1;
	if (a->act->start_ns != b->act->start_ns)
		return a->act->start_ns < b->act->start_ns ? -1 : 1;
	if ((c = memcmp(x->src, y->src, 16)) || (c = memcmp(x->src_mac, y->src_mac, 6)))
		return c;
	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	return memcmp(x->dst, y->dst, 16);
}

void vw_domain_limit(struct vw_domain *d, size_t k, uint64_t prev_tick)
{
	d->n = d->n_all;
	if (!k || d->n_all <= k)
		return;
	qsort_r(d->m, d->n_all, sizeof(*d->m), cmp_busiest, &prev_tick);
	d->n = k;
}

const char *vw_domain_where(const struct vw_table *t, const struct vw_domain_id *id, char *buf,
			    size_t len)
{
	const struct vw_segment *seg = vw_table_segment(t, id->segment);
	char vlan[VW_VLAN_STRLEN];

	if (id->vlan[0])
		snprintf(buf, len, "%s VLAN %s (%s)", seg ? seg->name : "?",
			 vw_vlan_str(id->vlan, vlan, sizeof(vlan)), id->receivers);
	else
		snprintf(buf, len, "%s (%s)", seg ? seg->name : "?", id->receivers);
	return buf;
}
