/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture_file.h - offline replay: read a pcap or pcapng file (or "-" for
 * standard input) and hand every frame to the ingest path.
 *
 * Classic pcap and pcapng are read by vrrpwatch's own streaming readers
 * (a 1 MiB read buffer, so memory stays flat whatever the file size, and
 * pcapng's interface names and direction flags are kept); every other
 * format libpcap knows goes through libpcap.  A damaged file stops at the
 * damaged record; what was read before it stays in the table.
 */
#ifndef VRRPWATCH_CAPTURE_FILE_H
#define VRRPWATCH_CAPTURE_FILE_H

#include <signal.h>
#include <stdint.h>

#include "capture/ingest.h"

enum vw_reader {
	VW_READER_AUTO = 0,    /* own reader for pcap/pcapng, else libpcap */
	VW_READER_LIBPCAP = 1, /* libpcap for everything */
};

struct vw_read_result {
	uint64_t records;         /* frames read and handed on */
	uint64_t skipped_link;    /* frames on interfaces of unsupported link types */
	const char *format;       /* "pcap", "pcapng" or "libpcap" */
	char message[512];        /* one line naming the file and the record */
};

/*
 * Returns 0 when the whole file was read, or a negative errno (EINVAL for
 * a damaged or unsupported file) with res->message set.
 */
int vw_read_capture(const char *path, enum vw_reader reader, struct vw_ingest *in,
		    struct vw_read_result *res);

/*
 * Set from a signal handler (SIGINT, SIGTERM): the readers stop at the next
 * record as if the input had ended, so that what was read is reported
 * (`tcpdump -w - | vrrpwatch -r -`, then Ctrl-C).
 */
extern volatile sig_atomic_t vw_read_interrupted;

/*
 * Open path now, for a later vw_read_capture of the same pointer: inputs
 * are opened before a process started as root drops to its user (-Z).
 * 0, or a negative errno (the read reports it again).
 */
int vw_capture_preopen(const char *path);
/* A new descriptor for a preopened path (offset shared), or -1. */
int vw_capture_preopened(const char *path);
void vw_capture_preopen_done(const char *path);

#endif
