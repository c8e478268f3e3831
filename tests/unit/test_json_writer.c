// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/json_writer.h"

static char *render(void (*fill)(struct json_writer *))
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct json_writer w;

	assert_non_null(f);
	json_begin(&w, f, "t");
	fill(&w);
	json_end(&w);
	fclose(f);
	return buf;
}

static void fill_escapes(struct json_writer *w)
{
	json_str(w, "s", "a\"b\\c\nd\x01");
}

static void test_escapes(void **state)
{
	(void)state;
	assert_string_equal(render(fill_escapes),
			    "{\"type\":\"t\",\"s\":\"a\\\"b\\\\c\\nd\\u0001\"}\n");
}

static void fill_arrays(struct json_writer *w)
{
	json_array_begin(w, "a");
	json_array_u64(w, 1);
	json_array_u64(w, 2);
	json_array_end(w);
	json_array_begin(w, "e");
	json_array_end(w);
	json_time(w, "t", 1500000000123456789ull);
	json_bool(w, "b", true);
}

static void test_arrays_and_time(void **state)
{
	(void)state;
	assert_string_equal(render(fill_arrays),
			    "{\"type\":\"t\",\"a\":[1,2],\"e\":[],\"t\":1500000000.123456,\"b\":true}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_arrays_and_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
