// SPDX-License-Identifier: GPL-2.0-or-later
#include "live/privileges.h"

#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"

/* Capability numbers (linux/capability.h); CAP_BPF is newer than some libcs. */
#define VW_CAP_NET_ADMIN 12
#define VW_CAP_NET_RAW 13
#define VW_CAP_SYS_ADMIN 21
#define VW_CAP_BPF 39

unsigned vw_priv_ifindex(const char *name, char *err, size_t errlen)
{
	unsigned idx = if_nametoindex(name);

	if (!idx)
		snprintf(err, errlen, "-i %s: no such interface (see 'ip link'%s)", name,
			 errno == ENODEV ? "" : "; or this network namespace has none by that name");
	return idx;
}

/* The effective capability set, from /proc (no libcap needed). */
static uint64_t effective_caps(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	unsigned long long caps = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	fclose(f);
	return caps;
}

static bool has_cap(uint64_t caps, int cap)
{
	return caps & (1ull << cap);
}

bool vw_priv_bpf_possible(char *why, size_t len)
{
#if !HAVE_BPF
	snprintf(why, len, "this vrrpwatch was built without BPF (meson -Dbpf=disabled)");
	return false;
#else
	uint64_t caps = effective_caps();

	/* bpf(2) with a command that cannot exist: EINVAL, or ENOSYS without BPF */
	if (syscall(SYS_bpf, -1, NULL, 0) < 0 && errno == ENOSYS) {
		snprintf(why, len, "this kernel has no BPF (bpf(2) is not implemented)");
		return false;
	}
	bool bpf = has_cap(caps, VW_CAP_BPF) || has_cap(caps, VW_CAP_SYS_ADMIN);
	if (!bpf || !has_cap(caps, VW_CAP_NET_ADMIN)) {
		if (geteuid())
			snprintf(why, len, "not root: XDP and TC need root, or CAP_BPF and "
					   "CAP_NET_ADMIN");
		else
			snprintf(why, len, "this root process lacks %s, which XDP and TC need "
					   "(a container's or a service's capability set?)",
				 !bpf ? "CAP_BPF" : "CAP_NET_ADMIN");
		return false;
	}
	return true;
#endif
}

bool vw_priv_pcap_possible(char *why, size_t len)
{
	if (has_cap(effective_caps(), VW_CAP_NET_RAW))
		return true;
	if (geteuid())
		snprintf(why, len, "not root: live capture with libpcap needs root or CAP_NET_RAW "
				   "(sudo vrrpwatch ..., or setcap cap_net_raw+ep on the binary)");
	else
		snprintf(why, len, "this root process lacks CAP_NET_RAW, which libpcap needs "
				   "(a container's or a service's capability set?)");
	return false;
}

void vw_priv_no_capture(char *err, size_t len)
{
	snprintf(err, len, "%s: live capture needs root, or CAP_BPF and CAP_NET_ADMIN (XDP/TC), "
			   "or CAP_NET_RAW (--backend pcap): run it with sudo",
		 geteuid() ? "not root" : "root without the capabilities");
}
