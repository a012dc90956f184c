/* hist.c — see hist.h.
 *
 * Buckets (SUB = HIST_SUB_BITS = 6):
 *   v < 2^(SUB+1)     bucket v: exact
 *   v >= 2^(SUB+1)    with e the index of v's top bit and shift = e - SUB,
 *                     m = v >> shift keeps the top SUB+1 bits (64 <= m <
 *                     128): bucket shift * 2^SUB + m, which covers
 *                     [m << shift, (m + 1) << shift)
 * so buckets are numbered in value order with no gap (e = SUB+1 starts at
 * 128, right after the exact ones), and a bucket's width 2^shift is at most
 * 1/m <= 2^-SUB of its values: its middle is within 2^-(SUB+1) of each.
 *
 * The bins are a sorted array searched by bisection; a new bucket is
 * inserted in place.  A thread's waits cluster around a few values, so its
 * array stays short, and after the first values new buckets are rare. */
#include <stdlib.h>
#include <string.h>
#include "hist.h"

#define EXACT (1 << (HIST_SUB_BITS + 1))

/* The index of v's top bit (v > 0): one instruction where the compiler
 * has it, else six halvings. */
static int top_bit(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
    return 63 - __builtin_clzll(v);
#else
    int e = 0;
    for (int s = 32; s > 0; s /= 2)
        if (v >> s) {
            v >>= s;
            e += s;
        }
    return e;
#endif
}

uint32_t hist_bucket(int64_t v)
{
    if (v < EXACT)
        return v < 0 ? 0 : (uint32_t)v;
    int shift = top_bit((uint64_t)v) - HIST_SUB_BITS;
    return ((uint32_t)shift << HIST_SUB_BITS) + (uint32_t)((uint64_t)v >> shift);
}

/* The bucket's shift: its width is 1 << shift. */
static int bucket_shift(uint32_t bucket)
{
    return bucket < EXACT ? 0 : (int)(bucket >> HIST_SUB_BITS) - 1;
}

int64_t hist_bucket_low(uint32_t bucket)
{
    int shift = bucket_shift(bucket);
    uint64_t m = bucket - ((uint32_t)shift << HIST_SUB_BITS);
    return (int64_t)(m << shift);
}

int64_t hist_bucket_mid(uint32_t bucket)
{
    int shift = bucket_shift(bucket);
    return hist_bucket_low(bucket) + (shift ? (int64_t)1 << (shift - 1) : 0);
}

/* The index of bucket b in h's bins, or of where it would go. */
static int find(const hist_t *h, uint32_t b)
{
    int lo = 0, hi = h->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (hist_bin_bucket(h->bins[mid]) < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* count more values in bucket b, whose largest is max; -1 when a new bin
 * is needed and there is no room. */
static int add_count(hist_t *h, uint32_t b, uint64_t count, int64_t max)
{
    int i = find(h, b);
    if (i == h->n || hist_bin_bucket(h->bins[i]) != b) {
        if (h->n == h->cap)
            return -1;
        memmove(h->bins + i + 1, h->bins + i, sizeof *h->bins * (size_t)(h->n - i));
        h->bins[i] = (hist_bin_t)b << HIST_COUNT_BITS;
        h->n++;
    }
    uint64_t c = hist_bin_count(h->bins[i]);
    c = count > HIST_COUNT_MAX - c ? HIST_COUNT_MAX : c + count;
    h->bins[i] = ((hist_bin_t)b << HIST_COUNT_BITS) | c;
    h->count += count;
    if (max > h->max)
        h->max = max;
    return 0;
}

int hist_add(hist_t *h, int64_t v)
{
    if (v < 0)
        v = 0;
    return add_count(h, hist_bucket(v), 1, v);
}

int hist_grow(hist_t *h)
{
    int cap = h->cap ? h->cap * 2 : HIST_FIRST_BINS;
    hist_bin_t *b = realloc(h->bins, sizeof *b * (size_t)cap);
    if (!b)
        return -1;
    h->bins = b;
    h->cap = cap;
    return 0;
}

int hist_merge(hist_t *into, const hist_t *from)
{
    for (int i = 0; i < from->n; i++) {
        hist_bin_t b = from->bins[i];
        /* from's max lies in its last bin; the others' exact values are gone */
        int64_t max = i == from->n - 1 ? from->max : 0;
        while (add_count(into, hist_bin_bucket(b), hist_bin_count(b), max) != 0)
            if (hist_grow(into) != 0)
                return -1;
    }
    return 0;
}

int64_t hist_percentile(const hist_t *h, uint64_t num, uint64_t den)
{
    if (!h->count || !den)
        return -1;
    /* ceil(count * num / den) without overflow: count = q * den + r */
    uint64_t q = h->count / den, r = h->count % den;
    uint64_t rank = q * num + (r * num + den - 1) / den;
    if (rank < 1)
        rank = 1;
    uint64_t seen = 0;
    int i = 0;
    while (i < h->n - 1 && (seen += hist_bin_count(h->bins[i])) < rank)
        i++;
    int64_t mid = hist_bucket_mid(hist_bin_bucket(h->bins[i]));
    return mid < h->max ? mid : h->max;
}

void hist_free(hist_t *h)
{
    free(h->bins);
    *h = (hist_t){0};
}
