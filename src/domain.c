// SPDX-License-Identifier: GPL-2.0-or-later
#include "domain.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "addr_fmt.h"

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
	d->n = n;
	d->unicast = unicast;
	d->id.segment = k->ifindex;
	d->id.vlan[0] = k->vlan[0];
	d->id.vlan[1] = k->vlan[1];
	d->id.family = k->family;
	d->id.vrid = k->vrid;
	if (!unicast) {
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

/* Unicast rows of one bucket: connected components of the "sends to" graph.
 * The members are reordered so that each component is contiguous. */
static int split_unicast(struct vw_domain_set *s, size_t cap, struct vw_member *m, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t end = done + 1;
		bool grew = true;
		while (grew) { /* pull in every row touching the component */
			grew = false;
			for (size_t j = end; j < n; j++) {
				for (size_t i = done; i < end; i++) {
					const struct vw_obs_key *x = &m[i].row->key, *y = &m[j].row->key;
					if (memcmp(x->src, y->src, 16) && memcmp(x->src, y->dst, 16) &&
					    memcmp(x->dst, y->src, 16) && memcmp(x->dst, y->dst, 16))
						continue;
					struct vw_member tmp = m[end];
					m[end] = m[j];
					m[j] = tmp;
					end++;
					grew = true;
					break;
				}
			}
		}
		if (add_domain(s, cap, m + done, end - done, true))
			return -ENOMEM;
		done = end;
	}
	return 0;
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

int vw_domains_build(struct vw_domain_set *s, const struct vw_table *t,
		     const struct vw_activity_map *am, bool active_only)
{
	memset(s, 0, sizeof(*s));
	s->members = calloc(t->n_rows + 1, sizeof(*s->members));
	s->d = calloc(t->n_rows + 1, sizeof(*s->d));
	if (!s->members || !s->d) {
		vw_domains_free(s);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->n_rows; i++) {
		const struct vw_activity *a = vw_activity_of(am, &t->rows[i].key);
		/* a resignation ends the episode, but is news of this tick */
		if (!a || (active_only && !a->active && !a->resigned))
			continue;
		s->members[s->n_members].row = &t->rows[i];
		s->members[s->n_members].act = a;
		s->n_members++;
	}
	qsort(s->members, s->n_members, sizeof(*s->members), cmp_members);
	int rc = group(s, t->n_rows + 1);
	if (rc)
		vw_domains_free(s);
	return rc;
}

void vw_domains_free(struct vw_domain_set *s)
{
	free(s->members);
	free(s->d);
	memset(s, 0, sizeof(*s));
}
