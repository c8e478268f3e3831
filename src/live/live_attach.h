/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live_attach.h - putting the BPF programs on an interface and taking
 * them off, without ever touching another tool's programs.
 *
 * Ingress: an XDP bpf_link (it dies with the process, so a vrrpwatch
 * killed with SIGKILL leaves nothing): device-bound native first (it can
 * read VLAN tags the NIC took off), then plain native, then generic, as
 * --xdp-mode allows.  Egress: a tcx bpf_link on kernels that have tcx
 * (6.6), else a clsact filter with vrrpwatch's own handle, which the next
 * vrrpwatch removes if a killed one left it.  A lock file per interface
 * (and network namespace, by its cookie) tells a leftover from a filter a
 * running vrrpwatch still uses; it is removed on every exit that runs
 * vw_attach_end (the end of a run, SIGINT/SIGTERM, a failed attach), and
 * only a SIGKILL leaves it, held by no one.
 */
#ifndef VRRPWATCH_LIVE_ATTACH_H
#define VRRPWATCH_LIVE_ATTACH_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "settings/options.h"

struct bpf_object;
struct vrrpwatch;
struct vrrpwatch_dev;

struct vw_attach {
	char name[IF_NAMESIZE];
	unsigned ifindex;
	int lock_fd;             /* -1: not locked */
	char lock_path[128];     /* removed when the lock is let go */
	int xdp_link;            /* -1: none */
	struct vrrpwatch_dev *dev; /* the device-bound program, or NULL */
	int dev_error;           /* why there is none (negative errno), for -v */
	const char *xdp_mode;    /* "native", "generic" */
	bool vlan_blind;         /* the NIC strips tags this program cannot read */
	bool vlan_warned;        /* ... or the driver keeps no tag metadata: said so */
	int tc_link;             /* tcx link, -1: none */
	bool tc_filter;          /* a clsact filter is attached */
	bool qdisc_made;         /* vrrpwatch made the clsact qdisc */
	bool leftover_qdisc;     /* the lock says a killed vrrpwatch made it */
	unsigned tc_prog_id;     /* the program of the clsact filter */
	int promisc_fd;          /* packet socket holding promiscuous mode, -1: none */
};

/* Kernel has tcx (6.6+) and VRRPWATCH_TC_ATTACH is not "clsact". */
bool vw_have_tcx(void);

/*
 * Take the interface's lock; -EBUSY when another vrrpwatch holds it.  Also
 * removes a clsact filter a killed vrrpwatch left (reported on `log`).
 */
int vw_attach_begin(struct vw_attach *a, const char *name, unsigned ifindex, FILE *log,
		    char *err, size_t errlen);

/*
 * Promiscuous mode, as tcpdump has it, held by a packet socket: the
 * kernel drops it when the socket closes, killed process or not.  Without
 * it a NIC may filter out multicast VRRP nobody on the host joined.
 * Returns 0 or a negative errno (the caller notes it and goes on).
 */
int vw_attach_promisc(struct vw_attach *a);

/* XDP on ingress.  `main` owns the maps a device-bound program reuses. */
int vw_attach_xdp(struct vw_attach *a, struct vrrpwatch *main, enum vw_xdp_mode mode,
		  char *err, size_t errlen);

/* TC on egress; `prog_fd` was loaded for tcx when vw_have_tcx(). */
int vw_attach_tc(struct vw_attach *a, int prog_fd, bool tcx, char *err, size_t errlen);

/* Everything vw_attach_* did, undone; safe on a partial attach. */
void vw_attach_end(struct vw_attach *a);
/* Does vw_attach_end need CAP_NET_ADMIN (a clsact filter or qdisc to remove)? */
bool vw_attach_needs_net_admin(const struct vw_attach *a);

/* The programs' timing globals (bpf/vrrpwatch.bpf.h), from one object to another. */
#define VW_COPY_TIMING(to, from)                                      \
	do {                                                           \
		(to)->vw_stale_jiffies = (from)->vw_stale_jiffies;     \
		(to)->vw_read_jiffies = (from)->vw_read_jiffies;       \
		(to)->vw_ncpu = (from)->vw_ncpu;                       \
	} while (0)

/* Share main's maps with another object before it is loaded. */
int vw_reuse_maps(struct bpf_object *obj, struct bpf_object *main);

#endif
