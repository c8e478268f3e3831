/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kaconf_internal.h - what the keepalived.conf reader's files share:
 * diagnostics, the line source (lexer), keyword tables, the parser
 * state and keepalived's derivation of effective values.
 */
#ifndef VRRPWATCH_KACONF_INTERNAL_H
#define VRRPWATCH_KACONF_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kaconf/kaconf.h"

/* keepalived reads lines with fgets(buf, MAXBUF = 1024): at most 1023
 * bytes, and no substitution may make a line that long. */
#define KA_MAXBUF 1024

#define KA_DEFAULT_MAX_DEPTH 32
#define KA_MAX_DIAGS 10000
#define KA_DEFAULT_MAX_EXPANSION ((size_t)32 << 20)

#if defined(__GNUC__)
#define KA_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define KA_PRINTF(a, b)
#endif

/* ---- kaconf.c: results, diagnostics, shared strings ---- */

/* Return a stable copy of name owned by cfg (one per distinct name). */
const char *ka_intern_file(struct ka_config *cfg, const char *name);
void ka_diag(struct ka_config *cfg, int severity, const char *code,
	     const char *file, unsigned line, const char *fmt, ...) KA_PRINTF(6, 7);
void ka_vdiag(struct ka_config *cfg, int severity, const char *code,
	      const char *file, unsigned line, const char *fmt, va_list ap)
	KA_PRINTF(6, 0);
char *ka_strdup(const char *s);
/* Grow *arr (of elem bytes) to hold n + 1 elements; aborts on OOM. */
void *ka_grow(void *arr, size_t n, size_t elem);

/* ---- kaconf_index.c: lookups by name and VRID in constant time ---- */

struct ka_hent {
	uint64_t h;
	size_t key;      /* where its copy is in the arena, + 1; 0: a free slot */
	size_t len;
	size_t val;      /* the user's: an instance index */
	size_t count;    /* the user's: how many entries share the key */
	size_t last;     /* the user's */
	bool flag;       /* the user's */
};

struct ka_hash {
	struct ka_hent *e;
	size_t cap, n;
	char *arena;     /* the keys, back to back */
	size_t arena_len, arena_cap;
};

struct ka_hent *ka_hash_find(const struct ka_hash *t, const void *key, size_t len);
/* The entry of key, made (zeroed but for the key) when *added. */
struct ka_hent *ka_hash_add(struct ka_hash *t, const void *key, size_t len, bool *added);
void ka_hash_free(struct ka_hash *t);
/* Instance name to its first instance of that name. */
void ka_name_index_build(struct ka_hash *t, const struct ka_config *cfg);
struct ka_instance *ka_name_index_get(const struct ka_hash *t, const struct ka_config *cfg,
				      const char *name);

/* ---- kaconf_lexer.c: keepalived's read_line() ---- */

/* include_check bits, as keepalived's include_t */
enum {
	KA_INCLUDE_R = 0x01, /* error if a match is unreadable/not a file */
	KA_INCLUDE_M = 0x02, /* error if nothing matches (no wildcard) */
	KA_INCLUDE_W = 0x04, /* error if nothing matches (even wildcard) */
	KA_INCLUDE_B = 0x08, /* error if a brace alternative matches nothing */
};

struct ka_lexer;

/* One logical line as keepalived's alloc_strvec() sees it. */
struct ka_tokens {
	char **v;
	size_t n;
	const char *file;
	unsigned line;
	bool extra_brace; /* a '}' the lexer reported already: it closes nothing */
};

struct ka_lexer *ka_lexer_new(struct ka_config *cfg, const struct ka_parse_opts *opts);
/* The main file: globbed like keepalived's -f. 0 or negative errno. */
int ka_lexer_open_file(struct ka_lexer *lx, const char *path);
int ka_lexer_open_string(struct ka_lexer *lx, const char *text, const char *name);
/* 1: a line in *t (valid until the next call); 0: end; < 0: fatal. */
int ka_lexer_next(struct ka_lexer *lx, struct ka_tokens *t);
/* Finish: report unclosed blocks. Returns the fatal error if any. */
int ka_lexer_finish(struct ka_lexer *lx);
/* keepalived exits here (a keyword without its parameter): no more lines. */
void ka_lexer_stop(struct ka_lexer *lx);
void ka_lexer_set_include_check(struct ka_lexer *lx, unsigned flags);
unsigned ka_lexer_include_check(const struct ka_lexer *lx);
void ka_lexer_free(struct ka_lexer *lx);

/* ---- kaconf_keywords.c: the keywords keepalived 2.2.7 knows ---- */

enum ka_kw_kind {
	KA_KW_PLAIN,     /* a keyword line */
	KA_KW_VALUE,     /* keyword line, then a { } block of value lines */
	KA_KW_SUBLEVEL,  /* keyword line, then a { } block of keywords */
	KA_KW_INACTIVE,  /* not the VRRP process's: its { } block is skipped */
};

enum ka_level {
	KA_LVL_ROOT,
	KA_LVL_GLOBAL,
	KA_LVL_INSTANCE,
	KA_LVL_AUTH,
	KA_LVL_SYNC,
	KA_LVL_SCRIPT,
	KA_LVL_TPROCESS,
	KA_LVL_TFILE,
	KA_LVL_GARP,
	KA_LVL_TGROUP,
	KA_LVL_COUNT,
};

/* How keepalived treats name at level; false when it does not know it. */
bool ka_keyword_lookup(enum ka_level level, const char *name, enum ka_kw_kind *kind);
/* The level a KA_KW_SUBLEVEL keyword opens. */
enum ka_level ka_keyword_sublevel(enum ka_level level, const char *name);

/* ---- kaconf_vip.c: one virtual_ipaddress line ---- */

/* Parse "ADDR[/PREFIX] [brd X] [dev X] [scope X] [label X] ..." as
 * keepalived's alloc_ipaddress(). false: keepalived skips the entry. */
bool ka_vip_parse(struct ka_config *cfg, const struct ka_tokens *t, struct ka_vip *out);
void ka_vip_clear(struct ka_vip *v);

/* ---- kaconf_parse.c: keywords to instances ---- */

void ka_parse_stream(struct ka_config *cfg, struct ka_lexer *lx);

/* ---- kaconf_defaults.c: keepalived's vrrp_complete_instance() ---- */

void ka_global_init(struct ka_global *g);
void ka_instance_init(struct ka_instance *in);
void ka_complete_instance(struct ka_config *cfg, struct ka_instance *in);
void ka_complete_config(struct ka_config *cfg);

/* ---- kaconf_vrid.c: keepalived's check_vrid_conflicts() ---- */

void ka_check_vrid_conflicts(struct ka_config *cfg);

/* ---- small number readers matching keepalived's parser.c ---- */

/* read_unsigned(): decimal, no sign, within [min, max]. */
bool ka_read_unsigned(const char *s, unsigned min, unsigned max, unsigned *out);
/* read_decimal_unsigned() with 6 digits: "1.5" -> 1500000 (microseconds);
 * more than 6 decimals round on the 7th, as keepalived does.
 * *rounded tells that precision was lost. */
bool ka_read_micro(const char *s, unsigned long max, unsigned long *out, bool *rounded);
/* check_true_false(): 1, 0, or -1 when not a boolean word. */
int ka_true_false(const char *s);

#endif
