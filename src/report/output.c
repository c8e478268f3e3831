// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output.c - the one switch on the output format (output.h).
 */
#include <string.h>

#include "report/output.h"

const struct vw_output_ops *vw_output_ops(enum vw_output o)
{
	switch (o) {
	case VW_OUT_JSON:
		return &vw_output_json;
	case VW_OUT_TEXT:
	default:
		return &vw_output_text;
	}
}

int vw_output_by_name(const char *name, enum vw_output *o)
{
	static const struct {
		const char *name;
		enum vw_output o;
	} names[] = {
		{"text", VW_OUT_TEXT},
		{"json", VW_OUT_JSON},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i].name)) {
			*o = names[i].o;
			return 0;
		}
	return -1;
}
