// SPDX-License-Identifier: GPL-2.0-or-later
#include "settings/options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util/listen_addr.h"
#include "model/obs_table.h"

#define NS_PER_S 1000000000ull
#define MAX_DURATION_NS (86400ull * NS_PER_S)

static const char usage[] =
	"Usage: vrrpwatch -r FILE [-r FILE...] [OPTIONS]\n"
	"       vrrpwatch -i IFACE [-i IFACE...] [OPTIONS]\n"
	"       vrrpwatch --lint [-c FILE]\n"
	"       vrrpwatch --show-config [-c FILE] [--json]\n"
	"\n"
	"Who advertises which VRRP virtual router on this segment, and what is wrong\n"
	"with it: VRID collisions, split brain, priority and timer mismatches.\n"
	"\n"
	"Input:\n"
	"  -r, --read FILE          replay a pcap or pcapng capture, also gzip, zstd or xz\n"
	"                           compressed (- for stdin); repeatable\n"
	"  -i, --interface IFACE    watch IFACE live until Ctrl-C; repeatable (needs root, or\n"
	"                           CAP_BPF and CAP_NET_ADMIN; --backend pcap: CAP_NET_RAW)\n"
	"      --backend auto|xdp|pcap  live capture through XDP ingress and TC egress, or\n"
	"                           libpcap (default auto: XDP when it can, saying when it cannot)\n"
	"      --xdp-mode auto|native|generic  XDP attach mode (default auto: native, then generic)\n"
	"      --duration TIME      stop live capture after TIME, e.g. 30s, 5m\n"
	"  -c, --config FILE        keepalived.conf to judge against\n"
	"                           (default /etc/keepalived/keepalived.conf when present)\n"
	"      --config-id ID       for @ID conditional lines in the config (default: short hostname)\n"
	"      --no-config          judge the wire alone, even if the default config exists\n"
	"      --local-address ADDR this node's address, to tell its own adverts from others'\n"
	"                           (repeatable; offline captures rarely say which are outgoing)\n"
	"      --peer ADDR          another node of this node's virtual routers (repeatable);\n"
	"                           with it, a master outside the group is known to be foreign\n"
	"      --keepalived-version X.Y.Z  acceptance rules of the local keepalived (default 2.2.7:\n"
	"                           up to 2.3.2 it drops adverts whose address list differs)\n"
	"\n"
	"Output:\n"
	"      --json               JSON lines (records: advertiser, rejected, finding, summary)\n"
	"      --inventory          list the VRIDs in use on each segment and the free ones\n"
	"      --prom-file PATH     write Prometheus metrics to PATH atomically (for node_exporter's\n"
	"                           textfile collector; the directory must exist)\n"
	"      --prom-listen [ADDR:]PORT  serve the metrics over HTTP at /metrics (127.0.0.1 when\n"
	"                           only a port is given; replaying, until interrupted)\n"
	"      --segment [IFACE=]NAME  the metrics' segment label, the same on every host of\n"
	"                           one L2 segment (default: live, the interface's prefixes and\n"
	"                           VLAN; replaying, the capture's interface); repeatable\n"
	"  -v, --verbose            more detail (repeatable)\n"
	"\n"
	"Privileges:\n"
	"  -Z, --user USER          started as root, become USER once everything is open (default:\n"
	"                           the vrrpwatch user when it exists, else nobody; -Z root stays)\n"
	"      --no-seccomp         no system call filter for live capture (to work around a\n"
	"                           missing system call it reports)\n"
	"\n"
	"Other modes:\n"
	"      --lint               check keepalived.conf alone: duplicate VRIDs, missing priorities, ...\n"
	"      --show-config        print the VRRP instances as vrrpwatch reads them\n"
	"\n"
	"Tuning:\n"
	"      --interval TIME      snapshot tick, e.g. 1, 0.5, 500ms (default 1s)\n"
	"      --max-advertisers N  table size (default 65536); past it, rows heard from once go\n"
	"                           first, then the least recently heard (evictions are counted)\n"
	"      --reader auto|libpcap  file reader (default auto: vrrpwatch's own for\n"
	"                           pcap/pcapng, libpcap for other formats)\n"
	"  -h, --help               this text\n"
	"  -V, --version            version\n"
	"\n"
	"Exit status: 0 nothing at warning level or above, 1 findings, 2 usage or input error.\n"
	"\n"
	"EXAMPLES:\n"
	"  vrrpwatch -r capture.pcap                  # who advertises what, from a capture\n"
	"  vrrpwatch -r node-a.pcap -c keepalived.conf --local-address 198.18.0.1\n"
	"  vrrpwatch -r capture.pcap -c keepalived.conf --json | jq 'select(.type==\"advertiser\")'\n"
	"  tcpdump -i eth0 -w - vrrp | vrrpwatch -r -  # from a running tcpdump\n"
	"  sudo vrrpwatch -i eth0 -c /etc/keepalived/keepalived.conf   # live, until Ctrl-C\n"
	"  sudo vrrpwatch -i eth0 --duration 30s --json  # live, JSON lines, 30 seconds\n"
	"  vrrpwatch --lint -c /etc/keepalived/keepalived.conf\n";

