// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reader_pcapng.c - pcapng (draft-ietf-opsawg-pcapng), streamed.
 *
 * Kept from the format beyond the frames: each interface's name (if_name),
 * which names the segment, its timestamp resolution and offset, and the
 * direction flag of enhanced packet blocks (epb_flags), which tells the
 * local node's own adverts (outbound) from the ones it heard.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture/reader.h"

#define BT_SHB 0x0a0d0d0au
#define BT_IDB 0x00000001u
#define BT_PB 0x00000002u /* obsolete Packet Block */
#define BT_SPB 0x00000003u
#define BT_EPB 0x00000006u
#define BOM 0x1a2b3c4du
#define OPT_IF_NAME 2
#define OPT_IF_TSRESOL 9
#define OPT_IF_TSOFFSET 14
#define OPT_EPB_FLAGS 2
#define MAX_INTERFACES 65536

struct ng_iface {
	int linktype;
	int link;
	uint32_t snaplen;
	uint64_t units;   /* timestamp units per second */
	int64_t offset_s; /* if_tsoffset */
	char name[VW_SEGMENT_NAME_MAX];
	struct vw_capif ci; /* set at its first packet, once the name is known */
	bool ci_ready;
};

struct ng_state {
	struct vw_capfile *cf;
	bool swap;
	struct ng_iface *ifs;
	size_t n_ifs;
	uint32_t base_if; /* interfaces of earlier sections: ids stay unique */
	uint64_t block; /* 1-based number of the current block */
};

typedef void (*ng_option_fn)(struct ng_state *s, void *ctx, uint16_t code,
			     const uint8_t *val, uint16_t len);

static int ng_fail(struct ng_state *s, const char *what)
{
	return vw_capfile_fail(s->cf, s->block, "%s", what);
}

/* Walk an option list; a damaged one ends the walk, not the file. */
static void ng_options(struct ng_state *s, const uint8_t *p, const uint8_t *end,
		       ng_option_fn fn, void *ctx)
{
	while (p + 4 <= end) {
		uint16_t code = vw_get16(p, s->swap), len = vw_get16(p + 2, s->swap);
		if (code == 0 || p + 4 + len > end)
			return;
		fn(s, ctx, code, p + 4, len);
		p += 4 + ((len + 3u) & ~3u);
	}
}

static void idb_option(struct ng_state *s, void *ctx, uint16_t code, const uint8_t *val,
		      uint16_t len)
{
	struct ng_iface *ifc = ctx;

	if (code == OPT_IF_NAME) {
		size_t n = len < sizeof(ifc->name) - 1 ? len : sizeof(ifc->name) - 1;
		memcpy(ifc->name, val, n);
		ifc->name[n] = 0;
	} else if (code == OPT_IF_TSRESOL && len >= 1) {
		unsigned e = val[0] & 0x7f;
		uint64_t u = 1;
		for (unsigned i = 0; i < e && u < UINT64_MAX / 10; i++)
			u *= val[0] & 0x80 ? 2 : 10;
		ifc->units = u;
	} else if (code == OPT_IF_TSOFFSET && len >= 8) {
		uint64_t v = (uint64_t)vw_get32(val, s->swap);
		uint64_t w = (uint64_t)vw_get32(val + 4, s->swap);
		/* a 64-bit value in section byte order */
		ifc->offset_s = (int64_t)(s->swap ? (v << 32 | w) : (w << 32 | v));
	}
}

static int read_idb(struct ng_state *s, const uint8_t *body, const uint8_t *end)
{
	if (end - body < 8)
		return ng_fail(s, "interface description block too short");
	if (s->n_ifs >= MAX_INTERFACES)
		return ng_fail(s, "more than 65536 interfaces");
	struct ng_iface *ifs = realloc(s->ifs, (s->n_ifs + 1) * sizeof(*ifs));
	if (!ifs)
		return -ENOMEM;
	s->ifs = ifs;
	struct ng_iface *ifc = &ifs[s->n_ifs++];
	memset(ifc, 0, sizeof(*ifc));
	ifc->linktype = vw_get16(body, s->swap);
	ifc->link = vw_link_from_dlt(ifc->linktype);
	ifc->snaplen = vw_get32(body + 4, s->swap);
	ifc->units = 1000000; /* default resolution: microseconds */
	ng_options(s, body + 8, end, idb_option, ifc);
	return 0;
}

static uint64_t ng_time(const struct ng_iface *ifc, uint32_t hi, uint32_t lo)
{
	uint64_t ts = (uint64_t)hi << 32 | lo;
	unsigned __int128 ns = (unsigned __int128)(ts % ifc->units) * 1000000000u / ifc->units;

	ns += (unsigned __int128)(ts / ifc->units) * 1000000000u;
	ns += (unsigned __int128)((__int128)ifc->offset_s * 1000000000);
	return (uint64_t)ns;
}

static void epb_option(struct ng_state *s, void *ctx, uint16_t code, const uint8_t *val,
		      uint16_t len)
{
	int *dir = ctx;

	/* epb_flags bits 0-1: 1 inbound, 2 outbound */
	if (code == OPT_EPB_FLAGS && len >= 4 && (vw_get32(val, s->swap) & 3) == 2)
		*dir = VW_DIR_TX;
}

