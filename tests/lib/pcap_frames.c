// SPDX-License-Identifier: GPL-2.0-or-later
#include "pcap_frames.h"

#include <pcap/pcap.h>
#include <stdio.h>

int pcap_frames_each(const char *file, pcap_frame_fn fn, void *ctx, char *err, unsigned errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(file, errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned n = 0;
	int rc, stop = 0;

	if (!p) {
		snprintf(err, errlen, "%s", errbuf);
		return -1;
	}
	int dlt = pcap_datalink(p);
	while (!stop && (rc = pcap_next_ex(p, &h, &data)) == 1)
		stop = fn(ctx, ++n, data, h->caplen, dlt);
	pcap_close(p);
	return stop;
}
