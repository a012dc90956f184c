/* test_constructs.c — issue #3: every example of the course notes, run from
 * its config in configs/seed/, gives the time the notes state; and the
 * constructs behind them (threads, processes, asyncio, pools, locks,
 * faults) behave as CPython's do.  Every run checks the model's invariants
 * after every event (testlib.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "testlib.h"

#define SEED "configs/seed/"

/* The time the program printed ("Total time", "Finished"): its mark. */
static double mark_s(const run_t *r)
{
    return secs(log_time(r, "mark", NULL));
}

/* ---- asyncio, the notes' examples 1-4 and 6 ---------------------------- */

/* Example 1: tasks + gather, each awaits sleep(1): ~1 s (CPython 1.006). */
static void test_asyncio_ex1_gather_takes_1s(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "asyncio_ex1_tasks_gather.yaml");
    assert_near(mark_s(r), 1.0, 0.02);
    assert_int_equal(r->sim.peak_tasks, 6);        /* main + 5 */
    run_free(r);
}

/* Example 2: awaiting the coroutines one by one: ~5 s (CPython 5.01). */
static void test_asyncio_ex2_await_coroutine_takes_5s(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "asyncio_ex2_await_coroutine.yaml");
    assert_near(mark_s(r), 5.0, 0.02);
    assert_int_equal(r->sim.peak_tasks, 1);        /* no concurrency: one task */
    run_free(r);
}

/* Example 3: time.sleep inside the coroutines blocks the loop: ~5 s. */
static void test_asyncio_ex3_blocking_sleep_takes_5s(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "asyncio_ex3_blocking_sleep.yaml");
    assert_near(mark_s(r), 5.0, 0.02);
    run_free(r);
}

/* Example 4: plain synchronous code: ~5 s (CPython 5.00). */
static void test_asyncio_ex4_synchronous_takes_5s(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "asyncio_ex4_synchronous.yaml");
    assert_near(mark_s(r), 5.0, 0.02);
    run_free(r);
}

/* Example 6: factorial tasks 10, 4, 6 with await sleep: ~10 s (CPython
 * 10.03); with time.sleep: ~20 s (CPython 20.02). */
static void test_asyncio_ex6_await_vs_time_sleep(void **state)
{
    (void)state;
    run_t *a = run_file(SEED "asyncio_ex6_await_sleep.yaml");
    run_t *b = run_file(SEED "asyncio_ex6_time_sleep.yaml");
    assert_near(mark_s(a), 10.0, 0.02);
    assert_near(mark_s(b), 20.0, 0.02);
    run_free(a);
    run_free(b);
}

/* A new task starts on the next loop pass, in creation order; sleep(0)
 * goes to the back of the ready queue. */
static void test_asyncio_loop_order(void **state)
{
    (void)state;
    static const char yaml[] =
        "functions:\n"
        "  step:\n"
        "    async: true\n"
        "    params: {n: count}\n"
        "    body:\n"
        "      - repeat: $n\n"
        "        do:\n"
        "          - cpu: 10us\n"
        "          - await: {sleep: 0s}\n"
        "  main:\n"
        "    async: true\n"
        "    body:\n"
        "      - {create_task: step, args: [2], as: ts}\n"
        "      - {create_task: step, args: [2], as: ts}\n"
        "      - mark: created\n"
        "      - await: {gather: ts}\n"
        "processes:\n"
        "  - main: [{asyncio_run: main}]\n";
    run_t *r = run_yaml(yaml);
    /* the tasks ran only after main suspended in gather, and alternated */
    const char *order = log_texts(r, "mark");
    assert_string_equal(order, "created");
    simtime_t created = log_time(r, "mark", "created");
    assert_true(created < US(50));
    /* both tasks did their 2 x 10 us of Python: the loop ran them all */
    assert_int_equal(r->sim.threads[0]->ops_done, 8);
    run_free(r);
}

/* ---- threads ------------------------------------------------------------ */

/* Ten threads sleeping 2 s, joined: ~2 s. */
static void test_threads_joined_take_2s(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "threads_join.yaml");
    assert_near(mark_s(r), 2.0, 0.01);
    assert_int_equal(r->sim.peak_threads, 11);
    run_free(r);
}

