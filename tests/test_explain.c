/* test_explain.c — `gilsim explain DIR`: a finished run told in words.
 * The convoy's drop requests and forced switches, its closing paragraph
 * against threads.csv, races lost by a CPU-bound pair (new and old GIL),
 * a coroutine blocking its event loop in time.sleep, a deadlock naming
 * the lock and its holder, and --thread/--from/--to/--limit.  (Folders
 * refused: test_explainsafe.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "explainlib.h"
#include "columns.h"
#include "events.h"
#include "out/report.h"

/* The event lines: between the first blank line and "\nOver the whole
 * run:"; each starts with a time and a unit ("   16.027 ms  "), whose
 * nanoseconds go into times (at most max); returns how many. */
static int event_lines(const char *text, long long *times, int max, char ***lines)
{
    const char *p = strstr(text, "\n\n"), *end = strstr(text, "\nOver the whole run:");
    assert_non_null(p);
    assert_non_null(end);
    int n = 0;
    if (lines)
        *lines = calloc((size_t)max, sizeof **lines);
    for (p += 2; p < end; p = strchr(p, '\n') + 1) {
        double v;
        char unit[4];
        int len = (int)(strchr(p, '\n') - p);
        if (!strncmp(p, "...", 3) || !strncmp(p, "(no events", 10))
            continue;
        if (sscanf(p, "%lf %3s", &v, unit) != 2 || len < 14 || p[12] != ' ' || p[13] != ' ')
            fail_msg("an event line without its time: %.*s", len, p);
        double scale = !strcmp(unit, "s") ? 1e9 : !strcmp(unit, "ms") ? 1e6
                     : !strcmp(unit, "us") ? 1e3 : !strcmp(unit, "ns") ? 1 : -1;
        if (scale < 0)
            fail_msg("no unit of time: %.*s", len, p);
        assert_true(n < max);
        times[n] = (long long)(v * scale + 0.5);
        if (lines)
            (*lines)[n] = strndup(p + 14, (size_t)(len - 14));
        n++;
    }
    return n;
}

