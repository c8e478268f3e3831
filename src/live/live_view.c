// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live_view.c - the live screen, refreshed in place at every tick, like
 * top: what is captured and lost, the advertisers with their advert
 * rates, the open findings.  The alternate screen keeps the user's
 * scrollback; the closing report goes to the normal screen after it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/addr_fmt.h"
#include "live/live_shadow.h"
#include "live/live_view.h"
#include "report/report.h"
#include "util/text_table.h"

#define ALT_SCREEN_ON "\033[?1049h\033[?25l"
#define ALT_SCREEN_OFF "\033[?25h\033[?1049l"
#define HOME_CLEAR "\033[H\033[2J"

struct vw_screen {
	FILE *term; /* the terminal */
	FILE *out;  /* where a draw is composed before it is fitted to the terminal */
	struct vw_shadow prev; /* key -> packets at the previous draw: the rates */
	uint64_t prev_ns;
	uint64_t prev_frames, prev_adverts;
};

struct vw_screen *vw_screen_new(FILE *out)
{
	struct vw_screen *s = calloc(1, sizeof(*s));

	if (!s || vw_shadow_init(&s->prev, sizeof(struct vw_obs_key), sizeof(uint64_t), 64)) {
		free(s);
		return NULL;
	}
	s->term = out;
	fputs(ALT_SCREEN_ON, out);
	fflush(out);
	return s;
}

void vw_screen_free(struct vw_screen *s)
{
	if (!s)
		return;
	fputs(ALT_SCREEN_OFF, s->term);
	fflush(s->term);
	vw_shadow_free(&s->prev);
	free(s);
}

static void screen_size(FILE *term, unsigned *rows, unsigned *cols)
{
	struct winsize ws;

	if (ioctl(fileno(term), TIOCGWINSZ, &ws))
		ws.ws_row = ws.ws_col = 0;
	*rows = ws.ws_row >= 10 ? ws.ws_row : 24;
	*cols = ws.ws_col >= 20 ? ws.ws_col : 80;
}

/*
 * The composed draw on the terminal, each line cut at the width and at
 * most rows - 1 lines, as top does: a wrapped line, or a newline on the
 * last row, would scroll the header out of sight.  Columns are counted
 * per UTF-8 character (interface names may hold some), two from U+1100.
 */
static void put_fitted(FILE *term, const char *buf, size_t len, unsigned rows, unsigned cols)
{
	const char *p = buf, *end = buf + len;

	for (unsigned line = 0; p < end && line + 1 < rows; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *q = p;

		for (unsigned col = 0; q < eol;) {
			unsigned char c = (unsigned char)*q;
			/* from U+1100 on, count two columns: East Asian wide
			 * characters take two, and a line cut early never wraps */
			unsigned w = c >= 0xe1 ? 2 : 1;
			if (col + w > cols)
				break;
			col += w;
			do
				q++;
			while (q < eol && ((unsigned char)*q & 0xc0) == 0x80);
		}
		fwrite(p, 1, (size_t)(q - p), term);
		fputc('\n', term);
		p = nl ? nl + 1 : end;
	}
}

static double per_s(uint64_t now, uint64_t before, uint64_t dt_ns)
{
	return dt_ns && now >= before ? (double)(now - before) * 1e9 / (double)dt_ns : 0;
}

static void header(struct vw_screen *s, const struct vw_live_status *st, uint64_t dt)
{
	const struct vw_table *t = st->table;
	const struct vw_live_counters *c = &st->c;
	char now[VW_TIME_STRLEN];

	fprintf(s->out, "vrrpwatch  %s [%s]  %s UTC  up %" PRIu64 " s   Ctrl-C: stop and report\n",
		st->ifaces, st->backend, vw_clock_str(st->now_ns, now, sizeof(now)),
		(st->now_ns - st->start_ns) / 1000000000u);
	fprintf(s->out, "frames %" PRIu64 " (%.0f/s)  adverts %" PRIu64 " (%.1f/s)  rejected %" PRIu64
			"  advertisers %zu",
		c->frames, per_s(c->frames, s->prev_frames, dt), t->vrrp_frames,
		per_s(t->vrrp_frames, s->prev_adverts, dt), t->rejected, t->n_rows);
	if (c->drops)
		fprintf(s->out, "  DROPPED %" PRIu64, c->drops);
	if (c->evictions || t->evictions)
		fprintf(s->out, "  evicted %" PRIu64, c->evictions + t->evictions);
	if (c->events_lost)
		fprintf(s->out, "  events lost %" PRIu64, c->events_lost);
	if (c->map_reads_short)
		fprintf(s->out, "  map reads short %" PRIu64, c->map_reads_short);
	fprintf(s->out, "\n%s\n\n", st->config_path ? st->config_path : "no keepalived.conf: "
									  "wire-only checks");
}