enum {
	OPT_JSON = 0x100,
	OPT_LINT,
	OPT_SHOW_CONFIG,
	OPT_CONFIG_ID,
	OPT_INTERVAL,
	OPT_MAX_ROWS,
	OPT_READER,
	OPT_LOCAL,
	OPT_PEER,
	OPT_KA_VERSION,
	OPT_INVENTORY,
	OPT_NO_CONFIG,
	OPT_PROM_FILE,
	OPT_PROM_LISTEN,
	OPT_BACKEND,
	OPT_XDP_MODE,
	OPT_DURATION,
	OPT_NO_SECCOMP,
	OPT_SEGMENT,
};

static const struct option long_options[] = {
	{"read", required_argument, NULL, 'r'},
	{"config", required_argument, NULL, 'c'},
	{"config-id", required_argument, NULL, OPT_CONFIG_ID},
	{"json", no_argument, NULL, OPT_JSON},
	{"verbose", no_argument, NULL, 'v'},
	{"lint", no_argument, NULL, OPT_LINT},
	{"show-config", no_argument, NULL, OPT_SHOW_CONFIG},
	{"interval", required_argument, NULL, OPT_INTERVAL},
	{"max-advertisers", required_argument, NULL, OPT_MAX_ROWS},
	{"reader", required_argument, NULL, OPT_READER},
	{"local-address", required_argument, NULL, OPT_LOCAL},
	{"peer", required_argument, NULL, OPT_PEER},
	{"keepalived-version", required_argument, NULL, OPT_KA_VERSION},
	{"inventory", no_argument, NULL, OPT_INVENTORY},
	{"no-config", no_argument, NULL, OPT_NO_CONFIG},
	{"prom-file", required_argument, NULL, OPT_PROM_FILE},
	{"prom-listen", required_argument, NULL, OPT_PROM_LISTEN},
	{"interface", required_argument, NULL, 'i'},
	{"backend", required_argument, NULL, OPT_BACKEND},
	{"xdp-mode", required_argument, NULL, OPT_XDP_MODE},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"user", required_argument, NULL, 'Z'},
	{"no-seccomp", no_argument, NULL, OPT_NO_SECCOMP},
	{"segment", required_argument, NULL, OPT_SEGMENT},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

int vw_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return -1;
	*v = x;
	return 0;
}

int vw_parse_ka_version(const char *s, unsigned *v)
{
	unsigned a, b, c = 0;
	int n = 0;

	if (!s || (sscanf(s, "%3u.%3u.%3u%n", &a, &b, &c, &n) != 3 &&
		   sscanf(s, "%3u.%3u%n", &a, &b, &n) != 2))
		return -1;
	if (s[n] || a > 99 || b > 99 || c > 99)
		return -1;
	*v = a * 10000 + b * 100 + c;
	return 0;
}

