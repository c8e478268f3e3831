// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_kaconf.c - the keepalived.conf reader from a string
 * (ka_config_load_string): the grammar, $VAR definitions, @conditionals,
 * ~SEQ generators and include directives, then the lint and the config
 * reports on what was read.
 *
 * Includes resolve against a fresh temporary directory (the working
 * directory of the run) that holds a few files to include: conf.d/ with a
 * glob's worth, a part inside a block, definitions, a loop, a chain deeper
 * than the depth limit, an executable file and a directory.  Every include
 * goes through glob(); this file's glob() hands the real one directory
 * functions (GLOB_ALTDIRFUNC) that refuse any path outside that directory,
 * so a fuzzed include of /etc or of ../../x matches nothing.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#include "kaconf/kaconf.h"
#include "kaconf/lint.h"
#include "report/report_config.h"

static char sandbox[PATH_MAX]; /* realpath of the directory, "" before setup */

static const struct {
	const char *name, *text;
	mode_t mode;
} files[] = {
	{"a.conf", "vrrp_instance INC_A {\n interface eth0\n virtual_router_id 7\n"
		   " virtual_ipaddress {\n  198.18.0.7/24\n }\n}\n", 0644},
	{"conf.d/10-b.conf", "vrrp_instance INC_B {\n interface $IF\n virtual_router_id 8\n"
			     " include ../parts/vips.part\n}\n", 0644},
	{"conf.d/20-c.conf", "@node1 vrrp_instance INC_C {\n@node1 virtual_router_id 9\n"
			     "@^node1 virtual_router_id 10\n}\n", 0644},
	{"conf.d/skip.txt", "this is not included\n", 0644},
	{"conf.d/exec.conf", "vrrp_instance EXEC {\n}\n", 0755},
	{"parts/vips.part", " virtual_ipaddress {\n  198.18.0.8\n  fd00::8/64\n }\n", 0644},
	{"defs.conf", "$IF=eth1\n$VRID=11\n$BLOCK={ \\\n 198.18.0.11 \\\n}\n", 0644},
	{"loop/a.conf", "include b.conf\n", 0644},
	{"loop/b.conf", "vrrp_instance LOOP {\n include a.conf\n}\n", 0644},
	{"deep/d1.conf", "include d2.conf\n", 0644},
	{"deep/d2.conf", "include d3.conf\n", 0644},
	{"deep/d3.conf", "include d4.conf\n", 0644},
	{"deep/d4.conf", "include d5.conf\n", 0644},
	{"deep/d5.conf", "vrrp_instance DEEP {\n}\n", 0644},
	{"empty.conf", "", 0644},
	{"dir.conf/x.conf", "\n", 0644},
};