static void advertiser(struct vw_screen *s, const struct vw_table *t, const struct vw_row *r,
		       uint64_t dt, struct text_table *tt)
{
	const struct vw_obs_key *k = &r->key;
	const uint64_t *before = vw_shadow_find(&s->prev, k);
	char prio[8], intv[16], ver[4], pkts[24], rate[16], last[VW_TIME_STRLEN], addrs[256];
	struct vw_key_text kt;
	const char *cells[VW_KEY_CELLS + 7];

	vw_report_key_cells(t, k, &kt, cells);
	snprintf(prio, sizeof(prio), "%u", r->val.priority);
	snprintf(ver, sizeof(ver), "v%u", r->val.version);
	snprintf(pkts, sizeof(pkts), "%" PRIu64, (uint64_t)r->val.packets);
	snprintf(rate, sizeof(rate), "%.1f/s", per_s(r->val.packets, before ? *before : 0, dt));
	vw_row_addresses_str(r, 3, addrs, sizeof(addrs));
	const char *rest[] = {
		prio,
		vw_interval_str(r->val.interval_cs, intv, sizeof(intv)),
		ver,
		pkts,
		before ? rate : "-",
		vw_clock_str(r->val.last_ns, last, sizeof(last)),
		addrs,
	};
	_Static_assert(sizeof(rest) / sizeof(rest[0]) == 7, "cells");
	memcpy(cells + VW_KEY_CELLS, rest, sizeof(rest));
	text_table_row(tt, cells);
}

/*
 * Advertisers in report order, in `room` lines at most: the rows, or as
 * many as fit beside a line counting the rest.
 */
static unsigned advertisers(struct vw_screen *s, const struct vw_table *t, uint64_t dt,
			    unsigned room)
{
	static const char *const head[] = {"IFACE", "VLAN", "VRID", "AF",   "DIR",
					   "SOURCE", "MAC", "PRIO", "INT", "VER",
					   "ADVERTS", "RATE", "LAST", "ADDRESSES"};
	struct vw_row **rows = vw_table_sorted(t);
	struct text_table tt;
	size_t shown = t->n_rows <= room ? t->n_rows : room ? room - 1 : 0;

	if (!rows)
		return 0;
	text_table_init(&tt, sizeof(head) / sizeof(head[0]));
	text_table_row(&tt, head);
	for (size_t i = 0; i < shown; i++)
		advertiser(s, t, rows[i], dt, &tt);
	text_table_print(&tt, s->out, "");
	text_table_free(&tt);
	if (shown < t->n_rows)
		fprintf(s->out, "... %zu more advertisers\n", t->n_rows - shown);
	free(rows);
	return (unsigned)shown + 1 + (shown < t->n_rows);
}

static void findings(struct vw_screen *s, const struct vw_findings *fs, unsigned room)
{
	const struct vw_finding **v = vw_findings_sorted(fs);
	unsigned open = 0, closed = 0, lines = 0;

	for (size_t i = 0; i < fs->n; i++)
		fs->v[i].open ? open++ : closed++;
	fprintf(s->out, "\nFindings: %u open, %u closed or past\n", open, closed);
	for (size_t i = 0; v && i < fs->n && lines + 3 <= room; i++) {
		if (!v[i]->open)
			continue;
		vw_report_finding_text(s->out, v[i]);
		lines += 3;
	}
	free(v);
}

/* Keep this draw's counts for the next draw's rates. */
static void remember(struct vw_screen *s, const struct vw_live_status *st)
{
	const struct vw_table *t = st->table;
	struct vw_shadow next;

	if (vw_shadow_init(&next, sizeof(struct vw_obs_key), sizeof(uint64_t), t->n_rows))
		return;
	for (size_t i = 0; i < t->n_rows; i++)
		vw_shadow_put(&next, &t->rows[i].key, &t->rows[i].val.packets);
	vw_shadow_free(&s->prev);
	s->prev = next;
	s->prev_ns = st->now_ns;
	s->prev_frames = st->c.frames;
	s->prev_adverts = t->vrrp_frames;
}

void vw_screen_draw(struct vw_screen *s, const struct vw_live_status *st)
{
	uint64_t dt = s->prev_ns ? st->now_ns - s->prev_ns : 0;
	unsigned rows, cols, open = 0;
	char *buf = NULL;
	size_t len = 0;

	screen_size(s->term, &rows, &cols);
	if (!(s->out = open_memstream(&buf, &len)))
		return; /* out of memory: the next tick tries again */

	for (size_t i = 0; i < st->det->findings.n; i++)
		open += st->det->findings.v[i].open;
	/* findings first in the budget: they are what the operator came for */
	unsigned for_findings = open * 3 < rows / 2 ? open * 3 : rows / 2;
	/*
	 * 4 header lines, the table's head, 2 lines before the findings, and
	 * the last row left empty: a newline there would scroll the screen
	 * and push the header out of sight.
	 */
	unsigned room = rows > 8 + for_findings ? rows - 8 - for_findings : 1;

	header(s, st, dt);
	/* who is master of each local instance: the first question */
	for (size_t i = 0; i < st->det->n_instances; i++) {
		unsigned n = vw_report_instance_text(s->out, &st->det->instances[i], "");
		room = room > n ? room - n : 1;
	}
	advertisers(s, st->table, dt, room);
	findings(s, &st->det->findings, for_findings);
	fclose(s->out);
	s->out = NULL;
	fputs(HOME_CLEAR, s->term);
	put_fitted(s->term, buf, len, rows, cols);
	fflush(s->term);
	free(buf);
	remember(s, st);
}
