/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strbuf.h - build a bounded line of text piece by piece (lists of
 * addresses, sources, VRID ranges).  Text that does not fit is cut, never
 * overflows: findings and tables have fixed-size text on purpose.
 */
#ifndef VRRPWATCH_STRBUF_H
#define VRRPWATCH_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct vw_strbuf {
	char *buf;
	size_t len;  /* size of buf */
	size_t used; /* bytes written, without the NUL */
	unsigned items; /* pieces added with vw_sb_item */
};

void vw_sb_init(struct vw_strbuf *sb, char *buf, size_t len);
/* Append formatted text.  Returns false once the buffer is full. */
bool vw_sb_printf(struct vw_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append one list item, preceded by `sep` unless it is the first. */
bool vw_sb_item(struct vw_strbuf *sb, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Append a string, or a number in decimal: what vw_sb_printf(sb, "%s")
 * and "%llu" append, cut alike, without stdio (a text made at every
 * opening of a finding that opens thousands of times an hour). */
bool vw_sb_put(struct vw_strbuf *sb, const char *s);
bool vw_sb_u64(struct vw_strbuf *sb, unsigned long long v);
/* What snprintf(dst, len, "%s", src) leaves in dst, without stdio (names
 * copied at every tick). */
void vw_str_copy(char *dst, size_t len, const char *src);

#endif
