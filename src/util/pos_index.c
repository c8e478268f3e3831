// SPDX-License-Identifier: GPL-2.0-or-later
/* pos_index.c - the hash index of positions (pos_index.h). */
#include <errno.h>
#include <stdlib.h>

#include "util/pos_index.h"

int vw_pos_index_rebuild(struct vw_pos_index *x, size_t n, const void *arr, size_t count,
			 vw_pos_hash_fn hash)
{
	uint32_t *slot = calloc(n, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	free(x->slot);
	x->slot = slot;
	x->n = n;
	/* every position is new: the first empty slot from its home */
	for (size_t pos = 0; pos < count; pos++) {
		size_t i = (size_t)hash(arr, (uint32_t)pos) & (n - 1);
		while (slot[i])
			i = (i + 1) & (n - 1);
		slot[i] = (uint32_t)(pos + 1);
	}
	return 0;
}

void vw_pos_index_remove(struct vw_pos_index *x, size_t hole, const void *arr,
			 vw_pos_hash_fn hash)
{
	size_t mask = x->n - 1;

	for (size_t j = (hole + 1) & mask; x->slot[j]; j = (j + 1) & mask) {
		size_t home = (size_t)hash(arr, x->slot[j] - 1) & mask;
		/* the entry at j may move to the hole if its home is not in (hole, j] */
		if (((j - home) & mask) >= ((j - hole) & mask)) {
			x->slot[hole] = x->slot[j];
			hole = j;
		}
	}
	x->slot[hole] = 0;
}

void vw_pos_index_free(struct vw_pos_index *x)
{
	free(x->slot);
	x->slot = NULL;
	x->n = 0;
}
