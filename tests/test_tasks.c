/* test_tasks.c — asyncio tasks made visible: tasks.csv (each task's time
 * running, ready and awaiting, at every trace level, ending each way a task
 * can end) and trace.json's task tracks and arrows, on the course notes'
 * examples.  Each task's time adding up to its life after every event is
 * an invariant of every suite's runs (sim_check). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include "testlib.h"
#include "clilib.h"
#include "columns.h"
#include "out/runfiles.h"

#define SEED "configs/seed/"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "tasks");
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

/* `gilsim run ARGS -q -o TMP/SUB`, which must succeed. */
static void run_into(const char *sub, const char *args)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "run %s -q -o '%s/%s'", args, tmpdir, sub);
    assert_int_equal(gilsim_cmd(tmpdir, cmd, NULL, NULL), 0);
}

static table_t tasks_of(const char *sub)
{
    char p[400];
    snprintf(p, sizeof p, "%s/%s/tasks.csv", tmpdir, sub);
    return read_csv(p);
}

static int64_t num(const table_t *t, int row, const char *col)
{
    const char *c = cell(t, row, col);
    if (!*c)
        fail_msg("row %d: %s is empty", row, col);
    return strtoll(c, NULL, 10);
}

static int row_of(const table_t *t, const char *task)
{
    for (int r = 1; r < t->nrows; r++)
        if (!strcmp(cell(t, r, "task"), task))
            return r;
    fail_msg("no row for %s", task);
    return -1;
}

/* Each row's times add up to its life, exactly: from created_ns to
 * finished_ns, or to `end` for a task the run stopped first. */
static void assert_lives_add_up(const table_t *t, int64_t end)
{
    for (int r = 1; r < t->nrows; r++) {
        int64_t to = *cell(t, r, "finished_ns") ? num(t, r, "finished_ns") : end;
        int64_t sum = num(t, r, "running_ns") + num(t, r, "ready_ns") + num(t, r, "awaiting_ns");
        if (sum != to - num(t, r, "created_ns"))
            fail_msg("%s: %lld ns in states over a life of %lld ns", cell(t, r, "task"),
                     (long long)sum, (long long)(to - num(t, r, "created_ns")));
    }
}

/* Example 6 with time.sleep(1) in the coroutines: each task blocks the
 * loop for its whole run, n seconds, and the others wait ready meanwhile:
 * B for all of A, C for A and B, the main task for B and C after A's end
 * woke it. */
static void test_time_sleep_blocks_the_loop(void **state)
{
    (void)state;
    run_into("ex6t", SEED "asyncio_ex6_time_sleep.yaml");
    table_t t = tasks_of("ex6t");
    assert_int_equal(t.nrows, 5);
    int m = row_of(&t, "Task-1"), a = row_of(&t, "Task-2"), b = row_of(&t, "Task-3"),
        c = row_of(&t, "Task-4");
    assert_string_equal(cell(&t, m, "coroutine"), "main");
    const int n[] = {10, 4, 6};
    const int row[] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        assert_string_equal(cell(&t, row[i], "coroutine"), "async_factorial");
        assert_string_equal(cell(&t, row[i], "ended"), "done");
        assert_int_equal(num(&t, row[i], "steps"), 1);          /* never suspended */
        assert_int_equal(num(&t, row[i], "awaiting_ns"), 0);
        assert_in_range(num(&t, row[i], "running_ns"), SEC(n[i]), SEC(n[i]) + MS(1));
    }
    /* back to back: each runs when the one before it has ended */
    assert_int_equal(num(&t, b, "first_run_ns"), num(&t, a, "finished_ns"));
    assert_int_equal(num(&t, c, "first_run_ns"), num(&t, b, "finished_ns"));
    assert_in_range(num(&t, a, "ready_ns"), 0, MS(1));
    assert_in_range(num(&t, b, "ready_ns"), SEC(10), SEC(10) + MS(1));
    assert_in_range(num(&t, c, "ready_ns"), SEC(14), SEC(14) + MS(1));
    /* the main task awaits its gather through all three runs, and is made
     * ready once, when the last ends (not by each child) */
    assert_int_equal(num(&t, m, "steps"), 2);
    /* 20 sleeps of 1 s, each the full timer slack and a wake-up late */
    assert_in_range(num(&t, m, "awaiting_ns"), SEC(20), SEC(20) + 20 * US(100));
    assert_in_range(num(&t, m, "ready_ns"), 0, MS(1));
    assert_in_range(num(&t, m, "running_ns"), 1, MS(1));
    assert_lives_add_up(&t, -1);
    table_free(&t);
}

/* Example 6 as meant, with await asyncio.sleep(1): each task awaits n
 * seconds exactly, runs and waits for the loop for microseconds only. */
