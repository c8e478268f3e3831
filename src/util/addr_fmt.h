/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addr_fmt.h - how addresses, MACs, VLANs, times and reasons are written. */
#ifndef VRRPWATCH_ADDR_FMT_H
#define VRRPWATCH_ADDR_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "shared/vrrp_decode.h"

#define VW_ADDR_STRLEN 48
#define VW_MAC_STRLEN 18
#define VW_VLAN_STRLEN 16
#define VW_TIME_STRLEN 32

const char *vw_ip_str(uint8_t family, const uint8_t *addr, char *buf, size_t len);
const char *vw_mac_str(const uint8_t *mac, char *buf, size_t len);
/* "-" untagged, "100", or "100.20" (outer.inner) */
const char *vw_vlan_str(const uint16_t *vlan, char *buf, size_t len);
/* UTC "HH:MM:SS.mmm" */
const char *vw_clock_str(uint64_t ns, char *buf, size_t len);
/* v in decimal */
const char *vw_u64_str(uint64_t v, char *buf, size_t len);
/* UTC "YYYY-MM-DD HH:MM:SS" */
const char *vw_date_str(uint64_t ns, char *buf, size_t len);
const char *vw_reason_name(unsigned reason);
/* "pseudo", "message", "ka_unicast" or "none" */
const char *vw_csum_name(uint8_t variant);
const char *vw_auth_name(uint8_t auth_type);
/* "1s", "0.5s", "40.95s" from centiseconds */
const char *vw_interval_str(uint16_t cs, char *buf, size_t len);

#endif
