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

#define FRAME 60 /* an IPv4 advert behind Ethernet, IP header at 14 */

/* Each test gets an empty memo in *state. */
static int memo_setup(void **state)
{
	*state = calloc(1, sizeof(struct vw_memo));
	return *state ? 0 : -1;
}

static int memo_teardown(void **state)
{
	free(*state);
	return 0;
}

static void frame_of(uint8_t *b, uint8_t salt)
{
	for (int i = 0; i < FRAME; i++)
		b[i] = (uint8_t)(i * 7 + salt);
}

/* Another master's advert: its source MAC and last address differ. */
static void distinct_frame(uint8_t *b, unsigned n)
{
	frame_of(b, 0);
	b[6] = (uint8_t)n, b[7] = (uint8_t)(n >> 8);
	b[56] = (uint8_t)n, b[57] = (uint8_t)(n >> 8);
}

/* An IPv4 advert of FRAME bytes on segment 1, received, for row. */
static void store(struct vw_memo *m, const uint8_t *f, uint32_t row, uint64_t evictions)
{
	struct vw_advert a = {.family = 4};
	struct vw_obs_key k = {0};

	vw_memo_store(m, f, FRAME, 1, -1, &a, &k, row, evictions, 14);
}

/* The row remembered for the frame (segment 1, received), or -1. */
static long found_row(struct vw_memo *m, const uint8_t *f)
{
	const struct vw_memo_entry *e = vw_memo_find(m, f, FRAME, 1, -1);

	return e ? (long)e->row : -1;
}

/*
 * A frame stored again (its row moved after an eviction, so the entry
 * found was stale) replaces its own entry: a stale way left beside the
 * fresh one would be found first at every repeat, and the frame would
 * miss the memo for good.
 */
static void test_store_again_replaces(void **state)
{
	struct vw_memo *m = *state;
	uint8_t f[FRAME];

	frame_of(f, 1);
	store(m, f, 3, 0);
	assert_int_equal(found_row(m, f), 3);
	store(m, f, 9, 1);
	assert_int_equal(found_row(m, f), 9);
	assert_int_equal(vw_memo_find(m, f, FRAME, 1, -1)->evictions, 1);
}

/* Other bytes, another segment or direction: no match. */
static void test_only_the_same_frame(void **state)
{
	struct vw_memo *m = *state;
	uint8_t f[FRAME], g[FRAME];

	frame_of(f, 1);
	memcpy(g, f, sizeof(g));
	g[40] ^= 1;
	store(m, f, 3, 0);
	assert_int_equal(found_row(m, g), -1);
	assert_null(vw_memo_find(m, f, FRAME, 2, -1));
	assert_null(vw_memo_find(m, f, FRAME, 1, 0));
	assert_null(vw_memo_find(m, f, 10, 1, -1)); /* too short to memo */
	assert_int_equal(found_row(m, f), 3);
}

/* Whether changing byte at of a frame with its IP header at ip may
 * leave it a repeat: the IPv4 identification and checksum only. */
static bool may_change(int family, uint32_t at, uint32_t ip)
{
	return family == 4 && ((at >= ip + 4 && at < ip + 6) || (at >= ip + 10 && at < ip + 12));
}

/* Each byte of the frame changed in turn: found only where it may
 * change.  Returns how many changes were looked up. */
static unsigned each_byte_changed(struct vw_memo *m, const uint8_t *f, uint32_t len,
				  uint32_t ip, int family)
{
	uint8_t g[VW_MEMO_FRAME];
	unsigned checked = 0;

	for (uint32_t at = 0; at < len; at++) {
		memcpy(g, f, len);
		g[at] ^= 0x5a;
		/* the hash reads bytes 4-11 and the last 8: a change there
		 * may pick another set, and only the compare is tested */
		const struct vw_memo_entry *e = vw_memo_find(m, g, len, 1, -1);
		if (e && !may_change(family, at, ip))
			fail_msg("family %d len %u ip %u: byte %u changed, still found", family,
				 len, ip, at);
		bool hashed = (at >= 4 && at < 12) || at + 8 >= len;
		if (!e && may_change(family, at, ip) && !hashed)
			fail_msg("family %d len %u ip %u: byte %u changed, not found", family, len,
				 ip, at);
		if (e)
			assert_int_equal(e->row, 7);
		checked += e || !may_change(family, at, ip);
	}
	return checked;
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
	struct vw_memo *m = *state;
	struct vw_obs_key k = {0};
	uint8_t f[VW_MEMO_FRAME];
	unsigned checked = 0;

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
				checked += each_byte_changed(m, f, len, ip, family);
				assert_non_null(vw_memo_find(m, f, len, 1, -1));
			}
	assert_true(checked > 2000);
}

/* A master's repeats, each with a new identification and checksum, are
 * found (the case of every replayed master). */
static void test_repeat_with_new_id_and_checksum(void **state)
{
	struct vw_memo *m = *state;
	uint8_t f[FRAME];

	frame_of(f, 3);
	store(m, f, 5, 0);
	for (unsigned id = 0; id < 300; id++) {
		f[18] = (uint8_t)(id >> 8), f[19] = (uint8_t)id;
		f[24] = (uint8_t)(id * 7), f[25] = (uint8_t)(id * 3);
		assert_int_equal(found_row(m, f), 5);
	}
}

/* A thousand masters (a VRID each on four VLANs) all keep their entry,
 * these thousand frames at least (with a random hash, five of a thousand
 * in one set of four happen now and then): with two ways per set, some
 * sets held three of them and their masters missed in turn at every
 * advert. */
static void test_a_thousand_masters_remembered(void **state)
{
	struct vw_memo *m = *state;
	uint8_t f[FRAME];

	for (unsigned n = 0; n < 1000; n++) {
		distinct_frame(f, n);
		store(m, f, n, 0);
	}
	for (unsigned n = 0; n < 1000; n++) {
		distinct_frame(f, n);
		assert_int_equal(found_row(m, f), n);
	}
}

/* A frame found at every step stays while tens of thousands of others
 * (broken adverts, a flood of sources) pass through its set. */
static void test_the_frame_in_use_stays(void **state)
{
	struct vw_memo *m = *state;
	uint8_t master[FRAME], other[FRAME];

	distinct_frame(master, 65535);
	store(m, master, 1, 0);
	for (unsigned n = 0; n < 40000; n++) {
		distinct_frame(other, n);
		store(m, other, 2, 0);
		assert_int_equal(found_row(m, master), 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_again_replaces, memo_setup, memo_teardown),
		cmocka_unit_test_setup_teardown(test_only_the_same_frame, memo_setup, memo_teardown),
		cmocka_unit_test_setup_teardown(test_repeat_differs_only_in_id_and_checksum,
						memo_setup, memo_teardown),
		cmocka_unit_test_setup_teardown(test_repeat_with_new_id_and_checksum, memo_setup,
						memo_teardown),
		cmocka_unit_test_setup_teardown(test_a_thousand_masters_remembered, memo_setup,
						memo_teardown),
		cmocka_unit_test_setup_teardown(test_the_frame_in_use_stays, memo_setup,
						memo_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
