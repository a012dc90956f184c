/* test_hist.c — the log-linear histogram (hist.h): its buckets, nearest-rank
 * percentiles against a sorted array, merging, and its size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "hist.h"
#include "rng.h"
#include "testlib.h"

static void add(hist_t *h, int64_t v)
{
    while (hist_add(h, v) != 0)
        assert_int_equal(hist_grow(h), 0);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank percentile of sorted v[0..n): v[ceil(n * p / 100) - 1]. */
static int64_t exact_percentile(const int64_t *v, size_t n, uint64_t p)
{
    size_t rank = (size_t)((n * p + 99) / 100);
    return v[rank ? rank - 1 : 0];
}

static void test_buckets_are_exact_below_128_then_at_most_1_64_wide(void **state)
{
    (void)state;
    for (int64_t v = 0; v < 128; v++) {
        assert_int_equal(hist_bucket(v), v);
        assert_int_equal(hist_bucket_low(hist_bucket(v)), v);
        assert_int_equal(hist_bucket_mid(hist_bucket(v)), v);
    }
    assert_int_equal(hist_bucket(-5), 0);
    assert_int_equal(hist_bucket(128), 128);
    assert_int_equal(hist_bucket(129), 128);          /* 128 and 129 share a 2-wide bucket */
    assert_int_equal(hist_bucket(130), 129);
    assert_int_equal(hist_bucket_mid(128), 129);
    assert_int_equal(hist_bucket(INT64_MAX), HIST_MAX_BINS - 1);
    assert_int_equal(HIST_MAX_BINS, 3712);
    /* every value lies in its bucket, buckets follow each other with no gap,
     * none is wider than 1/64 of its smallest value, and its middle lies
     * within 1/128 of every value in it */
    for (uint32_t b = 128; b < HIST_MAX_BINS - 1; b++) {
        int64_t lo = hist_bucket_low(b), next = hist_bucket_low(b + 1);
        int64_t mid = hist_bucket_mid(b);
        assert_true(next > lo);
        assert_int_equal(hist_bucket(lo), b);
        assert_int_equal(hist_bucket(next - 1), b);
        assert_true((next - lo) * 64 <= lo);
        assert_true(mid > lo && mid < next);
        assert_true((mid - lo) * 128 <= lo && (next - 1 - mid) * 128 <= next - 1);
    }
}

static void test_percentiles_of_1_to_100_are_exact(void **state)
{
    (void)state;
    hist_t h = {0};
    assert_int_equal(hist_percentile(&h, 50, 100), -1);     /* empty: undefined */
    for (int64_t v = 100; v >= 1; v--)
        add(&h, v);
    assert_int_equal(h.count, 100);
    assert_int_equal(h.max, 100);
    assert_int_equal(hist_percentile(&h, 50, 100), 50);
    assert_int_equal(hist_percentile(&h, 99, 100), 99);
    assert_int_equal(hist_percentile(&h, 100, 100), 100);
    assert_int_equal(hist_percentile(&h, 1, 1000), 1);      /* rank ceil(0.1) = 1 */
    assert_int_equal(hist_percentile(&h, 0, 100), 1);       /* rank 0 counts as 1 */
    add(&h, 7);
    /* 101 values: p50 is the 51st, which is 50 with 7 counted twice */
    assert_int_equal(hist_percentile(&h, 50, 100), 50);
    assert_int_equal(hist_percentile(&h, 1, 100), 2);       /* rank 2: 1, 2 */
    hist_free(&h);
}

static void test_percentiles_match_sorted_values_within_a_bucket(void **state)
{
    (void)state;
    enum { N = 20001 };
    static int64_t v[N];
    rng_t r;
    rng_seed(&r, 3);
    dist_t ln = {DIST_LOGNORMAL, MS(5), 0, 1.0};
    hist_t h = {0};
    for (int i = 0; i < N; i++) {
        v[i] = dist_draw(&ln, &r);
        add(&h, v[i]);
    }
    qsort(v, N, sizeof v[0], cmp_i64);
    assert_int_equal(h.max, v[N - 1]);
    static const uint64_t ps[] = {1, 10, 50, 90, 99, 100};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        int64_t want = exact_percentile(v, N, ps[i]), got = hist_percentile(&h, ps[i], 100);
        if (llabs(got - want) * 128 > want)
            fail_msg("p%llu: %lld, exact %lld", (unsigned long long)ps[i], (long long)got,
                     (long long)want);
        assert_int_equal(hist_bucket(got), hist_bucket(want));
    }
    assert_int_equal(hist_percentile(&h, 100, 100), v[N - 1]);   /* never above the max */
    /* small: 20001 values spread over a factor of ~10^4, 64 bins a factor of 2 */
    assert_true(h.n <= 64 * 15);
    hist_free(&h);
}

