// SPDX-License-Identifier: GPL-2.0-or-later
/* util/grow.c: the doubling array every table appends to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/grow.h"

/* An empty array gets its first capacity, then doubles when full; what
 * was stored survives each move. */
static void test_first_then_doubles(void **state)
{
	int *v = NULL;
	size_t cap = 0;

	(void)state;
	for (int i = 0; i < 40; i++) {
		int *g = vw_grow(v, &cap, (size_t)i + 1, sizeof(*v), 4);
		assert_non_null(g);
		v = g;
		v[i] = i * 7;
		assert_true(cap >= (size_t)i + 1);
		if (i < 4)
			assert_int_equal(cap, 4);
	}
	assert_int_equal(cap, 64);
	for (int i = 0; i < 40; i++)
		assert_int_equal(v[i], i * 7);
	free(v);
}

/* Room already there: the same array, the capacity untouched. */
static void test_room_left_is_no_move(void **state)
{
	size_t cap = 0;
	char *v = vw_grow(NULL, &cap, 10, 1, 16);

	(void)state;
	assert_non_null(v);
	assert_int_equal(cap, 16);
	assert_ptr_equal(vw_grow(v, &cap, 16, 1, 16), v);
	assert_int_equal(cap, 16);
	free(v);
}

/* A need past twice the capacity doubles until it fits. */
static void test_need_past_double(void **state)
{
	size_t cap = 0;
	long *v = vw_grow(NULL, &cap, 100, sizeof(*v), 2);

	(void)state;
	assert_non_null(v);
	assert_int_equal(cap, 128);
	free(v);
}

/* A size that would overflow is NULL, with the array and capacity left
 * as they were (the caller still owns and may free the old array). */
static void test_overflow_leaves_array(void **state)
{
	size_t cap = 0;
	char *v = vw_grow(NULL, &cap, 8, 1, 8);

	(void)state;
	assert_non_null(v);
	v[7] = 'x';
	assert_null(vw_grow(v, &cap, SIZE_MAX / 2 + 2, 1, 8));
	assert_int_equal(cap, 8);
	assert_null(vw_grow(v, &cap, 9, SIZE_MAX / 8, 8));
	assert_int_equal(cap, 8);
	assert_int_equal(v[7], 'x');
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_then_doubles),
		cmocka_unit_test(test_room_left_is_no_move),
		cmocka_unit_test(test_need_past_double),
		cmocka_unit_test(test_overflow_leaves_array),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
