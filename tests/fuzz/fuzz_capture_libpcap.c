// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_capture_libpcap.c - the libpcap reader path on whole files
 * (`vrrpwatch -r FILE --reader libpcap`), through to the observation
 * table, the detector and the reports (vw_fuzz_replay).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vw_fuzz_replay(data, size, VW_READER_LIBPCAP);
	return 0;
}
