// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * obs_table.c - the observation table (see obs_table.h).
 *
 * Rows live in a dense array; an open-addressing index (linear probing,
 * backward-shift deletion) maps keys to rows.  Keys are compared as bytes:
 * struct vw_obs_key has no implicit padding and callers zero it.
 */
#include "model/obs_table.h"
#include "shared/obs_update.h"

#include "util/addr_fmt.h"
#include "util/grow.h"
#include "util/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VW_MIN_SLOTS 64
#define VW_EVICT_SAMPLE 8
#define VW_MAX_REJECT_ROWS 1024

_Static_assert(sizeof(struct vw_obs_key) == 56, "vw_obs_key must stay 56 bytes, unpadded");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "vw_key_from_advert packs the key for little-endian hosts");

int vw_table_init(struct vw_table *t, size_t max_rows)
{
	memset(t, 0, sizeof(*t));
	t->max_rows = max_rows ? max_rows : VW_DEFAULT_MAX_ROWS;
	t->rng = 0x9e3779b97f4a7c15ull;
	return vw_pos_index_rebuild(&t->by_key, VW_MIN_SLOTS, NULL, 0, NULL);
}

void vw_table_free(struct vw_table *t)
{
	for (size_t i = 0; i < t->n_rows; i++) {
		free(t->rows[i].msg);
		free(t->rows[i].text);
	}
	for (size_t i = 0; i < t->n_segments; i++)
		free(t->segments[i].file);
	free(t->rows);
	vw_pos_index_free(&t->by_key);
	free(t->rejects);
	free(t->segments);
	free(t->marks.rows);
	free(t->evicted.v);
	vw_pos_index_free(&t->evicted.by_key);
	vw_vips_free(&t->vips);
	memset(t, 0, sizeof(*t));
}

/*
 * The length of the valid, printable UTF-8 sequence at s (0: none).  C0
 * and C1 controls, DEL, invisible formatting characters, overlong forms,
 * surrogates and code points past U+10FFFF are not printable here.
 */
static size_t printable_utf8(const unsigned char *s)
{
	unsigned cp, len;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (unsigned i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		cp = cp << 6 | (s[i] & 0x3f);
	}
	static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < least[len] || cp < 0xa0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* invisible formatting: zero-width, bidi overrides and isolates, line
	 * and paragraph separators, BOM, interlinear annotation -- a name
	 * must not reorder or hide the text around it ("Trojan Source") */
	if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb))
		return 0;
	return len;
}

/*
 * A segment's name comes from the capture (a pcapng if_name option) and
 * ends up on a terminal, in JSON and in Prometheus labels: keep printable
 * UTF-8 (a Linux interface name may hold any byte but '/', ':' and
 * spaces, and must still match keepalived.conf), so that a crafted name
 * can neither move the cursor nor make the exposition invalid UTF-8.
 */
static void copy_printable(char *dst, size_t size, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	while (*s && o + 1 < size) {
		size_t n = printable_utf8(s);
		if (!n) {
			dst[o++] = '?';
			s++;
			continue;
		}
		if (o + n >= size)
			break; /* never cut a character in two */
		memcpy(dst + o, s, n);
		o += n;
		s += n;
	}
	dst[o] = 0;
}

/* --segment's name for an interface: IFACE=NAME, else NAME, else NULL. */
static const char *segment_name_given(const struct vw_segment_names *g, const char *ifname)
{
	if (!g)
		return NULL;
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->iface[i], ifname))
			return g->name[i];
	return g->all;
}

int vw_table_add_segment(struct vw_table *t, const char *name, const char *file,
			 uint32_t if_id, int linktype, bool named)
{
	struct vw_segment *segs = realloc(t->segments, (t->n_segments + 1) * sizeof(*segs));

	if (!segs)
		return -ENOMEM;
	t->segments = segs;
	struct vw_segment *s = &segs[t->n_segments];
	memset(s, 0, sizeof(*s));
	copy_printable(s->name, sizeof(s->name), name);
	s->file = file ? strdup(file) : NULL;
	if (file && !s->file)
		return -ENOMEM;
	s->if_id = if_id;
	s->linktype = linktype;
	s->named = named;
	const char *given = segment_name_given(t->seg_names, s->name);
	if (given) {
		copy_printable(s->label, sizeof(s->label), given);
		s->label_given = true;
	}
	return (int)++t->n_segments;
}

const struct vw_segment *vw_table_segment(const struct vw_table *t, uint32_t id)
{
	return id >= 1 && id <= t->n_segments ? &t->segments[id - 1] : NULL;
}

const char *vw_segment_label(const struct vw_table *t, uint32_t id)
{
	const struct vw_segment *s = vw_table_segment(t, id);

	if (!s)
		return "";
	return s->label[0] ? s->label : s->name;
}

