/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vip_claims.h - who claims each virtual address: one row per (segment,
 * VLANs, address, claiming MAC, kind) with its count and first / last
 * seen, for the addresses being watched (keepalived.conf's
 * virtual_ipaddress and virtual_ipaddress_excluded, and the addresses
 * adverts announce).  Filled by capture/ingest.c (capture files, libpcap
 * live) and by the BPF backend's map reads; read by detect/rules_vips.c
 * and the reporters.
 *
 * Memory is bounded: VW_VIP_MAX_ROWS rows, VW_VIP_MAX_WATCH watched
 * addresses, VW_VIP_MAX_HOSTS own addresses of claiming MACs; past them
 * new ones are refused and counted (a flood of spoofed ARP cannot grow it).
 */
#ifndef VRRPWATCH_VIP_CLAIMS_H
#define VRRPWATCH_VIP_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shared/vip_claim.h"

#define VW_VIP_MAX_ROWS 4096
#define VW_VIP_MAX_WATCH 1024
#define VW_VIP_MAX_HOSTS 1024

struct vw_claim_row {
	struct vw_claim_key key;
	struct vw_claim_val val;
};

struct vw_watch {
	uint8_t family;
	uint8_t addr[16];
	bool from_config;
};

/* A MAC's own address (an ARP it sent for an address not watched, the
 * IPv6 source of its NA), to name a foreign claimer. */
struct vw_claim_host {
	uint8_t mac[6];
	uint8_t family;
	uint8_t addr[16];
};

struct vw_vip_claims {
	struct vw_claim_row *rows;
	size_t n_rows;
	uint32_t *slots; /* open addressing: row index + 1 */
	size_t n_slots;  /* power of two, 2 * VW_VIP_MAX_ROWS */
	uint64_t rows_refused;

	struct vw_watch *watch;
	size_t n_watch;
	uint32_t *watch_slots;
	size_t n_watch_slots;
	uint64_t watch_refused;
	uint64_t watch_gen; /* bumped when an address is added (BPF sync) */

	struct vw_claim_host *hosts;
	size_t n_hosts;

	uint64_t arp_frames; /* every ARP frame handed in */
	uint64_t nd_frames;  /* every NS / NA */
	uint64_t claims;     /* claims and asks counted (watched addresses) */
};

int vw_vips_init(struct vw_vip_claims *v);
void vw_vips_free(struct vw_vip_claims *v);

/* Watch an address (idempotent).  Returns 0, or -ENOSPC past the bound. */
int vw_vips_watch(struct vw_vip_claims *v, uint8_t family, const uint8_t *addr, bool config);
bool vw_vips_watched(const struct vw_vip_claims *v, uint8_t family, const uint8_t *addr);
const struct vw_watch *vw_vips_watch_of(const struct vw_vip_claims *v, uint8_t family,
					const uint8_t *addr);

/* Count one claim / ask (key zeroed and filled) at ts_ns.  0 or -ENOSPC. */
int vw_vips_count(struct vw_vip_claims *v, const struct vw_claim_key *k, uint64_t ts_ns);
/* Fold counts read from the kernel: count more, over [first, last]. */
int vw_vips_merge(struct vw_vip_claims *v, const struct vw_claim_key *k, uint64_t count,
		  uint64_t first_ns, uint64_t last_ns);
struct vw_claim_row *vw_vips_find(const struct vw_vip_claims *v, const struct vw_claim_key *k);

/* Remember a MAC's own address (the last one seen). */
void vw_vips_host(struct vw_vip_claims *v, const uint8_t *mac, uint8_t family,
		  const uint8_t *addr);
const struct vw_claim_host *vw_vips_host_of(const struct vw_vip_claims *v, const uint8_t *mac);

/* Rows sorted by segment, VLANs, family, address, MAC, kind.  Caller frees. */
struct vw_claim_row **vw_vips_sorted(const struct vw_vip_claims *v);

const char *vw_claim_kind_name(unsigned kind);

/* The VRRP virtual MAC of a VRID: 00:00:5e:00:01:VRID (IPv4), :02: (IPv6). */
bool vw_is_vrrp_vmac(const uint8_t *mac, uint8_t family, uint8_t vrid);

#endif
