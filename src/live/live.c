// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live.c - the live loop.  Signals arrive through a signalfd, so that
 * SIGINT, SIGTERM or SIGHUP end the loop between two steps and the backend
 * always detaches through its one cleanup path; so does a reader of our
 * output that went away (vrrpwatch -i eth0 | head).
 */
#include "live/live.h"
#include "capture/ingest.h"

#include <errno.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <linux/if_vlan.h>
#include <linux/sockios.h>
#include <unistd.h>

#include "config.h"
#include "live/live_backend.h"
#include "live/live_clock.h"
#include "live/live_view.h"
#include "live/privileges.h"
#include "report/output.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

/* the signal, the output, the backend, and --prom-listen (up to 33) */
#define MAX_POLL 128
#define NS_PER_MS 1000000ull

struct live {
	const struct vw_live_args *a;
	const struct vw_options *o;
	const struct vw_output_ops *out; /* the output format */
	struct vw_table table;
	uint64_t watched_upto; /* rows heard before this were watched already */
	struct vw_detector det;
	bool det_ready;
	struct vw_live_iface ifaces[VW_MAX_IFACES];
	size_t n_ifaces;
	char iface_list[VW_MAX_IFACES * 18];
	struct ka_addr *local;
	struct vw_live_backend be;
	bool be_open;
	struct vw_lines *lines;
	struct vw_screen *screen;
	int sig_fd;
	sigset_t old_mask;
	uint64_t start_ns;
	int status;
};

/* ---- set-up ---------------------------------------------------------------- */

static int block_signals(struct live *l)
{
	sigset_t set;

	/* a shell starts background jobs with SIGINT ignored, and an ignored
	 * signal never reaches the signalfd; SIGHUP stays ignored when it is
	 * (nohup).  SIGPIPE is ignored: a /metrics client that hangs up must
	 * not stop the capture; a closed output is seen as a write error. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, &l->old_mask))
		return -errno;
	l->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return l->sig_fd < 0 ? -errno : 0;
}

static int resolve_interfaces(struct live *l, char *err, size_t errlen)
{
	size_t used = 0;

	for (size_t i = 0; i < l->o->n_ifaces; i++) {
		const char *name = l->o->ifaces[i];
		unsigned idx = vw_priv_ifindex(name, err, errlen);
		if (!idx)
			return -ENODEV;
		for (size_t j = 0; j < l->n_ifaces; j++)
			if (l->ifaces[j].ifindex == idx) {
				snprintf(err, errlen, "-i %s: given twice", name);
				return -EINVAL;
			}
		int seg = vw_table_add_segment(&l->table, name, NULL, idx, -1, true);
		if (seg < 0)
			return seg;
		char label[VW_SEGMENT_LABEL_MAX];
		vw_live_segment_label(name, label, sizeof(label));
		vw_table_set_segment_label(&l->table, (uint32_t)seg, label);
		l->ifaces[l->n_ifaces++] = (struct vw_live_iface){name, idx, (uint32_t)seg};
		int w = snprintf(l->iface_list + used, sizeof(l->iface_list) - used, "%s%s",
				 used ? ", " : "", name);
		if (w > 0 && (size_t)w < sizeof(l->iface_list) - used)
			used += (size_t)w;
	}
	return 0;
}

static bool watched(const struct live *l, const char *name)
{
	for (size_t i = 0; i < l->n_ifaces; i++)
		if (!strcmp(l->ifaces[i].name, name))
			return true;
	return false;
}

static bool addr_of(const struct sockaddr *sa, struct ka_addr *a)
{
	if (sa->sa_family == AF_INET) {
		a->family = 4;
		memcpy(a->addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		a->family = 6;
		memcpy(a->addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
	} else {
		return false;
	}
	return true;
}

/* An interface's VLAN id (a VLAN device, e.g. eth0.100), 0 if none. */
static unsigned iface_vlan(const char *name)
{
	struct vlan_ioctl_args a;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	unsigned vid = 0;

	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof(a));
	a.cmd = GET_VLAN_VID_CMD;
	snprintf(a.device1, sizeof(a.device1), "%s", name);
	if (!ioctl(fd, SIOCGIFVLAN, &a))
		vid = (unsigned)a.u.VID;
	close(fd);
	return vid;
}

static unsigned mask_len(const uint8_t *m, unsigned bytes)
{
	unsigned n = 0;

	for (unsigned i = 0; i < bytes; i++)
		n += (unsigned)__builtin_popcount(m[i]);
	return n;
}

