/* test_effects.c — issue 12's effects in numbers: each thread's blocking
 * extra, preemptions and migrations, each group's finish, the marks'
 * times; where they show (threads.csv, summary.csv, sweep.csv with the
 * union of every run's named columns, the printed summary in the course's
 * words).  Small configs with every latency set to a constant, so the
 * values are exact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "testlib.h"
#include "columns.h"
#include "clilib.h"
#include "out/report.h"
#include "out/runtable.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "effects");
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

/* No latency but the ones a test sets: wake-ups, switches and timers are
 * exact. */
#define EXACT_OS "os: {context_switch: 0ns, timer_slack: 0ns, wake_latency: 0ns, migration: 0ns}\n"

/* A thread sleeping 10 ms three times, each followed by 1 ms of Python,
 * beside a CPU-bound thread (spin: 0 leaves it out). */
static char *sleeper_yaml(char *buf, size_t size, int spin)
{
    snprintf(buf, size,
             "machine: {cores: 2}\n" EXACT_OS
             "python: {switch_interval: 5ms, switch_cost: 0ns, checkpoint_gap: 1ns,\n"
             "         thread_memory: 1GiB, process_memory: 512MiB}\n"
             "duration: 100ms\n"
             "processes:\n"
             "  - name: app\n"
             "    threads:\n"
             "      - name: sleeper\n"
             "        program: [{repeat: 3, do: [{sleep: 10ms}, {cpu: 1ms}]}]\n"
             "%s",
             spin ? "      - name: spin\n"
                    "        program: [{repeat: forever, do: [{cpu: 100us}]}]\n" : "");
    return buf;
}

/* Each time its sleep ends the sleeper waits a whole switch interval for
 * the GIL (the drop request, then the forced switch at once: a 1 ns check
 * point gap): 5 ms of extra per sleep, and it finishes at 3 x 16 ms. */
static void test_sleeper_beside_spinner_waits_one_interval_per_wake(void **state)
{
    (void)state;
    char y[1024];
    run_t *r = run_yaml(sleeper_yaml(y, sizeof y, 1));
    const thread_t *s = thread_named(r, "sleeper"), *spin = thread_named(r, "spin");
    assert_int_equal(s->blocking_extra.count, 3);
    assert_int_equal(s->blocking_extra.max, MS(5));
    assert_int_equal(hist_percentile(&s->blocking_extra, 50, 100), MS(5));
    assert_int_equal(s->finish, MS(48));
    assert_int_equal(spin->blocking_extra.count, 0);       /* never blocked */
    assert_int_equal(hist_percentile(&spin->blocking_extra, 50, 100), -1);
    assert_int_equal(spin->finish, -1);
    run_free(r);
}

/* A wait followed at once by another, or by the thread's end, counts too:
 * the thread goes on when it has the GIL back, Python or not. */
static void test_waits_back_to_back_count(void **state)
{
    (void)state;
    run_t *r = run_yaml("machine: {cores: 2}\n" EXACT_OS
                        "python: {switch_interval: 5ms, switch_cost: 0ns, checkpoint_gap: 1ns}\n"
                        "duration: 100ms\n"
                        "processes:\n"
                        "  - name: app\n"
                        "    threads:\n"
                        "      - {name: s, program: [{sleep: 10ms}, {io: 10ms}]}\n"
                        "      - {name: spin, program: [{repeat: forever, do: [{cpu: 100us}]}]}\n");
    const thread_t *s = thread_named(r, "s");
    assert_int_equal(s->blocking_extra.count, 2);
    assert_int_equal(s->blocking_extra.max, MS(5));
    assert_int_equal(hist_percentile(&s->blocking_extra, 1, 100), MS(5));
    assert_int_equal(s->finish, MS(30));
    run_free(r);
}

