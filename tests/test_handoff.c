/* test_handoff.c — where a GIL hand-off costs what (gil.c's gil_take and
 * thread.c's side segments), the event loop's select(0) on every pass
 * (aio.c), daemon threads at finalisation (life.c, gil.h's must_exit),
 * queue.Queue.get's order (sync.c) and the old GIL's ticker: a `hold` is
 * one tick, and a ticker far behind is one check (gil_old.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>
#include "testlib.h"

#define SWITCH_COST 22000        /* python.switch_cost's default, in ns */

/* The GIL events of a run, in order. */
typedef struct gil_row {
    simtime_t t;
    char thread[32], detail[32];
    enum gil_event ev;
} gil_row_t;

typedef struct gil_rows {
    gil_row_t *rows;
    int n, cap;
} gil_rows_t;

static void record_gil(void *ctx, simtime_t t, const thread_t *th, enum gil_event ev,
                       const char *detail)
{
    gil_rows_t *g = ctx;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 256;
        g->rows = realloc(g->rows, sizeof *g->rows * (size_t)g->cap);
        assert_non_null(g->rows);
    }
    gil_row_t *r = &g->rows[g->n++];
    r->t = t;
    r->ev = ev;
    snprintf(r->thread, sizeof r->thread, "%s", th->name);
    snprintf(r->detail, sizeof r->detail, "%s", detail ? detail : "");
}

/* What a recording run writes into: the run's log, and the GIL rows. */
typedef struct recording {
    run_t *run;
    gil_rows_t *gil;
} recording_t;

static void record_log(void *ctx, simtime_t t, const thread_t *th, const char *task,
                       enum log_kind kind, const char *text)
{
    capture_log(((recording_t *)ctx)->run, t, th, task, kind, text);
}

static void record_gil_row(void *ctx, simtime_t t, const thread_t *th, enum gil_event ev,
                           const char *detail)
{
    record_gil(((recording_t *)ctx)->gil, t, th, ev, detail);
}

/* run_yaml_sets, recording the GIL events into *g as well as the log. */
static run_t *run_recorded(const char *yaml, char *const *sets, int nsets, gil_rows_t *g)
{
    run_t *r = calloc(1, sizeof *r);
    char err[CFG_ERR_MAX];
    assert_non_null(r);
    if (cfg_load_string("test.yaml", yaml, sets, nsets, &r->cfg, err) != 0)
        fail_msg("config error: %s", err);
    *g = (gil_rows_t){0};
    recording_t rec = {r, g};
    r->sink = (trace_sink_t){.ctx = &rec, .log = record_log, .gil = record_gil_row};
    sim_opts_t o = {.check_invariants = 1, .trace = &r->sink};
    assert_int_equal(sim_build(&r->sim, &r->cfg, &o), 0);
    if (sim_run(&r->sim) != 0)
        fail_msg("invariant violated: %s", sim_violation(&r->sim));
    r->sink = (trace_sink_t){.ctx = r, .log = capture_log};    /* rec is gone */
    return r;
}

static int count_rows(const gil_rows_t *g, const char *thread, enum gil_event ev,
                      const char *detail)
{
    int n = 0;
    for (int i = 0; i < g->n; i++)
        n += !strcmp(g->rows[i].thread, thread) && g->rows[i].ev == ev &&
             (!detail || !strcmp(g->rows[i].detail, detail));
    return n;
}

static simtime_t py_time_of_all(const run_t *r)
{
    simtime_t py = 0;
    for (int i = 0; i < r->sim.nthreads; i++)
        py += r->sim.threads[i]->state_time[TS_PY];
    return py;
}

/* ---- switch_cost: only a contended take pays it, and at the take ------ */

/* A ping-pong over two queues: each side finds the GIL free when it comes
 * back (the other one is already waiting on its queue), so no take costs
 * anything although every take is a switch: the run is the same with
 * switch_cost 0. */
