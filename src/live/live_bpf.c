// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live_bpf.c - the XDP/TC backend: skeletons open -> load -> attach, the
 * ring buffer of new and changed advertisers, and one cleanup path.
 * Reading the maps at each tick is live_bpf_read.c.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "live/live_bpf_int.h"
#include "live/privileges.h"
#include "vrrpwatch.skel.h"
#include "vrrpwatch_tc.skel.h"

#define VW_TCX_EGRESS 47 /* BPF_TCX_EGRESS, newer than the installed headers */
#define NS_PER_S 1000000000ull
/* The LRU hash is per CPU: its memory grows with the CPU count. */
#define VW_LRU_BUDGET (32u << 20)

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* verifier logs and the like: for developers (VRRPWATCH_DEBUG=1) */
	if (level != LIBBPF_DEBUG && getenv("VRRPWATCH_DEBUG")) {
		fputs("vrrpwatch: ", stderr); /* libbpf's own "libbpf: " follows */
		return vfprintf(stderr, fmt, ap);
	}
	return 0;
}

uint32_t vw_bpf_segment_of(const struct vw_live_bpf *b, uint32_t ifindex)
{
	for (size_t i = 0; i < b->s.n_ifaces; i++)
		if (b->s.ifaces[i].ifindex == ifindex)
			return b->s.ifaces[i].segment;
	return 0;
}

void vw_bpf_merge(struct vw_live_bpf *b, const struct vw_obs_key *key, struct vw_obs_val *d,
		  const uint8_t *msg, uint16_t msg_len, bool from_event)
{
	struct vw_obs_key k = *key;
	struct vw_table *t = b->s.table;

	if (!(k.ifindex = vw_bpf_segment_of(b, key->ifindex)))
		return;
	d->first_ns = vw_jclock_real_ns(&b->clock, d->first_ns);
	d->last_ns = vw_jclock_real_ns(&b->clock, d->last_ns);
	const struct vw_row *r = vw_table_find(t, &k);
	bool newest = !r || d->last_ns >= r->val.last_ns;
	/* the address list: when there is none yet, or it changed */
	bool want = !r || !r->msg ||
		    (newest && (r->val.addr_hash != d->addr_hash || r->val.naddr != d->naddr));
	struct vw_row *row = vw_table_merge(t, &k, d, want && msg_len ? msg : NULL, msg_len);
	if (!row)
		b->alloc_failed = 1;
	else if (from_event && b->s.on_change)
		b->s.on_change(b->s.change_ctx, row);
}

/* ---- the ring buffer ------------------------------------------------------ */

static int on_event(void *ctx, void *data, size_t size)
{
	struct vw_live_bpf *b = ctx;
	const struct vw_bpf_event *e = data;
	struct vw_obs_val d;

	if (size < sizeof(*e))
		return 0;
	memset(&d, 0, sizeof(d));
	d.first_ns = d.last_ns = e->ts;
	d.priority = VW_STATE_PRIORITY(e->state);
	d.version = VW_STATE_VERSION(e->state);
	d.auth_type = VW_STATE_AUTH(e->state);
	d.naddr = VW_STATE_NADDR(e->state);
	d.interval_cs = VW_STATE_INTERVAL(e->state);
	d.csum_variant = VW_STATE_CSUM(e->state);
	d.ttl = VW_STATE_TTL(e->state);
	d.addr_hash = e->addr_hash;
	/* counters stay 0: the map read at the tick brings them */
	size_t copied = e->copied <= size - sizeof(*e) ? e->copied : size - sizeof(*e);
	vw_bpf_merge(b, &e->key, &d, e->msg, (uint16_t)copied, true);
	return 0;
}

/* ---- the clock ------------------------------------------------------------ */

static int clock_sample(struct vw_live_bpf *b, struct vw_clock_sample *s)
{
	static const unsigned char frame[14];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = sizeof(frame));

	if (bpf_prog_test_run_opts(bpf_program__fd(b->xdp->progs.vw_clock), &o))
		return -errno;
	*s = b->xdp->bss->vw_clock_now;
	return 0;
}

/* The first sample after jiffies moved on: within microseconds of a tick. */
static int next_edge(struct vw_live_bpf *b, struct vw_clock_sample *s)
{
	struct vw_clock_sample first = {0}; /* set when rc is 0 (gcc -O3 cannot tell) */
	int rc = clock_sample(b, &first);
	uint64_t give_up = vw_mono_ns() + NS_PER_S / 5;

	while (!rc) {
		if ((rc = clock_sample(b, s)))
			break;
		if (s->jiffies != first.jiffies && s->jiffies == s->jiffies_after)
			return 0;
		if (vw_mono_ns() > give_up)
			return -ETIME; /* jiffies stood still for 200 ms */
	}
	return rc;
}

