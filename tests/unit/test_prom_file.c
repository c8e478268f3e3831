// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_prom_file.c - --prom-file's temporary names where O_TMPFILE is
 * missing (src/prom/prom_file.c, forced with vw_prom_file_set_hooks):
 * unguessable, and a name taken in advance (a file, a symlink to a file
 * the attacker wants overwritten) is skipped, never written through, for
 * as many taken names as there are; a real error ends the retries at once.
 * And with O_TMPFILE, a fixed link name that cannot be replaced.
 * The atomic replacement itself is in test_report_prom.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "prom/prom_file.h"

static char tmpdir[64];
static unsigned draws;          /* names drawn through the hook */
static uint64_t next_value;     /* what the hook draws next */

static int mk_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vw-prom-file-test.XXXXXX");
	draws = 0;
	next_value = 0x1000;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int rm_tmpdir(void **state)
{
	char cmd[128];

	(void)state;
	vw_prom_file_set_hooks(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *path_in(const char *name)
{
	static char p[4][512];
	static unsigned i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", tmpdir, name);
	return p[i];
}

/* A predictable "random" source: 0x1000, 0x1001, ... */
static int counting_random(void *buf, size_t len)
{
	assert_int_equal(len, sizeof(uint64_t));
	memcpy(buf, &next_value, len);
	next_value++;
	draws++;
	return 0;
}

/* The temporary name prom_file.c makes of the value v. */
static char *tmp_name(const char *base, uint64_t v)
{
	static char n[300];

	snprintf(n, sizeof(n), ".%s.%016llx.tmp", base, (unsigned long long)v);
	return n;
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static size_t entries(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The real random names: written, and nothing left beside the file. */
static void test_fallback_writes(void **state)
{
	struct vw_prom_file_hooks h = { .no_tmpfile = true };
	char *p = path_in("vrrpwatch.prom");

	(void)state;
	vw_prom_file_set_hooks(&h);
	assert_int_equal(vw_prom_file_write(p, "a 1\n", 4), 0);
	assert_string_equal(slurp(p), "a 1\n");
	assert_int_equal(vw_prom_file_write(p, "b 2\n", 4), 0);
	assert_string_equal(slurp(p), "b 2\n");
	assert_int_equal(entries(), 1);
}

/*
 * 40 of the next names are taken: plain files, and symlinks to a victim.
 * The old fallback gave up after 8 names (of a guessable form); this one
 * must draw the 41st, write there, and touch none of the planted ones.
 */
static void test_fallback_skips_planted(void **state)
{
	struct vw_prom_file_hooks h = { .no_tmpfile = true, .random = counting_random };
	char p[512], victim[512];
	const unsigned planted = 40;

	(void)state;
	snprintf(p, sizeof(p), "%s", path_in("vrrpwatch.prom"));
	snprintf(victim, sizeof(victim), "%s", path_in("victim"));
	write_file(victim, "precious\n");
	for (unsigned i = 0; i < planted; i++) {
		char *n = path_in(tmp_name("vrrpwatch.prom", 0x1000 + i));

		if (i % 2)
			assert_int_equal(symlink(victim, n), 0);
		else
			write_file(n, "planted\n");
	}
	vw_prom_file_set_hooks(&h);
	assert_int_equal(vw_prom_file_write(p, "c 3\n", 4), 0);
	assert_int_equal(draws, planted + 1);
	assert_string_equal(slurp(p), "c 3\n");
	assert_string_equal(slurp(victim), "precious\n");
	for (unsigned i = 0; i < planted; i++) {
		char *n = path_in(tmp_name("vrrpwatch.prom", 0x1000 + i));
		struct stat st;

		assert_int_equal(lstat(n, &st), 0);
		assert_true(i % 2 ? S_ISLNK(st.st_mode) : S_ISREG(st.st_mode));
	}
	assert_int_equal(entries(), planted + 2); /* the planted, the victim, the file */
}

/* Another error than EEXIST ends the retries at once and is returned. */
static void test_fallback_real_error(void **state)
{
	struct vw_prom_file_hooks h = { .no_tmpfile = true, .random = counting_random };
	char base[260];

	(void)state;
	/* a name that fits, whose temporary name does not (NAME_MAX 255) */
	memset(base, 'n', 250);
	base[250] = 0;
	vw_prom_file_set_hooks(&h);
	assert_int_equal(vw_prom_file_write(path_in(base), "x\n", 2), -ENAMETOOLONG);
	assert_int_equal(draws, 1);
	assert_int_equal(entries(), 0);
}

static int failing_random(void *buf, size_t len)
{
	(void)buf;
	(void)len;
	draws++;
	return -ENOSYS;
}

/* No random source: an error, not a guessable name. */
static void test_fallback_no_random(void **state)
{
	struct vw_prom_file_hooks h = { .no_tmpfile = true, .random = failing_random };

	(void)state;
	vw_prom_file_set_hooks(&h);
	assert_int_equal(vw_prom_file_write(path_in("vrrpwatch.prom"), "x\n", 2), -ENOSYS);
	assert_int_equal(draws, 1);
	assert_int_equal(entries(), 0);
}

/*
 * With O_TMPFILE: the finished file is linked under the fixed .NAME.tmp
 * first.  A leftover file there is replaced; a name that cannot be (a
 * directory here; in a sticky directory, another user's file) must not
 * stop the write: a random name is drawn instead.
 */
static void test_anon_fixed_name_taken(void **state)
{
	struct vw_prom_file_hooks h = { .random = counting_random };
	char p[512], fixed[512];
	struct stat st;
	int fd = open(tmpdir, O_TMPFILE | O_WRONLY, 0600);

	(void)state;
	if (fd < 0) {
		print_message("  no O_TMPFILE in %s: the unnamed path is not tested\n", tmpdir);
		return;
	}
	close(fd);
	snprintf(p, sizeof(p), "%s", path_in("vrrpwatch.prom"));
	snprintf(fixed, sizeof(fixed), "%s", path_in(".vrrpwatch.prom.tmp"));
	vw_prom_file_set_hooks(&h);
	write_file(fixed, "leftover\n");
	assert_int_equal(vw_prom_file_write(p, "d 4\n", 4), 0);
	assert_string_equal(slurp(p), "d 4\n");
	assert_int_equal(draws, 0);            /* the leftover was replaced */
	assert_int_equal(lstat(fixed, &st), -1); /* and renamed away */
	assert_int_equal(mkdir(fixed, 0755), 0);
	assert_int_equal(vw_prom_file_write(p, "e 5\n", 4), 0);
	assert_string_equal(slurp(p), "e 5\n");
	assert_int_equal(draws, 1);
	assert_int_equal(lstat(fixed, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(entries(), 2); /* the file and the planted directory */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fallback_writes, mk_tmpdir, rm_tmpdir),
		cmocka_unit_test_setup_teardown(test_fallback_skips_planted, mk_tmpdir, rm_tmpdir),
		cmocka_unit_test_setup_teardown(test_fallback_real_error, mk_tmpdir, rm_tmpdir),
		cmocka_unit_test_setup_teardown(test_fallback_no_random, mk_tmpdir, rm_tmpdir),
		cmocka_unit_test_setup_teardown(test_anon_fixed_name_taken, mk_tmpdir, rm_tmpdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
