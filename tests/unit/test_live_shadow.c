// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of live_shadow.c: per-CPU sums, read-to-read differences, the map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "live/live_shadow.h"

static struct vw_bpf_val val(uint64_t packets, uint64_t first, uint64_t last, uint8_t prio)
{
	struct vw_bpf_val b;

	memset(&b, 0, sizeof(b));
	b.v.packets = packets;
	b.v.bytes = packets * 40;
	b.v.first_ns = first;
	b.v.last_ns = last;
	b.v.priority = prio;
	b.v.prio0 = prio == 0;
	b.v.csum_seen = 1u << (prio % 3);
	b.msg[0] = prio;
	b.sample_len = 1;
	return b;
}

/* Counters add up, the span widens, the last fields follow the latest CPU. */
static void test_sum(void **state)
{
	struct vw_bpf_val cpu[3] = {val(5, 100, 200, 150), val(0, 0, 0, 0), val(2, 50, 300, 200)};
	struct vw_bpf_val s;

	(void)state;
	assert_int_equal(vw_bpf_val_sum(cpu, 3, sizeof(cpu[0]), &s), 2);
	assert_int_equal(s.v.packets, 7);
	assert_int_equal(s.v.bytes, 280);
	assert_int_equal(s.v.first_ns, 50);
	assert_int_equal(s.v.last_ns, 300);
	assert_int_equal(s.v.priority, 200);
	assert_int_equal(s.msg[0], 200);
	assert_int_equal(s.v.csum_seen, (1u << 0) | (1u << 2));
}

static void test_sum_none(void **state)
{
	struct vw_bpf_val cpu[2] = {val(0, 0, 0, 0), val(0, 0, 0, 0)};
	struct vw_bpf_val s;

	(void)state;
	assert_int_equal(vw_bpf_val_sum(cpu, 2, sizeof(cpu[0]), &s), 0);
	assert_int_equal(s.v.packets, 0);
}

static void test_delta(void **state)
{
	struct vw_bpf_val a = val(5, 100, 200, 150), b = val(8, 100, 260, 150);
	struct vw_obs_val d;

	(void)state;
	assert_true(vw_obs_delta(NULL, &a.v, &d)); /* first read: all of it */
	assert_int_equal(d.packets, 5);
	assert_true(vw_obs_delta(&a.v, &b.v, &d)); /* then the difference */
	assert_int_equal(d.packets, 3);
	assert_int_equal(d.bytes, 120);
	assert_int_equal(d.last_ns, 260);
	assert_false(vw_obs_delta(&b.v, &b.v, &d)); /* nothing new */
}

/* Evicted and back: a new first stamp, fresh counters, taken whole. */
static void test_delta_reincarnation(void **state)
{
	struct vw_bpf_val old = val(50, 100, 200, 150), back = val(60, 900, 950, 150),
			  shrunk = val(2, 100, 990, 150);
	struct vw_obs_val d;

	(void)state;
	assert_true(vw_obs_delta(&old.v, &back.v, &d));
	assert_int_equal(d.packets, 60);
	assert_true(vw_obs_delta(&old.v, &shrunk.v, &d));
	assert_int_equal(d.packets, 2);
}

static void test_shadow(void **state)
{
	struct vw_shadow s;
	uint64_t key[7], v;

	(void)state;
	assert_int_equal(vw_shadow_init(&s, sizeof(key), sizeof(v), 4), 0);
	for (uint64_t i = 0; i < 1000; i++) { /* grows past its first size */
		memset(key, 0, sizeof(key));
		key[3] = i * 7919;
		v = i;
		assert_int_equal(vw_shadow_put(&s, key, &v), 0);
	}
	assert_int_equal(s.n, 1000);
	for (uint64_t i = 0; i < 1000; i++) {
		memset(key, 0, sizeof(key));
		key[3] = i * 7919;
		uint64_t *got = vw_shadow_find(&s, key);
		assert_non_null(got);
		assert_int_equal(*got, i);
	}
	key[3] = 1;
	assert_null(vw_shadow_find(&s, key));
	v = 42;
	key[3] = 0;
	vw_shadow_put(&s, key, &v); /* replace */
	assert_int_equal(s.n, 1000);
	assert_int_equal(*(uint64_t *)vw_shadow_find(&s, key), 42);
	vw_shadow_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sum),
		cmocka_unit_test(test_sum_none),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_delta_reincarnation),
		cmocka_unit_test(test_shadow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
