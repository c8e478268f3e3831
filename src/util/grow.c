// SPDX-License-Identifier: GPL-2.0-or-later
/* grow.c - room for one more element in a growing array (grow.h). */
#include "util/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The capacity doubled from *cap (first when 0) to need or more; 0 when
 * size_t runs out. */
static size_t grown(size_t cap, size_t need, size_t elem_size, size_t first)
{
	size_t n = cap ? cap : (first ? first : 1);

	while (n < need) {
		if (n > SIZE_MAX / 2)
			return 0;
		n *= 2;
	}
	return elem_size && n > SIZE_MAX / elem_size ? 0 : n;
}

void *vw_grow(void *arr, size_t *cap, size_t need, size_t elem_size, size_t first)
{
	if (need <= *cap)
		return arr;
	size_t n = grown(*cap, need, elem_size, first);
	void *v = n ? realloc(arr, n * elem_size) : NULL;

	if (!v)
		return NULL;
	*cap = n;
	return v;
}

void *vw_grow_aligned(void *arr, size_t *cap, size_t need, size_t elem_size, size_t first,
		      size_t align, size_t n_used)
{
	if (need <= *cap)
		return arr;
	size_t n = grown(*cap, need, elem_size, first);
	void *v = NULL;

	if (!n || posix_memalign(&v, align, n * elem_size))
		return NULL;
	if (n_used)
		memcpy(v, arr, n_used * elem_size);
	free(arr);
	*cap = n;
	return v;
}