static void test_uncontended_take_is_free(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES
        "objects: [{name: ping, kind: queue}, {name: pong, kind: queue}]\n"
        APP_THREADS
        "      - {name: a, program: [{repeat: 50, do: [{queue_put: ping}, {queue_get: pong}]}]}\n"
        "      - {name: b, program: [{repeat: 50, do: [{queue_get: ping}, {cpu: 10us},"
        " {queue_put: pong}]}]}\n";
    gil_rows_t g0, g1;
    char *free_sets[] = {"python.switch_cost=0us"};
    run_t *costly = run_recorded(yaml, NULL, 0, &g1);
    run_t *free_ = run_recorded(yaml, free_sets, 1, &g0);
    int switches = count_rows(&g1, "b", GE_TAKE, "switch");
    if (switches < 50)
        fail_msg("b took the GIL from a only %d times", switches);
    assert_int_equal(costly->sim.end, free_->sim.end);
    assert_int_equal(py_time_of_all(costly), py_time_of_all(free_));
    free(g0.rows);
    free(g1.rows);
    run_free(costly);
    run_free(free_);
}

/* Two CPU-bound threads at a 1 ms interval: every switch is a forced
 * hand-off to a thread that slept on the GIL, and each costs its taker
 * switch_cost of CPU (the very first take has nobody to switch from). */
static void test_contended_hand_off_costs_switch_cost(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES "python: {switch_interval: 1ms}\n"
        "processes:\n  - name: app\n"
        "    threads: [{name: w, count: 2, program: [{repeat: 50, do: [{cpu: 1ms}]}]}]\n";
    gil_rows_t g;
    run_t *r = run_recorded(yaml, NULL, 0, &g);
    uint64_t switches = r->sim.procs[0]->gil.switches;
    assert_true(switches > 50);
    assert_int_equal(py_time_of_all(r), 100 * 1000000LL + (simtime_t)(switches - 1) * SWITCH_COST);
    free(g.rows);
    run_free(r);
}

/* The cost is paid in take_gil, before the thread goes on: a thread that
 * takes the GIL back (contended) after a sleep, to start I/O at once,
 * starts it switch_cost after the take. */
static void test_take_cost_paid_before_the_io(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES "python: {switch_interval: 5ms}\n"
        APP_THREADS
        "      - {name: spin, program: [{cpu: 30ms}]}\n"
        "      - {name: io, program: [{sleep: 1ms}, {io: 5ms}, {cpu: 10us}]}\n";
    gil_rows_t g;
    run_t *r = run_recorded(yaml, NULL, 0, &g);
    simtime_t took = -1, dropped = -1;
    for (int i = 0; i < g.n && dropped < 0; i++) {
        const gil_row_t *x = &g.rows[i];
        if (!strcmp(x->thread, "io") && x->ev == GE_TAKE && !strcmp(x->detail, "switch"))
            took = x->t;
        if (took >= 0 && !strcmp(x->thread, "io") && x->ev == GE_DROP && !strcmp(x->detail, "io"))
            dropped = x->t;
    }
    assert_true(took > 1000000);     /* after its sleep, from spin */
    assert_int_equal(dropped - took, SWITCH_COST);
    free(g.rows);
    run_free(r);
}

/* ---- asyncio: select(0) on every pass releases the GIL ----------------- */

/* A loop of ten tasks doing CPU steps with sleep(0) beside a CPU-bound
 * thread: each pass releases the GIL in select(0) and the CPU-bound
 * waiter, signalled, sometimes reaches it first — it takes it from the
 * loop without any drop request.  Without the poll it never could. */
static void test_select_poll_releases_the_gil(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES "python: {switch_interval: 5ms}\nduration: 500ms\n"
        "functions:\n"
        "  step: {async: true, body: [{repeat: forever, do: [{cpu: 30us}, {await: {sleep: 0}}]}]}\n"
        "  amain: {async: true, body: [{create_task: step, count: 10}, {await: {sleep: 10s}}]}\n"
        "  loop: {body: [{asyncio_run: amain}]}\n"
        "  spin: {body: [{repeat: forever, do: [{cpu: 100us}]}]}\n"
        "processes:\n  - name: app\n"
        "    main: [{start: spin, name: spin}, {start: loop, name: loop}]\n";
    gil_rows_t g;
    run_t *r = run_recorded(yaml, NULL, 0, &g);
    int polls = count_rows(&g, "loop", GE_DROP, "select");
    int won = 0;                 /* spin's takes right after a poll's release */
    for (int i = 1; i < g.n; i++)
        won += !strcmp(g.rows[i].thread, "spin") && g.rows[i].ev == GE_TAKE &&
               !strcmp(g.rows[i - 1].thread, "loop") && g.rows[i - 1].ev == GE_DROP &&
               !strcmp(g.rows[i - 1].detail, "select");
    if (polls < 500 || won < 5)
        fail_msg("the loop released the GIL in select %d times; spin took it then %d times",
                 polls, won);
    free(g.rows);
    run_free(r);
}