void vw_table_set_segment_label(struct vw_table *t, uint32_t id, const char *label)
{
	if (id < 1 || id > t->n_segments || t->segments[id - 1].label_given)
		return;
	copy_printable(t->segments[id - 1].label, sizeof(t->segments[id - 1].label), label);
}

const char *vw_table_segment_label_for(const struct vw_table *t, const char *ifname)
{
	const char *shared = NULL, *given;

	for (uint32_t id = 1; id <= t->n_segments; id++)
		if (!strcmp(t->segments[id - 1].name, ifname))
			return vw_segment_label(t, id);
	for (uint32_t id = 1; id <= t->n_segments; id++) {
		const char *l = vw_segment_label(t, id);
		if (shared && strcmp(shared, l)) {
			shared = NULL;
			break;
		}
		shared = l;
	}
	if (shared)
		return shared;
	given = segment_name_given(t->seg_names, ifname);
	return given ? given : ifname;
}

static int prefix_cmp(const void *pa, const void *pb)
{
	const struct vw_prefix *a = pa, *b = pb;
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, a->family == 6 ? 16 : 4)))
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

static bool prefix_counts(const struct vw_prefix *p)
{
	if (p->family == 4)
		return p->len < 32 && !(p->addr[0] == 169 && p->addr[1] == 254) &&
		       p->addr[0] != 127;
	if (p->family == 6)
		return p->len < 128 && !(p->addr[0] == 0xfe && (p->addr[1] & 0xc0) == 0x80) &&
		       !(p->addr[0] == 0 && p->addr[15] == 1 && p->len == 128);
	return false;
}

void vw_segment_label_format(struct vw_prefix *p, size_t n, unsigned vlan, const char *fallback,
			     char *buf, size_t len)
{
	char vl[16] = "", ip[VW_ADDR_STRLEN], one[VW_ADDR_STRLEN + 8];
	size_t used = 0, shown = 0, left = 0, kept = 0;

	if (len > VW_SEGMENT_LABEL_MAX)
		len = VW_SEGMENT_LABEL_MAX;
	if (!len)
		return;
	buf[0] = 0;
	if (vlan)
		snprintf(vl, sizeof(vl), " vlan %u", vlan & 0xfff);
	for (size_t i = 0; i < n; i++) {
		/* the network: host bits cleared */
		unsigned bytes = p[i].family == 6 ? 16 : 4;
		for (unsigned b = 0; b < bytes; b++) {
			unsigned bits = b * 8 >= p[i].len ? 0 : p[i].len - b * 8;
			p[i].addr[b] &= bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		}
		if (prefix_counts(&p[i]))
			p[kept++] = p[i];
	}
	if (kept) /* qsort(NULL, 0, ...) is undefined */
		qsort(p, kept, sizeof(*p), prefix_cmp);
	/* room for " vlan N" and " +N" is kept back */
	size_t room = len > strlen(vl) + 6 ? len - strlen(vl) - 6 : 0;
	for (size_t i = 0; i < kept; i++) {
		if (i && !prefix_cmp(&p[i - 1], &p[i]))
			continue;
		snprintf(one, sizeof(one), "%s%s/%u", shown ? " " : "",
			 vw_ip_str(p[i].family, p[i].addr, ip, sizeof(ip)), p[i].len);
		if (left || used + strlen(one) >= room) {
			left++;
			continue;
		}
		memcpy(buf + used, one, strlen(one) + 1);
		used += strlen(one);
		shown++;
	}
	if (!shown) {
		copy_printable(buf, len > VW_SEGMENT_NAME_MAX ? VW_SEGMENT_NAME_MAX : len, fallback);
		used = strlen(buf);
	}
	if (left)
		used += (size_t)snprintf(buf + used, len - used, " +%zu", left);
	if (used < len)
		snprintf(buf + used, len - used, "%s", vl);
}

/*
 * The key is built as seven 64-bit words in registers, each field read
 * back in the width the decoder wrote it: a wide load over narrower
 * recent stores stalls (no store forwarding), and this runs per advert.
 */
static uint64_t addr_word(const struct vw_advert *a, const uint8_t *addr, int half)
{
	if (a->family == 4)
		return half ? 0 : vw_load32(addr);
	return vw_load64(addr + 8 * half);
}

