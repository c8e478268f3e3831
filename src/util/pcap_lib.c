// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/pcap_lib.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* libpcap's soname: Debian's and Ubuntu's, upstream's, and the
 * development link as a last resort. */
static const char *const sonames[] = {"libpcap.so.0.8", "libpcap.so.1", "libpcap.so"};

static struct vw_pcap_lib lib;
static bool loaded;

static void *open_any(char *err, size_t errlen)
{
	char why[200] = "";

	for (size_t i = 0; i < sizeof(sonames) / sizeof(sonames[0]); i++) {
		void *h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
		if (h)
			return h;
		/* why the first one failed, unless a later one exists but is
		 * refused (damaged, wrong architecture): that says more */
		const char *e = dlerror();
		if (e && (!why[0] || !strstr(e, "No such file")))
			snprintf(why, sizeof(why), "%s", e);
	}
	/* the remedy first: the reason may be long */
	snprintf(err, errlen,
		 "libpcap cannot be loaded: install libpcap (Debian: apt-get install libpcap0.8); "
		 "%s",
		 why);
	return NULL;
}

/* A symbol as the pointer type of the field (POSIX: a function's address
 * comes back as void *). */
static bool resolve(void *h, const char *name, void *field, size_t size, char *err,
		    size_t errlen)
{
	char sym[64];
	void *p;

	snprintf(sym, sizeof(sym), "pcap_%s", name);
	if (!(p = dlsym(h, sym))) {
		snprintf(err, errlen, "libpcap has no %s: it is older than 1.5, upgrade it", sym);
		return false;
	}
	memcpy(field, &p, size);
	return true;
}

const struct vw_pcap_lib *vw_pcap_lib(char *err, size_t errlen)
{
	struct vw_pcap_lib l;
	void *h;

	if (loaded)
		return &lib;
	if (!(h = open_any(err, errlen)))
		return NULL;
#define VW_PCAP_RESOLVE(name)                                                  \
	if (!resolve(h, #name, &l.name, sizeof(l.name), err, errlen)) {        \
		dlclose(h);                                                    \
		return NULL;                                                   \
	}
	VW_PCAP_FUNCTIONS(VW_PCAP_RESOLVE)
#undef VW_PCAP_RESOLVE
	lib = l; /* the handle stays open for the run */
	loaded = true;
	return &lib;
}
