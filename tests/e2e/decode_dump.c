// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode_dump.c - print what the decoder makes of every frame of a
 * capture, one tab-separated line per frame, for the comparison with
 * tshark (test_tshark_agree.py):
 *
 *   frame verdict reason version vrid priority interval_cs src addresses
 */
#include <stdio.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "capture/ingest.h"
#include "pcap_frames.h"
#include "shared/vrrp_decode.h"

static int dump(void *ctx, unsigned n, const uint8_t *data, uint32_t caplen, int dlt)
{
	struct vw_advert a = {0};
	char src[VW_ADDR_STRLEN], addr[VW_ADDR_STRLEN];
	int link = vw_link_from_dlt(dlt);

	(void)ctx;
	if (link < 0)
		return 0;
	vw_decode(NULL, data, data + caplen, (enum vw_link)link, &a);
	printf("%u\t%s\t%s\t%u\t%u\t%u\t%u\t%s\t", n,
	       a.verdict == VW_ADVERT ? "advert" : a.verdict == VW_REJECT ? "reject" : "other",
	       vw_reason_name(a.reason), a.version, a.vrid, a.priority, a.interval_cs,
	       a.family ? vw_ip_str(a.family, a.src, src, sizeof(src)) : "-");
	if (a.verdict == VW_ADVERT) {
		unsigned alen = a.family == 6 ? 16 : 4;
		for (unsigned i = 0; i < a.naddr; i++)
			printf("%s%s", i ? "," : "",
			       vw_ip_str(a.family, data + a.vrrp_off + 8 + i * alen, addr,
					 sizeof(addr)));
	}
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	char err[256];

	if (argc != 2) {
		fprintf(stderr, "usage: %s CAPTURE\n", argv[0]);
		return 2;
	}
	if (pcap_frames_each(argv[1], dump, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], err);
		return 1;
	}
	return 0;
}
