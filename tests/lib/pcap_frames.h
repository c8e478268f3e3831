/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcap_frames.h - iterate over the frames of a capture with libpcap, for
 * tests that must not include <pcap/pcap.h> next to <linux/bpf.h> (both
 * define struct bpf_insn).
 */
#ifndef VRRPWATCH_TEST_PCAP_FRAMES_H
#define VRRPWATCH_TEST_PCAP_FRAMES_H

#include <stdint.h>

/* Called per frame; a non-zero return stops the walk and is returned. */
typedef int (*pcap_frame_fn)(void *ctx, unsigned number, const uint8_t *data, uint32_t caplen,
			     int dlt);

/* Returns 0, the callback's non-zero value, or -1 with a message in err. */
int pcap_frames_each(const char *file, pcap_frame_fn fn, void *ctx, char *err, unsigned errlen);

#endif