/* Without join the measured time is about the start-up cost only: ten
 * thread starts, each a little CPU and a wait for the new thread to run. */
static void test_threads_without_join_measure_only_startup(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "threads_no_join.yaml");
    double t = mark_s(r);
    assert_true(t > 10 * 50e-6);           /* at least ten python.thread_start */
    assert_true(t < 0.005);
    assert_near(secs(r->sim.end), 2.0, 0.01);   /* the threads still sleep 2 s */
    run_free(r);
}

/* Thread.start() waits until the new thread has run its bootstrap, and
 * then needs the GIL back: starting a CPU-bound thread, which keeps the
 * GIL, costs the starter about one switch interval; starting one that
 * sleeps at once costs little more than python.thread_start.  (That one is
 * a daemon thread: its bootstrap has no shutdown locks to scan and sets
 * `_started` as soon as it has the GIL, so the starter wakes while the
 * spinner still waits.)  Its drop then wakes the spinner too: with one
 * wake-up latency for both, the starter, woken first, gets there first;
 * with a random one the race would be a coin toss. */
static void test_thread_start_waits_for_the_gil(void **state)
{
    (void)state;
    static const char yaml[] =
        "python: {switch_interval: 5ms}\n"
        "os: {wake_latency: 5us}\n"
        "duration: 1s\n"
        "functions:\n"
        "  spin: {body: [{repeat: forever, do: [{cpu: 100us}]}]}\n"
        "  idle: {body: [{sleep: 10ms}]}\n"
        "processes:\n"
        "  - main:\n"
        "      - {start: spin}\n"
        "      - mark: spinning\n"
        "      - {start: idle, daemon: true}\n"
        "      - mark: started\n";
    run_t *r = run_yaml(yaml);
    double spin_start = secs(log_time(r, "mark", "spinning"));
    double idle_start = secs(log_time(r, "mark", "started")) - spin_start;
    double start_cpu = secs(r->cfg.python.thread_start);
    assert_true(spin_start > 0.005 + start_cpu && spin_start < 0.0052 + start_cpu);
    assert_true(idle_start > start_cpu && idle_start < start_cpu + 0.0001);
    run_free(r);
}

/* ---- processes ---------------------------------------------------------- */

static void test_processes_joined_take_2s_plus_starts(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "mp_process_join.yaml");
    /* 10 forks: about 5 ms each to start (parent + child) */
    assert_near(mark_s(r), 2.0 + 10 * 0.001 + 0.004, 0.01);
    assert_int_equal(r->sim.peak_procs, 11);
    run_free(r);
}

static void test_processes_without_join_measure_only_startup(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "mp_process_no_join.yaml");
    assert_near(mark_s(r), 10 * 0.001, 0.05);       /* ten fork_parent */
    assert_true(secs(r->sim.end) > 2.0);
    run_free(r);
}

static void test_join_inside_the_start_loop_serialises(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "mp_process_join_in_loop.yaml");
    assert_near(mark_s(r), 10 * (2.0 + 0.005), 0.01);
    assert_int_equal(r->sim.peak_procs, 2);
    run_free(r);
}

/* A spawned process pays interpreter start-up: ~100 ms with the default
 * costs, against ~5 ms forked. */
static void test_spawn_costs_more_than_fork(void **state)
{
    (void)state;
    static const char yaml[] =
        "functions:\n"
        "  nothing: {body: [{cpu: 10us}]}\n"
        "processes:\n"
        "  - main:\n"
        "      - {process: nothing, method: fork, as: a}\n"
        "      - join: a\n"
        "      - mark: fork\n"
        "      - {process: nothing, method: spawn, as: b}\n"
        "      - join: b\n"
        "      - mark: spawn\n";
    run_t *r = run_yaml(yaml);
    double fork = secs(log_time(r, "mark", "fork"));
    double spawn = secs(log_time(r, "mark", "spawn")) - fork;
    assert_near(fork, 0.005, 0.05);
    assert_near(spawn, 0.100, 0.05);
    run_free(r);
}

/* ---- concurrent.futures -------------------------------------------------- */

