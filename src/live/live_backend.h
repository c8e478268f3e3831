/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live_backend.h - what the live loop (live.c) asks of a capture backend:
 * XDP/TC (live_bpf.c) or libpcap (live_pcap.c).  Both fill the one
 * observation table; the loop only polls, ticks and reports.
 */
#ifndef VRRPWATCH_LIVE_BACKEND_H
#define VRRPWATCH_LIVE_BACKEND_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/obs_table.h"
#include "settings/options.h"

struct vw_live_iface {
	const char *name;
	unsigned ifindex;
	uint32_t segment; /* its table segment id */
};

/* A row that a backend created or changed between ticks (BPF events). */
typedef void (*vw_row_changed_fn)(void *ctx, const struct vw_row *row);

struct vw_live_setup {
	const struct vw_live_iface *ifaces;
	size_t n_ifaces;
	struct vw_table *table;
	enum vw_xdp_mode xdp_mode;
	uint64_t interval_ns;
	int verbose;
	FILE *log;                  /* one-time notes ("eth0: XDP native ...") */
	vw_row_changed_fn on_change; /* may be NULL */
	void *change_ctx;
};

/* Run totals, for the live view and the closing summary. */
struct vw_live_counters {
	uint64_t frames;      /* every frame the programs / libpcap saw */
	uint64_t adverts;
	uint64_t drops;       /* frames lost before vrrpwatch saw them (libpcap) */
	uint64_t evictions;   /* BPF: keys evicted from the LRU hash */
	uint64_t spilled;     /* BPF: adverts that missed their cache slot */
	uint64_t events;      /* BPF: ring buffer events */
	uint64_t events_lost; /* BPF: events the full ring buffer refused */
	uint64_t hw_vlan;     /* BPF: adverts whose tag came from NIC metadata */
	uint64_t tc_pulls;    /* BPF: egress candidates pulled into the skb's linear part */
	uint64_t map_reads_short; /* BPF: map reads that failed or stopped short (read later) */
	size_t lru_entries, lru_max;
};

struct vw_live_backend {
	const char *name; /* "xdp" or "pcap" */
	void *impl;
	/* descriptors to poll for input between ticks */
	size_t (*pollfds)(void *impl, struct pollfd *fds, size_t max);
	/* one of them is readable: take what is there, without blocking */
	int (*on_ready)(void *impl);
	/* a tick: bring the table up to date (negative errno on failure) */
	int (*sample)(void *impl);
	void (*counters)(void *impl, struct vw_live_counters *c);
	/* detach and free: the one cleanup path, safe after a failed open */
	void (*close)(void *impl);
	/* capabilities close() still needs once root is given up (-Z) */
	uint64_t keep_caps;
};

/* Each returns 0, or a negative errno with a one-line message in err. */
int vw_live_bpf_open(struct vw_live_backend *be, const struct vw_live_setup *s, char *err,
		     size_t errlen);
int vw_live_pcap_open(struct vw_live_backend *be, const struct vw_live_setup *s, char *err,
		      size_t errlen);

#endif
