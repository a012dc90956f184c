/* test_wake.c — where a woken thread runs and what its wake-up costs
 * (os/machine.c: sync wake-ups onto the waker's core, idle cores and their
 * pending wake-ups), and the send/recv channels that make sync wake-ups
 * (model/chan.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "testlib.h"

/* Wake-ups onto an idle core cost 200 us here: easy to tell apart from a
 * context switch (1 us) and the send's system call (3 us). */
#define SLOW_IDLE "os: {wake_latency: 200us, context_switch: 1us, socket_syscall: 3us}\n"

/* A sync wake-up with no idle core queues the woken thread on the waker's
 * core: it pays no wake latency, and runs only when the waker blocks — it
 * does not preempt the hog on the other core, as a plain wake-up does. */
static void test_sync_wakeup_runs_on_the_wakers_core_when_it_blocks(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES SLOW_IDLE
        "objects: [{name: p, kind: pipe}, {name: back, kind: pipe}]\n"
        APP_THREADS
        "      - {name: reader, program: [{recv: p}, {mark: got}, {send: back}]}\n"
        "      - {name: writer, program: [{sleep: 10ms}, {send: p}, {native: 300us},\n"
        "                                 {mark: blocks}, {recv: back}]}\n"
        "  - {name: hog, threads: [{name: hog, program: [{cpu: 50ms}]}]}\n";
    run_t *r = run_yaml(yaml);
    simtime_t blocks = log_time(r, "mark", "blocks"), got = log_time(r, "mark", "got");
    assert_true(got >= blocks);                  /* waited for the writer to block */
    assert_true(got < blocks + US(20));          /* ... and no idle-core wake latency */
    assert_int_equal(thread_named(r, "hog")->preemptions, 0);
    run_free(r);
}

/* A wake-up onto an idle core pays the core's exit from idle. */
static void test_idle_core_wakeup_pays_the_latency(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES SLOW_IDLE
        "objects: [{name: p, kind: pipe}]\n"
        APP_THREADS
        "      - {name: reader, program: [{recv: p}, {mark: got}]}\n"
        "      - {name: writer, program: [{sleep: 1ms}, {mark: sends}, {send: p}, {sleep: 5ms}]}\n";
    run_t *r = run_yaml(yaml);
    simtime_t sends = log_time(r, "mark", "sends"), got = log_time(r, "mark", "got");
    assert_true(got >= sends + US(3) + US(200));
    assert_true(got < sends + US(3) + US(200) + US(10));
    run_free(r);
}

/* When the reader of a pipe, pinned to core 1 and running there for 2 ms
 * before it blocks in recv, gets the message the writer sends from core 0
 * after sleeping `sleep` (no GIL here: the two run side by side). */
static simtime_t wake_after_idle(const char *sleep)
{
    char yaml[900];
    snprintf(yaml, sizeof yaml,
             TWO_CORES
             "os: {wake_latency: 20us, wake_latency_deep: 300us, halt_poll: 200us,\n"
             "     context_switch: 1us, socket_syscall: 3us, timer_slack: 0ns}\n"
             "python: {gil: none, nogil_slowdown: 1.0}\n"
             "objects: [{name: p, kind: pipe}]\n"
             APP_THREADS
             "      - {name: reader, affinity: [1], program: [{cpu: 2ms}, {recv: p}, {mark: got}]}\n"
             "      - {name: writer, affinity: [0], program: [{sleep: %s}, {mark: sends},\n"
             "                                                {send: p}, {sleep: 5ms}]}\n", sleep);
    run_t *r = run_yaml(yaml);
    simtime_t t = log_time(r, "mark", "got") - log_time(r, "mark", "sends");
    run_free(r);
    return t;
}

/* An idle core polls before it halts (os.halt_poll): a wake-up onto it
 * soon after it went idle pays os.wake_latency, one after it halted
 * os.wake_latency_deep (by default the same).  Core 1 idles from 2 ms on:
 * about 100 us, then about 1 ms, before the write. */
static void test_long_idle_core_pays_the_deep_exit(void **state)
{
    (void)state;
    simtime_t soon = wake_after_idle("2100us"), late = wake_after_idle("3ms");
    assert_true(soon >= US(3) + US(20) && soon < US(3) + US(20) + US(10));
    assert_true(late >= US(3) + US(300) && late < US(3) + US(300) + US(10));
}

/* A core a wake-up is on its way to is not idle for the next one: the
 * second reader woken goes on the writer's core (sync), not the pending
 * one, and so pays no wake latency. */
static void test_pending_core_is_not_idle(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES SLOW_IDLE
        "objects: [{name: p, kind: pipe}, {name: q, kind: pipe}]\n"
        APP_THREADS
        "      - {name: first, program: [{recv: p}, {mark: first}]}\n"
        "      - {name: second, program: [{recv: q}, {mark: second}]}\n"
        "      - {name: writer, program: [{sleep: 1ms}, {mark: sends}, {send: p}, {send: q},\n"
        "                                 {sleep: 10ms}]}\n";
    run_t *r = run_yaml(yaml);
    simtime_t sends = log_time(r, "mark", "sends");
    assert_true(log_time(r, "mark", "first") >= sends + US(200));
    assert_true(log_time(r, "mark", "second") < sends + US(20));
    run_free(r);
}

