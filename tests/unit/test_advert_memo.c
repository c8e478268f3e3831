// SPDX-License-Identifier: GPL-2.0-or-later
/* capture/advert_memo.c: the replay's memo of adverts seen before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture/advert_memo.h"

static void frame_of(uint8_t *b, uint8_t salt)
{
	for (int i = 0; i < 60; i++)
		b[i] = (uint8_t)(i * 7 + salt);
}

/*
 * A frame stored again (its row moved after an eviction, so the entry
 * found was stale) replaces its own entry: a stale way left beside the
 * fresh one would be found first at every repeat, and the frame would
 * miss the memo for good.
 */
static void test_store_again_replaces(void **state)
{
	struct vw_memo *m = calloc(1, sizeof(*m));
	struct vw_advert a = {.family = 4};
	struct vw_obs_key k = {0};
	uint8_t f[60];

	(void)state;
	assert_non_null(m);
	frame_of(f, 1);
	vw_memo_store(m, f, sizeof(f), 1, -1, &a, &k, 3, 0, 14);
	const struct vw_memo_entry *e = vw_memo_find(m, f, sizeof(f), 1, -1);
	assert_non_null(e);
	assert_int_equal(e->row, 3);
	vw_memo_store(m, f, sizeof(f), 1, -1, &a, &k, 9, 1, 14);
	e = vw_memo_find(m, f, sizeof(f), 1, -1);
	assert_non_null(e);
	assert_int_equal(e->row, 9);
	assert_int_equal(e->evictions, 1);
	free(m);
}

/* Other bytes, another segment or direction: no match. */
static void test_only_the_same_frame(void **state)
{
	struct vw_memo *m = calloc(1, sizeof(*m));
	struct vw_advert a = {.family = 4};
	struct vw_obs_key k = {0};
	uint8_t f[60], g[60];

	(void)state;
	assert_non_null(m);
	frame_of(f, 1);
	memcpy(g, f, sizeof(g));
	g[40] ^= 1;
	vw_memo_store(m, f, sizeof(f), 1, -1, &a, &k, 3, 0, 14);
	assert_null(vw_memo_find(m, g, sizeof(g), 1, -1));
	assert_null(vw_memo_find(m, f, sizeof(f), 2, -1));
	assert_null(vw_memo_find(m, f, sizeof(f), 1, 0));
	assert_null(vw_memo_find(m, f, 10, 1, -1)); /* too short to memo */
	assert_non_null(vw_memo_find(m, f, sizeof(f), 1, -1));
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_again_replaces),
		cmocka_unit_test(test_only_the_same_frame),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
