// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of vw_table_merge / vw_table_merge_reject (obs_table.c, live BPF backend),
 * and of what the last tick saw of a row (vw_row_at_last_tick). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/obs_table.h"

static struct vw_obs_key key(uint8_t last)
{
	struct vw_obs_key k;

	memset(&k, 0, sizeof(k));
	k.ifindex = 1;
	k.vrid = 51;
	k.family = 4;
	k.src[0] = 198, k.src[1] = 18, k.src[3] = last;
	return k;
}

static struct vw_obs_val news(uint64_t packets, uint64_t first, uint64_t last, uint8_t prio)
{
	struct vw_obs_val d;

	memset(&d, 0, sizeof(d));
	d.packets = packets;
	d.bytes = packets * 40;
	d.first_ns = first;
	d.last_ns = last;
	d.priority = prio;
	d.version = 2;
	d.interval_cs = 100;
	d.naddr = 1;
	d.addr_hash = 77;
	return d;
}

static void test_merge_adds(void **state)
{
	struct vw_table t;
	struct vw_obs_key k = key(1);
	struct vw_obs_val a = news(3, 100, 300, 150), b = news(2, 350, 500, 200);
	static const uint8_t msg[20] = {0x21, 51, 150, 1, 0, 1, 0, 0, 198, 18, 0, 100};

	(void)state;
	assert_int_equal(vw_table_init(&t, 16), 0);
	struct vw_row *r = vw_table_merge(&t, &k, &a, msg, sizeof(msg));
	assert_non_null(r);
	assert_int_equal(r->val.packets, 3);
	assert_non_null(vw_row_address(r, 0));
	r = vw_table_merge(&t, &k, &b, NULL, 0);
	assert_int_equal(t.n_rows, 1);
	assert_int_equal(r->val.packets, 5);
	assert_int_equal(r->val.bytes, 200);
	assert_int_equal(r->val.first_ns, 100);
	assert_int_equal(r->val.last_ns, 500);
	assert_int_equal(r->val.priority, 200); /* newest news wins */
	assert_non_null(r->msg);                /* kept when none is given */
	vw_table_free(&t);
}

/* Older news (another CPU, read late) adds its counts, not its last fields. */
static void test_merge_older(void **state)
{
	struct vw_table t;
	struct vw_obs_key k = key(2);
	struct vw_obs_val now = news(4, 400, 900, 100), old = news(1, 50, 60, 255);

	(void)state;
	assert_int_equal(vw_table_init(&t, 16), 0);
	vw_table_merge(&t, &k, &now, NULL, 0);
	struct vw_row *r = vw_table_merge(&t, &k, &old, NULL, 0);
	assert_int_equal(r->val.packets, 5);
	assert_int_equal(r->val.first_ns, 50);
	assert_int_equal(r->val.last_ns, 900);
	assert_int_equal(r->val.priority, 100);
	vw_table_free(&t);
}

/* A full table evicts, as vw_table_add_advert does. */
static void test_merge_bounded(void **state)
{
	struct vw_table t;

	(void)state;
	assert_int_equal(vw_table_init(&t, 16), 0);
	for (int i = 0; i < 100; i++) {
		struct vw_obs_key k = key((uint8_t)i);
		struct vw_obs_val d = news(1, (uint64_t)i, (uint64_t)i, 100);
		assert_non_null(vw_table_merge(&t, &k, &d, NULL, 0));
	}
	assert_int_equal(t.n_rows, 16);
	assert_int_equal(t.evictions, 84);
	vw_table_free(&t);
}

/* The row as the last tick saw it: its values then (kept at the end of
 * that tick), its values now where the table keeps no tick marks, and for
 * a row made again since for a key whose row that tick saw and that was
 * evicted, the evicted row's record. */
