/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * prom_file.h - replace a file atomically, for node_exporter's textfile
 * collector: whoever opens the path sees the previous content or the new
 * one, whole, also when vrrpwatch is killed in the middle of a write.
 *
 * The new content goes to a temporary file in the same directory (rename
 * is atomic only within one file system), is fsync'ed (so a crash after
 * the rename cannot leave an empty file under the name), and is renamed
 * over the path.  The temporary file is unnamed (O_TMPFILE) until it is
 * complete, so a killed writer leaves nothing behind (at most one hidden
 * ".NAME.tmp", if killed between naming it and the rename; the next write
 * replaces it).  Where the file system lacks O_TMPFILE it is a hidden
 * ".NAME.<16 random hex digits>.tmp" from the start (getrandom, O_EXCL,
 * O_NOFOLLOW; a name taken is drawn again), which another user of the
 * directory can neither guess nor plant.  node_exporter reads *.prom
 * only, so it never sees either.
 */
#ifndef VRRPWATCH_PROM_FILE_H
#define VRRPWATCH_PROM_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Is there a directory to write path in?  0, -ENOENT (no such directory),
 * -ENOTDIR (a part of it is not a directory), -EISDIR (path names a
 * directory), -EACCES / -EROFS (cannot create files there).
 */
int vw_prom_file_check(const char *path);

/* Replace path's content with buf (mode 0644).  0 or a negative errno. */
int vw_prom_file_write(const char *path, const void *buf, size_t len);

/* One line for an error of the two above: "vrrpwatch: --prom-file PATH: ..." */
void vw_prom_file_perror(FILE *err, const char *path, int rc);

/*
 * For tests: take the named fallback as if O_TMPFILE were missing, and
 * draw the random names from `random` (0 or a negative errno).  NULL
 * restores the real behaviour.
 */
struct vw_prom_file_hooks {
	bool no_tmpfile;
	int (*random)(void *buf, size_t len);
};
void vw_prom_file_set_hooks(const struct vw_prom_file_hooks *h);

#endif