/*
 * The segment label of a watched interface: its prefixes and VLAN, as
 * every host on the segment sees them (vw_segment_label_format), read
 * once when the capture starts.
 */
void vw_live_segment_label(const char *name, char *buf, size_t len)
{
	struct vw_prefix p[32];
	struct ifaddrs *all, *ifa;
	size_t n = 0;

	if (!getifaddrs(&all)) {
		for (ifa = all; ifa && n < sizeof(p) / sizeof(p[0]); ifa = ifa->ifa_next) {
			struct ka_addr a, m;
			if (!ifa->ifa_addr || !ifa->ifa_netmask || strcmp(ifa->ifa_name, name) ||
			    !addr_of(ifa->ifa_addr, &a) || !addr_of(ifa->ifa_netmask, &m))
				continue;
			unsigned bytes = a.family == 6 ? 16 : 4;
			p[n].family = a.family;
			memcpy(p[n].addr, a.addr, bytes);
			p[n].len = (uint8_t)mask_len(m.addr, bytes);
			n++;
		}
		freeifaddrs(all);
	}
	vw_segment_label_format(p, n, iface_vlan(name), name, buf, len);
}

/* This node's sources: --local-address, and the watched interfaces' addresses. */
static int local_addresses(struct live *l, struct vw_detector_opts *d)
{
	struct ifaddrs *all, *ifa;
	size_t n = d->n_local, cap = d->n_local + 64;

	if (!(l->local = calloc(cap, sizeof(*l->local))))
		return -ENOMEM;
	memcpy(l->local, d->local, d->n_local * sizeof(*l->local));
	if (getifaddrs(&all))
		return -errno;
	for (ifa = all; ifa && n < cap; ifa = ifa->ifa_next)
		if (ifa->ifa_addr && watched(l, ifa->ifa_name) && addr_of(ifa->ifa_addr, &l->local[n]))
			n++;
	freeifaddrs(all);
	d->local = l->local;
	d->n_local = n;
	return 0;
}

static void on_row_changed(void *ctx, const struct vw_row *row)
{
	struct live *l = ctx;

	if (l->lines)
		vw_lines_row(l->lines, &l->table, row);
}

/*
 * --backend auto: XDP/TC when it can, else libpcap, saying why.  The
 * backends' messages say what is wrong; the advice is added here, where
 * it is known which backend was asked for.
 */
static int open_backend(struct live *l, char *err, size_t errlen)
{
	const struct vw_live_setup s = {
		.ifaces = l->ifaces,
		.n_ifaces = l->n_ifaces,
		.table = &l->table,
		.xdp_mode = l->o->xdp_mode,
		.interval_ns = l->o->interval_ns,
		.verbose = l->o->verbose,
		.log = l->a->err,
		.on_change = on_row_changed,
		.change_ctx = l,
	};
	enum vw_backend want = l->o->backend;
	char why[320] = "", why_pcap[256] = "";
	int rc = -EPERM;

	if (want != VW_BACKEND_PCAP && vw_priv_bpf_possible(why, sizeof(why))) {
#if HAVE_BPF
		if (!(rc = vw_live_bpf_open(&l->be, &s, why, sizeof(why))))
			return 0;
#endif
	}
	if (want == VW_BACKEND_XDP) {
		snprintf(err, errlen, "%s; try --backend pcap", why);
		return rc;
	}
	if (!vw_priv_pcap_possible(why_pcap, sizeof(why_pcap))) {
		if (want == VW_BACKEND_PCAP)
			snprintf(err, errlen, "%s", why_pcap);
		else
			vw_priv_no_capture(err, errlen);
		return -EPERM;
	}
	if (want == VW_BACKEND_AUTO)
		fprintf(l->a->err, "vrrpwatch: XDP/TC: %s; capturing with libpcap instead\n", why);
	return vw_live_pcap_open(&l->be, &s, err, errlen);
}

static int setup(struct live *l, char *err, size_t errlen)
{
	struct vw_detector_opts d = l->a->dopt;
	int rc;

	if ((rc = block_signals(l)) || (rc = vw_table_init(&l->table, l->o->max_rows)))
		return rc;
	l->table.seg_names = &l->o->segments;
	if ((rc = resolve_interfaces(l, err, errlen)) || (rc = local_addresses(l, &d)))
		return rc;
	if ((rc = vw_detector_init(&l->det, &d)))
		return rc;
	l->det_ready = true;
	if (d.config) /* before the backend opens: it watches them from the start */
		vw_vips_watch_config(&l->table, d.config);
	if ((rc = open_backend(l, err, errlen)))
		return rc;
	l->be_open = true;
	if (l->out->live_screen && isatty(fileno(l->a->out)))
		l->screen = vw_screen_new(l->a->out);
	else
		l->lines = vw_lines_new(l->a->out, l->out);
	if (!l->screen && !l->lines)
		return -ENOMEM;
	l->start_ns = l->table.first_ns = l->table.last_ns = vw_real_ns();
	return 0;
}

