/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * privileges.h - can this process capture live, and how?  Checked before
 * anything is opened, so that a missing privilege, an unknown interface
 * or a kernel without BPF is one clear line naming the fix, not an errno
 * from deep inside libbpf.  Offline replay and --help need none of this.
 */
#ifndef VRRPWATCH_PRIVILEGES_H
#define VRRPWATCH_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>

/* The interface's index, or 0 with "-i eth9: no such interface ..." in err. */
unsigned vw_priv_ifindex(const char *name, char *err, size_t errlen);

/*
 * Can the XDP/TC backend run here?  false with the reason in why: built
 * without BPF, a kernel without bpf(2), not root and without CAP_BPF +
 * CAP_NET_ADMIN.  (Loading may still fail later; that is reported then.)
 */
bool vw_priv_bpf_possible(char *why, size_t len);

/* Can libpcap capture (root or CAP_NET_RAW)?  false with the reason. */
bool vw_priv_pcap_possible(char *why, size_t len);

/* Neither backend can capture: the one message for both, naming the fix. */
void vw_priv_no_capture(char *err, size_t len);

#endif
