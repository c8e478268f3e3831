// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kaconf.c - load entry points of the keepalived.conf reader, the result's
 * memory, diagnostics and the small value readers that mirror keepalived's
 * read_unsigned() / read_decimal_unsigned() / check_true_false().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "kaconf/kaconf_internal.h"

char *ka_strdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		abort();
	return d;
}

void *ka_grow(void *arr, size_t n, size_t elem)
{
	size_t cap;

	/* capacities are 4, 8, 16...: reallocate when n reaches one (a
	 * smaller n than before only means spare room) */
	if (n == 0)
		cap = 4;
	else if (n >= 4 && !(n & (n - 1)))
		cap = n * 2;
	else
		return arr;
	arr = realloc(arr, cap * elem);
	if (!arr)
		abort();
	return arr;
}

const char *ka_intern_file(struct ka_config *cfg, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < cfg->n_files; i++) {
		if (cfg->files[i] == name || !strcmp(cfg->files[i], name))
			return cfg->files[i];
	}
	cfg->files = ka_grow(cfg->files, cfg->n_files, sizeof(char *));
	cfg->files[cfg->n_files] = ka_strdup(name);
	return cfg->files[cfg->n_files++];
}

void ka_vdiag(struct ka_config *cfg, int severity, const char *code,
	      const char *file, unsigned line, const char *fmt, va_list ap)
{
	struct ka_diag *d;
	char *msg = NULL;

	/* pathological input can repeat a problem without end: keep the first */
	if (cfg->n_diags > KA_MAX_DIAGS)
		return;
	if (cfg->n_diags == KA_MAX_DIAGS) {
		severity = KA_DIAG_ERROR;
		code = "too-many-diagnostics";
		if (asprintf(&msg, "more than %d problems: the rest are not reported", KA_MAX_DIAGS) < 0)
			abort();
	} else if (vasprintf(&msg, fmt, ap) < 0) {
		abort();
	}
	cfg->diags = ka_grow(cfg->diags, cfg->n_diags, sizeof(*cfg->diags));
	d = &cfg->diags[cfg->n_diags++];
	d->severity = severity;
	d->file = (char *)ka_intern_file(cfg, file);
	d->line = line;
	d->message = msg;
	d->code = code;
}

void ka_diag(struct ka_config *cfg, int severity, const char *code,
	     const char *file, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ka_vdiag(cfg, severity, code, file, line, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* values */

bool ka_read_unsigned(const char *s, unsigned min, unsigned max, unsigned *out)
{
	unsigned long v;
	char *end;

	s += strspn(s, " \t");
	if (*s == '-' || !*s)
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno == ERANGE || v > UINT_MAX || v < min || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

bool ka_read_micro(const char *s, unsigned long max, unsigned long *out, bool *rounded)
{
	const char *dp = strchr(s, '.');
	size_t ndp = dp ? strlen(dp + 1) : 0;
	char digits[64];
	size_t n;
	unsigned long long v;
	char *end;
	bool up = false;

	*rounded = false;
	if (*s == '-' || strlen(s) > 40)
		return false;
	if (ndp > 6) {
		/* keepalived rounds on the 7th decimal */
		*rounded = true;
		up = dp[7] >= '5';
		ndp = 6;
	}
	n = dp ? (size_t)(dp - s) : strlen(s);
	memcpy(digits, s, n);
	if (dp)
		memcpy(digits + n, dp + 1, ndp);
	n += ndp;
	for (size_t i = ndp; i < 6; i++)
		digits[n++] = '0';
	digits[n] = '\0';
	errno = 0;
	v = strtoull(digits, &end, 10);
	/* like keepalived's strtoull(): leading blanks and '+' are fine */
	if (*end || errno == ERANGE || !n)
		return false;
	v += up;
	if (v > max)
		return false;
	*out = (unsigned long)v;
	return true;
}

int ka_true_false(const char *s)
{
	if (!strcmp(s, "true") || !strcmp(s, "on") || !strcmp(s, "yes"))
		return 1;
	if (!strcmp(s, "false") || !strcmp(s, "off") || !strcmp(s, "no"))
		return 0;
	return -1;
}

/* ------------------------------------------------------------------ */
/* addresses */

bool ka_addr_parse(const char *s, struct ka_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, out->addr) != 1)
			return false;
		out->family = 6;
	} else {
		if (inet_pton(AF_INET, s, out->addr) != 1)
			return false;
		out->family = 4;
	}
	return true;
}