/* Alone, with no latency, a sleep costs nothing beyond itself. */
static void test_sleeper_alone_has_no_extra(void **state)
{
    (void)state;
    char y[1024];
    run_t *r = run_yaml(sleeper_yaml(y, sizeof y, 0));
    const thread_t *s = thread_named(r, "sleeper");
    assert_int_equal(s->blocking_extra.count, 3);
    assert_int_equal(s->blocking_extra.max, 0);
    assert_int_equal(hist_percentile(&s->blocking_extra, 99, 100), 0);
    assert_int_equal(s->finish, MS(33));
    run_free(r);
}

/* b waits for the lock a holds in a loop.  Each release wakes b, but a
 * takes the lock again first (it runs on: no GIL), so b's first two
 * wake-ups find it taken and it waits again; only the third, when a has
 * ended, lets it go on, 10 us (the wake-up latency) after that wake-up:
 * the measure starts again at each wake-up, not at the first. */
static void test_wake_that_finds_the_lock_taken_starts_over(void **state)
{
    (void)state;
    run_t *r = run_yaml("machine: {cores: 2}\n"
                        "os: {context_switch: 0ns, timer_slack: 0ns, wake_latency: 10us, "
                        "migration: 0ns}\n"
                        "python: {gil: none, nogil_slowdown: 1.0}\n"
                        "objects: [{name: l, kind: lock}]\n"
                        "processes:\n"
                        "  - name: app\n"
                        "    threads:\n"
                        "      - name: a\n"
                        "        program: [{repeat: 3, do: [{with_lock: l, do: [{cpu: 1ms}]}]}]\n"
                        "      - name: b\n"
                        "        program: [{sleep: 100us}, {with_lock: l, do: [{cpu: 1ms}]}]\n");
    const thread_t *b = thread_named(r, "b");
    assert_int_equal(b->blocking_extra.count, 2);          /* the sleep and the lock */
    assert_int_equal(b->blocking_extra.max, US(10));       /* not 2.01 ms */
    assert_int_equal(b->finish, MS(3) + US(10) + MS(1));
    run_free(r);
}

/* One core, two threads of 10 ms with no GIL: 3 ms slices, so each is
 * taken off its core three times before it ends (x at 3, 9 and 15 ms). */
static void test_preemptions_at_slice_ends(void **state)
{
    (void)state;
    run_t *r = run_yaml("machine: {cores: 1}\n"
                        "os: {context_switch: 0ns, wake_latency: 0ns, sched_latency: 6ms, "
                        "min_granularity: 750us}\n"
                        "python: {gil: none, nogil_slowdown: 1.0}\n"
                        "processes:\n"
                        "  - name: app\n"
                        "    threads:\n"
                        "      - {name: x, program: [{cpu: 10ms}]}\n"
                        "      - {name: y, program: [{cpu: 10ms}]}\n");
    const thread_t *x = thread_named(r, "x"), *yt = thread_named(r, "y");
    assert_int_equal(x->preemptions, 3);
    assert_int_equal(yt->preemptions, 3);
    assert_int_equal(x->finish, MS(19));
    assert_int_equal(x->os.migrations, 0);                 /* one core */
    run_free(r);
}

/* x sleeps on core 0; z takes core 0 meanwhile, y keeps core 1; when y
 * ends x gets core 1: one migration.  z waited for nothing. */
static void test_migration_to_another_core(void **state)
{
    (void)state;
    run_t *r = run_yaml("machine: {cores: 2}\n" EXACT_OS
                        "python: {gil: none, nogil_slowdown: 1.0}\n"
                        "processes:\n"
                        "  - name: app\n"
                        "    threads:\n"
                        "      - {name: x, program: [{sleep: 1ms}, {cpu: 1ms}]}\n"
                        "      - {name: y, program: [{cpu: 5ms}]}\n"
                        "      - {name: z, program: [{sleep: 500us}, {cpu: 5ms}]}\n");
    const thread_t *x = thread_named(r, "x"), *z = thread_named(r, "z");
    assert_int_equal(x->os.migrations, 1);
    assert_int_equal(z->os.migrations, 0);
    assert_int_equal(x->blocking_extra.max, MS(4));        /* woken at 1 ms, a core at 5 */
    assert_int_equal(z->blocking_extra.max, 0);
    run_free(r);
}