/* One bin, and the percentiles are the value: the bucket's middle is
 * above it, the maximum is not. */
static void test_many_equal_values_take_one_bin(void **state)
{
    (void)state;
    hist_t h = {0};
    for (int i = 0; i < 100000; i++)
        add(&h, MS(5) + 123);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.count, 100000);
    assert_int_equal(hist_bin_count(h.bins[0]), 100000);
    assert_int_equal(h.max, MS(5) + 123);
    assert_true(hist_bucket_mid(hist_bucket(MS(5) + 123)) > MS(5) + 123);
    assert_int_equal(hist_percentile(&h, 50, 100), MS(5) + 123);
    assert_int_equal(hist_percentile(&h, 99, 100), MS(5) + 123);
    hist_free(&h);
}

/* A value spread from 1 us to 1 s keeps about 64 bins per factor of 2. */
static void test_bins_stay_few_for_wide_spreads(void **state)
{
    (void)state;
    hist_t h = {0};
    for (int64_t v = US(1); v <= SEC(1); v += v / 200 + 1)
        add(&h, v);
    assert_true(h.n <= 64 * 20 + 64);
    assert_true(h.n >= 64 * 19);
    hist_free(&h);
}

static void test_add_without_room_changes_nothing(void **state)
{
    (void)state;
    hist_t h = {0};
    assert_int_equal(hist_add(&h, 10), -1);        /* no bins yet */
    assert_int_equal(h.count, 0);
    assert_int_equal(h.n, 0);
    assert_int_equal(hist_grow(&h), 0);
    for (int64_t v = 0; v < h.cap; v++)
        assert_int_equal(hist_add(&h, v), 0);
    int full = h.n;
    assert_int_equal(hist_add(&h, 3), 0);          /* an existing bucket needs no room */
    assert_int_equal(hist_add(&h, 1000), -1);
    assert_int_equal(h.n, full);
    assert_int_equal(h.count, (uint64_t)full + 1);
    assert_int_equal(h.max, full - 1);
    hist_free(&h);
}

static void test_merge_equals_adding_everything_to_one(void **state)
{
    (void)state;
    hist_t a = {0}, b = {0}, all = {0}, empty = {0};
    rng_t r;
    rng_seed(&r, 9);
    dist_t e = {DIST_EXP, US(300), 0, 0};
    for (int i = 0; i < 3000; i++) {
        int64_t v = dist_draw(&e, &r);
        add(i % 3 ? &a : &b, v);
        add(&all, v);
    }
    add(&b, SEC(2));                               /* b's max, beyond everything in a */
    add(&all, SEC(2));
    assert_int_equal(hist_merge(&a, &empty), 0);
    assert_int_equal(hist_merge(&empty, &b), 0);   /* into an empty one: a copy */
    assert_int_equal(empty.count, b.count);
    assert_int_equal(empty.max, SEC(2));
    assert_int_equal(hist_merge(&a, &b), 0);
    assert_int_equal(a.count, all.count);
    assert_int_equal(a.max, all.max);
    assert_int_equal(a.n, all.n);
    for (int i = 0; i < a.n; i++)
        assert_int_equal(a.bins[i], all.bins[i]);      /* bucket and count */
    assert_int_equal(hist_percentile(&a, 50, 100), hist_percentile(&all, 50, 100));
    hist_free(&a);
    hist_free(&b);
    hist_free(&all);
    hist_free(&empty);
}

/* A bin's count stops at 2^48 - 1 rather than wrap into its bucket. */
static void test_bin_counts_saturate(void **state)
{
    (void)state;
    hist_bin_t full = ((hist_bin_t)5 << HIST_COUNT_BITS) | (HIST_COUNT_MAX - 1);
    hist_t big = {&full, 1, 1, HIST_COUNT_MAX - 1, 5}, h = {0};
    add(&h, 5);
    add(&h, 5);
    assert_int_equal(hist_merge(&h, &big), 0);
    assert_int_equal(h.n, 1);
    assert_int_equal(hist_bin_bucket(h.bins[0]), 5);
    assert_int_equal(hist_bin_count(h.bins[0]), HIST_COUNT_MAX);
    assert_int_equal(hist_percentile(&h, 50, 100), 5);
    hist_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buckets_are_exact_below_128_then_at_most_1_64_wide),
        cmocka_unit_test(test_percentiles_of_1_to_100_are_exact),
        cmocka_unit_test(test_percentiles_match_sorted_values_within_a_bucket),
        cmocka_unit_test(test_many_equal_values_take_one_bin),
        cmocka_unit_test(test_bins_stay_few_for_wide_spreads),
        cmocka_unit_test(test_add_without_room_changes_nothing),
        cmocka_unit_test(test_merge_equals_adding_everything_to_one),
        cmocka_unit_test(test_bin_counts_saturate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