/*
 * Everything is open: give root up (-Z), keeping only what the rest of the
 * run needs: CAP_NET_ADMIN to remove a clsact filter at exit, nothing for
 * tcx/XDP links (they go with their descriptors) or libpcap.
 */
static int lockdown(struct live *l, char *err, size_t errlen)
{
	uint64_t keep = l->be.keep_caps;

	if (vw_priv_lockdown(VW_PRIV_LIVE, keep, l->a->err, l->o->verbose, err, errlen))
		return -EPERM;
	if (l->a->dropped && l->a->dropped(l->o))
		return -EACCES;
	return 0;
}

/* ---- the loop ---------------------------------------------------------------- */

/* c: the backend's counters, read while it is still open */
static void fill_report(struct live *l, struct vw_report *r, const struct vw_live_counters *c)
{
	const struct vw_table *t = &l->table;
	uint64_t known = t->vrrp_frames + t->rejected;

	*r = (struct vw_report){
		.table = t,
		.other_frames = t->frames > known ? t->frames - known : 0,
		.live = true,
		.findings = &l->det.findings,
		.notes = l->det.notes,
		.n_notes = l->det.n_notes,
		.instances = l->det.instances,
		.n_instances = l->det.n_instances,
		.config_path = l->a->config_path,
		.ring_losses = c->events_lost,
		.map_evictions = c->evictions,
		.capture_drops = c->drops,
	};
}

static void tick(struct live *l)
{
	const struct vw_live_hooks *h = l->a->hooks;
	struct vw_live_status st = {
		.table = &l->table,
		.det = &l->det,
		.backend = l->be.name,
		.ifaces = l->iface_list,
		.config_path = l->a->config_path,
		.start_ns = l->start_ns,
	};
	int rc = l->be.sample(l->be.impl);

	if (rc && l->status != EXIT_TROUBLE) { /* said once; the loop stops on it */
		fprintf(l->a->err, "vrrpwatch: reading the capture failed: %s\n", strerror(-rc));
		l->status = EXIT_TROUBLE;
	}
	st.now_ns = l->table.last_ns = vw_real_ns();
	/* the addresses adverts announce are watched from now on (the BPF
	 * backend hands them to the kernel at its next sample) */
	for (size_t i = 0; i < l->table.n_rows; i++)
		if (l->table.rows[i].val.last_ns >= l->watched_upto)
			vw_ingest_watch_row(&l->table, &l->table.rows[i]);
	l->watched_upto = st.now_ns > 10000000000ull ? st.now_ns - 10000000000ull : 0;
	vw_detector_tick(&l->det, &l->table, st.now_ns);
	l->be.counters(l->be.impl, &st.c);
	if (l->screen)
		vw_screen_draw(l->screen, &st);
	else
		vw_lines_tick(l->lines, &st);
	if (h && h->publish) {
		struct vw_report r;
		fill_report(l, &r, &st.c);
		h->publish(h->ctx, &r);
	}
}

/* SIGINT, SIGTERM or SIGHUP arrived (drained from the signalfd). */
static bool stop_requested(struct live *l)
{
	struct signalfd_siginfo si;
	bool stop = false;

	while (read(l->sig_fd, &si, sizeof(si)) == sizeof(si))
		stop = true;
	return stop;
}

