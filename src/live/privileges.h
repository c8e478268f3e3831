/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * privileges.h - can this process capture live, and how?  Checked before
 * anything is opened, so that a missing privilege, an unknown interface
 * or a kernel without BPF is one clear line naming the fix, not an errno
 * from deep inside libbpf.  Offline replay and --help need none of this.
 */
#ifndef VRRPWATCH_PRIVILEGES_H
#define VRRPWATCH_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The interface's index, or 0 with "-i eth9: no such interface ..." in err. */
unsigned vw_priv_ifindex(const char *name, char *err, size_t errlen);

/*
 * Can the XDP/TC backend run here?  false with the reason in why: built
 * without BPF, a kernel without bpf(2), not root and without CAP_BPF +
 * CAP_NET_ADMIN.  (Loading may still fail later; that is reported then.)
 */
bool vw_priv_bpf_possible(char *why, size_t len);

/* Can libpcap capture (root or CAP_NET_RAW)?  false with the reason. */
bool vw_priv_pcap_possible(char *why, size_t len);

/* Neither backend can capture: the one message for both, naming the fix. */
void vw_priv_no_capture(char *err, size_t len);

/* ---- giving privileges up (-Z USER, seccomp) ------------------------------ */

#include <stdint.h>

/* Capability bits for vw_priv_lockdown's keep mask. */
#define VW_PRIV_CAP(n) (1ull << (n))
#define VW_PRIV_NET_ADMIN VW_PRIV_CAP(12)

/* What the steady state is: which system calls the seccomp filter allows. */
enum vw_priv_stage {
	VW_PRIV_OFFLINE, /* replay, --lint, --show-config: identity only, no filter */
	VW_PRIV_LIVE,    /* the live loop: identity, capabilities, seccomp */
};

/*
 * Decide, before anything is opened, whom to become: user (-Z; NULL: the
 * "vrrpwatch" user when it exists, else "nobody"), and whether the live
 * steady state is filtered (no_seccomp: --no-seccomp).  Only a process
 * running as root changes identity.  -1 with one line in err for an
 * unknown user.
 */
int vw_priv_prepare(const char *user, bool no_seccomp, char *err, size_t len);

/*
 * Become that user now, keeping only the capabilities in keep (effective
 * and permitted; the bounding and ambient sets are emptied of the rest),
 * set no_new_privs, and for VW_PRIV_LIVE install the seccomp filter.
 * Everything the run needs must be open by then.  One line to log says
 * what was given up (with -v); -1 with a line in err when it could not
 * be done (the caller ends the run: never carry on with more than asked).
 */
int vw_priv_lockdown(enum vw_priv_stage stage, uint64_t keep, FILE *log, int verbose,
		     char *err, size_t len);

/* The user the process runs as after vw_priv_lockdown ("root" for -Z root). */
const char *vw_priv_user(void);

/*
 * Lock files in root's /run/vrrpwatch: vw_priv_note_lock() before the
 * drop, vw_priv_unlink() at the end.  After the drop the unlink is done by
 * a small helper that stayed root (no capabilities, its own seccomp
 * filter: it can only unlink the paths it was given at the drop).
 */
void vw_priv_note_lock(const char *path);
int vw_priv_unlink(const char *path);

/*
 * The --prom-file path, before the drop: if the user cannot write its
 * directory, the same helper writes it with write_fn (vw_prom_file_write_here),
 * that path only.  vw_priv_write_file is the caller's side (the same
 * signature), usable once vw_priv_helper_writes() says the helper runs.
 */
void vw_priv_note_file(const char *path, int (*write_fn)(const char *, const void *, size_t));
bool vw_priv_helper_writes(void);
int vw_priv_write_file(const char *path, const void *buf, size_t len);

#endif
