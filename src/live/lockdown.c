// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lockdown.c - giving privileges up once everything is open (-Z USER, as
 * tcpdump's -Z, and further): the user's identity, only the capabilities
 * the rest of the run needs, no_new_privs, and for the live steady state
 * a seccomp filter that allows the system calls it makes and no others.
 *
 * Raw system calls and a hand-written classic BPF filter: no libcap or
 * libseccomp to install, and nothing here that a reader cannot check
 * against the kernel's own headers.
 */
#include "live/privileges.h"
#include "util/fd_io.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define VW_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define VW_SANITIZED 1
#endif
#endif

#if defined(__x86_64__)
#define VW_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define VW_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define VW_AUDIT_ARCH AUDIT_ARCH_I386
#endif

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LD_ARCH BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define LD_ARG0 BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))

#define DEFAULT_USER "vrrpwatch"
#define FALLBACK_USER "nobody"
#define MAX_GROUPS 64
#define MAX_LOCKS 16

static struct {
	bool prepared;
	bool change;     /* running as root, to become another user */
	bool keep_root;  /* -Z root */
	bool no_seccomp;
	uid_t uid;
	gid_t gid;
	gid_t groups[MAX_GROUPS];
	int n_groups;
	char name[64];
	/* the lock files, and the helper that can still unlink them */
	char *locks[MAX_LOCKS];
	size_t n_locks;
	const char *file; /* --prom-file */
	int (*write_fn)(const char *, const void *, size_t);
	int req_fd, ack_fd; /* -1: no helper */
} P = {.req_fd = -1, .ack_fd = -1};

const char *vw_priv_user(void)
{
	return P.name[0] ? P.name : NULL;
}

int vw_priv_prepare(const char *user, bool no_seccomp, char *err, size_t len)
{
	struct passwd *pw;

	P.prepared = true;
	P.no_seccomp = no_seccomp;
	if (geteuid() != 0) {
		/* nothing to give up but capabilities (setcap): the identity stays */
		if (user && strcmp(user, "root")) {
			errno = 0;
			pw = getpwnam(user);
			if (!pw || pw->pw_uid != geteuid()) {
				snprintf(err, len, "-Z %s: only a process started as root can change "
						   "its user (this one runs as uid %u)",
					 user, (unsigned)geteuid());
				return -1;
			}
		}
		return 0;
	}
	if (user && !strcmp(user, "root")) {
		P.keep_root = true;
		snprintf(P.name, sizeof(P.name), "root");
		return 0;
	}
	pw = getpwnam(user ? user : DEFAULT_USER);
	if (!pw && !user)
		pw = getpwnam(FALLBACK_USER);
	if (!pw) {
		if (user)
			snprintf(err, len, "-Z %s: no such user (see getent passwd; -Z root keeps root)",
				 user);
		else
			snprintf(err, len, "neither user '" DEFAULT_USER "' nor '" FALLBACK_USER
					   "' exists to give root up to: create one (useradd --system "
					   DEFAULT_USER "), or name one with -Z USER");
		return -1;
	}
	if (pw->pw_uid == 0) {
		P.keep_root = true;
		snprintf(P.name, sizeof(P.name), "%s", pw->pw_name);
		return 0;
	}
	P.change = true;
	P.uid = pw->pw_uid;
	P.gid = pw->pw_gid;
	snprintf(P.name, sizeof(P.name), "%s", pw->pw_name);
	/* the user's groups: a shared textfile directory may be writable by one */
	P.n_groups = MAX_GROUPS;
	if (getgrouplist(pw->pw_name, pw->pw_gid, P.groups, &P.n_groups) < 0) {
		P.groups[0] = pw->pw_gid;
		P.n_groups = 1;
	}
	return 0;
}

/* ---- the helper that stays root ---------------------------------------------- */

/*
 * Root's /run/vrrpwatch holds the interface locks, and --prom-file's
 * directory may let only root in.  Neither needs a capability: uid 0 owns
 * them.  So when the process gives root up, a helper forked just before
 * keeps uid 0 with no capabilities, no_new_privs and a seccomp filter of
 * its own, and does two things on request, for the paths it was given
 * before the fork only: unlink a lock file, write the textfile.  It ends
 * when the main process closes the pipe (or dies).
 */
