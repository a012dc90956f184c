/* test_chan.c — a socketpair's or pipe's kernel buffer (model/chan.c): how
 * many messages of a size fit before a send blocks, what a recv must free
 * before the blocked sender is woken, and the config errors of message
 * sizes and buffer keys.  The counts are those Linux gives (fs/pipe.c,
 * net/unix/af_unix.c; measured in tests/validation scenario 13). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "testlib.h"

/* A machine of `cores` cores and pipe c; the threads of process app follow. */
#define PIPE_APP(cores) \
    "machine: {cores: " cores "}\nobjects: [{name: c, kind: pipe}]\nprocesses:\n" \
    "  - name: app\n    threads:\n"

/* The writer sends `count` messages of `bytes` on a channel of `kind`; the
 * reader starts at 1 s and receives `reads` of them.  Returns when the
 * writer's last send returned, or -1 when it never did (it hung, blocked). */
static simtime_t sent_at(const char *kind, int bytes, int count, int reads)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "machine: {cores: 2}\n"
             "objects: [{name: c, kind: %s}]\n"
             "processes:\n"
             "  - name: app\n"
             "    threads:\n"
             "      - {name: w, program: [{repeat: %d, do: [{send: c, bytes: %d}]}, {mark: sent}]}\n"
             "      - {name: r, program: [{sleep: 1s}, {repeat: %d, do: [{recv: c}]}]}\n",
             kind, count, bytes, reads);
    run_t *r = run_yaml(yaml);
    simtime_t t = -1;
    for (int i = 0; i < r->nlog; i++)
        if (!strcmp(r->log[i].kind, "mark"))
            t = r->log[i].t;
    if (t < 0)                   /* the hang report says how full the buffer is */
        assert_non_null(strstr(log_texts(r, "deadlock"), !strcmp(kind, "pipe")
                               ? " pages in use)" : "bytes of a 212992-byte send buffer"));
    run_free(r);
    return t;
}

/* Fits: the writer is done long before the reader starts. */
static int fits(const char *kind, int bytes, int count)
{
    simtime_t t = sent_at(kind, bytes, count, 0);
    return t >= 0 && t < MS(500);
}

/* A pipe is 16 pages; small writes merge into the newest page: 65,536
 * one-byte writes fit, 40 of 100 bytes per page, one of 4096, and writes
 * of 4097 bytes take two pages then one (the odd byte merges). */
static void test_pipe_holds_whole_pages(void **state)
{
    (void)state;
    static const struct { int bytes, fit; } rows[] = {
        {1, 65536}, {100, 640}, {1000, 64}, {4096, 16}, {4097, 10}, {8192, 8},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_true(fits("pipe", rows[i].bytes, rows[i].fit));
        assert_false(fits("pipe", rows[i].bytes, rows[i].fit + 1));
    }
}

/* A socketpair end's sk_sndbuf (212,992) counts each skb's truesize: 768
 * for up to 192 bytes, 2304 for 1000 (a 2 KiB head), 4864 for a page of
 * paged data; a send may allocate while the end is below the limit. */
static void test_socketpair_counts_truesize(void **state)
{
    (void)state;
    static const struct { int bytes, fit; } rows[] = {
        {1, 278}, {100, 278}, {1000, 93}, {3776, 49}, {4096, 44}, {8192, 24}, {36544, 6},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_true(fits("socketpair", rows[i].bytes, rows[i].fit));
        assert_false(fits("socketpair", rows[i].bytes, rows[i].fit + 1));
    }
}

/* A blocked pipe writer is woken by the read that frees a page: 40 reads
 * of 100 bytes empty the oldest page, 39 leave it in use. */
static void test_pipe_writer_resumes_when_a_page_is_freed(void **state)
{
    (void)state;
    simtime_t t = sent_at("pipe", 100, 641, 40);
    assert_true(t >= SEC(1) && t < SEC(1) + MS(1));
    assert_int_equal(sent_at("pipe", 100, 641, 39), -1);
    assert_int_equal(sent_at("pipe", 1, 65537, 4095), -1);
    assert_true(sent_at("pipe", 1, 65537, 4096) >= SEC(1));
}

