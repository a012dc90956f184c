/* test_sweep.c — sweeps on many workers, stopped and resumed, and spread
 * over machines: the table is the same whichever way its runs were made,
 * a stopped sweep keeps its rows, and rows handed back (a worker's, a
 * stranger's partial table or point) are read as untrusted input.  Their
 * summary over seeds, figure, ranges and reader: test_sweep_tables.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include "clilib.h"
#include "columns.h"
#include "sweep.h"
#include "cli/sweep_table.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "sweep");
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

static int gilsim(const char *args, char **out, char **err)
{
    return gilsim_cmd(tmpdir, args, out, err);
}

/* The next comma outside quotes at or after s (a quote toggles: "" inside
 * a quoted field toggles twice), or NULL at the line's end. */
static const char *next_comma(const char *s)
{
    int quoted = 0;
    for (; *s && (quoted || *s != '\n'); s++) {
        if (*s == '"')
            quoted = !quoted;
        else if (*s == ',' && !quoted)
            return s;
    }
    return NULL;
}

/* text with field k (not the last) of every line taken out: wall_s, the
 * one field that differs between two sweeps of the same runs. */
static char *without_field(const char *text, int k)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    for (const char *line = text; *line;) {
        const char *from = line, *to;
        for (int i = 0; i < k; i++)
            from = next_comma(from) + 1;
        to = next_comma(from);
        assert_non_null(to);
        const char *end = to;
        int quoted = 0;
        for (; *end && (quoted || *end != '\n'); end++)
            quoted ^= *end == '"';
        end += *end == '\n';
        memcpy(o, line, (size_t)(from - line));
        o += from - line;
        size_t tail = (size_t)(end - to) - 1;
        memcpy(o, to + 1, tail);
        o += tail;
        line = end;
    }
    *o = '\0';
    return out;
}

/* The position of column name in the header line of text. */
static int column_of(const char *text, const char *name)
{
    int k = 0;
    size_t n = strlen(name);
    for (const char *c = text; *c && *c != '\n'; c++) {
        if ((c == text || c[-1] == ',') && c[0] == '"' && !strncmp(c + 1, name, n) && c[n + 1] == '"')
            return k;
        if ((c == text || c[-1] == ',') && !strncmp(c, name, n) && (c[n] == ',' || c[n] == '\n'))
            return k;
        k += *c == ',';
    }
    fail_msg("no column %s", name);
    return -1;
}

/* Two sweep tables are the same but for wall_s. */
static void assert_same_table(const char *a, const char *b)
{
    char *x = slurp_in(tmpdir, a), *y = slurp_in(tmpdir, b);
    int k = column_of(x, "wall_s");
    char *sx = without_field(x, k), *sy = without_field(y, k);
    assert_string_equal(sx, sy);
    free(sx);
    free(sy);
    free(x);
    free(y);
}

#define SWEEP_ARGS "sweep configs/producer_consumer.yaml -q --seeds 5 --vary machine.cores=1,2"

/* Runs handed to three workers finish in any order; their rows enter the
 * table in run order, marks and group finishes under the same columns,
 * so the table is the serial one byte for byte (but for wall_s). */
