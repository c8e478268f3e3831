// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of live_view.c, the live screen (issue 14, item 3), drawn
 * into memory at a fixed size:
 * - the open findings come first, above the advertisers, each whole: the
 *   "what to change" line is wrapped to the width, not cut;
 * - an advertiser shows the interval heard between its adverts ("every
 *   5.0s" for a router every 5 s, whatever the tick), "-" before two,
 *   "silent Ns" once it stopped;
 * - who claims the virtual addresses shows below the advertisers, a line
 *   per claimer (kinds and counts, last heard), the rest counted;
 * - no line is wider than the screen, none lands on its last row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "detect/detector.h"
#include "live/live_view.h"
#include "model/obs_table.h"

#define S 1000000000ull
#define T0 (1700000000ull * S)

static const char ADVICE[] =
	"set the same advert_int on every node (VRRPv2 receivers discard adverts with another "
	"interval; VRRPv3 backups adopt the master's)";

struct fixture {
	struct vw_table t;
	struct vw_detector det;
	struct vw_screen *screen;
	char *buf;
	size_t len;
	FILE *out;
	uint32_t seg;
};

static void setup(struct fixture *x, unsigned rows, unsigned cols)
{
	struct vw_detector_opts o;
	int seg;

	memset(x, 0, sizeof(*x));
	memset(&o, 0, sizeof(o));
	assert_int_equal(vw_table_init(&x->t, 64), 0);
	assert_int_equal(vw_detector_init(&x->det, &o), 0);
	seg = vw_table_add_segment(&x->t, "eth0", NULL, 1, 1, true);
	assert_true(seg > 0);
	x->seg = (uint32_t)seg;
	x->out = open_memstream(&x->buf, &x->len);
	assert_non_null(x->out);
	x->screen = vw_screen_new(x->out);
	assert_non_null(x->screen);
	vw_screen_set_size(x->screen, rows, cols);
}

static void teardown(struct fixture *x)
{
	vw_screen_free(x->screen);
	fclose(x->out);
	free(x->buf);
	vw_detector_free(&x->det);
	vw_table_free(&x->t);
}

static struct vw_obs_key key(const struct fixture *x, uint8_t vrid, uint8_t last_octet)
{
	struct vw_obs_key k;

	memset(&k, 0, sizeof(k));
	k.ifindex = x->seg;
	k.vrid = vrid;
	k.family = 4;
	k.src[0] = 198, k.src[1] = 18, k.src[2] = 0, k.src[3] = last_octet;
	k.src_mac[0] = 2, k.src_mac[5] = last_octet;
	k.dst[0] = 224, k.dst[3] = 18;
	return k;
}

/* n adverts of k from `from` to `to` (the kernel's increments, as XDP merges them). */
static void adverts(struct fixture *x, const struct vw_obs_key *k, uint64_t n, uint64_t from,
		    uint64_t to, uint16_t interval_cs)
{
	struct vw_obs_val d;

	memset(&d, 0, sizeof(d));
	d.packets = n;
	d.first_ns = from;
	d.last_ns = to;
	d.interval_cs = interval_cs;
	d.priority = 100;
	d.version = 2;
	assert_non_null(vw_table_merge(&x->t, k, &d, NULL, 0));
}

static void raise_finding(struct fixture *x, uint8_t vrid, const char *advice)
{
	struct vw_finding f;

	memset(&f, 0, sizeof(f));
	f.kind = VW_K_INTERVAL_MISMATCH;
	f.severity = VW_SEV_CRITICAL;
	f.open = true;
	f.d.segment = x->seg;
	f.d.family = 4;
	f.d.vrid = vrid;
	snprintf(f.interface, sizeof(f.interface), "eth0");
	snprintf(f.message, sizeof(f.message),
		 "the routers of VRID %u on eth0 (224.0.0.18) use different advert intervals: "
		 "198.18.0.1 every 5s and 198.18.0.2 every 1s", vrid);
	snprintf(f.advice, sizeof(f.advice), "%s", advice);
	f.first_ns = f.last_ns = T0;
	assert_int_equal(vw_findings_raise(&x->det.findings, &f), 0);
}

/* One draw at now; returns it, from after its "home, clear". */
static const char *draw(struct fixture *x, uint64_t now)
{
	struct vw_live_status st;
	long from = (long)x->len;

	memset(&st, 0, sizeof(st));
	st.table = &x->t;
	st.det = &x->det;
	st.backend = "xdp";
	st.ifaces = "eth0";
	st.start_ns = T0;
	st.now_ns = now;
	vw_screen_draw(x->screen, &st);
	fflush(x->out);
	const char *s = strstr(x->buf + from, "\033[H\033[2J");
	assert_non_null(s);
	return s + 7;
}

/* The cell after `source` on its row that starts with `word`. */
static void cell(const char *screen, const char *source, const char *word, char *buf, size_t len)
{
	const char *row = strstr(screen, source), *eol, *c;

	buf[0] = 0;
	if (!row)
		return;
	eol = strchr(row, '\n');
	c = strstr(row, word);
	if (!c || (eol && c > eol))
		return;
	snprintf(buf, len, "%.*s", (int)strcspn(c, " \n"), c);
	if (!strcmp(word, "every") || !strcmp(word, "silent")) /* two words */
		snprintf(buf, len, "%.*s", (int)(strcspn(c + strlen(word) + 1, " \n") +
						 strlen(word) + 1), c);
}

static void check_fits(const char *screen, unsigned rows, unsigned cols)
{
	unsigned lines = 0;

	for (const char *p = screen; *p; lines++) {
		size_t n = strcspn(p, "\n");
		assert_true(n <= cols); /* ASCII here: a byte is a column */
		p += n + (p[n] == '\n');
	}
	assert_true(lines <= rows - 1);
}

static void test_heard_interval(void **state)
{
	struct fixture x;
	struct vw_obs_key slow, fast;
	char c[32];
	const char *s;

	(void)state;
	setup(&x, 24, 160);
	slow = key(&x, 10, 1);
	fast = key(&x, 11, 2);
	/* a router every 5 s (advert_int 5), one every 100 ms (advert_int 1) */
	adverts(&x, &slow, 1, T0, T0, 500);
	adverts(&x, &fast, 10, T0, T0 + 900000000ull, 100);
	s = draw(&x, T0 + 1 * S);
	cell(s, "198.18.0.1 ", "-", c, sizeof(c));
	assert_string_equal(c, "-"); /* one advert: no interval yet */
	cell(s, "198.18.0.2 ", "every", c, sizeof(c));
	assert_string_equal(c, "every 0.1s");
	/* ticks with nothing from the slow one: what was heard stays */
	for (uint64_t t = 2; t <= 5; t++) {
		adverts(&x, &fast, 10, T0 + (t - 1) * S, T0 + (t - 1) * S + 900000000ull, 100);
		s = draw(&x, T0 + t * S);
	}
	adverts(&x, &slow, 1, T0 + 5 * S, T0 + 5 * S, 500);
	s = draw(&x, T0 + 5 * S + 100000000ull);
	cell(s, "198.18.0.1 ", "every", c, sizeof(c));
	assert_string_equal(c, "every 5.0s");
	for (uint64_t t = 6; t <= 9; t++)
		s = draw(&x, T0 + t * S);
	cell(s, "198.18.0.1 ", "every", c, sizeof(c));
	assert_string_equal(c, "every 5.0s"); /* not 0.0/s between adverts */
	/* the old column is gone */
	assert_non_null(strstr(s, "HEARD"));
	assert_null(strstr(s, "/s  "));
	/* nothing from either for a minute: silent, whatever was heard before */
	s = draw(&x, T0 + 70 * S);
	cell(s, "198.18.0.1 ", "silent", c, sizeof(c));
	assert_string_equal(c, "silent 65s");
	cell(s, "198.18.0.2 ", "silent", c, sizeof(c));
	assert_string_equal(c, "silent 65s");
	check_fits(s, 24, 160);
	teardown(&x);
}

/* Joined back, the wrapped lines of a finding hold its advice whole. */
static void test_findings_first_wrapped(void **state)
{
	struct fixture x;
	struct vw_obs_key k;
	const unsigned rows = 20, cols = 60;
	char joined[4096] = "";
	const char *s;

	(void)state;
	setup(&x, rows, cols);
	for (uint8_t i = 1; i <= 8; i++) {
		k = key(&x, 10, i);
		adverts(&x, &k, 3, T0, T0 + 2 * S, 100);
	}
	vw_findings_begin_tick(&x.det.findings);
	raise_finding(&x, 10, ADVICE);
	vw_findings_end_tick(&x.det.findings);
	s = draw(&x, T0 + 3 * S);
	check_fits(s, rows, cols);

	const char *findings = strstr(s, "Findings: 1 open"), *table = strstr(s, "IFACE");
	assert_non_null(findings);
	assert_non_null(table);
	assert_true(findings < table); /* findings first */
	/* the advice: "    -> " then continued lines under its text */
	const char *a = strstr(findings, "    -> ");
	assert_non_null(a);
	assert_true(a < table);
	for (const char *p = a + 7; p < table;) {
		size_t n = strcspn(p, "\n");
		if (!n)
			break;
		if (joined[0])
			strcat(joined, " ");
		strncat(joined, p, n);
		p += n + 1;
		if (strncmp(p, "       ", 7)) /* not a continued line */
			break;
		p += 7;
	}
	assert_string_equal(joined, ADVICE);
	/* the advertisers that do not fit are counted */
	assert_non_null(strstr(table, "more advertisers"));
	teardown(&x);
}

/* More findings than fit: whole ones, and a line counting the rest. */
static void test_findings_counted(void **state)
{
	struct fixture x;
	const unsigned rows = 16, cols = 80;
	const char *s;

	(void)state;
	setup(&x, rows, cols);
	vw_findings_begin_tick(&x.det.findings);
	for (uint8_t v = 1; v <= 6; v++)
		raise_finding(&x, v, ADVICE);
	vw_findings_end_tick(&x.det.findings);
	s = draw(&x, T0 + S);
	check_fits(s, rows, cols);
	assert_non_null(strstr(s, "Findings: 6 open"));
	const char *more = strstr(s, "... ");
	unsigned n = 0;
	assert_non_null(more);
	assert_int_equal(sscanf(more, "... %u more open finding", &n), 1);
	unsigned shown = 0;
	for (const char *p = s; (p = strstr(p, "CRITICAL ")); p++)
		shown++;
	assert_true(shown >= 1);
	assert_int_equal(shown + n, 6);
	teardown(&x);
}

/* A claim row of 198.18.0.<last> by MAC ..:<mac> (0: an ask), last heard at `at`. */
static void claim(struct fixture *x, uint8_t last, uint8_t mac, uint8_t kind, uint64_t count,
		  uint64_t at)
{
	struct vw_claim_key k;

	memset(&k, 0, sizeof(k));
	k.ifindex = x->seg;
	k.family = 4;
	k.addr[0] = 198, k.addr[1] = 18, k.addr[3] = last;
	if (mac)
		k.mac[0] = 2, k.mac[5] = mac;
	k.kind = kind;
	assert_int_equal(vw_vips_merge(&x->t.vips, &k, count, T0, at), 0);
}

/* The row of the screen that holds `what`, up to its end. */
static void row_of(const char *screen, const char *what, char *buf, size_t len)
{
	const char *p = strstr(screen, what), *start = p;

	buf[0] = 0;
	if (!p)
		return;
	while (start > screen && start[-1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)strcspn(start, "\n"), start);
}

/* Who claims the virtual addresses, below the advertisers: a line per
 * claimer with its kinds and counts and when it was last heard. */
static void test_claims_beside_advertisers(void **state)
{
	struct fixture x;
	struct vw_obs_key k = {0};
	char row[256];
	const char *s;

	(void)state;
	setup(&x, 24, 120);
	k = key(&x, 10, 1);
	adverts(&x, &k, 3, T0, T0 + 2 * S, 100);
	claim(&x, 100, 1, VW_CLAIM_GARP, 3, T0 + S);
	claim(&x, 100, 1, VW_CLAIM_REPLY, 10, T0 + 2 * S);
	claim(&x, 100, 0x66, VW_CLAIM_GARP, 1, T0 + 2 * S);
	claim(&x, 100, 0, VW_CLAIM_ASK, 5, T0 + 2 * S);
	s = draw(&x, T0 + 3 * S);
	check_fits(s, 24, 120);
	assert_non_null(strstr(s, "advertisers 1  VIP claimers 2\n")); /* the asks are not */
	const char *adv = strstr(s, "ADVERTS"), *vips = strstr(s, "\nIFACE  VLAN  VIP ");
	assert_non_null(adv);
	assert_non_null(vips);
	assert_true(adv < vips); /* below the advertisers */
	row_of(vips, "02:00:00:00:00:01", row, sizeof(row));
	assert_non_null(strstr(row, "eth0 "));
	assert_non_null(strstr(row, "198.18.0.100 "));
	assert_non_null(strstr(row, "3 garp, 10 reply "));
	assert_non_null(strstr(row, "22:13:22.000")); /* the later of the two */
	row_of(vips, "02:00:00:00:00:66", row, sizeof(row));
	assert_non_null(strstr(row, "1 garp "));
	row_of(vips, "asked for", row, sizeof(row));
	assert_non_null(strstr(row, " - "));
	assert_non_null(strstr(row, "5 asked for"));
	teardown(&x);
}

/* More advertisers and claimers than fit: each gets lines, and the rest
 * of each is counted; the header counts the claimers, alone on a screen
 * too small for a row of them. */
static void test_claims_counted(void **state)
{
	struct fixture x;
	const unsigned rows = 20, cols = 100;
	const char *s;
	unsigned n = 0;

	(void)state;
	setup(&x, rows, cols);
	for (uint8_t i = 1; i <= 30; i++) {
		struct vw_obs_key k = key(&x, 10, i);
		adverts(&x, &k, 3, T0, T0 + 2 * S, 100);
	}
	for (uint8_t m = 1; m <= 12; m++)
		claim(&x, 100, m, VW_CLAIM_REPLY, m, T0 + S);
	s = draw(&x, T0 + 3 * S);
	check_fits(s, rows, cols);
	assert_non_null(strstr(s, "more advertisers"));
	const char *vips = strstr(s, "\nIFACE  VLAN  VIP ");
	assert_non_null(vips);
	assert_non_null(strstr(vips, "02:00:00:00:00:01"));
	const char *more = strstr(vips, "... ");
	assert_non_null(more);
	assert_int_equal(sscanf(more, "... %u more claimers of virtual addresses", &n), 1);
	unsigned shown = 0;
	for (const char *p = vips; (p = strstr(p, " reply ")); p++)
		shown++;
	assert_int_equal(shown + n, 12);
	assert_non_null(strstr(s, "  VIP claimers 12\n")); /* the header counts them */
	/* no room for a row of them: the header alone counts them */
	vw_screen_set_size(x.screen, 10, cols);
	s = draw(&x, T0 + 4 * S);
	check_fits(s, 10, cols);
	assert_non_null(strstr(s, "  VIP claimers 12\n"));
	assert_null(strstr(s, "\nIFACE  VLAN  VIP "));
	assert_null(strstr(s, "claimers of virtual addresses"));
	assert_non_null(strstr(s, "more advertisers"));
	/* at every height (from the 10 rows a size is believed at) the table,
	 * when it is drawn, shows a claimer: never its head and the count of
	 * the rest alone */
	for (unsigned h = 10; h <= 24; h++) {
		vw_screen_set_size(x.screen, h, cols);
		s = draw(&x, T0 + (4 + h) * S);
		check_fits(s, h, cols);
		const char *head = strstr(s, "\nIFACE  VLAN  VIP ");
		if (head && !strstr(head, " reply "))
			fail_msg("%u rows: the claims table has no claimer row:\n%s", h, s);
	}
	teardown(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heard_interval),
		cmocka_unit_test(test_findings_first_wrapped),
		cmocka_unit_test(test_findings_counted),
		cmocka_unit_test(test_claims_beside_advertisers),
		cmocka_unit_test(test_claims_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
