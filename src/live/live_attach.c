// SPDX-License-Identifier: GPL-2.0-or-later
#include "live/live_attach.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "shared/live_maps.h" /* before the skeletons: their types */
#include "vrrpwatch.skel.h"
#include "vrrpwatch_dev.skel.h"

/* Newer than the installed (6.1) UAPI headers. */
#define VW_BPF_TCX_EGRESS 47
#define VW_BPF_F_BEFORE (1U << 3)
#define VW_BPF_F_XDP_DEV_BOUND_ONLY (1U << 6)

/* vrrpwatch's clsact filter: a handle and priority no tool picks by chance. */
#define VW_TC_HANDLE 0x7677
#define VW_TC_PRIO 1
#define VW_TC_PROG_NAME "vw_tc_egress"

#define VW_LOCK_DIR "/run/vrrpwatch"
/*
 * The lock file holds the owner's pid, and a second line while the clsact
 * qdisc it made is on the interface: a vrrpwatch killed before it could
 * remove the qdisc tells the next one that it is a leftover too.  The
 * lock file's name (netns inode, ifindex) may be reused by another
 * namespace or interface, so the line names the qdisc's interface more
 * firmly (see qdisc_mark).
 */
#define VW_LOCK_QDISC_MARK "clsact-qdisc"
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71 /* Linux 5.14; the installed headers may predate it */
#endif

bool vw_have_tcx(void)
{
	const char *force = getenv("VRRPWATCH_TC_ATTACH");
	struct utsname u;
	unsigned major = 0, minor = 0;

	if (force && !strcmp(force, "clsact"))
		return false; /* the tests use this to exercise the fallback */
	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 6);
}

int vw_reuse_maps(struct bpf_object *obj, struct bpf_object *main)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		if (bpf_map__is_internal(m)) /* .data: each object its own */
			continue;
		struct bpf_map *owner = bpf_object__find_map_by_name(main, bpf_map__name(m));
		if (!owner)
			return -ENOENT;
		int rc = bpf_map__reuse_fd(m, bpf_map__fd(owner));
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- the lock ------------------------------------------------------------ */

/*
 * The network namespace's cookie (SO_NETNS_COOKIE): unlike its inode
 * number, never reused while the system runs (and /run goes at reboot).
 * 0 on kernels before 5.14.
 */
static unsigned long long netns_cookie(void)
{
	unsigned long long cookie = 0;
	socklen_t len = sizeof(cookie);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) || len != sizeof(cookie))
		cookie = 0;
	close(fd);
	return cookie;
}

/*
 * Interface names and indexes repeat across network namespaces: the lock
 * names both.  By the namespace's cookie: a namespace's inode number is
 * reused once it is gone, and a new namespace then met the old one's lock
 * (issue 13).  Only kernels before 5.14, without cookies, fall back to the
 * inode (their qdisc marks are never trusted: see take_lock).
 */
static int lock_path(unsigned ifindex, char *buf, size_t len)
{
	unsigned long long cookie = netns_cookie();
	struct stat st;

	if (cookie) {
		snprintf(buf, len, VW_LOCK_DIR "/netns-cookie-%llu-if-%u.lock", cookie, ifindex);
		return 0;
	}
	if (stat("/proc/self/ns/net", &st))
		return -errno;
	snprintf(buf, len, VW_LOCK_DIR "/netns-%lu-if-%u.lock", (unsigned long)st.st_ino, ifindex);
	return 0;
}

/*
 * The lock file's line for a clsact qdisc vrrpwatch made: the namespace's
 * cookie, the interface's index and name.  A leftover qdisc is removed
 * only when all three still match (and vrrpwatch's own leftover filter
 * was under it: remove_leftover_qdisc), so that a namespace or interface
 * that took over a dead one's inode or index keeps its own clsact qdisc.
 */
static void qdisc_mark(const struct vw_attach *a, char *buf, size_t len)
{
	snprintf(buf, len, VW_LOCK_QDISC_MARK " netns-cookie=%llu ifindex=%u ifname=%s\n",
		 netns_cookie(), a->ifindex, a->name);
}

static int lock_busy(const struct vw_attach *a, int fd, char *err, size_t errlen)
{
	char pid[32] = "";
	ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);

	pid[n > 0 ? n : 0] = 0;
	pid[strcspn(pid, "\n")] = 0;
	snprintf(err, errlen, "%s: another vrrpwatch (pid %s) watches it with XDP already", a->name,
		 pid[0] ? pid : "?");
	close(fd);
	return -EBUSY;
}