static void test_sweep_jobs_give_the_serial_table(void **state)
{
    (void)state;
    char args[900];
    snprintf(args, sizeof args, SWEEP_ARGS " --jobs 1 -o '%s/one'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(args, sizeof args, SWEEP_ARGS " --jobs 3 -o '%s/three'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    assert_same_table("one/sweep.csv", "three/sweep.csv");
    char *t = slurp_in(tmpdir, "one/sweep.csv");
    assert_non_null(strstr(t, "\"mark:"));
    assert_non_null(strstr(t, "\"finished:"));
    free(t);
}

/* The lines of text numbered in keep (1: the header), as one string. */
static char *lines_of(const char *text, const int *keep, int n)
{
    char *out = calloc(strlen(text) + 1, 1);
    int line = 1;
    for (const char *c = text; *c; line++) {
        const char *end = strchr(c, '\n') + 1;
        for (int i = 0; i < n; i++)
            if (keep[i] == line)
                strncat(out, c, (size_t)(end - c));
        c = end;
    }
    return out;
}

/* A partial table of runs 2, 3 and 7 (with gaps before, between and
 * after them): --resume runs the seven others, serially or on workers,
 * and the table is the one of an uninterrupted sweep. */
static void test_sweep_resume_runs_what_the_partial_lacks(void **state)
{
    (void)state;
    char args[900], *out = NULL;
    snprintf(args, sizeof args, SWEEP_ARGS " --jobs 1 -o '%s/whole'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    char *whole = slurp_in(tmpdir, "whole/sweep.csv");
    static const int keep[] = {1, 3, 4, 8};
    char *partial = lines_of(whole, keep, 4);
    for (int jobs = 1; jobs <= 2; jobs++) {
        char dir[300], name[400];
        snprintf(dir, sizeof dir, "%s/resumed%d", tmpdir, jobs);
        mkdir(dir, 0755);
        free(put_file_in(dir, "sweep-partial.csv", partial));
        snprintf(args, sizeof args, "sweep configs/producer_consumer.yaml --seeds 5 "
                 "--vary machine.cores=1,2 --resume --jobs %d -o '%s'", jobs, dir);
        assert_int_equal(gilsim(args, &out, NULL), 0);
        assert_non_null(strstr(out, "7 runs in"));
        assert_non_null(strstr(out, "(and 3 resumed)"));
        free(out);
        snprintf(name, sizeof name, "resumed%d/sweep.csv", jobs);
        assert_same_table("whole/sweep.csv", name);
        snprintf(name, sizeof name, "%s/sweep-partial.csv", dir);
        assert_false(path_exists(name));
    }
    free(partial);
    free(whole);
}

/* One partial table handed to --resume and what it must say. */
typedef struct bad_partial {
    const char *what;
    const char *said;
} bad_partial_t;

/* A partial table is a stranger's file: one that is not this sweep's is
 * refused with one line naming it and the row, exit 2, and no table. */
static void test_sweep_resume_refuses_a_partial_not_of_this_sweep(void **state)
{
    (void)state;
    char args[900], *err = NULL;
    snprintf(args, sizeof args, SWEEP_ARGS " --jobs 1 -o '%s/base'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    char *whole = slurp_in(tmpdir, "base/sweep.csv");
    const char *row2 = strchr(strchr(whole, '\n') + 1, '\n') + 1;   /* run 2's line */
    size_t headlen = (size_t)(strchr(whole, '\n') + 1 - whole);
    size_t row1len = (size_t)(row2 - whole) - headlen;
    char *head = strndup(whole, headlen), *row1 = strndup(whole + headlen, row1len);
    char cases[9][8192];
    /* run 1's values given as run 6's (cores 2, not 1) */
    snprintf(cases[0], sizeof cases[0], "%s6%s", head, row1 + 1);
    snprintf(cases[1], sizeof cases[1], "%s99%s", head, row1 + 1);
    snprintf(cases[2], sizeof cases[2], "%s%s%s", head, row1, row1);
    snprintf(cases[3], sizeof cases[3], "runs%s%s", head + 3, row1);
    snprintf(cases[4], sizeof cases[4], "%s%.*s\r\n", head, (int)row1len - 1, row1);
    snprintf(cases[5], sizeof cases[5], "%s1,\"1\",\"x\"\n", head);
    snprintf(cases[6], sizeof cases[6], "%s\n%s", head, row1);          /* a blank line */
    snprintf(cases[7], sizeof cases[7], "%s %s", head, row1);           /* " 1," */
    snprintf(cases[8], sizeof cases[8], "%s1,1%s", head, row1 + 5);     /* 1 for "1" */
    const bad_partial_t bad[] = {
        {cases[0], "row 2: run 6 has machine.cores=1 where this sweep gives it 2"},
        {cases[1], "row 2: run 99 is not a run of this sweep (1 to 10)"},
        {cases[2], "run 1 is there twice"},
        {cases[3], "row 1: column 1 is runs where a table of this sweep has run"},
        {cases[4], "carriage return"},
        {cases[5], "row 2: 3 fields where the header has"},
        {cases[6], "row 2: run is not written as gilsim writes it"},
        {cases[7], "row 2: run is not written as gilsim writes it"},
        {cases[8], "row 2: machine.cores is not written as gilsim writes it"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char dir[300], p[400];
        snprintf(dir, sizeof dir, "%s/bad%zu", tmpdir, i);
        mkdir(dir, 0755);
        free(put_file_in(dir, "sweep-partial.csv", bad[i].what));
        snprintf(args, sizeof args, SWEEP_ARGS " --resume -o '%s'", dir);
        assert_int_equal(gilsim(args, NULL, &err), 2);
        if (!strstr(err, bad[i].said))
            fail_msg("case %zu said: %s", i, err);
        assert_non_null(strstr(err, "sweep-partial.csv"));
        assert_int_equal(strchr(err, '\n') - err, (long)strlen(err) - 1);   /* one line */
        snprintf(p, sizeof p, "%s/sweep.csv", dir);
        assert_false(path_exists(p));
        free(err);
    }
    snprintf(args, sizeof args, SWEEP_ARGS " --resume -o '%s/none'", tmpdir);
    assert_int_equal(gilsim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "no sweep was stopped in this folder"));
    free(err);
    char fifo[400];                          /* a FIFO would hang a read: refused */
    snprintf(fifo, sizeof fifo, "%s/fifo", tmpdir);
    mkdir(fifo, 0755);
    snprintf(fifo, sizeof fifo, "%s/fifo/sweep-partial.csv", tmpdir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(args, sizeof args, SWEEP_ARGS " --resume -o '%s/fifo'", tmpdir);
    assert_int_equal(gilsim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "sweep-partial.csv: not a regular file"));
    free(err);
    free(head);
    free(row1);
    free(whole);
}

/* Stopped (by SIGTERM: a shell's background job ignores Ctrl-C's SIGINT)
 * while run 2 (10^6 s simulated: hours of wall time) is on one worker and
 * the other worker has done runs 1 and 3 (10 ms each, a few ms of wall
 * time: 2 s is hundreds of times that): the sweep exits 143 and keeps
 * runs 1 and 3, in order, in sweep-partial.csv; no sweep.csv. */
static void test_sweep_interrupted_keeps_the_rows_done(void **state)
{
    (void)state;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "%s sweep tests/bench/gil16.yaml -q --jobs 2 "
             "--vary duration=10ms,1000000s,10ms -o '%s/stopped' 2>'%s/stopped.err' & "
             "sleep 2; kill -TERM $!; wait $!", gilsim_bin(), tmpdir, tmpdir);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 143);
    char *err = slurp_in(tmpdir, "stopped.err"), *part = slurp_in(tmpdir, "stopped/sweep-partial.csv");
    assert_non_null(strstr(err, "interrupted by SIGTERM after 2 of 3 runs"));
    assert_non_null(strstr(err, "--resume runs the other 1"));
    const char *r1 = strchr(part, '\n') + 1, *r3 = strchr(r1, '\n') + 1;
    assert_true(!strncmp(r1, "1,\"10ms\",", 9));
    assert_true(!strncmp(r3, "3,\"10ms\",", 9));
    assert_string_equal(strchr(r3, '\n'), "\n");
    char p[400];
    snprintf(p, sizeof p, "%s/stopped/sweep.csv", tmpdir);
    assert_false(path_exists(p));
    free(err);
    free(part);
}

#define POINTS_ARGS "sweep configs/cpu_threads.yaml --seeds 3 --vary machine.cores=1:2:+1 " \
    "--vary 'processes.0.threads.0.program.0.do.0.cpu=normal(1ms, 100us),exp(1ms)' " \
    "--set \"name=it's points\" --set duration=200ms"

/* The points of a sweep as GNU parallel runs them (two job slots here,
 * hosts with --sshloginfile), then collected: the table of a local sweep
 * of the same runs.  The commands quote what the shell would split. */
static void test_sweep_points_run_by_parallel_collect_to_the_local_table(void **state)
{
    (void)state;
    char args[1200], *out = NULL;
    snprintf(args, sizeof args, POINTS_ARGS " -q -o '%s/local'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(args, sizeof args, POINTS_ARGS " -o '%s/spread' --emit-jobs '%s/jobs.txt'", tmpdir,
             tmpdir);
    assert_int_equal(gilsim(args, &out, NULL), 0);
    assert_non_null(strstr(out, "12 points"));
    free(out);
    char *jobs = slurp_in(tmpdir, "jobs.txt");
    int lines = 0;
    for (const char *c = jobs; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 12);
    assert_non_null(strstr(jobs, "'name=it'\\''s points'"));
    free(jobs);
    snprintf(args, sizeof args, "cd / && parallel --jobs 2 < '%s/jobs.txt'", tmpdir);
    assert_int_equal(system(args), 0);
    snprintf(args, sizeof args, "sweep --collect '%s/spread'", tmpdir);
    assert_int_equal(gilsim(args, &out, NULL), 0);
    assert_non_null(strstr(out, "12 points collected"));
    free(out);
    assert_same_table("local/sweep.csv", "spread/sweep.csv");
}

/* A Slurm job array of at most 1000 tasks: 1001 points make 501 tasks
 * of two.  Tasks 1 and 501 run (as sbatch would, with their index in
 * SLURM_ARRAY_TASK_ID): points 1, 2 and 1001 are there, and collect
 * lists the others as missing, writing no table. */
static void test_sweep_slurm_tasks_share_the_points(void **state)
{
    (void)state;
    char args[1200], *err = NULL, p[400];
    snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml --seeds 1001 --set duration=1ms "
             "-q -o '%s/array' --emit-slurm '%s/array.sh'", tmpdir, tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    char *script = slurp_in(tmpdir, "array.sh");
    assert_non_null(strstr(script, "\n#SBATCH --array=1-501\n"));
    assert_non_null(strstr(script, "\nper=2\n"));
    free(script);
    for (int task = 1; task <= 501; task += 500) {
        snprintf(args, sizeof args, "cd / && SLURM_ARRAY_TASK_ID=%d sh '%s/array.sh'", task,
                 tmpdir);
        assert_int_equal(system(args), 0);
    }
    static const struct { long point; int there; } points[] = {
        {1, 1}, {2, 1}, {3, 0}, {1000, 0}, {1001, 1}};
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
        snprintf(p, sizeof p, "%s/array/points/%ld.csv", tmpdir, points[i].point);
        assert_int_equal(path_exists(p), points[i].there);
    }
    snprintf(args, sizeof args, "sweep --collect '%s/array'", tmpdir);
    assert_int_equal(gilsim(args, NULL, &err), 1);
    assert_non_null(strstr(err, "998 of 1001 points have no file in"));
    assert_non_null(strstr(err, ": 3-1000; no sweep.csv written"));
    free(err);
    snprintf(p, sizeof p, "%s/array/sweep.csv", tmpdir);
    assert_false(path_exists(p));
}

