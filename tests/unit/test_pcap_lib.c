// SPDX-License-Identifier: GPL-2.0-or-later
/* util/pcap_lib.c: libpcap opened when first needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/pcap_lib.h"

/* Loaded once: the second call gives the same table. */
static void test_loaded_once(void **state)
{
	char err[256] = "";
	const struct vw_pcap_lib *a = vw_pcap_lib(err, sizeof(err));

	(void)state;
	assert_non_null(a);
	assert_string_equal(err, "");
	assert_ptr_equal(vw_pcap_lib(err, sizeof(err)), a);
#define VW_PCAP_LOADED(name) assert_non_null(a->name);
	VW_PCAP_FUNCTIONS(VW_PCAP_LOADED)
#undef VW_PCAP_LOADED
}

/* The functions are libpcap's: a sample capture read through them holds
 * its 38 frames of Ethernet. */
static void test_reads_a_capture(void **state)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	const struct vw_pcap_lib *pc = vw_pcap_lib(err, sizeof(err));
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned frames = 0;

	(void)state;
	assert_non_null(pc);
	pcap_t *p = pc->open_offline_with_tstamp_precision(
		VW_SOURCE_ROOT "/pcaps/collision/capture.pcap", PCAP_TSTAMP_PRECISION_NANO, err);
	assert_non_null(p);
	assert_int_equal(pc->datalink(p), DLT_EN10MB);
	assert_string_equal(pc->datalink_val_to_name(DLT_EN10MB), "EN10MB");
	while (pc->next_ex(p, &h, &data) == 1)
		frames++;
	assert_int_equal(frames, 38);
	pc->close(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loaded_once),
		cmocka_unit_test(test_reads_a_capture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
