// SPDX-License-Identifier: GPL-2.0-or-later
/* util/huge_alloc.c: the zeroed, huge-page-advised table the replay memo
 * lives in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/huge_alloc.h"

/* Sizes below, at and past a huge page: zeroed to the last byte, every
 * byte writable, and given back whole (a second round maps again). */
static void test_zeroed_and_writable(void **state)
{
	static const size_t sizes[] = {1, 4096, 2u << 20, (2u << 20) + 1, 3000000};

	(void)state;
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			size_t n = sizes[i];
			uint8_t *p = vw_huge_alloc(n);
			assert_non_null(p);
			assert_int_equal(p[0], 0);
			assert_int_equal(p[n / 2], 0);
			assert_int_equal(p[n - 1], 0);
			memset(p, 0xa5, n);
			assert_int_equal(p[n - 1], 0xa5);
			vw_huge_free(p, n);
		}
}

/* Outside AddressSanitizer the table starts on a huge-page boundary (a
 * huge page can back it only so). */
static void test_aligned_for_huge_pages(void **state)
{
	uint8_t *p = vw_huge_alloc(3000000);

	(void)state;
	assert_non_null(p);
	uintptr_t misaligned = (uintptr_t)p % (2u << 20);
	vw_huge_free(p, 3000000);
#ifndef VW_HUGE_BY_MALLOC
	assert_int_equal(misaligned, 0);
#else
	(void)misaligned;
#endif
	vw_huge_free(NULL, 3000000); /* nothing to give back */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_and_writable),
		cmocka_unit_test(test_aligned_for_huge_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
