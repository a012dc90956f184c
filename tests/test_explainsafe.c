/* test_explainsafe.c — `gilsim explain` on a folder that is no run, as
 * a stranger could hand in: every damaged row, missing and special files,
 * threads.csv disagreeing with the trace, more threads or tasks than a run
 * can have, hostile names; and its usage errors.  Each gets one line on
 * stderr (naming the file and row), exit 2 and nothing on stdout, and
 * none hangs.  gilsim is started with fork+exec, never through a shell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <unistd.h>
#include "explainlib.h"
#include "columns.h"
#include "caps.h"
#include "out/csvread.h"
#include "plotprep.h"

static void test_usage(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(GILSIM(&out, &err, "explain", "--help"), 0);
    assert_memory_equal(out, "usage: gilsim explain DIR [--thread NAME] [--from T] [--to T] "
                             "[--limit N]\n", 74);
    free(out);
    free(err);
    assert_int_equal(GILSIM(&out, &err, "--help"), 0);
    assert_says(out, "       gilsim explain DIR [--thread NAME] [--from T] [--to T] [--limit N]\n");
    free(out);
    free(err);
    static const char *const bad[][4] = {
        {"explain", NULL}, {"explain", "d", "e", NULL}, {"explain", "d", "--limit", "x"},
        {"explain", "d", "--limit", "-1"}, {"explain", "d", "--bogus", NULL},
        {"explain", "d", "--thread", NULL},
    };
    static const char *const says[] = {
        "missing DIR", "unexpected argument e", "--limit: expected a count", "--limit: expected",
        "unknown option --bogus", "this option needs a value: --thread",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(run_gilsim(&out, &err, bad[i]), 2);
        assert_string_equal(out, "");
        assert_says(err, says[i]);
        assert_int_equal(count(err, "\n"), 1);
        free(out);
        free(err);
    }
}

/* ---- folders refused ------------------------------------------------------ */

static void copy_run(const char *from, const char *to)
{
    static const char *const files[] = {"trace.csv", "log.csv", "threads.csv", "summary.csv"};
    assert_int_equal(mkdir(to, 0755), 0);
    for (int i = 0; i < 4; i++) {
        char *a = join(from, files[i]), *b = join(to, files[i]), *text = read_all(a);
        put_file(b, text);
        free(text);
        free(a);
        free(b);
    }
}

/* Line `line` (1: the header) of dir/name replaced by `with` (a whole
 * line with its newline, or "" to remove it). */
static void replace_line(const char *dir, const char *name, int line, const char *with)
{
    char *path = join(dir, name), *text = read_all(path), *p = text;
    for (int i = 1; i < line; i++)
        p = strchr(p, '\n') + 1;
    char *end = strchr(p, '\n') + 1, *mixed = malloc(strlen(text) + strlen(with) + 1);
    sprintf(mixed, "%.*s%s%s", (int)(p - text), text, with, end);
    put_file(path, mixed);
    free(mixed);
    free(text);
    free(path);
}

/* Line `line` of dir/name with field `field` (0 first) set to `value`
 * (the files' text fields hold no commas here). */
static void replace_field(const char *dir, const char *name, int line, int field,
                          const char *value)
{
    char *path = join(dir, name), *text = read_all(path), *p = text, row[4096];
    for (int i = 1; i < line; i++)
        p = strchr(p, '\n') + 1;
    char *f = p;
    for (int i = 0; i < field; i++)
        f = strchr(f, ',') + 1;
    size_t keep = strcspn(f, ",\n");
    snprintf(row, sizeof row, "%.*s%s%.*s", (int)(f - p), p, value,
             (int)strcspn(f + keep, "\n") + 1, f + keep);
    free(text);
    free(path);
    replace_line(dir, name, line, row);
}

static void expect_refused(const char *dir, const char *want)
{
    char *out, *err;
    int rc = GILSIM(&out, &err, "explain", dir);
    if (rc != 2 || out[0] || !strstr(err, want) || count(err, "\n") != 1)
        fail_msg("explain %s: exit %d, stdout %zu bytes, stderr: %s (wanted one line with '%s')",
                 dir, rc, strlen(out), err, want);
    free(out);
    free(err);
}