/* ---- daemon threads at finalisation ------------------------------------ */

static const char daemon_yaml[] =
    "machine: {cores: 4}\nduration: 1s\npython: {switch_interval: 5ms, finalize: 20ms}\n"
    "functions:\n"
    "  spin: {body: [{repeat: forever, do: [{cpu: 100us}]}]}\n"
    "  reader: {body: [{repeat: forever, do: [{io: 3ms}, {cpu: 10us}]}]}\n"
    "processes:\n  - name: app\n"
    "    main: [{start: spin, name: spin, daemon: true}, {start: reader, name: reader, "
    "daemon: true}, {cpu: 20ms}, {mark: main exits}]\n";

/* Main's program ends; it takes the GIL back from the spinning daemon
 * (which runs on until the drop request), then finalizes for 20 ms.  The
 * reader, in I/O meanwhile, completes it and exits when it next enters
 * take_gil; the spinner exits when its wait on the GIL times out.  Nobody
 * holds the GIL at the end, and neither daemon took it after main did. */
static void test_daemons_run_on_until_take_gil(void **state)
{
    (void)state;
    gil_rows_t g;
    run_t *r = run_recorded(daemon_yaml, NULL, 0, &g);
    simtime_t main_end = log_time(r, "mark", "main exits");
    const thread_t *spin = thread_named(r, "spin"), *reader = thread_named(r, "reader"),
                   *main_t = thread_named(r, "MainThread");
    simtime_t main_took = -1, spin_last_take = -1;
    for (int i = 0; i < g.n; i++) {
        if (!strcmp(g.rows[i].thread, "MainThread") && g.rows[i].ev == GE_TAKE &&
            g.rows[i].t >= main_end && main_took < 0)
            main_took = g.rows[i].t;
        if (!strcmp(g.rows[i].thread, "spin") && g.rows[i].ev == GE_TAKE)
            spin_last_take = g.rows[i].t;
    }
    if (main_took < 0)           /* main ended holding it: spin had dropped */
        main_took = main_end;
    assert_true(spin_last_take < main_took);
    assert_string_equal(spin->state_detail, "finalizing");
    assert_string_equal(reader->state_detail, "finalizing");
    assert_true(reader->finish > main_end && reader->finish < main_t->finish);
    assert_true(spin->finish > main_end && spin->finish < main_t->finish);
    assert_true(main_t->finish >= main_took + 20000000);
    assert_null(r->sim.procs[0]->gil.holder);
    for (int i = 0; i < r->sim.nthreads; i++)
        assert_false(r->sim.threads[i]->gthr.has_gil);
    free(g.rows);
    run_free(r);
}

/* The same under every exclusive GIL: the daemons exit in take_gil (none
 * is killed with its process) and the GIL is left free. */
static void test_daemons_exit_in_take_gil_under_every_gil(void **state)
{
    (void)state;
    static const char *const gils[] = {"new", "old", "io-priority"};
    for (size_t k = 0; k < sizeof gils / sizeof gils[0]; k++) {
        char set[64];
        snprintf(set, sizeof set, "python.gil=%s", gils[k]);
        char *sets[] = {set};
        gil_rows_t g;
        run_t *r = run_recorded(daemon_yaml, sets, 1, &g);
        if (strcmp(thread_named(r, "reader")->state_detail, "finalizing") ||
            strcmp(thread_named(r, "spin")->state_detail, "finalizing"))
            fail_msg("gil %s: the daemons ended %s and %s", gils[k],
                     thread_named(r, "reader")->state_detail,
                     thread_named(r, "spin")->state_detail);
        assert_null(r->sim.procs[0]->gil.holder);
        free(g.rows);
        run_free(r);
    }
}

/* ---- queue.Queue.get: the GIL first, then the item ---------------------- */

