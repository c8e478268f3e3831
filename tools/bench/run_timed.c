// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run_timed - run a command and print its wall time, its peak RSS and how
 * it ended, measured from its own fork to its own exit: a shell's `time`
 * wrapper or `timeout` would add their own start-up (2 to 3 ms here) to
 * every run, which flattens the ratio of two short runs.
 *
 * usage: run_timed [--cpu N] LIMIT_S OUT_FILE CMD [ARG...]
 * --cpu N runs the command on CPU N alone (its fork inherits the
 * affinity), as taskset would without taskset's own start-up in the time.
 * OUT_FILE gets one line: "SECONDS MAXRSS_KB STATUS" (STATUS: the exit
 * status, 128 + signal, or 124 when LIMIT_S ran out and it was killed).
 * The command's stdout and stderr go to /dev/null.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	if (child > 0)
		kill(child, SIGKILL);
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, code;
	char *end;

	if (argc > 2 && !strcmp(argv[1], "--cpu")) {
		long cpu = strtol(argv[2], &end, 10);
		cpu_set_t set;
		if (*end || !*argv[2] || cpu < 0 || cpu >= CPU_SETSIZE) {
			fprintf(stderr, "%s: --cpu takes a CPU number, not '%s'\n", argv[0], argv[2]);
			return 2;
		}
		CPU_ZERO(&set);
		CPU_SET((int)cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fprintf(stderr, "%s: --cpu %ld: %s (taskset -pc $$ lists the CPUs allowed)\n",
				argv[0], cpu, strerror(errno));
			return 2;
		}
		argv[2] = argv[0]; /* the name in the messages below */
		argv += 2;
		argc -= 2;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: %s [--cpu N] LIMIT_S OUT_FILE CMD [ARG...]\n", argv[0]);
		return 2;
	}
	long limit = strtol(argv[1], &end, 10);
	if (*end || limit < 1 || limit > 86400) {
		fprintf(stderr, "%s: LIMIT_S must be 1 to 86400 seconds, not '%s'\n", argv[0],
			argv[1]);
		return 2;
	}
	FILE *out = fopen(argv[2], "w");
	if (!out) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[2], strerror(errno));
		return 2;
	}
	signal(SIGALRM, on_alarm);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	child = fork();
	if (child < 0) {
		fprintf(stderr, "%s: fork: %s\n", argv[0], strerror(errno));
		return 2;
	}
	if (child == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	alarm((unsigned)limit);
	while (wait4(child, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "%s: wait4: %s\n", argv[0], strerror(errno));
			return 2;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	alarm(0);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		code = 124;
	fprintf(out, "%.6f %ld %d\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		ru.ru_maxrss, code);
	return fclose(out) ? 2 : 0;
}
