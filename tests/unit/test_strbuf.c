// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "util/strbuf.h"

static void test_items_and_separators(void **state)
{
	char buf[64];
	struct vw_strbuf sb;

	(void)state;
	vw_sb_init(&sb, buf, sizeof(buf));
	assert_string_equal(buf, "");
	assert_true(vw_sb_item(&sb, ", ", "%d", 1));
	assert_true(vw_sb_item(&sb, ", ", "%d-%d", 3, 5));
	assert_true(vw_sb_printf(&sb, "!"));
	assert_string_equal(buf, "1, 3-5!");
	assert_int_equal(sb.items, 2);
}

static void test_cut_never_overflows(void **state)
{
	char buf[8 + 1], guard = 0x5a;
	struct vw_strbuf sb;

	(void)state;
	buf[8] = guard;
	vw_sb_init(&sb, buf, 8);
	assert_true(vw_sb_printf(&sb, "abc"));
	assert_false(vw_sb_item(&sb, "; ", "%s", "defghijk")); /* cut */
	assert_int_equal(strlen(buf), 7);
	assert_false(vw_sb_printf(&sb, "x")); /* full: nothing more */
	assert_int_equal(strlen(buf), 7);
	assert_int_equal(buf[8], guard);
}

static void test_zero_length(void **state)
{
	char buf[1] = {'q'};
	struct vw_strbuf sb;

	(void)state;
	vw_sb_init(&sb, buf, 0);
	assert_false(vw_sb_printf(&sb, "x"));
	assert_int_equal(buf[0], 'q');
}

/* vw_sb_put and vw_sb_u64 leave what vw_sb_printf leaves, cut or not,
 * at every buffer size (the malformed finding's text is made with them). */
static void test_put_as_printf(void **state)
{
	static const unsigned long long nums[] = {0, 7, 10, 4294967295ull, 18446744073709551615ull};
	static const char *strs[] = {"", "a", " adverts from ", "198.18.0.1 (02:00:00:00:00:01)"};

	(void)state;
	for (size_t len = 0; len <= 48; len++)
		for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
			for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++) {
				char a[64], b[64];
				struct vw_strbuf sa, sbb;
				memset(a, 0x5a, sizeof(a));
				memset(b, 0x5a, sizeof(b));
				vw_sb_init(&sa, a, len);
				vw_sb_init(&sbb, b, len);
				bool pa = vw_sb_u64(&sa, nums[i]);
				bool pb = vw_sb_printf(&sbb, "%llu", nums[i]);
				assert_int_equal(pa, pb);
				pa = vw_sb_put(&sa, strs[k]);
				pb = vw_sb_printf(&sbb, "%s", strs[k]);
				assert_int_equal(pa, pb);
				assert_int_equal(sa.used, sbb.used);
				assert_memory_equal(a, b, sizeof(a)); /* the bytes past the end too */
			}
}

static void test_str_copy_as_snprintf(void **state)
{
	static const char *strs[] = {"", "e", "eth0", "eth0.100", "a-very-long-interface-name-indeed"};

	(void)state;
	for (size_t len = 0; len <= 40; len++)
		for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++) {
			char a[48], b[48];
			memset(a, 0x5a, sizeof(a));
			memset(b, 0x5a, sizeof(b));
			vw_str_copy(a, len, strs[k]);
			if (len)
				snprintf(b, len, "%s", strs[k]);
			assert_memory_equal(a, b, sizeof(a));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_and_separators),
		cmocka_unit_test(test_cut_never_overflows),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_put_as_printf),
		cmocka_unit_test(test_str_copy_as_snprintf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