static void test_await_sleep_shares_the_loop(void **state)
{
    (void)state;
    run_into("ex6a", SEED "asyncio_ex6_await_sleep.yaml");
    table_t t = tasks_of("ex6a");
    assert_int_equal(t.nrows, 5);
    const int n[] = {10, 4, 6};
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "Task-%d", i + 2);
        int r = row_of(&t, name);
        assert_int_equal(num(&t, r, "awaiting_ns"), SEC(n[i]));
        assert_int_equal(num(&t, r, "steps"), n[i] + 1);
        assert_in_range(num(&t, r, "running_ns"), 1, MS(1));
        assert_in_range(num(&t, r, "ready_ns"), 0, MS(1));
        assert_int_equal(num(&t, r, "first_run_ns") < MS(1), 1);
    }
    assert_lives_add_up(&t, -1);
    table_free(&t);
}

/* The ways a task ends inside asyncio.run: done, an exception, cancelled
 * when asyncio.run returns (one before it ever ran). */
static void test_task_endings(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof path, "%s/endings.yaml", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("functions:\n"
          "  sleeper: {async: true, body: [{await: {sleep: 5s}}]}\n"
          "  raiser: {async: true, body: [{cpu: 1ms}, {raise: ValueError}]}\n"
          "  late: {async: true, body: [{cpu: 1ms}]}\n"
          "  main:\n"
          "    async: true\n"
          "    body:\n"
          "      - {create_task: sleeper}\n"
          "      - {create_task: raiser}\n"
          "      - await: {sleep: 10ms}\n"
          "      - {create_task: late}\n"
          "      - cpu: 1ms\n"
          "processes:\n"
          "  - {name: p, main: [{asyncio_run: main}]}\n", f);
    fclose(f);
    char args[600];
    snprintf(args, sizeof args, "'%s'", path);
    run_into("end", args);
    table_t t = tasks_of("end");
    int m = row_of(&t, "Task-1"), s = row_of(&t, "Task-2"), r = row_of(&t, "Task-3"),
        l = row_of(&t, "Task-4");
    assert_string_equal(cell(&t, m, "ended"), "done");
    assert_string_equal(cell(&t, s, "ended"), "cancelled");
    assert_string_equal(cell(&t, r, "ended"), "exception");
    assert_string_equal(cell(&t, l, "ended"), "cancelled");
    assert_int_equal(num(&t, s, "finished_ns"), num(&t, m, "finished_ns"));
    assert_int_equal(num(&t, l, "steps"), 0);          /* cancelled before its first step */
    assert_string_equal(cell(&t, l, "first_run_ns"), "");
    assert_int_equal(num(&t, l, "ready_ns"), num(&t, l, "finished_ns") - num(&t, l, "created_ns"));
    assert_in_range(num(&t, l, "ready_ns"), MS(1), MS(1) + US(10));   /* main's last cpu */
    assert_lives_add_up(&t, -1);
    table_free(&t);
}

/* A daemon thread's loop ends with its process: its task is killed then. */
static void test_task_killed_with_its_loop(void **state)
{
    (void)state;
    run_into("killed", "tests/regress/daemon_zombie.yaml");
    table_t t = tasks_of("killed");
    assert_int_equal(t.nrows, 2);
    assert_string_equal(cell(&t, 1, "ended"), "killed");
    assert_in_range(num(&t, 1, "finished_ns"), MS(100), MS(101));   /* its process's exit */
    assert_lives_add_up(&t, -1);
    table_free(&t);
}

/* Tasks still pending when the run stops at its duration: no end, and
 * their times count up to the run's end. */
static void test_tasks_pending_at_duration(void **state)
{
    (void)state;
    run_into("cut", SEED "asyncio_ex6_await_sleep.yaml --set duration=2500ms");
    table_t t = tasks_of("cut");
    int pending = 0;
    for (int i = 1; i < t.nrows; i++)
        if (!*cell(&t, i, "finished_ns")) {
            assert_string_equal(cell(&t, i, "ended"), "");
            pending++;
        }
    assert_int_equal(pending, 4);                      /* at 2.5 s, before B's 4 s */
    assert_lives_add_up(&t, MS(2500));
    table_free(&t);
}

/* tasks.csv is written at every trace level but none, header only when
 * the run has no tasks; the printed file list names it. */
