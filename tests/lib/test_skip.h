/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_skip.h - how a C test that needs root or BPF says it cannot run:
 * exit 77 (meson's skip), or fail where VRRPWATCH_NO_SKIP is set (CI,
 * which has root and BPF and must exercise these tests).
 */
#ifndef VRRPWATCH_TEST_SKIP_H
#define VRRPWATCH_TEST_SKIP_H

#include <stdio.h>
#include <stdlib.h>

#define EXIT_SKIP 77

static inline int skip_or_fail(const char *why)
{
	if (getenv("VRRPWATCH_NO_SKIP")) {
		fprintf(stderr, "FAIL: %s (VRRPWATCH_NO_SKIP is set: no skipping)\n", why);
		return 1;
	}
	fprintf(stderr, "SKIP: %s\n", why);
	return EXIT_SKIP;
}

#endif
