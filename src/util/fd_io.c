// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/fd_io.h"

#include <errno.h>
#include <unistd.h>

int vw_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) /* not for pipes, sockets or files; never loop forever */
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t vw_read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break; /* end of file: the caller tells a short record */
		got += (size_t)n;
	}
	return (ssize_t)got;
}
