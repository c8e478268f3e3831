// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * regress.c - fuzz_regress: replay the committed fuzz inputs through the
 * fuzz targets' entry points, without libFuzzer, so that an ordinary
 * (sanitizer) build keeps every crash ever found fixed.
 *
 * usage: fuzz_regress DIR [TARGET FILE...]
 *   DIR: tests/fuzz; replays DIR/crashes/<target>/ and DIR/seeds/<target>/
 *   for every target.  With TARGET FILE...: those files through that
 *   target only (to reproduce one crash in a debugger).
 * A failed invariant aborts; a memory error is the sanitizers' to report.
 */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

int vw_fuzz_decode(const uint8_t *data, size_t size);
int vw_fuzz_capture(const uint8_t *data, size_t size);
int vw_fuzz_capture_libpcap(const uint8_t *data, size_t size);
int vw_fuzz_kaconf(const uint8_t *data, size_t size);
int vw_fuzz_http(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
} targets[] = {
	{"decode", vw_fuzz_decode},
	{"capture", vw_fuzz_capture},
	{"capture_libpcap", vw_fuzz_capture_libpcap},
	{"kaconf", vw_fuzz_kaconf},
	{"http", vw_fuzz_http},
};
#define N_TARGETS (sizeof(targets) / sizeof(targets[0]))

/* Read the whole file into a buffer of exactly its size. */
static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc(n ? (size_t)n : 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

static void replay(int t, const char *path)
{
	size_t size;
	uint8_t *data = slurp(path, &size);

	fprintf(stderr, "%s %s\n", targets[t].name, path);
	targets[t].fn(data, size);
	free(data);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order; returns how many. */
static unsigned replay_dir(int t, const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;

	if (!d)
		return 0; /* no crash found yet, or no seeds committed */
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char **grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown || !(grown[n] = strdup(e->d_name))) {
			perror("fuzz_regress");
			exit(1);
		}
		names = grown;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	unsigned done = 0;
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (!stat(path, &st) && S_ISREG(st.st_mode)) {
			replay(t, path);
			done++;
		}
		free(names[i]);
	}
	free(names);
	return done;
}

int main(int argc, char **argv)
{
	char root[PATH_MAX];

	if (argc < 2) {
		fprintf(stderr, "usage: fuzz_regress DIR [TARGET FILE...]\n");
		return 2;
	}
	/* the kaconf target changes the working directory: absolute paths */
	if (!realpath(argv[1], root)) {
		perror(argv[1]);
		return 2;
	}
	if (argc > 2) {
		size_t t;
		for (t = 0; t < N_TARGETS && strcmp(targets[t].name, argv[2]); t++)
			;
		if (t == N_TARGETS) {
			fprintf(stderr, "fuzz_regress: no target %s\n", argv[2]);
			return 2;
		}
		char (*paths)[PATH_MAX] = calloc((size_t)argc, PATH_MAX);
		for (int i = 3; i < argc; i++)
			if (!realpath(argv[i], paths[i])) {
				perror(argv[i]);
				return 2;
			}
		for (int i = 3; i < argc; i++)
			replay((int)t, paths[i]);
		free(paths);
		return 0;
	}
	unsigned crashes = 0, seeds = 0;
	for (size_t t = 0; t < N_TARGETS; t++) {
		char dir[PATH_MAX + 64];

		snprintf(dir, sizeof(dir), "%s/crashes/%s", root, targets[t].name);
		crashes += replay_dir((int)t, dir);
		snprintf(dir, sizeof(dir), "%s/seeds/%s", root, targets[t].name);
		seeds += replay_dir((int)t, dir);
	}
	printf("fuzz_regress: %u crash inputs and %u seeds replayed, all fine\n", crashes, seeds);
	return 0;
}
