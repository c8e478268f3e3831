// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reader_libpcap.c - any capture format libpcap reads, through libpcap.
 * Used for formats the streaming readers do not know, and on request
 * (--reader libpcap) to cross-check them.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture/reader.h"
#include "util/pcap_lib.h"

int vw_read_libpcap(struct vw_capfile *cf)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	const struct vw_pcap_lib *pc = vw_pcap_lib(errbuf, sizeof(errbuf));
	FILE *f = NULL;
	pcap_t *p;

	if (!pc)
		return vw_capfile_fail(cf, 0, "%s", errbuf);
	int pre = vw_capture_preopened(cf->path); /* opened before the drop (-Z) */
	if (pre >= 0) {
		lseek(pre, 0, SEEK_SET);
		if (!(f = fdopen(pre, "rb")))
			close(pre);
	}
	p = f ? pc->fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf)
	      : pc->open_offline_with_tstamp_precision(cf->path, PCAP_TSTAMP_PRECISION_NANO,
							errbuf);
	if (!p && f)
		fclose(f);
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = 0;

	if (!p)
		return vw_capfile_fail(cf, 0, "%s", errbuf);
	int linktype = pc->datalink(p), link = vw_link_from_dlt(linktype);
	if (link < 0) {
		pc->close(p);
		return vw_capfile_fail(cf, 0,
				       "link type %d (%s) not supported; vrrpwatch reads Ethernet, "
				       "Linux cooked (SLL, SLL2) and raw IP captures",
				       linktype, pc->datalink_val_to_name(linktype));
	}
	struct vw_capif ci;
	vw_capif_init(cf, &ci, 0, NULL, linktype, link);
	ci.snaplen = (uint32_t)pc->snapshot(p);
	while (!vw_read_interrupted && (rc = pc->next_ex(p, &h, &data)) == 1) {
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
		cf->res->records++;
		vw_capfile_frame(cf, &ci, data, h->caplen, h->len, ts, -1);
	}
	if (rc == PCAP_ERROR)
		rc = vw_capfile_fail(cf, cf->res->records + 1, "%s", pc->geterr(p));
	else
		rc = 0;
	pc->close(p);
	return rc;
}
