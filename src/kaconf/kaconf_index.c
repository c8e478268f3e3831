// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kaconf_index.c - a byte-keyed hash table for the reader's lookups by
 * name and by VRID. Configurations with 100k instances exist (generated
 * ones); scanning every earlier instance per instance made reading them
 * quadratic (issue 13).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kaconf/kaconf_internal.h"

/* FNV-1a: the keys are short and not chosen to collide by anyone but the
 * author of the configuration, who can only slow down their own lint. */
static uint64_t hash_bytes(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	/* FNV's low bits, which pick the slot, mix poorly for keys that
	 * differ in their last bytes (VI_1, VI_2, ...): fold the high in */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static const void *key_of(const struct ka_hash *t, const struct ka_hent *e)
{
	return t->arena + e->key - 1;
}

static struct ka_hent *probe(const struct ka_hash *t, struct ka_hent *e, size_t cap, uint64_t h,
			     const void *key, size_t len)
{
	size_t i = h & (cap - 1);

	while (e[i].key && !(e[i].h == h && e[i].len == len && !memcmp(key_of(t, &e[i]), key, len)))
		i = (i + 1) & (cap - 1);
	return &e[i];
}

static void grow(struct ka_hash *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	struct ka_hent *e = calloc(cap, sizeof(*e));

	if (!e)
		abort();
	for (size_t i = 0; i < t->cap; i++) {
		if (t->e[i].key)
			*probe(t, e, cap, t->e[i].h, key_of(t, &t->e[i]), t->e[i].len) = t->e[i];
	}
	free(t->e);
	t->e = e;
	t->cap = cap;
}

/* The keys live in one buffer, one after the other: no allocation per key. */
static size_t keep_key(struct ka_hash *t, const void *key, size_t len)
{
	size_t off = t->arena_len;

	if (t->arena_len + len > t->arena_cap) {
		size_t cap = t->arena_cap ? t->arena_cap : 4096;

		while (cap < t->arena_len + len)
			cap *= 2;
		if (!(t->arena = realloc(t->arena, cap)))
			abort();
		t->arena_cap = cap;
	}
	memcpy(t->arena + off, key, len);
	t->arena_len += len;
	return off + 1;
}

struct ka_hent *ka_hash_find(const struct ka_hash *t, const void *key, size_t len)
{
	struct ka_hent *e;

	if (!t->cap)
		return NULL;
	e = probe(t, t->e, t->cap, hash_bytes(key, len), key, len);
	return e->key ? e : NULL;
}

struct ka_hent *ka_hash_add(struct ka_hash *t, const void *key, size_t len, bool *added)
{
	uint64_t h = hash_bytes(key, len);
	struct ka_hent *e;

	/* at most half full, so that probes stay short */
	if (2 * (t->n + 1) > t->cap)
		grow(t);
	e = probe(t, t->e, t->cap, h, key, len);
	*added = !e->key;
	if (*added) {
		memset(e, 0, sizeof(*e));
		e->key = keep_key(t, key, len);
		e->len = len;
		e->h = h;
		t->n++;
	}
	return e;
}

void ka_hash_free(struct ka_hash *t)
{
	free(t->arena);
	free(t->e);
	memset(t, 0, sizeof(*t));
}

void ka_name_index_build(struct ka_hash *t, const struct ka_config *cfg)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < cfg->n_inst; i++) {
		bool added;
		struct ka_hent *e = ka_hash_add(t, cfg->inst[i].name, strlen(cfg->inst[i].name), &added);

		/* the reader skips a second block of the same name: first wins */
		if (added)
			e->val = i;
	}
}

struct ka_instance *ka_name_index_get(const struct ka_hash *t, const struct ka_config *cfg, const char *name)
{
	struct ka_hent *e = ka_hash_find(t, name, strlen(name));

	return e ? &cfg->inst[e->val] : NULL;
}