static void test_as_completed_yields_in_completion_order(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "tpe_submit_as_completed.yaml");
    assert_string_equal(log_texts(r, "result"),
                        "do_something(1s)|do_something(2s)|do_something(3s)|"
                        "do_something(4s)|do_something(5s)");
    assert_near(mark_s(r), 5.0, 0.01);
    run_free(r);
}

/* Futures done before as_completed begins come first, in the order they
 * completed, and those done later follow as they complete: two workers
 * run 35, 10 and 20 ms jobs (done at 10, 30 and 35 ms); after the wait,
 * jobs of 50 and 5 ms end in the opposite order. */
static void test_as_completed_orders_futures_done_before_it(void **state)
{
    (void)state;
    run_t *r = run_yaml("functions:\n"
                        "  job: {params: {d: duration}, body: [{io: $d}]}\n"
                        "processes:\n"
                        "  - main:\n"
                        "      - with_pool: thread\n"
                        "        max_workers: 2\n"
                        "        do:\n"
                        "          - {submit: job, args: [35ms], as: fs}\n"
                        "          - {submit: job, args: [10ms], as: fs}\n"
                        "          - {submit: job, args: [20ms], as: fs}\n"
                        "          - sleep: 100ms\n"
                        "          - {submit: job, args: [50ms], as: fs}\n"
                        "          - {submit: job, args: [5ms], as: fs}\n"
                        "          - as_completed: fs\n");
    assert_string_equal(log_texts(r, "result"), "job(10ms)|job(20ms)|job(35ms)|job(5ms)|job(50ms)");
    run_free(r);
}

static void test_map_yields_in_input_order(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "tpe_map.yaml");
    assert_string_equal(log_texts(r, "result"),
                        "do_something(5s)|do_something(4s)|do_something(3s)|"
                        "do_something(2s)|do_something(1s)");
    assert_near(mark_s(r), 5.0, 0.01);
    run_free(r);
}

/* map with max_workers=2 over [5, 4, 3, 2, 1]: 8 units (CPython 8.00). */
static void test_map_with_two_workers_takes_8(void **state)
{
    (void)state;
    run_t *r = run_file(SEED "tpe_map_2_workers.yaml");
    assert_near(mark_s(r), 8.0, 0.01);
    assert_string_equal(log_texts(r, "result"),
                        "do_something(5s)|do_something(4s)|do_something(3s)|"
                        "do_something(2s)|do_something(1s)");
    assert_int_equal(r->sim.peak_threads, 3);       /* main + 2 workers */
    run_free(r);
}

/* Default max_workers follows python.version: min(32, cpus + 4) from 3.8,
 * cpus * 5 before. */
static void test_pool_default_workers_by_version(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 4}\n"
        "functions:\n"
        "  io1: {body: [{io: 1s}]}\n"
        "processes:\n"
        "  - main:\n"
        "      - with_pool: thread\n"
        "        do: [{submit: io1, count: 40}]\n";
    char *v311[] = {"python.version=3.11"}, *v37[] = {"python.version=3.7"};
    run_t *a = run_yaml_sets(yaml, v311, 1);
    run_t *b = run_yaml_sets(yaml, v37, 1);
    assert_int_equal(a->sim.peak_threads, 1 + 8);   /* min(32, 4 + 4) */
    assert_int_equal(b->sim.peak_threads, 1 + 20);  /* 4 * 5 */
    assert_near(secs(a->sim.end), 5.0, 0.01);       /* 40 items / 8 workers */
    assert_near(secs(b->sim.end), 2.0, 0.01);
    run_free(a);
    run_free(b);
}

/* A process pool doing CPU-bound work on 4 cores is about 4x faster than a
 * thread pool doing the same work, start costs included. */
static void test_process_pool_beats_thread_pool_on_cpu(void **state)
{
    (void)state;
    run_t *th = run_file(SEED "pool_cpu_threads.yaml");
    run_t *pr = run_file(SEED "pool_cpu_processes.yaml");
    assert_near(mark_s(th) / mark_s(pr), 4.0, 0.10);
    run_free(th);
    run_free(pr);
}

/* The notes' figure: 4, 8, 16 threads do the same number of function
 * calls; processes do about min(n, cores) times as many. */