/*
 * Open and flock the lock file at path.  Its holder unlinks it before it
 * lets go (vw_attach_end), so a lock won on a file no longer at path is
 * worth nothing: then the one now there is taken.  -1 when there is no
 * lock to be had (no /run, read-only): capture goes on without it.
 */
static int lock_file(const struct vw_attach *a, const char *path, char *err, size_t errlen)
{
	for (int tries = 0; tries < 16; tries++) {
		struct stat held, there;
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);

		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			if (errno == EWOULDBLOCK)
				return lock_busy(a, fd, err, errlen);
			close(fd);
			return -1;
		}
		if (!fstat(fd, &held) && !stat(path, &there) && held.st_dev == there.st_dev &&
		    held.st_ino == there.st_ino)
			return fd;
		close(fd); /* unlinked by its last holder as we took it */
	}
	return -1;
}

static int take_lock(struct vw_attach *a, char *err, size_t errlen)
{
	char pid[32];
	int fd;

	if (lock_path(a->ifindex, a->lock_path, sizeof(a->lock_path)) ||
	    (mkdir(VW_LOCK_DIR, 0755) && errno != EEXIST))
		return 0; /* no lock: nothing is removed as a leftover either */
	fd = lock_file(a, a->lock_path, err, errlen);
	if (fd == -EBUSY)
		return -EBUSY;
	if (fd < 0)
		return 0;
	/* What the last holder left: a holder removes the file when it exits,
	 * one killed leaves it with the mark of the clsact qdisc it made.
	 * Without a namespace cookie the mark cannot tell this namespace from
	 * a dead one of the same inode: then a leftover qdisc stays. */
	char prev[256], mark[160];
	ssize_t n = pread(fd, prev, sizeof(prev) - 1, 0);
	prev[n > 0 ? n : 0] = 0;
	qdisc_mark(a, mark, sizeof(mark));
	const char *nl = strchr(prev, '\n');
	a->leftover_qdisc = netns_cookie() && nl && !strcmp(nl + 1, mark);
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, strlen(pid), 0) < 0) {
		/* the pid is only for the message above */
	}
	a->lock_fd = fd;
	return 0;
}

/* Say in the lock file whether the clsact qdisc is ours (see VW_LOCK_QDISC_MARK). */
static void mark_qdisc(const struct vw_attach *a, bool made)
{
	char buf[192], mark[160] = "";
	int n;

	if (a->lock_fd < 0)
		return;
	if (made)
		qdisc_mark(a, mark, sizeof(mark));
	n = snprintf(buf, sizeof(buf), "%d\n%s", (int)getpid(), mark);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return;
	if (ftruncate(a->lock_fd, 0) == 0 && pwrite(a->lock_fd, buf, (size_t)n, 0) < 0) {
		/* without the mark, a leftover qdisc stays (empty, harmless) */
	}
}

/* ---- the clsact qdisc's filters -------------------------------------------- */

/*
 * How many filters (and filter chains) hang under parent on the interface,
 * every chain included: 0 for none, negative errno when it cannot say.
 * An RTM_GETTFILTER dump, which libbpf does not offer.
 */
static int count_filters(unsigned ifindex, __u32 parent)
{
	struct {
		struct nlmsghdr nh;
		struct tcmsg tc;
	} req;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	struct timeval tv = {.tv_sec = 2};
	static char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), count = 0;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETTFILTER;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = 1;
	req.tc.tcm_family = AF_UNSPEC;
	req.tc.tcm_ifindex = (int)ifindex;
	req.tc.tcm_parent = parent;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		count = -errno;
		goto out;
	}
	for (;;) {
		struct sockaddr_nl from;
		socklen_t fromlen = sizeof(from);
		ssize_t got = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from,
				       &fromlen);
		if (got < 0) {
			count = -errno;
			goto out;
		}
		if ((size_t)got > sizeof(buf)) { /* a message cut short: no count */
			count = -EMSGSIZE;
			goto out;
		}
		if (fromlen < sizeof(from) || from.nl_family != AF_NETLINK || from.nl_pid != 0)
			continue; /* not the kernel's */
		/* an int: NLMSG_NEXT takes the length down, below 0 past the end */
		int len = (int)got;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != 1)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR) { /* changed meanwhile: no count */
				count = -EAGAIN;
				goto out;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				/* a dump that failed midway says so here: never "0 filters" */
				int e = 0;
				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(e)))
					memcpy(&e, NLMSG_DATA(h), sizeof(e));
				if (e < 0)
					count = e;
				goto out;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr e;
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(e))) {
					count = -EBADMSG;
					goto out;
				}
				memcpy(&e, NLMSG_DATA(h), sizeof(e));
				/* no such qdisc: nothing under it */
				count = e.error == -ENOENT || e.error == -EINVAL ? count
				      : e.error < 0				      ? e.error
										      : -EBADMSG;
				goto out;
			}
			if (h->nlmsg_type == RTM_NEWTFILTER)
				count++;
		}
	}
