// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live_pcap.c - the libpcap backend, for kernels or privileges without
 * BPF: two capture handles per interface (received, sent: libpcap's
 * Ethernet frames do not say which way they went), each with a kernel
 * filter that passes VRRP, ARP and IPv6 NS / NA only, tagged or not, IPv4
 * or IPv6, and every
 * frame into the same per-frame path as a capture file (ingest.h).
 * libpcap puts back the VLAN tags the NIC took off (from the socket's
 * auxiliary data), so VLANs stay apart here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture/ingest.h"
#include "live/live_backend.h"
#include "util/pcap_lib.h"

/*
 * The kernel filter: IPv4 or IPv6 protocol 112 (VRRP) or 51 (AH, which
 * may carry it), behind 0, 1 or 2 VLAN tags, read as bytes.  Not
 * libpcap's "vlan": the kernel moves the outer tag of a received frame
 * into the skb before the filter runs, and "vlan and vlan" then misses an
 * 802.1ad frame whose inner tag is still in the data.  libpcap puts the
 * moved tag back into the frame it hands over.
 */
#define TPID(o) "(ether[" o ":2] = 0x8100 or ether[" o ":2] = 0x88a8 or ether[" o ":2] = 0x9100)"
#define PROTO(o) "(ether[" o "] = 112 or ether[" o "] = 51)"
#define IP_AT(t, p4, p6) \
	"((ether[" t ":2] = 0x0800 and " PROTO(p4) ") or (ether[" t ":2] = 0x86dd and " PROTO(p6) "))"
/* ARP, and ICMPv6 neighbour solicitations (135) and advertisements (136)
 * right behind the IPv6 header: who claims the virtual addresses */
#define CLAIM_AT(t, p6, icmp)                                                          \
	"(ether[" t ":2] = 0x0806 or (ether[" t ":2] = 0x86dd and ether[" p6 "] = 58 and " \
	"(ether[" icmp "] = 135 or ether[" icmp "] = 136)))"
#define AT(t, p4, p6, icmp) "(" IP_AT(t, p4, p6) " or " CLAIM_AT(t, p6, icmp) ")"
#define VW_PCAP_FILTER                                      \
	AT("12", "23", "20", "54") " or (" TPID("12") " and " AT("16", "27", "24", "58") ") or (" \
	TPID("12") " and " TPID("16") " and " AT("20", "31", "28", "62") ")"
/* The largest valid advert (IPv6, 255 addresses) with two tags. */
#define VW_PCAP_SNAPLEN 4200
#define VW_PCAP_TIMEOUT_MS 100 /* frames wait at most this long in the kernel */

struct pcap_side {
	pcap_t *p;
	const struct vw_live_iface *f;
	int dir_hint; /* VW_DIR_TX for the outgoing handle, else -1 */
	int link;     /* enum vw_link */
	uint64_t drops_seen;
};

struct vw_live_pcap {
	const struct vw_pcap_lib *pc; /* libpcap's functions (util/pcap_lib.c) */
	struct vw_live_setup s;
	struct vw_ingest in;
	struct pcap_side *side;
	size_t n_side;
	struct vw_live_counters total;
};

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct pcap_side *sd = ((void **)user)[0];
	struct vw_live_pcap *lp = ((void **)user)[1];
	struct vw_frame f = {
		.data = data,
		.caplen = h->caplen,
		.wirelen = h->len,
		.ts_ns = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec * 1000u,
		.link = (enum vw_link)sd->link,
		.segment = sd->f->segment,
		.dir_hint = sd->dir_hint,
	};

	vw_ingest_frame(&lp->in, &f);
	lp->total.frames++;
}

static int open_side(const struct vw_pcap_lib *pc, struct pcap_side *sd, pcap_direction_t dir,
		     char *err, size_t errlen)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	pcap_t *p = pc->create(sd->f->name, eb);

	if (!p) {
		snprintf(err, errlen, "%s: %s", sd->f->name, eb);
		return -ENODEV;
	}
	sd->p = p;
	if (pc->set_snaplen(p, VW_PCAP_SNAPLEN) || pc->set_promisc(p, 1) ||
	    pc->set_timeout(p, VW_PCAP_TIMEOUT_MS) || pc->activate(p) < 0 ||
	    pc->setdirection(p, dir) || pc->setnonblock(p, 1, eb) ||
	    pc->compile(p, &prog, VW_PCAP_FILTER, 1, PCAP_NETMASK_UNKNOWN)) {
		snprintf(err, errlen, "%s: libpcap: %s%s", sd->f->name, pc->geterr(p),
			 pc->geterr(p)[0] ? "" : eb);
		return -EIO;
	}
	int rc = pc->setfilter(p, &prog);
	pc->freecode(&prog);
	if (rc) {
		snprintf(err, errlen, "%s: libpcap filter: %s", sd->f->name, pc->geterr(p));
		return -EIO;
	}
	int link = vw_link_from_dlt(pc->datalink(p));
	if (link < 0) {
		snprintf(err, errlen, "%s: link type %s is not one vrrpwatch reads", sd->f->name,
			 pc->datalink_val_to_name(pc->datalink(p)));
		return -EPROTONOSUPPORT;
	}
	sd->link = link;
	return 0;
}