/* A point's file is a stranger's: one not of this sweep, or not of its
 * point, is refused with one line naming it, exit 2; a folder with no
 * index says how one is made. */
static void test_sweep_collect_refuses_what_is_not_its_point(void **state)
{
    (void)state;
    char args[1200], *err = NULL, dir[300];
    snprintf(dir, sizeof dir, "%s/foreign", tmpdir);
    snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml --vary machine.cores=1,2 -q "
             "--set duration=10ms -o '%s' --emit-jobs '%s/f.txt'", dir, tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    for (int n = 1; n <= 2; n++) {
        snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml --vary machine.cores=1,2 "
                 "--set duration=10ms -o '%s' --point %d", dir, n);
        assert_int_equal(gilsim(args, NULL, NULL), 0);
    }
    char *two = slurp_in(tmpdir, "foreign/points/2.csv");
    static const struct { const char *from, *to, *said; } bad[] = {
        {"2,\"2\"", "1,\"2\"", "points/1.csv: row 2: run 1 has machine.cores=2 where this "
                               "sweep gives it 1"},
        {"2,\"2\"", "2,\"2\"", "points/1.csv: not point 1's one row"},
        {"\n2,", "\r\n2,", "points/1.csv: row 1: a line that ends in a carriage return"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *text = malloc(strlen(two) + 8), *at = strstr(two, bad[i].from);
        assert_non_null(at);
        sprintf(text, "%.*s%s%s", (int)(at - two), two, bad[i].to, at + strlen(bad[i].from));
        char pdir[400];
        snprintf(pdir, sizeof pdir, "%s/points", dir);
        free(put_file_in(pdir, "1.csv", text));
        free(text);
        snprintf(args, sizeof args, "sweep --collect '%s'", dir);
        assert_int_equal(gilsim(args, NULL, &err), 2);
        if (!strstr(err, bad[i].said))
            fail_msg("case %zu said: %s", i, err);
        assert_int_equal(strchr(err, '\n') - err, (long)strlen(err) - 1);
        free(err);
    }
    free(two);
    /* an index cut short after point 1, with point 2's file there */
    char *index = slurp_in(tmpdir, "foreign/points/index.csv");
    *strchr(strchr(index, '\n') + 1, '\n') = '\0';
    char pdir[400];
    snprintf(pdir, sizeof pdir, "%s/points", dir);
    snprintf(args, sizeof args, "%s\n", index);
    free(put_file_in(pdir, "index.csv", args));
    free(index);
    snprintf(args, sizeof args, "sweep --collect '%s'", dir);
    assert_int_equal(gilsim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "index.csv ends at point 1, but"));
    free(err);
    snprintf(args, sizeof args, "sweep --collect '%s/nothing'", tmpdir);
    assert_int_equal(gilsim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "gilsim sweep --emit-jobs or --emit-slurm writes it"));
    free(err);
    snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml --vary machine.cores=1,2 "
             "-o '%s' --point 3", dir);
    assert_int_equal(gilsim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "--point 3: this sweep has 2 runs"));
    free(err);
}