out:
	close(fd);
	return count;
}

/*
 * The clsact qdisc, if nothing hangs under it any more: it goes.  A
 * count that failed (negative) keeps it, as filters do.
 *
 * A race nothing avoids: another tool may add a filter between the dumps
 * and the delete, and the delete then takes that filter with the qdisc.
 * rtnetlink has no "delete the qdisc if it is empty", and no lock that
 * other tools take; the window is two syscalls wide, at vrrpwatch's exit
 * or start, and only for a qdisc vrrpwatch made itself.
 */
static bool remove_qdisc_if_empty(const struct vw_attach *a)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)a->ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);

	if (count_filters(a->ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)) != 0 ||
	    count_filters(a->ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)) != 0)
		return false; /* another tool's filters: the qdisc is theirs too now */
	return !bpf_tc_hook_destroy(&hook);
}

static bool prog_name_is(unsigned id, const char *name, char *got, size_t len)
{
	struct bpf_prog_info info;
	__u32 info_len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	snprintf(got, len, "?");
	if (fd < 0)
		return false;
	memset(&info, 0, sizeof(info));
	int rc = bpf_obj_get_info_by_fd(fd, &info, &info_len);
	close(fd);
	if (rc)
		return false;
	snprintf(got, len, "%s", info.name);
	return !strcmp(info.name, name);
}

/*
 * A killed vrrpwatch cannot take its clsact filter off: the next one does.
 * True if there was one (and it is gone).
 */
static bool remove_leftover_filter(struct vw_attach *a, FILE *log)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)a->ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = VW_TC_HANDLE, .priority = VW_TC_PRIO);
	char name[32];

	if (bpf_tc_query(&hook, &q) || !prog_name_is(q.prog_id, VW_TC_PROG_NAME, name, sizeof(name)))
		return false;
	LIBBPF_OPTS(bpf_tc_opts, del, .handle = VW_TC_HANDLE, .priority = VW_TC_PRIO);
	if (bpf_tc_detach(&hook, &del))
		return false;
	fprintf(log, "vrrpwatch: %s: removed the TC filter (program id %u) that a killed "
		     "vrrpwatch left behind\n",
		a->name, q.prog_id);
	return true;
}

/*
 * ... and the clsact qdisc it made, unless another tool's filters use it
 * now: when the lock's mark names this namespace and interface
 * (qdisc_mark) and the killed vrrpwatch's filter was under it (`filter`),
 * the evidence that the qdisc is still the one it made.  Otherwise an
 * empty clsact qdisc may stay: harmless, where removing another's is not.
 */
static void remove_leftover_qdisc(struct vw_attach *a, bool filter, FILE *log)
{
	if (!a->leftover_qdisc)
		return;
	a->leftover_qdisc = false;
	if (filter && remove_qdisc_if_empty(a))
		fprintf(log, "vrrpwatch: %s: removed the clsact qdisc that a killed vrrpwatch "
			     "left behind\n",
			a->name);
	mark_qdisc(a, false);
}

int vw_attach_begin(struct vw_attach *a, const char *name, unsigned ifindex, FILE *log,
		    char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	a->ifindex = ifindex;
	a->lock_fd = a->xdp_link = a->tc_link = a->promisc_fd = -1;
	int rc = take_lock(a, err, errlen);
	if (rc)
		return rc;
	if (a->lock_fd >= 0) {
		bool filter = remove_leftover_filter(a, log);
		remove_leftover_qdisc(a, filter, log);
	}
	return 0;
}

