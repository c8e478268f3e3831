/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reader.h - internals shared by the capture file readers: the streaming
 * read buffer, the per-file state and the segment map.
 */
#ifndef VRRPWATCH_SAVEFILE_H
#define VRRPWATCH_SAVEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "capture/capture_file.h"

#define VW_READ_CHUNK (1u << 17)
/* No valid record or block is larger; bigger means a damaged file. */
#define VW_MAX_CAPLEN 262144u
#define VW_MAX_BLOCK (16u << 20)

struct vw_unzip;

/*
 * The input: read() into a buffer of VW_READ_CHUNK, small enough to
 * stay in the cache beside the replay memo (a file, a pipe, standard
 * input alike; 1 MiB took 12% longer on mixed traffic); a compressed one (gzip,
 * zstd, xz: told by its first bytes) through a decompressor that writes
 * into that buffer (unzip.c).  Memory stays flat whatever the file size.
 * Not mmap(): mapping and giving back every page of a file cost more
 * here (Linux 6.18) than copying it, 20% more on 737 MB of mixed traffic
 * whose frames are mostly skipped.
 */
struct vw_filebuf {
	int fd;
	uint8_t *buf;
	size_t cap;
	size_t pos;      /* first unconsumed byte */
	size_t len;      /* bytes valid in buf */
	uint64_t offset; /* file offset of buf[pos] */
	bool eof;
	struct vw_unzip *z; /* compressed input: buf holds its output */
};

enum vw_zkind { VW_Z_NONE, VW_Z_GZIP, VW_Z_ZSTD, VW_Z_XZ };

/* The compression the first bytes p[0..n) announce (6 bytes tell all). */
enum vw_zkind vw_unzip_detect(const uint8_t *p, size_t n);
const char *vw_unzip_name(enum vw_zkind kind);
/* Whether this build decompresses kind; else *missing names the library. */
bool vw_unzip_available(enum vw_zkind kind, const char **missing);
/*
 * From here on fb yields the decompressed stream: what fb holds unread is
 * the start of the compressed input, the rest is read from fb->fd.  On
 * failure msg says why.
 */
int vw_unzip_start(struct vw_filebuf *fb, enum vw_zkind kind, char *msg, size_t msgsz);
/* Up to room decompressed bytes; 0 at the end, -errno on damage. */
ssize_t vw_unzip_read(struct vw_unzip *z, uint8_t *dst, size_t room);
void vw_unzip_end(struct vw_filebuf *fb);
enum vw_zkind vw_fb_compression(const struct vw_filebuf *fb);
/*
 * What a failed vw_fb_fill (returning n < 0) means: "read error: ..." or,
 * for compressed input, where the compressed stream broke.
 */
const char *vw_fb_error(const struct vw_filebuf *fb, long n);

struct vw_segmap_entry {
	uint32_t if_id;
	uint32_t sub; /* SLL2 interface index, 0 otherwise */
	uint32_t segment;
};

struct vw_capfile {
	const char *path;
	const char *base; /* file name without directories */
	struct vw_ingest *in;
	struct vw_read_result *res;
	struct vw_filebuf fb;
	struct vw_segmap_entry *segs;
	size_t n_segs;
	size_t last_seg; /* cache of the last hit */
};

/*
 * Make at least `need` bytes available at fb->buf + fb->pos.  Returns the
 * number available (less than need only at end of file), or -errno.
 */
long vw_fb_refill(struct vw_filebuf *fb, size_t need);

static inline long vw_fb_fill(struct vw_filebuf *fb, size_t need)
{
	size_t avail = fb->len - fb->pos;

	return avail >= need ? (long)avail : vw_fb_refill(fb, need);
}

static inline const uint8_t *vw_fb_data(const struct vw_filebuf *fb)
{
	return fb->buf + fb->pos;
}

static inline void vw_fb_consume(struct vw_filebuf *fb, size_t n)
{
	fb->pos += n;
	fb->offset += n;
}

/* The segment for frames of interface if_id (and SLL2 ifindex sub). */
uint32_t vw_capfile_segment(struct vw_capfile *cf, uint32_t if_id, uint32_t sub,
			    const char *if_name, int linktype);

/* Set res->message ("FILE: record N: ...") and return -EINVAL. */
int vw_capfile_fail(struct vw_capfile *cf, uint64_t record, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The segment of an SLL2 frame: its header names the interface. */
uint32_t vw_capfile_sll2_segment(struct vw_capfile *cf, uint32_t if_id, const char *if_name,
				 int linktype, const uint8_t *data, uint32_t caplen);

/*
 * The frames of one interface of a capture: its segment is looked up once,
 * not per frame (SLL2 frames name their interface in every header).
 */
struct vw_capif {
	uint32_t if_id;
	const char *if_name;
	int linktype;
	int link;         /* enum vw_link, -1 unsupported */
	uint32_t segment; /* 0 for SLL2: per frame */
	uint32_t snaplen; /* the file header's or IDB's, 0 if none */
};

void vw_capif_init(struct vw_capfile *cf, struct vw_capif *ci, uint32_t if_id,
		   const char *if_name, int linktype, int link);

/* Hand one frame on.  Inline: it runs for every frame. */
static inline void vw_capfile_frame(struct vw_capfile *cf, const struct vw_capif *ci,
				    const uint8_t *data, uint32_t caplen, uint32_t wirelen,
				    uint64_t ts_ns, int dir_hint)
{
	struct vw_frame f;

	if (ci->link < 0) {
		cf->res->skipped_link++;
		return;
	}
	f.segment = ci->segment ? ci->segment
				: vw_capfile_sll2_segment(cf, ci->if_id, ci->if_name, ci->linktype,
							  data, caplen);
	f.data = data;
	f.caplen = caplen;
	f.wirelen = wirelen;
	f.ts_ns = ts_ns;
	f.link = (enum vw_link)ci->link;
	f.dir_hint = dir_hint;
	f.capture_file = true;
	f.snaplen = ci->snaplen;
	vw_ingest_frame(cf->in, &f);
}

int vw_read_pcap(struct vw_capfile *cf);
int vw_read_pcapng(struct vw_capfile *cf);
int vw_read_libpcap(struct vw_capfile *cf);

static inline uint16_t vw_get16(const uint8_t *p, bool swap)
{
	uint16_t v;

	__builtin_memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

static inline uint32_t vw_get32(const uint8_t *p, bool swap)
{
	uint32_t v;

	__builtin_memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

#endif