static const char marks_yaml[] =
    "machine: {cores: 4}\n" EXACT_OS
    "duration: 50ms\n"
    "processes:\n"
    "  - name: app\n"
    "    threads:\n"
    "      - name: w\n"
    "        count: 2\n"
    "        program: [{mark: start}, {sleep: 2ms}, {mark: \"half, way\"}, {sleep: 3ms},\n"
    "                  {mark: start}]\n"
    "  - name: bg\n"
    "    threads: [{name: spin, program: [{repeat: forever, do: [{cpu: 1ms}]}]}]\n"
    "  - name: tk\n"
    "    threads: [{name: ticker, program: [{repeat: 3, do: [{cpu: 1ms}, {mark: tick}]}]}]\n";

/* summary.csv's named columns: each mark's last time, in the order first
 * shown, then each group's finish (empty for one that never finished),
 * each group's Jain index, each group's CV. */
static void test_named_columns_marks_then_groups(void **state)
{
    (void)state;
    run_t *r = run_yaml(marks_yaml);
    run_stats_t st;
    assert_int_equal(stats_compute(&r->sim, 0, &st), 0);
    assert_int_equal(st.nnamed, 12);
    static const char *const names[] = {"mark:start", "mark:tick", "mark:half, way",
                                        "finished:app/w", "finished:bg/spin",
                                        "finished:tk/ticker", "jain:app/w", "jain:bg/spin",
                                        "jain:tk/ticker", "cv:app/w", "cv:bg/spin",
                                        "cv:tk/ticker"};
    for (int i = 0; i < 12; i++)
        assert_string_equal(st.named[i].name, names[i]);
    for (int g = 0; g < 3; g++) {                   /* as the group's own figures */
        assert_int_equal(st.named[6 + g].row, COL_SUMMARY_JAIN);
        assert_true(st.named[6 + g].fraction == st.groups[g].jain);
        assert_int_equal(st.named[9 + g].row, COL_SUMMARY_CV);
        assert_true(st.named[9 + g].fraction == st.groups[g].cv);
    }
    assert_true(st.groups[0].n == 2 && st.groups[0].jain > 0.5);
    assert_int_equal(st.named[0].value, MS(5));     /* the last start (another op), not the first */
    assert_int_equal(st.named[1].value, MS(3));     /* the last time round the loop */
    assert_int_equal(st.named[2].value, MS(2));
    assert_int_equal(st.named[4].value, -1);
    assert_int_equal(st.named[5].value, MS(3));
    const thread_t *w0 = thread_named(r, "w-0"), *w1 = thread_named(r, "w-1");
    assert_int_equal(st.named[3].value, w0->finish > w1->finish ? w0->finish : w1->finish);
    assert_int_equal(st.groups[st.group_of[w0->id]].finished, st.named[3].value);
    /* the run's blocking extras: every thread's, merged */
    assert_int_equal(st.blocking_extra.count, 4);
    assert_int_equal(st.groups[st.group_of[w0->id]].blocking_extra.count, 4);
    stats_free(&st);
    run_free(r);
}

static void test_bytes_in_the_largest_unit(void **state)
{
    (void)state;
    char b[32];
    report_bytes(512, b, sizeof b);
    assert_string_equal(b, "512 bytes");
    report_bytes(3584, b, sizeof b);
    assert_string_equal(b, "3.5 KiB");
    report_bytes(10518528, b, sizeof b);
    assert_string_equal(b, "10.0 MiB");
    report_bytes((int64_t)3 << 30, b, sizeof b);
    assert_string_equal(b, "3.00 GiB");
}

/* The summary `gilsim run` prints for yaml (malloc'd). */
static char *printed(const char *yaml)
{
    run_t *r = run_yaml(yaml);
    run_stats_t st;
    assert_int_equal(stats_compute(&r->sim, 0, &st), 0);
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    report_print(f, &r->sim, &st, NULL, NULL);
    fclose(f);
    stats_free(&st);
    run_free(r);
    return text;
}

