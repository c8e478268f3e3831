// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of live_clock.c: HZ from two samples, jiffies to wall clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "live/live_clock.h"

#define S 1000000000ull

static void test_guess_hz(void **state)
{
	(void)state;
	/* 100 ms at HZ=250 is 25 jiffies; a jiffy off either way still tells */
	assert_int_equal(vw_jclock_guess_hz(1000, 5 * S, 1025, 5 * S + S / 10), 250);
	assert_int_equal(vw_jclock_guess_hz(1000, 5 * S, 1026, 5 * S + S / 10), 250);
	assert_int_equal(vw_jclock_guess_hz(1000, 5 * S, 1030, 5 * S + S / 10), 300);
	assert_int_equal(vw_jclock_guess_hz(1000, 5 * S, 1100, 5 * S + S / 10), 1000);
	assert_int_equal(vw_jclock_guess_hz(1000, 5 * S, 1010, 5 * S + S / 10), 100);
	/* too close together to tell */
	assert_int_equal(vw_jclock_guess_hz(1000, 5 * S, 1001, 5 * S + S / 1000), 0);
}

static void test_real_ns(void **state)
{
	struct vw_jclock c;

	(void)state;
	vw_jclock_init(&c, 250, 10000, 40 * S);
	vw_jclock_set_wall(&c, (int64_t)(1700000000ull * S));
	assert_int_equal(c.tick_ns, 4000000);
	assert_int_equal(vw_jclock_real_ns(&c, 10000), 1700000040ull * S);
	assert_int_equal(vw_jclock_real_ns(&c, 10250), 1700000041ull * S);
	assert_int_equal(vw_jclock_real_ns(&c, 9750), 1700000039ull * S); /* before the reference */
	assert_int_equal(vw_jclock_jiffies(&c, 5 * S), 1250);
	/* HZ=300: TICK_NSEC is rounded, as the kernel's */
	vw_jclock_init(&c, 300, 0, 0);
	assert_int_equal(c.tick_ns, 3333333);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guess_hz),
		cmocka_unit_test(test_real_ns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
