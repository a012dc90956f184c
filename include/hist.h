/* hist.h — a small deterministic histogram of non-negative integers (ns),
 * for percentiles of many values without keeping them.
 *
 * Log-linear buckets: a value below 2^(HIST_SUB_BITS+1) = 128 has a bucket
 * of its own; above, each power of two is cut into 2^HIST_SUB_BITS = 64
 * equal buckets, so a bucket is at most 1/64 of its values wide, and its
 * middle, which percentiles report, within 1/128 (0.8 %) of any of them.
 * Only buckets that hold values are kept, as a sorted array of 8-byte
 * bins: a histogram of similar values stays a few bins long however many
 * it counts; values spread from 1 us to 1 s fill about 640, and none
 * exceeds HIST_MAX_BINS (3712).  The maximum is kept exactly.  Integer
 * arithmetic only: the same values give the same bins and the same
 * percentiles on every machine. */
#ifndef GILSIM_HIST_H
#define GILSIM_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 6
/* The buckets an int64_t value can fall in: 128 exact ones, then 64 per
 * power of two from 2^7 to 2^62. */
#define HIST_MAX_BINS ((64 - HIST_SUB_BITS) << HIST_SUB_BITS)

/* A bin: its bucket in the top 16 bits, its count in the low 48 (2.8e14
 * values in one bucket, more than any run reaches; a count there stops
 * growing rather than wrap). */
typedef uint64_t hist_bin_t;
#define HIST_COUNT_BITS 48
#define HIST_FIRST_BINS 4        /* many histograms hold a value or two */
#define HIST_COUNT_MAX ((UINT64_C(1) << HIST_COUNT_BITS) - 1)
static inline uint32_t hist_bin_bucket(hist_bin_t b) { return (uint32_t)(b >> HIST_COUNT_BITS); }
static inline uint64_t hist_bin_count(hist_bin_t b) { return b & HIST_COUNT_MAX; }

/* All zeros is an empty histogram; bins is allocated at the first value. */
typedef struct hist {
    hist_bin_t *bins;            /* by bucket, ascending */
    int n, cap;                  /* bins used, bins allocated */
    uint64_t count;              /* values counted */
    int64_t max;                 /* the largest value exactly (0 when empty) */
} hist_t;

/* The bucket of v (a negative v counts as 0); the smallest value of a
 * bucket, and its middle: the value percentiles report for it. */
uint32_t hist_bucket(int64_t v);
int64_t  hist_bucket_low(uint32_t bucket);
int64_t  hist_bucket_mid(uint32_t bucket);
/* Counts v.  Allocates nothing: returns -1, changing nothing, when v needs
 * a new bin and bins is full (n == cap); the caller then grows bins (by
 * hist_grow, or its own allocator, keeping n and the contents) and adds it
 * again.  0 when counted. */
int      hist_add(hist_t *h, int64_t v);
/* Doubles bins' room (HIST_FIRST_BINS at first); 0, or -1 out of memory. */
int      hist_grow(hist_t *h);
/* Adds every value of from to into; 0, or -1 out of memory (into is then
 * unchanged but for the values already added: free it). */
int      hist_merge(hist_t *into, const hist_t *from);
/* The nearest-rank percentile num/den (e.g. 99/100): the value of rank
 * ceil(count * num / den) (at least 1) in sorted order, as the middle of
 * its bucket, or the maximum if that is less.  Exact below 128; above,
 * within 1/128 of the true value.  -1 when empty. */
int64_t  hist_percentile(const hist_t *h, uint64_t num, uint64_t den);
void     hist_free(hist_t *h);

#endif