#define MAX_FILE (256u << 20) /* a textfile larger than this is refused */

void vw_priv_note_lock(const char *path)
{
	if (P.n_locks < MAX_LOCKS && P.req_fd < 0)
		P.locks[P.n_locks++] = strdup(path);
}

void vw_priv_note_file(const char *path, int (*write_fn)(const char *, const void *, size_t))
{
	if (P.req_fd < 0 && path) {
		P.file = path;
		P.write_fn = write_fn;
	}
}

static int install_filter(const struct sock_filter *f, size_t n)
{
	struct sock_fprog prog = {.len = (unsigned short)n, .filter = (struct sock_filter *)f};

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog))
		return -errno;
	return 0;
}

static int caps_to(uint64_t keep);
static int bounding_to(uint64_t keep);
static int helper_filter(void);

/* A record whole, or nothing: end of file and errors alike end the talk. */
static bool read_whole(int fd, void *buf, size_t len)
{
	return vw_read_full(fd, buf, len) == (ssize_t)len;
}

/* A request: 'U' and the lock's index, or 'W' and the textfile's length
 * and bytes.  The answer: an int, 0 or a negative errno. */
struct req {
	unsigned char op, lock;
	uint32_t len;
};

static void helper_main(int req_fd, int ack_fd)
{
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	int lo = req_fd < ack_fd ? req_fd : ack_fd, hi = req_fd < ack_fd ? ack_fd : req_fd;
	struct req r;

	if (devnull >= 0) { /* the output's reader must not wait for the helper */
		dup2(devnull, 0);
		dup2(devnull, 1);
	}
	syscall(SYS_close_range, 3, lo - 1, 0);
	syscall(SYS_close_range, lo + 1, hi - 1, 0);
	syscall(SYS_close_range, hi + 1, ~0u, 0);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_NAME, "vrrpwatch-priv", 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (bounding_to(0) || caps_to(0) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    helper_filter())
		_exit(2);
	while (read_whole(req_fd, &r, sizeof(r))) {
		int rc = -EINVAL;
		if (r.op == 'U' && r.lock < P.n_locks) {
			rc = unlink(P.locks[r.lock]) ? -errno : 0;
		} else if (r.op == 'W' && r.len <= MAX_FILE) {
			char *buf = malloc(r.len ? r.len : 1);
			if (!buf || !read_whole(req_fd, buf, r.len))
				_exit(2);
			rc = P.file && P.write_fn ? P.write_fn(P.file, buf, r.len) : -EINVAL;
			free(buf);
		} else {
			_exit(2); /* out of step: the main process is not itself */
		}
		if (vw_write_all(ack_fd, &rc, sizeof(rc)))
			break;
	}
	_exit(0); /* the main process is gone: a lock it did not hand over stays */
}

static int start_helper(void)
{
	int req[2], ack[2];
	pid_t pid;

	if (pipe2(req, O_CLOEXEC))
		return -errno;
	if (pipe2(ack, O_CLOEXEC)) {
		close(req[0]);
		close(req[1]);
		return -errno;
	}
	fflush(NULL); /* nothing buffered is written twice */
	pid = fork();
	if (pid < 0) {
		int rc = -errno;
		close(req[0]), close(req[1]), close(ack[0]), close(ack[1]);
		return rc;
	}
	if (pid == 0)
		helper_main(req[0], ack[1]);
	close(req[0]);
	close(ack[1]);
	P.req_fd = req[1];
	P.ack_fd = ack[0];
	return 0;
}

static int ask(const struct req *r, const void *data, size_t len)
{
	int rc;

	if (vw_write_all(P.req_fd, r, sizeof(*r)) || vw_write_all(P.req_fd, data, len) ||
	    !read_whole(P.ack_fd, &rc, sizeof(rc)))
		return -EPIPE;
	return rc;
}

int vw_priv_unlink(const char *path)
{
	for (size_t i = 0; P.req_fd >= 0 && i < P.n_locks; i++)
		if (!strcmp(P.locks[i], path))
			return ask(&(struct req){.op = 'U', .lock = (unsigned char)i}, NULL, 0);
	return unlink(path) ? -errno : 0;
}