/* Whatever is waiting on one handle, without blocking. */
static int drain(struct vw_live_pcap *lp, struct pcap_side *sd)
{
	void *user[2] = {sd, lp};
	int n;

	while ((n = lp->pc->dispatch(sd->p, 1024, on_frame, (u_char *)user)) > 0)
		;
	if (n == PCAP_ERROR) {
		fprintf(lp->s.log, "vrrpwatch: %s: libpcap: %s\n", sd->f->name,
			lp->pc->geterr(sd->p));
		return -EIO;
	}
	return lp->in.alloc_failed ? -ENOMEM : 0;
}

static size_t pcap_pollfds(void *impl, struct pollfd *fds, size_t max)
{
	struct vw_live_pcap *lp = impl;
	size_t n = 0;

	for (size_t i = 0; i < lp->n_side && n < max; i++) {
		fds[n].fd = lp->pc->get_selectable_fd(lp->side[i].p);
		fds[n++].events = POLLIN;
	}
	return n;
}

static int pcap_on_ready(void *impl)
{
	struct vw_live_pcap *lp = impl;
	int rc = 0;

	for (size_t i = 0; i < lp->n_side && !rc; i++)
		rc = drain(lp, &lp->side[i]);
	return rc;
}

static int pcap_sample(void *impl)
{
	struct vw_live_pcap *lp = impl;
	int rc = pcap_on_ready(impl);

	for (size_t i = 0; i < lp->n_side; i++) {
		struct pcap_stat st;
		if (lp->pc->stats(lp->side[i].p, &st))
			continue;
		uint64_t drops = (uint64_t)st.ps_drop + st.ps_ifdrop;
		if (drops > lp->side[i].drops_seen)
			lp->total.drops += drops - lp->side[i].drops_seen;
		lp->side[i].drops_seen = drops;
	}
	lp->total.adverts = lp->s.table->vrrp_frames;
	return rc;
}

static void pcap_counters(void *impl, struct vw_live_counters *c)
{
	*c = ((struct vw_live_pcap *)impl)->total;
}

static void pcap_close_all(void *impl)
{
	struct vw_live_pcap *lp = impl;

	if (!lp)
		return;
	for (size_t i = 0; i < lp->n_side; i++)
		if (lp->side[i].p)
			lp->pc->close(lp->side[i].p);
	free(lp->side);
	vw_ingest_free(&lp->in);
	free(lp);
}

int vw_live_pcap_open(struct vw_live_backend *be, const struct vw_live_setup *s, char *err,
		      size_t errlen)
{
	const struct vw_pcap_lib *pc = vw_pcap_lib(err, errlen);
	struct vw_live_pcap *lp;
	int rc = 0;

	if (!pc)
		return -ENOENT;
	lp = calloc(1, sizeof(*lp));
	if (!lp || !(lp->side = calloc(2 * s->n_ifaces, sizeof(*lp->side)))) {
		free(lp);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	lp->pc = pc;
	lp->s = *s;
	/* ticks come from the live loop's clock, not from packet time */
	vw_ingest_init(&lp->in, s->table, 0, NULL, NULL);
	for (size_t i = 0; i < s->n_ifaces && !rc; i++) {
		struct pcap_side *rx = &lp->side[lp->n_side++], *tx = &lp->side[lp->n_side++];
		rx->f = tx->f = &s->ifaces[i];
		rx->dir_hint = -1;
		tx->dir_hint = VW_DIR_TX;
		if (!(rc = open_side(pc, rx, PCAP_D_IN, err, errlen)) &&
		    !(rc = open_side(pc, tx, PCAP_D_OUT, err, errlen)))
			fprintf(s->log, "vrrpwatch: %s: libpcap, kernel filter for VRRP\n",
				s->ifaces[i].name);
	}
	if (rc) {
		pcap_close_all(lp);
		return rc;
	}
	*be = (struct vw_live_backend){
		.name = "pcap",
		.impl = lp,
		.pollfds = pcap_pollfds,
		.on_ready = pcap_on_ready,
		.sample = pcap_sample,
		.counters = pcap_counters,
		.close = pcap_close_all,
	};
	return 0;
}
