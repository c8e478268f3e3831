// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kaconf_lexer.c - turn keepalived.conf files into the logical lines that
 * keepalived 2.2.7's read_line() hands to its keyword parser.
 *
 * Per physical line, in keepalived's order (lib/parser.c):
 *   fgets() of at most 1023 bytes; strip \n \r; a blank line ends a
 *   multi-line $VAR definition; decomment() ('#' '!' outside "..." start a
 *   comment, \# \! escape them, a trailing \ continues a definition);
 *   @id / @^id conditional prefix; $NAME=VALUE definitions; ~SEQ / ~LST
 *   generators; $NAME / ${NAME} substitution (rescanned, then decommented
 *   again); include; '{' and '}' split onto lines of their own; words
 *   split on white space with "..." kept together (alloc_strvec_r()).
 *
 * Generated lines (multi-line definitions, ~SEQ, ~LST) come from a stack:
 * the newest generator yields first, which is what keepalived's
 * seq_list / multiline_stack / multiline_seq_depth amount to.
 *
 * keepalived itself can hang ($A=$A) or recurse without end (include
 * loops); here those are fatal errors with the place they started.
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kaconf/kaconf_internal.h"

#define WHITE " \t\f\n\r\v"
#define MAX_GENERATORS 256
#define MAX_SUBST_PER_LINE 4096
#define MAX_FILE_BYTES ((size_t)64 << 20)
#define MAX_OPEN_BLOCKS 64

enum std_def { STD_NONE, STD_PWD, STD_INSTANCE, STD_RANDOM };

struct def {
	char *name;
	char *value;
	bool multiline;
	enum std_def std;
};

enum gen_kind { GEN_MULTI, GEN_SEQ, GEN_LST };

struct gen {
	enum gen_kind kind;
	const char *file;
	unsigned line;
	char *text;          /* MULTI: remaining lines; SEQ/LST: the line */
	size_t pos;          /* MULTI: read position in text */
	char **vars;         /* SEQ: one; LST: the parameter names */
	size_t nvars;
	long next, last, step; /* SEQ */
	bool hex;            /* SEQ */
	char **values;       /* LST: nsets * nvars values */
	size_t nsets, next_set; /* LST */
};

/* The matches of one include (or of -f) still to be read. */
struct pending {
	char **paths;
	size_t n, next;
	unsigned type;       /* KA_INCLUDE_* of the include keyword */
	bool main;           /* the configuration file itself */
};

struct src {
	char *text;
	size_t len, pos;
	const char *name;    /* interned display name */
	char *dir;           /* prefix for relative includes, "" = cwd */
	unsigned line;
	dev_t dev;
	ino_t ino;
	unsigned saved_include_check;
	struct pending pend; /* the include's matches not read yet */
};

struct ka_lexer {
	struct ka_config *cfg;
	unsigned max_depth;
	size_t max_expansion;
	size_t expanded;
	int fatal;
	struct src *srcs;
	size_t nsrc;
	struct gen *gens;
	size_t ngen;
	char *residue;
	struct def *defs;
	size_t ndefs;
	size_t mdef;         /* index of the multi-line definition being read */
	bool in_mdef;
	unsigned include_check;
	int block_depth;
	struct ka_loc open_blocks[MAX_OPEN_BLOCKS];
	char buf[KA_MAXBUF * 2];
	const char *file;    /* where the line in buf comes from */
	unsigned line;
	unsigned long rnd;
	unsigned subst;      /* substitutions on the current line */
	struct ka_tokens tok;
	size_t tokcap;
	char *tokbuf;
	bool warned_random;
	bool stopped;
	bool residue_expanded;  /* the residue comes from substituted text */
	bool extra_brace;       /* the line in buf is a '}' reported as extra-brace */
};

static void lx_err(struct ka_lexer *lx, int sev, const char *code, const char *fmt, ...)
	KA_PRINTF(4, 5);

static void lx_err(struct ka_lexer *lx, int sev, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ka_vdiag(lx->cfg, sev, code, lx->file, lx->line, fmt, ap);
	va_end(ap);
}

static int lx_fatal(struct ka_lexer *lx, int err)
{
	if (!lx->fatal)
		lx->fatal = err;
	lx->cfg->fatal = true;
	return lx->fatal;
}

/* ------------------------------------------------------------------ */
/* definitions */

static struct def *find_def_len(struct ka_lexer *lx, const char *name, size_t len)
{
	for (size_t i = 0; i < lx->ndefs; i++) {
		if (strlen(lx->defs[i].name) == len && !strncmp(lx->defs[i].name, name, len))
			return &lx->defs[i];
	}
	return NULL;
}

static struct def *set_def(struct ka_lexer *lx, const char *name, size_t len, const char *value)
{
	struct def *d = find_def_len(lx, name, len);

	if (!d) {
		lx->defs = ka_grow(lx->defs, lx->ndefs, sizeof(*lx->defs));
		d = &lx->defs[lx->ndefs++];
		memset(d, 0, sizeof(*d));
		d->name = strndup(name, len);
		if (!d->name)
			abort();
	}
	free(d->value);
	d->value = ka_strdup(value);
	d->multiline = false;
	d->std = STD_NONE; /* a definition overrides a standard one */
	return d;
}

static void add_std_defs(struct ka_lexer *lx)
{
	static const struct { const char *n; const char *v; enum std_def s; } std[] = {
		{ "_PWD", "", STD_PWD },
		{ "_INSTANCE", "", STD_INSTANCE },
		{ "_RANDOM", "", STD_RANDOM },
		{ "_HASH", "#", STD_NONE },
		{ "_BANG", "!", STD_NONE },
	};

	for (size_t i = 0; i < sizeof(std) / sizeof(std[0]); i++)
		set_def(lx, std[i].n, strlen(std[i].n), std[i].v)->std = std[i].s;
}

/* ------------------------------------------------------------------ */
/* decomment(): comments, \# \! escapes, leading/trailing white space */

static void strip_trailing_blanks(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

static void decomment(struct ka_lexer *lx, char *str)
{
	bool quote = false, cont = false;
	char *skip = NULL;
	char *p = str + strspn(str, " \t");

	memmove(str, p, strlen(p) + 1);
	for (p = str; (p = strpbrk(p, "!#\"\\")); ) {
		if (*p == '"') {
			if (!skip)
				quote = !quote;
			p++;
		} else if (*p == '\\') {
			if (!p[1]) {
				*p = '\0';
				cont = true;
				break;
			}
			/* keepalived removes the \ of \# and \! outside quotes */
			if (!quote && (p[1] == '#' || p[1] == '!')) {
				memmove(p, p + 1, strlen(p + 1) + 1);
				p++;
			} else {
				p += 2;
			}
		} else {
			if (!quote && !skip)
				skip = p;
			p++;
		}
	}
	if (quote) {
		lx_err(lx, KA_DIAG_ERROR, "unterminated-quote",
		       "unterminated quote in '%s' (keepalived cannot tell where the string or a comment ends)", str);
		lx->cfg->syntax_error = true;
	}
	if (skip)
		*skip = '\0';
	strip_trailing_blanks(str);
	if (cont)
		strcat(str, "\\");
}

/* ------------------------------------------------------------------ */
/* files */

static void pending_free(struct pending *p)
{
	for (size_t i = p->next; i < p->n; i++)
		free(p->paths[i]);
	free(p->paths);
	memset(p, 0, sizeof(*p));
}

static void src_free(struct src *s)
{
	free(s->text);
	free(s->dir);
	pending_free(&s->pend);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return ka_strdup("");
	if (slash == path)
		return ka_strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int read_all(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t cap = 4096, n = 0;
	char *b;

	if (!f)
		return -errno;
	b = malloc(cap + 1);
	if (!b)
		abort();
	for (;;) {
		size_t got = fread(b + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			if (cap >= MAX_FILE_BYTES) {
				fclose(f);
				free(b);
				return -EFBIG;
			}
			cap *= 2;
			b = realloc(b, cap + 1);
			if (!b)
				abort();
		}
	}
	if (ferror(f)) {
		fclose(f);
		free(b);
		return -EIO;
	}
	fclose(f);
	b[n] = '\0';
	*text = b;
	*len = n;
	return 0;
}

/* Is (dev, ino) already being read? That is an include loop. */
static bool reading(const struct ka_lexer *lx, const struct stat *st)
{
	for (size_t i = 0; i < lx->nsrc; i++) {
		if (lx->srcs[i].dev == st->st_dev && lx->srcs[i].ino == st->st_ino)
			return true;
	}
	return false;
}

/* A file keepalived skips: an error for the main file and include_check
 * "readable", else a warning. Returns < 0 only for the main file. */
static int skipped(struct ka_lexer *lx, const struct pending *p, int err, const char *msg)
{
	bool is_error = p->main || ((lx->include_check | p->type) & KA_INCLUDE_R);

	lx_err(lx, is_error ? KA_DIAG_ERROR : KA_DIAG_WARNING,
	       p->main ? "config-unreadable" : "include-skipped", "%s", msg);
	return p->main ? lx_fatal(lx, err) : 0;
}

static int check_file(struct ka_lexer *lx, const char *path, const struct pending *p, struct stat *st)
{
	char msg[PATH_MAX + 128];

	if (path[0] && path[strlen(path) - 1] == '/') {
		snprintf(msg, sizeof(msg), "configuration file '%s' is a directory - keepalived skips it", path);
		return skipped(lx, p, -EISDIR, msg) < 0 ? lx->fatal : 1;
	}
	if (stat(path, st)) {
		int e = errno;

		snprintf(msg, sizeof(msg), "cannot read configuration file '%s': %s", path, strerror(e));
		return skipped(lx, p, -e, msg) < 0 ? lx->fatal : 1;
	}
	/* keepalived only reads regular files without any execute bit */
	if (!S_ISREG(st->st_mode) || (st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
		snprintf(msg, sizeof(msg),
			 "configuration file '%s' is not a regular non-executable file - keepalived skips it", path);
		return skipped(lx, p, -EACCES, msg) < 0 ? lx->fatal : 1;
	}
	if (reading(lx, st)) {
		lx_err(lx, KA_DIAG_ERROR, "include-loop",
		       "include loop: '%s' is already being read (keepalived would include it again and again)", path);
		return lx_fatal(lx, -ELOOP);
	}
	if (lx->nsrc >= lx->max_depth) {
		lx_err(lx, KA_DIAG_ERROR, "include-depth",
		       "includes nested deeper than %u levels at '%s'", lx->max_depth, path);
		return lx_fatal(lx, -ELOOP);
	}
	return 0;
}

/* Open path and push it as the file being read. 1 opened, 0 skipped. */
static int open_one(struct ka_lexer *lx, const char *path, const struct pending *p)
{
	struct stat st;
	struct src s = { 0 };
	char msg[PATH_MAX + 128];
	int r = check_file(lx, path, p, &st);

	if (r)
		return r < 0 ? r : 0;
	r = read_all(path, &s.text, &s.len);
	if (r) {
		snprintf(msg, sizeof(msg), "cannot read configuration file '%s': %s", path, strerror(-r));
		return skipped(lx, p, r, msg);
	}
	s.name = ka_intern_file(lx->cfg, path);
	s.dir = dir_of(path);
	s.dev = st.st_dev;
	s.ino = st.st_ino;
	s.saved_include_check = lx->include_check;
	lx->srcs = ka_grow(lx->srcs, lx->nsrc, sizeof(*lx->srcs));
	lx->srcs[lx->nsrc++] = s;
	return 1;
}

/* Open the next readable match of p; the matches after it travel with
 * the opened file. Takes p. 1 opened, 0 none left, < 0 fatal. */
static int open_next(struct ka_lexer *lx, struct pending *p)
{
	while (p->next < p->n) {
		char *path = p->paths[p->next++];
		int r = open_one(lx, path, p);

		free(path);
		if (r < 0) {
			pending_free(p);
			return r;
		}
		if (r == 1) {
			lx->srcs[lx->nsrc - 1].pend = *p;
			memset(p, 0, sizeof(*p));
			return 1;
		}
	}
	pending_free(p);
	return 0;
}

static char *escape_glob(const char *s)
{
	char *out = malloc(strlen(s) * 2 + 1), *o = out;

	if (!out)
		abort();
	for (; *s; s++) {
		if (strchr("*?[]{}\\", *s))
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* keepalived chdir()s into each file's directory, so a relative include
 * is relative to the including file. */
static char *full_pattern(const struct ka_lexer *lx, const char *pattern)
{
	const char *dir = lx->nsrc ? lx->srcs[lx->nsrc - 1].dir : "";
	char *edir, *out;
	size_t n;

	if (pattern[0] == '/' || !dir[0])
		return ka_strdup(pattern);
	edir = escape_glob(dir);
	n = strlen(edir) + strlen(pattern) + 2;
	out = malloc(n);
	if (!out)
		abort();
	snprintf(out, n, "%s%s%s", edir, strcmp(dir, "/") ? "/" : "", pattern);
	free(edir);
	return out;
}

static int no_match(struct ka_lexer *lx, const char *pattern, const struct pending *p)
{
	unsigned chk = lx->include_check | p->type;
	bool wild = strpbrk(pattern, "*?[") != NULL;
	bool brace = strchr(pattern, '{') != NULL;
	bool err = (chk & KA_INCLUDE_W) || ((chk & KA_INCLUDE_M) && !wild) ||
		   ((chk & KA_INCLUDE_B) && brace);

	if (p->main) {
		lx_err(lx, KA_DIAG_ERROR, "config-unreadable", "configuration file not found");
		return lx_fatal(lx, -ENOENT);
	}
	lx_err(lx, err ? KA_DIAG_ERROR : KA_DIAG_WARNING, "include-missing",
	       "no config files matched '%s'%s", pattern,
	       err ? "" : " (keepalived carries on without it)");
	return 0;
}

static int push_glob(struct ka_lexer *lx, const char *pattern, unsigned type, bool main_file)
{
	struct pending p = { .type = type, .main = main_file };
	char *full = main_file ? ka_strdup(pattern) : full_pattern(lx, pattern);
	glob_t g;
	int r;

	memset(&g, 0, sizeof(g));
	r = glob(full, GLOB_MARK | GLOB_BRACE, NULL, &g);
	free(full);
	if (r == GLOB_NOMATCH || (r == 0 && g.gl_pathc == 0)) {
		globfree(&g);
		return no_match(lx, pattern, &p);
	}
	if (r) {
		globfree(&g);
		lx_err(lx, KA_DIAG_ERROR, main_file ? "config-unreadable" : "include-skipped",
		       "cannot expand '%s' (glob error %d)", pattern, r);
		return main_file ? lx_fatal(lx, -EIO) : 0;
	}
	p.paths = calloc(g.gl_pathc, sizeof(char *));
	if (!p.paths)
		abort();
	for (size_t i = 0; i < g.gl_pathc; i++)
		p.paths[i] = ka_strdup(g.gl_pathv[i]);
	p.n = g.gl_pathc;
	globfree(&g);
	r = open_next(lx, &p);
	if (r == 0 && main_file && !lx->fatal) {
		lx_err(lx, KA_DIAG_ERROR, "config-unreadable",
		       "no readable configuration file matched '%s'", pattern);
		return lx_fatal(lx, -EACCES);
	}
	return r < 0 ? r : 0;
}

/* The file on top is finished: close it, open the next glob match. */
static int pop_file(struct ka_lexer *lx)
{
	struct src done = lx->srcs[--lx->nsrc];
	struct pending p = done.pend;

	/* keepalived restores include_check when a file is closed */
	lx->include_check = done.saved_include_check;
	memset(&done.pend, 0, sizeof(done.pend));
	src_free(&done);
	return open_next(lx, &p);
}

/* fgets(buf, 1024): up to '\n' or 1023 bytes. 1 got, 0 end of file. */
static int file_chunk(struct ka_lexer *lx, struct src *s, bool *whole_line)
{
	size_t n = 0;
	bool nl = false;
	bool new_line = s->pos == 0 || s->text[s->pos - 1] == '\n';

	if (s->pos >= s->len)
		return 0;
	while (s->pos < s->len && n < KA_MAXBUF - 1) {
		char c = s->text[s->pos++];

		lx->buf[n++] = c;
		if (c == '\n') {
			nl = true;
			break;
		}
	}
	lx->buf[n] = '\0';
	if (new_line)
		s->line++;
	*whole_line = nl || s->pos >= s->len;
	lx->file = s->name;
	lx->line = s->line;
	if (!*whole_line && new_line)
		lx_err(lx, KA_DIAG_WARNING, "line-too-long",
		       "line longer than %d bytes: keepalived reads it as several lines", KA_MAXBUF - 1);
	return 1;
}

/* Next decommented, non-empty physical line. 1, 0 end, < 0 fatal. */
static int next_file_line(struct ka_lexer *lx)
{
	for (;;) {
		struct src *s;
		bool whole;
		size_t len;

		if (lx->fatal)
			return lx->fatal;
		if (!lx->nsrc)
			return 0;
		s = &lx->srcs[lx->nsrc - 1];
		if (!file_chunk(lx, s, &whole)) {
			int r = pop_file(lx);

			if (r < 0)
				return r;
			continue;
		}
		len = strlen(lx->buf); /* a NUL byte ends the line, as strlen() in keepalived */
		while (len && (lx->buf[len - 1] == '\n' || lx->buf[len - 1] == '\r'))
			lx->buf[--len] = '\0';
		if (!len) {
			/* a blank line ends a multi-line definition */
			if (lx->in_mdef) {
				lx->in_mdef = false;
				if (!lx->defs[lx->mdef].value[0])
					lx->defs[lx->mdef].multiline = false;
			}
			continue;
		}
		decomment(lx, lx->buf);
		if (lx->buf[0])
			return 1;
	}
}

/* ------------------------------------------------------------------ */
/* generators: multi-line definitions, ~SEQ, ~LST */

static void gen_free(struct gen *g)
{
	free(g->text);
	for (size_t i = 0; i < g->nvars; i++)
		free(g->vars[i]);
	free(g->vars);
	for (size_t i = 0; i < g->nsets * g->nvars; i++)
		free(g->values[i]);
	free(g->values);
}

static struct gen *push_gen(struct ka_lexer *lx, enum gen_kind kind)
{
	struct gen *g;

	if (lx->ngen >= MAX_GENERATORS) {
		lx_err(lx, KA_DIAG_ERROR, "runaway-expansion",
		       "multi-line definitions and ~SEQ/~LST nested more than %d deep", MAX_GENERATORS);
		lx_fatal(lx, -E2BIG);
		return NULL;
	}
	lx->gens = ka_grow(lx->gens, lx->ngen, sizeof(*lx->gens));
	g = &lx->gens[lx->ngen++];
	memset(g, 0, sizeof(*g));
	g->kind = kind;
	g->file = lx->file;
	g->line = lx->line;
	return g;
}

static void pop_gen(struct ka_lexer *lx)
{
	gen_free(&lx->gens[--lx->ngen]);
}

static void copy_line(struct ka_lexer *lx, const char *s, size_t n)
{
	if (n >= sizeof(lx->buf))
		n = sizeof(lx->buf) - 1;
	memcpy(lx->buf, s, n);
	lx->buf[n] = '\0';
}

static void gen_multi_line(struct ka_lexer *lx, struct gen *g)
{
	const char *p = g->text + g->pos;
	const char *end = strchr(p, '\n');

	if (end) {
		copy_line(lx, p, (size_t)(end - p));
		g->pos += (size_t)(end - p) + 1;
	} else {
		copy_line(lx, p, strlen(p));
		pop_gen(lx);
	}
}

static void gen_seq_line(struct ka_lexer *lx, struct gen *g)
{
	char val[24];

	if (g->hex)
		snprintf(val, sizeof(val), "%lx", (unsigned long)g->next);
	else
		snprintf(val, sizeof(val), "%ld", g->next);
	set_def(lx, g->vars[0], strlen(g->vars[0]), val);
	copy_line(lx, g->text, strlen(g->text));
	if ((g->step > 0 && g->next > LONG_MAX - g->step) || (g->step < 0 && g->next < LONG_MIN - g->step)) {
		pop_gen(lx);
		return;
	}
	g->next += g->step;
	if ((g->step > 0 && g->next > g->last) || (g->step < 0 && g->next < g->last))
		pop_gen(lx);
}

static void gen_lst_line(struct ka_lexer *lx, struct gen *g)
{
	for (size_t i = 0; i < g->nvars; i++)
		set_def(lx, g->vars[i], strlen(g->vars[i]), g->values[g->next_set * g->nvars + i]);
	copy_line(lx, g->text, strlen(g->text));
	if (++g->next_set >= g->nsets)
		pop_gen(lx);
}

/* The next generated line into buf; 1, or 0 when no generator is active. */
static int next_gen_line(struct ka_lexer *lx)
{
	struct gen *g;

	if (!lx->ngen)
		return 0;
	g = &lx->gens[lx->ngen - 1];
	lx->file = g->file;
	lx->line = g->line;
	if (g->kind == GEN_MULTI)
		gen_multi_line(lx, g);
	else if (g->kind == GEN_SEQ)
		gen_seq_line(lx, g);
	else
		gen_lst_line(lx, g);
	lx->expanded += strlen(lx->buf) + 1;
	if (lx->expanded > lx->max_expansion) {
		lx_err(lx, KA_DIAG_ERROR, "runaway-expansion",
		       "runaway expansion: $VAR / ~SEQ / ~LST generated more than %zu bytes", lx->max_expansion);
		return lx_fatal(lx, -E2BIG);
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* $NAME=VALUE definitions (check_definition()) */

static void start_mdef(struct ka_lexer *lx, struct def *d, const char *p)
{
	size_t n = strlen(p);

	/* "VALUE \": drop blanks before the \, the \ becomes a line end */
	n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	free(d->value);
	d->value = malloc(n + 2);
	if (!d->value)
		abort();
	memcpy(d->value, p, n);
	if (n)
		d->value[n++] = '\n';
	d->value[n] = '\0';
	d->multiline = true;
	lx->mdef = (size_t)(d - lx->defs);
	lx->in_mdef = true;
}

static bool check_definition(struct ka_lexer *lx)
{
	const char *buf = lx->buf, *p;
	size_t len;
	struct def *d;

	if (buf[0] != '$' || (!isalpha((unsigned char)buf[1]) && buf[1] != '_'))
		return false;
	for (p = buf + 2; *p && *p != '='; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	}
	if (*p != '=')
		return false;
	len = (size_t)(p - buf - 1);
	p++;
	p += strspn(p, " \t");
	d = set_def(lx, buf + 1, len, "");
	if (*p && p[strlen(p) - 1] == '\\')
		start_mdef(lx, d, p);
	else
		set_def(lx, buf + 1, len, p);
	return true;
}

/* A line of a multi-line definition. */
static void mdef_append(struct ka_lexer *lx)
{
	struct def *d = &lx->defs[lx->mdef];
	size_t len = strlen(lx->buf), old;

	if (len && lx->buf[len - 1] == '\\') {
		len--;
		while (len && (lx->buf[len - 1] == ' ' || lx->buf[len - 1] == '\t'))
			len--;
		lx->buf[len++] = '\n';
		lx->buf[len] = '\0';
	} else {
		lx->in_mdef = false;
		if (!d->value[0])
			d->multiline = false;
	}
	if (len >= 2 || (len && !lx->in_mdef)) {
		old = strlen(d->value);
		d->value = realloc(d->value, old + len + 1);
		if (!d->value)
			abort();
		memcpy(d->value + old, lx->buf, len + 1);
	}
	lx->buf[0] = '\0';
}

/* ------------------------------------------------------------------ */
/* @id / @^id conditional lines */

static void conditional(struct ka_lexer *lx)
{
	char *buf = lx->buf;
	const char *id = lx->cfg->config_id;
	size_t ofs = buf[1] == '^' ? 2 : 1;
	bool rev = ofs == 2;
	char *rest = strpbrk(buf + ofs, " \t");
	size_t idlen;
	bool match;

	if (!rest) { /* nothing after the id: keepalived drops the line */
		buf[0] = '\0';
		return;
	}
	idlen = (size_t)(rest - (buf + ofs));
	match = id && idlen == strlen(id) && !strncmp(buf + ofs, id, idlen);
	if (match == rev) {
		buf[0] = '\0';
		return;
	}
	rest += strspn(rest, " \t");
	memmove(buf, rest, strlen(rest) + 1);
}

/* ------------------------------------------------------------------ */
/* $NAME / ${NAME} substitution (find_definition(), replace_param()) */

struct ref {
	struct def *def;
	size_t replaced;    /* bytes of "$NAME" / "${NAME}" / "${_RANDOM a b}" */
	const char *params;
};

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool find_ref(struct ka_lexer *lx, const char *dollar, struct ref *r)
{
	const char *name = dollar + 1, *p, *pstart = NULL, *pend = NULL;
	bool braces = false, allow_multi;
	size_t len;

	if (!lx->ndefs)
		return false;
	if (*name == '{') {
		braces = true;
		name++;
	}
	if (!isalpha((unsigned char)*name) && *name != '_')
		return false;
	for (p = name + 1; name_char(*p); p++)
		;
	len = (size_t)(p - name);
	if (braces) {
		/* ${_RANDOM MIN MAX}: digits and spaces, not ending in a space */
		for (; *p == ' ' || isdigit((unsigned char)*p); p++) {
			if (*p != ' ') {
				if (!pstart)
					pstart = p;
				pend = p;
			}
		}
		if (pstart && pend + 1 != p)
			return false;
		if (*p != '}')
			return false;
	} else if (*p != ' ' && *p != '\t' && *p != ',' && *p != ')' && *p) {
		return false;
	}
	/* a multi-line definition must be the last thing on the line */
	allow_multi = braces ? name[len] && !name[len + 1] : !name[len];
	r->def = find_def_len(lx, name, len);
	if (!r->def || (r->def->multiline && !allow_multi))
		return false;
	if (pstart && r->def->std != STD_RANDOM)
		return false;
	r->params = pstart;
	r->replaced = pstart ? (size_t)(pend - dollar) + (braces ? 2 : 1)
			     : len + 1 + (braces ? 2 : 0);
	return true;
}

/* glibc random() as keepalived's ${_RANDOM}; keepalived seeds it with the
 * time, so the value differs on every start anyway. */
static unsigned long next_random(struct ka_lexer *lx)
{
	lx->rnd = lx->rnd * 1103515245UL + 12345UL;
	return (lx->rnd / 65536UL) % 32768UL;
}

static void std_value(struct ka_lexer *lx, struct def *d, const char *params)
{
	char tmp[PATH_MAX + 32];

	if (d->std == STD_PWD) {
		const char *dir = lx->nsrc ? lx->srcs[lx->nsrc - 1].dir : "";
		char *real = realpath(dir[0] ? dir : ".", NULL);

		snprintf(tmp, sizeof(tmp), "%s", real ? real : dir);
		free(real);
	} else if (d->std == STD_INSTANCE) {
		snprintf(tmp, sizeof(tmp), "%s", lx->cfg->config_id ? lx->cfg->config_id : "");
	} else {
		unsigned long min = 0, max = 32767;
		char *end;

		if (params) {
			min = strtoul(params, &end, 10);
			if (*end == ' ')
				max = strtoul(end, &end, 10);
		}
		if (max < min)
			max = min;
		snprintf(tmp, sizeof(tmp), "%lu", next_random(lx) % (max - min + 1) + min);
		if (!lx->warned_random)
			lx_err(lx, KA_DIAG_INFO, "random",
			       "${_RANDOM} is a different number on every keepalived start; shown here: %s", tmp);
		lx->warned_random = true;
	}
	free(d->value);
	d->value = ka_strdup(tmp);
}

static bool push_multi_rest(struct ka_lexer *lx, const char *rest)
{
	struct gen *g = push_gen(lx, GEN_MULTI);

	if (!g)
		return false;
	g->text = ka_strdup(rest);
	return true;
}

/* Replace one reference at cur. false: stop (line limit or fatal). */
static bool substitute(struct ka_lexer *lx, char *cur, struct ref *r, bool *multi_pushed)
{
	struct def *d = r->def;
	size_t used = strlen(lx->buf), with;
	const char *nl;

	if (d->std != STD_NONE)
		std_value(lx, d, r->params);
	nl = d->multiline ? strchr(d->value, '\n') : NULL;
	with = nl ? (size_t)(nl - d->value) : strlen(d->value);
	if (used + with - r->replaced >= KA_MAXBUF) {
		lx_err(lx, KA_DIAG_ERROR, "line-too-long",
		       "substituting $%s would make the line longer than %d bytes; keepalived stops substituting here",
		       d->name, KA_MAXBUF - 1);
		return false;
	}
	/* substituted text counts against the expansion budget too: a $VAR
	 * whose value ends up in a brace residue can re-expand for ever */
	lx->expanded += with;
	if (lx->expanded > lx->max_expansion) {
		lx_err(lx, KA_DIAG_ERROR, "runaway-expansion",
		       "runaway expansion: $VAR / ~SEQ / ~LST generated more than %zu bytes", lx->max_expansion);
		lx_fatal(lx, -E2BIG);
		return false;
	}
	memmove(cur + with, cur + r->replaced, strlen(cur + r->replaced) + 1);
	memcpy(cur, d->value, with);
	if (nl) {
		/* the other lines of the value come next, before the file */
		if (!push_multi_rest(lx, nl + 1))
			return false;
		*multi_pushed = true;
	}
	return true;
}

/* 1 something replaced, 0 nothing, < 0 fatal. */
static int replace_params(struct ka_lexer *lx)
{
	char *cur = lx->buf;
	bool found = false, multi = false;
	struct ref r;

	while ((cur = strchr(cur, '$')) && cur[1]) {
		if (!find_ref(lx, cur, &r)) {
			cur++;
			continue;
		}
		if (++lx->subst > MAX_SUBST_PER_LINE) {
			lx_err(lx, KA_DIAG_ERROR, "runaway-expansion",
			       "runaway $VAR substitution: $%s keeps expanding (keepalived would loop for ever)",
			       r.def->name);
			return lx_fatal(lx, -E2BIG);
		}
		found = true;
		/* over the line limit keepalived gives up and uses the line as it is */
		if (!substitute(lx, cur, &r, &multi))
			return lx->fatal ? lx->fatal : 0;
		/* keepalived leaves ~SEQ / ~LST text alone until the line starts it */
		if (r.def->value[strspn(r.def->value, " \t")] == '~')
			break;
		/* the replacement is scanned again, at the same place */
	}
	return found ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* ~SEQ(var, start, step, end) and ~LST(var, v1, v2, ...) */

static bool seq_numbers(const char *p, long *start, long *step, long *end)
{
	long v[3];
	int n = 0;
	char *e;

	for (;;) {
		errno = 0;
		v[n++] = strtol(p, &e, 0);
		p = e + strspn(e, " \t");
		if (*p == ')')
			break;
		if (*p != ',' || n == 3)
			return false;
		p++;
	}
	if (n == 1) {
		*end = v[0];
		*step = *end < 1 ? -1 : 1;
		*start = *end < 0 ? -1 : 1;
	} else if (n == 2) {
		*start = v[0];
		*end = v[1];
		*step = *start <= *end ? 1 : -1;
	} else {
		*start = v[0];
		*step = v[1];
		*end = v[2];
		if (!*step || (*start < *end && *step < 0) || (*start > *end && *step > 0))
			return false;
	}
	return true;
}

static bool add_seq(struct ka_lexer *lx)
{
	char *p = lx->buf + 4, *var, *close;
	size_t varlen;
	bool hex = false;
	long start, step, end;
	struct gen *g;
	char params[80];

	if (*p == 'x') {
		hex = true;
		p++;
	}
	p += strspn(p, " \t");
	if (*p++ != '(')
		return false;
	p += strspn(p, " \t");
	var = p;
	p += strcspn(p, " \t,)");
	varlen = (size_t)(p - var);
	p += strspn(p, " \t");
	if (!*p || *p == ')' || !varlen)
		return false;
	p++;
	p += strspn(p, " \t");
	close = strchr(p, ')');
	if (!close || (size_t)(close - p) + 2 > sizeof(params) - 16)
		return false;
	/* the numbers may be $VAR references (not multi-line ones) */
	memcpy(params, p, (size_t)(close - p) + 1);
	params[close - p + 1] = '\0';
	for (char *d; (d = strchr(params, '$')); ) {
		struct ref r;

		if (!find_ref(lx, d, &r) || r.def->multiline || r.def->std != STD_NONE ||
		    strlen(params) + strlen(r.def->value) >= sizeof(params) || ++lx->subst > MAX_SUBST_PER_LINE)
			break;
		memmove(d + strlen(r.def->value), d + r.replaced, strlen(d + r.replaced) + 1);
		memcpy(d, r.def->value, strlen(r.def->value));
	}
	if (!seq_numbers(params, &start, &step, &end) || (hex && (start < 0 || end < 0)))
		return false;
	g = push_gen(lx, GEN_SEQ);
	if (!g)
		return true;
	g->vars = calloc(1, sizeof(char *));
	if (!g->vars)
		abort();
	g->vars[0] = strndup(var, varlen);
	g->nvars = 1;
	g->next = start;
	g->step = step;
	g->last = end;
	g->hex = hex;
	close++;
	g->text = ka_strdup(close + strspn(close, " \t"));
	return true;
}

static void free_words(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

static const char *skip_sep(const char *p)
{
	return p + 1 + strspn(p + 1, " \t");
}

static void add_word(char ***w, size_t *n, const char *s, size_t len)
{
	*w = ka_grow(*w, *n, sizeof(char *));
	(*w)[(*n)++] = strndup(s, len);
	if (!(*w)[*n - 1])
		abort();
}

/* "(VAR," or "({V1, V2}," -> names; returns the text after the ','. */
static const char *lst_vars(const char *p, char ***vars, size_t *nvars)
{
	char end = ',';

	p += strspn(p, " \t");
	if (*p++ != '(')
		return NULL;
	p += strspn(p, " \t");
	if (*p == '{') {
		end = '}';
		p++;
		p += strspn(p, " \t");
	}
	for (;;) {
		size_t len = strcspn(p, " \t,}");

		add_word(vars, nvars, p, len);
		p += len;
		p += strspn(p, " \t");
		if (*p == end)
			break;
		if (*p != ',')
			return NULL;
		p = skip_sep(p);
	}
	if (*p == '}')
		p = skip_sep(p);
	if (*p != ',')
		return NULL;
	return skip_sep(p);
}

/* One value set: "V" or "{V1, V2}"; missing values are empty. */
static const char *lst_set(const char *p, size_t nvars, char ***vals, size_t *nvals)
{
	char end = ',';
	size_t got = 0;

	if (*p == '{') {
		end = '}';
		p++;
		p += strspn(p, " \t");
	}
	for (;;) {
		size_t len = strcspn(p, " \t,})");

		if (got == nvars)
			return NULL; /* "~LST specification has too many values" */
		add_word(vals, nvals, p, len);
		got++;
		p += len;
		p += strspn(p, " \t");
		if (*p == end || (*p == ')' && end == ','))
			break;
		if (*p != ',')
			return NULL;
		p = skip_sep(p);
	}
	for (; got < nvars; got++)
		add_word(vals, nvals, "", 0);
	if (*p == '}' && end == '}')
		p = skip_sep(p);
	return p;
}

static bool add_lst(struct ka_lexer *lx)
{
	const char *p;
	char **vars = NULL, **vals = NULL;
	size_t nvars = 0, nvals = 0, nsets = 0;
	struct gen *g;

	p = lst_vars(lx->buf + 4, &vars, &nvars);
	while (p) {
		p = lst_set(p, nvars, &vals, &nvals);
		if (!p)
			break;
		nsets++;
		if (*p == ')')
			break;
		p = *p == ',' ? skip_sep(p) : NULL;
	}
	if (!p || !nsets) {
		free_words(vars, nvars);
		free_words(vals, nvals);
		return false;
	}
	g = push_gen(lx, GEN_LST);
	if (!g) {
		free_words(vars, nvars);
		free_words(vals, nvals);
		return true;
	}
	g->vars = vars;
	g->nvars = nvars;
	g->values = vals;
	g->nsets = nsets;
	g->text = ka_strdup(skip_sep(p));
	return true;
}

/* ------------------------------------------------------------------ */
/* include */

static bool is_include(const char *buf, unsigned *type, const char **pattern)
{
	static const struct { char c; unsigned type; } kinds[] = {
		{ 'r', KA_INCLUDE_R },
		{ 'm', KA_INCLUDE_R | KA_INCLUDE_M },
		{ 'w', KA_INCLUDE_R | KA_INCLUDE_M | KA_INCLUDE_W },
		{ 'b', KA_INCLUDE_R | KA_INCLUDE_B },
		{ 'a', KA_INCLUDE_R | KA_INCLUDE_M | KA_INCLUDE_B | KA_INCLUDE_W },
	};

	if (strncmp(buf, "include", 7) || !buf[7])
		return false;
	if (isspace((unsigned char)buf[7])) {
		*type = 0;
		*pattern = buf + 8;
	} else {
		size_t i;

		if (!buf[8] || !isspace((unsigned char)buf[8]))
			return false;
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && kinds[i].c != buf[7]; i++)
			;
		if (i == sizeof(kinds) / sizeof(kinds[0]))
			return false;
		*type = kinds[i].type;
		*pattern = buf + 9;
	}
	*pattern += strspn(*pattern, " \t");
	return true;
}

/* true: the line was an include (and is used up). */
static bool check_include(struct ka_lexer *lx, bool substituted)
{
	unsigned type;
	const char *pattern;
	char *pat;

	if (!is_include(lx->buf, &type, &pattern))
		return false;
	if (substituted)
		lx_err(lx, KA_DIAG_WARNING, "include-substituted",
		       "include after an @conditional or $VAR substitution: keepalived 2.2.7 handles such includes unreliably (see keepalived.conf(5))");
	if (pattern[0] == '"')
		lx_err(lx, KA_DIAG_WARNING, "include-quoted",
		       "keepalived does not remove quotes from include paths: it looks for a file named %s", pattern);
	pat = ka_strdup(pattern);
	push_glob(lx, pat, type, false);
	free(pat);
	return true;
}

/* ------------------------------------------------------------------ */
/* read_line() */

/* Next raw line into buf: residue, generator, then files. */
static int next_raw(struct ka_lexer *lx, bool *from_file, bool *expanded)
{
	int r;

	*from_file = false;
	*expanded = false;
	if (lx->residue) {
		copy_line(lx, lx->residue, strlen(lx->residue));
		free(lx->residue);
		lx->residue = NULL;
		/* a substituted line's residue can be substituted again and again
		 * ($M="x } $M"): it counts against the expansion budget */
		if (lx->residue_expanded) {
			*expanded = true;
			lx->expanded += strlen(lx->buf) + 1;
			if (lx->expanded > lx->max_expansion) {
				lx_err(lx, KA_DIAG_ERROR, "runaway-expansion",
				       "runaway expansion: $VAR / ~SEQ / ~LST generated more than %zu bytes",
				       lx->max_expansion);
				return lx_fatal(lx, -E2BIG);
			}
		}
		return 1;
	}
	r = next_gen_line(lx);
	if (r)
		return r;
	*from_file = true;
	return next_file_line(lx);
}

/* Conditionals, definitions, generators, substitution. < 0 fatal. */
static int expand(struct ka_lexer *lx, bool *substituted)
{
	char *buf = lx->buf;
	bool recheck;

	lx->subst = 0;
	do {
		recheck = false;
		if (buf[0] == '@') {
			conditional(lx);
			*substituted = true;
		}
		if (buf[0] == '$' && check_definition(lx)) {
			buf[0] = '\0';
			break;
		}
		if (!strncmp(buf, "~SEQ", 4) || !strncmp(buf, "~LST", 4)) {
			bool seq = buf[1] == 'S';

			if (!(seq ? add_seq(lx) : add_lst(lx)))
				lx_err(lx, KA_DIAG_ERROR, seq ? "bad-seq" : "bad-lst",
				       "invalid %s specification '%s' (keepalived ignores the line)", seq ? "~SEQ" : "~LST", buf);
			buf[0] = '\0';
			break;
		}
		if (buf[0] == '~')
			break;
		if (strchr(buf, '$')) {
			int r = replace_params(lx);

			if (r < 0)
				return r;
			if (!r)
				break;
			*substituted = true;
			decomment(lx, buf);
			if (buf[0] == '@' || strchr(buf, '$'))
				recheck = true;
		}
	} while (recheck);
	return lx->fatal;
}

/* '{' and '}' outside "..." go on lines of their own (line_residue). */
static void split_braces(struct ka_lexer *lx)
{
	char *buf = lx->buf, *p = buf;
	size_t skip;

	if (p[0] != '{' && p[0] != '}') {
		while ((p = strpbrk(p, "{}\"")) && *p == '"') {
			p = strchr(p + 1, '"');
			if (!p)
				break;
			p++;
		}
	}
	if (!p || (*p != '{' && *p != '}'))
		return;
	skip = p == buf ? strspn(p + 1, " \t") + 1 : 0;
	if (p[skip]) {
		free(lx->residue);
		lx->residue = ka_strdup(p + skip);
		strip_trailing_blanks(lx->residue);
		p[skip] = '\0';
	}
}

static void track_depth(struct ka_lexer *lx)
{
	lx->extra_brace = false;
	if (!strcmp(lx->buf, "{")) {
		if (lx->block_depth >= 0 && lx->block_depth < MAX_OPEN_BLOCKS)
			lx->open_blocks[lx->block_depth] = (struct ka_loc){ lx->file, lx->line };
		lx->block_depth++;
	} else if (!strcmp(lx->buf, "}")) {
		if (lx->block_depth-- < 1) {
			lx_err(lx, KA_DIAG_ERROR, "extra-brace", "extra '}' found");
			lx->cfg->syntax_error = true;
			lx->block_depth = 0;
			lx->extra_brace = true;
		}
	}
}

static int read_line(struct ka_lexer *lx)
{
	for (;;) {
		bool from_file, substituted = false, expanded;
		int r = next_raw(lx, &from_file, &expanded);

		if (r <= 0)
			return r;
		if (lx->in_mdef) {
			mdef_append(lx);
			continue;
		}
		if (!lx->buf[0])
			continue;
		r = expand(lx, &substituted);
		if (r < 0)
			return r;
		if (!lx->buf[0] || check_include(lx, substituted)) {
			if (lx->fatal)
				return lx->fatal;
			continue;
		}
		split_braces(lx);
		lx->residue_expanded = lx->residue && (substituted || expanded);
		strip_trailing_blanks(lx->buf);
		track_depth(lx);
		return 1;
	}
}

/* ------------------------------------------------------------------ */
/* words (alloc_strvec_r()) */

static void add_token(struct ka_lexer *lx, char *w)
{
	if (lx->tok.n + 1 >= lx->tokcap) {
		lx->tokcap = lx->tokcap ? lx->tokcap * 2 : 16;
		lx->tok.v = realloc(lx->tok.v, lx->tokcap * sizeof(char *));
		if (!lx->tok.v)
			abort();
	}
	lx->tok.v[lx->tok.n++] = w;
	lx->tok.v[lx->tok.n] = NULL;
}

static void tokenize(struct ka_lexer *lx)
{
	char *in = lx->buf, *out;

	free(lx->tokbuf);
	lx->tokbuf = malloc(strlen(in) * 2 + 2);
	if (!lx->tokbuf)
		abort();
	out = lx->tokbuf;
	lx->tok.n = 0;
	for (;;) {
		size_t n;

		in += strspn(in, WHITE);
		if (!*in)
			break;
		if (*in == '"') {
			char *close = strchr(in + 1, '"');

			if (!close) {
				lx_err(lx, KA_DIAG_ERROR, "unterminated-quote", "unmatched quote: '%s'", lx->buf);
				lx->cfg->syntax_error = true;
				break;
			}
			n = (size_t)(close - in - 1);
			memcpy(out, in + 1, n);
			in = close + 1;
		} else {
			n = strcspn(in, WHITE "\"");
			memcpy(out, in, n);
			in += n;
		}
		out[n] = '\0';
		add_token(lx, out);
		out += n + 1;
	}
	lx->tok.file = lx->file;
	lx->tok.line = lx->line;
}

/* ------------------------------------------------------------------ */
/* public */

struct ka_lexer *ka_lexer_new(struct ka_config *cfg, const struct ka_parse_opts *opts)
{
	struct ka_lexer *lx = calloc(1, sizeof(*lx));

	if (!lx)
		abort();
	lx->cfg = cfg;
	lx->max_depth = opts && opts->max_include_depth ? opts->max_include_depth : KA_DEFAULT_MAX_DEPTH;
	lx->max_expansion = opts && opts->max_expansion ? opts->max_expansion : KA_DEFAULT_MAX_EXPANSION;
	lx->rnd = 1;
	add_std_defs(lx);
	return lx;
}

int ka_lexer_open_file(struct ka_lexer *lx, const char *path)
{
	int r;

	/* problems with the file itself are reported against its name */
	lx->file = ka_intern_file(lx->cfg, path);
	lx->line = 0;
	r = push_glob(lx, path, KA_INCLUDE_R | KA_INCLUDE_M | KA_INCLUDE_W, true);

	return r < 0 ? r : 0;
}

int ka_lexer_open_string(struct ka_lexer *lx, const char *text, const char *name)
{
	struct src s = { 0 };

	s.text = ka_strdup(text);
	s.len = strlen(text);
	s.name = ka_intern_file(lx->cfg, name);
	s.dir = ka_strdup("");
	lx->srcs = ka_grow(lx->srcs, lx->nsrc, sizeof(*lx->srcs));
	lx->srcs[lx->nsrc++] = s;
	return 0;
}

int ka_lexer_next(struct ka_lexer *lx, struct ka_tokens *t)
{
	for (;;) {
		int r;

		if (lx->fatal)
			return lx->fatal;
		if (lx->stopped)
			return 0;
		r = read_line(lx);
		if (r <= 0)
			return r;
		tokenize(lx);
		if (lx->tok.n) {
			*t = lx->tok;
			t->extra_brace = lx->extra_brace;
			return 1;
		}
	}
}

void ka_lexer_stop(struct ka_lexer *lx)
{
	lx->stopped = true;
}

int ka_lexer_finish(struct ka_lexer *lx)
{
	if (!lx->fatal && !lx->stopped && lx->block_depth > 0) {
		const struct ka_loc *at = &lx->open_blocks[0];

		ka_diag(lx->cfg, KA_DIAG_ERROR, "missing-brace", at->file, at->line,
			"%d '{' never closed: missing '}' (the first unclosed block starts here)",
			lx->block_depth);
		lx->cfg->syntax_error = true;
	}
	return lx->fatal;
}

void ka_lexer_set_include_check(struct ka_lexer *lx, unsigned flags)
{
	lx->include_check = flags;
}

unsigned ka_lexer_include_check(const struct ka_lexer *lx)
{
	return lx->include_check;
}

void ka_lexer_free(struct ka_lexer *lx)
{
	if (!lx)
		return;
	while (lx->nsrc)
		src_free(&lx->srcs[--lx->nsrc]);
	free(lx->srcs);
	while (lx->ngen)
		pop_gen(lx);
	free(lx->gens);
	for (size_t i = 0; i < lx->ndefs; i++) {
		free(lx->defs[i].name);
		free(lx->defs[i].value);
	}
	free(lx->defs);
	free(lx->residue);
	free(lx->tok.v);
	free(lx->tokbuf);
	free(lx);
}
