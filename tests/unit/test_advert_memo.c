// SPDX-License-Identifier: GPL-2.0-or-later
/* capture/advert_memo.c: the replay's memo of adverts seen before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
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

/*
 * A repeat is the same frame but for the IPv4 identification and header
 * checksum: for each length and IP offset, a change to any one byte
 * misses the memo unless it is one of those four (IPv4 only), wherever
 * the pieces of the compare cut the frame.
 */
static void test_repeat_differs_only_in_id_and_checksum(void **state)
{
	static const uint32_t lens[] = {16, 17, 23, 24, 25, 42, 46, 60, 61, 73, 80, 159, 160};
	static const uint16_t ip_offs[] = {0, 14, 15, 18, 22, 140};
	struct vw_memo *m = calloc(1, sizeof(*m));
	struct vw_obs_key k = {0};
	uint8_t f[VW_MEMO_FRAME], g[VW_MEMO_FRAME];
	unsigned checked = 0;

	(void)state;
	assert_non_null(m);
	for (int family = 4; family <= 6; family += 2)
		for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++)
			for (size_t oi = 0; oi < sizeof(ip_offs) / sizeof(ip_offs[0]); oi++) {
				uint32_t len = lens[li], ip = ip_offs[oi];
				struct vw_advert a = {.family = (uint8_t)family};
				if (family == 4 && ip + 20u > len)
					continue; /* not remembered */
				memset(m, 0, sizeof(*m));
				for (uint32_t i = 0; i < len; i++)
					f[i] = (uint8_t)(i * 13 + len + ip);
				vw_memo_store(m, f, len, 1, -1, &a, &k, 7, 0, (uint16_t)ip);
				for (uint32_t at = 0; at < len; at++) {
					bool skipped = family == 4 && ((at >= ip + 4 && at < ip + 6) ||
								       (at >= ip + 10 && at < ip + 12));
					memcpy(g, f, len);
					g[at] ^= 0x5a;
					/* the hash reads bytes 4-11 and the last 8: a
					 * change there may pick another set; the compare
					 * is what is tested, so look in both */
					const struct vw_memo_entry *e = vw_memo_find(m, g, len, 1, -1);
					if (skipped && !e)
						continue; /* hashed elsewhere: found below */
					if (skipped)
						assert_int_equal(e->row, 7);
					else if (e)
						fail_msg("family %d len %u ip %u: byte %u changed, still found",
							 family, len, ip, at);
					checked++;
				}
				assert_non_null(vw_memo_find(m, f, len, 1, -1));
			}
	assert_true(checked > 2000);
	free(m);
}

/* The identification and checksum of an IPv4 advert at offset 14 lie in
 * the hash's bytes no more than the compare's: a repeat with both new is
 * found (the case of every replayed master). */
static void test_repeat_with_new_id_and_checksum(void **state)
{
	struct vw_memo *m = calloc(1, sizeof(*m));
	struct vw_advert a = {.family = 4};
	struct vw_obs_key k = {0};
	uint8_t f[60];

	(void)state;
	assert_non_null(m);
	frame_of(f, 3);
	vw_memo_store(m, f, sizeof(f), 1, -1, &a, &k, 5, 0, 14);
	for (unsigned id = 0; id < 300; id++) {
		f[18] = (uint8_t)(id >> 8), f[19] = (uint8_t)id;
		f[24] = (uint8_t)(id * 7), f[25] = (uint8_t)(id * 3);
		const struct vw_memo_entry *e = vw_memo_find(m, f, sizeof(f), 1, -1);
		assert_non_null(e);
		assert_int_equal(e->row, 5);
	}
	free(m);
}

static void distinct_frame(uint8_t *b, unsigned n)
{
	frame_of(b, 0);
	/* the source MAC and the last address, as masters differ */
	b[6] = (uint8_t)n, b[7] = (uint8_t)(n >> 8);
	b[56] = (uint8_t)n, b[57] = (uint8_t)(n >> 8);
}

/* A thousand masters (a VRID each on four VLANs) all keep their entry:
 * with two ways per set, some sets held three and their masters missed
 * in turn at every advert. */
static void test_a_thousand_masters_remembered(void **state)
{
	struct vw_memo *m = calloc(1, sizeof(*m));
	struct vw_advert a = {.family = 4};
	struct vw_obs_key k = {0};
	uint8_t f[60];

	(void)state;
	assert_non_null(m);
	for (unsigned n = 0; n < 1000; n++) {
		distinct_frame(f, n);
		vw_memo_store(m, f, sizeof(f), 1, -1, &a, &k, n, 0, 14);
	}
	for (unsigned n = 0; n < 1000; n++) {
		distinct_frame(f, n);
		const struct vw_memo_entry *e = vw_memo_find(m, f, sizeof(f), 1, -1);
		assert_non_null(e);
		assert_int_equal(e->row, n);
	}
	free(m);
}

/* A frame found at every step stays while tens of thousands of others
 * (broken adverts, a flood of sources) pass through its set. */
static void test_the_frame_in_use_stays(void **state)
{
	struct vw_memo *m = calloc(1, sizeof(*m));
	struct vw_advert a = {.family = 4};
	struct vw_obs_key k = {0};
	uint8_t master[60], other[60];

	(void)state;
	assert_non_null(m);
	distinct_frame(master, 65535);
	vw_memo_store(m, master, sizeof(master), 1, -1, &a, &k, 1, 0, 14);
	for (unsigned n = 0; n < 40000; n++) {
		distinct_frame(other, n);
		other[40] = (uint8_t)(n >> 16);
		vw_memo_store(m, other, sizeof(other), 1, -1, &a, &k, 2, 0, 14);
		assert_non_null(vw_memo_find(m, master, sizeof(master), 1, -1));
	}
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_again_replaces),
		cmocka_unit_test(test_only_the_same_frame),
		cmocka_unit_test(test_repeat_differs_only_in_id_and_checksum),
		cmocka_unit_test(test_repeat_with_new_id_and_checksum),
		cmocka_unit_test(test_a_thousand_masters_remembered),
		cmocka_unit_test(test_the_frame_in_use_stays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
