// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/huge_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE (2u << 20)

#ifdef VW_HUGE_BY_MALLOC
void *vw_huge_alloc(size_t size)
{
	return calloc(1, size);
}

void vw_huge_free(void *p, size_t size)
{
	(void)size;
	free(p);
}
#else
static size_t rounded(size_t size)
{
	return (size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
}

void *vw_huge_alloc(size_t size)
{
	size_t len = rounded(size), extra = HUGE_PAGE;
	uint8_t *p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* a huge page needs an aligned start: trim the mapping to one */
	size_t head = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
	if (head)
		munmap(p, head);
	if (extra - head)
		munmap(p + head + len, extra - head);
	p += head;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE); /* a hint: refused, small pages */
#endif
	return p;
}

void vw_huge_free(void *p, size_t size)
{
	if (p)
		munmap(p, rounded(size));
}
#endif
