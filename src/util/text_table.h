/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * text_table.h - aligned columns for the terminal reporter: cells are
 * collected first, each column's width kept as they come, then printed
 * (the last column is not padded, so long address lists do not push
 * everything right).
 */
#ifndef VRRPWATCH_TEXT_TABLE_H
#define VRRPWATCH_TEXT_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define TEXT_TABLE_MAX_COLS 32

struct text_table {
	size_t n_cols; /* at most TEXT_TABLE_MAX_COLS */
	char **cells; /* row-major, n_rows * n_cols */
	size_t n_rows, cap_rows;
	size_t width[TEXT_TABLE_MAX_COLS]; /* the widest cell of each column */
	int failed;   /* an allocation failed; printing shows what fit */
};

void text_table_init(struct text_table *t, size_t n_cols);
/* Append a row of n_cols printf-free strings (copied).  Out of memory the
 * row stays, its cells empty; a table of no or more than
 * TEXT_TABLE_MAX_COLS columns takes no rows.  Either sets failed. */
void text_table_row(struct text_table *t, const char *const *cells);
void text_table_print(const struct text_table *t, FILE *out, const char *indent);
void text_table_free(struct text_table *t);

#endif
