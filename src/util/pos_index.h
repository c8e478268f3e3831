/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pos_index.h - find an element of an array by its key in O(1): a hash
 * index of positions, open addressing with linear probing, a power-of-two
 * table kept at most half full.
 *
 * The array stays its owner's (the activity map, the findings list, the
 * master states): a slot holds an element's position + 1, 0 is empty, so
 * the index survives the array's reallocation.  The owner says how a key
 * is hashed and matched; one probe loop, one rebuild and one removal serve
 * all of them.
 */
#ifndef VRRPWATCH_POS_INDEX_H
#define VRRPWATCH_POS_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vw_pos_index {
	uint32_t *slot; /* position + 1, 0 = empty */
	size_t n;       /* slots: a power of two, 0 before the first rebuild */
};

/* Is the element at pos of arr the one with key? */
typedef bool (*vw_pos_match_fn)(const void *arr, uint32_t pos, const void *key);
/* The hash of the element at pos of arr (the one its key has). */
typedef uint64_t (*vw_pos_hash_fn)(const void *arr, uint32_t pos);

/*
 * The slot of key (hash its hash) in x, or the empty slot where it would
 * go.  Inline: the lookups run per row per tick, and with a constant match
 * the compiler inlines it too.
 */
static inline size_t vw_pos_slot(const struct vw_pos_index *x, uint64_t hash,
				 vw_pos_match_fn match, const void *arr, const void *key)
{
	size_t mask = x->n - 1, i = (size_t)hash & mask;

	while (x->slot[i] && !match(arr, x->slot[i] - 1, key))
		i = (i + 1) & mask;
	return i;
}

/* Would count elements leave x over half full (or is x not made yet)? */
static inline bool vw_pos_index_crowded(const struct vw_pos_index *x, size_t count)
{
	return count * 2 > x->n;
}

/*
 * x made again with n slots (a power of two) for the count elements of
 * arr.  -ENOMEM leaves x as it was.
 */
int vw_pos_index_rebuild(struct vw_pos_index *x, size_t n, const void *arr, size_t count,
			 vw_pos_hash_fn hash);

/* Empty the slot at `slot` (backward-shift deletion: no tombstones, so
 * lookups stay short however many elements come and go). */
void vw_pos_index_remove(struct vw_pos_index *x, size_t slot, const void *arr,
			 vw_pos_hash_fn hash);

void vw_pos_index_free(struct vw_pos_index *x);

#endif
