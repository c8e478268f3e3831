// SPDX-License-Identifier: GPL-2.0-or-later
#include "prom/prom_file.h"
#include "util/fd_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MODE 0644 /* node_exporter reads it as another user */

/* The directory part of path ("." for a bare name), and the name. */
static int split_path(const char *path, char *dir, size_t len, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!*path)
		return -ENOENT;
	*base = slash ? slash + 1 : path;
	if (!**base || !strcmp(*base, ".") || !strcmp(*base, ".."))
		return -EISDIR;
	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else if ((size_t)(slash - path) >= len)
		return -ENAMETOOLONG;
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
	return 0;
}

static int open_dir(const char *path, const char **base)
{
	char dir[4096];
	int rc = split_path(path, dir, sizeof(dir), base);

	if (rc)
		return rc;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int vw_prom_file_check(const char *path)
{
	const char *base;
	struct stat st;
	int dfd = open_dir(path, &base), rc = 0;

	if (dfd < 0)
		return dfd;
	if (!fstatat(dfd, base, &st, 0) && S_ISDIR(st.st_mode))
		rc = -EISDIR;
	else if (faccessat(dfd, ".", W_OK, AT_EACCESS))
		rc = -errno;
	close(dfd);
	return rc;
}

/* The content, on disk, with the mode node_exporter needs. */
static int fill(int fd, const void *buf, size_t len)
{
	int rc = vw_write_all(fd, buf, len);

	/* fchmod: O_TMPFILE and O_CREAT modes are cut by the umask */
	if (!rc && fchmod(fd, FILE_MODE))
		rc = -errno;
	if (!rc && fsync(fd))
		rc = -errno;
	return rc;
}

/*
 * The unnamed file gets one fixed name for the moment between link and
 * rename: a process killed right there leaves it behind, and the next
 * write replaces it, so at most one is ever left.
 */
static void anon_name(char *buf, size_t len, const char *base)
{
	snprintf(buf, len, ".%s.tmp", base);
}

static struct vw_prom_file_hooks hooks; /* tests only: see prom_file.h */

void vw_prom_file_set_hooks(const struct vw_prom_file_hooks *h)
{
	hooks = h ? *h : (struct vw_prom_file_hooks){ 0 };
}

static int random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	if (hooks.random)
		return hooks.random(buf, len);
	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * A named temporary file is written in place: its name must be ours alone,
 * and nobody else's to guess.  The directory is often writable by others
 * (node_exporter's user, a shared textfile directory): a name such as
 * .NAME.PID.N.tmp could be planted in advance, as a file that makes every
 * try fail or as a link.  64 random bits make planting hopeless; O_EXCL
 * and O_NOFOLLOW (at open_named) make a planted name a retry, never a
 * write through it.
 */
/* The bound only stops a file system that answers EEXIST to everything:
 * by chance, 64-bit names never collide 1000 times. */
#define NAMED_TRIES 1000

static int named_name(char *buf, size_t len, const char *base)
{
	uint64_t r;
	int rc = random_bytes(&r, sizeof(r));

	if (rc)
		return rc;
	snprintf(buf, len, ".%s.%016llx.tmp", base, (unsigned long long)r);
	return 0;
}

static int rename_over(int dfd, const char *tmp, const char *base)
{
	if (renameat(dfd, tmp, dfd, base)) {
		int rc = -errno;
		unlinkat(dfd, tmp, 0);
		return rc;
	}
	return fsync(dfd) ? -errno : 0; /* the rename itself, durable */
}

/*
 * Name the finished unnamed file.  The fixed name keeps leftovers to one;
 * a name already there is a killed writer's leftover (or another
 * writer's, as complete as ours) and is replaced.  One that cannot be
 * replaced (planted in a sticky directory by another user, or a
 * directory) must not stop every write: then a random name, as the
 * named fallback draws them.
 */
static int link_tmp(int dfd, int fd, const char *base, char *tmp, size_t len)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	anon_name(tmp, len, base);
	if (!linkat(AT_FDCWD, proc, dfd, tmp, AT_SYMLINK_FOLLOW))
		return 0;
	if (errno == ENOENT)
		return -EOPNOTSUPP; /* no /proc */
	if (errno != EEXIST)
		return -errno;
	if (!unlinkat(dfd, tmp, 0) && !linkat(AT_FDCWD, proc, dfd, tmp, AT_SYMLINK_FOLLOW))
		return 0;
	for (int tries = 0; tries < NAMED_TRIES; tries++) {
		int rc = named_name(tmp, len, base);

		if (rc)
			return rc;
		if (!linkat(AT_FDCWD, proc, dfd, tmp, AT_SYMLINK_FOLLOW))
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

/* -EOPNOTSUPP: no O_TMPFILE here (or no /proc to link it); use a named one */
static int write_anon(int dfd, const char *base, const void *buf, size_t len)
{
	char tmp[512];
	int fd = openat(dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, FILE_MODE), rc;

	if (fd < 0)
		return errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL ? -EOPNOTSUPP
										   : -errno;
	rc = fill(fd, buf, len);
	if (!rc)
		rc = link_tmp(dfd, fd, base, tmp, sizeof(tmp));
	if (!rc)
		rc = rename_over(dfd, tmp, base); /* at once: the window for a leftover is two calls */
	close(fd);
	return rc;
}

/*
 * Create a fresh temporary file under a random name; a name taken (by
 * chance, or planted) is drawn again until one is free or the error is
 * another one.
 */

static int open_named(int dfd, const char *base, char *tmp, size_t len)
{
	for (int tries = 0; tries < NAMED_TRIES; tries++) {
		int rc = named_name(tmp, len, base), fd;

		if (rc)
			return rc;
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, FILE_MODE);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static int write_named(int dfd, const char *base, const void *buf, size_t len)
{
	char tmp[512];
	int fd = open_named(dfd, base, tmp, sizeof(tmp)), rc;

	if (fd < 0)
		return fd;
	rc = fill(fd, buf, len);
	close(fd);
	if (rc) {
		unlinkat(dfd, tmp, 0);
		return rc;
	}
	return rename_over(dfd, tmp, base);
}

static int (*writer)(const char *path, const void *buf, size_t len);

void vw_prom_file_set_writer(int (*fn)(const char *path, const void *buf, size_t len))
{
	writer = fn;
}

int vw_prom_file_write(const char *path, const void *buf, size_t len)
{
	return writer ? writer(path, buf, len) : vw_prom_file_write_here(path, buf, len);
}

int vw_prom_file_write_here(const char *path, const void *buf, size_t len)
{
	const char *base;
	int dfd = open_dir(path, &base), rc;

	if (dfd < 0)
		return dfd;
	rc = hooks.no_tmpfile ? -EOPNOTSUPP : write_anon(dfd, base, buf, len);
	if (rc == -EOPNOTSUPP)
		rc = write_named(dfd, base, buf, len);
	close(dfd);
	return rc;
}

void vw_prom_file_perror(FILE *err, const char *path, int rc)
{
	char dir[4096];
	const char *base;

	if (split_path(path, dir, sizeof(dir), &base))
		snprintf(dir, sizeof(dir), "%s", path);
	fprintf(err, "vrrpwatch: --prom-file %s: ", path);
	switch (rc) {
	case -ENOENT:
		fprintf(err, "directory %s does not exist (create it; for node_exporter, use "
			     "its --collector.textfile.directory)\n", dir);
		break;
	case -ENOTDIR:
		fprintf(err, "%s is not a directory\n", dir);
		break;
	case -EISDIR:
		fprintf(err, "names a directory; give a file name such as vrrpwatch.prom\n");
		break;
	case -EACCES:
	case -EPERM:
	case -EROFS:
		fprintf(err, "cannot create files in directory %s: %s\n", dir, strerror(-rc));
		break;
	default:
		fprintf(err, "cannot write: %s\n", strerror(-rc));
	}
}