int vw_parse_addr(const char *s, struct ka_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->addr) == 1)
		a->family = 4;
	else if (inet_pton(AF_INET6, s, a->addr) == 1)
		a->family = 6;
	else
		return -1;
	return 0;
}

int vw_parse_duration(const char *s, uint64_t *ns)
{
	char *end;
	double scale = 1e9;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	double x = strtod(s, &end);
	if (errno || end == s)
		return -1;
	if (!strcmp(end, "ms"))
		scale = 1e6;
	else if (!strcmp(end, "m"))
		scale = 60e9;
	else if (*end && strcmp(end, "s"))
		return -1;
	double v = x * scale;
	if (!isfinite(v) || v < 1e6 || v > (double)MAX_DURATION_NS)
		return -1; /* at least 1 ms, at most a day */
	*ns = (uint64_t)v;
	return 0;
}

static int bad_value(FILE *err, const char *opt, const char *val, const char *want)
{
	fprintf(err, "vrrpwatch: %s '%s': %s\n", opt, val, want);
	return VW_PARSE_ERROR;
}

/* Syntax only: whether the directory exists is checked when the run starts. */
static int parse_prom_file(struct vw_options *o, const char *v, FILE *err)
{
	size_t n = strlen(v);

	if (!n || v[n - 1] == '/' || !strcmp(v, "-"))
		return bad_value(err, "--prom-file", v,
				 "a file path, e.g. /var/lib/prometheus/node-exporter/vrrpwatch.prom");
	o->prom_file = v;
	return VW_PARSE_OK;
}

static int parse_prom_listen(struct vw_options *o, const char *v, FILE *err)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (vw_listen_addr_parse(v, &ss, &len))
		return bad_value(err, "--prom-listen", v,
				 "an address and port like 127.0.0.1:9813 or [::1]:9813, "
				 "or a port (on 127.0.0.1)");
	o->prom_listen = v;
	return VW_PARSE_OK;
}

/* A segment name: printable, no control characters, bounded. */
static bool segment_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= VW_SEGMENT_NAME_MAX)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* --segment NAME (every segment) or --segment IFACE=NAME (one interface). */
static int parse_segment(struct vw_options *o, char *v, FILE *err)
{
	struct vw_segment_names *g = &o->segments;
	char *eq = strchr(v, '=');
	const char *want = "NAME or IFACE=NAME, NAME of 1 to 63 printable characters, "
			   "e.g. lab1 or eth0=dc1-vlan100";

	if (!eq) {
		if (!segment_name_ok(v))
			return bad_value(err, "--segment", v, want);
		if (g->all) {
			fprintf(err, "vrrpwatch: --segment NAME given twice ('%s', '%s'); name "
				     "interfaces with --segment IFACE=NAME\n", g->all, v);
			return VW_PARSE_ERROR;
		}
		g->all = v;
		return VW_PARSE_OK;
	}
	if (eq == v || !segment_name_ok(eq + 1) || (size_t)(eq - v) >= VW_SEGMENT_NAME_MAX)
		return bad_value(err, "--segment", v, want);
	if (g->n == VW_MAX_SEGMENT_NAMES)
		return bad_value(err, "--segment", v, "at most 64 interfaces named");
	*eq = 0;
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->iface[i], v)) {
			fprintf(err, "vrrpwatch: --segment %s=...: %s named twice\n", v, v);
			*eq = '=';
			return VW_PARSE_ERROR;
		}
	g->iface[g->n] = v;
	g->name[g->n++] = eq + 1;
	return VW_PARSE_OK;
}

