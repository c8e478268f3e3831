// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/json_writer.h"

#include <inttypes.h>
#include <math.h>

void json_write_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void json_key(struct json_writer *w, const char *key)
{
	if (w->need_comma)
		fputc(',', w->out);
	w->need_comma = true;
	if (key) {
		json_write_string(w->out, key);
		fputc(':', w->out);
	}
}

void json_begin(struct json_writer *w, FILE *out, const char *type)
{
	w->out = out;
	w->need_comma = false;
	fputc('{', out);
	json_str(w, "type", type);
}

void json_end(struct json_writer *w)
{
	fputs("}\n", w->out);
	w->need_comma = false;
}

void json_str(struct json_writer *w, const char *key, const char *value)
{
	json_key(w, key);
	json_write_string(w->out, value ? value : "");
}

void json_u64(struct json_writer *w, const char *key, uint64_t value)
{
	json_key(w, key);
	fprintf(w->out, "%" PRIu64, value);
}

void json_i64(struct json_writer *w, const char *key, int64_t value)
{
	json_key(w, key);
	fprintf(w->out, "%" PRId64, value);
}

void json_bool(struct json_writer *w, const char *key, bool value)
{
	json_key(w, key);
	fputs(value ? "true" : "false", w->out);
}

void json_time(struct json_writer *w, const char *key, uint64_t ns)
{
	json_key(w, key);
	fprintf(w->out, "%" PRIu64 ".%06" PRIu64, ns / 1000000000u, ns % 1000000000u / 1000u);
}

void json_double(struct json_writer *w, const char *key, double value)
{
	json_key(w, key);
	if (isfinite(value))
		fprintf(w->out, "%.6g", value);
	else
		fputs("null", w->out);
}

void json_null(struct json_writer *w, const char *key)
{
	json_key(w, key);
	fputs("null", w->out);
}

void json_array_begin(struct json_writer *w, const char *key)
{
	json_key(w, key);
	fputc('[', w->out);
	w->need_comma = false;
}

void json_array_str(struct json_writer *w, const char *value)
{
	json_key(w, NULL);
	json_write_string(w->out, value);
}

void json_array_u64(struct json_writer *w, uint64_t value)
{
	json_key(w, NULL);
	fprintf(w->out, "%" PRIu64, value);
}

void json_array_end(struct json_writer *w)
{
	fputc(']', w->out);
	w->need_comma = true;
}

void json_object_begin(struct json_writer *w, const char *key)
{
	json_key(w, key);
	fputc('{', w->out);
	w->need_comma = false;
}

void json_object_end(struct json_writer *w)
{
	fputc('}', w->out);
	w->need_comma = true;
}
