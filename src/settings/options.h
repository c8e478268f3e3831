/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options.h - the command line, parsed and validated in one place. */
#ifndef VRRPWATCH_OPTIONS_H
#define VRRPWATCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/capture_file.h"
#include "kaconf/kaconf.h"
#include "model/obs_table.h"
#include "report/output.h"

#define VW_MAX_INPUTS 64
#define VW_MAX_LOCAL 32
#define VW_MAX_IFACES 16

enum vw_mode {
	VW_MODE_REPLAY,      /* -r FILE... */
	VW_MODE_LINT,        /* --lint */
	VW_MODE_SHOW_CONFIG, /* --show-config */
	VW_MODE_LIVE,        /* -i IFACE... */
};

/* --backend: how live capture gets its frames */
enum vw_backend {
	VW_BACKEND_AUTO = 0, /* XDP/TC when it can, else libpcap (and says so) */
	VW_BACKEND_XDP,      /* XDP ingress + TC egress, or fail */
	VW_BACKEND_PCAP,     /* libpcap */
};

/* --xdp-mode */
enum vw_xdp_mode {
	VW_XDP_AUTO = 0, /* native, then generic */
	VW_XDP_NATIVE,
	VW_XDP_GENERIC,
};

struct vw_options {
	enum vw_mode mode;
	const char *files[VW_MAX_INPUTS + 1]; /* NULL-terminated */
	size_t n_files;
	const char *config_path; /* NULL: the default, when it exists */
	bool no_config;          /* --no-config: wire-only, whatever exists */
	const char *config_id;
	enum vw_output output;   /* --json; text by default */
	int verbose;
	uint64_t interval_ns;
	size_t max_rows;
	enum vw_reader reader;
	struct ka_addr local[VW_MAX_LOCAL]; /* --local-address */
	size_t n_local;
	struct ka_addr peers[VW_MAX_LOCAL]; /* --peer: the other nodes of the group */
	size_t n_peers;
	unsigned ka_version;     /* --keepalived-version, 0: the default */
	bool inventory;
	const char *prom_file;   /* --prom-file: Prometheus textfile */
	const char *prom_listen; /* --prom-listen: [ADDR:]PORT */
	const char *ifaces[VW_MAX_IFACES]; /* -i: live capture */
	size_t n_ifaces;
	enum vw_backend backend;
	enum vw_xdp_mode xdp_mode;
	uint64_t duration_ns;    /* --duration, 0: until interrupted */
	const char *user;        /* -Z: whom root becomes once all is open (NULL: default) */
	bool no_seccomp;         /* --no-seccomp: no system call filter live */
	struct vw_segment_names segments; /* --segment [IFACE=]NAME */
};

enum vw_parse_result {
	VW_PARSE_OK = 0,
	VW_PARSE_EXIT = 1,  /* --help or --version printed; exit 0 */
	VW_PARSE_ERROR = 2, /* message printed; exit 2 */
};

enum vw_parse_result vw_options_parse(int argc, char **argv, struct vw_options *o, FILE *out,
				      FILE *err);

/*
 * "1", "0.5", "500ms", "2s", "1m" to nanoseconds; seconds when no unit.
 * Returns 0, or -1 for anything else (negative, zero, garbage, > 1 day).
 */
int vw_parse_duration(const char *s, uint64_t *ns);
/* "2.2.7" to 20207; -1 for anything else. */
int vw_parse_ka_version(const char *s, unsigned *v);
/* An IPv4 or IPv6 address; -1 otherwise. */
int vw_parse_addr(const char *s, struct ka_addr *a);
/* A decimal integer in [min, max]; -1 otherwise. */
int vw_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v);

#endif