static void mkparents(char *path)
{
	for (char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
		*p = 0;
		mkdir(path, 0755);
		*p = '/';
	}
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	if (sandbox[0] && !chdir("/"))
		nftw(sandbox, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	char tmpl[PATH_MAX];
	const char *tmp = getenv("TMPDIR");

	snprintf(tmpl, sizeof(tmpl), "%s/vw-fuzz-kaconf-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	FUZZ_CHECK(mkdtemp(tmpl));
	FUZZ_CHECK(realpath(tmpl, sandbox));
	FUZZ_CHECK(!chdir(sandbox));
	atexit(cleanup);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s", files[i].name);
		mkparents(path);
		FILE *f = fopen(path, "w");
		FUZZ_CHECK(f);
		fputs(files[i].text, f);
		fclose(f);
		chmod(path, files[i].mode);
	}
}

/* path (relative to the working directory, the sandbox) lies inside it */
static int inside(const char *path)
{
	char real[PATH_MAX];
	size_t n = strlen(sandbox);

	if (!realpath(path, real))
		return 0;
	return !strncmp(real, sandbox, n) && (real[n] == 0 || real[n] == '/');
}

static void *sb_opendir(const char *path)
{
	if (!inside(*path ? path : ".")) {
		errno = EACCES;
		return NULL;
	}
	return opendir(path);
}

/* Without ".." a pattern such as ".?" cannot match the sandbox's parent
 * (glob matches a leading dot written in the pattern). */
static struct dirent *sb_readdir(void *d)
{
	struct dirent *e;

	while ((e = readdir(d)) && !strcmp(e->d_name, ".."))
		;
	return e;
}

static void sb_closedir(void *d)
{
	closedir(d);
}

static int sb_stat(const char *path, struct stat *st)
{
	if (!inside(path)) {
		errno = ENOENT;
		return -1;
	}
	return stat(path, st);
}

static int sb_lstat(const char *path, struct stat *st)
{
	if (!inside(path)) {
		errno = ENOENT;
		return -1;
	}
	return lstat(path, st);
}

typedef int glob_fn(const char *, int, int (*)(const char *, int), glob_t *);

/* glob.h names glob() glob64 where off_t has 64 bits (meson's
 * -D_FILE_OFFSET_BITS=64): this definition then is glob64 too */
#ifdef __USE_FILE_OFFSET64
#define GLOB_SYMBOL "glob64"
#else
#define GLOB_SYMBOL "glob"
#endif

/* Every include of kaconf_lexer.c comes here. */
int glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g)
{
	static glob_fn *real;

	if (!real)
		real = (glob_fn *)dlsym(RTLD_NEXT, GLOB_SYMBOL);
	FUZZ_CHECK(real);
	if (!sandbox[0])
		return real(pattern, flags, errfunc, g);
	g->gl_opendir = sb_opendir;
	g->gl_readdir = sb_readdir;
	g->gl_closedir = sb_closedir;
	g->gl_stat = sb_stat;
	g->gl_lstat = sb_lstat;
	int r = real(pattern, flags | GLOB_ALTDIRFUNC, errfunc, g);
	if (r == 0)
		for (size_t i = 0; i < g->gl_pathc; i++)
			FUZZ_CHECK(inside(g->gl_pathv[g->gl_offs + i]));
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ka_parse_opts opts = {
		.config_id = "node1",
		.max_include_depth = 4,
		.max_expansion = 1 << 16, /* runaway expansion, sooner */
	};
	struct ka_config cfg;
	struct ka_lint lint;
	char *text = malloc(size + 1);

	if (!sandbox[0])
		setup();
	FUZZ_CHECK(text);
	memcpy(text, data, size);
	text[size] = 0; /* a NUL inside ends the text, as for a string */

	int r = ka_config_load_string(text, "fuzz.conf", &opts, &cfg);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -E2BIG || r == -ELOOP || r == -ENOENT ||
		   r == -EACCES);
	for (size_t i = 0; i < cfg.n_inst; i++) {
		const struct ka_instance *in = &cfg.inst[i];

		FUZZ_CHECK(in->name);
		FUZZ_CHECK(in->version == 2 || in->version == 3);
		FUZZ_CHECK(in->family == 4 || in->family == 6);
		FUZZ_CHECK(in->priority >= 1);
		FUZZ_CHECK(in->interval_cs >= 1 && in->interval_cs <= 25500);
	}
	for (size_t i = 0; i < cfg.n_diags; i++)
		FUZZ_CHECK(cfg.diags[i].message && cfg.diags[i].code);
	if (getenv("VW_FUZZ_VERBOSE")) { /* what was read, to look at one input */
		fprintf(stderr, "status %d, %zu instances\n", r, cfg.n_inst);
		for (size_t i = 0; i < cfg.n_inst; i++)
			fprintf(stderr, "instance %s (%s:%u)\n", cfg.inst[i].name,
				cfg.inst[i].file, cfg.inst[i].line);
		for (size_t i = 0; i < cfg.n_diags; i++)
			fprintf(stderr, "%s:%u: %s: %s\n", cfg.diags[i].file ? cfg.diags[i].file : "-",
				cfg.diags[i].line, cfg.diags[i].code, cfg.diags[i].message);
	}

	ka_lint_run(&cfg, &lint);
	ka_report_instances_text(vw_fuzz_devnull(), &cfg, &(struct ka_report_group){0}, 1);
	ka_report_instances_json(vw_fuzz_devnull(), &cfg, NULL);
	ka_report_lint_text(vw_fuzz_devnull(), "fuzz.conf", &lint, 1);
	ka_report_lint_json(vw_fuzz_devnull(), "fuzz.conf", &lint);
	ka_lint_free(&lint);
	ka_config_free(&cfg);
	free(text);
	return 0;
}
