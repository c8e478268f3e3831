// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpf_attached - which BPF programs are on an interface, in the current
 * network namespace: "xdp=ID tcx_ingress=N tcx_egress=N clsact_egress=ID",
 * 0 for none.  bpftool 7.1 does not show tcx links per interface; the
 * kill -9 tests need to know that nothing is left.
 *
 * usage: bpf_attached IFACE
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <net/if.h>
#include <stdio.h>

#define TCX_INGRESS 46
#define TCX_EGRESS 47
#define VW_TC_HANDLE 0x7677 /* vrrpwatch's clsact filter (src/live/live_attach.c) */
#define VW_TC_PRIO 1

static unsigned tcx_count(unsigned ifindex, int type)
{
	__u32 ids[64], n = 64;

	if (bpf_prog_query((int)ifindex, (enum bpf_attach_type)type, 0, NULL, ids, &n))
		return 0;
	return n;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned ifindex = argc == 2 ? if_nametoindex(argv[1]) : 0;
	__u32 xdp = 0;

	if (!ifindex) {
		fprintf(stderr, "usage: bpf_attached IFACE (an existing interface)\n");
		return 2;
	}
	libbpf_set_print(quiet);
	bpf_xdp_query_id((int)ifindex, 0, &xdp);
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = VW_TC_HANDLE, .priority = VW_TC_PRIO);
	if (bpf_tc_query(&hook, &q))
		q.prog_id = 0;
	printf("xdp=%u tcx_ingress=%u tcx_egress=%u clsact_egress=%u\n", xdp,
	       tcx_count(ifindex, TCX_INGRESS), tcx_count(ifindex, TCX_EGRESS), q.prog_id);
	return 0;
}
