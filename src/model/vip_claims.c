// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vip_claims.c - who claims each virtual address (see vip_claims.h).
 * Rows and watched addresses live in dense arrays, allocated at their
 * bound on first use, with an open-addressing index each (no deletion).
 */
#include "model/vip_claims.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(struct vw_claim_key) == 32, "vw_claim_key must stay 32 bytes, unpadded");
_Static_assert(sizeof(struct vw_watch_key) == 24, "vw_watch_key must stay 24 bytes");

static const char *const kind_names[] = {
#define VW_CLAIM_NAME(name, str) str,
	VW_CLAIM_KINDS(VW_CLAIM_NAME)
#undef VW_CLAIM_NAME
};

const char *vw_claim_kind_name(unsigned kind)
{
	return kind < VW_CLAIM_COUNT ? kind_names[kind] : "?";
}

bool vw_is_vrrp_vmac(const uint8_t *mac, uint8_t family, uint8_t vrid)
{
	return mac[0] == 0 && mac[1] == 0 && mac[2] == 0x5e && mac[3] == 0 &&
	       mac[4] == (family == 6 ? 2 : 1) && mac[5] == vrid;
}

int vw_vips_init(struct vw_vip_claims *v)
{
	memset(v, 0, sizeof(*v));
	return 0;
}

void vw_vips_free(struct vw_vip_claims *v)
{
	free(v->rows);
	free(v->slots);
	free(v->watch);
	free(v->watch_slots);
	free(v->hosts);
	memset(v, 0, sizeof(*v));
}

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h ^ h >> 29;
}