/* A blocked socketpair writer is woken only once its end is down to a
 * quarter of sk_sndbuf (unix_writable): 278 skbs of 768, so after 209 reads,
 * not 208. */
static void test_socket_writer_resumes_at_a_quarter(void **state)
{
    (void)state;
    simtime_t t = sent_at("socketpair", 1, 279, 209);
    assert_true(t >= SEC(1) && t < SEC(1) + MS(2));
    assert_int_equal(sent_at("socketpair", 1, 279, 208), -1);
}

/* The blocked sender waits in sync_wait (detail send) with the GIL
 * released: another thread's Python code runs meanwhile. */
static void test_blocked_sender_waits_without_the_gil(void **state)
{
    (void)state;
    static const char yaml[] =
        PIPE_APP("2")
        "      - {name: w, program: [{repeat: 17, do: [{send: c, bytes: 4096}]}]}\n"
        "      - {name: r, program: [{sleep: 10ms}, {cpu: 100ms}, {mark: ran}, {recv: c}]}\n";
    run_t *r = run_yaml(yaml);
    const thread_t *w = thread_named(r, "w");
    assert_true(w->state_time[TS_SYNC_WAIT] > MS(105));
    assert_true(log_time(r, "mark", "ran") < MS(111));   /* never waited for the GIL */
    assert_int_equal(w->ops_done, 17);
    run_free(r);
}

/* Several writers blocked on a full pipe: each freed page wakes one of
 * them (exclusive waits); all get through once the reader drains it. */
static void test_pipe_writers_take_turns(void **state)
{
    (void)state;
    static const char yaml[] =
        PIPE_APP("4")
        "      - {name: w, count: 3, program: [{repeat: 8, do: [{send: c, bytes: 4096}]}]}\n"
        "      - {name: r, program: [{sleep: 10ms}, {repeat: 24, do: [{recv: c}]}, {mark: all}]}\n";
    run_t *r = run_yaml(yaml);
    assert_true(log_time(r, "mark", "all") > MS(10));
    for (int i = 0; i < r->sim.nthreads; i++)
        assert_int_equal(r->sim.threads[i]->state, TS_DONE);
    run_free(r);
}

/* A read that frees two pages wakes one writer; that writer, leaving a
 * page free after its write, wakes the next (wake_next_writer). */
static void test_woken_pipe_writer_wakes_the_next(void **state)
{
    (void)state;
    static const char yaml[] =
        PIPE_APP("4")
        "      - {name: fill, program: [{repeat: 8, do: [{send: c, bytes: 8192}]}]}\n"
        "      - {name: w, count: 2, program: [{sleep: 1ms}, {send: c, bytes: 4096}, {mark: sent}]}\n"
        "      - {name: r, program: [{sleep: 10ms}, {recv: c}]}\n";
    run_t *r = run_yaml(yaml);
    int sent = 0;
    for (int i = 0; i < r->nlog; i++)
        if (!strcmp(r->log[i].kind, "mark") && !strcmp(r->log[i].text, "sent")) {
            assert_true(r->log[i].t > MS(10));
            sent++;
        }
    assert_int_equal(sent, 2);
    run_free(r);
}

static void expect_error(const char *yaml, const char *where, const char *what)
{
    config_t c;
    char err[CFG_ERR_MAX];
    assert_int_equal(cfg_load_string("t.yaml", yaml, NULL, 0, &c, err), -1);
    if (!strstr(err, where) || !strstr(err, what))
        fail_msg("got '%s', wanted '%s' and '%s'", err, where, what);
}

/* A woken writer whose message still does not fit passes the wake-up on
 * to a waiting writer whose message does: nobody sleeps with room for it. */
