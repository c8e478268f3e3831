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

void text_table_row(struct text_table *t, const char *const *cells)
{
	/* an element is a row: n_cols cells */
	char **c = vw_grow(t->cells, &t->cap_rows, t->n_rows + 1, t->n_cols * sizeof(*c), 16);

	if (!c) {
		t->failed = 1;
		return;
	}
	t->cells = c;
	char **row = &t->cells[t->n_rows * t->n_cols];
	for (size_t i = 0; i < t->n_cols; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "");
		if (!row[i])
			t->failed = 1;
	}
	t->n_rows++;
}

void text_table_print(const struct text_table *t, FILE *out, const char *indent)
{
	size_t width[32] = {0};
	size_t n_cols = t->n_cols < 32 ? t->n_cols : 32;

	for (size_t r = 0; r < t->n_rows; r++)
		for (size_t c = 0; c < n_cols; c++) {
			const char *s = t->cells[r * t->n_cols + c];
			size_t w = s ? strlen(s) : 0;
			if (w > width[c])
				width[c] = w;
		}
	for (size_t r = 0; r < t->n_rows; r++) {
		char *const *row = &t->cells[r * t->n_cols];
		size_t last = n_cols; /* no padding after the last non-empty cell */
		while (last > 1 && (!row[last - 1] || !row[last - 1][0]))
			last--;
		fputs(indent, out);
		for (size_t c = 0; c < last; c++) {
			const char *s = row[c] ? row[c] : "";
			if (c + 1 == last)
				fprintf(out, "%s\n", s);
			else
				fprintf(out, "%-*s  ", (int)width[c], s);
		}
	}
}

void text_table_free(struct text_table *t)
{
	for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