void vw_key_from_advert(struct vw_obs_key *k, uint32_t segment, enum vw_dir dir,
			const struct vw_advert *a)
{
	uint64_t w[7];
	uint16_t v0 = a->nvlan > 0 ? a->vlan[0] : 0, v1 = a->nvlan > 1 ? a->vlan[1] : 0;

	w[0] = segment | (uint64_t)v0 << 32 | (uint64_t)v1 << 48;
	w[1] = vw_load32(a->src_mac) | (uint64_t)vw_load16(a->src_mac + 4) << 32 |
	       (uint64_t)a->vrid << 48 | (uint64_t)a->family << 56;
	w[2] = addr_word(a, a->src, 0);
	w[3] = addr_word(a, a->src, 1);
	w[4] = addr_word(a, a->dst, 0);
	w[5] = addr_word(a, a->dst, 1);
	w[6] = (uint64_t)dir;
	memcpy(k, w, sizeof(w));
}

static bool row_has_key(const void *rows, uint32_t pos, const void *key)
{
	return vw_key_equal(&((const struct vw_row *)rows)[pos].key, key);
}

static uint64_t row_key_hash(const void *rows, uint32_t pos)
{
	return vw_key_hash(&((const struct vw_row *)rows)[pos].key);
}

static size_t slot_of(const struct vw_table *t, const struct vw_obs_key *k)
{
	return vw_pos_slot(&t->by_key, vw_key_hash(k), row_has_key, t->rows, k);
}

struct vw_row *vw_table_find(const struct vw_table *t, const struct vw_obs_key *k)
{
	uint32_t idx = t->by_key.slot[slot_of(t, k)];

	return idx ? &t->rows[idx - 1] : NULL;
}

/*
 * Among a small random sample: a row heard from only once if there is one
 * (a flood of spoofed sources is made of those, and a real advertiser
 * repeats itself every interval), else the one heard from least recently.
 * Plain LRU would evict the real advertisers first under a flood: their
 * last advert is up to an interval old, the flood's are fresher.
 */
static size_t evict_candidate(struct vw_table *t)
{
	size_t best = 0;
	bool best_once = false;

	for (int i = 0; i < VW_EVICT_SAMPLE; i++) {
		t->rng ^= t->rng << 13;
		t->rng ^= t->rng >> 7;
		t->rng ^= t->rng << 17;
		size_t c = t->rng % t->n_rows;
		bool once = t->rows[c].val.packets <= 1;
		if (i == 0 || (once && !best_once) ||
		    (once == best_once && t->rows[c].val.last_ns < t->rows[best].val.last_ns)) {
			best = c;
			best_once = once;
		}
	}
	return best;
}

static bool evicted_has_key(const void *v, uint32_t pos, const void *key)
{
	return vw_key_equal(&((const struct vw_evicted_row *)v)[pos].key, key);
}

static uint64_t evicted_hash_at(const void *v, uint32_t pos)
{
	return vw_key_hash(&((const struct vw_evicted_row *)v)[pos].key);
}

const struct vw_evicted_row *vw_table_evicted(const struct vw_table *t, const struct vw_obs_key *k)
{
	const struct vw_evictions *e = &t->evicted;

	if (!e->n)
		return NULL;
	uint32_t idx = e->by_key.slot[vw_pos_slot(&e->by_key, vw_key_hash(k), evicted_has_key,
						   e->v, k)];
	return idx ? &e->v[idx - 1] : NULL;
}

static void forget_evicted(struct vw_table *t)
{
	struct vw_evictions *e = &t->evicted;

	e->keep = true;
	e->lost = false;
	if (!e->n)
		return;
	e->n = 0;
	memset(e->by_key.slot, 0, e->by_key.n * sizeof(*e->by_key.slot));
}

/* Every row as this tick saw it, for the next: one pass over the rows at
 * a tick costs less than finding each row's first advert after it (half
 * the adverts of an hour of random arrivals, src/README.md). */
static void keep_tick_values(struct vw_table *t, uint64_t now_ns)
{
	struct vw_row *rows = t->rows; /* read once: a row's stores could be to *t */
	size_t n = t->n_rows;

	for (size_t i = 0; i < n; i++) {
		struct vw_row *r = &rows[i];
		r->tick_packets = r->val.packets;
		r->tick_last_ns = r->val.last_ns;
		r->tick_first_ns = r->val.first_ns;
		r->tick_marked = false;
		/* the first advert past it marks; 0: any advert, stamped 0 too */
		uint64_t quiet = vw_row_quiet_ns(r);
		r->tick_quiet_ns = !r->tick_active || now_ns > quiet ? 0 : quiet + 1;
	}
}

void vw_table_close_tick(struct vw_table *t, uint64_t now_ns)
{
	if (t->marks.on)
		keep_tick_values(t, now_ns);
	forget_evicted(t);
}

/* Row r's packets, last and first advert as the last tick saw them (with
 * tick marks on; for a row made since, 0), else its values now. */