static int deliver(struct ng_state *s, uint32_t if_id, const uint8_t *data, uint32_t caplen,
		   uint32_t wirelen, uint64_t ts, int dir)
{
	if (if_id >= s->n_ifs)
		return ng_fail(s, "packet for an interface that was never described");
	struct ng_iface *ifc = &s->ifs[if_id];
	if (!ifc->ci_ready) {
		vw_capif_init(s->cf, &ifc->ci, s->base_if + if_id, ifc->name, ifc->linktype,
			      ifc->link);
		ifc->ci.snaplen = ifc->snaplen;
		ifc->ci_ready = true;
	}
	s->cf->res->records++;
	vw_capfile_frame(s->cf, &ifc->ci, data, caplen, wirelen, ts, dir);
	return 0;
}

static int read_epb(struct ng_state *s, const uint8_t *body, const uint8_t *end)
{
	if (end - body < 20)
		return ng_fail(s, "enhanced packet block too short");
	uint32_t if_id = vw_get32(body, s->swap), caplen = vw_get32(body + 12, s->swap);
	if (caplen > (size_t)(end - body - 20))
		return ng_fail(s, "enhanced packet block: captured length exceeds the block");
	int dir = -1;
	const uint8_t *opts = body + 20 + ((caplen + 3u) & ~3u);
	if (opts < end)
		ng_options(s, opts, end, epb_option, &dir);
	if (if_id >= s->n_ifs)
		return ng_fail(s, "packet for an interface that was never described");
	uint64_t ts = ng_time(&s->ifs[if_id], vw_get32(body + 4, s->swap),
			      vw_get32(body + 8, s->swap));
	return deliver(s, if_id, body + 20, caplen, vw_get32(body + 16, s->swap), ts, dir);
}

static int read_pb(struct ng_state *s, const uint8_t *body, const uint8_t *end)
{
	if (end - body < 20)
		return ng_fail(s, "packet block too short");
	uint32_t if_id = vw_get16(body, s->swap), caplen = vw_get32(body + 12, s->swap);
	if (caplen > (size_t)(end - body - 20))
		return ng_fail(s, "packet block: captured length exceeds the block");
	if (if_id >= s->n_ifs)
		return ng_fail(s, "packet for an interface that was never described");
	uint64_t ts = ng_time(&s->ifs[if_id], vw_get32(body + 4, s->swap),
			      vw_get32(body + 8, s->swap));
	return deliver(s, if_id, body + 20, caplen, vw_get32(body + 16, s->swap), ts, -1);
}

static int read_spb(struct ng_state *s, const uint8_t *body, const uint8_t *end)
{
	if (end - body < 4)
		return ng_fail(s, "simple packet block too short");
	if (!s->n_ifs)
		return ng_fail(s, "packet for an interface that was never described");
	uint32_t wirelen = vw_get32(body, s->swap);
	uint32_t caplen = (uint32_t)(end - body - 4);
	if (wirelen < caplen)
		caplen = wirelen;
	if (s->ifs[0].snaplen && caplen > s->ifs[0].snaplen)
		caplen = s->ifs[0].snaplen;
	/* simple packet blocks carry no timestamp */
	return deliver(s, 0, body + 4, caplen, wirelen, 0, -1);
}

/* A section header sets the byte order and forgets the interfaces. */
static int read_shb(struct ng_state *s, const uint8_t *b, long avail)
{
	if (avail < 12)
		return ng_fail(s, "file ends inside a section header");
	uint32_t bom = vw_get32(b + 8, false);
	if (bom != BOM && bom != __builtin_bswap32(BOM))
		return ng_fail(s, "section header with an invalid byte-order magic");
	s->swap = bom != BOM;
	s->base_if += (uint32_t)s->n_ifs;
	s->n_ifs = 0;
	return 0;
}

static int read_block(struct ng_state *s)
{
	struct vw_filebuf *fb = &s->cf->fb;
	long n = vw_fb_fill(fb, 12);

	if (n == 0 || vw_read_interrupted)
		return 1; /* clean end of file, or Ctrl-C */
	if (n < 0)
		return vw_capfile_fail(s->cf, s->block, "%s", vw_fb_error(fb, n));
	if (n < 12)
		return ng_fail(s, "file ends inside a block header");
	uint32_t type = vw_get32(vw_fb_data(fb), s->swap);
	if (type == BT_SHB && read_shb(s, vw_fb_data(fb), n))
		return -EINVAL;
	uint32_t len = vw_get32(vw_fb_data(fb) + 4, s->swap);
	if (len < 12 || len % 4 || len > VW_MAX_BLOCK)
		return vw_capfile_fail(s->cf, s->block, "block length %u is invalid: the file is damaged", len);
	n = vw_fb_fill(fb, len);
	if (n < 0)
		return vw_capfile_fail(s->cf, s->block, "%s", vw_fb_error(fb, n));
	if ((size_t)n < len)
		return vw_capfile_fail(s->cf, s->block,
				       "file ends inside the block (%ld of %u bytes)", n, len);
	const uint8_t *b = vw_fb_data(fb), *body = b + 8, *end = b + len - 4;
	if (vw_get32(end, s->swap) != len)
		return ng_fail(s, "block lengths at start and end differ: the file is damaged");
	int rc = 0;
	switch (type) {
	case BT_IDB:
		rc = read_idb(s, body, end);
		break;
	case BT_EPB:
		rc = read_epb(s, body, end);
		break;
	case BT_SPB:
		rc = read_spb(s, body, end);
		break;
	case BT_PB:
		rc = read_pb(s, body, end);
		break;
	}
	vw_fb_consume(fb, len);
	return rc;
}

int vw_read_pcapng(struct vw_capfile *cf)
{
	struct ng_state s = {.cf = cf};
	int rc = 0;

	for (s.block = 1; !rc; s.block++)
		rc = read_block(&s);
	free(s.ifs);
	return rc > 0 ? 0 : rc;
}