/* More workers than select() could watch (their pipes pass FD_SETSIZE,
 * 1024): the sweep ends, its table whole.  Skipped where the limit on
 * open files cannot be raised past it. */
static void test_sweep_on_a_thousand_workers(void **state)
{
    (void)state;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ulimit -n 4096 2>/dev/null || exit 77; timeout 300 %s sweep "
             "configs/cpu_threads.yaml -q --jobs 1024 --seeds 1030 --set duration=1ms "
             "-o '%s/many'", gilsim_bin(), tmpdir);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    if (WEXITSTATUS(st) == 77)
        skip();
    assert_int_equal(WEXITSTATUS(st), 0);
    char *t = slurp_in(tmpdir, "many/sweep.csv");
    int lines = 0;
    for (const char *c = t; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1031);
    free(t);
}

/* The sweep's own options, misused: exit 2 with one line naming why,
 * nothing run. */
static void test_sweep_usage_errors(void **state)
{
    (void)state;
    static const struct { const char *args, *said; } bad[] = {
        {"sweep configs/cpu_threads.yaml --seeds 2 --jobs 0", "--jobs '0': expected a count"},
        {"sweep configs/cpu_threads.yaml --seeds 2 --point 0", "--point '0': expected a run"},
        {"sweep configs/cpu_threads.yaml --seeds 2 --point 1 --resume", "give one"},
        {"sweep configs/cpu_threads.yaml --seeds 2 --emit-jobs /nonexistent/j --plot makespan_ns",
         "--plot draws a sweep's table"},
        {"sweep --collect x --seeds 2", "--collect DIR takes the sweep from"},
        {"sweep --collect x configs/cpu_threads.yaml", "--collect DIR needs no CONFIG"},
        {"run configs/cpu_threads.yaml --jobs 2", "belong to 'gilsim sweep'"},
        {"sweep configs/cpu_threads.yaml --seeds 2 --set 'name=a\nb' --emit-jobs /nonexistent/j",   /* a line break */
         "holds a control character"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char args[600], *err = NULL;
        snprintf(args, sizeof args, "%s -o '%s/usage'", bad[i].args, tmpdir);
        assert_int_equal(gilsim(args, NULL, &err), 2);
        if (!strstr(err, bad[i].said) || strchr(err, '\n') != err + strlen(err) - 1)
            fail_msg("%s said: %s", bad[i].args, err);
        free(err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_jobs_give_the_serial_table),
        cmocka_unit_test(test_sweep_resume_runs_what_the_partial_lacks),
        cmocka_unit_test(test_sweep_resume_refuses_a_partial_not_of_this_sweep),
        cmocka_unit_test(test_sweep_interrupted_keeps_the_rows_done),
        cmocka_unit_test(test_sweep_points_run_by_parallel_collect_to_the_local_table),
        cmocka_unit_test(test_sweep_slurm_tasks_share_the_points),
        cmocka_unit_test(test_sweep_collect_refuses_what_is_not_its_point),
        cmocka_unit_test(test_sweep_on_a_thousand_workers),
        cmocka_unit_test(test_sweep_usage_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
