// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_http.c - the request parser of --prom-listen (prom/prom_http.c,
 * through vw_prom_http_parse_request: what the server answers to a
 * client that sent these bytes), with and without a snapshot to serve.
 */
#include <string.h>

#include "fuzz.h"

#include "prom/prom_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *req = (const char *)data;
	bool head, head2;
	int with = vw_prom_http_parse_request(req, size, true, &head);
	int without = vw_prom_http_parse_request(req, size, false, &head2);

	FUZZ_CHECK(with == 0 || with == 200 || with == 400 || with == 404 || with == 405);
	/* the snapshot changes a 200 into a 503, and nothing else */
	FUZZ_CHECK(without == (with == 200 ? 503 : with));
	FUZZ_CHECK(head == head2);
	if (with == 200) /* only GET and HEAD of /metrics, on one line */
		FUZZ_CHECK(size >= 13 && (!memcmp(req, head ? "HEAD /metrics" : "GET /metrics",
						head ? 13 : 12)));
	if (head)
		FUZZ_CHECK(with == 200 || with == 404);
	/* the answer needs the end of the headers, or a full buffer, or a NUL */
	if (with == 0)
		FUZZ_CHECK(size < VW_HTTP_MAX_REQUEST - 1 && !memchr(data, 0, size));
	return 0;
}
