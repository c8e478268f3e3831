// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reader_pcap.c - the classic pcap format (pcap-savefile(5)), streamed.
 *
 * File header: magic, version 2.4, thiszone, sigfigs, snaplen, linktype.
 * Record header: ts_sec, ts_usec (or ts_nsec), caplen, wire length.
 */
#include <errno.h>
#include <string.h>

#include "capture/reader.h"

#define PCAP_FILE_HDR 24
#define PCAP_REC_HDR 16
#define PREFETCH_AHEAD 4096

struct pcap_file_info {
	bool swap;
	bool nanosec;
	uint32_t snaplen;
	int linktype;
	int link;
};

static int read_file_header(struct vw_capfile *cf, struct pcap_file_info *fi)
{
	long n = vw_fb_fill(&cf->fb, PCAP_FILE_HDR);

	if (n < 0)
		return vw_capfile_fail(cf, 0, "%s", vw_fb_error(&cf->fb, n));
	if (n < PCAP_FILE_HDR)
		return vw_capfile_fail(cf, 0, "truncated pcap file header (%ld of %d bytes)", n,
				       PCAP_FILE_HDR);
	const uint8_t *h = vw_fb_data(&cf->fb);
	uint32_t magic = vw_get32(h, false);
	fi->swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	fi->nanosec = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
	if (vw_get16(h + 4, fi->swap) != 2)
		return vw_capfile_fail(cf, 0, "pcap version %u.%u not supported",
				       vw_get16(h + 4, fi->swap), vw_get16(h + 6, fi->swap));
	fi->snaplen = vw_get32(h + 16, fi->swap);
	/* the upper bits carry FCS information (pcap-linktype(7)) */
	fi->linktype = (int)(vw_get32(h + 20, fi->swap) & 0x03ffffff);
	fi->link = vw_link_from_dlt(fi->linktype);
	if (fi->link < 0)
		return vw_capfile_fail(cf, 0,
				       "link type %d not supported; vrrpwatch reads Ethernet, "
				       "Linux cooked (SLL, SLL2) and raw IP captures",
				       fi->linktype);
	vw_fb_consume(&cf->fb, PCAP_FILE_HDR);
	return 0;
}

static int truncated(struct vw_capfile *cf, uint64_t record, long have, size_t want)
{
	return vw_capfile_fail(cf, record, "file ends inside the record (%ld of %zu bytes)", have,
			       want);
}

/*
 * The records that lie whole in the buffer, handed on with no refill and
 * no check a record at the buffer's end needs: the loop every frame of a
 * file runs through.  swap is a constant in each of its two copies.
 * Returns how many were read; the record after them is read the long way.
 */
static inline uint64_t whole_records(struct vw_capfile *cf, const struct vw_capif *ci,
				     uint32_t frac_ns, bool swap)
{
	struct vw_filebuf *fb = &cf->fb;
	const uint8_t *start = vw_fb_data(fb), *p = start, *end = fb->buf + fb->len;
	uint64_t n = 0;

	while ((size_t)(end - p) >= PCAP_REC_HDR && !vw_read_interrupted) {
		uint32_t caplen = vw_get32(p + 8, swap);
		if (caplen > VW_MAX_CAPLEN || (size_t)(end - p) - PCAP_REC_HDR < caplen)
			break;
		/* Frames are read once, in order, and most are not VRRP: the
		 * time goes to waiting for memory.  Ask for the records a
		 * page ahead (the hardware prefetcher stops at pages). */
		__builtin_prefetch(p + PREFETCH_AHEAD);
		uint64_t ts = (uint64_t)vw_get32(p, swap) * 1000000000u +
			      (uint64_t)vw_get32(p + 4, swap) * frac_ns;
		vw_capfile_frame(cf, ci, p + PCAP_REC_HDR, caplen, vw_get32(p + 12, swap), ts, -1);
		p += PCAP_REC_HDR + caplen;
		n++;
	}
	vw_fb_consume(fb, (size_t)(p - start));
	cf->res->records += n;
	return n;
}

int vw_read_pcap(struct vw_capfile *cf)
{
	struct pcap_file_info fi = {0};
	struct vw_capif ci;
	int rc = read_file_header(cf, &fi);
	uint32_t frac_ns = fi.nanosec ? 1 : 1000;

	if (!rc) {
		vw_capif_init(cf, &ci, 0, NULL, fi.linktype, fi.link);
		ci.snaplen = fi.snaplen;
	}
	for (uint64_t rec = 1; !rc; rec++) {
		rec += fi.swap ? whole_records(cf, &ci, frac_ns, true)
			       : whole_records(cf, &ci, frac_ns, false);
		long n = vw_fb_fill(&cf->fb, PCAP_REC_HDR);
		if (n == 0 || vw_read_interrupted)
			return 0; /* clean end of file, or Ctrl-C */
		if (n < 0)
			return vw_capfile_fail(cf, rec, "%s", vw_fb_error(&cf->fb, n));
		if (n < PCAP_REC_HDR)
			return truncated(cf, rec, n, PCAP_REC_HDR);
		const uint8_t *h = vw_fb_data(&cf->fb);
		uint32_t caplen = vw_get32(h + 8, fi.swap), wirelen = vw_get32(h + 12, fi.swap);
		if (caplen > VW_MAX_CAPLEN)
			return vw_capfile_fail(cf, rec,
					       "captured length %u exceeds %u: the file is damaged",
					       caplen, VW_MAX_CAPLEN);
		n = vw_fb_fill(&cf->fb, PCAP_REC_HDR + caplen);
		if (n < 0)
			return vw_capfile_fail(cf, rec, "%s", vw_fb_error(&cf->fb, n));
		if ((size_t)n < PCAP_REC_HDR + caplen)
			return truncated(cf, rec, n, PCAP_REC_HDR + caplen);
		h = vw_fb_data(&cf->fb);
		uint64_t ts = (uint64_t)vw_get32(h, fi.swap) * 1000000000u +
			      (uint64_t)vw_get32(h + 4, fi.swap) * frac_ns;
		cf->res->records++;
		vw_capfile_frame(cf, &ci, h + PCAP_REC_HDR, caplen, wirelen, ts, -1);
		vw_fb_consume(&cf->fb, PCAP_REC_HDR + caplen);
	}
	return rc;
}