bool vw_priv_helper_writes(void)
{
	return P.req_fd >= 0 && P.file;
}

int vw_priv_write_file(const char *path, const void *buf, size_t len)
{
	if (!vw_priv_helper_writes() || strcmp(path, P.file) || len > MAX_FILE)
		return -EACCES;
	return ask(&(struct req){.op = 'W', .len = (uint32_t)len}, buf, len);
}

/* ---- capabilities ---------------------------------------------------------- */

static int caps_to(uint64_t keep)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2] = {
		{.effective = (uint32_t)keep, .permitted = (uint32_t)keep, .inheritable = 0},
		{.effective = (uint32_t)(keep >> 32), .permitted = (uint32_t)(keep >> 32),
		 .inheritable = 0},
	};

	if (syscall(SYS_capset, &h, d))
		return -errno;
	return 0;
}

/* Empty the bounding set but for keep (needs CAP_SETPCAP: before setuid). */
static int bounding_to(uint64_t keep)
{
	for (int cap = 0; cap < 64; cap++) {
		if (keep & (1ull << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL)
			return errno == EPERM ? 0 : -errno; /* no CAP_SETPCAP: not root */
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return 0;
}

/* The capabilities this process holds in its permitted set. */
static uint64_t permitted_caps(void)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2] = {0};

	if (syscall(SYS_capget, &h, d))
		return 0;
	return (uint64_t)d[0].permitted | (uint64_t)d[1].permitted << 32;
}

static int become_user(uint64_t keep, char *err, size_t len)
{
	int rc;

	if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		goto fail;
	if (setgroups((size_t)P.n_groups, P.groups) || setresgid(P.gid, P.gid, P.gid) ||
	    setresuid(P.uid, P.uid, P.uid))
		goto fail;
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	if ((rc = caps_to(keep))) {
		errno = -rc;
		goto fail;
	}
	/* tcpdump's check: there is no way back */
	if (setuid(0) == 0 || seteuid(0) == 0) {
		snprintf(err, len, "-Z %s: root could be regained after the switch; refusing to "
				   "go on", P.name);
		return -1;
	}
	return 0;
fail:
	snprintf(err, len, "-Z %s: cannot switch to uid %u gid %u: %s", P.name, (unsigned)P.uid,
		 (unsigned)P.gid, strerror(errno));
	return -1;
}

/* ---- the steady state's system calls --------------------------------------- */

/*
 * Derived with strace -f -c over live runs (XDP/tcx, clsact, libpcap;
 * --json, lines and the terminal view; --prom-file, --prom-listen with
 * scrapes; SIGINT, --duration and the closing report), plus what glibc
 * and the sanitizer runtimes call on their own paths (allocation, abort,
 * error reports).  See bpf/README.md, "Privileges after the start".
 */
