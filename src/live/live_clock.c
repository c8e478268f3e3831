// SPDX-License-Identifier: GPL-2.0-or-later
#include "live/live_clock.h"

#include <time.h>

#define NS_PER_S 1000000000ull

static uint64_t ns_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

uint64_t vw_mono_ns(void)
{
	return ns_of(CLOCK_MONOTONIC);
}

uint64_t vw_real_ns(void)
{
	return ns_of(CLOCK_REALTIME);
}

/* Two reads of each clock around one of the other: the middle is closest. */
int64_t vw_real_minus_mono(void)
{
	uint64_t m1 = vw_mono_ns(), r = vw_real_ns(), m2 = vw_mono_ns();

	return (int64_t)(r - (m1 + (m2 - m1) / 2));
}

uint64_t vw_jclock_guess_hz(uint64_t j1, uint64_t mono1, uint64_t j2, uint64_t mono2)
{
	static const uint64_t known[] = {100, 250, 300, 1000, 24, 48, 1024, 1200, 128, 256, 512};

	if (mono2 <= mono1 || j2 <= j1 || mono2 - mono1 < NS_PER_S / 20)
		return 0;
	double hz = (double)(j2 - j1) * 1e9 / (double)(mono2 - mono1);
	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		double k = (double)known[i];
		/* a jiffy either side of the interval: within 5% over >= 50 ms
		 * tells 250 from 300 */
		if (hz > k * 0.95 && hz < k * 1.05)
			return known[i];
	}
	return (uint64_t)(hz + 0.5);
}

void vw_jclock_init(struct vw_jclock *c, uint64_t hz, uint64_t jiffies, uint64_t mono_ns)
{
	c->hz = hz ? hz : 250;
	c->tick_ns = (NS_PER_S + c->hz / 2) / c->hz;
	c->ref_jiffies = jiffies;
	c->ref_mono_ns = mono_ns;
	c->real_minus_mono = vw_real_minus_mono();
}

void vw_jclock_set_wall(struct vw_jclock *c, int64_t real_minus_mono)
{
	c->real_minus_mono = real_minus_mono;
}

uint64_t vw_jclock_real_ns(const struct vw_jclock *c, uint64_t jiffies)
{
	int64_t dj = (int64_t)(jiffies - c->ref_jiffies);
	int64_t mono = (int64_t)c->ref_mono_ns + dj * (int64_t)c->tick_ns;

	return (uint64_t)(mono + c->real_minus_mono);
}

uint64_t vw_jclock_at(const struct vw_jclock *c, uint64_t mono_ns)
{
	int64_t d = (int64_t)(mono_ns - c->ref_mono_ns);
	int64_t t = (int64_t)c->tick_ns;

	/* floor division, also before the reference */
	return c->ref_jiffies + (uint64_t)(d >= 0 ? d / t : -((-d + t - 1) / t));
}

uint64_t vw_jclock_jiffies(const struct vw_jclock *c, uint64_t ns)
{
	return (ns * c->hz + NS_PER_S - 1) / NS_PER_S;
}