/* The printed summary in the course's words. */
static void test_printed_summary_words(void **state)
{
    (void)state;
    char y[1024];
    char *text = printed(sleeper_yaml(y, sizeof y, 1));
    assert_non_null(strstr(text, "total time 100.000 ms (stopped at duration)"));
    assert_null(strstr(text, "makespan"));
    assert_non_null(strstr(text, "  app/sleeper: 1 thread, no fairness to measure; finished at "
                                 "48.000 ms; blocking extra p50 5.000 ms, p99 5.000 ms "
                                 "(3 blocking ops)\n"));
    assert_non_null(strstr(text, "  app/spin: 1 thread, no fairness to measure; still running "
                                 "at the end\n"));             /* no blocking ops: no extra */
    assert_null(strstr(text, "Jain index 1.000"));   /* a group of one is no fairness result */
    assert_non_null(strstr(text, "forced switches"));
    assert_non_null(strstr(text, "peak estimate 2.50 GiB"));   /* not 2621440.0 KiB */
    free(text);
    text = printed("processes: [{name: p, threads: [{name: t, program: [{sleep: 1ms}]}]}]\n");
    assert_non_null(strstr(text, "(1 blocking op)\n"));
    assert_non_null(strstr(text, " 1 process, 1 thread, "));    /* counts in English */
    free(text);
    text = printed(sleeper_yaml(y, sizeof y, 1));
    assert_non_null(strstr(text, ": 2 cores, 1 process, 2 threads, "));
    free(text);
}

/* ---- the files -------------------------------------------------------- */