/* a waits on an empty queue; p puts an item, then computes 1 ms holding
 * the GIL and gets from the queue itself.  a, woken by the put, needs the
 * GIL before it can look: p takes the item first, and a waits for the
 * second put. */
static void test_queue_get_retakes_the_gil_first(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES "python: {switch_interval: 5ms}\n"
        "objects: [{name: q, kind: queue}]\n"
        APP_THREADS
        "      - {name: a, program: [{queue_get: q}, {mark: a got}]}\n"
        "      - {name: p, program: [{sleep: 1ms}, {queue_put: q}, {cpu: 1ms}, {queue_get: q},"
        " {mark: p got}, {sleep: 5ms}, {queue_put: q}]}\n";
    run_t *r = run_yaml(yaml);
    simtime_t p_got = log_time(r, "mark", "p got"), a_got = log_time(r, "mark", "a got");
    if (!(p_got < a_got && a_got > 7000000))
        fail_msg("p got the item at %.3f ms, a at %.3f ms", p_got / 1e6, a_got / 1e6);
    run_free(r);
}

/* ---- the old GIL's ticker ---------------------------------------------- */

/* 1000 s of bytecode run before anyone waits, then a waiter comes, one
 * tick per ns: the ticker is 10^12 periods behind, and the check resets it
 * at once (a loop over those periods would never end: the alarm would). */
static void test_old_gil_ticker_far_behind_is_one_check(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES "python: {gil: old, opcode_time: 1ns, check_interval: 1}\n"
        APP_THREADS
        "      - {name: h, program: [{cpu: 1000s}]}\n"
        "      - {name: w, program: [{sleep: 999s}, {cpu: 1ms}]}\n";
    alarm(20);
    run_t *r = run_yaml(yaml);
    alarm(0);
    assert_true(thread_named(r, "h")->finish >= 1000000000000LL);
    assert_true(thread_named(r, "w")->finish > 999000000000LL);
    run_free(r);
}

/* The checks thread c reaches (dropping the GIL at them, or losing it) in
 * 200 `hold: HOLD` calls beside a CPU-bound thread, under the old GIL. */
static int old_gil_checks_in_holds(const char *hold)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             TWO_CORES "python: {gil: old}\n"
             APP_THREADS
             "      - {name: c, program: [{repeat: 200, do: [{hold: %s}]}]}\n"
             "      - {name: spin, program: [{repeat: forever, do: [{cpu: 100us}]}]}\n", hold);
    char *sets[] = {"duration=1000s"};
    gil_rows_t g;
    run_t *r = run_recorded(yaml, sets, 1, &g);
    assert_int_equal(thread_named(r, "c")->ops_done, 200);
    int checks = count_rows(&g, "c", GE_DROP, "check") + count_rows(&g, "c", GE_DROP, "forced");
    free(g.rows);
    run_free(r);
    return checks;
}

/* A `hold` is one instruction (CALL_FUNCTION) to Python <= 3.1's ticker,
 * however long the C function runs: c reaches a check every
 * check_interval (100) holds, whether they last 10 ms or 50 ms — not one
 * per hold, as it would if the hold's time counted as bytecode. */
static void test_old_gil_hold_is_one_tick(void **state)
{
    (void)state;
    int short_holds = old_gil_checks_in_holds("10ms"), long_holds = old_gil_checks_in_holds("50ms");
    if (short_holds != 200 / 100 || long_holds != 200 / 100)
        fail_msg("200 holds reached %d checks at 10 ms, %d at 50 ms (want 200 / 100 each)",
                 short_holds, long_holds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uncontended_take_is_free),
        cmocka_unit_test(test_contended_hand_off_costs_switch_cost),
        cmocka_unit_test(test_take_cost_paid_before_the_io),
        cmocka_unit_test(test_select_poll_releases_the_gil),
        cmocka_unit_test(test_daemons_run_on_until_take_gil),
        cmocka_unit_test(test_daemons_exit_in_take_gil_under_every_gil),
        cmocka_unit_test(test_queue_get_retakes_the_gil_first),
        cmocka_unit_test(test_old_gil_ticker_far_behind_is_one_check),
        cmocka_unit_test(test_old_gil_hold_is_one_tick),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
