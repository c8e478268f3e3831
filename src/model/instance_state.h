/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * instance_state.h - who is master of each local virtual router: the
 * first thing an on-call engineer asks.  The detector fills one per
 * vrrp_instance of keepalived.conf at every tick (detect/instances.c); the
 * reporters print them first.  Plain values: a reporter needs neither the
 * configuration nor the detector to print one.
 */
#ifndef VRRPWATCH_INSTANCE_STATE_H
#define VRRPWATCH_INSTANCE_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/obs_table.h"

#define VW_INSTANCE_PEERS 8

/* A router heard on the instance's virtual router. */
struct vw_instance_router {
	uint8_t family;
	uint8_t src[16];
	uint8_t mac[6];
	uint8_t priority;  /* its last priority above 0 */
	bool local;        /* this node */
	bool in_group;     /* this node, a unicast_peer or a --peer */
	uint64_t last_ns;  /* its last advert */
};

struct vw_instance_state {
	char name[64];
	char where[160];       /* "keepalived.conf:9" */
	char interface[32];    /* as keepalived.conf names it */
	char state[8];         /* configured: "MASTER", "BACKUP" */
	uint8_t family, vrid, version, priority;
	uint16_t interval_cs;
	bool group_known;      /* unicast_peer or --peer */
	bool heard;            /* its collision domain is on the wire */
	char segment[VW_SEGMENT_NAME_MAX]; /* where it was heard */
	uint16_t vlan[VW_MAX_VLAN];
	/* the master on the wire: the advertiser of record of its domain.
	 * master_now: still advertising (not resigned, heard within its
	 * master-down interval); else it is the last one, and there is none
	 * now. */
	bool have_master;
	bool master_now;
	struct vw_instance_router master;
	uint64_t master_since_ns;
	/* the others heard with its VRID and addresses, busiest first */
	struct vw_instance_router peers[VW_INSTANCE_PEERS];
	unsigned n_peers;
};

#endif
