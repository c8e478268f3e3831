// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_common.c - helpers shared by the fuzz targets (fuzz.h).
 */
#include "fuzz.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/ingest.h"
#include "detect/detector.h"
#include "model/obs_table.h"
#include "report/report.h"

FILE *vw_fuzz_devnull(void)
{
	static FILE *null;

	if (!null && !(null = fopen("/dev/null", "w"))) {
		perror("/dev/null");
		abort();
	}
	return null;
}

/* One memory file for the whole run, rewritten for every input. */
static int memfile(const uint8_t *data, size_t size, char *path, size_t len)
{
	static int fd = -1;

	if (fd < 0 && (fd = memfd_create("vw-fuzz-capture", MFD_CLOEXEC)) < 0) {
		perror("memfd_create");
		abort();
	}
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size)) {
		perror("memfd");
		abort();
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

struct replay {
	struct vw_table table;
	struct vw_detector det;
	struct vw_ingest in;
};

static void on_tick(void *ctx, uint64_t now_ns)
{
	struct replay *r = ctx;

	vw_detector_tick(&r->det, &r->table, now_ns);
}

int vw_fuzz_replay(const uint8_t *data, size_t size, enum vw_reader reader)
{
	struct replay *r = calloc(1, sizeof(*r));
	struct vw_detector_opts dopt = {.config = NULL};
	struct vw_read_result res;
	struct sigaction bus;
	char path[64];
	int rc;

	FUZZ_CHECK(r && !vw_table_init(&r->table, 0));
	memfile(data, size, path, sizeof(path));
	FUZZ_CHECK(!vw_detector_init(&r->det, &dopt));
	vw_ingest_init(&r->in, &r->table, 1000000000ull, on_tick, r);
	/* the reader sets SIGBUS to its own handler and back to SIG_DFL:
	 * keep the sanitizer's and libFuzzer's */
	sigaction(SIGBUS, NULL, &bus);
	rc = vw_read_capture(path, reader, &r->in, &res);
	sigaction(SIGBUS, &bus, NULL);
	FUZZ_CHECK(rc <= 0);
	FUZZ_CHECK(!rc || res.message[0]);
	FUZZ_CHECK(r->table.frames <= res.records);
	if (r->table.frames)
		vw_detector_tick(&r->det, &r->table, r->table.last_ns + 1);
	vw_detector_settle(&r->det);

	char note[512];
	if (vw_ingest_cut_note(&r->in, note, sizeof(note)))
		vw_detector_note(&r->det, note);
	const char *files[] = {path, NULL};
	struct vw_report rep = {
		.table = &r->table,
		.other_frames = r->in.other_frames,
		.files = files,
		.findings = &r->det.findings,
		.notes = r->det.notes,
		.n_notes = r->det.n_notes,
		.instances = r->det.instances,
		.n_instances = r->det.n_instances,
	};
	vw_report_text(vw_fuzz_devnull(), &rep);
	vw_report_json(vw_fuzz_devnull(), &rep);
	vw_detector_free(&r->det);
	vw_ingest_free(&r->in);
	vw_table_free(&r->table);
	free(r);
	return rc;
}