static void row_as_of(const struct vw_table *t, const struct vw_row *r, uint64_t *packets,
		      uint64_t *last_ns, uint64_t *first_ns)
{
	bool then = t->marks.on;

	*packets = then ? r->tick_packets : r->val.packets;
	*last_ns = then ? r->tick_last_ns : r->val.last_ns;
	*first_ns = then ? r->tick_first_ns : r->val.first_ns;
}

void vw_row_at_last_tick(const struct vw_table *t, const struct vw_row *r, uint64_t *packets,
			 uint64_t *last_ns)
{
	const struct vw_evicted_row *e;
	uint64_t first_ns;

	row_as_of(t, r, packets, last_ns, &first_ns);
	if (t->marks.on && !r->tick_packets && (e = vw_table_evicted(t, &r->key))) {
		*packets = e->packets;
		*last_ns = e->last_ns;
	}
}

bool vw_key_values(const struct vw_table *t, size_t idx, const struct vw_obs_key *key, bool now,
		   uint64_t *packets, uint64_t *last_ns, uint64_t *first_ns)
{
	const struct vw_row *r = idx < t->n_rows && vw_key_equal(&t->rows[idx].key, key)
					 ? &t->rows[idx]
					 : vw_table_find(t, key);
	const struct vw_evicted_row *e;

	if (r && (now || !t->marks.on)) {
		*packets = r->val.packets;
		*last_ns = r->val.last_ns;
		*first_ns = r->val.first_ns;
		return true;
	}
	if (r && r->tick_packets) { /* not yet closed: the tick before's */
		row_as_of(t, r, packets, last_ns, first_ns);
		return true;
	}
	if (now || !(e = vw_table_evicted(t, key)))
		return false;
	*packets = e->packets; /* evicted since, as that tick saw it */
	*last_ns = e->last_ns;
	*first_ns = e->first_ns;
	return true;
}

/* Row r, about to be evicted, as the last tick saw it (a key is kept once
 * between two ticks: r is the first row evicted for its key since). */
static void keep_evicted(struct vw_table *t, const struct vw_row *r)
{
	struct vw_evictions *e = &t->evicted;

	if (!e->keep || vw_table_evicted(t, &r->key))
		return;
	if ((vw_pos_index_crowded(&e->by_key, e->n + 1) &&
	     vw_pos_index_rebuild(&e->by_key, e->by_key.n ? e->by_key.n * 2 : 64, e->v, e->n,
				  evicted_hash_at))) {
		e->lost = true;
		return;
	}
	struct vw_evicted_row *v = vw_grow(e->v, &e->cap, e->n + 1, sizeof(*v), 64);
	if (!v) {
		e->lost = true;
		return;
	}
	e->v = v;
	e->v[e->n] = (struct vw_evicted_row){.key = r->key};
	/* (no earlier record of its key to fall back on: vw_row_at_last_tick) */
	row_as_of(t, r, &e->v[e->n].packets, &e->v[e->n].last_ns, &e->v[e->n].first_ns);
	e->by_key.slot[vw_pos_slot(&e->by_key, vw_key_hash(&r->key), evicted_has_key, e->v,
				   &r->key)] = (uint32_t)++e->n;
}

static void evict_one(struct vw_table *t)
{
	size_t victim = evict_candidate(t), last = t->n_rows - 1;

	keep_evicted(t, &t->rows[victim]);

	vw_pos_index_remove(&t->by_key, slot_of(t, &t->rows[victim].key), t->rows, row_key_hash);
	free(t->rows[victim].msg);
	free(t->rows[victim].text);
	if (victim != last) {
		size_t s = slot_of(t, &t->rows[last].key);
		t->rows[victim] = t->rows[last];
		t->by_key.slot[s] = (uint32_t)(victim + 1);
	}
	t->n_rows--;
	t->evictions++;
}

static struct vw_row *insert_row(struct vw_table *t, const struct vw_obs_key *k)
{
	if (t->n_rows >= t->max_rows)
		evict_one(t);
	if (vw_pos_index_crowded(&t->by_key, t->n_rows + 1) &&
	    vw_pos_index_rebuild(&t->by_key, t->by_key.n * 2, t->rows, t->n_rows, row_key_hash))
		return NULL;
	struct vw_row *rows = vw_grow_aligned(t->rows, &t->cap_rows, t->n_rows + 1, sizeof(*rows),
					      64, _Alignof(struct vw_row), t->n_rows);

	if (!rows)
		return NULL;
	t->rows = rows;
	struct vw_row *r = &t->rows[t->n_rows];
	memset(r, 0, sizeof(*r));
	r->key = *k;
	t->by_key.slot[slot_of(t, k)] = (uint32_t)++t->n_rows;
	return r;
}

