/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * huge_alloc.h - zeroed memory for a large table read at random, asked to
 * be backed by huge pages.
 *
 * A table of a few megabytes that a replay touches at random (the advert
 * memo) takes a page fault for each 4 KiB page it first writes: a thousand
 * faults for a capture of a thousand advertisers, and a fault costs
 * microseconds in a virtual machine, more than the frames they serve.
 * Transparent huge pages (madvise mode, Debian's default) make that a
 * fault or two.  Where the kernel gives none, this is an ordinary mapping.
 */
#ifndef VRRPWATCH_HUGE_ALLOC_H
#define VRRPWATCH_HUGE_ALLOC_H

#include <stddef.h>

/* Under AddressSanitizer the table comes from calloc, inside the heap's
 * red zones (gcc defines __SANITIZE_ADDRESS__, clang answers
 * __has_feature): no huge pages then. */
#if defined(__SANITIZE_ADDRESS__)
#define VW_HUGE_BY_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VW_HUGE_BY_MALLOC 1
#endif
#endif

/* size bytes, zeroed, or NULL (errno set). */
void *vw_huge_alloc(size_t size);
/* Give back what vw_huge_alloc(size) returned (NULL: nothing). */
void vw_huge_free(void *p, size_t size);

#endif
