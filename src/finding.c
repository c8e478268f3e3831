// SPDX-License-Identifier: GPL-2.0-or-later
#include "finding.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>


const char *vw_kind_name(enum vw_kind k)
{
#define VW_KIND_NAME(name, str) str,
	static const char *const names[] = {VW_FINDING_KINDS(VW_KIND_NAME)};
#undef VW_KIND_NAME
	return (unsigned)k < VW_K_COUNT ? names[k] : "unknown";
}

const char *vw_severity_name(enum vw_severity s)
{
	switch (s) {
	case VW_SEV_CRITICAL:
		return "critical";
	case VW_SEV_WARNING:
		return "warning";
	default:
		return "info";
	}
}

void vw_findings_init(struct vw_findings *l)
{
	memset(l, 0, sizeof(*l));
}

void vw_findings_free(struct vw_findings *l)
{
	free(l->v);
	free(l->raised);
	memset(l, 0, sizeof(*l));
}

void vw_findings_begin_tick(struct vw_findings *l)
{
	if (l->n)
		memset(l->raised, 0, l->n * sizeof(*l->raised));
	l->changes = 0;
}

static bool same_identity(const struct vw_finding *a, const struct vw_finding *b)
{
	return a->kind == b->kind && a->d.segment == b->d.segment &&
	       a->d.vlan[0] == b->d.vlan[0] && a->d.vlan[1] == b->d.vlan[1] &&
	       a->d.family == b->d.family && a->d.vrid == b->d.vrid &&
	       !strcmp(a->d.receivers, b->d.receivers) && !strcmp(a->subject, b->subject);
}

static int grow(struct vw_findings *l)
{
	size_t cap = l->cap ? l->cap * 2 : 16;
	struct vw_finding *v = realloc(l->v, cap * sizeof(*v));

	if (!v)
		return -ENOMEM;
	l->v = v;
	bool *r = realloc(l->raised, cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	l->raised = r;
	l->cap = cap;
	return 0;
}

/* Keep the first time ever seen, the newest evidence and text. */
static void update(struct vw_finding *old, const struct vw_finding *f)
{
	uint64_t first = old->first_ns < f->first_ns ? old->first_ns : f->first_ns;
	uint64_t last = old->last_ns > f->last_ns ? old->last_ns : f->last_ns;
	unsigned count = old->count;
	bool was_open = old->open;

	*old = *f;
	old->first_ns = first;
	old->last_ns = last;
	old->count = count + (f->event || !was_open ? 1 : 0);
	old->open = !f->event;
}

static void merge_sources(struct vw_finding *old, const struct vw_finding *f)
{
	struct vw_finding merged = *f;

	for (unsigned i = 0; i < old->n_src && merged.n_src < VW_FINDING_MAX_SOURCES; i++) {
		bool have = false;
		for (unsigned j = 0; j < merged.n_src; j++)
			have |= !memcmp(merged.src[j].src, old->src[i].src, 16) &&
				!memcmp(merged.src[j].mac, old->src[i].mac, 6);
		if (!have)
			merged.src[merged.n_src++] = old->src[i];
	}
	merged.first_ns = old->first_ns < f->first_ns ? old->first_ns : f->first_ns;
	merged.last_ns = old->last_ns > f->last_ns ? old->last_ns : f->last_ns;
	merged.count = old->count;
	merged.open = old->open;
	*old = merged;
}

int vw_findings_raise(struct vw_findings *l, const struct vw_finding *f)
{
	for (size_t i = 0; i < l->n; i++) {
		if (!same_identity(&l->v[i], f))
			continue;
		if (l->raised[i] && !f->event) {
			/* raised twice in one tick (the wire rule, then the same
			 * finding told against the config): one finding, the later
			 * text, the sources of both */
			merge_sources(&l->v[i], f);
			return 0;
		}
		if (!l->v[i].open && !f->event)
			l->changes++;
		update(&l->v[i], f);
		l->raised[i] = true;
		return 0;
	}
	if (l->n == l->cap && grow(l))
		return -ENOMEM;
	l->v[l->n] = *f;
	l->v[l->n].count = 1;
	l->v[l->n].open = !f->event;
	l->raised[l->n] = true;
	l->n++;
	l->changes++;
	return 0;
}

void vw_findings_end_tick(struct vw_findings *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].open && !l->raised[i]) {
			l->v[i].open = false;
			l->changes++;
		}
}

static int cmp_findings(const void *pa, const void *pb)
{
	const struct vw_finding *a = *(const struct vw_finding *const *)pa;
	const struct vw_finding *b = *(const struct vw_finding *const *)pb;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = strcmp(a->interface, b->interface)))
		return c;
	for (int i = 0; i < VW_MAX_VLAN; i++)
		if (a->d.vlan[i] != b->d.vlan[i])
			return a->d.vlan[i] < b->d.vlan[i] ? -1 : 1;
	if (a->d.vrid != b->d.vrid)
		return a->d.vrid < b->d.vrid ? -1 : 1;
	if (a->d.family != b->d.family)
		return a->d.family < b->d.family ? -1 : 1;
	if ((c = strcmp(a->d.receivers, b->d.receivers)))
		return c;
	return strcmp(a->subject, b->subject);
}

const struct vw_finding **vw_findings_sorted(const struct vw_findings *l)
{
	const struct vw_finding **v = malloc((l->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		v[i] = &l->v[i];
	qsort(v, l->n, sizeof(*v), cmp_findings);
	return v;
}

bool vw_findings_alarming(const struct vw_findings *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].severity >= VW_SEV_WARNING)
			return true;
	return false;
}

void vw_evidence_from_row(struct vw_evidence *e, const struct vw_row *r)
{
	memset(e, 0, sizeof(*e));
	e->family = r->key.family;
	e->dir = r->key.dir;
	e->priority = r->val.priority;
	e->version = r->val.version;
	e->auth_type = r->val.auth_type;
	e->csum_variant = r->val.csum_variant;
	memcpy(e->src, r->key.src, sizeof(e->src));
	memcpy(e->mac, r->key.src_mac, sizeof(e->mac));
	e->interval_cs = r->val.interval_cs;
	e->packets = r->val.packets;
	e->first_ns = r->val.first_ns;
	e->last_ns = r->val.last_ns;
	vw_row_addresses_str(r, 8, e->addresses, sizeof(e->addresses));
}