void vw_table_mark(struct vw_table *t, struct vw_row *r)
{
	struct vw_tick_marks *m = &t->marks;
	uint32_t *v = vw_grow(m->rows, &m->cap, m->n + 1, sizeof(*v), 64);

	if (!v) {
		m->overflow = true; /* every row folded at the next tick */
		return;
	}
	m->rows = v;
	m->rows[m->n++] = (uint32_t)(r - t->rows);
	r->tick_marked = true;
}

static void keep_message(struct vw_row *r, const struct vw_advert *a, const uint8_t *frame)
{
	uint8_t *msg = realloc(r->msg, a->vrrp_len ? a->vrrp_len : 1);

	if (!msg)
		return; /* the address list stays the previous one */
	memcpy(msg, frame + a->vrrp_off, a->vrrp_len);
	r->msg = msg;
	r->msg_len = a->vrrp_len;
}

static void note_changes(struct vw_obs_val *v, const struct vw_advert *a)
{
	if (v->priority != a->priority)
		v->prio_changes++;
	if (v->addr_hash != a->addr_hash || v->naddr != a->naddr)
		v->addr_changes++;
	if (v->interval_cs != a->interval_cs)
		v->interval_changes++;
	if (v->version != a->version)
		v->version_changes++;
}

static void set_state(struct vw_row *r, const struct vw_advert *a, uint64_t state)
{
	vw_obs_set_last(&r->val, a);
	r->state = state;
}

struct vw_row *vw_table_add_advert(struct vw_table *t, const struct vw_obs_key *k,
				   const struct vw_advert *a, const uint8_t *frame,
				   uint64_t ts_ns)
{
	struct vw_row *r = vw_table_find(t, k);

	if (r) {
		vw_row_add_advert(t, r, a, frame, ts_ns);
		return r;
	}
	if (!(r = insert_row(t, k)))
		return NULL;
	vw_row_touch(t, r, ts_ns, true);
	r->val.first_ns = ts_ns;
	keep_message(r, a, frame);
	set_state(r, a, vw_advert_state(a));
	vw_row_count(t, r, a, ts_ns);
	return r;
}

void vw_row_add_advert(struct vw_table *t, struct vw_row *r, const struct vw_advert *a,
		       const uint8_t *frame, uint64_t ts_ns)
{
	uint64_t state = vw_advert_state(a);

	if (state != r->state || a->addr_hash != r->val.addr_hash || r->addresses_cut) {
		/* the uncommon path: something about this advertiser changed */
		vw_row_touch(t, r, ts_ns, true);
		if (r->addresses_cut) { /* the first whole list: not a change */
			r->val.addr_hash = a->addr_hash;
			r->val.naddr = a->naddr;
			r->addresses_cut = false;
			keep_message(r, a, frame);
		}
		note_changes(&r->val, a);
		if (a->addr_hash != r->val.addr_hash || a->naddr != r->val.naddr)
			keep_message(r, a, frame);
		set_state(r, a, state);
	}
	vw_row_count(t, r, a, ts_ns);
}

struct vw_row *vw_table_add_cut_advert(struct vw_table *t, const struct vw_obs_key *k,
				       const struct vw_advert *a, const uint8_t *frame,
				       uint64_t ts_ns, uint16_t seen, bool whole_list)
{
	struct vw_row *r = vw_table_find(t, k);
	struct vw_advert e = *a;

	e.vrrp_len = seen; /* keep_message copies no more than was captured */
	if (r) {
		e.csum_variant = r->val.csum_variant;
		vw_row_touch(t, r, ts_ns, true); /* rare: not told apart */
	}
	if (whole_list) { /* only the checksum (and v2 auth data) unseen */
		r = vw_table_add_advert(t, k, &e, frame, ts_ns);
	} else if (r && !r->addresses_cut) { /* the last whole list stands */
		e.addr_hash = r->val.addr_hash;
		e.naddr = r->val.naddr;
		uint64_t state = vw_advert_state(&e);
		if (state != r->state) {
			note_changes(&r->val, &e);
			set_state(r, &e, state);
		}
		vw_row_count(t, r, &e, ts_ns);
	} else { /* no whole list yet: keep the most of the latest seen */
		bool fresh = !r;
		e.addr_hash = 0;
		if (fresh) {
			if (!(r = insert_row(t, k)))
				return NULL;
			vw_row_touch(t, r, ts_ns, true);
			r->val.first_ns = ts_ns;
		}
		uint64_t state = vw_advert_state(&e);
		if (!fresh && state != r->state)
			note_changes(&r->val, &e);
		if (fresh || seen >= r->msg_len || e.naddr != r->val.naddr ||
		    memcmp(r->msg, frame + e.vrrp_off, seen))
			keep_message(r, &e, frame);
		r->addresses_cut = true;
		set_state(r, &e, state);
		vw_row_count(t, r, &e, ts_ns);
	}
	if (r)
		r->cut_adverts++;
	return r;
}

