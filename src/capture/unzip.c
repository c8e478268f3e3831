// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unzip.c - compressed captures (gzip, zstd, xz), decompressed as they are
 * read: the decompressor writes straight into the read buffer of
 * reader.h, so the pcap and pcapng readers run unchanged on its output and
 * memory stays flat whatever the file size.  The format is told by the
 * first bytes, not by the file name, so standard input works too.
 *
 * A damaged or truncated stream ends the input with an error that names
 * the compressed byte where it broke; the records read before it stay.
 *
 * With more than one CPU the decompressor runs in a thread of its own, a
 * few chunks ahead of the readers, so that replay goes at the speed of the
 * slower of the two rather than of both in turn.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "capture/reader.h"

#include <zlib.h>
#if HAVE_ZSTD
#include <zstd.h>
#endif
#if HAVE_LZMA
#include <lzma.h>
#endif

#define IN_CHUNK (256u << 10)
#define OUT_CHUNK (1u << 20)
#define N_CHUNKS 4

struct vw_unzip {
	enum vw_zkind kind;
	int fd;
	uint8_t *in;
	size_t in_cap, in_pos, in_len;
	uint64_t in_off; /* file offset of in[in_pos] */
	uint64_t out_total; /* bytes decompressed so far */
	bool in_eof;
	bool done; /* the stream ended where it should */
	bool ended_frame; /* zstd: the last call ended a frame */
	int err;   /* sticky: -err is returned once the output is drained */
	char msg[256];
	z_stream gz;
#if HAVE_ZSTD
	ZSTD_DCtx *zst;
#endif
#if HAVE_LZMA
	lzma_stream xz;
#endif
	/* the decompressing thread, a ring of N_CHUNKS output chunks ahead */
	bool threaded;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint8_t *chunk[N_CHUNKS];
	size_t chunk_len[N_CHUNKS];
	unsigned head, tail, count; /* under mu */
	size_t taken;               /* consumer: bytes used of chunk[tail] */
	bool prod_end;              /* under mu: no more chunks (end or error) */
	int prod_err;               /* under mu: -errno at prod_end, 0 at the end */
	bool stop;                  /* under mu: the consumer is gone */
};

enum vw_zkind vw_unzip_detect(const uint8_t *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return VW_Z_GZIP;
	if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return VW_Z_ZSTD;
	if (n >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6))
		return VW_Z_XZ;
	return VW_Z_NONE;
}

const char *vw_unzip_name(enum vw_zkind kind)
{
	switch (kind) {
	case VW_Z_GZIP: return "gzip";
	case VW_Z_ZSTD: return "zstd";
	case VW_Z_XZ: return "xz";
	default: return "plain";
	}
}

bool vw_unzip_available(enum vw_zkind kind, const char **missing)
{
	*missing = NULL;
	if (kind == VW_Z_ZSTD && !HAVE_ZSTD)
		*missing = "libzstd (libzstd-dev)";
	if (kind == VW_Z_XZ && !HAVE_LZMA)
		*missing = "liblzma (liblzma-dev)";
	return !*missing;
}

static const char *why_short(int err)
{
	return err == EPIPE ? "ends early" : err == ENOMEM ? "cannot be decoded" : "is corrupt";
}

static int fail(struct vw_unzip *z, uint64_t at, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct vw_unzip *z, uint64_t at, int err, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(z->msg, sizeof(z->msg),
		 "%s data %s at compressed byte %llu (uncompressed byte %llu)%s%s",
		 vw_unzip_name(z->kind), why_short(err), (unsigned long long)at,
		 (unsigned long long)z->out_total, *what ? ": " : "", what);
	z->err = err;
	return -err;
}

static int truncated(struct vw_unzip *z)
{
	return fail(z, z->in_off, EPIPE, "the file is truncated");
}