static int run(struct live *l)
{
	const struct vw_live_hooks *h = l->a->hooks;
	uint64_t next = vw_mono_ns() + l->o->interval_ns;
	uint64_t end = l->o->duration_ns ? vw_mono_ns() + l->o->duration_ns : UINT64_MAX;
	struct pollfd fds[MAX_POLL];

	while (l->status != EXIT_TROUBLE) {
		uint64_t now = vw_mono_ns(), wake = next < end ? next : end;
		size_t nb, nh = 0;
		fds[0] = (struct pollfd){.fd = l->sig_fd, .events = POLLIN};
		/* no events asked: a pipe whose reader left reports POLLERR */
		fds[1] = (struct pollfd){.fd = fileno(l->a->out), .events = 0};
		nb = l->be.pollfds(l->be.impl, fds + 2, MAX_POLL - 2);
		if (h && h->pollfds)
			nh = h->pollfds(h->ctx, fds + 2 + nb, MAX_POLL - 2 - nb);
		int ms = wake > now ? (int)((wake - now + NS_PER_MS - 1) / NS_PER_MS) : 0;
		/* an HTTP client's deadline may come before the next tick */
		int hms = h && h->timeout ? h->timeout(h->ctx) : -1;
		if (hms >= 0 && hms < ms)
			ms = hms;
		if (poll(fds, 2 + nb + nh, ms) < 0 && errno != EINTR)
			return -errno;
		if (((fds[0].revents & POLLIN) && stop_requested(l)) ||
		    (fds[1].revents & (POLLERR | POLLHUP)))
			return 0;
		for (size_t i = 2; i < 2 + nb; i++)
			if (fds[i].revents) {
				int rc = l->be.on_ready(l->be.impl);
				if (rc)
					return rc;
				break; /* on_ready drains them all */
			}
		if (nh)
			h->service(h->ctx, fds + 2 + nb, nh);
		now = vw_mono_ns();
		if (now >= end)
			return 0;
		if (now >= next) {
			tick(l);
			if (ferror(l->a->out))
				return 0; /* the reader of our output went away */
			while (next <= now) /* a stall skips ticks instead of bunching them */
				next += l->o->interval_ns;
		}
	}
	return 0;
}

/* ---- the end ------------------------------------------------------------------- */

static void capture_summary(struct live *l, const struct vw_live_counters *c)
{
	const struct vw_capture_summary s = {
		.backend = l->be.name,
		.interfaces = l->iface_list,
		.frames = c->frames,
		.adverts = c->adverts,
		.drops = c->drops,
		.evictions = c->evictions,
		.spilled = c->spilled,
		.events_lost = c->events_lost,
		.hw_vlan = c->hw_vlan,
		.tc_pulls = c->tc_pulls,
		.map_reads_short = c->map_reads_short,
	};

	l->out->capture_summary(l->a->out, &s);
}

/* Detach first (SIGINT should leave the interface as it was), then report. */
static void finish(struct live *l)
{
	struct vw_live_counters c;
	struct vw_report r;

	tick(l);
	l->be.counters(l->be.impl, &c);
	l->be.close(l->be.impl);
	l->be_open = false;
	vw_screen_free(l->screen);
	l->screen = NULL;
	if (!l->a->config_path)
		vw_detector_note(&l->det, "no keepalived.conf: local_starved, peer_rejects_advert, "
					  "master_lost, no_advertiser and the checks against the "
					  "configuration need -c FILE");
	fill_report(l, &r, &c);
	l->out->report(l->a->out, &r);
	capture_summary(l, &c);
	fflush(l->a->out);
	if (l->det.error) {
		fprintf(l->a->err, "vrrpwatch: out of memory: the report is incomplete\n");
		l->status = EXIT_TROUBLE;
	}
}

static void teardown(struct live *l)
{
	if (l->be_open)
		l->be.close(l->be.impl);
	vw_screen_free(l->screen);
	vw_lines_free(l->lines);
	if (l->det_ready)
		vw_detector_free(&l->det);
	vw_table_free(&l->table);
	free(l->local);
	if (l->sig_fd >= 0)
		close(l->sig_fd);
	sigprocmask(SIG_SETMASK, &l->old_mask, NULL);
}

int vw_live_run(const struct vw_live_args *a)
{
	struct live *l = calloc(1, sizeof(*l));
	char err[512] = "";
	int rc;

	if (!l) {
		fprintf(a->err, "vrrpwatch: out of memory\n");
		return EXIT_TROUBLE;
	}
	l->a = a;
	l->o = a->o;
	l->out = vw_output_ops(a->o->output);
	l->sig_fd = -1;
	if ((rc = setup(l, err, sizeof(err)))) {
		fprintf(a->err, "vrrpwatch: %s\n", err[0] ? err : strerror(-rc));
		teardown(l);
		free(l);
		return EXIT_TROUBLE;
	}
	if ((rc = lockdown(l, err, sizeof(err)))) {
		if (err[0])
			fprintf(a->err, "vrrpwatch: %s\n", err);
		l->status = EXIT_TROUBLE;
		teardown(l);
		free(l);
		return EXIT_TROUBLE;
	}
	if ((rc = run(l))) {
		fprintf(a->err, "vrrpwatch: live capture stopped: %s\n", strerror(-rc));
		l->status = EXIT_TROUBLE;
	}
	finish(l);
	int status = l->status;
	if (status == EXIT_CLEAN && vw_findings_alarming(&l->det.findings))
		status = EXIT_FINDINGS;
	teardown(l);
	free(l);
	return status;
}
