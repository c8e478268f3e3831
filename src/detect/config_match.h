/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config_match.h - where keepalived.conf meets the wire (config_match.c).
 */
#ifndef VRRPWATCH_CONFIG_MATCH_H
#define VRRPWATCH_CONFIG_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/detector.h"
#include "kaconf/kaconf.h"

enum vw_set_relation { VW_SET_SAME, VW_SET_PARTIAL, VW_SET_DISJOINT };

/* a is in the list */
bool vw_ka_addr_in(const struct ka_addr *list, size_t n, uint8_t family, const uint8_t *a);
/* r's advertised address set against the instance's virtual_ipaddress */
enum vw_set_relation vw_compare_to_config(const struct vw_row *r, const struct ka_instance *in);
/* "eth0.100" is VLAN 100 on "eth0" (written to base); "eth0" is VLAN 0 */
unsigned long vw_split_ifname(const char *ifname, char *base, size_t len);
/* keepalived.conf's interface ("eth0", "eth0.100") is this segment and VLAN */
bool vw_interface_matches(const struct vw_segment *seg, const char *ifname,
			  const uint16_t *vlan);
bool vw_segment_has_vlan(const struct vw_table *t, uint32_t seg, unsigned long vid);
/* r is an advert of the instance's virtual router (interface, VLAN, family,
 * VRID, receivers) */
bool vw_row_matches(const struct vw_detector *d, const struct ka_instance *in,
		    const struct vw_row *r);
/* The group (this node, unicast_peer, unicast_src_ip, --peer) is known,
 * and r is in it. */
bool vw_group_known(const struct vw_detector *d, const struct ka_instance *in);
bool vw_in_group(const struct vw_detector *d, const struct ka_instance *in,
		 const struct vw_row *r);
/* "VI_51 (keepalived.conf:9)", and its first virtual addresses */
void vw_instance_text(const struct ka_instance *in, char *buf, size_t len);
void vw_config_vips(const struct ka_instance *in, char *buf, size_t len);
/* The segment and VLAN the instance's interface is on (filled into dom) */
const struct vw_segment *vw_instance_segment(const struct vw_detector *d,
					     const struct ka_instance *in,
					     struct vw_domain_id *dom);
bool vw_domain_for_instance(const struct vw_detector *d, const struct ka_instance *in,
			    const struct vw_domain *dom);
/* keepalived.conf names r's source for r's VRID: a unicast_peer or the
 * unicast_src_ip of a unicast instance */
bool vw_config_names_source(const struct vw_detector *d, const struct vw_row *r);

#endif