static void test_cpu_bound_threads_vs_processes(void **state)
{
    (void)state;
    static const char *counts[] = {"processes.0.main.0.count=4", "processes.0.main.0.count=8",
                                   "processes.0.main.0.count=16"};
    double ops_threads[3], ops_procs[3];
    for (int i = 0; i < 3; i++) {
        char *set[] = {(char *)counts[i]};
        run_t *t = run_file_sets(SEED "cpu_bound_threads.yaml", set, 1);
        run_t *p = run_file_sets(SEED "cpu_bound_processes.yaml", set, 1);
        ops_threads[i] = ops_procs[i] = 0;
        for (int k = 0; k < t->sim.nthreads; k++)
            ops_threads[i] += (double)t->sim.threads[k]->ops_done;
        for (int k = 0; k < p->sim.nthreads; k++)
            ops_procs[i] += (double)p->sim.threads[k]->ops_done;
        run_free(t);
        run_free(p);
    }
    assert_near(ops_threads[1], ops_threads[0], 0.03);
    assert_near(ops_threads[2], ops_threads[0], 0.03);
    assert_near(ops_procs[0], 4 * ops_threads[0], 0.05);
    assert_near(ops_procs[2], ops_procs[0], 0.05);   /* 4 cores: no more work */
}

/* Many concurrent I/O waits: threads and tasks both take about 1 s, tasks
 * cost far less memory; processes cost the most. */
static void test_many_io_waits_time_and_memory(void **state)
{
    (void)state;
    run_t *th = run_file(SEED "many_io_threads.yaml");
    run_t *tk = run_file(SEED "many_io_tasks.yaml");
    run_t *pr = run_file(SEED "many_io_processes.yaml");
    /* 1000 x 20 us of Python before and after each wait: about 1.02 s */
    assert_near(mark_s(tk), 1.0, 0.05);
    assert_true(mark_s(th) < 1.5);
    assert_true(mark_s(pr) > mark_s(th));
    assert_int_equal(th->sim.peak_threads, 1001);
    assert_int_equal(tk->sim.peak_tasks, 1001);
    assert_true(th->sim.mem_peak > 10 * (tk->sim.mem_peak - tk->cfg.python.process_memory -
                                         tk->cfg.python.thread_memory));
    assert_true(pr->sim.mem_peak > 100 * th->sim.mem_peak);
    run_free(th);
    run_free(tk);
    run_free(pr);
}

/* ---- faults ----------------------------------------------------------- */

/* A task's exception travels in its future; map re-raises it when the
 * iteration reaches it; as_completed yields it; try/except handles it. */
static void test_exceptions_travel_in_futures(void **state)
{
    (void)state;
    static const char yaml[] =
        "functions:\n"
        "  job:\n"
        "    params: {sec: duration}\n"
        "    body: [{sleep: $sec}]\n"
        "  bad:\n"
        "    params: {sec: duration}\n"
        "    body: [{sleep: $sec}, {raise: ValueError}]\n"
        "processes:\n"
        "  - name: handled\n"
        "    main:\n"
        "      - with_pool: thread\n"
        "        do:\n"
        "          - try:\n"
        "              - map: bad\n"
        "                over: [2s, 1s]\n"
        "            except:\n"
        "              - mark: caught\n"
        "  - name: unhandled\n"
        "    main:\n"
        "      - with_pool: thread\n"
        "        do:\n"
        "          - {submit: job, args: [1s], as: fs}\n"
        "          - {submit: bad, args: [2s], as: fs}\n"
        "          - as_completed: fs\n"
        "      - mark: never reached\n";
    run_t *r = run_yaml(yaml);
    /* map raised at its head item (2 s), not at the 1 s one */
    assert_near(secs(log_time(r, "mark", "caught")), 2.0, 0.01);
    const char *marks = log_texts(r, "mark");
    assert_null(strstr(marks, "never reached"));
    assert_non_null(strstr(log_texts(r, "result"), "job(1s)"));
    assert_non_null(strstr(log_texts(r, "exception"), "bad(2s) raised ValueError"));
    run_free(r);
}

