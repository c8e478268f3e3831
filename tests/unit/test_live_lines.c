// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of live_lines.c: a live --json finding line says which news it
 * is ("event": "opened" | "closed" | "event"), so that a consumer of the
 * line stream can tell a finding opening from it closing; the text lines
 * say the same in words.  The offline record has no "event" field.
 * Past the findings cap, a new finding that takes a forgotten one's place
 * is news of its own, and the forgotten one, if open, is "dropped".
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
#include "report/output.h"
#include "report/report.h"

struct fixture {
	struct vw_table t;
	struct vw_detector det;
	char *buf;
	size_t len;
	FILE *out;
	struct vw_lines *lines;
};

static struct vw_finding finding(enum vw_kind kind, bool event, uint8_t vrid)
{
	struct vw_finding f;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.severity = event ? VW_SEV_INFO : VW_SEV_CRITICAL;
	f.event = event;
	f.d.segment = 1;
	f.d.family = 4;
	f.d.vrid = vrid;
	snprintf(f.d.receivers, sizeof(f.d.receivers), "224.0.0.18");
	snprintf(f.interface, sizeof(f.interface), "eth0");
	snprintf(f.message, sizeof(f.message), "what is wrong");
	snprintf(f.advice, sizeof(f.advice), "what to change");
	f.first_ns = f.last_ns = 1000000000ull;
	return f;
}

static void setup_fixture_max(struct fixture *x, bool json, size_t max)
{
	struct vw_detector_opts o;

	memset(x, 0, sizeof(*x));
	memset(&o, 0, sizeof(o));
	o.max_findings = max;
	assert_int_equal(vw_table_init(&x->t, 16), 0);
	assert_int_equal(vw_detector_init(&x->det, &o), 0);
	x->out = open_memstream(&x->buf, &x->len);
	assert_non_null(x->out);
	x->lines = vw_lines_new(x->out, vw_output_ops(json ? VW_OUT_JSON : VW_OUT_TEXT));
	assert_non_null(x->lines);
}

static void setup_fixture(struct fixture *x, bool json)
{
	setup_fixture_max(x, json, 0);
}

static void teardown_fixture(struct fixture *x)
{
	vw_lines_free(x->lines);
	fclose(x->out);
	free(x->buf);
	vw_detector_free(&x->det);
	vw_table_free(&x->t);
}

/* One tick: raise `n` findings, then let the lines speak; returns their output. */
static const char *tick(struct fixture *x, const struct vw_finding *fs, size_t n, long *from)
{
	struct vw_live_status st;

	vw_findings_begin_tick(&x->det.findings);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(vw_findings_raise(&x->det.findings, &fs[i]), 0);
	vw_findings_end_tick(&x->det.findings);
	memset(&st, 0, sizeof(st));
	st.table = &x->t;
	st.det = &x->det;
	st.now_ns = 2000000000ull;
	*from = (long)x->len;
	vw_lines_tick(x->lines, &st);
	fflush(x->out);
	return x->buf ? x->buf + *from : "";
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_json_events(void **state)
{
	struct fixture x;
	struct vw_finding both[2] = {finding(VW_K_VRID_COLLISION, false, 51),
				     finding(VW_K_MASTER_CHANGED, true, 52)};
	const char *s;
	long from;

	(void)state;
	setup_fixture(&x, true);

	/* tick 1: the collision opens, the failover happens */
	s = tick(&x, both, 2, &from);
	assert_int_equal(count_lines(s), 2);
	assert_non_null(strstr(s, "{\"type\":\"finding\",\"event\":\"opened\","
				  "\"kind\":\"vrid_collision\","));
	assert_non_null(strstr(s, "{\"type\":\"finding\",\"event\":\"event\","
				  "\"kind\":\"master_changed\","));
	assert_non_null(strstr(s, "\"open\":true"));

	/* tick 2: the collision still holds, no new failover: nothing to say */
	s = tick(&x, both, 1, &from);
	assert_string_equal(s, "");

	/* tick 3: the collision stops holding */
	s = tick(&x, NULL, 0, &from);
	assert_int_equal(count_lines(s), 1);
	assert_non_null(strstr(s, "{\"type\":\"finding\",\"event\":\"closed\","
				  "\"kind\":\"vrid_collision\","));
	assert_non_null(strstr(s, "\"open\":false"));

	/* tick 4: it opens again, and another failover */
	s = tick(&x, both, 2, &from);
	assert_int_equal(count_lines(s), 2);
	assert_non_null(strstr(s, "\"event\":\"opened\",\"kind\":\"vrid_collision\""));
	assert_non_null(strstr(s, "\"event\":\"event\",\"kind\":\"master_changed\""));
	teardown_fixture(&x);
}

static void test_text_events(void **state)
{
	struct fixture x;
	struct vw_finding f = finding(VW_K_VRID_COLLISION, false, 51);
	const char *s;
	long from;

	(void)state;
	setup_fixture(&x, false);
	s = tick(&x, &f, 1, &from);
	assert_non_null(strstr(s, " opened: "));
	s = tick(&x, NULL, 0, &from);
	assert_non_null(strstr(s, " closed: "));
	teardown_fixture(&x);
}

static int count_of(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)); s += strlen(what))
		n++;
	return n;
}

