// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live_view.c - the live screen, refreshed in place at every tick, like
 * top: what is captured and lost, the open findings first (what is wrong
 * and what to change, wrapped to the width of the terminal), then the
 * advertisers with the advert interval actually heard, and who claims
 * their virtual addresses (ARP, IPv6 neighbour advertisements).  The alternate
 * screen keeps the user's scrollback; the closing report goes to the
 * normal screen after it.
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

/* An advertiser as of the previous draw: the interval heard since. */
struct heard {
	uint64_t packets;
	uint64_t last_ns;
	uint64_t gap_ns; /* the interval last heard, 0: not two adverts yet */
};

struct vw_screen {
	FILE *term; /* the terminal */
	FILE *out;  /* where a draw is composed before it is fitted to the terminal */
	struct vw_shadow prev; /* key -> struct heard at the previous draw */
	uint64_t prev_ns;
	uint64_t prev_frames, prev_adverts;
	unsigned rows, cols; /* vw_screen_set_size; 0: the terminal's */
};

struct vw_screen *vw_screen_new(FILE *out)
{
	struct vw_screen *s = calloc(1, sizeof(*s));

	if (!s || vw_shadow_init(&s->prev, sizeof(struct vw_obs_key), sizeof(struct heard), 64)) {
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

void vw_screen_set_size(struct vw_screen *s, unsigned rows, unsigned cols)
{
	s->rows = rows;
	s->cols = cols;
}

static void screen_size(const struct vw_screen *s, unsigned *rows, unsigned *cols)
{
	struct winsize ws;

	if (s->rows && s->cols)
		ws.ws_row = (unsigned short)s->rows, ws.ws_col = (unsigned short)s->cols;
	else if (ioctl(fileno(s->term), TIOCGWINSZ, &ws))
		ws.ws_row = ws.ws_col = 0;
	*rows = ws.ws_row >= 10 ? ws.ws_row : 24;
	*cols = ws.ws_col >= 20 ? ws.ws_col : 80;
}

/*
 * Columns are counted per UTF-8 character (interface names may hold
 * some): from U+1100 on, two, as East Asian wide characters take two and
 * a line cut early never wraps.
 */
static unsigned char_cols(const char *q)
{
	return (unsigned char)*q >= 0xe1 ? 2 : 1;
}

static const char *next_char(const char *q, const char *end)
{
	do
		q++;
	while (q < end && ((unsigned char)*q & 0xc0) == 0x80);
	return q;
}

/* The end of the longest start of [p, end) that fits in cols columns. */
static const char *fit(const char *p, const char *end, unsigned cols)
{
	for (unsigned col = 0; p < end && col + char_cols(p) <= cols;) {
		col += char_cols(p);
		p = next_char(p, end);
	}
	return p;
}

/*
 * The composed draw on the terminal, each line cut at the width and at
 * most rows - 1 lines, as top does: a wrapped line, or a newline on the
 * last row, would scroll the header out of sight.  (What must be read
 * whole, the findings, is wrapped before: wrap_lines.)
 */
static void put_fitted(FILE *term, const char *buf, size_t len, unsigned rows, unsigned cols)
{
	const char *p = buf, *end = buf + len;

	for (unsigned line = 0; p < end && line + 1 < rows; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		fwrite(p, 1, (size_t)(fit(p, eol, cols) - p), term);
		fputc('\n', term);
		p = nl ? nl + 1 : end;
	}
}

/*
 * Text of one or more lines, each wrapped at spaces to cols columns; a
 * continued line starts under the text of its first line: after its
 * leading spaces and a "-> ", or, in a line that starts with a word,
 * after that word ("CRITICAL ", "WARNING  " of a finding's first line).
 * Returns the lines written.
 */
static unsigned wrap_lines(FILE *out, const char *text, unsigned cols)
{
	unsigned lines = 0;

	for (const char *p = text; *p;) {
		const char *eol = p + strcspn(p, "\n");
		unsigned indent = (unsigned)strspn(p, " ");

		if (!strncmp(p + indent, "-> ", 3))
			indent += 3;
		else if (!indent) {
			indent = (unsigned)strcspn(p, " \n");
			indent += (unsigned)strspn(p + indent, " ");
		}
		if (indent > cols / 2)
			indent = 0;
		for (bool first = true; first || p < eol; first = false) {
			unsigned avail = first ? cols : cols - indent;
			const char *q = fit(p, eol, avail), *cut = q;

			if (q < eol) { /* break at the last space that leaves some text */
				const char *sp = q;
				while (sp > p && sp[-1] != ' ' && *sp != ' ')
					sp--;
				while (sp > p && sp[-1] == ' ')
					sp--;
				if (sp > p + (first ? indent : 0))
					cut = sp;
				else if (q == p)
					cut = next_char(p, eol); /* not even one character fits */
			}
			fprintf(out, "%*s%.*s\n", first ? 0 : (int)indent, "", (int)(cut - p), p);
			lines++;
			p = cut;
			while (p < eol && *p == ' ')
				p++;
		}
		p = *eol ? eol + 1 : eol;
	}
	return lines;
}

static double per_s(uint64_t now, uint64_t before, uint64_t dt_ns)
{
	return dt_ns && now >= before ? (double)(now - before) * 1e9 / (double)dt_ns : 0;
}

/* claimers: MACs claiming watched addresses, per interface, VLANs and address */
static void header(struct vw_screen *s, const struct vw_live_status *st, uint64_t dt,
		   size_t claimers)
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
	if (claimers)
		fprintf(s->out, "  VIP claimers %zu", claimers);
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

/*
 * The interval between the adverts heard since the previous draw (their
 * mean, when several came), else the one heard before.  A row new to the
 * screen starts from its whole history.  0: not two adverts yet.
 */
static struct heard heard_now(const struct vw_row *r, const struct heard *before)
{
	const struct vw_obs_val *v = &r->val;
	struct heard h = {.packets = v->packets, .last_ns = v->last_ns};

	if (before && v->packets > before->packets && before->packets &&
	    v->last_ns > before->last_ns)
		h.gap_ns = (v->last_ns - before->last_ns) / (v->packets - before->packets);
	else if (before)
		h.gap_ns = before->gap_ns;
	else if (v->packets > 1 && v->last_ns > v->first_ns)
		h.gap_ns = (v->last_ns - v->first_ns) / (v->packets - 1);
	return h;
}

/*
 * "every 5.0s", "every 50ms": the interval heard, whatever the tick (a
 * router every 5 s is not 0.2/s, nor 0 or 1 per tick); "silent 12s" once
 * nothing came for three intervals (heard and advertised); "-" before two
 * adverts.
 */
static void heard_str(const struct heard *h, const struct vw_row *r, uint64_t now_ns, char *buf,
		      size_t len)
{
	uint64_t expected = (uint64_t)r->val.interval_cs * 10000000u;
	uint64_t quiet = now_ns > h->last_ns ? now_ns - h->last_ns : 0;

	if (h->gap_ns > expected)
		expected = h->gap_ns;
	if (h->last_ns && expected && quiet > 3 * expected && quiet >= 2000000000u)
		snprintf(buf, len, "silent %" PRIu64 "s", quiet / 1000000000u);
	else if (!h->gap_ns)
		snprintf(buf, len, "-");
	else if (h->gap_ns >= 9950000000u) /* 10 s and up, in whole seconds */
		snprintf(buf, len, "every %.0fs", (double)h->gap_ns / 1e9);
	else if (h->gap_ns >= 95000000u)
		snprintf(buf, len, "every %.1fs", (double)h->gap_ns / 1e9);
	else
		snprintf(buf, len, "every %.0fms", (double)h->gap_ns / 1e6);
}

static void advertiser(struct vw_screen *s, const struct vw_table *t, const struct vw_row *r,
		       uint64_t now_ns, struct text_table *tt)
{
	const struct vw_obs_key *k = &r->key;
	struct heard h = heard_now(r, vw_shadow_find(&s->prev, k));
	char prio[8], intv[16], ver[4], pkts[24], heard[32], last[VW_TIME_STRLEN], addrs[256];
	struct vw_key_text kt;
	const char *cells[VW_KEY_CELLS + 7];

	vw_report_key_cells(t, k, &kt, cells);
	snprintf(prio, sizeof(prio), "%u", r->val.priority);
	snprintf(ver, sizeof(ver), "v%u", r->val.version);
	snprintf(pkts, sizeof(pkts), "%" PRIu64, (uint64_t)r->val.packets);
	heard_str(&h, r, now_ns, heard, sizeof(heard));
	vw_row_addresses_str(r, 3, addrs, sizeof(addrs));
	const char *rest[] = {
		prio,
		vw_interval_str(r->val.interval_cs, intv, sizeof(intv)),
		ver,
		pkts,
		heard,
		vw_clock_str(r->val.last_ns, last, sizeof(last)),
		addrs,
	};
	_Static_assert(sizeof(rest) / sizeof(rest[0]) == 7, "cells");
	memcpy(cells + VW_KEY_CELLS, rest, sizeof(rest));
	text_table_row(tt, cells);
}

/*
 * Advertisers in report order under the table's head, in `room` lines at
 * most: the rows, or as many as fit beside a line counting the rest.
 */
static void advertisers(struct vw_screen *s, const struct vw_table *t, uint64_t now_ns,
			    unsigned room)
{
	/* INT: the interval advertised; HEARD: the interval heard */
	static const char *const head[] = {"IFACE", "VLAN", "VRID", "AF",   "DIR",
					   "SOURCE", "MAC", "PRIO", "INT", "VER",
					   "ADVERTS", "HEARD", "LAST", "ADDRESSES"};
	struct vw_row **rows = vw_table_sorted(t);
	struct text_table tt;
	size_t shown = t->n_rows <= room ? t->n_rows : room ? room - 1 : 0;

	if (!rows)
		return;
	text_table_init(&tt, sizeof(head) / sizeof(head[0]));
	text_table_row(&tt, head);
	for (size_t i = 0; i < shown; i++)
		advertiser(s, t, rows[i], now_ns, &tt);
	text_table_print(&tt, s->out, "");
	text_table_free(&tt);
	if (shown < t->n_rows)
		fprintf(s->out, "... %zu more advertisers\n", t->n_rows - shown);
	free(rows);
}

/*
 * Who holds the virtual addresses, below the advertisers: a line per
 * claimer (interface, VLANs, address, MAC) with its kinds and counts and
 * when it was last heard, in `room` lines (the blank line and the head
 * included): as many as fit beside a line counting the rest.
 */
static void claims(struct vw_screen *s, const struct vw_table *t, struct vw_claim_row **rows,
		   size_t lines, unsigned room)
{
	static const char *const head[] = {"IFACE", "VLAN", "VIP", "MAC", "CLAIMS", "LAST"};
	size_t shown = lines + 2 <= room ? lines : room > 3 ? room - 3 : 0;
	struct text_table tt;

	if (!lines || room < 3)
		return; /* the header counts them */
	text_table_init(&tt, sizeof(head) / sizeof(head[0]));
	text_table_row(&tt, head);
	for (size_t i = 0, n = 0; n < shown; n++) {
		struct vw_vip_line l;
		struct vw_vip_text vt;
		char last[VW_TIME_STRLEN];
		const char *cells[VW_VIP_CELLS + 1];
		i = vw_report_vip_line(rows, t->vips.n_rows, i, &l);
		vw_report_vip_cells(t, &l, &vt, cells);
		cells[VW_VIP_CELLS] = vw_clock_str(l.last_ns, last, sizeof(last));
		text_table_row(&tt, cells);
	}
	fputc('\n', s->out);
	text_table_print(&tt, s->out, "");
	text_table_free(&tt);
	if (shown < lines)
		fprintf(s->out, "... %zu more claimers of virtual addresses\n", lines - shown);
}

/*
 * The claims' share of the `room` lines below the findings: all they need
 * when the advertisers fit beside them; else a third, or what the
 * advertisers leave if more; none when that is too little for a row (a
 * blank line, the head, a row, and the count of the rest if there are
 * more): the header counts the claimers.
 */
static unsigned claims_room(const struct vw_table *t, size_t claim_lines, unsigned room)
{
	size_t adv = t->n_rows + 1, need = claim_lines ? claim_lines + 2 : 0;

	if (adv + need <= room)
		return (unsigned)need;
	if (need > room / 3)
		need = room / 3;
	if (adv + need < room)
		need = room - adv;
	/* a blank line, the head, a row; and the line counting the rest when
	 * one row cannot show them all */
	return need < (claim_lines > 1 ? 4u : 3u) ? 0 : (unsigned)need;
}

/*
 * The open findings, most important first, each whole (what is wrong and
 * what to change, wrapped, never cut) in `room` lines; at least the
 * first one, whatever its length, and a line counting those left out.
 * Returns the lines written.
 */
static unsigned findings(struct vw_screen *s, const struct vw_findings *fs, unsigned room,
			 unsigned cols)
{
	const struct vw_finding **v = vw_findings_sorted(fs);
	unsigned open = 0, closed = 0, lines = 1, shown = 0;

	for (size_t i = 0; i < fs->n; i++)
		fs->v[i].open ? open++ : closed++;
	fprintf(s->out, "Findings: %u open, %u closed or past\n", open, closed);
	for (size_t i = 0; v && i < fs->n; i++) {
		char *text = NULL, *wrapped = NULL;
		size_t tlen = 0, wlen = 0;
		FILE *f;

		if (!v[i]->open)
			continue;
		if (!(f = open_memstream(&text, &tlen)))
			break;
		vw_report_finding_text(f, v[i]);
		fclose(f);
		unsigned n = 0;
		if ((f = open_memstream(&wrapped, &wlen))) {
			n = wrap_lines(f, text, cols);
			fclose(f);
		}
		/* room for it, and for the line counting the rest when some are left */
		bool fits = lines + n + (shown + 1 < open) <= room;
		if (wrapped && (fits || !shown)) {
			fputs(wrapped, s->out);
			lines += n;
			shown++;
		}
		free(text);
		free(wrapped);
		if (!fits)
			break;
	}
	if (shown < open) {
		fprintf(s->out, "... %u more open finding%s (the closing report has them all)\n",
			open - shown, open - shown == 1 ? "" : "s");
		lines++;
	}
	free(v);
	return lines;
}

/* Keep this draw's counts for the next draw's rates. */
static void remember(struct vw_screen *s, const struct vw_live_status *st)
{
	const struct vw_table *t = st->table;
	struct vw_shadow next;

	if (vw_shadow_init(&next, sizeof(struct vw_obs_key), sizeof(struct heard), t->n_rows))
		return;
	for (size_t i = 0; i < t->n_rows; i++) {
		const struct vw_row *r = &t->rows[i];
		struct heard h = heard_now(r, vw_shadow_find(&s->prev, &r->key));
		vw_shadow_put(&next, &r->key, &h);
	}
	vw_shadow_free(&s->prev);
	s->prev = next;
	s->prev_ns = st->now_ns;
	s->prev_frames = st->c.frames;
	s->prev_adverts = t->vrrp_frames;
}

void vw_screen_draw(struct vw_screen *s, const struct vw_live_status *st)
{
	uint64_t dt = s->prev_ns ? st->now_ns - s->prev_ns : 0;
	unsigned rows, cols;
	char *buf = NULL;
	size_t len = 0;

	screen_size(s, &rows, &cols);
	if (!(s->out = open_memstream(&buf, &len)))
		return; /* out of memory: the next tick tries again */
	/* who claims the virtual addresses: the header counts them, a table shows them */
	const struct vw_vip_claims *v = &st->table->vips;
	struct vw_claim_row **claim_rows = vw_vips_sorted(v);
	size_t claimers = 0;
	size_t claim_lines = claim_rows ? vw_report_vip_lines(claim_rows, v->n_rows, &claimers) : 0;

	/*
	 * Below the 4 header lines, and above the last row (left empty: a
	 * newline there would scroll the header out of sight): the findings
	 * first, in two thirds of the room at most, as they are what the
	 * operator came for; then a blank line, who is master of each local
	 * instance, and the advertisers and the claims in what is left.
	 */
	unsigned room = rows > 5 ? rows - 5 : 1;

	header(s, st, dt, claimers);
	unsigned n = findings(s, &st->det->findings, room * 2 / 3 ? room * 2 / 3 : 1, cols);
	fputc('\n', s->out);
	room = room > n + 1 ? room - n - 1 : 0;
	for (size_t i = 0; i < st->det->n_instances; i++) {
		n = vw_report_instance_text(s->out, &st->det->instances[i], "");
		room = room > n ? room - n : 0;
	}
	/* the table's head, then its rows; the claims below them */
	unsigned croom = claims_room(st->table, claim_lines, room);
	room -= croom;
	advertisers(s, st->table, st->now_ns, room > 1 ? room - 1 : 0);
	claims(s, st->table, claim_rows, claim_lines, croom);
	free(claim_rows);
	fclose(s->out);
	s->out = NULL;
	fputs(HOME_CLEAR, s->term);
	put_fitted(s->term, buf, len, rows, cols);
	fflush(s->term);
	free(buf);
	remember(s, st);
}