/* HZ from two tick edges ~100 ms apart; the reference is the second edge. */
static int calibrate(struct vw_live_bpf *b)
{
	struct vw_clock_sample e1, e2;
	struct timespec pause = {0, 100 * 1000 * 1000};
	int rc;

	if ((rc = next_edge(b, &e1)))
		return rc;
	nanosleep(&pause, NULL);
	if ((rc = next_edge(b, &e2)))
		return rc;
	uint64_t hz = vw_jclock_guess_hz(e1.jiffies, e1.mono_ns, e2.jiffies, e2.mono_ns);
	if (!hz)
		return -ETIME;
	vw_jclock_init(&b->clock, hz, e2.jiffies, e2.mono_ns);
	return 0;
}

/*
 * The programs' timing: a slot silent for three ticks (5 s at least) is
 * free; a value older than two ticks has been read.  Also given to the
 * device-bound objects (live_attach.c copies these).
 */
static void set_timing(struct vw_live_bpf *b)
{
	uint64_t stale = 3 * b->s.interval_ns;

	if (stale < 5 * NS_PER_S)
		stale = 5 * NS_PER_S;
	b->xdp->data->vw_stale_jiffies = vw_jclock_jiffies(&b->clock, stale);
	b->xdp->data->vw_read_jiffies = vw_jclock_jiffies(&b->clock, 2 * b->s.interval_ns);
	b->xdp->data->vw_ncpu = b->ncpu;
	VW_COPY_TIMING(b->tc->data, b->xdp->data);
}

/* ---- load ------------------------------------------------------------------ */

static void load_failed(int rc, char *err, size_t errlen)
{
	if (rc == -EPERM || rc == -EACCES)
		snprintf(err, errlen, "loading the XDP/TC programs was refused (%s): it needs root, "
				      "or CAP_BPF and CAP_NET_ADMIN",
			 strerror(-rc));
	else if (rc == -ENOSYS)
		snprintf(err, errlen, "this kernel has no BPF (bpf(2): %s)", strerror(-rc));
	else
		snprintf(err, errlen, "cannot load the XDP/TC programs: %s (VRRPWATCH_DEBUG=1 "
				      "shows the kernel's reasons)",
			 strerror(-rc));
}

static uint32_t lru_entries(unsigned ncpu)
{
	uint64_t n = VW_LRU_BUDGET / ((uint64_t)ncpu * sizeof(struct vw_bpf_val));
	uint32_t e = 1024;

	while ((uint64_t)e * 2 <= n && e * 2 <= VW_LRU_ENTRIES)
		e *= 2;
	return e;
}

int vw_bpf_load(struct vw_live_bpf *b, char *err, size_t errlen)
{
	int rc;

	libbpf_set_print(quiet_libbpf);
	if ((rc = libbpf_num_possible_cpus()) < 0) {
		snprintf(err, errlen, "cannot count the CPUs: %s", strerror(-rc));
		return rc;
	}
	b->ncpu = (unsigned)rc;
	if (!(b->xdp = vrrpwatch__open()) || !(b->tc = vrrpwatch_tc__open())) {
		rc = -errno;
		load_failed(rc, err, errlen);
		return rc;
	}
	b->tcx = vw_have_tcx();
	if ((rc = bpf_map__set_max_entries(b->xdp->maps.vw_lru, lru_entries(b->ncpu))) ||
	    (rc = vrrpwatch__load(b->xdp)) ||
	    (rc = vw_reuse_maps(b->tc->obj, b->xdp->obj)) ||
	    /* tcx wants the program loaded for it; clsact does not care */
	    (rc = bpf_program__set_expected_attach_type(
		     b->tc->progs.vw_tc_egress, (enum bpf_attach_type)(b->tcx ? VW_TCX_EGRESS : 0))) ||
	    (rc = vrrpwatch_tc__load(b->tc))) {
		load_failed(rc, err, errlen);
		return rc;
	}
	if ((rc = calibrate(b))) {
		snprintf(err, errlen, "cannot relate the kernel's jiffies to the clock: %s",
			 strerror(-rc));
		return rc;
	}
	set_timing(b);
	if (!(b->rb = ring_buffer__new(bpf_map__fd(b->xdp->maps.vw_events), on_event, b, NULL))) {
		rc = -errno;
		snprintf(err, errlen, "cannot open the ring buffer: %s", strerror(-rc));
		return rc;
	}
	if ((rc = vw_bpf_read_init(b)))
		return rc;
	vw_bpf_push_watch(b); /* keepalived.conf's addresses, watched from the start */
	return 0;
}

/* ---- attach ---------------------------------------------------------------- */

