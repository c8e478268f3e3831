// SPDX-License-Identifier: GPL-2.0-or-later
/* grow.c - room for one more element in a growing array (grow.h). */
#include "util/grow.h"

#include <stdint.h>
#include <stdlib.h>

void *vw_grow(void *arr, size_t *cap, size_t need, size_t elem_size, size_t first)
{
	if (need <= *cap)
		return arr;
	size_t n = *cap ? *cap : (first ? first : 1);

	while (n < need) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (elem_size && n > SIZE_MAX / elem_size)
		return NULL;
	void *v = realloc(arr, n * elem_size);

	if (!v)
		return NULL;
	*cap = n;
	return v;
}