static void test_row_at_last_tick(void **state)
{
	struct vw_table t;
	struct vw_obs_key a = key(1), b = key(2);
	struct vw_obs_val now = news(5, 100, 500, 100), other = news(1, 600, 600, 100);
	uint64_t packets, last;

	(void)state;
	assert_int_equal(vw_table_init(&t, 1), 0);
	t.marks.on = true;
	struct vw_obs_val before = news(4, 100, 400, 100), more = news(1, 500, 500, 100);
	struct vw_row *r = vw_table_merge(&t, &a, &before, NULL, 0);
	assert_non_null(r);
	vw_row_at_last_tick(&t, r, &packets, &last); /* made since the last tick */
	assert_int_equal(packets, 0);
	vw_table_close_tick(&t, 450); /* a tick that saw 4 adverts, the last at 400 */
	vw_row_at_last_tick(&t, r, &packets, &last); /* not changed since */
	assert_int_equal(packets, 4);
	assert_int_equal(last, 400);
	assert_non_null(vw_table_merge(&t, &a, &more, NULL, 0)); /* changed since */
	assert_int_equal(r->val.packets, now.packets);
	vw_row_at_last_tick(&t, r, &packets, &last);
	assert_int_equal(packets, 4);
	assert_int_equal(last, 400);
	t.marks.on = false; /* live: no marks, the values now */
	vw_row_at_last_tick(&t, r, &packets, &last);
	assert_int_equal(packets, 5);
	assert_int_equal(last, 500);
	t.marks.on = true;

	vw_table_close_tick(&t, 550); /* a tick that saw 5, the last at 500; evictions kept */
	assert_non_null(vw_table_merge(&t, &b, &other, NULL, 0)); /* evicts a's row */
	assert_null(vw_table_find(&t, &a));
	r = vw_table_merge(&t, &a, &other, NULL, 0); /* a again, a new row (b's evicted) */
	assert_non_null(r);
	assert_int_equal(r->tick_packets, 0); /* made since the tick: nothing counted then */
	vw_row_at_last_tick(&t, r, &packets, &last);
	assert_int_equal(packets, 5);
	assert_int_equal(last, 500);
	vw_table_free(&t);
}

/* A key's values within a tick (detect/judge.c release): as the tick
 * before saw them until the tick's end keeps the new ones; its values now
 * when asked for; its row found by key when not at the index given; the
 * evicted row's record when its row is gone; false for a row made since
 * the tick with no record, and for a key never seen. */
static void test_key_values(void **state)
{
	struct vw_table t;
	struct vw_obs_key a = key(1), b = key(2), c = key(3);
	struct vw_obs_val before = news(4, 100, 400, 100), more = news(1, 500, 500, 100);
	uint64_t packets, last, first;

	(void)state;
	assert_int_equal(vw_table_init(&t, 1), 0);
	t.marks.on = true;
	assert_non_null(vw_table_merge(&t, &a, &before, NULL, 0));
	assert_false(vw_key_values(&t, 0, &a, false, &packets, &last, &first)); /* made since */
	assert_true(vw_key_values(&t, 0, &a, true, &packets, &last, &first));
	assert_int_equal(packets, 4);
	vw_table_close_tick(&t, 450);
	assert_non_null(vw_table_merge(&t, &a, &more, NULL, 0));
	for (size_t idx = 0; idx < 8; idx += 7) { /* at its index, or elsewhere */
		assert_true(vw_key_values(&t, idx, &a, false, &packets, &last, &first));
		assert_int_equal(packets, 4);
		assert_int_equal(last, 400);
		assert_int_equal(first, 100);
		assert_true(vw_key_values(&t, idx, &a, true, &packets, &last, &first));
		assert_int_equal(packets, 5);
		assert_int_equal(last, 500);
	}
	vw_table_close_tick(&t, 550);
	assert_non_null(vw_table_merge(&t, &b, &more, NULL, 0)); /* evicts a's row */
	assert_true(vw_key_values(&t, 0, &a, false, &packets, &last, &first));
	assert_int_equal(packets, 5); /* its record: as the tick at 550 saw it */
	assert_int_equal(last, 500);
	assert_int_equal(first, 100);
	assert_false(vw_key_values(&t, 0, &a, true, &packets, &last, &first));
	assert_false(vw_key_values(&t, 0, &c, false, &packets, &last, &first));
	vw_table_close_tick(&t, 650); /* the records are forgotten */
	assert_false(vw_key_values(&t, 0, &a, false, &packets, &last, &first));
	vw_table_free(&t);
}

static void test_merge_reject(void **state)
{
	struct vw_table t;
	const uint16_t vlan[2] = {100, 0};
	const uint8_t src[16] = {198, 18, 0, 9}, mac[6] = {2, 0, 0, 0, 0, 9};

	(void)state;
	assert_int_equal(vw_table_init(&t, 16), 0);
	assert_int_equal(vw_table_merge_reject(&t, 1, vlan, VW_R_BAD_TTL, 3, 10, 20, 4, src, mac), 0);
	assert_int_equal(vw_table_merge_reject(&t, 1, vlan, VW_R_BAD_TTL, 2, 5, 30, 0, src, mac), 0);
	assert_int_equal(t.n_rejects, 1);
	assert_int_equal(t.rejects[0].count, 5);
	assert_int_equal(t.rejects[0].first_ns, 5);
	assert_int_equal(t.rejects[0].last_ns, 30);
	assert_int_equal(t.rejects[0].last_family, 4); /* a later one without a source keeps it */
	vw_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_adds),
		cmocka_unit_test(test_merge_older),
		cmocka_unit_test(test_merge_bounded),
		cmocka_unit_test(test_row_at_last_tick),
		cmocka_unit_test(test_key_values),
		cmocka_unit_test(test_merge_reject),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