/* A crashing process ends at once; the others carry on. */
static void test_process_crash_is_isolated(void **state)
{
    (void)state;
    static const char yaml[] =
        "functions:\n"
        "  worker:\n"
        "    body: [{sleep: 1s}, {mark: worker done}]\n"
        "  crasher:\n"
        "    body: [{sleep: 100ms}, {crash: segfault}, {mark: not reached}]\n"
        "processes:\n"
        "  - main:\n"
        "      - {process: worker, count: 2, as: ok}\n"
        "      - {process: crasher, as: bad}\n"
        "      - join: bad\n"
        "      - mark: crash seen\n"
        "      - join: ok\n"
        "      - mark: all done\n";
    run_t *r = run_yaml(yaml);
    assert_near(secs(log_time(r, "mark", "crash seen")), 0.1, 0.1);
    assert_near(secs(log_time(r, "mark", "all done")), 1.0, 0.02);
    assert_null(strstr(log_texts(r, "mark"), "not reached"));
    assert_non_null(strstr(log_texts(r, "crash"), "segfault"));
    run_free(r);
}

/* An unhandled exception in the main thread ends its process once the
 * non-daemon threads are done; daemon threads die with it. */
static void test_main_thread_exception_ends_the_process(void **state)
{
    (void)state;
    static const char yaml[] =
        "duration: 10s\n"
        "functions:\n"
        "  spin: {body: [{repeat: forever, do: [{cpu: 100us}]}]}\n"
        "  nap: {body: [{sleep: 1s}, {mark: nap done}]}\n"
        "processes:\n"
        "  - name: a\n"
        "    main: [{start: spin, daemon: true}, {raise: RuntimeError}]\n"
        "  - name: b\n"
        "    main: [{start: spin, daemon: true}, {start: nap}, {raise: RuntimeError}]\n";
    run_t *r = run_yaml(yaml);
    assert_true(r->sim.procs[0]->finish < MS(50));
    assert_near(secs(r->sim.procs[1]->finish), 1.0, 0.05);
    assert_near(secs(r->sim.end), 1.0, 0.05);       /* not the 10 s duration */
    assert_false(r->sim.cut);
    assert_non_null(strstr(log_texts(r, "exception"), "Exception in thread MainThread: RuntimeError"));
    run_free(r);
}

/* Py_FinalizeEx runs at every exit: python.finalize is paid with no
 * daemon thread alive too, by the main thread once the thread it did not
 * join has ended and it has the GIL back (the thread ends at 10 ms). */
static void test_finalize_is_paid_without_daemon_threads(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\n"
        "functions:\n  work: {body: [{cpu: 10ms}]}\n"
        "processes:\n  - main: [{start: work}]\n";
    char without[] = "python.finalize=0s", with[] = "python.finalize=5ms";
    run_t *r0 = run_yaml_sets(yaml, (char *[]){without}, 1);
    run_t *r5 = run_yaml_sets(yaml, (char *[]){with}, 1);
    simtime_t longer = r5->sim.procs[0]->finish - r0->sim.procs[0]->finish;
    if (longer < MS(5) || longer > MS(5) + US(100))
        fail_msg("python.finalize 5ms ends the process %.3f ms later", longer / 1e6);
    assert_true(thread_named(r5, "MainThread")->finish == r5->sim.procs[0]->finish);
    run_free(r0);
    run_free(r5);
}

/* ---- synchronisation --------------------------------------------------- */

/* A bounded queue paces a fast producer to a slow consumer; a lock
 * serialises a critical section; an event releases waiters. */
static void test_queue_lock_event(void **state)
{
    (void)state;
    static const char yaml[] =
        "objects:\n"
        "  - {name: q, kind: queue, maxsize: 2}\n"
        "  - {name: l, kind: lock}\n"
        "  - {name: go, kind: event}\n"
        "functions:\n"
        "  producer: {body: [{repeat: 10, do: [{cpu: 10us}, {queue_put: q}]}, {mark: produced}]}\n"
        "  consumer: {body: [{repeat: 10, do: [{queue_get: q}, {io: 100ms}]}, {mark: consumed}]}\n"
        "  critical: {body: [{event_wait: go}, {with_lock: l, do: [{sleep: 100ms}]}]}\n"
        "processes:\n"
        "  - main:\n"
        "      - {start: producer, as: t}\n"
        "      - {start: consumer, as: t}\n"
        "      - join: t\n"
        "      - {start: critical, count: 3, as: c}\n"
        "      - sleep: 50ms\n"
        "      - event_set: go\n"
        "      - join: c\n"
        "      - mark: critical done\n";
    run_t *r = run_yaml(yaml);
    /* the producer is held back by the 2-slot queue until ~0.7 s */
    assert_near(secs(log_time(r, "mark", "produced")), 0.7, 0.05);
    assert_near(secs(log_time(r, "mark", "consumed")), 1.0, 0.02);
    /* three holders of the lock in turn, 100 ms each, after the event */
    double crit = secs(log_time(r, "mark", "critical done") - log_time(r, "mark", "consumed"));
    assert_near(crit, 0.05 + 0.3, 0.03);
    run_free(r);
}