/* The small convoy's trace: line 5 is io's gil_drop (io), 10 its
 * gil_request, 11 its gil_wait, 13 its gil_drop_request naming spin. */
static void test_refuses_bad_folders(void **state)
{
    (void)state;
    char *good = small_convoy(), name[32], *dir;
    static const struct { const char *file; int line; const char *with, *want; } cases[] = {
        {"trace.csv", 1, "time,process,thread,core,event,detail,gil\n",
         "trace.csv:1: not a gilsim trace"},
        {"trace.csv", 3, "x1,\"app\",\"spin\",,runnable,start,0\n", "trace.csv:3: time_ns 'x1'"},
        {"trace.csv", 10, "5,\"app\",\"io\",0,gil_request,,0\n", "trace.csv:10: time goes backwards"},
        {"trace.csv", 10, "999999999999999999,\"app\",\"io\",0,gil_request,,0\n",
         "trace.csv:10: 999999999999999999 ns is after the run's end"},
        {"trace.csv", 10, "1003993,\"app\",\"io\",0,sleeping,,0\n",
         "trace.csv:10: unknown event 'sleeping'"},
        {"trace.csv", 10, "1003993,\"app\",\"ghost\",0,gil_request,,0\n",
         "trace.csv:10: thread 'ghost' of process 'app' is not in threads.csv"},
        {"trace.csv", 5, "1000,\"app\",\"io\",0,gil_drop,tired,0\n",
         "trace.csv:5: gil_drop: unknown reason 'tired'"},
        {"trace.csv", 13, NULL,            /* its detail only: the time is the model's */
         "trace.csv:13: gil_drop_request names 'ghost'"},
        {"trace.csv", 10, "1003993,\"app\",\"io\"\n", "trace.csv:10: expected 7 fields, got 3"},
        {"trace.csv", 10, "1003993,\"app\",\"io\",0,\"gil_request,\n", "trace.csv:10: malformed CSV"},
        {"trace.csv", 10, "1003993,\"app\",\"io\",0,gil_request,\n",
         "trace.csv:10: expected 7 fields, got 6"},
        {"trace.csv", 10, "1003993,\"app\",\"io\",0,gil_request,,x\n",
         "trace.csv:10:7: gil 'x' is not an interpreter number"},
        {"trace.csv", 10, "1003993,\"app\",\"io\",0,gil_request,,\n",
         "trace.csv:10:7: gil '' is not an interpreter number"},
        {"trace.csv", 10, "1003993,\"app\",\"io\",0,gil_request,,-2\n",
         "trace.csv:10:7: gil '-2' is not an interpreter number"},
        {"trace.csv", 10, "1003993,\"app\",\"io\",0,gil_request,,1\n",
         "trace.csv:10:7: gil 1, but the run has one GIL per process"},
        {"trace.csv", 1, "time_ns,process,thread,core,event,detail\n",
         "trace.csv:1: written by an older gilsim (no `gil` column): run the config again"},
        {"trace.csv", 11, "", "threads.csv:2: runnable_ns is"},         /* a row lost */
        {"log.csv", 2, "10,\"app\",\"ghost\",,deadlock,\"lock a\"\n",
         "log.csv:2: a deadlock row of a thread threads.csv does not have"},
    };
    for (size_t i = 0; i <= sizeof cases / sizeof cases[0] + 1; i++) {
        snprintf(name, sizeof name, "bad-%zu", i);
        dir = join(tmpdir, name);
        copy_run(good, dir);
        if (i == sizeof cases / sizeof cases[0]) {         /* threads.csv says otherwise */
            replace_field(dir, "threads.csv", 2, COL_THREADS_TS_GIL_WAIT_NS, "4");
            expect_refused(dir, "threads.csv:2: gil_wait_ns is 4 ns for io, but trace.csv gives");
        } else if (i > sizeof cases / sizeof cases[0]) {   /* summary.csv's end no number */
            replace_field(dir, "summary.csv", 2, COL_SUMMARY_MAKESPAN, "oops");
            expect_refused(dir, "summary.csv:2: makespan_ns is not a whole number");
        } else {
            if (!strcmp(cases[i].file, "log.csv")) {
                char *path = join(dir, "log.csv");
                put_file(path, "time_ns,process,thread,task,kind,text\nx\n");
                free(path);
            }
            if (cases[i].with)
                replace_line(dir, cases[i].file, cases[i].line, cases[i].with);
            else
                replace_field(dir, cases[i].file, cases[i].line, COL_TRACE_DETAIL, "ghost");
            expect_refused(dir, cases[i].want);
        }
        free(dir);
    }
    free(good);
}

