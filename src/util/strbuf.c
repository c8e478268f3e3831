// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>

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