static void test_threads_and_summary_csv(void **state)
{
    (void)state;
    char cfg[300], args[800], p[400];
    snprintf(cfg, sizeof cfg, "%s/marks.yaml", tmpdir);
    put_file(cfg, marks_yaml);
    snprintf(args, sizeof args, "run '%s' -q --trace summary -o '%s/marks'", cfg, tmpdir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/marks/threads.csv", tmpdir);
    table_t th = read_csv(p);
    assert_string_equal(cell(&th, 1, "thread"), "w-0");
    assert_string_equal(cell(&th, 1, "blocking_ops"), "2");
    assert_string_equal(cell(&th, 1, "blocking_extra_max_ns"), "0");
    assert_string_equal(cell(&th, 1, "finished_ns"), "5000000");
    assert_string_equal(cell(&th, 3, "thread"), "spin");
    assert_string_equal(cell(&th, 3, "blocking_ops"), "0");
    assert_string_equal(cell(&th, 3, "blocking_extra_p50_ns"), "");   /* undefined: empty */
    assert_string_equal(cell(&th, 3, "blocking_extra_p99_ns"), "");
    assert_string_equal(cell(&th, 3, "blocking_extra_max_ns"), "");
    assert_string_equal(cell(&th, 3, "finished_ns"), "");
    assert_string_equal(cell(&th, 3, "preemptions"), "0");
    assert_string_equal(cell(&th, 3, "migrations"), "0");
    table_free(&th);
    snprintf(p, sizeof p, "%s/marks/summary.csv", tmpdir);
    table_t su = read_csv(p);
    assert_string_equal(cell(&su, 1, "blocking_ops"), "4");
    assert_string_equal(cell(&su, 1, "blocking_extra_p50_ns"), "0");
    assert_string_equal(cell(&su, 1, "mark:start"), "5000000");
    assert_string_equal(cell(&su, 1, "mark:half, way"), "2000000");
    assert_string_equal(cell(&su, 1, "finished:app/w"), "5000000");
    assert_string_equal(cell(&su, 1, "finished:bg/spin"), "");
    assert_string_equal(cell(&su, 1, "jain:bg/spin"), "1.0000");   /* one thread */
    assert_string_equal(cell(&su, 1, "cv:bg/spin"), "0.0000");
    /* the named columns come last, marks first */
    assert_string_equal(su.cells[su.ncols - 12], "mark:start");
    assert_string_equal(su.cells[su.ncols - 1], "cv:tk/ticker");
    table_free(&su);
}

/* Runs name different marks and groups: sweep.csv's header is the union
 * (marks, then groups, each in the order first seen), and a run's
 * missing value is empty. */
static void test_sweep_header_is_the_union(void **state)
{
    (void)state;
    char cfg[300], args[900], p[400];
    snprintf(cfg, sizeof cfg, "%s/union.yaml", tmpdir);
    put_file(cfg, "processes:\n"
                    "  - name: app\n"
                    "    threads:\n"
                    "      - name: a\n"
                    "        program: [{repeat: 1, do: [{mark: one}]}, {cpu: 1ms}, {mark: two}]\n");
    snprintf(args, sizeof args,
             "sweep '%s' -q --vary processes.0.threads.0.program.0.repeat=0,1 "
             "--vary processes.0.threads.0.name=a,b -o '%s/union'", cfg, tmpdir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/union/sweep.csv", tmpdir);
    table_t t = read_csv(p);
    assert_int_equal(t.nrows, 5);
    static const char *const named[] = {"mark:two", "mark:one", "finished:app/a",
                                        "finished:app/b", "jain:app/a", "jain:app/b",
                                        "cv:app/a", "cv:app/b"};
    for (int i = 0; i < 8; i++)
        assert_string_equal(t.cells[t.ncols - 8 + i], named[i]);
    assert_string_equal(cell(&t, 1, "jain:app/b"), "");     /* run 1 has no group b */
    assert_string_equal(cell(&t, 1, "mark:one"), "");      /* run 1: repeat 0, thread a */
    assert_string_equal(cell(&t, 1, "finished:app/b"), "");
    assert_string_equal(cell(&t, 2, "finished:app/a"), "");
    assert_string_equal(cell(&t, 2, "finished:app/b"), cell(&t, 2, "mark:two"));
    assert_string_equal(cell(&t, 4, "mark:one"), cell(&t, 3, "mark:one"));
    assert_true(atoll(cell(&t, 4, "mark:one")) > 0);
    assert_string_equal(cell(&t, 3, "config"), "union");   /* the leading fields kept */
    assert_string_equal(cell(&t, 4, "processes.0.threads.0.name"), "b");
    table_free(&t);
    snprintf(p, sizeof p, "%s/union/sweep.csv.part", tmpdir);
    assert_int_equal(access(p, F_OK), -1);                 /* renamed */
}

/* The check, as a student runs it: configs/convoy.yaml at switch
 * intervals of 1, 5 and 15 ms has the same total time (the CPU-bound
 * thread runs to `duration`), but the I/O thread's blocking extra is about
 * one interval (a median of 1, 5, 15 ms, and at most 0.1 ms more) and it
 * finishes after 100 x (1 ms + the interval), and at most 15 ms later:
 * 0.2, 0.6, 1.6 s. */
static void test_convoy_sweep_shows_the_interval(void **state)
{
    (void)state;
    char args[600], p[400];
    snprintf(args, sizeof args, "sweep configs/convoy.yaml -q "
             "--vary python.switch_interval=1ms,5ms,15ms -o '%s/convoy'", tmpdir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/convoy/sweep.csv", tmpdir);
    table_t t = read_csv(p);
    assert_int_equal(t.nrows, 4);
    static const double interval_ms[] = {1, 5, 15};
    for (int i = 0; i < 3; i++) {
        assert_string_equal(cell(&t, i + 1, "makespan_ns"), "5000000000");
        assert_string_equal(cell(&t, i + 1, "blocking_ops"), "100");   /* io's; spin never blocks */
        /* one interval, plus the timed wait's slack and the wake-ups: under
         * 0.1 ms more (the median is a histogram bucket's, within 1 %) */
        double extra_ms = atof(cell(&t, i + 1, "blocking_extra_p50_ns")) / 1e6;
        assert_true(extra_ms > 0.99 * interval_ms[i] && extra_ms < interval_ms[i] + 0.1);
        double io_end_s = atof(cell(&t, i + 1, "finished:app/io")) / 1e9;
        assert_true(io_end_s > 0.1 * (1 + interval_ms[i]) && io_end_s < 0.1 * (1.15 + interval_ms[i]));
        assert_string_equal(cell(&t, i + 1, "finished:app/spin"), "");
    }
    table_free(&t);
}

static void header_run(csvw_t *w, void *ctx)
{
    (void)ctx;
    csvw_text(w, "run");
}

/* A table of rows wider in all than the writer's buffer (1 MiB), each
 * naming n columns: the first megabyte is in the file. */
static void fill_table(runtable_t *t, const char *path, const named_col_t *c, int n)
{
    static char wide[1001];
    memset(wide, 'w', 1000);
    assert_int_equal(runtable_open(t, path), 0);
    for (int i = 0; i < 1100; i++) {
        csvw_text(runtable_row(t), wide);
        assert_int_equal(runtable_row_end(t, c, n), 0);
    }
}

/* A table whose rows file changed under it fails with EIO rather than
 * writing rows that are not the ones given: here the first megabyte (the
 * writer's buffer) went to the file, which was then cut short. */
static void test_runtable_read_back_checked(void **state)
{
    (void)state;
    char p[400];
    snprintf(p, sizeof p, "%s/table.csv", tmpdir);
    runtable_t t;
    assert_int_equal(runtable_open(&t, p), 0);
    named_col_t c[2] = {{0, "mark:x", 5, 0}, {0, "mark:y", -1, 0}};
    csvw_text(runtable_row(&t), "a,b\n\"c\"");             /* a text field with commas */
    assert_int_equal(runtable_row_end(&t, c, 2), 0);
    csvw_i64(runtable_row(&t), 2);
    assert_int_equal(runtable_row_end(&t, c + 1, 1), 0);
    assert_int_equal(runtable_close(&t, header_run, NULL), 0);
    table_t rt = read_csv(p);
    assert_int_equal(rt.ncols, 3);
    assert_string_equal(cell(&rt, 1, "run"), "a,b\n\"c\"");
    assert_string_equal(cell(&rt, 1, "mark:x"), "5");
    assert_string_equal(cell(&rt, 1, "mark:y"), "");
    assert_string_equal(cell(&rt, 2, "mark:x"), "");
    table_free(&rt);

    /* rows with no named value: the first no longer ends its row */
    fill_table(&t, p, c, 0);
    assert_int_equal(truncate(p, 3), 0);
    assert_int_equal(runtable_close(&t, header_run, NULL), EIO);
    /* rows with two: the first ends with a newline but has no field left */
    fill_table(&t, p, c, 2);
    int fd = open(p, O_WRONLY);
    static char newlines[1 << 20];
    memset(newlines, '\n', sizeof newlines);
    assert_int_equal(pwrite(fd, newlines, sizeof newlines, 0), (ssize_t)sizeof newlines);
    close(fd);
    assert_int_equal(runtable_close(&t, header_run, NULL), EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sleeper_beside_spinner_waits_one_interval_per_wake),
        cmocka_unit_test(test_waits_back_to_back_count),
        cmocka_unit_test(test_sleeper_alone_has_no_extra),
        cmocka_unit_test(test_wake_that_finds_the_lock_taken_starts_over),
        cmocka_unit_test(test_preemptions_at_slice_ends),
        cmocka_unit_test(test_migration_to_another_core),
        cmocka_unit_test(test_named_columns_marks_then_groups),
        cmocka_unit_test(test_bytes_in_the_largest_unit),
        cmocka_unit_test(test_printed_summary_words),
        cmocka_unit_test(test_threads_and_summary_csv),
        cmocka_unit_test(test_sweep_header_is_the_union),
        cmocka_unit_test(test_convoy_sweep_shows_the_interval),
        cmocka_unit_test(test_runtable_read_back_checked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