/* Two findings kept: two warnings open; then a critical and a critical
 * event take their places.  Each newcomer says so (it was not shown
 * before), and each warning forgotten while open says it is dropped. */
static void test_json_cap_replacement(void **state)
{
	struct fixture x;
	struct vw_finding warn[2] = {finding(VW_K_VERSION_MISMATCH, false, 51),
				     finding(VW_K_VERSION_MISMATCH, false, 52)};
	struct vw_finding next[2] = {finding(VW_K_VRID_COLLISION, false, 53),
				     finding(VW_K_MASTER_CHANGED, true, 54)};
	const char *s;
	long from;

	(void)state;
	warn[0].severity = warn[1].severity = VW_SEV_WARNING;
	next[1].severity = VW_SEV_CRITICAL;
	setup_fixture_max(&x, true, 2);

	s = tick(&x, warn, 2, &from);
	assert_int_equal(count_lines(s), 2);
	assert_int_equal(count_of(s, "\"event\":\"opened\",\"kind\":\"version_mismatch\""), 2);

	s = tick(&x, next, 2, &from);
	assert_int_equal(x.det.findings.n, 2);
	assert_int_equal(x.det.findings.dropped, 2);
	assert_int_equal(count_lines(s), 4);
	assert_int_equal(count_of(s, "\"event\":\"dropped\",\"kind\":\"version_mismatch\""), 2);
	assert_int_equal(count_of(s, "\"open\":false"), 3); /* the dropped two, the event */
	assert_non_null(strstr(s, "\"event\":\"dropped\",\"kind\":\"version_mismatch\","
				  "\"severity\":\"warning\",\"interface\":\"eth0\",\"vlan\":[],"
				  "\"family\":\"ipv4\",\"vrid\":51,"));
	assert_non_null(strstr(s, "\"vrid\":52,"));
	assert_non_null(strstr(s, "\"event\":\"opened\",\"kind\":\"vrid_collision\""));
	assert_non_null(strstr(s, "\"event\":\"event\",\"kind\":\"master_changed\""));
	/* the dropped lines come first: a consumer closes them before it opens */
	assert_true(strstr(s, "\"dropped\"") < strstr(s, "\"opened\""));

	/* tick 3: nothing new, the collision closes; no word of the dropped */
	s = tick(&x, NULL, 0, &from);
	assert_int_equal(count_lines(s), 1);
	assert_non_null(strstr(s, "\"event\":\"closed\",\"kind\":\"vrid_collision\""));

	/* tick 4: a new event takes the closed collision's place (the older
	 * master_changed, an event, is not open): it is news, nothing dropped */
	next[0] = finding(VW_K_MASTER_CHANGED, true, 55);
	next[0].severity = VW_SEV_CRITICAL;
	next[0].first_ns = next[0].last_ns = 3000000000ull;
	s = tick(&x, next, 1, &from);
	assert_int_equal(count_lines(s), 1);
	assert_non_null(strstr(s, "\"event\":\"event\",\"kind\":\"master_changed\""));
	assert_non_null(strstr(s, "\"vrid\":55,"));
	teardown_fixture(&x);
}

static void test_text_cap_replacement(void **state)
{
	struct fixture x;
	struct vw_finding w = finding(VW_K_VERSION_MISMATCH, false, 51);
	struct vw_finding c = finding(VW_K_VRID_COLLISION, false, 53);
	const char *s;
	long from;

	(void)state;
	w.severity = VW_SEV_WARNING;
	setup_fixture_max(&x, false, 1);
	s = tick(&x, &w, 1, &from);
	assert_non_null(strstr(s, " opened: "));
	s = tick(&x, &c, 1, &from);
	assert_non_null(strstr(s, "00:00:02.000 dropped: WARNING  version_mismatch: eth0 VRID 51 IPv4 (00:00:01.000 to "
				  "00:00:01.000)\n"));
	assert_non_null(strstr(s, " opened: CRITICAL vrid_collision: eth0 VRID 53 IPv4"));
	teardown_fixture(&x);
}

/* More open findings forgotten at one tick than kept for their lines:
 * the others are counted in a note. */
