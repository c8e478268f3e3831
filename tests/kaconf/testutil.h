/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testutil.h - helpers shared by test_kaconf.c, test_lint.c and
 * test_report_config.c: every configuration is loaded twice, once from a
 * string and once from a file written to a fresh temporary directory
 * (with any extra files it includes).
 */
#ifndef VRRPWATCH_TEST_KACONF_UTIL_H
#define VRRPWATCH_TEST_KACONF_UTIL_H

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kaconf/kaconf.h"

struct tu_file {
	const char *name;   /* relative to the directory of keepalived.conf */
	const char *text;   /* NULL: make a directory */
	mode_t mode;        /* 0: 0644 */
};

enum tu_mode { TU_STRING, TU_FILE };

static inline const char *tu_mode_name(enum tu_mode m)
{
	return m == TU_STRING ? "string" : "file";
}

static inline char *tu_mkdtemp(void)
{
	char tmpl[] = "/tmp/vw-kaconf-XXXXXX";
	char *d = mkdtemp(tmpl);

	if (!d) {
		perror("mkdtemp");
		abort();
	}
	return strdup(d);
}

static inline void tu_mkdirs(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
	mkdir(buf, 0755);
}

static inline void tu_write(const char *dir, const struct tu_file *f)
{
	char path[PATH_MAX];
	FILE *out;
	char *slash;

	snprintf(path, sizeof(path), "%s/%s", dir, f->name);
	if (!f->text) {
		tu_mkdirs(path);
		return;
	}
	slash = strrchr(path, '/');
	*slash = '\0';
	tu_mkdirs(path);
	*slash = '/';
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		abort();
	}
	fputs(f->text, out);
	fclose(out);
	chmod(path, f->mode ? f->mode : 0644);
}

static inline int tu_rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static inline void tu_rmtree(const char *dir)
{
	nftw(dir, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline char *tu_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/*
 * Load text (and the extra files) in a new temporary directory.
 * TU_STRING: ka_config_load_string() with the directory as current
 * directory (so relative includes resolve there); TU_FILE: the text is
 * written to keepalived.conf and loaded by absolute path, or by the
 * relative name "keepalived.conf" when relative is set.
 */
static inline int tu_load(enum tu_mode m, const char *text, const struct tu_file *extra,
			  const struct ka_parse_opts *opts, bool relative, struct ka_config *cfg)
{
	char *dir = tu_mkdtemp();
	char cwd[PATH_MAX], path[PATH_MAX];
	struct tu_file main_file = { "keepalived.conf", text, 0 };
	int r;

	if (!getcwd(cwd, sizeof(cwd)))
		abort();
	for (const struct tu_file *f = extra; f && f->name; f++)
		tu_write(dir, f);
	if (chdir(dir))
		abort();
	if (m == TU_STRING) {
		r = ka_config_load_string(text, "keepalived.conf", opts, cfg);
	} else {
		tu_write(dir, &main_file);
		snprintf(path, sizeof(path), "%s/keepalived.conf", dir);
		r = ka_config_load_file(relative ? "keepalived.conf" : path, opts, cfg);
	}
	if (chdir(cwd))
		abort();
	tu_rmtree(dir);
	free(dir);
	return r;
}

static inline bool tu_has_diag(const struct ka_config *cfg, const char *code, unsigned line)
{
	for (size_t i = 0; i < cfg->n_diags; i++) {
		if (cfg->diags[i].code && !strcmp(cfg->diags[i].code, code) &&
		    (!line || cfg->diags[i].line == line))
			return true;
	}
	return false;
}

static inline void tu_print_diags(const struct ka_config *cfg)
{
	for (size_t i = 0; i < cfg->n_diags; i++)
		fprintf(stderr, "  %s:%u: %s [%s] %s\n", cfg->diags[i].file ? cfg->diags[i].file : "-",
			cfg->diags[i].line, ka_severity_name(cfg->diags[i].severity),
			cfg->diags[i].code, cfg->diags[i].message);
}

#endif