/* A gil_policy this gilsim does not have is refused, not told as a GIL. */
static void test_refuses_unknown_policy(void **state)
{
    (void)state;
    char *good = small_convoy(), *dir = join(tmpdir, "bad-policy");
    copy_run(good, dir);
    replace_field(dir, "summary.csv", 2, COL_SUMMARY_GIL_POLICY, "bogus");
    expect_refused(dir, "summary.csv:2: gil_policy: no GIL policy is called 'bogus'");
    free(dir);
    free(good);
}

/* With a GIL per interpreter (summary.csv's gil_policy) a row may name
 * an interpreter past 0, but not past the 1000 a config can number plus
 * one per thread of the run (pool workers). */
static void test_refuses_gil_past_the_run(void **state)
{
    (void)state;
    char *good = small_convoy(), *dir = join(tmpdir, "subint-past");
    copy_run(good, dir);
    replace_field(dir, "summary.csv", 2, COL_SUMMARY_GIL_POLICY, "per-interpreter");
    replace_line(dir, "trace.csv", 10, "1003993,\"app\",\"io\",0,gil_request,,1000000\n");
    expect_refused(dir, "trace.csv:10:7: gil 1000000: more interpreters than the run could "
                        "have (at most 1000 configured, then one per pool worker of its");
    free(dir);
    free(good);
}

/* dir/trace.csv cut to its first `lines` lines (the header one). */
static void cut_trace(const char *dir, int lines)
{
    char *path = join(dir, "trace.csv"), *text = read_all(path), *p = text;
    for (int i = 0; i < lines; i++)
        p = strchr(p, '\n') + 1;
    *p = '\0';
    put_file(path, text);
    free(text);
    free(path);
}

/* A trace cut short, or threads.csv telling another time in any state or
 * another finish: every column is checked, not only gil_wait_ns. */
static void test_refuses_cut_traces(void **state)
{
    (void)state;
    static const struct { const char *config; int lines; } cuts[] = {
        {"configs/seed/asyncio_ex6_time_sleep.yaml", 12}, {"configs/lock_order.yaml", 4},
    };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "cut-%zu", i);
        char *dir = make_run(name, cuts[i].config, NULL, NULL);
        cut_trace(dir, cuts[i].lines);
        expect_refused(dir, "threads.csv:2: py_ns is ");
        free(dir);
    }
    char *good = small_convoy();
    static const struct { int col; const char *value, *want; } fields[] = {
        {COL_THREADS_TS_PY_NS, "7", "threads.csv:2: py_ns is 7 ns for io, but trace.csv gives"},
        {COL_THREADS_TS_BLOCKED_NS, "0", "threads.csv:2: blocked_ns is 0 ns for io"},
        {COL_THREADS_TS_RUNNABLE_NS, "1", "threads.csv:2: runnable_ns is 1 ns for io"},
        {COL_THREADS_FINISHED, "5", "threads.csv:2: finished_ns is 5 ns for io, but trace.csv "
                                    "gives empty: not the files of one run, or a trace cut short"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "field-%zu", i);
        char *dir = join(tmpdir, name);
        copy_run(good, dir);
        replace_field(dir, "threads.csv", 2, fields[i].col, fields[i].value);
        expect_refused(dir, fields[i].want);
        free(dir);
    }
    free(good);
}