static void test_many_dropped(void **state)
{
	enum { MAX = VW_FINDINGS_FORGOTTEN_KEPT + 6 };
	struct fixture x;
	struct vw_finding *f = calloc(MAX, sizeof(*f));
	const char *s;
	long from;

	(void)state;
	assert_non_null(f);
	setup_fixture_max(&x, true, MAX);
	for (int i = 0; i < MAX; i++) {
		f[i] = finding(VW_K_VERSION_MISMATCH, false, (uint8_t)(1 + i));
		f[i].severity = VW_SEV_WARNING;
	}
	s = tick(&x, f, MAX, &from);
	assert_int_equal(count_of(s, "\"event\":\"opened\""), MAX);
	for (int i = 0; i < MAX; i++)
		f[i].kind = VW_K_VRID_COLLISION; /* critical, another identity */
	for (int i = 0; i < MAX; i++)
		f[i].severity = VW_SEV_CRITICAL;
	s = tick(&x, f, MAX, &from);
	assert_int_equal(count_of(s, "\"event\":\"opened\",\"kind\":\"vrid_collision\""), MAX);
	assert_int_equal(count_of(s, "\"event\":\"dropped\""), VW_FINDINGS_FORGOTTEN_KEPT);
	assert_int_equal(count_of(s, "{\"type\":\"note\",\"message\":\"6 more open findings were "
				     "dropped to make room for more important ones (over the 70 "
				     "findings kept)"), 1);
	teardown_fixture(&x);
	free(f);
}

/* The offline record (the closing report) carries no "event". */
/* Who is master of a local instance: a line when it changes, none while it
 * stays (instance_state records in JSON, the report's lines in text). */
static void test_instance_lines(void **state)
{
	struct fixture x;
	struct vw_instance_state *in;
	const char *s;
	long from;

	(void)state;
	setup_fixture(&x, true);
	in = calloc(1, sizeof(*in));
	assert_non_null(in);
	x.det.instances = in; /* freed by vw_detector_free */
	x.det.n_instances = 1;
	snprintf(in->name, sizeof(in->name), "VI_51");
	snprintf(in->where, sizeof(in->where), "keepalived.conf:9");
	snprintf(in->interface, sizeof(in->interface), "eth0");
	snprintf(in->state, sizeof(in->state), "BACKUP");
	in->family = 4;
	in->vrid = 51;
	in->priority = 101;

	s = tick(&x, NULL, 0, &from); /* no master heard yet: nothing */
	assert_string_equal(s, "");

	in->have_master = in->master_now = true;
	in->master.family = 4;
	memcpy(in->master.src, (uint8_t[]){198, 18, 0, 9}, 4);
	in->master.priority = 150;
	in->group_known = true;
	s = tick(&x, NULL, 0, &from);
	assert_int_equal(count_lines(s), 1);
	assert_non_null(strstr(s, "{\"type\":\"instance_state\",\"event\":\"master\","
				  "\"instance\":\"VI_51\""));
	assert_non_null(strstr(s, "\"master\":{\"src\":\"198.18.0.9\""));
	assert_non_null(strstr(s, "\"in_group\":false"));

	s = tick(&x, NULL, 0, &from); /* the same master: nothing */
	assert_string_equal(s, "");

	in->master_now = false; /* it went silent: there is none now */
	s = tick(&x, NULL, 0, &from);
	assert_int_equal(count_lines(s), 1);
	assert_non_null(strstr(s, "\"master_now\":false"));
	teardown_fixture(&x);
}

static void test_offline_record(void **state)
{
	struct vw_finding f = finding(VW_K_VRID_COLLISION, false, 51);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(out);
	f.open = true;
	vw_report_finding_json(out, &f);
	fclose(out);
	assert_non_null(strstr(buf, "{\"type\":\"finding\",\"kind\":\"vrid_collision\","));
	assert_null(strstr(buf, "\"event\""));
	free(buf);
}

/* Each output format fills every entry of its table (a new format that
 * forgets one would crash at the first line of that kind), and the one
 * switch maps the names and values to them. */
static void test_output_tables(void **state)
{
	static const struct {
		const char *name;
		enum vw_output o;
	} formats[] = {{"text", VW_OUT_TEXT}, {"json", VW_OUT_JSON}};
	enum vw_output o;

	(void)state;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const struct vw_output_ops *ops = vw_output_ops(formats[i].o);

		assert_int_equal(vw_output_by_name(formats[i].name, &o), 0);
		assert_int_equal(o, formats[i].o);
		assert_string_equal(ops->name, formats[i].name);
		assert_non_null(ops->report);
		assert_non_null(ops->finding_line);
		assert_non_null(ops->advertiser_line);
		assert_non_null(ops->instance_line);
		assert_non_null(ops->note_line);
		assert_non_null(ops->suppressed_line);
		assert_non_null(ops->capture_summary);
		assert_non_null(ops->config);
		assert_non_null(ops->lint);
	}
	assert_int_equal(vw_output_by_name("csv", &o), -1);
	assert_true(vw_output_ops(VW_OUT_TEXT)->live_screen);
	assert_false(vw_output_ops(VW_OUT_JSON)->live_screen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_events),
		cmocka_unit_test(test_text_events),
		cmocka_unit_test(test_json_cap_replacement),
		cmocka_unit_test(test_text_cap_replacement),
		cmocka_unit_test(test_many_dropped),
		cmocka_unit_test(test_offline_record),
		cmocka_unit_test(test_instance_lines),
		cmocka_unit_test(test_output_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
