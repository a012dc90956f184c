/* test_slab.c — the slab (engine/slab.c): zeroed objects on cache-line
 * boundaries that never overlap, across chunks; chunks of 2 MiB or more
 * start on a huge-page boundary and carry the kernel's huge-page advice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/slab.h"

#define OBJ 680                  /* about a thread_t: not a multiple of 64 */
#define MANY 20000               /* past the first chunks, into 2 MiB ones */

/* Objects handed out are zeroed and 64-byte aligned; each keeps what was
 * written into it while later ones are taken (no two overlap). */
static void test_objects_are_zeroed_aligned_and_apart(void **state)
{
    (void)state;
    static unsigned char *obj[MANY];
    slab_t sl;
    slab_init(&sl, OBJ);
    assert_int_equal(sl.size % 64, 0);
    assert_true(sl.size >= OBJ);
    for (int i = 0; i < MANY; i++) {
        obj[i] = slab_take(&sl);
        assert_non_null(obj[i]);
        assert_int_equal((uintptr_t)obj[i] % 64, 0);
        for (int k = 0; k < OBJ; k += 17)
            assert_int_equal(obj[i][k], 0);
        memset(obj[i], i & 0xff, OBJ);
    }
    for (int i = 0; i < MANY; i++)
        for (int k = 0; k < OBJ; k += 97)
            assert_int_equal(obj[i][k], i & 0xff);
    assert_true(sl.nchunks > 1);
    slab_free(&sl);
    assert_int_equal(sl.nchunks, 0);
    for (int i = 0; i < 64; i++) {               /* usable again, zeroed though malloc
                                                    may hand back the written memory */
        unsigned char *p = slab_take(&sl);
        assert_non_null(p);
        for (int k = 0; k < OBJ; k += 17)
            assert_int_equal(p[k], 0);
    }
    slab_free(&sl);
}

/* "hg" (VM_HUGEPAGE) in the VmFlags of the mapping that holds p, from
 * /proc/self/smaps: 1, 0, or -1 when the kernel does not say. */
static int advised_huge(const void *p)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    char line[512];
    int inside = 0, found = -1;
    uintptr_t a = (uintptr_t)p;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
            inside = a >= lo && a < hi;
        else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            found = strstr(line, " hg") != NULL;
            break;
        }
    }
    fclose(f);
    return found;
}

/* Whether the kernel has transparent huge pages to advise (else madvise
 * refuses, and the chunk is plain memory). */
static int kernel_has_thp(void)
{
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    char line[128] = "";
    if (!f)
        return 0;
    int ok = fgets(line, sizeof line, f) && !strstr(line, "[never]");
    fclose(f);
    return ok;
}

/* Some mapping of /proc/self/maps covers any byte of [lo, hi). */
static int mapped_at_all(uintptr_t lo, uintptr_t hi)
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    char line[512];
    int found = 0;
    unsigned long a, b;
    while (!found && fgets(line, sizeof line, f))
        if (sscanf(line, "%lx-%lx", &a, &b) == 2)
            found = a < hi && b > lo;
    fclose(f);
    return found;
}

/* The first object of every chunk of 2 MiB or more is on a 2 MiB boundary
 * and advised as huge pages to the end of its last huge page; the first,
 * small chunk is plain memory.  Freed, no byte of those mappings stays. */
static void test_large_chunks_are_huge_page_aligned_and_advised(void **state)
{
    (void)state;
    const size_t huge = (size_t)2 << 20;
    slab_t sl;
    slab_init(&sl, OBJ);
    void *first = slab_take(&sl);
    uintptr_t lo[64], hi[64];                    /* each large chunk's huge pages */
    int large = 0;
    for (int i = 1; i < MANY; i++) {
        int chunks = sl.nchunks;
        unsigned char *p = slab_take(&sl);
        if (sl.nchunks == chunks)
            continue;
        size_t room = (size_t)(sl.end - (char *)p);   /* the new chunk's objects */
        if (!sl.chunks[sl.nchunks - 1].mapped) {
            assert_true(room < huge);
            continue;
        }
        assert_true(room >= huge);
        assert_int_equal((uintptr_t)p % huge, 0);
        size_t whole = (room + huge - 1) / huge * huge;
        if (kernel_has_thp() && advised_huge(p) >= 0) {
            assert_int_equal(advised_huge(p), 1);
            assert_int_equal(advised_huge(p + whole - 1), 1);   /* the last huge page too */
        }
        assert_true(large < 64);
        lo[large] = (uintptr_t)p;
        hi[large++] = (uintptr_t)p + whole;
    }
    assert_true(large >= 2);
    assert_int_equal(advised_huge(first) == 1, 0);
    slab_free(&sl);
    for (int i = 0; i < large; i++)
        assert_false(mapped_at_all(lo[i], hi[i]));
}

/* An object too large for any chunk is refused, not wrapped around. */
static void test_impossible_sizes_are_refused(void **state)
{
    (void)state;
    slab_t sl;
    slab_init(&sl, SIZE_MAX - 1);
    assert_null(slab_take(&sl));
    assert_null(sl.chunks);                      /* a refusal leaves nothing allocated */
    slab_init(&sl, SIZE_MAX / 16);
    assert_null(slab_take(&sl));
    assert_null(sl.chunks);
    slab_free(&sl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_objects_are_zeroed_aligned_and_apart),
        cmocka_unit_test(test_large_chunks_are_huge_page_aligned_and_advised),
        cmocka_unit_test(test_impossible_sizes_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