static void free_lines(char **lines, int n)
{
    for (int i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

/* threads.csv's gil_wait_ns of thread `name` (names without commas). */
static long long csv_gil_wait(const char *dir, const char *name)
{
    char *path = join(dir, "threads.csv"), *text = read_all(path);
    const col_t *cols = col_files[COL_THREADS_CSV].cols;
    int want = COL_THREADS_TS_GIL_WAIT_NS, named = COL_THREADS_THREAD;
    assert_memory_equal(text, cols[0].name, strlen(cols[0].name));   /* the header */
    long long found = -1;
    for (char *line = strtok(strchr(text, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
        char *field[COL_THREADS__COUNT];
        int k = 0;
        for (char *f = strtok_r(line, ",", &line); f && k < COL_THREADS__COUNT;
             f = strtok_r(NULL, ",", &line))
            field[k++] = f;
        char quoted[256];
        snprintf(quoted, sizeof quoted, "\"%s\"", name);
        if (k > want && !strcmp(field[named], quoted))
            found = atoll(field[want]);
    }
    free(text);
    free(path);
    assert_true(found >= 0);
    return found;
}

/* ---- the stories ------------------------------------------------------ */

/* The convoy at a 15 ms interval: every request of the I/O thread waits
 * a whole interval, sets the drop request, and the CPU-bound thread drops
 * at its next check point; the paragraph's time waiting is threads.csv's. */
static void test_convoy_story(void **state)
{
    (void)state;
    char *dir = make_run("convoy", "configs/convoy.yaml", "--set", "python.switch_interval=15ms");
    char *out = explain_ok(dir, "--limit", "100000", NULL, NULL);
    long long times[1000];
    int n = event_lines(out, times, 1000, NULL);
    assert_true(n > 600);
    for (int i = 1; i < n; i++)
        assert_true(times[i] >= times[i - 1]);
    char *head = strndup(out, (size_t)(strstr(out, "\n\n") - out));
    for (char *c = head; (c = strchr(c, '\n'));)
        *c = ' ';
    assert_string_equal(head, "convoy: 2 threads in 1 process, 4 cores, GIL policy new, switch "
                              "interval 15.000 ms; the run ended at 5.000 s (ended_by: duration).");
    free(head);
    assert_int_equal(count(out, "io wants the GIL; spin holds it\n"), 100);
    assert_int_equal(count(out, "io waited a whole switch interval (15.000 ms) with no switch: "
                                "sets the drop request for spin\n"), 100);
    assert_int_equal(count(out, "spin drops the GIL at its next check point (forced switch)\n"),
                     100);
    assert_says(out, "io drops the GIL for blocking I/O\n");
    char want[256], t[32], *para = paragraphs(out);
    report_time(csv_gil_wait(dir, "io"), t, sizeof t);
    snprintf(want, sizeof want, "io waited for the GIL %s in all (%s in threads.csv), in 100 "
             "waits", t, col_files[COL_THREADS_CSV].cols[COL_THREADS_TS_GIL_WAIT_NS].name);
    assert_says(para, want);
    assert_says(para, "spin held the GIL when it asked; after a whole switch interval it set "
                     "the drop request for spin; spin dropped it at its next check point "
                     "(forced switch).");
    report_time(csv_gil_wait(dir, "spin"), t, sizeof t);
    snprintf(want, sizeof want, "spin waited for the GIL %s in all", t);
    assert_says(para, want);
    free(para);
    free(out);
    free(dir);
}

/* Two CPU-bound threads that block for 1 us now and then: the one back
 * from I/O takes the GIL while the waiter the release woke is still
 * waking up (new GIL); the old GIL's waiters find it taken again at
 * nearly every check, and their races lost add up to summary.csv's
 * failed wake-ups. */
static const char pair_yaml[] =
    "name: pair\n"
    "duration: 200ms\n"
    "processes:\n"
    "  - name: app\n"
    "    threads:\n"
    "      - name: worker\n"
    "        count: 2\n"
    "        program: [{repeat: forever, do: [{cpu: 2ms}, {io: 1us}]}]\n";

static const char trio_yaml[] =
    "name: trio\n"
    "duration: 100ms\n"
    "processes:\n"
    "  - name: app\n"
    "    threads:\n"
    "      - name: worker\n"
    "        count: 3\n"
    "        program: [{repeat: forever, do: [{cpu: 1ms}]}]\n";

static long lost_races(const char *out, const char *who)
{
    char key[64], *para = paragraphs(out);
    snprintf(key, sizeof key, "\n%s waited for the GIL ", who);
    const char *p = strstr(para, key);
    assert_non_null(p);
    p = strstr(p, "and lost ");
    assert_non_null(p);
    long n = !strncmp(p + 9, "no ", 3) ? 0 : atol(p + 9);
    free(para);
    return n;
}

static void test_race_lost_cpu_pair(void **state)
{
    (void)state;
    char *cfg = make_config("pair.yaml", pair_yaml), *dir = make_run("pair", cfg, NULL, NULL);
    char *out = explain_ok(dir, "--limit", "100000", NULL, NULL);
    assert_says(out, "  worker-1 takes the GIL first: it was already running, worker-0 was "
                     "still waking up\n");
    assert_says(out, "  worker-0 wakes up to find the GIL taken by worker-1: it lost the race "
                     "and waits again\n");
    long w0 = lost_races(out, "worker-0");
    assert_true(w0 >= count(out, "worker-0 wakes up to find the GIL taken by worker-1"));
    assert_true(w0 > 0);
    /* the first such race, whenever the model's timing puts it: its line
     * starts with its time in ms */
    const char *race = strstr(out, "  worker-1 takes the GIL first: it was already running, "
                                   "worker-0 was still waking up\n");
    assert_non_null(race);
    while (race > out && race[-1] != '\n')
        race--;
    char to[32];
    snprintf(to, sizeof to, "%.3fms", atof(race) + 1.0);
    free(out);
    /* --thread worker-0: the take is about it once it turns out to have
     * lost, and goes back to its place */
    out = explain_ok(dir, "--thread", "worker-0", "--to", to);
    const char *take = strstr(out, "  worker-1 takes the GIL first: it was already running, "
                                   "worker-0 was still waking up\n");
    assert_non_null(take);
    assert_memory_equal(strchr(take, '\n') + 15, "worker-0 wakes up to find the GIL taken by "
                        "worker-1", 51);
    free(out);
    free(dir);
    dir = make_run("pair-old", cfg, "--set", "python.gil=old");
    out = explain_ok(dir, "--limit", "50", NULL, NULL);
    assert_says(out, "  worker-0 drops the GIL at a check (old GIL) and takes it straight back: "
                     "worker-1 was still waking up\n");
    assert_says(out, "  worker-1 wakes up to find the GIL taken again by worker-0 (a failed "
                     "wake-up): it lost the race\n");
    char *failed = field_of(dir, "summary.csv", 2, COL_SUMMARY_GIL_FAILED_WAKEUPS);
    assert_true(atol(failed) > 1000);
    assert_int_equal(lost_races(out, "worker-0") + lost_races(out, "worker-1"), atol(failed));
    free(failed);
    free(out);
    free(dir);
    free(cfg);
}

/* Two such pairs in two processes: --thread worker-0 names a thread of
 * each, whose lines interleave; a take held back until its thread turns
 * out to have lost goes back to its time. */
static void test_race_told_in_time_order(void **state)
{
    (void)state;
    char *cfg = make_config("pair.yaml", pair_yaml);
    char *dir = make_run("pairs", cfg, "--set", "processes.0.count=2");
    char *out = explain_ok(dir, "--thread", "worker-0", "--limit", "100000");
    long long times[2000];
    int n = event_lines(out, times, 2000, NULL);
    assert_says(out, "  app-0/worker-1 takes the GIL first: it was already running, "
                     "app-0/worker-0 was still waking up\n");
    for (int i = 1; i < n; i++)
        if (times[i] < times[i - 1])
            fail_msg("line %d (%lld ns) is told after one at %lld ns", i, times[i], times[i - 1]);
    free(out);
    free(dir);
    free(cfg);
}

/* Three CPU-bound threads: the one whose drop request made the holder
 * drop loses the GIL to a waiter whose own timed wait ended. */
static void test_race_lost_by_the_drop_requester(void **state)
{
    (void)state;
    char *cfg = make_config("trio.yaml", trio_yaml), *dir = make_run("trio", cfg, NULL, NULL);
    char *out = explain_ok(dir, NULL, NULL, NULL, NULL);
    assert_says(out, "  worker-1 waited a whole switch interval (15.000 ms) with no switch: sets "
                     "the drop request for worker-0\n");
    assert_says(out, "  worker-2 takes the GIL first: it was already awake, worker-1 was still "
                     "waking up\n");
    free(out);
    free(dir);
    free(cfg);
}

/* The notes' asyncio example 3: each task calls time.sleep(1), blocking
 * the loop while the others wait; cut at 1.5 s, the block running then is
 * told to the end of the run. */
static void test_asyncio_time_sleep(void **state)
{
    (void)state;
    char *dir = make_run("aio", "configs/seed/asyncio_ex3_blocking_sleep.yaml", NULL, NULL);
    char *out = explain_ok(dir, NULL, NULL, NULL, NULL);
    /* Task-1, the main task, awaits its gather: it is not waiting for the loop */
    assert_says(out, "  task Task-2 blocks the event loop for 1.000 s in time.sleep; Task-3, "
                     "Task-4, Task-5 and 1 more wait\n");
    assert_says(out, "  task Task-5 blocks the event loop for 1.000 s in time.sleep; Task-6 "
                     "waits\n");
    assert_says(out, "  task Task-6 blocks the event loop for 1.000 s in time.sleep\n");
    assert_says(out, "  task Task-1 awaits gather: the event loop moves on\n");
    char *para = paragraphs(out);
    assert_says(para, "Its event loop ran 6 tasks; they blocked it 5 times, 5.000 s in all");
    free(para);
    free(out);
    free(dir);
    dir = make_run("aio-cut", "configs/seed/asyncio_ex3_blocking_sleep.yaml", "--set",
                   "duration=1500ms");
    out = explain_ok(dir, NULL, NULL, NULL, NULL);
    assert_says(out, "  task Task-3 blocks the event loop for the rest of the run (499.824 ms) in "
                     "time.sleep; Task-4, Task-5 and Task-6 wait\n");
    free(out);
    free(dir);
}

/* Two threads taking two locks in opposite orders: log.csv names each
 * lock and its holder, and the story ends with them. */
static void test_deadlock_names_lock_and_holder(void **state)
{
    (void)state;
    char *cfg = make_config("hang.yaml",
        "name: hang\n"
        "objects: [{name: a, kind: lock}, {name: b, kind: lock}]\n"
        "functions:\n"
        "  ab: {body: [{with_lock: a, do: [{sleep: 10ms}, {with_lock: b, do: [{cpu: 1us}]}]}]}\n"
        "  ba: {body: [{with_lock: b, do: [{sleep: 10ms}, {with_lock: a, do: [{cpu: 1us}]}]}]}\n"
        "processes:\n"
        "  - main: [{start: ab, as: t}, {start: ba, as: t}, {join: t}]\n");
    char *dir = make_run("hang", cfg, NULL, NULL);
    char *path = join(dir, "log.csv"), *log = read_all(path), row[128];
    snprintf(row, sizeof row, ",%s,\"lock b, held by Thread-2\"\n",
             trace_log_kind_names[LK_DEADLOCK]);
    assert_says(log, row);
    char *out = explain_ok(dir, NULL, NULL, NULL, NULL);
    assert_says(out, "(ended_by: deadlock)");
    assert_says(out, "  the program hangs: Thread-1 waits for lock b, held by Thread-2\n");
    assert_says(out, "  the program hangs: Thread-2 waits for lock a, held by Thread-1\n");
    assert_says(out, "  the program hangs: MainThread waits for thread Thread-1 to end (join)\n");
    free(out);
    free(log);
    free(path);
    free(dir);
    free(cfg);
}

/* At interpreter exit the main thread joins the non-daemon threads
 * (threading._shutdown): its wait has its own word, told apart from an
 * executor's shutdown, and a hang names the thread it joins. */
static void test_final_join_is_not_a_pool_shutdown(void **state)
{
    (void)state;
    char *cfg = make_config("finaljoin.yaml",
        "name: finaljoin\n"
        "objects: [{name: go, kind: event}]\n"
        "functions:\n"
        "  nap: {body: [{sleep: 50ms}]}\n"
        "  waiter: {body: [{event_wait: go}]}\n"
        "processes:\n"
        "  - main: [{start: nap, daemon: true}, {start: waiter, name: waiter}, {cpu: 1ms}]\n");
    char *dir = make_run("finaljoin", cfg, NULL, NULL);
    char *out = explain_ok(dir, NULL, NULL, NULL, NULL);
    assert_says(out, "MainThread drops the GIL and blocks at interpreter exit, waiting for the "
                     "non-daemon threads to end (threading._shutdown)\n");
    assert_says(out, "the program hangs: MainThread waits for the non-daemon threads to end "
                     "(threading._shutdown, at interpreter exit): waiter\n");
    assert_null(strstr(out, "workers"));
    free(out);
    free(dir);
    free(cfg);
}

/* Two interpreters, each with its own GIL: the trace does not say which
 * GIL a thread waits for, so no thread of the other interpreter is named
 * as dropping it, and races are said not to be told. */
static void test_per_interpreter_gils(void **state)
{
    (void)state;
    char *cfg = make_config("subint.yaml",
        "python: {gil: per-interpreter}\n"
        "processes:\n"
        "  - threads:\n"
        "      - {count: 2, interpreter: 1, program: [cpu: 2ms, io: 1us]}\n"
        "      - {count: 2, interpreter: 2, program: [cpu: 2ms, io: 1us]}\n");
    char *dir = make_run("subint", cfg, NULL, NULL);
    char *out = explain_ok(dir, NULL, NULL, NULL, NULL), *para = paragraphs(out);
    assert_int_equal(count(para, "dropped it"), count(para, "who dropped it is not told"));
    assert_null(strstr(para, "lost no races"));
    assert_says(para, "races for it are not told (a GIL per interpreter)");
    assert_says(para, "who dropped it is not told (a GIL per interpreter)");
    free(para);
    free(out);
    free(dir);
    free(cfg);
}

/* The free-threaded build has no GIL: no thread is said never to wait
 * for it. */
static void test_free_threaded_has_no_gil(void **state)
{
    (void)state;
    char *cfg = make_config("nogil.yaml",
        "python: {gil: none}\n"
        "processes:\n"
        "  - threads:\n"
        "      - {count: 2, program: [cpu: 2ms]}\n");
    char *dir = make_run("nogil", cfg, NULL, NULL);
    char *out = explain_ok(dir, NULL, NULL, NULL, NULL), *para = paragraphs(out);
    assert_null(strstr(para, "waited for the GIL"));
    assert_says(para, "\nt0-0 ran with no GIL (GIL policy none).\n");
    assert_says(para, "\nt0-1 ran with no GIL (GIL policy none).\n");
    free(para);
    free(out);
    free(dir);
    free(cfg);
}

/* ---- the options -------------------------------------------------------- */

static void test_thread_option(void **state)
{
    (void)state;
    char *dir = small_convoy(), *err;
    char *out = explain_ok(dir, "--thread", "spin", "--limit", "1000");
    char **lines;
    long long times[1000];
    int n = event_lines(out, times, 1000, &lines);
    assert_true(n > 10);
    for (int i = 0; i < n; i++)
        if (!strstr(lines[i], "spin"))
            fail_msg("--thread spin told a line not about spin: %s", lines[i]);
    assert_says(out, "Only the events about spin.\n");
    assert_says(out, "\nspin waited for the GIL");
    assert_null(strstr(out, "\nio waited for the GIL"));
    free_lines(lines, n);
    char *whole = explain_ok(dir, "--thread", "app/spin", "--limit", "1000");
    assert_string_equal(strstr(whole, "\n\n"), strstr(out, "\n\n"));
    free(whole);
    free(out);
    assert_int_equal(GILSIM(&out, &err, "explain", dir, "--thread", "nobody"), 2);
    assert_string_equal(out, "");
    assert_says(err, "threads.csv: --thread nobody: no thread of that name\n");
    assert_int_equal(count(err, "\n"), 1);
    free(out);
    free(err);
    free(dir);
}

static void test_window_option(void **state)
{
    (void)state;
    char *dir = small_convoy(), *err;
    char *out = explain_ok(dir, "--from", "16ms", "--to", "33ms");
    long long times[1000];
    int n = event_lines(out, times, 1000, NULL);
    assert_true(n > 5);
    for (int i = 0; i < n; i++)
        assert_true(times[i] >= 16000000 && times[i] <= 33000000);
    assert_says(out, "Only the events from 16.000 ms to 33.000 ms.\n");
    assert_says(out, "\nio waited for the GIL");         /* the paragraphs: the whole run */
    free(out);
    out = explain_ok(dir, "--from", "0", "--to", "2ms");
    assert_says(out, "        0 ns  io starts\n");
    free(out);
    assert_int_equal(GILSIM(&out, &err, "explain", dir, "--from", "5"), 2);
    assert_says(err, "--from: expected a duration with a unit");
    free(out);
    free(err);
    static const char *const before[][4] = {{"--from", "10ms", "--to", "5ms"},
                                            {"--from", "5ms", "--to", "0"}};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(GILSIM(&out, &err, "explain", dir, before[i][0], before[i][1],
                                before[i][2], before[i][3]), 2);
        assert_string_equal(out, "");
        assert_says(err, "--to is before --from");
        assert_int_equal(count(err, "\n"), 1);
        free(out);
        free(err);
    }
    out = explain_ok(dir, "--to", "0", NULL, NULL);        /* the start only, not to the end */
    assert_says(out, "Only the events from 0 ns to 0 ns.\n");
    assert_int_equal(event_lines(out, times, 1000, NULL), count(out, "\n        0 ns  "));
    free(out);
    free(dir);
}

static void test_limit_option(void **state)
{
    (void)state;
    char *dir = small_convoy();
    long long times[1000];
    char **all, **cut, more[64];
    char *full = explain_ok(dir, "--to", "40ms", "--limit", "1000");
    int total = event_lines(full, times, 1000, &all);
    assert_true(total > 10 && total < 200);
    assert_null(strstr(full, "more line"));
    char *out = explain_ok(dir, "--to", "40ms", "--limit", "5");
    assert_int_equal(event_lines(out, times, 1000, &cut), 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(cut[i], all[i]);
    snprintf(more, sizeof more, "\n... %d more lines (use --limit)\n", total - 5);
    assert_says(out, more);
    free(out);
    out = explain_ok(dir, "--to", "40ms", "--limit", "0");
    assert_int_equal(event_lines(out, times, 1000, NULL), 0);
    snprintf(more, sizeof more, "\n... %d more lines (use --limit)\n", total);
    assert_says(out, more);
    free(out);
    free(dir);
    dir = make_run("long", "configs/convoy.yaml", "--set", "duration=400ms");
    out = explain_ok(dir, NULL, NULL, NULL, NULL);         /* the default: 200 */
    assert_int_equal(event_lines(out, times, 1000, NULL), 200);
    assert_says(out, " more lines (use --limit)\n");
    free(out);
    free_lines(all, total);
    free_lines(cut, 5);
    free(full);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_convoy_story),
        cmocka_unit_test(test_race_lost_cpu_pair),
        cmocka_unit_test(test_race_told_in_time_order),
        cmocka_unit_test(test_race_lost_by_the_drop_requester),
        cmocka_unit_test(test_asyncio_time_sleep),
        cmocka_unit_test(test_deadlock_names_lock_and_holder),
        cmocka_unit_test(test_final_join_is_not_a_pool_shutdown),
        cmocka_unit_test(test_per_interpreter_gils),
        cmocka_unit_test(test_free_threaded_has_no_gil),
        cmocka_unit_test(test_thread_option),
        cmocka_unit_test(test_window_option),
        cmocka_unit_test(test_limit_option),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