int vw_attach_promisc(struct vw_attach *a)
{
	struct packet_mreq mr = {.mr_ifindex = (int)a->ifindex, .mr_type = PACKET_MR_PROMISC};
	/* protocol 0: the socket receives nothing, it only holds the mode */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr))) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	a->promisc_fd = fd;
	return 0;
}

/* ---- XDP ----------------------------------------------------------------- */

static int ethtool(const char *ifname, void *cmd)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	int rc = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
	close(fd);
	return rc;
}

/*
 * Can a VLAN tag reach this interface outside the frame?  Yes when the NIC
 * takes tags off (rx-vlan-offload), and always on a veth: there the
 * sending end decides (its tx-vlan-offload), whatever this end says.
 */
static bool strips_vlan_tags(const char *ifname)
{
	struct ethtool_value ev = {.cmd = ETHTOOL_GFLAGS};
	struct ethtool_drvinfo di = {.cmd = ETHTOOL_GDRVINFO};

	if (!ethtool(ifname, &di) && !strcmp(di.driver, "veth"))
		return true;
	return !ethtool(ifname, &ev) && (ev.data & ETH_FLAG_RXVLAN);
}

/* Someone's XDP program on the interface: say whose, and never touch it. */
static int check_foreign_xdp(const struct vw_attach *a, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char name[32];

	if (bpf_xdp_query((int)a->ifindex, 0, &q) || q.attach_mode == XDP_ATTACHED_NONE)
		return 0;
	unsigned id = q.drv_prog_id ? q.drv_prog_id : q.skb_prog_id ? q.skb_prog_id : q.hw_prog_id;
	const char *mode = q.drv_prog_id ? "native" : q.skb_prog_id ? "generic" : "offloaded";
	if (prog_name_is(id, "vw_xdp", name, sizeof(name)) || !strcmp(name, "vw_xdp_dev"))
		snprintf(err, errlen, "%s: another vrrpwatch watches it already (XDP program id %u)",
			 a->name, id);
	else
		snprintf(err, errlen,
			 "%s: XDP program '%s' (id %u, %s mode) is attached already, and vrrpwatch "
			 "never replaces another program (the kernel runs one per interface, "
			 "native and generic alike)",
			 a->name, name, id, mode);
	return -EBUSY;
}

static int link_xdp(struct vw_attach *a, int prog_fd, __u32 flags)
{
	LIBBPF_OPTS(bpf_link_create_opts, o, .flags = flags);
	int fd = bpf_link_create(prog_fd, (int)a->ifindex, BPF_XDP, &o);

	if (fd < 0)
		return -errno;
	a->xdp_link = fd;
	return 0;
}

/* Native and device-bound: reads the VLAN tags the NIC took off. */
static int attach_dev_bound(struct vw_attach *a, struct vrrpwatch *main)
{
	struct vrrpwatch_dev *dev = vrrpwatch_dev__open();
	int rc;

	if (!dev)
		return -errno;
	bpf_program__set_ifindex(dev->progs.vw_xdp_dev, a->ifindex);
	if ((rc = bpf_program__set_flags(dev->progs.vw_xdp_dev, VW_BPF_F_XDP_DEV_BOUND_ONLY)) ||
	    (rc = vw_reuse_maps(dev->obj, main->obj)) || (rc = vrrpwatch_dev__load(dev)) ||
	    (rc = link_xdp(a, bpf_program__fd(dev->progs.vw_xdp_dev), XDP_FLAGS_DRV_MODE))) {
		vrrpwatch_dev__destroy(dev);
		return rc;
	}
	VW_COPY_TIMING(dev->data, main->data); /* what live_bpf.c worked out */
	a->dev = dev;
	a->xdp_mode = "native";
	return 0;
}

static void xdp_failed(const struct vw_attach *a, enum vw_xdp_mode mode, int rc, char *err,
		       size_t errlen)
{
	if (rc == -EBUSY || rc == -EEXIST)
		snprintf(err, errlen, "%s: another XDP program was attached meanwhile", a->name);
	else if (mode == VW_XDP_NATIVE && (rc == -EOPNOTSUPP || rc == -EINVAL))
		snprintf(err, errlen, "%s: the driver has no native XDP (--xdp-mode generic works "
				      "with any driver)", a->name);
	else
		snprintf(err, errlen, "%s: cannot attach XDP: %s", a->name, strerror(-rc));
}

