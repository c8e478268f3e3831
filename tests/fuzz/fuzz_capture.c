// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_capture.c - the capture file readers on whole files, the way
 * `vrrpwatch -r FILE` reads them: vrrpwatch's own pcap and pcapng readers,
 * libpcap for any other format, through to the observation table, the
 * detector and the reports (vw_fuzz_replay).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vw_fuzz_replay(data, size, VW_READER_AUTO);
	return 0;
}
