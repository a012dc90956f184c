/* slab.c — see slab.h.
 *
 * Chunks double from SLAB_FIRST objects up to SLAB_MAX_CHUNK bytes, so a
 * run of 16 threads takes one small malloc and a run of a million 26
 * chunks.  A chunk of SLAB_HUGE bytes or more is mapped on its own,
 * aligned to SLAB_HUGE, its length rounded up to whole huge pages, and
 * advised as huge pages before any of it is touched: the kernel then
 * backs it with 2 MiB pages as it is first written (transparent huge
 * pages, when set to "always" or "madvise").  Where the advice is not
 * known (other systems) or refused, the chunk works as plain memory.
 * Pages of a chunk not yet handed out are never written, so they cost no
 * memory. */
#define _DEFAULT_SOURCE          /* MAP_ANONYMOUS, madvise */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "engine/slab.h"

#define SLAB_ALIGN 64                            /* a cache line */
#define SLAB_FIRST 32                            /* objects in the first chunk */
#define SLAB_HUGE ((size_t)2 << 20)              /* x86-64's huge page */
#define SLAB_MAX_CHUNK ((size_t)64 << 20)

void slab_init(slab_t *sl, size_t size)
{
    *sl = (slab_t){.size = size <= SIZE_MAX - SLAB_ALIGN                /* else grow refuses */
                               ? (size + SLAB_ALIGN - 1) / SLAB_ALIGN * SLAB_ALIGN : SIZE_MAX,
                   .chunk_objects = SLAB_FIRST};
}

/* bytes of memory aligned to SLAB_HUGE, advised as huge pages up to the
 * next huge page's boundary; its start (within *base, the mapping, of
 * *mapped bytes), or NULL. */
static char *map_huge(size_t bytes, void **base, size_t *mapped)
{
    size_t whole = (bytes + SLAB_HUGE - 1) / SLAB_HUGE * SLAB_HUGE;
    size_t len = whole + SLAB_HUGE;              /* room to align the start */
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    char *start = (char *)(((uintptr_t)m + SLAB_HUGE - 1) & ~(uintptr_t)(SLAB_HUGE - 1));
#ifdef MADV_HUGEPAGE
    (void)madvise(start, whole, MADV_HUGEPAGE);  /* advice: refused, it is plain memory */
#endif
    *base = m;
    *mapped = len;
    return start;
}

/* A new chunk for the next objects; 0, or -1 when out of memory. */
static int grow(slab_t *sl)
{
    if (sl->chunk_objects > (SIZE_MAX - 2 * SLAB_HUGE) / sl->size)
        return -1;                               /* no chunk that large */
    if (sl->nchunks == sl->capchunks) {
        int cap = sl->capchunks ? sl->capchunks * 2 : 8;
        slab_chunk_t *chunks = realloc(sl->chunks, (size_t)cap * sizeof *chunks);
        if (!chunks)
            return -1;
        sl->chunks = chunks;
        sl->capchunks = cap;
    }
    size_t bytes = sl->chunk_objects * sl->size;
    slab_chunk_t c = {.bytes = bytes};
    char *start;
    if (bytes >= SLAB_HUGE) {
        start = map_huge(bytes, &c.base, &c.bytes);
        c.mapped = 1;
    } else
        start = c.base = aligned_alloc(SLAB_ALIGN, bytes);
    if (!start)
        return -1;
    sl->chunks[sl->nchunks++] = c;
    sl->next = start;
    sl->end = start + bytes;
    if (bytes * 2 <= SLAB_MAX_CHUNK)
        sl->chunk_objects *= 2;
    return 0;
}

void *slab_take(slab_t *sl)
{
    if ((!sl->next || (size_t)(sl->end - sl->next) < sl->size) && grow(sl) != 0)
        return NULL;
    void *p = sl->next;
    sl->next += sl->size;
    return memset(p, 0, sl->size);
}

void slab_free(slab_t *sl)
{
    for (int i = 0; i < sl->nchunks; i++) {
        if (sl->chunks[i].mapped)
            munmap(sl->chunks[i].base, sl->chunks[i].bytes);
        else
            free(sl->chunks[i].base);
    }
    free(sl->chunks);
    slab_init(sl, sl->size);
}