static const int live_calls[] = {
	/* input: maps, ring buffer, libpcap's socket, the signalfd */
	SYS_bpf, SYS_read, SYS_readv, SYS_pread64, SYS_recvfrom, SYS_recvmsg,
	SYS_epoll_wait, SYS_epoll_pwait, SYS_epoll_ctl, SYS_ppoll, SYS_getsockopt,
#ifdef SYS_epoll_pwait2
	SYS_epoll_pwait2,
#endif
#ifdef SYS_poll
	SYS_poll,
#endif
	/* output: stdout, the terminal view, --prom-file, --prom-listen */
	SYS_write, SYS_writev, SYS_pwrite64, SYS_ioctl, SYS_fcntl, SYS_fstat, SYS_newfstatat,
	SYS_lseek, SYS_openat, SYS_close, SYS_linkat, SYS_renameat, SYS_unlinkat, SYS_fchmod,
	SYS_fsync, SYS_fdatasync, SYS_ftruncate, SYS_getrandom, SYS_faccessat,
#ifdef SYS_unlink
	SYS_unlink, /* -Z root: the lock file, without the helper */
#endif
#ifdef SYS_statx
	SYS_statx,
#endif
#ifdef SYS_renameat2
	SYS_renameat2,
#endif
#ifdef SYS_faccessat2
	SYS_faccessat2,
#endif
	SYS_accept4, SYS_sendto, SYS_sendmsg, SYS_shutdown, SYS_setsockopt, SYS_getsockname,
	SYS_getpeername, SYS_bind, /* bind: the netlink socket of the clsact teardown */
	/* time, memory, signals, threads: glibc and the sanitizer runtimes */
	SYS_clock_gettime, SYS_clock_nanosleep, SYS_nanosleep, SYS_gettimeofday,
	SYS_mmap, SYS_munmap, SYS_mremap, SYS_madvise, SYS_mprotect, SYS_brk, SYS_futex,
	SYS_sigaltstack, SYS_rt_sigprocmask, SYS_rt_sigaction, SYS_rt_sigreturn,
	SYS_restart_syscall, SYS_getpid, SYS_gettid, SYS_tgkill, SYS_sched_yield,
	SYS_exit, SYS_exit_group,
	/* glibc's qsort past 1 KiB asks for the memory size (sysconf: sysinfo), once:
	 * a flood of sources at the first large sort; CPU counts (sched_getaffinity) */
	SYS_sysinfo, SYS_sched_getaffinity,
#ifdef SYS_rseq
	SYS_rseq,
#endif
#ifdef SYS_time
	SYS_time,
#endif
#ifdef VW_SANITIZED
	/* ASan's reports and LeakSanitizer at exit: it stops the world with a
	 * traced clone of the process */
	SYS_clone, SYS_ptrace, SYS_wait4, SYS_prctl, SYS_getdents64, SYS_readlinkat,
	SYS_getppid, SYS_prlimit64, SYS_dup, SYS_pipe2, SYS_uname, SYS_kill,
	SYS_process_vm_readv, SYS_waitid,
#ifdef SYS_readlink
	SYS_readlink,
#endif
#ifdef SYS_getdents
	SYS_getdents, /* its thread lister, on x86_64 */
#endif
#ifdef SYS_clone3
	SYS_clone3,
#endif
#ifdef SYS_open
	SYS_open,
#endif
#ifdef SYS_getrlimit
	SYS_getrlimit,
#endif
#endif
};

/* The helper: its pipe, unlink, the textfile's write (prom_file.c), memory. */
static const int helper_calls[] = {
	SYS_read, SYS_write, SYS_unlinkat, SYS_openat, SYS_linkat, SYS_renameat, SYS_fchmod,
	SYS_fsync, SYS_close, SYS_getrandom, SYS_fstat, SYS_newfstatat, SYS_faccessat,
	SYS_mmap, SYS_munmap, SYS_mremap, SYS_madvise, SYS_mprotect, SYS_brk, SYS_futex,
	SYS_rt_sigreturn, SYS_rt_sigprocmask, SYS_sigaltstack, SYS_getpid, SYS_gettid,
	SYS_tgkill, SYS_exit, SYS_exit_group,
#ifdef SYS_unlink
	SYS_unlink,
#endif
#ifdef SYS_renameat2
	SYS_renameat2,
#endif
#ifdef SYS_faccessat2
	SYS_faccessat2,
#endif
#ifdef VW_SANITIZED
	SYS_clone, SYS_ptrace, SYS_wait4, SYS_prctl, SYS_getdents64, SYS_readlinkat,
	SYS_sched_getaffinity, SYS_getppid, SYS_sched_yield, SYS_clock_gettime,
	SYS_rt_sigaction,
#ifdef SYS_readlink
	SYS_readlink,
#endif
#ifdef SYS_open
	SYS_open,
#endif
#endif
};
static const size_t n_helper_calls = sizeof(helper_calls) / sizeof(helper_calls[0]);

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	static const char head[] = "vrrpwatch: seccomp: system call ";
	static const char tail[] = " not allowed in the steady state; report this, and run "
				   "with --no-seccomp meanwhile\n";
	char num[16], *p = num + sizeof(num);
	unsigned n = si ? (unsigned)si->si_syscall : 0;
	ssize_t w;

	(void)sig, (void)uc;
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) && p > num);
	w = write(2, head, sizeof(head) - 1);
	w = write(2, p, (size_t)(num + sizeof(num) - p));
	w = write(2, tail, sizeof(tail) - 1);
	(void)w;
	_exit(2);
}

