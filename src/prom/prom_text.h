/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * prom_text.h - the pieces of Prometheus' text exposition format 0.0.4:
 * family headers, samples with escaped labels, and numbers written the
 * way the parsers read them (no exponents, no locale).
 */
#ifndef VRRPWATCH_PROM_TEXT_H
#define VRRPWATCH_PROM_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct vw_prom_label {
	const char *name;  /* a valid label name: the caller's constant */
	const char *value; /* anything: escaped and made valid UTF-8 here */
};

/* "# HELP name help" and "# TYPE name type" */
void vw_prom_family(FILE *out, const char *name, const char *type, const char *help);

/* "name{a="x",b="y"} value" (no braces without labels); value is preformatted */
void vw_prom_sample(FILE *out, const char *name, const struct vw_prom_label *labels,
		    size_t n_labels, const char *value);

/*
 * A label value's characters: backslash, double quote and newline escaped;
 * bytes that are not valid UTF-8 become U+FFFD, because the parsers reject
 * the whole exposition over one bad label (an interface name from a
 * capture file can hold anything).
 */
void vw_prom_escape_label(FILE *out, const char *s);
/* A HELP text's characters: backslash and newline escaped. */
void vw_prom_escape_help(FILE *out, const char *s);

#define VW_PROM_NUM_MAX 32
/* v in decimal */
const char *vw_prom_u64(uint64_t v, char *buf, size_t len);
/* v / 10^digits in decimal, trailing zeros dropped: (150, 2) -> "1.5" */
const char *vw_prom_fixed(uint64_t v, unsigned digits, char *buf, size_t len);

#endif
