// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture_file.c - open a capture, pick its reader, and the plumbing the
 * readers share (see reader.h).
 */
#include "capture/capture_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/reader.h"
#include "util/pcap_lib.h"

volatile sig_atomic_t vw_read_interrupted;

long vw_fb_refill(struct vw_filebuf *fb, size_t need)
{
	size_t avail = fb->len - fb->pos;

	if (avail >= need || fb->eof)
		return (long)avail;
	if (fb->pos) { /* slide the unconsumed tail to the front */
		memmove(fb->buf, fb->buf + fb->pos, avail);
		fb->len = avail;
		fb->pos = 0;
	}
	if (need > fb->cap) {
		size_t cap = need > VW_READ_CHUNK ? need : VW_READ_CHUNK;
		uint8_t *buf = realloc(fb->buf, cap);
		if (!buf)
			return -ENOMEM;
		fb->buf = buf;
		fb->cap = cap;
	}
	while (fb->len < need && !fb->eof) {
		ssize_t n;
		if (fb->z) {
			n = vw_unzip_read(fb->z, fb->buf + fb->len, fb->cap - fb->len);
			if (n < 0)
				return (long)n;
		} else {
			n = read(fb->fd, fb->buf + fb->len, fb->cap - fb->len);
			if (n < 0 && errno == EINTR && !vw_read_interrupted)
				continue;
			if (n < 0 && errno == EINTR)
				n = 0; /* interrupted: this is where the input ends */
			if (n < 0)
				return -errno;
		}
		if (n == 0)
			fb->eof = true;
		fb->len += (size_t)n;
	}
	return (long)(fb->len - fb->pos);
}

static void close_input(struct vw_capfile *cf)
{
	vw_unzip_end(&cf->fb);
	free(cf->fb.buf);
	if (cf->fb.fd > 0)
		close(cf->fb.fd);
}