static int ensure_rows(struct vw_vip_claims *v)
{
	if (v->rows)
		return 0;
	v->n_slots = 2 * VW_VIP_MAX_ROWS;
	v->rows = calloc(VW_VIP_MAX_ROWS, sizeof(*v->rows));
	v->slots = calloc(v->n_slots, sizeof(*v->slots));
	if (!v->rows || !v->slots) {
		free(v->rows);
		free(v->slots);
		v->rows = NULL;
		v->slots = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The slot holding k, or the empty one where it would go. */
static uint32_t *row_slot(const struct vw_vip_claims *v, const struct vw_claim_key *k)
{
	size_t mask = v->n_slots - 1, i = hash_bytes((const uint8_t *)k, sizeof(*k)) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t s = v->slots[i];
		if (!s || !memcmp(&v->rows[s - 1].key, k, sizeof(*k)))
			return &v->slots[i];
	}
}

struct vw_claim_row *vw_vips_find(const struct vw_vip_claims *v, const struct vw_claim_key *k)
{
	if (!v->rows)
		return NULL;
	uint32_t s = *row_slot(v, k);
	return s ? &v->rows[s - 1] : NULL;
}

static struct vw_claim_row *row_get(struct vw_vip_claims *v, const struct vw_claim_key *k)
{
	if (ensure_rows(v))
		return NULL;
	uint32_t *s = row_slot(v, k);
	if (*s)
		return &v->rows[*s - 1];
	if (v->n_rows == VW_VIP_MAX_ROWS) {
		v->rows_refused++;
		return NULL;
	}
	struct vw_claim_row *r = &v->rows[v->n_rows++];
	memset(r, 0, sizeof(*r));
	r->key = *k;
	*s = (uint32_t)v->n_rows;
	return r;
}

int vw_vips_merge(struct vw_vip_claims *v, const struct vw_claim_key *k, uint64_t count,
		  uint64_t first_ns, uint64_t last_ns)
{
	struct vw_claim_row *r = row_get(v, k);

	if (!r)
		return -ENOSPC;
	if (!r->val.count || first_ns < r->val.first_ns)
		r->val.first_ns = first_ns;
	if (last_ns > r->val.last_ns)
		r->val.last_ns = last_ns;
	r->val.count += count;
	v->claims += count;
	return 0;
}

int vw_vips_count(struct vw_vip_claims *v, const struct vw_claim_key *k, uint64_t ts_ns)
{
	return vw_vips_merge(v, k, 1, ts_ns, ts_ns);
}

static void watch_key(uint8_t *buf, uint8_t family, const uint8_t *addr)
{
	memset(buf, 0, 17);
	buf[0] = family;
	memcpy(buf + 1, addr, family == 6 ? 16 : 4);
}

static uint32_t *watch_slot(const struct vw_vip_claims *v, uint8_t family, const uint8_t *addr)
{
	uint8_t kb[17], other[17];
	size_t mask = v->n_watch_slots - 1;

	watch_key(kb, family, addr);
	for (size_t i = hash_bytes(kb, sizeof(kb)) & mask;; i = (i + 1) & mask) {
		uint32_t s = v->watch_slots[i];
		if (!s)
			return &v->watch_slots[i];
		const struct vw_watch *w = &v->watch[s - 1];
		watch_key(other, w->family, w->addr);
		if (!memcmp(kb, other, sizeof(kb)))
			return &v->watch_slots[i];
	}
}

const struct vw_watch *vw_vips_watch_of(const struct vw_vip_claims *v, uint8_t family,
					const uint8_t *addr)
{
	if (!v->watch)
		return NULL;
	uint32_t s = *watch_slot(v, family, addr);
	return s ? &v->watch[s - 1] : NULL;
}

bool vw_vips_watched(const struct vw_vip_claims *v, uint8_t family, const uint8_t *addr)
{
	return vw_vips_watch_of(v, family, addr) != NULL;
}

int vw_vips_watch(struct vw_vip_claims *v, uint8_t family, const uint8_t *addr, bool config)
{
	if (family != 4 && family != 6)
		return -EINVAL;
	if (!v->watch) {
		v->n_watch_slots = 2 * VW_VIP_MAX_WATCH;
		v->watch = calloc(VW_VIP_MAX_WATCH, sizeof(*v->watch));
		v->watch_slots = calloc(v->n_watch_slots, sizeof(*v->watch_slots));
		if (!v->watch || !v->watch_slots) {
			free(v->watch);
			free(v->watch_slots);
			v->watch = NULL;
			v->watch_slots = NULL;
			return -ENOMEM;
		}
	}
	uint32_t *s = watch_slot(v, family, addr);
	if (*s) {
		v->watch[*s - 1].from_config |= config;
		return 0;
	}
	if (v->n_watch == VW_VIP_MAX_WATCH) {
		v->watch_refused++;
		return -ENOSPC;
	}
	struct vw_watch *w = &v->watch[v->n_watch++];
	memset(w, 0, sizeof(*w));
	w->family = family;
	memcpy(w->addr, addr, family == 6 ? 16 : 4);
	w->from_config = config;
	*s = (uint32_t)v->n_watch;
	v->watch_gen++;
	return 0;
}

void vw_vips_host(struct vw_vip_claims *v, const uint8_t *mac, uint8_t family,
		  const uint8_t *addr)
{
	struct vw_claim_host *h = (struct vw_claim_host *)vw_vips_host_of(v, mac);

	if (!h) {
		if (!v->hosts && !(v->hosts = calloc(VW_VIP_MAX_HOSTS, sizeof(*v->hosts))))
			return;
		if (v->n_hosts == VW_VIP_MAX_HOSTS)
			return;
		h = &v->hosts[v->n_hosts++];
		memcpy(h->mac, mac, 6);
	}
	h->family = family;
	memset(h->addr, 0, sizeof(h->addr));
	memcpy(h->addr, addr, family == 6 ? 16 : 4);
}

const struct vw_claim_host *vw_vips_host_of(const struct vw_vip_claims *v, const uint8_t *mac)
{
	for (size_t i = 0; i < v->n_hosts; i++)
		if (!memcmp(v->hosts[i].mac, mac, 6))
			return &v->hosts[i];
	return NULL;
}

static int row_cmp(const void *x, const void *y)
{
	const struct vw_claim_key *a = &(*(struct vw_claim_row *const *)x)->key;
	const struct vw_claim_key *b = &(*(struct vw_claim_row *const *)y)->key;
	int c;

	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	if ((c = memcmp(a->vlan, b->vlan, sizeof(a->vlan))))
		return c;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, 16)))
		return c;
	if ((c = memcmp(a->mac, b->mac, 6)))
		return c;
	return (int)a->kind - (int)b->kind;
}

struct vw_claim_row **vw_vips_sorted(const struct vw_vip_claims *v)
{
	struct vw_claim_row **out = malloc((v->n_rows + 1) * sizeof(*out));

	if (!out)
		return NULL;
	for (size_t i = 0; i < v->n_rows; i++)
		out[i] = &v->rows[i];
	qsort(out, v->n_rows, sizeof(*out), row_cmp);
	return out;
}