static void test_refuses_missing_and_special_files(void **state)
{
    (void)state;
    char *good = small_convoy();
    char *dir = make_run("summary-only", "configs/convoy.yaml", "--trace", "summary");
    expect_refused(dir, "summary-only/trace.csv: cannot read: No such file or directory (gilsim "
                        "explain needs a run made with --trace full, the default)");
    free(dir);
    dir = join(tmpdir, "nosuch");
    expect_refused(dir, "nosuch/summary.csv: cannot read");
    free(dir);
    dir = join(tmpdir, "special");
    copy_run(good, dir);
    char *trace = join(dir, "trace.csv");
    unlink(trace);
    assert_int_equal(mkfifo(trace, 0644), 0);
    expect_refused(dir, "special/trace.csv: cannot read: not a regular file");
    unlink(trace);
    assert_int_equal(symlink("/dev/zero", trace), 0);
    expect_refused(dir, "special/trace.csv: cannot read: not a regular file");
    unlink(trace);
    put_file(trace, "");
    expect_refused(dir, "special/trace.csv: no rows");
    char *field = malloc(70000 + 128);
    sprintf(field, "time_ns,process,thread,core,event,detail,gil\n"
                   "0,\"app\",\"%070000d\",,runnable,,0\n", 0);
    put_file(trace, field);
    expect_refused(dir, "special/trace.csv:2: a field longer than 65536 bytes");
    free(field);
    free(trace);
    free(dir);
    free(good);
}

static int count_row(rows_t *r, void *ctx)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

/* rows_read, under explain and the plots, on len bytes: its status, what
 * it said on stderr (*said, malloc'd), the rows it gave and the header's
 * first name (*first, malloc'd, or NULL). */
static int read_bytes(const char *bytes, size_t len, char **said, int *rows, char **first)
{
    char *path = join(tmpdir, "bytes.csv"), *err = join(tmpdir, "said");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    *rows = 0;
    rows_t r = {.on_row = count_row, .ctx = rows};
    fflush(stderr);
    int saved = dup(STDERR_FILENO), fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0 && dup2(fd, STDERR_FILENO) >= 0);
    int rc = rows_read(&r, tmpdir, "bytes.csv");
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(fd);
    *said = read_all(err);
    *first = r.nhead > 0 ? strdup(r.head[0]) : NULL;
    rows_free(&r);
    free(path);
    free(err);
    return rc;
}

/* The rules every reader of untrusted CSV shares: a NUL byte in a field
 * (which a C string would cut the field at) is refused at its row, a
 * header naming a column twice at row 1, and a UTF-8 byte-order mark
 * before the header is dropped. */
static void test_csv_shared_rules(void **state)
{
    (void)state;
    static const struct { const char *bytes; size_t len; const char *says, *first; } cases[] = {
        {"a,b\n1,2\0junk\n", 14, "bytes.csv:2: a field holding a NUL byte\n", "a"},
        {"a\0x,b\n1,2\n", 11, "bytes.csv:1: a field holding a NUL byte\n", NULL},
        {"a,b,a\n1,2,3\n", 12, "bytes.csv:1: the header names column a twice\n", "a"},
        {"\xEF\xBB\xBF" "a,b\n1,2\n", 11, NULL, "a"},
        {"b,\xEF\xBB\xBF" "a\n1,2\n", 11, NULL, "b"},  /* only before the header */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rows;
        char *said, *first;
        int rc = read_bytes(cases[i].bytes, cases[i].len, &said, &rows, &first);
        int ok = cases[i].says ? rc == PLOT_BAD_INPUT && rows == 0 && strstr(said, cases[i].says)
                                 && count(said, "\n") == 1
                               : rc == 0 && rows == 1 && !*said;
        if (!ok || (cases[i].first && (!first || strcmp(first, cases[i].first))))
            fail_msg("case %zu: status %d, %d rows, first column '%s', said '%s'", i, rc, rows,
                     first ? first : "(none)", said);
        free(said);
        free(first);
    }
    char *good = small_convoy(), *dir = join(tmpdir, "twice");
    copy_run(good, dir);
    replace_line(dir, "trace.csv", 1, "time_ns,process,thread,core,event,event,gil\n");
    expect_refused(dir, "twice/trace.csv:1: the header names column event twice");
    free(dir);
    free(good);
}