/* -i, --backend, --xdp-mode, --duration: live capture. */
static int parse_live(int c, struct vw_options *o, FILE *err)
{
	switch (c) {
	case 'i':
		if (o->n_ifaces == VW_MAX_IFACES)
			return bad_value(err, "-i", optarg, "at most 16 interfaces");
		if (!*optarg || strlen(optarg) >= 16 || strchr(optarg, '/'))
			return bad_value(err, "-i", optarg, "an interface name, e.g. eth0 (see 'ip link')");
		o->ifaces[o->n_ifaces++] = optarg;
		return VW_PARSE_OK;
	case OPT_BACKEND:
		if (!strcmp(optarg, "auto"))
			o->backend = VW_BACKEND_AUTO;
		else if (!strcmp(optarg, "xdp"))
			o->backend = VW_BACKEND_XDP;
		else if (!strcmp(optarg, "pcap"))
			o->backend = VW_BACKEND_PCAP;
		else
			return bad_value(err, "--backend", optarg, "auto, xdp or pcap");
		return VW_PARSE_OK;
	case OPT_XDP_MODE:
		if (!strcmp(optarg, "auto"))
			o->xdp_mode = VW_XDP_AUTO;
		else if (!strcmp(optarg, "native"))
			o->xdp_mode = VW_XDP_NATIVE;
		else if (!strcmp(optarg, "generic"))
			o->xdp_mode = VW_XDP_GENERIC;
		else
			return bad_value(err, "--xdp-mode", optarg, "auto, native or generic");
		return VW_PARSE_OK;
	default: /* OPT_DURATION */
		if (vw_parse_duration(optarg, &o->duration_ns))
			return bad_value(err, "--duration", optarg,
					 "a time between 1ms and 1 day, e.g. 30s, 5m");
		return VW_PARSE_OK;
	}
}

/* Live capture excludes replay and the config-only modes. */
static int check_live(struct vw_options *o, FILE *err)
{
	bool live_only = o->backend != VW_BACKEND_AUTO || o->xdp_mode != VW_XDP_AUTO ||
			 o->duration_ns;

	if (!o->n_ifaces) {
		if (live_only && o->mode == VW_MODE_REPLAY) {
			fprintf(err, "vrrpwatch: --backend, --xdp-mode and --duration go with "
				     "live capture (-i IFACE)\n");
			return VW_PARSE_ERROR;
		}
		return VW_PARSE_OK;
	}
	if (o->n_files) {
		fprintf(err, "vrrpwatch: -i and -r exclude each other: watch interfaces or "
			     "replay captures\n");
		return VW_PARSE_ERROR;
	}
	if (o->mode != VW_MODE_REPLAY) {
		fprintf(err, "vrrpwatch: -i goes with neither --lint nor --show-config\n");
		return VW_PARSE_ERROR;
	}
	if (o->backend == VW_BACKEND_PCAP && o->xdp_mode != VW_XDP_AUTO) {
		fprintf(err, "vrrpwatch: --xdp-mode goes with the XDP backend, not --backend pcap\n");
		return VW_PARSE_ERROR;
	}
	o->mode = VW_MODE_LIVE;
	return VW_PARSE_OK;
}

static int set_mode(struct vw_options *o, enum vw_mode m, FILE *err)
{
	if (o->mode != VW_MODE_REPLAY && o->mode != m) {
		fprintf(err, "vrrpwatch: --lint and --show-config exclude each other\n");
		return VW_PARSE_ERROR;
	}
	o->mode = m;
	return VW_PARSE_OK;
}

