// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_and_separators),
		cmocka_unit_test(test_cut_never_overflows),
		cmocka_unit_test(test_zero_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