/* More compressed input, if none is left.  Returns -errno on failure. */
static int fill_input(struct vw_unzip *z)
{
	if (z->in_pos < z->in_len || z->in_eof)
		return 0;
	z->in_pos = z->in_len = 0;
	for (;;) {
		/* the only cancellation point of the decompressing thread */
		if (z->threaded)
			pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
		ssize_t n = read(z->fd, z->in, z->in_cap);
		if (z->threaded)
			pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
		if (n < 0 && errno == EINTR && !vw_read_interrupted)
			continue;
		if (n < 0 && errno == EINTR) {
			z->in_eof = z->done = true; /* Ctrl-C: the input ends here */
			return 0;
		}
		if (n < 0) {
			int err = errno;
			snprintf(z->msg, sizeof(z->msg), "read error at compressed byte %llu: %s",
				 (unsigned long long)z->in_off, strerror(err));
			z->err = err;
			return -err;
		}
		z->in_len = (size_t)n;
		z->in_eof = n == 0;
		return 0;
	}
}

static void advance(struct vw_unzip *z, size_t used)
{
	z->in_pos += used;
	z->in_off += used;
}

/* Each step decodes from in[in_pos..] into out; returns the bytes written. */
static size_t step_gzip(struct vw_unzip *z, uint8_t *out, size_t room)
{
	z->gz.next_in = z->in + z->in_pos;
	z->gz.avail_in = (uInt)(z->in_len - z->in_pos);
	z->gz.next_out = out;
	z->gz.avail_out = (uInt)(room > UINT32_MAX ? UINT32_MAX : room);
	int rc = inflate(&z->gz, Z_NO_FLUSH);
	size_t used = (size_t)(z->gz.next_in - (z->in + z->in_pos));
	size_t made = (size_t)(z->gz.next_out - out);

	if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR) {
		uint64_t at = z->in_off + used;
		advance(z, used);
		fail(z, at, rc == Z_MEM_ERROR ? ENOMEM : EILSEQ, "corrupt (%s)",
		     z->gz.msg ? z->gz.msg : "zlib error");
		return made;
	}
	advance(z, used);
	if (rc == Z_STREAM_END) {
		/* concatenated members (cat a.gz b.gz) go on, like zcat */
		if (fill_input(z) < 0)
			return made;
		if (z->in_len - z->in_pos >= 2 && z->in[z->in_pos] == 0x1f &&
		    z->in[z->in_pos + 1] == 0x8b)
			inflateReset(&z->gz);
		else
			z->done = true; /* trailing bytes are ignored, as gzip does */
	}
	return made;
}

#if HAVE_ZSTD
static size_t step_zstd(struct vw_unzip *z, uint8_t *out, size_t room)
{
	ZSTD_inBuffer in = {z->in + z->in_pos, z->in_len - z->in_pos, 0};
	ZSTD_outBuffer o = {out, room, 0};
	size_t rc = ZSTD_decompressStream(z->zst, &o, &in);

	if (ZSTD_isError(rc)) {
		uint64_t at = z->in_off + in.pos;
		advance(z, in.pos);
		fail(z, at, EILSEQ, "%s", ZSTD_getErrorName(rc));
		return o.pos;
	}
	advance(z, in.pos);
	z->ended_frame = rc == 0;
	return o.pos;
}
#endif

#if HAVE_LZMA
static size_t step_xz(struct vw_unzip *z, uint8_t *out, size_t room)
{
	z->xz.next_in = z->in + z->in_pos;
	z->xz.avail_in = z->in_len - z->in_pos;
	z->xz.next_out = out;
	z->xz.avail_out = room;
	lzma_ret rc = lzma_code(&z->xz, z->in_eof ? LZMA_FINISH : LZMA_RUN);
	size_t used = (size_t)(z->xz.next_in - (z->in + z->in_pos));
	size_t made = (size_t)(z->xz.next_out - out);

	advance(z, used);
	if (rc == LZMA_STREAM_END) {
		z->done = true;
	} else if (rc == LZMA_BUF_ERROR && z->in_eof) {
		truncated(z);
	} else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
		const char *what = rc == LZMA_MEM_ERROR	   ? "out of memory"
				   : rc == LZMA_FORMAT_ERROR ? "not xz"
				   : rc == LZMA_DATA_ERROR   ? "compressed data is damaged"
				   : rc == LZMA_OPTIONS_ERROR ? "unsupported options"
							      : "liblzma error";
		fail(z, z->in_off, rc == LZMA_MEM_ERROR ? ENOMEM : EILSEQ, "%s", what);
	}
	return made;
}
#endif