static int parse_one(int c, struct vw_options *o, FILE *out, FILE *err)
{
	uint64_t v;

	switch (c) {
	case 'r':
		if (o->n_files == VW_MAX_INPUTS)
			return bad_value(err, "-r", optarg, "at most 64 files");
		o->files[o->n_files++] = optarg;
		return VW_PARSE_OK;
	case 'c':
		o->config_path = optarg;
		return VW_PARSE_OK;
	case OPT_CONFIG_ID:
		o->config_id = optarg;
		return VW_PARSE_OK;
	case OPT_JSON:
		o->output = VW_OUT_JSON;
		return VW_PARSE_OK;
	case 'v':
		o->verbose++;
		return VW_PARSE_OK;
	case OPT_LINT:
		return set_mode(o, VW_MODE_LINT, err);
	case OPT_SHOW_CONFIG:
		return set_mode(o, VW_MODE_SHOW_CONFIG, err);
	case OPT_INTERVAL:
		if (vw_parse_duration(optarg, &o->interval_ns) || o->interval_ns > 3600 * NS_PER_S)
			return bad_value(err, "--interval", optarg,
					 "a time between 1ms and 1h, e.g. 1, 0.5, 500ms");
		return VW_PARSE_OK;
	case OPT_MAX_ROWS:
		if (vw_parse_uint(optarg, 16, 16u << 20, &v))
			return bad_value(err, "--max-advertisers", optarg,
					 "a number from 16 to 16777216");
		o->max_rows = (size_t)v;
		return VW_PARSE_OK;
	case OPT_READER:
		if (!strcmp(optarg, "auto"))
			o->reader = VW_READER_AUTO;
		else if (!strcmp(optarg, "libpcap"))
			o->reader = VW_READER_LIBPCAP;
		else
			return bad_value(err, "--reader", optarg, "auto or libpcap");
		return VW_PARSE_OK;
	case OPT_LOCAL:
		if (o->n_local == VW_MAX_LOCAL)
			return bad_value(err, "--local-address", optarg, "at most 32 addresses");
		if (vw_parse_addr(optarg, &o->local[o->n_local]))
			return bad_value(err, "--local-address", optarg,
					 "an IPv4 or IPv6 address, e.g. 198.18.0.1");
		o->n_local++;
		return VW_PARSE_OK;
	case OPT_PEER:
		if (o->n_peers == VW_MAX_LOCAL)
			return bad_value(err, "--peer", optarg, "at most 32 addresses");
		if (vw_parse_addr(optarg, &o->peers[o->n_peers]))
			return bad_value(err, "--peer", optarg,
					 "an IPv4 or IPv6 address, e.g. 198.18.0.2");
		o->n_peers++;
		return VW_PARSE_OK;
	case OPT_KA_VERSION:
		if (vw_parse_ka_version(optarg, &o->ka_version))
			return bad_value(err, "--keepalived-version", optarg,
					 "a version like 2.2.7 (see keepalived --version)");
		return VW_PARSE_OK;
	case OPT_INVENTORY:
		o->inventory = true;
		return VW_PARSE_OK;
	case OPT_NO_CONFIG:
		o->no_config = true;
		return VW_PARSE_OK;
	case OPT_PROM_FILE:
		return parse_prom_file(o, optarg, err);
	case OPT_PROM_LISTEN:
		return parse_prom_listen(o, optarg, err);
	case OPT_SEGMENT:
		return parse_segment(o, optarg, err);
	case 'i':
	case OPT_BACKEND:
	case OPT_XDP_MODE:
	case OPT_DURATION:
		return parse_live(c, o, err);
	case 'Z':
		if (!*optarg)
			return bad_value(err, "-Z", optarg, "a user name, e.g. nobody");
		o->user = optarg;
		return VW_PARSE_OK;
	case OPT_NO_SECCOMP:
		o->no_seccomp = true;
		return VW_PARSE_OK;
	case 'h':
		fputs(usage, out);
		return VW_PARSE_EXIT;
	case 'V':
		fprintf(out, "vrrpwatch %s\n", VRRPWATCH_VERSION);
		return VW_PARSE_EXIT;
	default: /* '?' and ':' are reported by getopt_error() */
		return VW_PARSE_ERROR;
	}
}

/* The long option whose name starts with the n bytes of name; NULL when
 * none does or several do (*ambiguous then). An exact name wins. */
static const struct option *find_long(const char *name, size_t n, bool *ambiguous)
{
	const struct option *hit = NULL;

	*ambiguous = false;
	for (const struct option *lo = long_options; lo->name; lo++) {
		if (strncmp(lo->name, name, n))
			continue;
		if (!lo->name[n])
			return lo;
		if (hit)
			*ambiguous = true;
		hit = lo;
	}
	return *ambiguous ? NULL : hit;
}

