/* slab.h — many objects of one size, packed in chunks that grow.
 *
 * For objects that live as long as their owner and are read all over a
 * run, like the model's threads: they lie back to back, each on a 64-byte
 * boundary (where malloc would interleave them with every other
 * allocation), and a chunk of 2 MiB or more asks the kernel for huge pages
 * (madvise MADV_HUGEPAGE).  With 65,536 threads on 4 KiB pages an event's
 * thread is seldom in the TLB; on 2 MiB pages most of them are.  Objects
 * are freed all at once, with the slab.  None of this changes what a run
 * computes, only how fast memory answers. */
#ifndef GILSIM_SLAB_H
#define GILSIM_SLAB_H

#include <stddef.h>

typedef struct slab_chunk {
    void *base;                  /* what malloc or mmap returned */
    size_t bytes;                /* its length, for munmap */
    int mapped;                  /* 1: mmap'd; 0: malloc'd */
} slab_chunk_t;

typedef struct slab {
    size_t size;                 /* one object's bytes, rounded up to 64 */
    char *next, *end;            /* the newest chunk's room */
    size_t chunk_objects;        /* objects in the next chunk */
    slab_chunk_t *chunks;
    int nchunks, capchunks;
} slab_t;

/* An empty slab of objects of size bytes (> 0); allocates nothing yet. */
void  slab_init(slab_t *sl, size_t size);
/* A new zeroed object, or NULL when out of memory; every object taken
 * before stays valid. */
void *slab_take(slab_t *sl);
/* Frees every object at once; the slab is empty again, of the same size. */
void  slab_free(slab_t *sl);

#endif