static void take_last_fields(struct vw_row *r, const struct vw_obs_val *d)
{
	VW_COPY_LAST(&r->val, d);
	r->state = vw_val_state(&r->val);
}

static void add_counters(struct vw_obs_val *v, const struct vw_obs_val *d)
{
	v->packets += d->packets;
	v->bytes += d->bytes;
	v->prio_changes += d->prio_changes;
	v->addr_changes += d->addr_changes;
	v->interval_changes += d->interval_changes;
	v->version_changes += d->version_changes;
	v->bad_ttl += d->bad_ttl;
	v->bad_csum += d->bad_csum;
	v->prio0 += d->prio0;
	v->csum_seen |= d->csum_seen;
	v->flags_seen |= d->flags_seen;
}

static void set_message(struct vw_row *r, const uint8_t *msg, uint16_t len)
{
	uint8_t *m = realloc(r->msg, len ? len : 1);

	if (!m)
		return; /* the address list stays the previous one */
	memcpy(m, msg, len);
	r->msg = m;
	r->msg_len = len;
}

struct vw_row *vw_table_merge(struct vw_table *t, const struct vw_obs_key *k,
			      const struct vw_obs_val *d, const uint8_t *msg, uint16_t msg_len)
{
	struct vw_row *r = vw_table_find(t, k);
	bool fresh = !r;

	if (fresh) {
		if (!(r = insert_row(t, k)))
			return NULL;
		r->val.first_ns = d->first_ns;
	}
	if (fresh || d->last_ns >= r->val.last_ns) {
		take_last_fields(r, d);
		r->val.last_ns = d->last_ns;
	}
	if (d->first_ns < r->val.first_ns)
		r->val.first_ns = d->first_ns;
	add_counters(&r->val, d);
	if (msg)
		set_message(r, msg, msg_len);
	return r;
}

struct vw_row *vw_table_row_at(struct vw_table *t, uint32_t idx, const struct vw_obs_key *k)
{
	if (idx >= t->n_rows || !vw_key_equal(&t->rows[idx].key, k))
		return NULL;
	return &t->rows[idx];
}

static struct vw_reject_row *find_reject(struct vw_table *t, uint32_t segment,
					 const uint16_t *vlan, uint8_t reason)
{
	for (size_t i = 0; i < t->n_rejects; i++) {
		struct vw_reject_row *j = &t->rejects[i];
		if (j->segment == segment && j->reason == reason && j->vlan[0] == vlan[0] &&
		    j->vlan[1] == vlan[1])
			return j;
	}
	struct vw_reject_row *rows = vw_grow(t->rejects, &t->cap_rejects, t->n_rejects + 1,
					     sizeof(*rows), 16);
	if (!rows)
		return NULL;
	t->rejects = rows;
	struct vw_reject_row *j = &t->rejects[t->n_rejects++];
	memset(j, 0, sizeof(*j));
	j->segment = segment;
	j->reason = reason;
	j->vlan[0] = vlan[0];
	j->vlan[1] = vlan[1];
	j->first_ns = UINT64_MAX;
	return j;
}

int vw_table_add_reject(struct vw_table *t, uint32_t segment, const struct vw_advert *a,
			enum vw_reason reason, uint64_t ts_ns)
{
	uint16_t vlan[VW_MAX_VLAN] = {0};

	/* Beyond VW_MAX_REJECT_ROWS distinct VLANs, count per segment only:
	 * a flood of garbage must not grow memory. */
	if (t->n_rejects < VW_MAX_REJECT_ROWS)
		for (unsigned i = 0; i < a->nvlan && i < VW_MAX_VLAN; i++)
			vlan[i] = a->vlan[i];
	struct vw_reject_row *j = find_reject(t, segment, vlan, (uint8_t)reason);
	if (!j)
		return -ENOMEM;
	j->count++;
	if (ts_ns < j->first_ns)
		j->first_ns = ts_ns;
	if (ts_ns >= j->last_ns)
		j->last_ns = ts_ns;
	static const uint8_t none[16];
	if (a->family && memcmp(a->src, none, sizeof(none))) {
		j->last_family = a->family;
		memcpy(j->last_src, a->src, sizeof(j->last_src));
		memcpy(j->last_src_mac, a->src_mac, sizeof(j->last_src_mac));
	}
	return 0;
}

