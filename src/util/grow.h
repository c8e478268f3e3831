/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * grow.h - room for one more element in a growing array.
 *
 * The tables (observation rows, rejects, activities, master states,
 * judged raises, text table rows) append to arrays that double when
 * full.  One helper does the doubling and the overflow check, so that no
 * table has its own copy of the realloc dance.
 */
#ifndef VRRPWATCH_GROW_H
#define VRRPWATCH_GROW_H

#include <stddef.h>

/*
 * The array arr (of *cap elements of elem_size bytes) with room for at
 * least need elements: arr itself when it has it, else arr reallocated to
 * twice its capacity (first elements when empty) or more, and *cap set.
 * NULL when memory or size_t runs out; arr and *cap are then unchanged
 * (still the caller's to use or free).
 */
void *vw_grow(void *arr, size_t *cap, size_t need, size_t elem_size, size_t first);
/*
 * The same for an array whose start must lie on an `align` boundary (a
 * power of two, a multiple of sizeof(void *)): realloc keeps only 16
 * bytes.  A new array is allocated and the n_used elements copied; arr is
 * freed on success only.
 */
void *vw_grow_aligned(void *arr, size_t *cap, size_t need, size_t elem_size, size_t first,
		      size_t align, size_t n_used);

#endif
