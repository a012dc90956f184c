/* test_engine.c — the event queue and the random numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "engine/engine.h"
#include "rng.h"
#include "testlib.h"

typedef struct log { uint64_t order[64]; simtime_t when[64]; int n; engine_t *e; } log_t;

static void record(void *obj, uint64_t arg)
{
    log_t *l = obj;
    l->order[l->n] = arg;
    l->when[l->n++] = eng_now(l->e);
}

static void test_events_run_in_time_order(void **state)
{
    (void)state;
    engine_t e;
    log_t l = {.e = &e};
    eng_init(&e);
    simtime_t times[] = {50, 10, 40, 20, 30, 0, 60};
    for (int i = 0; i < 7; i++)
        eng_at(&e, times[i], record, &l, (uint64_t)i);
    while (eng_step(&e))
        ;
    assert_int_equal(l.n, 7);
    for (int i = 1; i < l.n; i++)
        assert_true(l.when[i - 1] <= l.when[i]);
    assert_int_equal(l.order[0], 5);
    assert_int_equal(l.order[6], 6);
    eng_free(&e);
}

static void test_ties_run_in_scheduling_order(void **state)
{
    (void)state;
    engine_t e;
    log_t l = {.e = &e};
    eng_init(&e);
    for (int i = 0; i < 40; i++)
        eng_at(&e, 100 + (i % 2), record, &l, (uint64_t)i);
    while (eng_step(&e))
        ;
    /* all even i at t=100 in order, then all odd i at t=101 in order */
    for (int i = 0; i < 20; i++) {
        assert_int_equal(l.order[i], 2 * i);
        assert_int_equal(l.order[20 + i], 2 * i + 1);
    }
    eng_free(&e);
}

static void test_run_stops_at_until(void **state)
{
    (void)state;
    engine_t e;
    log_t l = {.e = &e};
    eng_init(&e);
    for (int i = 0; i < 10; i++)
        eng_at(&e, i * 10, record, &l, (uint64_t)i);
    assert_int_equal(eng_run(&e, 45), 5);
    assert_int_equal(eng_pending(&e), 5);
    assert_int_equal(eng_next_time(&e), 50);
    eng_free(&e);
}

static void noop(void *obj, uint64_t arg) { (void)obj; (void)arg; }

static void test_heap_pops_sorted(void **state)
{
    (void)state;
    engine_t e;
    rng_t r;
    eng_init(&e);
    rng_seed(&r, 7);
    for (int i = 0; i < 20000; i++)
        eng_at(&e, (simtime_t)(rng_next(&r) % 5000), noop, NULL, 0);
    simtime_t last = -1;
    uint64_t count = 0;
    while (e.len) {
        simtime_t t = eng_next_time(&e);
        assert_true(t >= last);
        last = t;
        eng_step(&e);
        count++;
        if (count % 3 == 0 && count < 15000)     /* keep pushing while popping */
            eng_at(&e, e.now + (simtime_t)(rng_next(&r) % 100), noop, NULL, 0);
    }
    assert_true(count >= 20000);
    eng_free(&e);
}

/* Events that schedule none, one or several follow-ups from inside their
 * callback (the running event's root is then reused or discarded): every
 * event runs once, times never go back, and events of equal time run in
 * the order they were scheduled. */
typedef struct chain {
    engine_t *e;
    rng_t r;
    uint64_t next_id, ran, last_id;
    simtime_t last_t;
    size_t pending;              /* events scheduled and not yet run */
    int order_ok, pending_ok;
} chain_t;

static void chain_fire(void *obj, uint64_t id)
{
    chain_t *c = obj;
    simtime_t now = eng_now(c->e);
    if (now < c->last_t || (now == c->last_t && id < c->last_id))
        c->order_ok = 0;
    c->last_t = now;
    c->last_id = id;
    c->ran++;
    c->pending--;
    if (eng_pending(c->e) != c->pending)
        c->pending_ok = 0;
    static const int follows[4] = {0, 1, 2, 2};                 /* grows, then drains */
    int follow = c->next_id < 60000 ? follows[rng_next(&c->r) % 4] : 0;
    for (int k = 0; k < follow; k++) {
        simtime_t dt = (simtime_t)(rng_next(&c->r) % 4);             /* many ties */
        eng_at(c->e, now + dt, chain_fire, c, c->next_id++);
        c->pending++;
    }
}

