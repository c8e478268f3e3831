/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - what the fuzz targets of tests/fuzz share.
 *
 * Each fuzz_<target>.c defines LLVMFuzzerTestOneInput.  Built with
 * -Dfuzz=true they link libFuzzer (fuzz_<target> executables); in every
 * build they are also compiled with LLVMFuzzerTestOneInput renamed to
 * vw_fuzz_<target> into fuzz_regress, the plain driver that replays the
 * seeds and every crash ever found (tests/fuzz/regress.c).
 */
#ifndef VRRPWATCH_FUZZ_H
#define VRRPWATCH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture/capture_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test that does not hold: a crash for
 * libFuzzer and a failure for fuzz_regress, in any build. */
#define FUZZ_CHECK(cond)                                                              \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                               \
			abort();                                                      \
		}                                                                     \
	} while (0)

/* A stream that discards what is written (reports are rendered, not kept). */
FILE *vw_fuzz_devnull(void);

/*
 * Replay data as a capture file the way `vrrpwatch -r FILE` does: written
 * to a memory file and read by path with the given reader, through the
 * ingest path into the observation table, with the detector's ticks on
 * packet time, and the text and JSON reports rendered.  Returns what
 * vw_read_capture returned.
 */
int vw_fuzz_replay(const uint8_t *data, size_t size, enum vw_reader reader);

#endif
