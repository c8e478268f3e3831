// SPDX-License-Identifier: GPL-2.0-or-later
/* util/pos_index.c: the hash index of positions the observation table,
 * the activity map, the findings and the master states find elements by. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/pos_index.h"

/* Elements are ints; the hash is chosen by the test (a constant one puts
 * every key in one probe chain). */
static uint64_t (*hash_of)(int);

static uint64_t spread(int k)
{
	return (uint64_t)k * 0x9e3779b97f4a7c15ull;
}

static uint64_t clash(int k)
{
	(void)k;
	return 5;
}

static bool is_key(const void *arr, uint32_t pos, const void *key)
{
	return ((const int *)arr)[pos] == *(const int *)key;
}

static uint64_t hash_at(const void *arr, uint32_t pos)
{
	return hash_of(((const int *)arr)[pos]);
}

/* The position of k in arr through x, -1 when absent. */
static long find(const struct vw_pos_index *x, const int *arr, int k)
{
	uint32_t s = x->slot[vw_pos_slot(x, hash_of(k), is_key, arr, &k)];

	return s ? (long)s - 1 : -1;
}

/* Add arr[n] the way the tables do: grow when crowded, then take the empty slot. */
static void add(struct vw_pos_index *x, int *arr, size_t *n, int k)
{
	if (vw_pos_index_crowded(x, *n + 1))
		assert_int_equal(vw_pos_index_rebuild(x, x->n ? x->n * 2 : 4, arr, *n, hash_at), 0);
	arr[*n] = k;
	size_t s = vw_pos_slot(x, hash_of(k), is_key, arr, &k);
	assert_int_equal(x->slot[s], 0); /* new: an empty slot */
	x->slot[s] = (uint32_t)++*n;
}

static void check_all(uint64_t (*h)(int))
{
	struct vw_pos_index x = {0};
	int arr[300];
	size_t n = 0;

	hash_of = h;
	for (int k = 0; k < 300; k++)
		add(&x, arr, &n, k * 3 + 1);
	assert_int_equal(x.n, 1024); /* doubled from 4, at most half full */
	for (int k = 0; k < 300; k++) {
		assert_int_equal(find(&x, arr, k * 3 + 1), k);
		assert_int_equal(find(&x, arr, k * 3 + 2), -1);
	}
	vw_pos_index_free(&x);
	assert_null(x.slot);
	assert_int_equal(x.n, 0);
}

static void test_spread_keys(void **state)
{
	(void)state;
	check_all(spread);
}

static void test_one_chain(void **state)
{
	(void)state;
	check_all(clash);
}

/* Removing from the middle of a probe chain keeps every later key
 * findable (backward shift), in a table that wraps around its end. */
static void test_remove_keeps_chains(void **state)
{
	uint64_t (*hashes[])(int) = {spread, clash};

	(void)state;
	for (size_t h = 0; h < 2; h++) {
		struct vw_pos_index x = {0};
		int arr[40];
		size_t n = 0;

		hash_of = hashes[h];
		for (int k = 0; k < 40; k++)
			add(&x, arr, &n, k);
		for (int k = 0; k < 40; k += 3) {
			size_t s = vw_pos_slot(&x, hash_of(k), is_key, arr, &k);
			assert_int_not_equal(x.slot[s], 0);
			vw_pos_index_remove(&x, s, arr, hash_at);
		}
		for (int k = 0; k < 40; k++)
			assert_int_equal(find(&x, arr, k), k % 3 ? k : -1);
		vw_pos_index_free(&x);
	}
}

/* A rebuild of a compacted array (the activity map drops stale rows)
 * indexes the new positions only. */
static void test_rebuild_after_compaction(void **state)
{
	struct vw_pos_index x = {0};
	int arr[20];
	size_t n = 0, kept = 0;

	(void)state;
	hash_of = spread;
	for (int k = 0; k < 20; k++)
		add(&x, arr, &n, k);
	for (size_t i = 0; i < n; i++)
		if (arr[i] % 2)
			arr[kept++] = arr[i];
	assert_int_equal(vw_pos_index_rebuild(&x, x.n, arr, kept, hash_at), 0);
	for (int k = 0; k < 20; k++)
		assert_int_equal(find(&x, arr, k), k % 2 ? k / 2 : -1);
	vw_pos_index_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread_keys),
		cmocka_unit_test(test_one_chain),
		cmocka_unit_test(test_remove_keeps_chains),
		cmocka_unit_test(test_rebuild_after_compaction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
