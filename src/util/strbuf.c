// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/strbuf.h"
#include "util/addr_fmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void vw_sb_init(struct vw_strbuf *sb, char *buf, size_t len)
{
	sb->buf = buf;
	sb->len = len;
	sb->used = 0;
	sb->items = 0;
	if (len)
		buf[0] = 0;
}

static bool append(struct vw_strbuf *sb, const char *fmt, va_list ap)
{
	if (sb->used + 1 >= sb->len)
		return false;
	int w = vsnprintf(sb->buf + sb->used, sb->len - sb->used, fmt, ap);
	if (w < 0)
		return false;
	if ((size_t)w >= sb->len - sb->used) {
		sb->used = sb->len - 1; /* cut */
		return false;
	}
	sb->used += (size_t)w;
	return true;
}

bool vw_sb_printf(struct vw_strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bool ok = append(sb, fmt, ap);
	va_end(ap);
	return ok;
}

bool vw_sb_item(struct vw_strbuf *sb, const char *sep, const char *fmt, ...)
{
	va_list ap;

	if (sb->items++ && !vw_sb_printf(sb, "%s", sep))
		return false;
	va_start(ap, fmt);
	bool ok = append(sb, fmt, ap);
	va_end(ap);
	return ok;
}

bool vw_sb_put(struct vw_strbuf *sb, const char *s)
{
	if (sb->used + 1 >= sb->len)
		return false;
	size_t room = sb->len - sb->used - 1, n = strlen(s);
	bool whole = n <= room;

	if (!whole)
		n = room; /* cut */
	memcpy(sb->buf + sb->used, s, n);
	sb->used += n;
	sb->buf[sb->used] = 0;
	return whole;
}

bool vw_sb_u64(struct vw_strbuf *sb, unsigned long long v)
{
	char digits[24];

	return vw_sb_put(sb, vw_u64_str(v, digits, sizeof(digits)));
}

void vw_str_copy(char *dst, size_t len, const char *src)
{
	if (!len)
		return;
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}