static void test_a_writer_that_fits_is_not_left_asleep(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\n"
        "os: {pipe_buffer: 8KiB}\n"
        "objects: [{name: p, kind: pipe}]\n"
        "processes:\n"
        "  - name: app\n"
        "    threads:\n"
        "      - {name: fill, program: [{send: p, bytes: 4096}, {send: p, bytes: 4096}]}\n"
        "      - {name: a, program: [{sleep: 1ms}, {send: p, bytes: 8192}]}\n"
        "      - {name: b, program: [{sleep: 2ms}, {send: p, bytes: 4096}, {mark: b_sent}]}\n"
        "      - {name: reader, program: [{sleep: 5ms}, {recv: p}]}\n";
    run_t *r = run_yaml(yaml);
    assert_true(log_time(r, "mark", "b_sent") > MS(5));
    assert_non_null(strstr(log_texts(r, "deadlock"), "room in pipe p (2 of its 2 pages in use)"));
    run_free(r);
}

/* Sizes: a message of at least 1 byte that fits an empty buffer; buffer
 * keys within what the kernel accepts. */
static void test_size_errors(void **state)
{
    (void)state;
#define PROG(kind, op) "objects: [{name: c, kind: " kind "}]\nprocesses: [{name: a, main: [" op "]}]\n"
    expect_error(PROG("pipe", "{send: c, bytes: 0}"), "t.yaml:2:47:", "at least 1 byte (a plain count), got '0'");
    expect_error(PROG("pipe", "{send: c, bytes: -5}"), "t.yaml:2:47:", "at least 1 byte (a plain count), got '-5'");
    expect_error(PROG("pipe", "{send: c, bytes: 4KiB}"), "t.yaml:2:47:", "got '4KiB'");
    expect_error(PROG("pipe", "{send: c, bytes: 99999999999999999999}"), "t.yaml:2:47:", "at least 1 byte");
    expect_error(PROG("pipe", "{send: c, bytes: 65537}"), "t.yaml:2:30:",
                 "a message of 65537 bytes does not fit the pipe: at most 65536");
    expect_error(PROG("socketpair", "{send: c, bytes: 36545}"), "t.yaml:2:30:", "at most 36544");
    expect_error(PROG("pipe", "{recv: c, bytes: 10}"), "t.yaml:2:", "bytes");
    expect_error("os: {pipe_buffer: 5000B}\n", "t.yaml:1:19:", "a power of two of 4KiB pages");
    expect_error("os: {pipe_buffer: 12KiB}\n", "t.yaml:1:19:", "a power of two of 4KiB pages");
    expect_error("os: {pipe_buffer: 2MiB}\n", "t.yaml:1:19:", "up to 1MiB");
    expect_error("os: {socket_sndbuf: 100B}\n", "t.yaml:1:21:", "SOCK_MIN_SNDBUF");
    expect_error("os: {socket_sndbuf: 1000}\n", "t.yaml:1:21:", "");
    expect_error("os: {skb_overhead: 1MiB}\n", "t.yaml:1:20:", "at most 4KiB");
    /* the limit follows the key, read after the op */
    expect_error(PROG("pipe", "{send: c, bytes: 8192}") "os: {pipe_buffer: 4KiB}\n",
                 "t.yaml:2:30:", "at most 4096");
#undef PROG
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipe_holds_whole_pages),
        cmocka_unit_test(test_socketpair_counts_truesize),
        cmocka_unit_test(test_pipe_writer_resumes_when_a_page_is_freed),
        cmocka_unit_test(test_socket_writer_resumes_at_a_quarter),
        cmocka_unit_test(test_blocked_sender_waits_without_the_gil),
        cmocka_unit_test(test_pipe_writers_take_turns),
        cmocka_unit_test(test_woken_pipe_writer_wakes_the_next),
        cmocka_unit_test(test_a_writer_that_fits_is_not_left_asleep),
        cmocka_unit_test(test_size_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