int vw_table_merge_reject(struct vw_table *t, uint32_t segment, const uint16_t *vlan,
			  uint8_t reason, uint64_t count, uint64_t first_ns, uint64_t last_ns,
			  uint8_t family, const uint8_t *src, const uint8_t *src_mac)
{
	struct vw_reject_row *j = find_reject(t, segment, vlan, reason);

	if (!j)
		return -ENOMEM;
	j->count += count;
	if (first_ns < j->first_ns)
		j->first_ns = first_ns;
	if (last_ns >= j->last_ns) {
		j->last_ns = last_ns;
		if (family) {
			j->last_family = family;
			memcpy(j->last_src, src, sizeof(j->last_src));
			memcpy(j->last_src_mac, src_mac, sizeof(j->last_src_mac));
		}
	}
	return 0;
}

static const char *segment_name(const struct vw_table *t, uint32_t id)
{
	const struct vw_segment *s = vw_table_segment(t, id);

	return s ? s->name : "";
}

int vw_key_domain_compare(const struct vw_obs_key *x, const struct vw_obs_key *y,
			  const struct vw_table *t)
{
	/* one segment, one name: most rows of a table share theirs */
	int c = x->ifindex == y->ifindex
			? 0
			: strcmp(segment_name(t, x->ifindex), segment_name(t, y->ifindex));

	if (c)
		return c;
	for (int i = 0; i < VW_MAX_VLAN; i++)
		if (x->vlan[i] != y->vlan[i])
			return x->vlan[i] < y->vlan[i] ? -1 : 1;
	if (x->vrid != y->vrid)
		return x->vrid < y->vrid ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return 0;
}

int vw_row_label_compare(const struct vw_row *a, const struct vw_row *b,
			 const struct vw_table *t)
{
	const struct vw_obs_key *x = &a->key, *y = &b->key;
	int c = vw_key_domain_compare(x, y, t);

	if (c)
		return c;
	if ((c = memcmp(x->src, y->src, sizeof(x->src))))
		return c;
	if ((c = memcmp(x->src_mac, y->src_mac, sizeof(x->src_mac))))
		return c;
	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	return memcmp(x->dst, y->dst, sizeof(x->dst));
}

int vw_row_compare(const struct vw_row *a, const struct vw_row *b, const struct vw_table *t)
{
	int c = vw_row_label_compare(a, b, t);

	if (c || a->key.ifindex == b->key.ifindex)
		return c;
	return a->key.ifindex < b->key.ifindex ? -1 : 1; /* two captures of one name */
}

static const struct vw_table *sort_table; /* qsort has no context argument */

static int cmp_rows(const void *pa, const void *pb)
{
	return vw_row_compare(*(struct vw_row *const *)pa, *(struct vw_row *const *)pb,
			      sort_table);
}

