// SPDX-License-Identifier: GPL-2.0-or-later
#include "prom/prom_select.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void vw_prom_limits_default(struct vw_prom_limits *l)
{
	l->max_per_domain = VW_PROM_MAX_PER_DOMAIN;
	l->max_domains = VW_PROM_MAX_DOMAINS;
	l->max_advertisers = VW_PROM_MAX_ADVERTISERS;
	l->max_findings = VW_PROM_MAX_FINDINGS;
}

static int domain_cmp(const struct vw_row *a, const struct vw_row *b, const struct vw_table *t)
{
	return vw_key_domain_compare(&a->key, &b->key, t);
}

/* Everything a series' labels show; the segment id is not among them. */
static int series_cmp(const struct vw_row *a, const struct vw_row *b, const struct vw_table *t)
{
	return vw_row_label_compare(a, b, t);
}

static int cmp_rows(const void *pa, const void *pb, void *ctx)
{
	const struct vw_row *a = *(const struct vw_row *const *)pa;
	const struct vw_row *b = *(const struct vw_row *const *)pb;
	int c = series_cmp(a, b, ctx);

	if (c)
		return c;
	return a->key.ifindex < b->key.ifindex ? -1 : a->key.ifindex > b->key.ifindex;
}

static void add_row(struct vw_prom_series *se, const struct vw_row *r)
{
	se->n_rows++;
	se->adverts += r->val.packets;
	se->bytes += r->val.bytes;
	if (!se->latest || r->val.last_ns > se->latest->val.last_ns)
		se->latest = r;
	if (r->val.last_ns > se->last_ns)
		se->last_ns = r->val.last_ns;
}

static void group_series(struct vw_prom_selection *s, const struct vw_table *t, size_t n_rows)
{
	for (size_t i = 0; i < n_rows; i++) {
		if (!i || series_cmp(s->rows[i - 1], s->rows[i], t))
			s->series[s->n_series++].rows = &s->rows[i];
		add_row(&s->series[s->n_series - 1], s->rows[i]);
	}
}

static void group_domains(struct vw_prom_selection *s, const struct vw_table *t)
{
	for (size_t i = 0; i < s->n_series; i++) {
		struct vw_prom_series *se = &s->series[i];

		if (!i || domain_cmp(s->series[i - 1].rows[0], se->rows[0], t))
			s->domains[s->n_domains++].first = i;
		struct vw_prom_domain *d = &s->domains[s->n_domains - 1];
		d->n++;
		d->adverts += se->adverts;
		se->domain = s->n_domains - 1;
	}
}

/* Busiest first; the label order breaks ties, so the choice is stable. */
static int rank_series(const void *pa, const void *pb, void *ctx)
{
	const struct vw_prom_series *v = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	if (v[a].adverts != v[b].adverts)
		return v[a].adverts > v[b].adverts ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int rank_domains(const void *pa, const void *pb, void *ctx)
{
	const struct vw_prom_domain *v = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	if (v[a].adverts != v[b].adverts)
		return v[a].adverts > v[b].adverts ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void pick_domains(struct vw_prom_selection *s, size_t *idx, unsigned max)
{
	for (size_t i = 0; i < s->n_domains; i++)
		idx[i] = i;
	qsort_r(idx, s->n_domains, sizeof(*idx), rank_domains, s->domains);
	for (size_t i = 0; i < s->n_domains && i < max; i++)
		s->domains[idx[i]].exported = true;
}

static void pick_in_domains(struct vw_prom_selection *s, size_t *idx, unsigned max)
{
	for (size_t d = 0; d < s->n_domains; d++) {
		const struct vw_prom_domain *dom = &s->domains[d];

		if (!dom->exported)
			continue;
		for (size_t i = 0; i < dom->n; i++)
			idx[i] = dom->first + i;
		qsort_r(idx, dom->n, sizeof(*idx), rank_series, s->series);
		for (size_t i = 0; i < dom->n && i < max; i++)
			s->series[idx[i]].exported = true;
	}
}

static void pick_overall(struct vw_prom_selection *s, size_t *idx, unsigned max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n_series; i++)
		if (s->series[i].exported)
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), rank_series, s->series);
	for (size_t i = max; i < n; i++)
		s->series[idx[i]].exported = false;
}

static void count_unexported(struct vw_prom_selection *s)
{
	for (size_t i = 0; i < s->n_series; i++)
		s->unexported_series += !s->series[i].exported;
	for (size_t i = 0; i < s->n_domains; i++)
		s->unexported_domains += !s->domains[i].exported;
}

int vw_prom_select(struct vw_prom_selection *s, const struct vw_table *t,
		   const struct vw_prom_limits *lim)
{
	size_t n = t->n_rows, *idx;

	memset(s, 0, sizeof(*s));
	s->rows = malloc((n + 1) * sizeof(*s->rows));
	s->series = calloc(n + 1, sizeof(*s->series));
	s->domains = calloc(n + 1, sizeof(*s->domains));
	idx = malloc((n + 1) * sizeof(*idx));
	if (!s->rows || !s->series || !s->domains || !idx) {
		free(idx);
		vw_prom_selection_free(s);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		s->rows[i] = &t->rows[i];
	qsort_r(s->rows, n, sizeof(*s->rows), cmp_rows, (void *)t);
	group_series(s, t, n);
	group_domains(s, t);
	pick_domains(s, idx, lim->max_domains);
	pick_in_domains(s, idx, lim->max_per_domain);
	pick_overall(s, idx, lim->max_advertisers);
	count_unexported(s);
	free(idx);
	return 0;
}

void vw_prom_selection_free(struct vw_prom_selection *s)
{
	free(s->rows);
	free(s->series);
	free(s->domains);
	memset(s, 0, sizeof(*s));
}
