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

/* The aligned variant: every array it returns starts on the boundary
 * (the observation table's rows, one cache line each), keeps what was
 * stored through each move, and on overflow leaves the old array and its
 * capacity as they were. */
static void test_aligned_keeps_boundary_and_contents(void **state)
{
	uint64_t *v = NULL;
	size_t cap = 0;

	(void)state;
	for (size_t i = 0; i < 300; i++) {
		uint64_t *g = vw_grow_aligned(v, &cap, i + 1, sizeof(*v), 4, 64, i);
		assert_non_null(g);
		assert_int_equal((uintptr_t)g % 64, 0);
		v = g;
		v[i] = i * 0x9e3779b97f4a7c15ull;
	}
	assert_int_equal(cap, 512);
	for (size_t i = 0; i < 300; i++)
		assert_true(v[i] == i * 0x9e3779b97f4a7c15ull);
	assert_ptr_equal(vw_grow_aligned(v, &cap, 512, sizeof(*v), 4, 64, 300), v);
	assert_null(vw_grow_aligned(v, &cap, SIZE_MAX / 2 + 2, sizeof(*v), 4, 64, 300));
	assert_int_equal(cap, 512);
	assert_true(v[299] == 299 * 0x9e3779b97f4a7c15ull);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_then_doubles),
		cmocka_unit_test(test_room_left_is_no_move),
		cmocka_unit_test(test_need_past_double),
		cmocka_unit_test(test_overflow_leaves_array),
		cmocka_unit_test(test_aligned_keeps_boundary_and_contents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