/* A send releases the GIL around its system call: a thread waiting for the
 * GIL runs meanwhile. */
static void test_send_releases_the_gil(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES
        "os: {socket_syscall: 1ms}\n"
        "python: {switch_interval: 50ms}\n"
        "objects: [{name: p, kind: pipe}]\n"
        APP_THREADS
        "      - {name: writer, program: [{cpu: 100us}, {send: p}, {mark: sent}]}\n"
        "      - {name: other, program: [{cpu: 10us}, {mark: other}]}\n";
    run_t *r = run_yaml(yaml);
    assert_true(log_time(r, "mark", "other") < log_time(r, "mark", "sent") - US(500));
    assert_int_equal(thread_named(r, "writer")->state_time[TS_NATIVE], MS(1));
    run_free(r);
}

/* The receiver is woken inside the send's system call, at its end, before
 * the sender has the GIL back; woken, its recv finishes its own system call
 * (dequeue, copy, return: os.socket_syscall) before it returns, which the
 * wait's extra does not count. */
static void test_receiver_woken_inside_the_send(void **state)
{
    (void)state;
    static const char yaml[] =
        TWO_CORES
        "os: {socket_syscall: 1ms, wake_latency: 0ns, context_switch: 0ns}\n"
        "objects: [{name: p, kind: pipe}]\n"
        APP_THREADS
        "      - {name: reader, program: [{recv: p}, {mark: got}]}\n"
        "      - {name: writer, program: [{sleep: 1ms}, {mark: sends}, {send: p}, {sleep: 5ms}]}\n";
    run_t *r = run_yaml(yaml);
    simtime_t sends = log_time(r, "mark", "sends");
    assert_int_equal(log_time(r, "mark", "got"), sends + MS(2));
    assert_int_equal(thread_named(r, "reader")->ops_done, 1);
    assert_int_equal(thread_named(r, "reader")->state_time[TS_NATIVE], MS(1));
    /* that millisecond is work: the wait's extra (no latency here) is nil */
    assert_int_equal(thread_named(r, "reader")->blocking_extra.count, 1);
    assert_int_equal(thread_named(r, "reader")->blocking_extra.max, 0);
    run_free(r);
}

/* A socketpair's two ends: a thread never receives its own message, so two
 * threads each sending and receiving on one socketpair ping-pong.  A pipe
 * hands a message to whoever receives: a thread may read its own. */
static void test_socketpair_ends_and_pipe(void **state)
{
    (void)state;
    static const char pair[] =
        TWO_CORES
        "objects: [{name: s, kind: socketpair}]\n"
        "processes:\n"
        "  - name: app\n"
        "    main: [{repeat: 100, do: [{send: s}, {recv: s}]}, {mark: done}]\n"
        "    threads: [{name: ponger, program: [{repeat: 100, do: [{recv: s}, {send: s}]}]}]\n";
    run_t *r = run_yaml(pair);
    assert_true(log_time(r, "mark", "done") < MS(10));       /* tens of us per round trip */
    assert_int_equal(thread_named(r, "ponger")->ops_done, 200);
    run_free(r);
    run_t *p = run_yaml("objects: [{name: p, kind: pipe}]\n"
                        "processes: [{name: app, main: [{send: p}, {recv: p}, {mark: own}]}]\n");
    assert_true(log_time(p, "mark", "own") < US(20));
    run_free(p);
}

/* send and recv name a socketpair or pipe, nothing else. */
static void test_channel_config_errors(void **state)
{
    (void)state;
    config_t c;
    char err[CFG_ERR_MAX];
    assert_int_equal(cfg_load_string("t.yaml", "objects: [{name: l, kind: lock}]\n"
                                     "processes: [{name: a, main: [{send: l}]}]\n",
                                     NULL, 0, &c, err), -1);
    assert_non_null(strstr(err, "'l' is a lock, not a socketpair or pipe"));
    assert_non_null(strstr(err, "t.yaml:2:"));
    assert_int_equal(cfg_load_string("t.yaml", "processes: [{name: a, main: [{recv: nope}]}]\n",
                                     NULL, 0, &c, err), -1);
    assert_non_null(strstr(err, "kind socketpair"));
    assert_int_equal(cfg_load_string("t.yaml", "os: {socket_syscall: -1us}\n", NULL, 0, &c, err),
                     -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sync_wakeup_runs_on_the_wakers_core_when_it_blocks),
        cmocka_unit_test(test_idle_core_wakeup_pays_the_latency),
        cmocka_unit_test(test_long_idle_core_pays_the_deep_exit),
        cmocka_unit_test(test_pending_core_is_not_idle),
        cmocka_unit_test(test_send_releases_the_gil),
        cmocka_unit_test(test_receiver_woken_inside_the_send),
        cmocka_unit_test(test_socketpair_ends_and_pipe),
        cmocka_unit_test(test_channel_config_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
