/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json_writer.h - JSON lines output for the reporters: one object per line,
 * strings escaped per RFC 8259, no allocation.
 */
#ifndef VRRPWATCH_JSON_WRITER_H
#define VRRPWATCH_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_writer {
	FILE *out;
	bool need_comma; /* a member or element was written at this level */
};

/* Start an object line: {"type":"<type>" */
void json_begin(struct json_writer *w, FILE *out, const char *type);
/* Close the object and end the line. */
void json_end(struct json_writer *w);

void json_str(struct json_writer *w, const char *key, const char *value);
void json_u64(struct json_writer *w, const char *key, uint64_t value);
void json_i64(struct json_writer *w, const char *key, int64_t value);
void json_bool(struct json_writer *w, const char *key, bool value);
/* Seconds as a float with microsecond precision, from nanoseconds. */
void json_time(struct json_writer *w, const char *key, uint64_t ns);
void json_double(struct json_writer *w, const char *key, double value);
void json_null(struct json_writer *w, const char *key);

/* Nested objects: json_object_begin(w, "key" or NULL in an array) ... end. */
void json_object_begin(struct json_writer *w, const char *key);
void json_object_end(struct json_writer *w);

/* Arrays: json_array_begin(w, "key"), elements, json_array_end(w). */
void json_array_begin(struct json_writer *w, const char *key);
void json_array_str(struct json_writer *w, const char *value);
void json_array_u64(struct json_writer *w, uint64_t value);
void json_array_end(struct json_writer *w);

/* Write s as a quoted, escaped JSON string. */
void json_write_string(FILE *out, const char *s);

#endif