static size_t step(struct vw_unzip *z, uint8_t *out, size_t room)
{
	switch (z->kind) {
#if HAVE_ZSTD
	case VW_Z_ZSTD:
		return step_zstd(z, out, room);
#endif
#if HAVE_LZMA
	case VW_Z_XZ:
		return step_xz(z, out, room);
#endif
	default:
		return step_gzip(z, out, room);
	}
}

static ssize_t decode(struct vw_unzip *z, uint8_t *dst, size_t room)
{
	size_t made = 0;

	while (made < room && !z->done && !z->err) {
		if (z->in_pos == z->in_len && !z->in_eof) {
			if (made)
				break; /* hand on what is decoded before blocking on a pipe */
			if (fill_input(z) < 0)
				break;
			continue;
		}
		/* no input left: flush what the decoder holds, then it must have ended */
		bool last = z->in_pos == z->in_len;
		if (last && z->kind == VW_Z_ZSTD && z->ended_frame) {
			z->done = true;
			break;
		}
		size_t n = step(z, dst + made, room - made);
		made += n;
		z->out_total += n;
		if (last && n == 0 && !z->done && !z->err)
			truncated(z);
	}
	if (made)
		return (ssize_t)made;
	return z->err ? -z->err : 0;
}

static void *producer(void *arg)
{
	struct vw_unzip *z = arg;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	for (;;) {
		pthread_mutex_lock(&z->mu);
		while (z->count == N_CHUNKS && !z->stop)
			pthread_cond_wait(&z->cv, &z->mu);
		unsigned slot = z->head;
		bool stop = z->stop;
		pthread_mutex_unlock(&z->mu);
		if (stop)
			return NULL;
		/* chunk[slot] is the producer's until it is counted */
		ssize_t n = decode(z, z->chunk[slot], OUT_CHUNK);
		pthread_mutex_lock(&z->mu);
		if (n > 0) {
			z->chunk_len[slot] = (size_t)n;
			z->head = (z->head + 1) % N_CHUNKS;
			z->count++;
		} else {
			z->prod_end = true;
			z->prod_err = (int)n;
		}
		pthread_cond_broadcast(&z->cv);
		pthread_mutex_unlock(&z->mu);
		if (n <= 0)
			return NULL;
	}
}

static ssize_t consume(struct vw_unzip *z, uint8_t *dst, size_t room)
{
	pthread_mutex_lock(&z->mu);
	while (!z->count && !z->prod_end) {
		if (vw_read_interrupted) { /* Ctrl-C: the input ends here */
			pthread_mutex_unlock(&z->mu);
			return 0;
		}
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&z->cv, &z->mu, &until);
	}
	if (!z->count) {
		int err = z->prod_err;
		pthread_mutex_unlock(&z->mu);
		return err;
	}
	unsigned slot = z->tail;
	pthread_mutex_unlock(&z->mu);

	size_t n = z->chunk_len[slot] - z->taken;
	if (n > room)
		n = room;
	memcpy(dst, z->chunk[slot] + z->taken, n);
	z->taken += n;
	if (z->taken == z->chunk_len[slot]) {
		z->taken = 0;
		pthread_mutex_lock(&z->mu);
		z->tail = (z->tail + 1) % N_CHUNKS;
		z->count--;
		pthread_cond_broadcast(&z->cv);
		pthread_mutex_unlock(&z->mu);
	}
	return (ssize_t)n;
}

ssize_t vw_unzip_read(struct vw_unzip *z, uint8_t *dst, size_t room)
{
	return z->threaded ? consume(z, dst, room) : decode(z, dst, room);
}