struct vw_row **vw_table_sorted(const struct vw_table *t)
{
	struct vw_row **v = malloc((t->n_rows + 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < t->n_rows; i++)
		v[i] = &t->rows[i];
	sort_table = t;
	qsort(v, t->n_rows, sizeof(*v), cmp_rows);
	sort_table = NULL;
	return v;
}

static int cmp_rejects(const void *pa, const void *pb)
{
	const struct vw_reject_row *a = *(struct vw_reject_row *const *)pa;
	const struct vw_reject_row *b = *(struct vw_reject_row *const *)pb;
	int c = strcmp(segment_name(sort_table, a->segment), segment_name(sort_table, b->segment));

	if (c)
		return c;
	if (a->segment != b->segment)
		return a->segment < b->segment ? -1 : 1;
	for (int i = 0; i < VW_MAX_VLAN; i++)
		if (a->vlan[i] != b->vlan[i])
			return a->vlan[i] < b->vlan[i] ? -1 : 1;
	return (int)a->reason - (int)b->reason;
}

struct vw_reject_row **vw_table_sorted_rejects(const struct vw_table *t)
{
	struct vw_reject_row **v = malloc((t->n_rejects + 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < t->n_rejects; i++)
		v[i] = &t->rejects[i];
	sort_table = t;
	qsort(v, t->n_rejects, sizeof(*v), cmp_rejects);
	sort_table = NULL;
	return v;
}

const uint8_t *vw_row_address(const struct vw_row *r, unsigned i)
{
	unsigned alen = r->key.family == 6 ? 16 : 4;

	if (!r->msg || r->msg_len < VW_VRRP_HDR_LEN || i >= r->msg[3])
		return NULL;
	if (VW_VRRP_HDR_LEN + (i + 1) * alen > r->msg_len)
		return NULL;
	return r->msg + VW_VRRP_HDR_LEN + i * alen;
}

const uint8_t *vw_row_auth_data(const struct vw_row *r)
{
	/* RFC 3768 5.1: VRRPv2 carries 8 bytes of authentication data after
	 * the addresses, whatever the auth type */
	unsigned at = VW_VRRP_HDR_LEN + (r->msg ? r->msg[3] : 0) * (r->key.family == 6 ? 16 : 4);

	if (!r->msg || r->val.version != 2 || r->msg_len < VW_VRRP_HDR_LEN || at + 8 > r->msg_len)
		return NULL;
	return r->msg + at;
}

static void addresses_str(const struct vw_row *row, unsigned max, char *buf, size_t len)
{
	char a[VW_ADDR_STRLEN];
	unsigned n = row->val.naddr, i;
	const uint8_t *addr;
	struct vw_strbuf sb;

	vw_sb_init(&sb, buf, len);
	for (i = 0; i < n && i < max && (addr = vw_row_address(row, i)); i++)
		vw_sb_item(&sb, ", ", "%s", vw_ip_str(row->key.family, addr, a, sizeof(a)));
	if (i < n && row->addresses_cut) { /* the capture cut the rest */
		unsigned seen = i;
		while (seen < n && vw_row_address(row, seen))
			seen++;
		if (seen > i)
			vw_sb_item(&sb, ", ", "+%u more", seen - i);
		vw_sb_item(&sb, ", ", "+%u not captured", n - seen);
	} else if (i < n)
		vw_sb_item(&sb, ", ", "+%u more", n - i);
	else if (!n)
		vw_sb_printf(&sb, "(none)");
}

static void describe(const struct vw_row *r, char *buf, size_t len)
{
	char src[VW_ADDR_STRLEN], mac[VW_MAC_STRLEN], intv[16], addrs[192];

	addresses_str(r, 4, addrs, sizeof(addrs));
	snprintf(buf, len, "%s (%s, priority %u, every %s, v%u, %s)",
		 vw_ip_str(r->key.family, r->key.src, src, sizeof(src)),
		 vw_mac_str(r->key.src_mac, mac, sizeof(mac)), r->val.priority,
		 vw_interval_str(r->val.interval_cs, intv, sizeof(intv)), r->val.version, addrs);
}

/* --- a row's texts, kept ------------------------------------------------ */

#define TEXT_WHO 384 /* longer descriptions are not kept (made each time) */
#define TEXT_ADDRS 192

struct vw_row_text {
	uint64_t made_of;  /* text_of(): what they say */
	uint32_t addr_hash;
	bool have_who, have_addrs;
	char who[TEXT_WHO];     /* describe() */
	char addrs[TEXT_ADDRS]; /* addresses_str(row, 8) */
};

/* Everything the texts say but the key (source, MAC: fixed for a row). */
static uint64_t text_of(const struct vw_row *r)
{
	return (uint64_t)r->val.priority | (uint64_t)r->val.version << 8 |
	       (uint64_t)r->val.naddr << 16 | (uint64_t)r->val.interval_cs << 24 |
	       (uint64_t)r->msg_len << 40;
}

/* The row's kept texts, still true, or NULL (not kept: a list the capture
 * cut, whose bytes may change under the same counts; out of memory).  The
 * rows are the table's own, never const objects: the texts are a cache. */
static struct vw_row_text *row_text(const struct vw_row *r)
{
	struct vw_row *w = (struct vw_row *)r;

	if (r->addresses_cut)
		return NULL;
	if (!w->text && !(w->text = calloc(1, sizeof(*w->text))))
		return NULL;
	if (w->text->made_of != text_of(r) || w->text->addr_hash != r->val.addr_hash) {
		w->text->made_of = text_of(r);
		w->text->addr_hash = r->val.addr_hash;
		w->text->have_who = w->text->have_addrs = false;
	}
	return w->text;
}

/* What snprintf(buf, len, "%s", text) leaves. */
static void copy_text(char *buf, size_t len, const char *text)
{
	size_t n = strlen(text);

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, text, n);
	buf[n] = 0;
}

void vw_describe_source(const struct vw_row *r, char *buf, size_t len)
{
	struct vw_row_text *t = row_text(r);

	if (t && !t->have_who) {
		describe(r, t->who, sizeof(t->who));
		t->have_who = strlen(t->who) < sizeof(t->who) - 1; /* else it was cut */
	}
	if (t && t->have_who)
		copy_text(buf, len, t->who);
	else
		describe(r, buf, len);
}

void vw_row_addresses_str(const struct vw_row *row, unsigned max, char *buf, size_t len)
{
	struct vw_row_text *t = max == 8 ? row_text(row) : NULL;

	if (t && !t->have_addrs) {
		addresses_str(row, 8, t->addrs, sizeof(t->addrs));
		t->have_addrs = strlen(t->addrs) < sizeof(t->addrs) - 1;
	}
	if (t && t->have_addrs)
		copy_text(buf, len, t->addrs);
	else
		addresses_str(row, max, buf, len);
}
