/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fd_io.h - the whole of a buffer through a file descriptor.
 *
 * write() and read() may move fewer bytes than asked (pipes, sockets, a
 * signal arriving mid-call) or fail with EINTR (vrrpwatch installs its
 * signal handlers without SA_RESTART, so that a blocked read returns and
 * the main loop sees the signal).  Callers that need all of a buffer,
 * such as the privileged helper's requests and the --prom-file content,
 * loop here instead of each in its own way.
 */
#ifndef VRRPWATCH_FD_IO_H
#define VRRPWATCH_FD_IO_H

#include <stddef.h>
#include <sys/types.h>

/* Write all len bytes, retrying on EINTR and short writes.  0 or -errno
 * (-EIO if write() makes no progress, which would otherwise spin). */
int vw_write_all(int fd, const void *buf, size_t len);

/* Read until len bytes or end of file, retrying on EINTR and short reads.
 * The bytes read (fewer than len only at end of file) or -errno. */
ssize_t vw_read_full(int fd, void *buf, size_t len);

#endif