int vw_capfile_fail(struct vw_capfile *cf, uint64_t record, const char *fmt, ...)
{
	char what[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (record)
		snprintf(cf->res->message, sizeof(cf->res->message),
			 "%s: record %llu: %s (%llu records read before it)", cf->path,
			 (unsigned long long)record, what, (unsigned long long)record - 1);
	else
		snprintf(cf->res->message, sizeof(cf->res->message), "%s: %s", cf->path, what);
	return -EINVAL;
}

static uint32_t new_segment(struct vw_capfile *cf, uint32_t if_id, uint32_t sub,
			    const char *if_name, int linktype)
{
	char name[VW_SEGMENT_NAME_MAX];
	bool named = if_name && *if_name;

	if (named && sub)
		snprintf(name, sizeof(name), "%s@if%u", if_name, sub);
	else if (named)
		snprintf(name, sizeof(name), "%s", if_name);
	else if (sub)
		snprintf(name, sizeof(name), "%s@if%u", cf->base, sub);
	else if (if_id)
		snprintf(name, sizeof(name), "%s#%u", cf->base, if_id);
	else
		snprintf(name, sizeof(name), "%s", cf->base);
	int id = vw_table_add_segment(cf->in->table, name, cf->path, if_id, linktype,
				      named && !sub);
	return id > 0 ? (uint32_t)id : 0;
}

uint32_t vw_capfile_segment(struct vw_capfile *cf, uint32_t if_id, uint32_t sub,
			    const char *if_name, int linktype)
{
	struct vw_segmap_entry *e;

	if (cf->n_segs) {
		e = &cf->segs[cf->last_seg];
		if (e->if_id == if_id && e->sub == sub)
			return e->segment;
	}
	for (size_t i = 0; i < cf->n_segs; i++) {
		if (cf->segs[i].if_id == if_id && cf->segs[i].sub == sub) {
			cf->last_seg = i;
			return cf->segs[i].segment;
		}
	}
	e = realloc(cf->segs, (cf->n_segs + 1) * sizeof(*e));
	if (!e)
		return 0;
	cf->segs = e;
	e = &cf->segs[cf->n_segs];
	e->if_id = if_id;
	e->sub = sub;
	e->segment = new_segment(cf, if_id, sub, if_name, linktype);
	cf->last_seg = cf->n_segs++;
	return e->segment;
}

void vw_capif_init(struct vw_capfile *cf, struct vw_capif *ci, uint32_t if_id,
		   const char *if_name, int linktype, int link)
{
	ci->if_id = if_id;
	ci->if_name = if_name;
	ci->linktype = linktype;
	ci->link = link;
	ci->snaplen = 0; /* the reader sets it where the file tells */
	ci->segment = link == VW_LINK_SLL2 || link < 0
			      ? 0
			      : vw_capfile_segment(cf, if_id, 0, if_name, linktype);
}

uint32_t vw_capfile_sll2_segment(struct vw_capfile *cf, uint32_t if_id, const char *if_name,
				 int linktype, const uint8_t *data, uint32_t caplen)
{
	uint32_t sub = 0;

	/* `tcpdump -i any` captures several interfaces in one SLL2 file */
	if (caplen >= 8)
		sub = (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 | (uint32_t)data[6] << 8 |
		      data[7];
	return vw_capfile_segment(cf, if_id, sub, if_name, linktype);
}

/*
 * Inputs opened before the process gave up root (vw_capture_preopen): a
 * capture only root may read stays readable.  Each is used by one read.
 */
#define MAX_PREOPEN 64
static struct {
	const char *path;
	int fd;
} preopened[MAX_PREOPEN];
static size_t n_preopened;

int vw_capture_preopen(const char *path)
{
	int fd;

	if (!strcmp(path, "-") || n_preopened == MAX_PREOPEN)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno; /* reported when it is read */
	preopened[n_preopened].path = path;
	preopened[n_preopened++].fd = fd;
	return 0;
}

/* The descriptor opened before for path (the caller's copy), or -1. */
int vw_capture_preopened(const char *path)
{
	for (size_t i = 0; i < n_preopened; i++)
		if (preopened[i].path == path && preopened[i].fd >= 0)
			return fcntl(preopened[i].fd, F_DUPFD_CLOEXEC, 3);
	return -1;
}

void vw_capture_preopen_done(const char *path)
{
	for (size_t i = 0; i < n_preopened; i++)
		if (preopened[i].path == path && preopened[i].fd >= 0) {
			close(preopened[i].fd);
			preopened[i].fd = -1;
		}
}

static int open_input(struct vw_capfile *cf)
{
	struct stat st;
	int fd = vw_capture_preopened(cf->path);

	if (fd < 0)
		fd = strcmp(cf->path, "-") ? open(cf->path, O_RDONLY | O_CLOEXEC) : 0;

	if (fd < 0) {
		int err = errno;
		snprintf(cf->res->message, sizeof(cf->res->message), "%s: cannot open: %s",
			 cf->path, strerror(err));
		return -err;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(cf->res->message, sizeof(cf->res->message),
			 "%s: is a directory, not a capture file", cf->path);
		if (fd)
			close(fd);
		return -EISDIR;
	}
	cf->fb.fd = fd;
	return 0;
}

/* A compressed input: the decompressor takes over the read buffer. */
static int start_decompress(struct vw_capfile *cf, enum vw_zkind kind)
{
	char why[300];
	int rc = vw_unzip_start(&cf->fb, kind, why, sizeof(why));
	if (rc)
		return vw_capfile_fail(cf, 0, "%s", why);
	return 0;
}

static int read_own_format(struct vw_capfile *cf, bool *use_libpcap)
{
	long n = vw_fb_fill(&cf->fb, 6);

	if (n < 0)
		return vw_capfile_fail(cf, 0, "%s", vw_fb_error(&cf->fb, n));
	enum vw_zkind kind = vw_unzip_detect(vw_fb_data(&cf->fb), (size_t)n);
	if (kind != VW_Z_NONE) {
		int rc = start_decompress(cf, kind);
		if (rc)
			return rc;
		n = vw_fb_fill(&cf->fb, 6);
		if (n < 0)
			return vw_capfile_fail(cf, 0, "%s", vw_fb_error(&cf->fb, n));
		if (vw_unzip_detect(vw_fb_data(&cf->fb), (size_t)n) != VW_Z_NONE)
			return vw_capfile_fail(cf, 0, "%s-compressed twice: decompress it first",
					       vw_unzip_name(kind));
	}
	const char *what = kind == VW_Z_NONE ? "" : kind == VW_Z_GZIP ? "gzip-compressed, but "
					       : kind == VW_Z_ZSTD ? "zstd-compressed, but "
								   : "xz-compressed, but ";
	if (n < 4)
		return vw_capfile_fail(cf, 0, "%s%s, not a pcap or pcapng file", what,
				       n ? "too short" : "empty");
	uint32_t magic = vw_get32(vw_fb_data(&cf->fb), false);
	switch (magic) {
	case 0xa1b2c3d4: case 0xd4c3b2a1: /* microseconds, either byte order */
	case 0xa1b23c4d: case 0x4d3cb2a1: /* nanoseconds */
		cf->res->format = "pcap";
		return vw_read_pcap(cf);
	case 0x0a0d0d0a:
		cf->res->format = "pcapng";
		return vw_read_pcapng(cf);
	}
	if (kind != VW_Z_NONE) /* libpcap reads no compressed file */
		return vw_capfile_fail(cf, 0, "%sits content is not a pcap or pcapng file", what);
	*use_libpcap = true;
	return 0;
}

int vw_read_capture(const char *path, enum vw_reader reader, struct vw_ingest *in,
		    struct vw_read_result *res)
{
	struct vw_capfile cf = {.path = path, .in = in, .res = res};
	bool use_libpcap = reader == VW_READER_LIBPCAP;
	const char *slash = strrchr(path, '/');
	int rc = 0;

	memset(res, 0, sizeof(*res));
	cf.base = slash ? slash + 1 : path;
	if (!strcmp(path, "-"))
		cf.base = "stdin";
	if (!use_libpcap) {
		if ((rc = open_input(&cf)))
			return rc;
		rc = read_own_format(&cf, &use_libpcap);
		if (use_libpcap && cf.fb.fd == 0)
			rc = vw_capfile_fail(&cf, 0, "not a pcap or pcapng stream");
		close_input(&cf);
	}
	if (use_libpcap && !rc) {
		char why[200];
		/* a format of its own was not recognised: without libpcap to try
		 * the others, that is what to say first */
		if (reader != VW_READER_LIBPCAP && !vw_pcap_lib(why, sizeof(why))) {
			rc = vw_capfile_fail(&cf, 0,
					     "not a pcap or pcapng file; other formats are read "
					     "through libpcap, and %s",
					     why);
		} else {
			res->format = "libpcap";
			rc = vw_read_libpcap(&cf);
		}
	}
	vw_capture_preopen_done(path);
	free(cf.segs);
	return rc;
}
