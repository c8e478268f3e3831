// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/text_table.h"

#define MAX_ROWS 4

/* A table given as rows of cells, and what printing it must write. */
struct table_case {
	const char *name;
	size_t n_cols;
	const char *rows[MAX_ROWS][4];
	size_t n_rows;
	const char *indent;
	const char *want;
};

static const struct table_case cases[] = {
	{"columns as wide as their widest cell, two spaces between",
	 3,
	 {{"VRID", "SRC", "PRIO"}, {"51", "198.18.0.1", "150"}, {"7", "fd00::2", "9"}},
	 3,
	 "",
	 "VRID  SRC         PRIO\n"
	 "51    198.18.0.1  150\n"
	 "7     fd00::2     9\n"},
	{"the last column is not padded, empty cells at the end are left out",
	 3,
	 {{"A", "B", "NOTES"}, {"1", "2", ""}, {"333", "", ""}},
	 3,
	 "",
	 "A    B  NOTES\n"
	 "1    2\n"
	 "333\n"},
	{"a NULL cell is an empty one, the indent leads every line",
	 2,
	 {{"x", NULL}, {NULL, "y"}},
	 2,
	 "  ",
	 "  x\n"
	 "     y\n"},
	{"a cell wider than the padding written at once",
	 2,
	 {{"0123456789012345678901234567890123456789", "z"}, {"a", "b"}},
	 2,
	 "",
	 "0123456789012345678901234567890123456789  z\n"
	 "a                                         b\n"},
	{"no rows print nothing", 2, {{NULL}}, 0, "", ""},
};

static char *print_table(const struct table_case *c)
{
	struct text_table t;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	text_table_init(&t, c->n_cols);
	for (size_t r = 0; r < c->n_rows; r++)
		text_table_row(&t, c->rows[r]);
	assert_int_equal(t.failed, 0);
	assert_int_equal(t.n_rows, c->n_rows);
	text_table_print(&t, f, c->indent);
	text_table_free(&t);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_printed_tables(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = print_table(&cases[i]);
		if (strcmp(got, cases[i].want))
			fail_msg("%s:\n--- got\n%s--- want\n%s", cases[i].name, got, cases[i].want);
		free(got);
	}
}

/* The cells are copied: the caller's buffers may change after a row. */
static void test_cells_are_copied(void **state)
{
	struct text_table t;
	char cell[8] = "abc", *out = NULL;
	const char *row[2] = {cell, "d"};
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	assert_non_null(f);
	text_table_init(&t, 2);
	text_table_row(&t, row);
	strcpy(cell, "zz");
	text_table_row(&t, row);
	text_table_print(&t, f, "");
	text_table_free(&t);
	fclose(f);
	assert_string_equal(out, "abc  d\nzz   d\n");
	free(out);
}

/* Output past the printer's own buffer (8 KiB): a cell longer than it,
 * padding that crosses its end, a thousand rows; byte for byte what the
 * rows make when written out one by one. */
static void test_output_longer_than_a_buffer(void **state)
{
	enum { LONG = 20000, ROWS = 1000 };
	struct text_table t;
	char *big = malloc(LONG + 1), *got = NULL, *want = NULL;
	size_t got_len = 0, want_len = 0;
	FILE *g = open_memstream(&got, &got_len), *w = open_memstream(&want, &want_len);

	(void)state;
	assert_non_null(big);
	assert_non_null(g);
	assert_non_null(w);
	memset(big, 'x', LONG);
	big[LONG] = 0;
	text_table_init(&t, 3);
	for (int r = 0; r < ROWS; r++) {
		char n[16];
		snprintf(n, sizeof(n), "%d", r);
		const char *c0 = r == 7 ? big : n, *c2 = r % 3 ? "tail" : "";
		const char *row[3] = {c0, "b", c2};
		text_table_row(&t, row);
		/* column 0 is LONG wide, column 1 one; an empty last cell is left out */
		fprintf(w, "  %s%*s%s%s%s\n", c0, (int)(LONG - strlen(c0) + 2), "", "b", *c2 ? "  " : "",
			c2);
	}
	text_table_print(&t, g, "  ");
	text_table_free(&t);
	assert_int_equal(fclose(g), 0);
	assert_int_equal(fclose(w), 0);
	assert_true(got_len > (size_t)ROWS * LONG);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	free(big);
	free(got);
	free(want);
}

/* More columns than the table keeps widths for: refused, not overrun. */
static void test_too_many_columns_refused(void **state)
{
	struct text_table t;
	const char *row[TEXT_TABLE_MAX_COLS + 1] = {"x"};

	(void)state;
	text_table_init(&t, TEXT_TABLE_MAX_COLS + 1);
	text_table_row(&t, row);
	assert_int_equal(t.failed, 1);
	assert_int_equal(t.n_rows, 0);
	text_table_free(&t);
}

/* A table of no columns takes no rows (nothing to allocate or free). */
static void test_no_columns_refused(void **state)
{
	struct text_table t;
	const char *row[1] = {"x"};

	(void)state;
	text_table_init(&t, 0);
	text_table_row(&t, row);
	assert_int_equal(t.failed, 1);
	assert_int_equal(t.n_rows, 0);
	text_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printed_tables),
		cmocka_unit_test(test_cells_are_copied),
		cmocka_unit_test(test_output_longer_than_a_buffer),
		cmocka_unit_test(test_too_many_columns_refused),
		cmocka_unit_test(test_no_columns_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
