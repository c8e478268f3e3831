/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * obs_types.h - the observation model shared by the BPF programs and
 * userspace: one row per advertiser, keyed by where it was heard and who
 * sent it (design.md, "Observation key and value").  libc-free.
 */
#ifndef VRRPWATCH_OBS_TYPES_H
#define VRRPWATCH_OBS_TYPES_H

#include <linux/types.h>

enum vw_dir {
	VW_DIR_RX = 0,
	VW_DIR_TX = 1,
};

/*
 * One advertiser.  The destination is part of the key: keepalived lets the
 * same VRID run twice on one interface with another mcast_dst_ip or
 * disjoint unicast peers, and that is not a collision.  The source MAC is
 * too: one source IP behind two MACs is a cloned VM or a spoofer.
 * Seven 64-bit words, no implicit padding: hashed and compared as words.
 */
struct vw_obs_key {
	__u32 ifindex;   /* live: the interface; offline: the segment id */
	__u16 vlan[2];   /* VIDs, outer first; 0 = no tag */
	__u8 src_mac[6];
	__u8 vrid;
	__u8 family;     /* 4 or 6 */
	__u8 src[16];    /* IPv4 in the first 4 bytes */
	__u8 dst[16];
	__u8 dir;        /* enum vw_dir */
	__u8 pad[7];
};

/*
 * What is known about one advertiser.  In BPF this is per CPU; userspace
 * sums the counters and takes the "last" fields from the CPU that saw the
 * latest advert.
 */
struct vw_obs_val {
	__u64 packets;
	__u64 bytes;          /* IP datagram bytes (header + payload) */
	__u64 first_ns;
	__u64 last_ns;
	__u32 addr_hash;      /* of the last advert's address set */
	__u16 interval_cs;    /* last advert interval, centiseconds */
	__u8 priority;        /* last */
	__u8 version;         /* last */
	__u8 auth_type;       /* last, v2 only */
	__u8 naddr;           /* last */
	__u8 csum_variant;    /* last VW_CSUM_* that validated, 0 none */
	__u8 csum_seen;       /* VW_CSUM_* variants seen over time (OR) */
	__u8 ttl;             /* last */
	__u8 flags_seen;      /* VW_F_* seen over time (OR) */
	__u8 pad[2];
	__u32 prio_changes;
	__u32 addr_changes;
	__u32 interval_changes;
	__u32 version_changes;
	__u32 bad_ttl;
	__u32 bad_csum;
	__u32 prio0;          /* priority 0 adverts: the master resigned */
	__u32 pad2;
};

#endif /* VRRPWATCH_OBS_TYPES_H */
