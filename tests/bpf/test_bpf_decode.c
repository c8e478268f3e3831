// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_bpf_decode.c - the BPF build of the decoder agrees with the
 * userspace build.
 *
 * Every frame of every capture given on the command line runs through
 * bpf/tests/decode_test.bpf.c with BPF_PROG_TEST_RUN; the struct vw_advert it
 * leaves in its map must equal, byte for byte, what the userspace build of
 * the same header makes of the same frame.
 *
 * Exit 77 (skip) where BPF cannot be loaded, unless VRRPWATCH_NO_SKIP
 * is set (CI runs as root and must not skip).
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_test.skel.h"
#include "capture/ingest.h"
#include "pcap_frames.h"
#include "test_skip.h"
#include "shared/vrrp_decode.h"

/* XDP test runs take at most one page of linear data. */
#define XDP_MIN_FRAME 14

struct counts {
	unsigned frames, compared, adverts, rejects, others, too_small, too_big, failed;
};

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && getenv("VRRPWATCH_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static void describe_mismatch(const char *file, unsigned n, const struct vw_advert *u,
			      const struct vw_advert *k)
{
	const __u8 *a = (const __u8 *)u, *b = (const __u8 *)k;

	fprintf(stderr, "FAIL %s frame %u: userspace verdict %u reason %u, BPF verdict %u reason %u\n",
		file, n, u->verdict, u->reason, k->verdict, k->reason);
	for (size_t i = 0; i < sizeof(*u); i++)
		if (a[i] != b[i])
			fprintf(stderr, "  byte %zu of struct vw_advert: userspace %02x, BPF %02x\n",
				i, a[i], b[i]);
}

static int run_frame(struct decode_test *skel, const __u8 *data, __u32 len,
		     enum vw_link link, struct vw_advert *out)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = data, .data_size_in = len, .repeat = 1);
	__u32 zero = 0;

	skel->bss->link_type = link;
	int rc = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.decode_test), &opts);
	if (rc)
		return -errno;
	if (opts.retval != XDP_PASS)
		return -EPROTO;
	return bpf_map_lookup_elem(bpf_map__fd(skel->maps.result), &zero, out) ? -errno : 0;
}

struct file_walk {
	struct decode_test *skel;
	const char *file;
	struct counts *c;
	int bad;
};

static int compare_frame(void *ctx, unsigned n, const uint8_t *data, uint32_t caplen, int dlt)
{
	struct file_walk *w = ctx;
	struct vw_advert user = {0}, kern = {0};
	int link = vw_link_from_dlt(dlt);

	w->c->frames++;
	if (link < 0)
		return 0;
	int verdict = vw_decode(NULL, data, data + caplen, (enum vw_link)link, &user);
	if (caplen < XDP_MIN_FRAME) {
		w->c->too_small++;
		return 0;
	}
	int err = run_frame(w->skel, data, caplen, (enum vw_link)link, &kern);
	if (!err && w->skel->bss->linear_len < caplen) {
		/* XDP got the frame in fragments and reads the first one only:
		 * compare with what userspace makes of that much */
		w->c->too_big++;
		memset(&user, 0, sizeof(user));
		verdict = vw_decode(NULL, data, data + w->skel->bss->linear_len,
				    (enum vw_link)link, &user);
	}
	if (err) {
		fprintf(stderr, "FAIL %s frame %u: test run: %s\n", w->file, n, strerror(-err));
		w->bad++;
		return 0;
	}
	w->c->compared++;
	w->c->adverts += verdict == VW_ADVERT;
	w->c->rejects += verdict == VW_REJECT;
	w->c->others += verdict == VW_OTHER;
	if (memcmp(&user, &kern, sizeof(user))) {
		describe_mismatch(w->file, n, &user, &kern);
		w->bad++;
	}
	return 0;
}

static int compare_file(struct decode_test *skel, const char *file, struct counts *c)
{
	struct file_walk w = {.skel = skel, .file = file, .c = c};
	char err[256];

	if (pcap_frames_each(file, compare_frame, &w, err, sizeof(err)) < 0) {
		/* the damaged samples are for the reader tests; libpcap refuses them */
		fprintf(stderr, "note: %s: %s\n", file, err);
		return 0;
	}
	c->failed += (unsigned)w.bad;
	return w.bad != 0;
}

static struct decode_test *walk_skel;
static struct counts *walk_counts;
static int walk_failed, walk_files;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *dot = strrchr(path, '.');

	(void)st;
	(void)ftw;
	if (type == FTW_F && dot && (!strcmp(dot, ".pcap") || !strcmp(dot, ".pcapng"))) {
		walk_files++;
		walk_failed |= compare_file(walk_skel, path, walk_counts);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct counts c = {0};
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CAPTURE-OR-DIRECTORY...\n", argv[0]);
		return 2;
	}
	libbpf_set_print(quiet_libbpf);
	struct decode_test *skel = decode_test__open_and_load();
	if (!skel) {
		char why[128];
		snprintf(why, sizeof(why), "cannot load the BPF decoder: %s (needs root or CAP_BPF)",
			 strerror(errno));
		return skip_or_fail(why);
	}
	walk_skel = skel;
	walk_counts = &c;
	for (int i = 1; i < argc; i++)
		if (nftw(argv[i], visit, 16, FTW_PHYS)) {
			fprintf(stderr, "FAIL: cannot walk %s: %s\n", argv[i], strerror(errno));
			failed = 1;
		}
	failed |= walk_failed;
	decode_test__destroy(skel);
	printf("%u frames in %d captures: %u compared (%u adverts, %u rejected, %u other), "
	       "%u too short for XDP, %u longer than XDP's linear buffer (compared as cut), "
	       "%u mismatches\n",
	       c.frames, walk_files, c.compared, c.adverts, c.rejects, c.others, c.too_small,
	       c.too_big, c.failed);
	if (!c.compared || !c.adverts) {
		fprintf(stderr, "FAIL: nothing was compared\n");
		return 1;
	}
	return failed;
}