int vw_attach_xdp(struct vw_attach *a, struct vrrpwatch *main, enum vw_xdp_mode mode,
		  char *err, size_t errlen)
{
	int prog = bpf_program__fd(main->progs.vw_xdp), rc = -EOPNOTSUPP;

	if ((rc = check_foreign_xdp(a, err, errlen)))
		return rc;
	if (mode != VW_XDP_GENERIC) {
		if (!(a->dev_error = attach_dev_bound(a, main)))
			return 0;
		if (!(rc = link_xdp(a, prog, XDP_FLAGS_DRV_MODE)))
			a->xdp_mode = "native";
	}
	if (!a->xdp_mode && mode != VW_XDP_NATIVE && !(rc = link_xdp(a, prog, XDP_FLAGS_SKB_MODE)))
		a->xdp_mode = "generic";
	if (!a->xdp_mode) {
		xdp_failed(a, mode, rc, err, errlen);
		return rc;
	}
	/* without the device-bound program, a tag the NIC strips is lost */
	a->vlan_blind = strips_vlan_tags(a->name);
	return 0;
}

/* ---- TC ------------------------------------------------------------------ */

static int attach_clsact(struct vw_attach *a, int prog_fd, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)a->ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o, .prog_fd = prog_fd, .handle = VW_TC_HANDLE,
		    .priority = VW_TC_PRIO);
	int rc = bpf_tc_hook_create(&hook);

	if (rc && rc != -EEXIST) {
		snprintf(err, errlen, "%s: cannot add a clsact qdisc for egress: %s", a->name,
			 strerror(-rc));
		return rc;
	}
	a->qdisc_made = !rc;
	if (a->qdisc_made)
		mark_qdisc(a, true);
	if ((rc = bpf_tc_attach(&hook, &o))) {
		snprintf(err, errlen, "%s: cannot attach the egress filter: %s", a->name,
			 strerror(-rc));
		return rc; /* vw_attach_end removes the qdisc, if it made it */
	}
	a->tc_filter = true;
	a->tc_prog_id = o.prog_id;
	return 0;
}

/*
 * Only vrrpwatch's own filter goes (its handle and priority, and still its
 * program: another tool's filters under the same qdisc stay), and the
 * qdisc only if vrrpwatch made it and nothing else hangs under it now.
 */
static void detach_clsact(struct vw_attach *a)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)a->ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = VW_TC_HANDLE, .priority = VW_TC_PRIO);

	if (a->tc_filter && !bpf_tc_query(&hook, &q) && q.prog_id == a->tc_prog_id) {
		LIBBPF_OPTS(bpf_tc_opts, del, .handle = VW_TC_HANDLE, .priority = VW_TC_PRIO);
		bpf_tc_detach(&hook, &del);
	}
	if (a->qdisc_made) {
		remove_qdisc_if_empty(a);
		mark_qdisc(a, false); /* removed, or another tool's now */
	}
}

int vw_attach_tc(struct vw_attach *a, int prog_fd, bool tcx, char *err, size_t errlen)
{
	if (tcx) {
		/* first in the chain: it sees every frame the stack sends */
		LIBBPF_OPTS(bpf_link_create_opts, o, .flags = VW_BPF_F_BEFORE);
		int fd = bpf_link_create(prog_fd, (int)a->ifindex,
					 (enum bpf_attach_type)VW_BPF_TCX_EGRESS, &o);
		if (fd >= 0) {
			a->tc_link = fd;
			return 0;
		}
	}
	return attach_clsact(a, prog_fd, err, errlen);
}

void vw_attach_end(struct vw_attach *a)
{
	if (a->xdp_link >= 0)
		close(a->xdp_link); /* the last reference to a link detaches it */
	if (a->dev)
		vrrpwatch_dev__destroy(a->dev);
	if (a->tc_link >= 0)
		close(a->tc_link);
	if (a->tc_filter || a->qdisc_made)
		detach_clsact(a);
	if (a->promisc_fd >= 0)
		close(a->promisc_fd);
	if (a->lock_fd >= 0) {
		/* unlinked while held: whoever opened it meanwhile sees that
		 * their lock is on a file no longer there (lock_file) */
		unlink(a->lock_path);
		close(a->lock_fd);
	}
	a->xdp_link = a->tc_link = a->lock_fd = a->promisc_fd = -1;
	a->dev = NULL;
	a->tc_filter = a->qdisc_made = false;
}
