// SPDX-License-Identifier: GPL-2.0-or-later
/* The value formatters that skip stdio (times, counts, VLANs, intervals)
 * give what snprintf (and gmtime) give, cut the same way when the buffer
 * is short. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "util/addr_fmt.h"

#define GUARD 0x5a

/* The reference: what the formatter replaced. */
static void clock_ref(uint64_t ns, char *buf, size_t len)
{
	time_t t = (time_t)(ns / 1000000000u);
	struct tm tm;

	assert_non_null(gmtime_r(&t, &tm));
	snprintf(buf, len, "%02d:%02d:%02d.%03u", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned)(ns % 1000000000u / 1000000u));
}

static const uint64_t times[] = {
	0,
	999999,                       /* 00:00:00.000 */
	1000000,                      /* .001 */
	59999999999ull,               /* 00:00:59.999 */
	86399999999999ull,            /* 23:59:59.999 */
	86400000000000ull,            /* the next day */
	1767225600000000000ull,       /* 2026-01-01 */
	1767268799123456789ull,       /* 2026-01-01 11:59:59.123 */
	4102444799999999999ull,       /* 2099-12-31 23:59:59.999 */
	UINT64_MAX,                   /* 2554 */
};

static void test_clock_as_gmtime_and_snprintf(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		char want[32], got[32];
		clock_ref(times[i], want, sizeof(want));
		assert_ptr_equal(vw_clock_str(times[i], got, sizeof(got)), got);
		assert_string_equal(got, want);
	}
	/* and every 7919 s and 3 ms across two days */
	for (uint64_t ns = 1767225600000000000ull; ns < 1767225600000000000ull + 2 * 86400000000000ull;
	     ns += 7919003000000ull) {
		char want[32], got[32];
		clock_ref(ns, want, sizeof(want));
		assert_string_equal(vw_clock_str(ns, got, sizeof(got)), want);
	}
}

static void test_u64_as_snprintf(void **state)
{
	static const uint64_t values[] = {0, 1, 9, 10, 99, 100, 255, 65535, 4294967295ull,
					  10000000000000000000ull, UINT64_MAX};

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char want[32], got[32];
		snprintf(want, sizeof(want), "%llu", (unsigned long long)values[i]);
		assert_string_equal(vw_u64_str(values[i], got, sizeof(got)), want);
	}
}

static void test_vlan_as_snprintf(void **state)
{
	static const uint16_t vlans[][2] = {{0, 0}, {1, 0}, {100, 0}, {4094, 0}, {100, 20},
					    {4095, 4095}, {65535, 65535}, {7, 1}};

	(void)state;
	for (size_t i = 0; i < sizeof(vlans) / sizeof(vlans[0]); i++) {
		char want[32], got[32];
		if (!vlans[i][0])
			snprintf(want, sizeof(want), "-");
		else if (!vlans[i][1])
			snprintf(want, sizeof(want), "%u", vlans[i][0]);
		else
			snprintf(want, sizeof(want), "%u.%u", vlans[i][0], vlans[i][1]);
		assert_string_equal(vw_vlan_str(vlans[i], got, sizeof(got)), want);
	}
}

/* "1s", "0.5s", "0.05s", "40.95s": every interval a header can carry. */
static void test_interval_as_snprintf(void **state)
{
	(void)state;
	for (unsigned cs = 0; cs <= 65535; cs++) {
		char want[32], got[32];
		if (cs % 100 == 0)
			snprintf(want, sizeof(want), "%us", cs / 100u);
		else if (cs % 10 == 0)
			snprintf(want, sizeof(want), "%u.%us", cs / 100u, cs % 100u / 10u);
		else
			snprintf(want, sizeof(want), "%u.%02us", cs / 100u, cs % 100u);
		vw_interval_str((uint16_t)cs, got, sizeof(got));
		if (strcmp(got, want))
			fail_msg("%u cs: got %s, want %s", cs, got, want);
	}
}

/* A short buffer holds what snprintf would leave: a cut, ended string;
 * nothing past it is written, and a zero length writes nothing. */
static void test_short_buffers_cut_alike(void **state)
{
	(void)state;
	for (size_t len = 0; len <= 14; len++) {
		char want[32], got[32];
		memset(want, GUARD, sizeof(want));
		memset(got, GUARD, sizeof(got));
		clock_ref(1767268799123456789ull, want, len);
		vw_clock_str(1767268799123456789ull, got, len);
		assert_memory_equal(got, want, sizeof(got));

		memset(want, GUARD, sizeof(want));
		memset(got, GUARD, sizeof(got));
		snprintf(want, len, "%llu", 18446744073709551615ull);
		vw_u64_str(UINT64_MAX, got, len);
		assert_memory_equal(got, want, sizeof(got));

		static const uint16_t vlan[2] = {4094, 100};
		memset(want, GUARD, sizeof(want));
		memset(got, GUARD, sizeof(got));
		snprintf(want, len, "%u.%u", vlan[0], vlan[1]);
		vw_vlan_str(vlan, got, len);
		assert_memory_equal(got, want, sizeof(got));

		memset(want, GUARD, sizeof(want));
		memset(got, GUARD, sizeof(got));
		snprintf(want, len, "%u.%02us", 655u, 35u);
		vw_interval_str(65535, got, len);
		assert_memory_equal(got, want, sizeof(got));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_as_gmtime_and_snprintf),
		cmocka_unit_test(test_u64_as_snprintf),
		cmocka_unit_test(test_vlan_as_snprintf),
		cmocka_unit_test(test_interval_as_snprintf),
		cmocka_unit_test(test_short_buffers_cut_alike),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