const char *ka_addr_str(const struct ka_addr *a, char *buf, size_t len)
{
	if (!len)
		return buf;
	if (!a || !a->family || !inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->addr, buf, (socklen_t)len))
		snprintf(buf, len, "-");
	return buf;
}

bool ka_addr_equal(const struct ka_addr *a, const struct ka_addr *b)
{
	if (a->family != b->family)
		return false;
	return !memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16);
}

bool ka_addr_is_ipv6_linklocal(const struct ka_addr *a)
{
	return a->family == 6 && a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80;
}

bool ka_addr_is_multicast(const struct ka_addr *a)
{
	if (a->family == 4)
		return (a->addr[0] & 0xf0) == 0xe0;
	return a->family == 6 && a->addr[0] == 0xff;
}

unsigned ka_instance_wire_interval(const struct ka_instance *in)
{
	return in->version == 2 ? in->interval_cs / 100u : in->interval_cs;
}

const char *ka_state_name(enum ka_state s)
{
	return s == KA_STATE_MASTER ? "MASTER" : "BACKUP";
}

const char *ka_severity_name(int severity)
{
	if (severity >= KA_DIAG_ERROR)
		return "error";
	return severity == KA_DIAG_WARNING ? "warning" : "info";
}

/* ------------------------------------------------------------------ */
/* loading */

/* keepalived's default config id: the node name up to the first '.' */
static char *short_hostname(void)
{
	struct utsname u;
	char *dot;

	if (uname(&u))
		return ka_strdup("");
	dot = strchr(u.nodename, '.');
	if (dot)
		*dot = '\0';
	return ka_strdup(u.nodename);
}

static void config_init(struct ka_config *cfg, const struct ka_parse_opts *opts)
{
	memset(cfg, 0, sizeof(*cfg));
	ka_global_init(&cfg->global);
	cfg->config_id = opts && opts->config_id ? ka_strdup(opts->config_id) : short_hostname();
}

static int run(struct ka_config *cfg, struct ka_lexer *lx, int opened)
{
	int r = opened;

	if (!r) {
		ka_parse_stream(cfg, lx);
		r = ka_lexer_finish(lx);
	}
	ka_lexer_free(lx);
	ka_complete_config(cfg);
	if (r < 0)
		return r;
	return cfg->syntax_error ? -EINVAL : 0;
}

int ka_config_load_file(const char *path, const struct ka_parse_opts *opts, struct ka_config *out)
{
	struct ka_lexer *lx;

	config_init(out, opts);
	lx = ka_lexer_new(out, opts);
	return run(out, lx, ka_lexer_open_file(lx, path ? path : KA_DEFAULT_CONFIG));
}

int ka_config_load_string(const char *text, const char *display_name,
			  const struct ka_parse_opts *opts, struct ka_config *out)
{
	struct ka_lexer *lx;

	config_init(out, opts);
	lx = ka_lexer_new(out, opts);
	return run(out, lx, ka_lexer_open_string(lx, text ? text : "",
						 display_name ? display_name : "<string>"));
}

static void free_vips(struct ka_vip *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ka_vip_clear(&v[i]);
	free(v);
}

static void free_instance(struct ka_instance *in)
{
	free(in->name);
	free(in->interface);
	free_vips(in->vips, in->n_vips);
	free_vips(in->vips_excluded, in->n_vips_excluded);
	free(in->peers);
	free(in->peer_min_ttl);
	free(in->peer_max_ttl);
	free(in->sync_group);
}

void ka_config_free(struct ka_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_inst; i++)
		free_instance(&cfg->inst[i]);
	free(cfg->inst);
	for (size_t i = 0; i < cfg->n_diags; i++)
		free(cfg->diags[i].message);
	free(cfg->diags);
	for (size_t i = 0; i < cfg->n_groups; i++) {
		free(cfg->groups[i].name);
		for (size_t j = 0; j < cfg->groups[i].n_members; j++)
			free(cfg->groups[i].members[j]);
		free(cfg->groups[i].members);
	}
	free(cfg->groups);
	for (size_t i = 0; i < cfg->n_files; i++)
		free(cfg->files[i]);
	free(cfg->files);
	free(cfg->global.router_id);
	free(cfg->config_id);
	memset(cfg, 0, sizeof(*cfg));
}
