// SPDX-License-Identifier: GPL-2.0-or-later
#include "prom/prom_text.h"

#include <inttypes.h>
#include <string.h>

void vw_prom_escape_help(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			putc(*s, out);
	}
}

void vw_prom_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s ", name);
	vw_prom_escape_help(out, help);
	fprintf(out, "\n# TYPE %s %s\n", name, type);
}

/*
 * Length of the valid UTF-8 sequence at s (1 to 4), or 0 if there is
 * none: overlong forms, surrogates and code points past U+10FFFF are
 * invalid too (RFC 3629, as Go's utf8.ValidString sees it).
 */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the terminating NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void vw_prom_escape_label(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = utf8_len(s);

		if (!n) {
			fputs("\xef\xbf\xbd", out); /* U+FFFD for the one bad byte */
			s++;
		} else if (*s == '\\') {
			fputs("\\\\", out);
		} else if (*s == '"') {
			fputs("\\\"", out);
		} else if (*s == '\n') {
			fputs("\\n", out);
		} else {
			fwrite(s, 1, n, out);
		}
		s += n;
	}
}

void vw_prom_sample(FILE *out, const char *name, const struct vw_prom_label *labels,
		    size_t n_labels, const char *value)
{
	fputs(name, out);
	for (size_t i = 0; i < n_labels; i++) {
		fprintf(out, "%c%s=\"", i ? ',' : '{', labels[i].name);
		vw_prom_escape_label(out, labels[i].value ? labels[i].value : "");
		putc('"', out);
	}
	if (n_labels)
		putc('}', out);
	fprintf(out, " %s\n", value);
}

const char *vw_prom_u64(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

const char *vw_prom_fixed(uint64_t v, unsigned digits, char *buf, size_t len)
{
	uint64_t scale = 1;

	for (unsigned i = 0; i < digits && i < 19; i++)
		scale *= 10;
	if (scale == 1 || v % scale == 0)
		return vw_prom_u64(v / scale, buf, len);
	int n = snprintf(buf, len, "%" PRIu64 ".%0*" PRIu64, v / scale, (int)digits, v % scale);
	/* integer arithmetic: 0.1 stays "0.1", not 0.10000000000000001 */
	while (n > 0 && (size_t)n < len && buf[n - 1] == '0')
		buf[--n] = 0;
	return buf;
}
