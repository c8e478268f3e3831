// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * silent_master.c - a master that keepalived keeps from advertising.
 *
 * Only a master sends adverts (RFC 3768 / RFC 5798 6.4.3), and a master
 * leaves that state only by resigning (a priority-0 advert) or on an advert
 * it accepts with a higher priority (or an equal one from a higher address).
 * A router that advertised once while another master advertised, and that
 * discards every advert of that master (another version, or in VRRPv2
 * another interval or authentication: RFC 3768 7.1 "MUST discard"), is
 * therefore still master, though it may send nothing more: keepalived
 * restarts a master's advert timer on every advert it receives for the
 * instance, even one it then discards (vrrp_dispatcher_read calls
 * vrrp_init_instance_sands unless lower_prio_no_advert), so while the other
 * advertises at least as often as its own interval it stays silent, or
 * nearly.  The lab's
 * interval_mismatch_v2 shows it: b (advert_int 3) logs "Entering MASTER
 * STATE" and sends one advert; a (advert_int 1) stays MASTER too.
 */
#include "detect/silent_master.h"

#include <stdbool.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "util/strbuf.h"

#define NS_PER_CS 10000000ull

/* The same, without text: on every pair at every tick.  The passwords
 * are read only when both use one: they lie in the stored advert, a cache
 * line that nothing else of a tick reads. */
static bool deaf(const struct vw_row *x, const struct vw_row *y)
{
	const struct vw_obs_val *a = &x->val, *b = &y->val;
	const uint8_t *pa, *pb;

	if (a->version != b->version)
		return true;
	if (a->version != 2)
		return false;
	if (a->interval_cs != b->interval_cs || a->auth_type != b->auth_type)
		return true;
	return a->auth_type == 1 && (pa = vw_row_auth_data(x)) && (pb = vw_row_auth_data(y)) &&
	       memcmp(pa, pb, 8);
}

size_t vw_mutual_rejection(const struct vw_row *x, const struct vw_row *y, char *why, size_t len)
{
	const struct vw_obs_val *a = &x->val, *b = &y->val;
	const uint8_t *pa = vw_row_auth_data(x), *pb = vw_row_auth_data(y);
	char i1[24], i2[24];
	struct vw_strbuf sb;

	vw_sb_init(&sb, why, len);
	/* keepalived has no mixed v2/v3 mode (RFC 5798 8.4): "wrong version" */
	if (a->version != b->version)
		vw_sb_item(&sb, "; ", "VRRP version %u against %u", a->version, b->version);
	if (a->version != 2 || b->version != 2)
		return strlen(why);
	if (a->interval_cs != b->interval_cs)
		vw_sb_item(&sb, "; ", "VRRPv2 advert interval %s against %s",
			   vw_interval_str(a->interval_cs, i1, sizeof(i1)),
			   vw_interval_str(b->interval_cs, i2, sizeof(i2)));
	if (a->auth_type != b->auth_type)
		vw_sb_item(&sb, "; ", "authentication %s against %s", vw_auth_name(a->auth_type),
			   vw_auth_name(b->auth_type));
	else if (a->auth_type == 1 && pa && pb && memcmp(pa, pb, 8))
		vw_sb_item(&sb, "; ", "different passwords");
	return strlen(why);
}

bool vw_silencing(const struct vw_row *x, const struct vw_activity *xa, const struct vw_row *y,
		  const struct vw_activity *ya, uint64_t *from_ns)
{
	uint64_t y_int = (uint64_t)y->val.interval_cs * NS_PER_CS, y_first = ya->start_ns;

	*from_ns = y_first;
	if (!y->val.priority || ya->resigned || !ya->active || !x->val.priority || !xa->active)
		return false;
	/* x's adverts restart y's timer before it fires if they come at
	 * least as often: with equal intervals y fires only when one of x's
	 * is late (the lab's auth_mismatch: b advertises 4 times in 15 s) */
	if (x->val.interval_cs > y->val.interval_cs ||
	    !deaf(x, y))
		return false;
	/* y is master from its first advert of the episode on, as nothing x
	 * sends can make it backup; x was advertising by the time y's next
	 * advert was due, and since (its episode, not its run: it may be
	 * silenced in turn) */
	return xa->start_ns <= y_first + y_int;
}

uint64_t vw_silenced_master_ns(const struct vw_row *x, const struct vw_activity *xa,
			       const struct vw_row *y, const struct vw_activity *ya)
{
	uint64_t from;

	if (!vw_silencing(x, xa, y, ya, &from) || xa->last_ns <= from)
		return 0;
	return xa->last_ns - from;
}
