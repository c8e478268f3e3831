// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vlan_pusher - attach bpf/tests/vlan_push_test.bpf.c to IFACE's egress, first
 * in the tcx chain, print "ready", and hold it until SIGINT or SIGTERM
 * (the tcx link goes with the process).  For tests/e2e/test_live_vlan.py.
 *
 * usage: vlan_pusher IFACE
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vlan_push_test.skel.h"

#define TCX_EGRESS 47          /* BPF_TCX_EGRESS: newer than the headers */
#define F_BEFORE (1U << 3)     /* BPF_F_BEFORE */

int main(int argc, char **argv)
{
	unsigned ifindex = argc == 2 ? if_nametoindex(argv[1]) : 0;
	sigset_t set;
	int sig;

	if (!ifindex) {
		fprintf(stderr, "usage: vlan_pusher IFACE (an existing interface)\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	struct vlan_push_test *skel = vlan_push_test__open();
	if (!skel ||
	    bpf_program__set_expected_attach_type(skel->progs.vw_test_vlan_push,
						  (enum bpf_attach_type)TCX_EGRESS) ||
	    vlan_push_test__load(skel)) {
		fprintf(stderr, "vlan_pusher: cannot load: %s\n", strerror(errno));
		return 1;
	}
	LIBBPF_OPTS(bpf_link_create_opts, o, .flags = F_BEFORE);
	int link = bpf_link_create(bpf_program__fd(skel->progs.vw_test_vlan_push), (int)ifindex,
				   (enum bpf_attach_type)TCX_EGRESS, &o);
	if (link < 0) {
		fprintf(stderr, "vlan_pusher: cannot attach: %s\n", strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	close(link);
	vlan_push_test__destroy(skel);
	return 0;
}