/* Whether to decompress in a thread: with a CPU to spare, unless told not to. */
static bool want_thread(void)
{
	const char *env = getenv("VRRPWATCH_UNZIP_THREAD");

	if (env && *env)
		return strcmp(env, "0") != 0;
	return sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

static void start_thread(struct vw_unzip *z)
{
	sigset_t all, old;

	for (unsigned i = 0; i < N_CHUNKS; i++) {
		if (!(z->chunk[i] = malloc(OUT_CHUNK)))
			return; /* decompress in line */
	}
	if (pthread_mutex_init(&z->mu, NULL))
		return;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	if (pthread_cond_init(&z->cv, &ca)) {
		pthread_mutex_destroy(&z->mu);
		return;
	}
	z->threaded = true;
	/* signals (Ctrl-C) go to the reading thread, which checks for them */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&z->th, NULL, producer, z)) {
		z->threaded = false;
		pthread_cond_destroy(&z->cv);
		pthread_mutex_destroy(&z->mu);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void stop_thread(struct vw_unzip *z)
{
	if (z->threaded) {
		pthread_mutex_lock(&z->mu);
		z->stop = true;
		pthread_cond_broadcast(&z->cv);
		pthread_mutex_unlock(&z->mu);
		pthread_cancel(z->th); /* blocked in read() on a pipe */
		pthread_join(z->th, NULL);
		pthread_cond_destroy(&z->cv);
		pthread_mutex_destroy(&z->mu);
		z->threaded = false;
	}
	for (unsigned i = 0; i < N_CHUNKS; i++)
		free(z->chunk[i]);
}

int vw_unzip_start(struct vw_filebuf *fb, enum vw_zkind kind, char *msg, size_t msgsz)
{
	struct vw_unzip *z = calloc(1, sizeof(*z));
	const char *missing;

	if (!vw_unzip_available(kind, &missing)) {
		snprintf(msg, msgsz,
			 "%s-compressed, but this vrrpwatch was built without %s: install it "
			 "and rebuild, or decompress the file first",
			 vw_unzip_name(kind), missing);
		free(z);
		return -ENOTSUP;
	}
	if (!z)
		return -ENOMEM;
	z->kind = kind;
	z->fd = fb->fd;
	/* what was already read (the magic, at least) is compressed input */
	z->in = fb->buf;
	z->in_cap = fb->cap;
	z->in_pos = fb->pos;
	z->in_len = fb->len;
	z->in_off = fb->offset;
	z->in_eof = fb->eof;
	if (z->in_cap < IN_CHUNK) {
		uint8_t *b = malloc(IN_CHUNK);
		if (!b) {
			free(z);
			return -ENOMEM;
		}
		if (z->in_len > z->in_pos)
			memcpy(b, z->in + z->in_pos, z->in_len - z->in_pos);
		z->in_len -= z->in_pos;
		z->in_pos = 0;
		free(z->in);
		z->in = b;
		z->in_cap = IN_CHUNK;
	}
	int rc = 0;
	switch (kind) {
	case VW_Z_GZIP:
		if (inflateInit2(&z->gz, 15 + 16) != Z_OK)
			rc = -ENOMEM;
		break;
#if HAVE_ZSTD
	case VW_Z_ZSTD:
		if (!(z->zst = ZSTD_createDCtx()))
			rc = -ENOMEM;
		break;
#endif
#if HAVE_LZMA
	case VW_Z_XZ: {
		lzma_stream init = LZMA_STREAM_INIT;
		z->xz = init;
		if (lzma_stream_decoder(&z->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
			rc = -ENOMEM;
		break;
	}
#endif
	default:
		rc = -EINVAL;
	}
	if (!rc && want_thread())
		start_thread(z);
	fb->z = z;
	fb->buf = NULL;
	fb->cap = fb->len = fb->pos = 0;
	fb->offset = 0;
	fb->eof = false;
	if (rc)
		snprintf(msg, msgsz, "cannot start the %s decompressor: %s", vw_unzip_name(kind),
			 strerror(-rc));
	return rc;
}

void vw_unzip_end(struct vw_filebuf *fb)
{
	struct vw_unzip *z = fb->z;

	if (!z)
		return;
	stop_thread(z);
	switch (z->kind) {
	case VW_Z_GZIP:
		inflateEnd(&z->gz);
		break;
#if HAVE_ZSTD
	case VW_Z_ZSTD:
		ZSTD_freeDCtx(z->zst);
		break;
#endif
#if HAVE_LZMA
	case VW_Z_XZ:
		lzma_end(&z->xz);
		break;
#endif
	default:
		break;
	}
	free(z->in);
	free(z);
	fb->z = NULL;
}

const char *vw_fb_error(const struct vw_filebuf *fb, long n)
{
	static char buf[96];

	if (fb->z && fb->z->msg[0])
		return fb->z->msg;
	snprintf(buf, sizeof(buf), "read error: %s", strerror((int)-n));
	return buf;
}

enum vw_zkind vw_fb_compression(const struct vw_filebuf *fb)
{
	return fb->z ? fb->z->kind : VW_Z_NONE;
}