static void test_tasks_csv_at_every_level(void **state)
{
    (void)state;
    char cmd[800], p[400], *out;
    snprintf(cmd, sizeof cmd, "run " SEED "asyncio_ex1_tasks_gather.yaml --trace summary -o '%s/sum'",
             tmpdir);
    assert_int_equal(gilsim_cmd(tmpdir, cmd, &out, NULL), 0);
    assert_non_null(strstr(out, "log.csv, threads.csv, tasks.csv, summary.csv\n"));
    free(out);
    table_t t = tasks_of("sum");
    assert_int_equal(t.nrows, 7);                      /* main and its five */
    table_free(&t);

    run_into("none", "configs/default.yaml --set duration=10ms");
    snprintf(p, sizeof p, "%s/none/tasks.csv", tmpdir);
    size_t n;
    char *text = slurp(p, &n), header[1024] = "";
    const col_file_t *f = &col_files[COL_TASKS_CSV];
    for (int c = 0; c < f->ncols; c++)
        snprintf(header + strlen(header), sizeof header - strlen(header), "%s%s",
                 c ? "," : "", f->cols[c].name);
    strcat(header, "\n");
    assert_string_equal(text, header);
    free(text);

    run_into("off", SEED "asyncio_ex1_tasks_gather.yaml --trace none");
    snprintf(p, sizeof p, "%s/off/tasks.csv", tmpdir);
    struct stat sb;
    assert_int_not_equal(stat(p, &sb), 0);
}

/* Every CSV file a run writes (columns.def) is in the run files' table,
 * at the levels that write it, and trace.json only with --perfetto. */
static void test_run_files_table(void **state)
{
    (void)state;
    const char *full[RUN_FILES_MAX], *sum[RUN_FILES_MAX], *json[RUN_FILES_MAX];
    int nfull = run_files_written(TRACE_FULL, 0, full), nsum = run_files_written(TRACE_SUMMARY, 0, sum);
    int njson = run_files_written(TRACE_SUMMARY, 1, json);
    assert_int_equal(run_files_written(TRACE_NONE, 1, json + njson), 0);
    for (int i = 0; i < COL__FILES; i++) {
        const char *name = col_files[i].name;
        int in_full = 0, in_sum = 0;
        for (int k = 0; k < nfull; k++)
            in_full += !strcmp(full[k], name);
        for (int k = 0; k < nsum; k++)
            in_sum += !strcmp(sum[k], name);
        int run_file = i < COL_SWEEP_CSV;      /* the lab's files follow sweep.csv */
        assert_int_equal(in_full, run_file);
        assert_int_equal(in_sum, run_file && i != COL_TRACE_CSV);
    }
    assert_int_equal(njson, nsum + 1);
    assert_string_equal(full[nfull - 1], "summary.csv");  /* the file that says it is complete */
    assert_string_equal(json[njson - 1], "summary.csv");
}

/* trace.json's task tracks and arrows (tests/task_trace.py checks the
 * slices against tasks.csv and binds each flow event as a viewer does),
 * with the arrows between exact steps. */
static void expect_arrows(const char *sub, const char *config, const char *want)
{
    char args[600], cmd[1400], *out;
    snprintf(args, sizeof args, "%s --perfetto", config);
    run_into(sub, args);
    snprintf(cmd, sizeof cmd, "python3 tests/task_trace.py '%s/%s/trace.json' '%s/%s/tasks.csv' "
             ">'%s/arrows' 2>&1", tmpdir, sub, tmpdir, sub, tmpdir);
    int st = system(cmd);
    snprintf(cmd, sizeof cmd, "%s/arrows", tmpdir);
    size_t n;
    out = slurp(cmd, &n);
    if (st != 0)
        fail_msg("task_trace.py: %s", out);
    assert_string_equal(out, want);
    free(out);
}

static void test_task_tracks_and_arrows(void **state)
{
    (void)state;
    /* time.sleep: each child one step; the main task resumes once, after
     * all three, which all point to that step */
    expect_arrows("pt", SEED "asyncio_ex6_time_sleep.yaml",
                  "create_task Task-1#1 -> Task-2#1\n"
                  "create_task Task-1#1 -> Task-3#1\n"
                  "create_task Task-1#1 -> Task-4#1\n"
                  "gather Task-2#1 -> Task-1#2\n"
                  "gather Task-3#1 -> Task-1#2\n"
                  "gather Task-4#1 -> Task-1#2\n");
    /* await sleep: n + 1 steps each; B (n = 4) ends first, then C, then A:
     * the main task resumes once, when the last has ended */
    expect_arrows("pa", SEED "asyncio_ex6_await_sleep.yaml",
                  "create_task Task-1#1 -> Task-2#1\n"
                  "create_task Task-1#1 -> Task-3#1\n"
                  "create_task Task-1#1 -> Task-4#1\n"
                  "gather Task-3#5 -> Task-1#2\n"
                  "gather Task-4#7 -> Task-1#2\n"
                  "gather Task-2#11 -> Task-1#2\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_sleep_blocks_the_loop),
        cmocka_unit_test(test_await_sleep_shares_the_loop),
        cmocka_unit_test(test_task_endings),
        cmocka_unit_test(test_task_killed_with_its_loop),
        cmocka_unit_test(test_tasks_pending_at_duration),
        cmocka_unit_test(test_tasks_csv_at_every_level),
        cmocka_unit_test(test_run_files_table),
        cmocka_unit_test(test_task_tracks_and_arrows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
