// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/text_table.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

void text_table_init(struct text_table *t, size_t n_cols)
{
	memset(t, 0, sizeof(*t));
	t->n_cols = n_cols;
}

/* The cells of a row whose block could not be allocated (never freed). */
static char no_cells[1];

/* A row's strings go in one block (its first cell points at it): a report
 * of a thousand advertisers makes sixteen thousand cells. */
void text_table_row(struct text_table *t, const char *const *cells)
{
	size_t len[TEXT_TABLE_MAX_COLS], total = 0;

	if (!t->n_cols || t->n_cols > TEXT_TABLE_MAX_COLS) {
		t->failed = 1;
		return;
	}
	/* an element is a row: n_cols cells */
	char **c = vw_grow(t->cells, &t->cap_rows, t->n_rows + 1, t->n_cols * sizeof(*c), 16);
	if (!c) {
		t->failed = 1;
		return;
	}
	t->cells = c;
	for (size_t i = 0; i < t->n_cols; i++)
		total += (len[i] = cells[i] ? strlen(cells[i]) : 0) + 1;
	char *block = malloc(total);
	char **row = &t->cells[t->n_rows * t->n_cols];
	if (!block) { /* out of memory: the row stays, its cells empty */
		t->failed = 1;
		for (size_t i = 0; i < t->n_cols; i++)
			row[i] = no_cells;
		t->n_rows++;
		return;
	}
	for (size_t i = 0; i < t->n_cols; i++) {
		row[i] = block;
		if (len[i])
			memcpy(block, cells[i], len[i]);
		block[len[i]] = 0;
		block += len[i] + 1;
		if (len[i] > t->width[i])
			t->width[i] = len[i];
	}
	t->n_rows++;
}

/* The lines go out through a buffer of their own: one stdio call per few
 * kilobytes instead of two per cell (a thousand advertisers' report). */
struct out_buf {
	FILE *f;
	size_t n;
	char b[8192];
};

static void flush(struct out_buf *o)
{
	fwrite(o->b, 1, o->n, o->f);
	o->n = 0;
}

static void put(struct out_buf *o, const char *s, size_t n)
{
	if (n > sizeof(o->b) - o->n) {
		flush(o);
		if (n > sizeof(o->b)) {
			fwrite(s, 1, n, o->f);
			return;
		}
	}
	memcpy(o->b + o->n, s, n);
	o->n += n;
}

static void put_spaces(struct out_buf *o, size_t n)
{
	while (n) {
		if (o->n == sizeof(o->b))
			flush(o);
		size_t k = sizeof(o->b) - o->n < n ? sizeof(o->b) - o->n : n;
		memset(o->b + o->n, ' ', k);
		o->n += k;
		n -= k;
	}
}

void text_table_print(const struct text_table *t, FILE *out, const char *indent)
{
	struct out_buf o = {.f = out};
	size_t indent_len = strlen(indent);

	for (size_t r = 0; r < t->n_rows; r++) {
		char *const *row = &t->cells[r * t->n_cols];
		size_t last = t->n_cols; /* no padding after the last non-empty cell */
		while (last > 1 && !row[last - 1][0])
			last--;
		put(&o, indent, indent_len);
		for (size_t c = 0; c < last; c++) {
			size_t len = strlen(row[c]);
			put(&o, row[c], len);
			if (c + 1 == last)
				put(&o, "\n", 1);
			else
				put_spaces(&o, t->width[c] - len + 2);
		}
	}
	flush(&o);
}

void text_table_free(struct text_table *t)
{
	for (size_t r = 0; r < t->n_rows; r++)
		if (t->cells[r * t->n_cols] != no_cells)
			free(t->cells[r * t->n_cols]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