/* calls allowed, socket(2) for netlink too when asked, SIGSYS for the rest */
static int filter_calls(const int *calls, size_t n_calls, bool netlink)
{
	size_t cap = 2 * n_calls + 16, n = 0;
	struct sock_filter *f = calloc(cap, sizeof(*f));
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	int rc;

	if (!f)
		return -ENOMEM;
#ifdef VW_AUDIT_ARCH
	f[n++] = (struct sock_filter)LD_ARCH;
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, VW_AUDIT_ARCH, 1, 0);
	f[n++] = (struct sock_filter)RET(SECCOMP_RET_KILL_PROCESS);
#endif
	f[n++] = (struct sock_filter)LD_NR;
#ifdef __x86_64__
	/* x32 calls have their own numbers with bit 30 set */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);
	f[n++] = (struct sock_filter)RET(SECCOMP_RET_TRAP);
#endif
	for (size_t i = 0; i < n_calls; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)calls[i],
						      0, 1);
		f[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	}
	if (netlink) {
		/* socket(2) for netlink only: the clsact teardown talks rtnetlink */
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 3);
		f[n++] = (struct sock_filter)LD_ARG0;
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1);
		f[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	}
	f[n++] = (struct sock_filter)RET(SECCOMP_RET_TRAP);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL)) {
		free(f);
		return -errno;
	}
	rc = install_filter(f, n);
	free(f);
	return rc;
}

static int helper_filter(void)
{
	return filter_calls(helper_calls, n_helper_calls, false);
}

static int live_filter(void)
{
	return filter_calls(live_calls, sizeof(live_calls) / sizeof(live_calls[0]), true);
}

/* ---- all together -------------------------------------------------------------- */

static void describe_caps(char *buf, size_t len, uint64_t caps)
{
	snprintf(buf, len, "%s", !caps ? "no capabilities"
			   : caps == VW_PRIV_NET_ADMIN ? "CAP_NET_ADMIN (to remove the clsact filter "
							 "at exit)"
			   : "some capabilities");
}

int vw_priv_lockdown(enum vw_priv_stage stage, uint64_t keep, FILE *log, int verbose,
		     char *err, size_t len)
{
	char caps[96];
	int rc;

	if (!P.prepared)
		return 0;
	if (stage == VW_PRIV_OFFLINE)
		keep = 0;
	if (P.keep_root) {
		fprintf(log, "vrrpwatch: -Z %s: running on as root with every capability: "
			     "any flaw in the packet decoder is a flaw in root\n", P.name);
	} else if (P.change) {
		if ((P.n_locks || P.file) && (rc = start_helper())) {
			snprintf(err, len, "cannot start the helper that stays root: %s",
				 strerror(-rc));
			return -1;
		}
		if ((rc = bounding_to(keep))) {
			snprintf(err, len, "cannot drop capabilities: %s", strerror(-rc));
			return -1;
		}
		if (become_user(keep, err, len))
			return -1;
#ifdef VW_SANITIZED
		/* LeakSanitizer traces the process at exit: a process that changed
		 * its uid is not dumpable, and cannot be traced, not even by itself */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
	} else if (keep != permitted_caps()) {
		/* not root: file capabilities (setcap), brought down to what is kept */
		caps_to(keep & permitted_caps());
		bounding_to(keep);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(err, len, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	describe_caps(caps, sizeof(caps), P.keep_root ? permitted_caps() : keep);
	if (stage == VW_PRIV_LIVE && !P.no_seccomp && (rc = live_filter())) {
		snprintf(err, len, "cannot install the seccomp filter (%s); --no-seccomp runs "
				   "without it", strerror(-rc));
		return -1;
	}
	if (verbose && P.change)
		fprintf(log, "vrrpwatch: running as %s (uid %u) with %s%s\n", P.name,
			(unsigned)P.uid, caps,
			stage == VW_PRIV_LIVE && !P.no_seccomp ? ", seccomp filter on" : "");
	if (stage == VW_PRIV_LIVE && getenv("VRRPWATCH_TEST_SECCOMP_VIOLATION"))
		syscall(SYS_setdomainname, NULL, 0); /* tests only: a call the filter refuses */
	return 0;
}
