// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - wiring: options -> sources -> observation table -> reporters.
 * Errors are printed here, once, with their context.
 */
#include <stdio.h>
#include <stdlib.h>

#include "capture_file.h"
#include "ingest.h"
#include "obs_table.h"
#include "options.h"
#include "report.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

static int replay(const struct vw_options *o)
{
	struct vw_table table;
	struct vw_ingest in;
	int status = EXIT_CLEAN;

	if (vw_table_init(&table, o->max_rows)) {
		fprintf(stderr, "vrrpwatch: out of memory\n");
		return EXIT_TROUBLE;
	}
	vw_ingest_init(&in, &table, 0, NULL, NULL);
	for (size_t i = 0; i < o->n_files; i++) {
		struct vw_read_result res;
		if (vw_read_capture(o->files[i], o->reader, &in, &res)) {
			/* keep going: what was read still gets reported */
			fprintf(stderr, "vrrpwatch: %s\n", res.message);
			status = EXIT_TROUBLE;
		}
		if (res.skipped_link)
			fprintf(stderr, "vrrpwatch: %s: %llu frames on interfaces of "
					"unsupported link types skipped\n",
				o->files[i], (unsigned long long)res.skipped_link);
	}
	if (in.alloc_failed) {
		fprintf(stderr, "vrrpwatch: out of memory: some adverts were not recorded\n");
		status = EXIT_TROUBLE;
	}
	struct vw_report r = {.table = &table, .other_frames = in.other_frames, .files = o->files};
	if (o->json)
		vw_report_json(stdout, &r);
	else
		vw_report_text(stdout, &r);
	vw_ingest_free(&in);
	vw_table_free(&table);
	return status;
}

int main(int argc, char **argv)
{
	struct vw_options o;

	switch (vw_options_parse(argc, argv, &o, stdout, stderr)) {
	case VW_PARSE_EXIT:
		return EXIT_CLEAN;
	case VW_PARSE_ERROR:
		return EXIT_TROUBLE;
	case VW_PARSE_OK:
		break;
	}
	switch (o.mode) {
	case VW_MODE_REPLAY:
		return replay(&o);
	default:
		fprintf(stderr, "vrrpwatch: this mode is not built yet\n");
		return EXIT_TROUBLE;
	}
}
