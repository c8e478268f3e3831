// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live_lines.c - a live run's running commentary, for a pipe, a log or
 * --json (in the output format's words, report/output.h): one line when an
 * advertiser appears, one when its priority, address set, interval or
 * version changes, one when a finding opens or closes (and per event, for instant findings like master_changed), and
 * one when an open finding is dropped to make room for a more important
 * one (past the findings cap, VW_FINDINGS_MAX), and one when a MAC starts
 * claiming a watched address (or the address is first asked for), per kind.
 * Unchanged advertisers say nothing: the lines are news, not a census.
 */
#include <stdlib.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "detect/detector.h"
#include "live/live_shadow.h"
#include "live/live_view.h"
#include "report/output.h"

/* A flood of new sources would be a flood of lines: at most this many per tick. */
#define VW_LINES_NEW_PER_TICK 20

/* What a line compares: the fields whose change is news. */
struct seen_row {
	uint32_t addr_hash;
	uint16_t interval_cs;
	uint8_t priority, version, naddr;
	uint8_t pad[3];
};

struct vw_lines {
	FILE *out;
	const struct vw_output_ops *ops;
	struct vw_shadow seen; /* key -> struct seen_row */
	unsigned budget;       /* new-advertiser lines left this tick */
	uint64_t suppressed;
	size_t claims_told;    /* claim rows told (the table only appends rows) */
	bool *was_open;        /* per finding, as of the last tick */
	unsigned *was_count;
	uint64_t *was_serial;  /* which finding that was (another one may take
				* its place over the cap) */
	size_t n_was;
	/* per local instance, the master last told: its address, and whether
	 * it was master then (a line when either changes) */
	struct told_master {
		uint8_t src[16];
		bool now;
	} *told;
	size_t n_told;
};

struct vw_lines *vw_lines_new(FILE *out, const struct vw_output_ops *ops)
{
	struct vw_lines *l = calloc(1, sizeof(*l));

	if (!l || vw_shadow_init(&l->seen, sizeof(struct vw_obs_key), sizeof(struct seen_row), 64)) {
		free(l);
		return NULL;
	}
	l->out = out;
	l->ops = ops;
	l->budget = VW_LINES_NEW_PER_TICK;
	return l;
}

void vw_lines_free(struct vw_lines *l)
{
	if (!l)
		return;
	vw_shadow_free(&l->seen);
	free(l->was_open);
	free(l->was_count);
	free(l->was_serial);
	free(l->told);
	free(l);
}

static struct seen_row seen_of(const struct vw_row *r)
{
	struct seen_row s = {
		.addr_hash = r->val.addr_hash,
		.interval_cs = r->val.interval_cs,
		.priority = r->val.priority,
		.version = r->val.version,
		.naddr = r->val.naddr,
	};

	return s;
}

/* "priority 150 -> 200, interval 1s -> 2s" */
static void what_changed(const struct seen_row *o, const struct seen_row *n, char *buf,
			 size_t len)
{
	char a[16], b[16];
	size_t used = 0;

	buf[0] = 0;
#define ADD(...)                                                                  \
	do {                                                                      \
		int w_ = snprintf(buf + used, len - used, "%s", used ? ", " : ""); \
		if (w_ > 0 && (size_t)w_ < len - used)                            \
			used += (size_t)w_;                                       \
		w_ = snprintf(buf + used, len - used, __VA_ARGS__);               \
		if (w_ > 0 && (size_t)w_ < len - used)                            \
			used += (size_t)w_;                                       \
	} while (0)
	if (o->priority != n->priority)
		ADD("priority %u -> %u", o->priority, n->priority);
	if (o->addr_hash != n->addr_hash || o->naddr != n->naddr)
		ADD("address set changed");
	if (o->interval_cs != n->interval_cs)
		ADD("interval %s -> %s", vw_interval_str(o->interval_cs, a, sizeof(a)),
		    vw_interval_str(n->interval_cs, b, sizeof(b)));
	if (o->version != n->version)
		ADD("version %u -> %u", o->version, n->version);
#undef ADD
}

/* The row's line if it is news; its state goes into `into`. */
static void check_row(struct vw_lines *l, const struct vw_table *t, const struct vw_row *r,
		      struct vw_shadow *into)
{
	const struct seen_row *old = vw_shadow_find(&l->seen, &r->key);
	struct seen_row now = seen_of(r);
	char changed[160] = "";

	if (old && !memcmp(old, &now, sizeof(now))) {
		/* nothing new */
	} else if (!old && !l->budget) {
		l->suppressed++;
	} else if (!old) {
		l->budget--;
		l->ops->advertiser_line(l->out, t, r, "new", changed);
	} else {
		what_changed(old, &now, changed, sizeof(changed));
		if (changed[0]) /* TTL, checksum or auth alone is not news */
			l->ops->advertiser_line(l->out, t, r, "changed", changed);
	}
	vw_shadow_put(into, &r->key, &now);
}

void vw_lines_row(struct vw_lines *l, const struct vw_table *t, const struct vw_row *r)
{
	check_row(l, t, r, &l->seen);
	fflush(l->out);
}

static void finding_line(struct vw_lines *l, const struct vw_finding *f, const char *what,
			 uint64_t now_ns)
{
	l->ops->finding_line(l->out, f, what, now_ns);
}

/* Open findings forgotten at this tick to make room (over the cap): each
 * kept copy says so, as it last was, no longer open. */
static void forgotten(struct vw_lines *l, const struct vw_findings *fs, uint64_t now_ns)
{
	char msg[200];

	for (size_t i = 0; i < fs->n_forgotten; i++) {
		struct vw_finding f = fs->forgotten[i];
		f.open = false;
		finding_line(l, &f, "dropped", now_ns);
	}
	if (!fs->forgotten_more)
		return;
	snprintf(msg, sizeof(msg),
		 "%llu more open findings were dropped to make room for more important ones "
		 "(over the %zu findings kept): likely a flood of spoofed sources",
		 (unsigned long long)fs->forgotten_more, fs->max ? fs->max : (size_t)VW_FINDINGS_MAX);
	l->ops->note_line(l->out, msg, now_ns);
}

static void findings(struct vw_lines *l, const struct vw_findings *fs, uint64_t now_ns)
{
	forgotten(l, fs, now_ns);
	if (fs->n > l->n_was) {
		bool *o = realloc(l->was_open, fs->n * sizeof(*o));
		if (o)
			l->was_open = o;
		unsigned *c = realloc(l->was_count, fs->n * sizeof(*c));
		if (c)
			l->was_count = c;
		uint64_t *sn = realloc(l->was_serial, fs->n * sizeof(*sn));
		if (sn)
			l->was_serial = sn;
		if (!o || !c || !sn)
			return; /* next tick */
	}
	for (size_t i = 0; i < fs->n; i++) {
		const struct vw_finding *f = &fs->v[i];
		/* another finding at this index (it took a forgotten one's
		 * place) starts from nothing */
		bool known = i < l->n_was && l->was_serial[i] == fs->serial[i];
		bool was_open = known && l->was_open[i];
		unsigned was_count = known ? l->was_count[i] : 0;
		if (f->event && f->count > was_count)
			finding_line(l, f, "event", now_ns);
		else if (!f->event && f->open && !was_open)
			finding_line(l, f, "opened", now_ns);
		else if (!f->event && !f->open && was_open)
			finding_line(l, f, "closed", now_ns);
		l->was_open[i] = f->open;
		l->was_count[i] = f->count;
		l->was_serial[i] = fs->serial[i];
	}
	l->n_was = fs->n;
}

/*
 * The claim rows the table gained since the last tick, in the order they
 * came, at most VW_LINES_NEW_PER_TICK (a flood of spoofed ARP would be a
 * flood of lines); the rest are counted in one line.
 */
static void claims(struct vw_lines *l, const struct vw_table *t)
{
	const struct vw_vip_claims *v = &t->vips;

	if (v->n_rows <= l->claims_told)
		return;
	size_t n = v->n_rows - l->claims_told;
	for (size_t i = 0; i < n && i < VW_LINES_NEW_PER_TICK; i++)
		l->ops->claim_line(l->out, t, &v->rows[l->claims_told + i], "new");
	if (n > VW_LINES_NEW_PER_TICK)
		l->ops->suppressed_line(l->out, n - VW_LINES_NEW_PER_TICK, "claims");
	l->claims_told = v->n_rows;
}

/* An instance whose master changed (or that has none any more): news. */
static void instances(struct vw_lines *l, const struct vw_detector *d)
{
	if (d->n_instances > l->n_told) {
		struct told_master *t = realloc(l->told, d->n_instances * sizeof(*t));
		if (!t)
			return; /* next tick */
		memset(t + l->n_told, 0, (d->n_instances - l->n_told) * sizeof(*t));
		l->told = t;
		l->n_told = d->n_instances;
	}
	for (size_t i = 0; i < d->n_instances; i++) {
		const struct vw_instance_state *s = &d->instances[i];
		struct told_master *t = &l->told[i];
		if (!s->have_master ||
		    (t->now == s->master_now && !memcmp(t->src, s->master.src, 16)))
			continue;
		l->ops->instance_line(l->out, s);
		memcpy(t->src, s->master.src, 16);
		t->now = s->master_now;
	}
}

void vw_lines_tick(struct vw_lines *l, const struct vw_live_status *st)
{
	const struct vw_table *t = st->table;
	struct vw_shadow next;

	/* rebuilt from the table at every tick: rows the table evicted
	 * leave it too, so a flood of sources does not grow it */
	if (vw_shadow_init(&next, sizeof(struct vw_obs_key), sizeof(struct seen_row), t->n_rows)) {
		for (size_t i = 0; i < t->n_rows; i++)
			check_row(l, t, &t->rows[i], &l->seen);
	} else {
		for (size_t i = 0; i < t->n_rows; i++)
			check_row(l, t, &t->rows[i], &next);
		vw_shadow_free(&l->seen);
		l->seen = next;
	}
	if (l->suppressed)
		l->ops->suppressed_line(l->out, l->suppressed, "advertisers");
	l->suppressed = 0;
	l->budget = VW_LINES_NEW_PER_TICK;
	claims(l, t);
	instances(l, st->det);
	findings(l, &st->det->findings, st->now_ns);
	fflush(l->out);
}