static void test_events_scheduled_from_callbacks(void **state)
{
    (void)state;
    engine_t e;
    eng_init(&e);
    chain_t c = {.e = &e, .order_ok = 1, .pending_ok = 1, .last_t = -1};
    rng_seed(&c.r, 11);
    for (int i = 0; i < 300; i++) {
        eng_at(&e, (simtime_t)(rng_next(&c.r) % 50), chain_fire, &c, c.next_id++);
        c.pending++;
    }
    while (eng_step(&e))
        ;
    assert_int_equal(c.ran, c.next_id);
    assert_true(c.ran > 1000);
    assert_int_equal(eng_pending(&e), 0);
    assert_true(c.pending_ok);
    assert_true(c.order_ok);
    eng_free(&e);
}

static void test_rng_is_deterministic_per_seed(void **state)
{
    (void)state;
    rng_t a, b, c;
    rng_seed(&a, 1);
    rng_seed(&b, 1);
    rng_seed(&c, 2);
    int differ = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = rng_next(&a);
        assert_true(x == rng_next(&b));
        differ += x != rng_next(&c);
    }
    assert_true(differ > 90);
}

static double sample_mean(const dist_t *d, int n, rng_t *r)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        simtime_t v = dist_draw(d, r);
        assert_true(v >= 0);
        sum += (double)v;
    }
    return sum / n;
}

static void test_distributions_have_their_means(void **state)
{
    (void)state;
    rng_t r;
    rng_seed(&r, 3);
    dist_t c = {DIST_CONST, 1000, 0, 0};
    dist_t ex = {DIST_EXP, US(100), 0, 0};
    dist_t un = {DIST_UNIFORM, US(10), US(30), 0};
    dist_t no = {DIST_NORMAL, US(50), US(5), 0};
    dist_t ln = {DIST_LOGNORMAL, US(6), 0, 0.45};
    assert_int_equal(dist_draw(&c, &r), 1000);
    assert_near(sample_mean(&ex, 200000, &r), US(100), 0.01);
    assert_near(sample_mean(&un, 200000, &r), US(20), 0.01);
    assert_near(sample_mean(&no, 200000, &r), US(50), 0.01);
    assert_near(sample_mean(&ln, 200000, &r), (double)dist_mean(&ln), 0.01);
}

static int cmp_time(const void *a, const void *b)
{
    simtime_t x = *(const simtime_t *)a, y = *(const simtime_t *)b;
    return (x > y) - (x < y);
}

/* The default wake-up latency plus the default context switch gives the
 * percentiles the config reference quotes for os.wake_latency (p50 7 us, p90 12 us,
 * p99 18 us), which match the measured 7.2, 12.3 and 17.7 us. */
static void test_default_wake_latency_percentiles(void **state)
{
    (void)state;
    enum { N = 100001 };
    static simtime_t v[N];
    run_t *defaults = run_yaml("processes: [{main: [{cpu: 1us}]}]\n");
    dist_t wake = defaults->cfg.os.wake_latency;
    simtime_t context_switch = defaults->cfg.os.context_switch;
    run_free(defaults);
    rng_t r;
    rng_seed(&r, 11);
    for (int i = 0; i < N; i++)
        v[i] = dist_draw(&wake, &r) + context_switch;
    qsort(v, N, sizeof v[0], cmp_time);
    assert_near((double)v[N / 2], US(7), 0.05);
    assert_near((double)v[N * 90 / 100], US(12), 0.05);
    assert_near((double)v[N * 99 / 100], US(18), 0.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_run_in_time_order),
        cmocka_unit_test(test_ties_run_in_scheduling_order),
        cmocka_unit_test(test_run_stops_at_until),
        cmocka_unit_test(test_events_scheduled_from_callbacks),
        cmocka_unit_test(test_heap_pops_sorted),
        cmocka_unit_test(test_rng_is_deterministic_per_seed),
        cmocka_unit_test(test_distributions_have_their_means),
        cmocka_unit_test(test_default_wake_latency_percentiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