/* More threads than a run can have, or more tasks: refused, not held. */
static void test_refuses_runs_too_big(void **state)
{
    (void)state;
    char *good = small_convoy(), *dir = join(tmpdir, "big");
    copy_run(good, dir);
    char *path = join(dir, "threads.csv"), *text = read_all(path);
    size_t cap = strlen(text) + (size_t)(THREADS_MAX + 1) * (32 + 2 * COL_THREADS__COUNT);
    char *many = malloc(cap);
    size_t len = (size_t)sprintf(many, "%.*s", (int)(strchr(text, '\n') + 1 - text), text);
    for (int i = 0; i <= THREADS_MAX; i++) {
        len += (size_t)sprintf(many + len, "\"app\",\"t%d\"", i);
        for (int k = 2; k < COL_THREADS__COUNT; k++)
            len += (size_t)sprintf(many + len, ",0");
        many[len++] = '\n';
    }
    many[len] = '\0';
    put_file(path, many);
    expect_refused(dir, "more than " CAP_STR(THREADS_MAX) " threads: not a gilsim run");
    free(many);
    free(text);
    free(path);
    free(dir);
    /* tasks: as many task_create rows as TASKS_MAX, and one more */
    dir = join(tmpdir, "tasks");
    copy_run(good, dir);
    path = join(dir, "trace.csv");
    text = read_all(path);
    many = malloc((size_t)(TASKS_MAX + 1) * 64 + 64);
    len = (size_t)sprintf(many, "%.*s", (int)(strchr(text, '\n') + 1 - text), text);
    for (int i = 0; i <= TASKS_MAX; i++)
        len += (size_t)sprintf(many + len, "0,\"app\",\"io\",,task_create,\"Task-%d\",0\n", i);
    put_file(path, many);
    expect_refused(dir, "more than 100000 tasks: not a gilsim trace");
    free(many);
    free(text);
    free(path);
    free(dir);
    free(good);
}

/* A name with control characters, 60000 bytes long: told escaped and
 * cut, on one line each. */
static void test_hostile_names(void **state)
{
    (void)state;
    char *good = small_convoy(), *dir = join(tmpdir, "names");
    copy_run(good, dir);
    char *name = malloc(60000 + 8);
    memset(name, 'n', 60000);
    memcpy(name, "x\ny\x1b[2J", 7);
    name[60000] = '\0';
    static const char *const files[] = {"trace.csv", "threads.csv"};
    for (int f = 0; f < 2; f++) {
        char *path = join(dir, files[f]), *text = read_all(path);
        char *out = malloc(strlen(text) * 2 + (size_t)count(text, "\"io\"") * 60000 + 1), *o = out;
        for (const char *p = text; *p;) {
            if (!strncmp(p, "\"io\"", 4)) {
                o += sprintf(o, "\"%s\"", name);
                p += 4;
            } else {
                *o++ = *p++;
            }
        }
        *o = '\0';
        put_file(path, out);
        free(out);
        free(text);
        free(path);
    }
    char *out = explain_ok(dir, "--limit", "50", NULL, NULL);
    if (strchr(out, '\x1b'))
        fail_msg("a raw escape character was printed");
    assert_says(out, "x\\ny\\x1b[2Jnnn");
    for (const char *p = out; *p; p = strchr(p, '\n') + 1)
        assert_true(strchr(p, '\n') - p < 3000);
    free(out);
    free(name);
    free(dir);
    free(good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_refuses_bad_folders),
        cmocka_unit_test(test_refuses_unknown_policy),
        cmocka_unit_test(test_refuses_gil_past_the_run),
        cmocka_unit_test(test_refuses_cut_traces),
        cmocka_unit_test(test_refuses_missing_and_special_files),
        cmocka_unit_test(test_csv_shared_rules),
        cmocka_unit_test(test_refuses_runs_too_big),
        cmocka_unit_test(test_hostile_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