/*
 * getopt's own messages (opterr) name argv[0] and take two lines; ours
 * name vrrpwatch, like every other message, in one line.  c is '?' or ':'
 * (the optstring starts with ':').  A failed long option was argv[optind - 1]
 * (getopt steps past it); a failed short one is optopt, found in a bundle
 * that argv[optind - 1] may or may not be.
 */
static void getopt_error(int c, char **argv, FILE *err)
{
	const char *arg = optind > 1 ? argv[optind - 1] : "";
	const struct option *lo = NULL;
	bool ambiguous = false;
	size_t n = 0;

	if (!strncmp(arg, "--", 2)) {
		n = strcspn(arg + 2, "=");
		lo = find_long(arg + 2, n, &ambiguous);
		/* a short option failing after a long one: not the long one */
		if (optopt && (!lo || lo->val != optopt))
			lo = NULL, n = 0;
	}
	if (c == ':' && lo)
		fprintf(err, "vrrpwatch: option --%s needs an argument\n", lo->name);
	else if (c == ':')
		fprintf(err, "vrrpwatch: option -%c needs an argument\n", optopt);
	else if (lo && lo->has_arg == no_argument)
		fprintf(err, "vrrpwatch: option --%s takes no argument\n", lo->name);
	else if (ambiguous)
		fprintf(err, "vrrpwatch: option --%.*s is ambiguous (try --help)\n", (int)n, arg + 2);
	else if (n)
		fprintf(err, "vrrpwatch: unknown option --%.*s (try --help)\n", (int)n, arg + 2);
	else if (optopt > ' ' && optopt < 0x7f)
		fprintf(err, "vrrpwatch: unknown option -%c (try --help)\n", optopt);
	else
		fprintf(err, "vrrpwatch: unknown option %s (try --help)\n", arg);
}

enum vw_parse_result vw_options_parse(int argc, char **argv, struct vw_options *o, FILE *out,
				      FILE *err)
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->interval_ns = NS_PER_S;
	o->max_rows = VW_DEFAULT_MAX_ROWS;
	optind = 0; /* 0: glibc forgets a bundle an earlier parse stopped in */
	opterr = 0;
	optopt = 0;
	while ((c = getopt_long(argc, argv, ":r:c:i:vZ:hV", long_options, NULL)) != -1) {
		if (c == '?' || c == ':') {
			getopt_error(c, argv, err);
			return VW_PARSE_ERROR;
		}
		if ((rc = parse_one(c, o, out, err)) != VW_PARSE_OK)
			return (enum vw_parse_result)rc;
		optopt = 0;
	}
	if (optind < argc) {
		fprintf(err, "vrrpwatch: unexpected argument '%s'; captures are read with -r FILE\n",
			argv[optind]);
		return VW_PARSE_ERROR;
	}
	if ((o->mode == VW_MODE_LINT || o->mode == VW_MODE_SHOW_CONFIG) &&
	    (o->prom_file || o->prom_listen)) {
		fprintf(err, "vrrpwatch: --prom-file and --prom-listen go with a capture, "
			     "not with --lint or --show-config\n");
		return VW_PARSE_ERROR;
	}
	if (o->no_config && o->config_path) {
		fprintf(err, "vrrpwatch: -c and --no-config exclude each other\n");
		return VW_PARSE_ERROR;
	}
	if ((rc = check_live(o, err)) != VW_PARSE_OK)
		return (enum vw_parse_result)rc;
	if (o->mode == VW_MODE_REPLAY && !o->n_files) {
		fprintf(err, "vrrpwatch: nothing to do: give a capture with -r FILE or an "
			     "interface with -i IFACE (see 'vrrpwatch --help')\n");
		return VW_PARSE_ERROR;
	}
	return VW_PARSE_OK;
}
