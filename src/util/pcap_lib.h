/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcap_lib.h - libpcap, opened when a run first needs it.
 *
 * Only the libpcap live backend (-i --backend pcap, or auto without BPF)
 * and --reader libpcap (and capture formats the streaming readers do not
 * know) call libpcap.  Linked, Debian 12's libpcap brings seven libraries
 * (D-Bus, systemd, libgcrypt, lz4...) into every run: 1.1 ms of start-up
 * on this machine, a tenth of a day-long replay of two routers.  Opened
 * with dlopen() instead, a run that does not use it does not pay for it.
 */
#ifndef VRRPWATCH_PCAP_LIB_H
#define VRRPWATCH_PCAP_LIB_H

#include <pcap/pcap.h>
#include <stddef.h>

/* The functions called, typed from libpcap's own declarations. */
#define VW_PCAP_FUNCTIONS(X)                                                  \
	X(activate) X(close) X(compile) X(create) X(datalink)                 \
	X(datalink_val_to_name) X(dispatch) X(fopen_offline_with_tstamp_precision) \
	X(freecode) X(get_selectable_fd) X(geterr) X(next_ex)                 \
	X(open_offline_with_tstamp_precision) X(set_promisc) X(set_snaplen)   \
	X(set_timeout) X(setdirection) X(setfilter) X(setnonblock)           \
	X(snapshot) X(stats)

#define VW_PCAP_FIELD(name) __typeof__(&pcap_##name) name;
struct vw_pcap_lib {
	VW_PCAP_FUNCTIONS(VW_PCAP_FIELD)
};
#undef VW_PCAP_FIELD

/*
 * libpcap's functions, loaded at the first call; NULL if it cannot be
 * loaded, with err saying why and what to install (one line).
 */
const struct vw_pcap_lib *vw_pcap_lib(char *err, size_t errlen);

#endif