static void describe(const struct vw_live_bpf *b, const struct vw_attach *a)
{
	FILE *log = b->s.log;

	fprintf(log, "vrrpwatch: %s: XDP %s%s, egress %s\n", a->name, a->xdp_mode,
		a->dev ? " (device-bound: reads VLAN tags the NIC removed)" : "",
		a->tc_link >= 0 ? "tcx" : "clsact filter");
	if (a->vlan_blind)
		fprintf(log, "vrrpwatch: %s: VLAN tags the NIC removes (rx-vlan-offload; on a veth, "
			     "the sending end's tx-vlan-offload) are out of XDP %s's sight: VLANs on "
			     "%s cannot be told apart (turn the offload off with ethtool -K, or use "
			     "--backend pcap)\n",
			a->name, a->xdp_mode, a->name);
	if (b->s.verbose && !a->dev && a->dev_error)
		fprintf(log, "vrrpwatch: %s: no device-bound XDP program: %s\n", a->name,
			strerror(-a->dev_error));
}

static int attach_all(struct vw_live_bpf *b, char *err, size_t errlen)
{
	int tc_fd = bpf_program__fd(b->tc->progs.vw_tc_egress), rc;

	if (!(b->att = calloc(b->s.n_ifaces, sizeof(*b->att))))
		return -ENOMEM;
	for (size_t i = 0; i < b->s.n_ifaces; i++) {
		const struct vw_live_iface *f = &b->s.ifaces[i];
		struct vw_attach *a = &b->att[i];
		b->n_att++;
		if ((rc = vw_attach_begin(a, f->name, f->ifindex, b->s.log, err, errlen)) ||
		    (rc = vw_attach_xdp(a, b->xdp, b->s.xdp_mode, err, errlen)) ||
		    (rc = vw_attach_tc(a, tc_fd, b->tcx, err, errlen)))
			return rc;
		if ((rc = vw_attach_promisc(a)))
			fprintf(b->s.log, "vrrpwatch: %s: not promiscuous (%s): the NIC may filter "
					  "out multicast VRRP that no one on this host joined\n",
				a->name, strerror(-rc));
		describe(b, a);
	}
	return 0;
}

/* ---- the backend interface -------------------------------------------------- */

static size_t bpf_pollfds(void *impl, struct pollfd *fds, size_t max)
{
	struct vw_live_bpf *b = impl;

	if (!max)
		return 0;
	fds[0].fd = ring_buffer__epoll_fd(b->rb);
	fds[0].events = POLLIN;
	return 1;
}

static int bpf_on_ready(void *impl)
{
	struct vw_live_bpf *b = impl;
	int rc = ring_buffer__consume(b->rb);

	return rc < 0 ? rc : b->alloc_failed ? -ENOMEM : 0;
}

static int bpf_sample(void *impl)
{
	struct vw_live_bpf *b = impl;
	int rc;

	vw_jclock_set_wall(&b->clock, vw_real_minus_mono());
	if ((rc = ring_buffer__consume(b->rb)) < 0 || (rc = vw_bpf_read_maps(b)))
		return rc;
	return b->alloc_failed ? -ENOMEM : 0;
}

static void bpf_counters(void *impl, struct vw_live_counters *c)
{
	*c = ((struct vw_live_bpf *)impl)->total;
}

static void bpf_close(void *impl)
{
	vw_bpf_free(impl);
}

void vw_bpf_free(struct vw_live_bpf *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_att; i++)
		vw_attach_end(&b->att[i]);
	free(b->att);
	ring_buffer__free(b->rb);
	vw_bpf_read_free(b);
	vrrpwatch_tc__destroy(b->tc);
	vrrpwatch__destroy(b->xdp);
	free(b);
}

int vw_live_bpf_open(struct vw_live_backend *be, const struct vw_live_setup *s, char *err,
		     size_t errlen)
{
	struct vw_live_bpf *b = calloc(1, sizeof(*b));
	int rc;

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	b->s = *s;
	if ((rc = vw_bpf_load(b, err, errlen)) || (rc = attach_all(b, err, errlen))) {
		if (rc == -ENOMEM && !err[0])
			snprintf(err, errlen, "out of memory");
		bpf_close(b);
		return rc;
	}
	*be = (struct vw_live_backend){
		.name = "xdp",
		.impl = b,
		.pollfds = bpf_pollfds,
		.on_ready = bpf_on_ready,
		.sample = bpf_sample,
		.counters = bpf_counters,
		.close = bpf_close,
	};
	for (size_t i = 0; i < b->n_att; i++)
		if (vw_attach_needs_net_admin(&b->att[i]))
			be->keep_caps |= VW_PRIV_NET_ADMIN;
	return 0;
}
