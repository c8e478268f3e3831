/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live_clock.h - the BPF programs stamp jiffies (the one clock they can
 * read for free; see vw_now() in bpf/vrrpwatch.bpf.h); reports want wall
 * clock time.  A pair (jiffies, CLOCK_MONOTONIC) read in one instant by a
 * BPF program, and CLOCK_REALTIME - CLOCK_MONOTONIC read by userspace,
 * convert one into the other to within a jiffy.
 */
#ifndef VRRPWATCH_LIVE_CLOCK_H
#define VRRPWATCH_LIVE_CLOCK_H

#include <stdint.h>

struct vw_jclock {
	uint64_t hz;          /* jiffies per second (the kernel's CONFIG_HZ) */
	uint64_t tick_ns;     /* the kernel's TICK_NSEC: (1e9 + hz / 2) / hz */
	uint64_t ref_jiffies; /* an instant at which jiffies changed */
	uint64_t ref_mono_ns;
	int64_t real_minus_mono; /* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
};

/*
 * The kernel's HZ from two samples some time apart: the nearest of the
 * values Kconfig offers, or the measured rate when none is near.
 * Returns 0 when the samples are too close to tell.
 */
uint64_t vw_jclock_guess_hz(uint64_t j1, uint64_t mono1, uint64_t j2, uint64_t mono2);

/*
 * The reference: an instant at which jiffies became `jiffies`.  The kernel
 * derives jiffies from CLOCK_MONOTONIC in steps of TICK_NSEC, so one
 * reference serves the whole run; only the wall clock offset is refreshed
 * (vw_jclock_set_wall, at every tick: NTP steps the wall clock).
 */
void vw_jclock_init(struct vw_jclock *c, uint64_t hz, uint64_t jiffies, uint64_t mono_ns);
void vw_jclock_set_wall(struct vw_jclock *c, int64_t real_minus_mono);

/* Wall clock time (ns since the epoch) of a jiffies stamp. */
uint64_t vw_jclock_real_ns(const struct vw_jclock *c, uint64_t jiffies);

/* The jiffies count at CLOCK_MONOTONIC time mono_ns (rounded down). */
uint64_t vw_jclock_at(const struct vw_jclock *c, uint64_t mono_ns);

/* Jiffies in `ns` nanoseconds, rounded up. */
uint64_t vw_jclock_jiffies(const struct vw_jclock *c, uint64_t ns);

/* CLOCK_REALTIME - CLOCK_MONOTONIC now, in ns. */
int64_t vw_real_minus_mono(void);
uint64_t vw_mono_ns(void);
uint64_t vw_real_ns(void);

#endif