/* Threads waiting on a lock get it in the order they began to wait: 12
 * queue behind a holder, then 12 more join while the first are being
 * served (the wait list reuses the room the served ones left).  Each marks
 * `waits` with the GIL held, so nothing comes between that mark and its
 * wait. */
static void test_lock_waiters_get_it_in_arrival_order(void **state)
{
    (void)state;
    static const char yaml[] =
        "objects: [{name: l, kind: lock}]\n"
        "functions:\n"
        "  holder: {body: [{with_lock: l, do: [{io: 50ms}]}]}\n"
        "  early: {body: [{mark: waits}, {with_lock: l, do: [{mark: got}, {cpu: 1ms}]}]}\n"
        "  late: {body: [{sleep: 54ms}, {mark: waits},\n"
        "                {with_lock: l, do: [{mark: got}, {cpu: 1ms}]}]}\n"
        "processes:\n"
        "  - main:\n"
        "      - {start: holder}\n"
        "      - {start: early, count: 12}\n"
        "      - {start: late, count: 12}\n";
    run_t *r = run_yaml(yaml);
    const char *waits[24], *got[24];
    int nw = 0, ng = 0;
    for (int i = 0; i < r->nlog; i++) {
        if (!strcmp(r->log[i].text, "waits") && nw < 24)
            waits[nw++] = r->log[i].thread;
        else if (!strcmp(r->log[i].text, "got") && ng < 24)
            got[ng++] = r->log[i].thread;
    }
    assert_int_equal(nw, 24);
    assert_int_equal(ng, 24);
    for (int i = 0; i < 24; i++)
        assert_string_equal(got[i], waits[i]);
    run_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asyncio_ex1_gather_takes_1s),
        cmocka_unit_test(test_asyncio_ex2_await_coroutine_takes_5s),
        cmocka_unit_test(test_asyncio_ex3_blocking_sleep_takes_5s),
        cmocka_unit_test(test_asyncio_ex4_synchronous_takes_5s),
        cmocka_unit_test(test_asyncio_ex6_await_vs_time_sleep),
        cmocka_unit_test(test_asyncio_loop_order),
        cmocka_unit_test(test_threads_joined_take_2s),
        cmocka_unit_test(test_threads_without_join_measure_only_startup),
        cmocka_unit_test(test_thread_start_waits_for_the_gil),
        cmocka_unit_test(test_processes_joined_take_2s_plus_starts),
        cmocka_unit_test(test_processes_without_join_measure_only_startup),
        cmocka_unit_test(test_join_inside_the_start_loop_serialises),
        cmocka_unit_test(test_spawn_costs_more_than_fork),
        cmocka_unit_test(test_as_completed_yields_in_completion_order),
        cmocka_unit_test(test_as_completed_orders_futures_done_before_it),
        cmocka_unit_test(test_map_yields_in_input_order),
        cmocka_unit_test(test_map_with_two_workers_takes_8),
        cmocka_unit_test(test_pool_default_workers_by_version),
        cmocka_unit_test(test_process_pool_beats_thread_pool_on_cpu),
        cmocka_unit_test(test_cpu_bound_threads_vs_processes),
        cmocka_unit_test(test_many_io_waits_time_and_memory),
        cmocka_unit_test(test_exceptions_travel_in_futures),
        cmocka_unit_test(test_process_crash_is_isolated),
        cmocka_unit_test(test_main_thread_exception_ends_the_process),
        cmocka_unit_test(test_finalize_is_paid_without_daemon_threads),
        cmocka_unit_test(test_queue_lock_event),
        cmocka_unit_test(test_lock_waiters_get_it_in_arrival_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
