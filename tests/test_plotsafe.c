/* test_plotsafe.c — plotting a run folder is as safe as reading it: names
 * and paths holding $(cmd), backticks, quotes, backslashes, newlines and
 * non-ASCII letters plot without running anything and show in the lane
 * labels; a folder that is not a run, or a damaged CSV, gets one line on
 * stderr and exit 2; gnuplot failing or missing gets one line and exit 1.
 * gilsim is started here with fork+exec and an argument vector: these
 * tests must not themselves run the names through a shell. */
#include <ctype.h>
#include "caps.h"
#include "engine/util.h"
#include "plotlib.h"


static char *nasty_dir(const char *name)
{
    char *d = join(tmpdir, name);
    assert_int_equal(mkdir(d, 0755), 0);
    char *out = join(d, "out " NASTY);
    free(d);
    return out;
}

static const char config[] =
    "name: \"cfg $(touch PWNED) `touch PWNED2` 'sq' \\\"dq\\\" b\\\\s %s @x nl\\nZo\xc3\xab\"\n"
    "machine:\n  cores: 2\nduration: 30ms\n"
    "processes:\n"
    "  - name: \"P $(touch PWNED) `touch PWNED2` 'sq' \\\"dq\\\" b\\\\s %s @x nl\\nZo\xc3\xab \xe7\xba\xbf\xe7\xa8\x8b\"\n"
    "    threads:\n"
    "      - name: \"T $(touch PWNED) `touch PWNED2` 'sq' \\\"dq\\\" b\\\\s %s @x nl\\nZo\xc3\xab \xe7\xba\xbf\xe7\xa8\x8b\"\n"
    "        program:\n"
    "          - repeat: forever\n"
    "            do:\n"
    "              - cpu: 100us\n"
    "              - io: 1ms\n";

/* gilsim run --plot: a config, process and thread named with every
 * troublesome character, into a folder whose path holds them too. */
static void test_run_plot_nasty_names(void **state)
{
    (void)state;
    char *out = nasty_dir("run"), *work = join(tmpdir, "run"), *err;
    spew_in(work, "nasty.yaml", config);
    int rc = GILSIM(work, &err, "run", "nasty.yaml", "-q", "-o", out, "--plot");
    assert_nothing_ran(work);
    assert_nothing_ran(out);
    if (rc != 0 || err[0])
        fail_msg("exit %d: %s", rc, err);
    free(err);
    static const char *const figs[] = {"timeline.png", "cores.png", "latency.png"};
    for (int i = 0; i < 3; i++)
        assert_figure(out, figs[i]);
    assert_false(exists(out, "timeline.png.part"));
    assert_false(exists(out, "asymmetry.png"));  /* one thread: nothing to compare */
    static const char *const lanes[] = {"core 0", "core 1", "P " NASTY_DAT "/T " NASTY_DAT};
    assert_lanes(out, lanes, 3);
    /* and gnuplot reads the labels back as the names themselves */
    assert_int_equal(GILSIM(work, NULL, "plot", out, "-q", "--format", "svg"), 0);
    assert_svg_shows(out, "timeline.svg", "P " NASTY_SHOWN "/T " NASTY_SHOWN);
    assert_nothing_ran(out);
    free(out);
    free(work);
}

static void test_plot_handmade_nasty_folder(void **state)
{
    (void)state;
    char *dir = nasty_dir("hand"), *err;
    make_run(dir, good_trace);
    int rc = GILSIM(tmpdir, &err, "plot", dir, "-q");
    assert_nothing_ran(dir);
    if (rc != 0 || err[0])
        fail_msg("exit %d: %s", rc, err);
    free(err);
    static const char *const figs[] = {"timeline.png", "cores.png", "latency.png", "asymmetry.png"};
    for (int i = 0; i < 4; i++)
        assert_figure(dir, figs[i]);
    static const char *const lanes[] = {
        "core 0", "core 1", "GIL P " NASTY_DAT, "P " NASTY_DAT "/T " NASTY_DAT, "P " NASTY_DAT "/U",
    };
    assert_lanes(dir, lanes, 5);
    size_t n;
    char *p = join(dir, "latency.dat"), *lat = slurp(p, &n);
    assert_near(atof(lat), 0.0001, 1e-6);        /* woken at 2 ms, Python again at 2.1 ms */
    free(lat);
    free(p);
    assert_int_equal(GILSIM(tmpdir, NULL, "plot", dir, "-q", "--format", "svg"), 0);
    assert_svg_shows(dir, "timeline.svg", "GIL P " NASTY_SHOWN);
    assert_svg_shows(dir, "cores.svg", "C " NASTY_SHOWN);
    assert_svg_shows(dir, "asymmetry.svg", "T " NASTY_SHOWN);
    assert_nothing_ran(dir);
    free(dir);
}

/* gnuplot reads a file name starting with '<' as a command to run, and
 * writes to one starting with '|' through a command: relative run folders
 * named so are still folders. */
static void test_plot_relative_pipe_names(void **state)
{
    (void)state;
    static const char *const names[] = {"<touch PWNED #", "|touch PWNED2 #"};
    char *work = join(tmpdir, "rel"), *err;
    assert_int_equal(mkdir(work, 0755), 0);
    for (int i = 0; i < 2; i++) {
        char *dir = join(work, names[i]);
        make_run(dir, good_trace);
        int rc = GILSIM(work, &err, "plot", names[i], "-q");
        assert_nothing_ran(work);
        if (rc != 0 || err[0])
            fail_msg("%s: exit %d: %s", names[i], rc, err);
        free(err);
        assert_figure(dir, "timeline.png");
        assert_figure(dir, "asymmetry.png");
        free(dir);
    }
    free(work);
}

/* A trace whose row 5 (the header being row 1) is `row`. */
static char *trace_with(const char *row)
{
    const char *cut = strstr(good_trace, "1000000,");
    size_t head = (size_t)(cut - good_trace);
    char *t = malloc(strlen(good_trace) + strlen(row) + 1);
    assert_non_null(t);
    memcpy(t, good_trace, head);
    strcpy(t + head, row);
    strcat(t, cut);
    return t;
}

static void test_plot_refuses_bad_folders(void **state)
{
    (void)state;
    char *d = join(tmpdir, "missing");
    expect_bad(d, "missing: cannot open the run folder");
    free(d);
    d = join(tmpdir, "empty");
    assert_int_equal(mkdir(d, 0755), 0);
    expect_bad(d, "empty/summary.csv: cannot read");
    free(d);
    d = join(tmpdir, "garbage");
    make_run(d, "");
    char junk[4096], *t;
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)((x = x * 1103515245u + 12345u) >> 16);
    t = join(d, "trace.csv");
    spew(t, junk, sizeof junk);
    expect_bad(d, "garbage/trace.csv:");
    spew(t, junk, 0);
    expect_bad(d, "garbage/trace.csv: empty file");
    free(t);
    t = join(d, "summary.csv");
    spew(t, junk, sizeof junk);
    expect_bad(d, "garbage/summary.csv:");
    free(t);
    free(d);
    /* files that never end or never open: a FIFO, and /dev/zero */
    d = join(tmpdir, "special");
    make_run(d, good_trace);
    t = join(d, "trace.csv");
    unlink(t);
    assert_int_equal(mkfifo(t, 0644), 0);
    expect_bad(d, "special/trace.csv: cannot read: not a regular file");
    unlink(t);
    assert_int_equal(symlink("/dev/zero", t), 0);
    expect_bad(d, "special/trace.csv: cannot read: not a regular file");
    free(t);
    free(d);
}

static void test_plot_refuses_damaged_rows(void **state)
{
    (void)state;
    static const struct { const char *row, *want; } cases[] = {
        {"1500,P,T\n", "trace.csv:5: expected 7 fields, got 3"},
        {"1500,P,T,0,py,,0,extra\n", "trace.csv:5: expected 7 fields, got 8"},
        {"1500,P,T,0,py,\n", "trace.csv:5: expected 7 fields, got 6"},
        {"1.5e3,P,T,0,py,,0\n", "trace.csv:5: time_ns '1.5e3' is not a whole number"},
        {"500,P,T,0,py,,0\n", "trace.csv:5: time goes backwards: 500 ns after 1000 ns"},
        {"1500,P,T,0,sleeping,,0\n", "trace.csv:5: unknown event 'sleeping'"},
        {"1500,P,T,x,py,,0\n", "trace.csv:5: core 'x' is not a core number"},
        {"1500,P,T,0,py,,\n", "trace.csv:5:7: gil '' is not an interpreter number"},
        {"1500,P,T,0,py,,-1\n", "trace.csv:5:7: gil '-1' is not an interpreter number"},
        {"1500,P,T,0,py,,1.5\n", "trace.csv:5:7: gil '1.5' is not an interpreter number"},
        {"1500,P,T,0,py,,1234567890\n", "trace.csv:5:7: gil '1234567890' is not an interpreter"},
        {"1500,P,T,0,py,,1\n", "trace.csv:5:7: gil 1, but the run has one GIL per process "
                              "(summary.csv's gil_policy is not per-interpreter): only 0"},
        {"1500,\"P,T,0,py,,0\n", "trace.csv:"},
        {"99999999999999999999,P,T,0,py,,0\n", "trace.csv:5: time_ns '99999999999999999999'"},
        {"1500,Q,T,0,py,,0\n", "trace.csv:5: thread 'T' of process 'Q' is not in threads.csv"},
        {"1500," PROC "," THR ",2,py,,0\n", "trace.csv:5: core 2, but the run has 2 cores"},
        {"1500," PROC "," THR ",0,task_run,Task-9,0\n",
         "trace.csv:5: no task of that name was created on this thread's loop"},
        {"1500," PROC "," THR ",0,task_create,Task-1,0\n1500," PROC "," THR
         ",0,task_create,Task-1,0\n",
         "trace.csv:6: task_create: this thread's loop already has a task of that name"},
    };
    char name[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(name, sizeof name, "damaged-%zu", i);
        char *d = join(tmpdir, name), *t = trace_with(cases[i].row);
        make_run(d, t);
        expect_bad(d, cases[i].want);
        free(t);
        free(d);
    }
    /* a wrong header, and a name far too long to be a trace's */
    char *d = join(tmpdir, "header");
    make_run(d, "time,process,thread,core,event,detail,gil\n0,P,T,,runnable,,0\n");
    expect_bad(d, "header/trace.csv:1: not a gilsim trace");
    free(d);
    size_t big = 200000;
    char *row = malloc(big + 32);
    strcpy(row, "1500,P,");
    memset(row + 7, 'x', big);
    strcpy(row + 7 + big, ",0,py,,0\n");
    char *t = trace_with(row);
    d = join(tmpdir, "huge");
    make_run(d, t);
    expect_bad(d, "huge/trace.csv:5:");
    free(d);
    free(t);
    free(row);
}

/* A run with a GIL per interpreter may name interpreters past 0, but not
 * past the 1000 a config can number plus one per thread (pool workers);
 * a trace from before the gil column is said to be one. */
static void test_plot_refuses_gils_the_run_cannot_have(void **state)
{
    (void)state;
    static const char per_interpreter[] =
        SUMMARY_HEAD "c,2,2,per-interpreter,5000000,4000000,0.5;0.25,1,0\n";
    char *d = join(tmpdir, "subint-ok"), *t = trace_with("1500," PROC "," THR ",0,gil_drop,io,0\n"
                                                            "1500," PROC "," THR ",0,gil_take,same,1002\n"
                                                            "1500," PROC "," THR ",0,gil_drop,io,1002\n");
    make_run(d, t);
    spew_in(d, "summary.csv", per_interpreter);
    char *err;
    int rc = GILSIM(tmpdir, &err, "plot", d, "-q");
    if (rc != 0 || err[0])
        fail_msg("interpreter 1002 of a 2-thread run: exit %d: %s", rc, err);
    free(err);
    free(t);
    free(d);
    d = join(tmpdir, "subint-past");
    t = trace_with("1500," PROC "," THR ",0,py,,1003\n");
    make_run(d, t);
    spew_in(d, "summary.csv", per_interpreter);
    expect_bad(d, "trace.csv:5:7: gil 1003: more interpreters than the run could have (at most "
                  "1000 configured, then one per pool worker of its 2 threads)");
    free(t);
    free(d);
    d = join(tmpdir, "subint-many");
    t = trace_with("1500," PROC "," THR ",0,gil_take,same,1\n1500," PROC "," THR ",0,gil_drop,io,1\n"
                   "1500," PROC "," THR ",0,gil_take,same,2\n1500," PROC "," THR ",0,gil_take,same,3\n");
    make_run(d, t);
    spew_in(d, "summary.csv", per_interpreter);
    expect_bad(d, "trace.csv:8: more interpreter GILs than threads (threads.csv)");
    free(t);
    free(d);
    d = join(tmpdir, "older");
    make_run(d, "time_ns,process,thread,core,event,detail\n0,P,T,,runnable,start\n");
    expect_bad(d, "older/trace.csv:1: written by an older gilsim (no `gil` column): run the "
                  "config again");
    free(d);
}

/* summary.csv and threads.csv rows the timeline needs: refused with one
 * line naming the file, row and column. */
static void test_plot_refuses_damaged_summaries(void **state)
{
    (void)state;
    static const struct { const char *file, *text, *want; } cases[] = {
        {"summary.csv", SUMMARY_HEAD "c,0,1,new,5000000,4000000,0.5,1,0\n",
         "summary.csv:2: cores is not a core count from 1 to 1024"},
        {"summary.csv", SUMMARY_HEAD "c,1025,1,new,5000000,4000000,0.5,1,0\n",
         "summary.csv:2: cores is not a core count"},
        {"summary.csv", SUMMARY_HEAD "c,2,1,new,5ms,4000000,0.5,1,0\n",
         "summary.csv:2: switch_interval_ns is not a whole number"},
        {"summary.csv", SUMMARY_HEAD "c,2,1,new,5000000,4000000,0.5,1,-1\n",
         "summary.csv:2: gil_drop_requests is not a whole number"},
        {"summary.csv", "config,cores,threads,gil_policy,switch_interval_ns,makespan_ns,"
                        "core_util,jain_min\nc,2,1,new,5000000,4000000,0.5,1\n",
         "summary.csv:2: no column gil_drop_requests"},
        {"summary.csv", SUMMARY_HEAD "c,2,1,new,5000000,4e6,0.5,1,0\n",
         "summary.csv:2: makespan_ns is not a positive whole number"},
        {"summary.csv", SUMMARY_HEAD "c,2,1,bogus,5000000,4000000,0.5,1,0\n",
         "summary.csv:2: gil_policy: no GIL policy is called 'bogus'"},
        {"threads.csv", "process,thread,work_share,group_size\nP,T,1,1\n",
         "threads.csv:2: no column group"},
    };
    char name[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(name, sizeof name, "summary-%zu", i);
        char *d = join(tmpdir, name);
        make_run(d, good_trace);
        spew_in(d, cases[i].file, cases[i].text);
        expect_bad(d, cases[i].want);
        free(d);
    }
}

/* A threads.csv or trace.csv beyond what gilsim runs (THREADS_MAX
 * threads, 100000 tasks) is refused, not tracked. */
static void test_plot_refuses_oversized_runs(void **state)
{
    (void)state;
    size_t cap = (size_t)(THREADS_MAX + 2) * 64, n;
    char *text = malloc(cap), *d = join(tmpdir, "too-many-threads");
    make_run(d, good_trace);
    n = (size_t)sprintf(text, THREADS_HEAD);
    for (int i = 0; i <= THREADS_MAX && n < cap - 64; i++)
        n += (size_t)sprintf(text + n, "P,t%d,g," STATES_NONE ",0,%d\n", i, THREADS_MAX + 1);
    assert_true(n < cap - 64);
    spew_in(d, "threads.csv", text);
    char want[96];
    snprintf(want, sizeof want, "threads.csv:%d: more than %d threads", THREADS_MAX + 2,
             THREADS_MAX);
    expect_bad(d, want);
    free(d);
    d = join(tmpdir, "too-many-tasks");
    make_run(d, "");
    spew_in(d, "threads.csv", THREADS_HEAD "P,T,g," STATES_NONE ",1,1\n");
    n = (size_t)sprintf(text, "time_ns,process,thread,core,event,detail,gil\n");
    for (int i = 0; i <= 100000 && n < cap - 64; i++)
        n += (size_t)sprintf(text + n, "%d,P,T,0,task_create,Task-%d,0\n", i, i);
    assert_true(n < cap - 64);
    spew_in(d, "trace.csv", text);
    expect_bad(d, "trace.csv:100002: more than 100000 tasks");
    free(d);
    free(text);
}

/* A trace cut after any of its rows, or not the run's, is refused by
 * its state times against threads.csv, also when a zoom's window ends
 * before the cut; a real run's trace cut short too. */
static void test_plot_refuses_cut_trace(void **state)
{
    (void)state;
    char name[32];
    const char *row = strchr(good_trace, '\n') + 1;
    for (int k = 0; (row = strchr(row, '\n')) != NULL && row[1]; k++) {
        if (!isdigit((unsigned char)*++row))
            continue;                              /* a newline inside a name */
        snprintf(name, sizeof name, "cut-%d", k);
        char *d = join(tmpdir, name), *t = strndup(good_trace, (size_t)(row - good_trace));
        make_run(d, t);
        expect_bad(d, "trace.csv: thread 'T ");
        expect_bad(d, "the trace is cut short, or not this run's");
        char *err;
        assert_int_equal(GILSIM(tmpdir, &err, "plot", d, "--to", "1ms"), 2);
        assert_one_line(err, "the trace is cut short");
        free(err);
        free(t);
        free(d);
    }
    char *d = join(tmpdir, "edited");
    make_run(d, good_trace);
    spew_in(d, "threads.csv", THREADS_HEAD "\"P " NASTY_CSV "\",\"T " NASTY_CSV "\",g,"
            "101000,2899001,0,0,0,1000000,0,4000000,1,1\n");
    expect_bad(d, "is py for 2899000 ns in it, but 2899001 ns in threads.csv");
    free(d);
    d = join(tmpdir, "ten-rows");            /* rows of one name: their sums, no overflow */
    make_run(d, good_trace);
    char rows[4096] = THREADS_HEAD;
    for (int i = 0; i < 10; i++)
        strcat(rows, "P,T,g,999999999999999999,0,0,0,0,0,0,1,1,1\n");
    spew_in(d, "threads.csv", rows);
    spew_in(d, "trace.csv", "time_ns,process,thread,core,event,detail,gil\n"
                            "0,P,T,,runnable,start,0\n1000,P,T,,done,,0\n");
    expect_bad(d, "is runnable for 1000 ns in it, but 9223372036854775807 ns in threads.csv");
    free(d);
    d = join(tmpdir, "unfinished");
    make_run(d, good_trace);
    spew_in(d, "threads.csv", THREADS_HEAD "\"P " NASTY_CSV "\",\"T " NASTY_CSV "\",g,"
            "101000,2899000,0,0,0,1000000,0,,1,1\n");
    expect_bad(d, "finishes in it, but not in threads.csv");
    free(d);
    /* the review's case: the first 199 rows of a convoy run's trace */
    char *cfg = join(home, "configs/convoy.yaml"), *err;
    d = join(tmpdir, "convoy");
    assert_int_equal(GILSIM(tmpdir, NULL, "run", cfg, "-q", "-o", d), 0);
    size_t len;
    char *path = join(d, "trace.csv"), *text = slurp(path, &len), *end = text;
    for (int i = 0; i < 200; i++)
        end = strchr(end, '\n') + 1;
    spew(path, text, (size_t)(end - text));
    assert_int_equal(GILSIM(tmpdir, &err, "plot", d), 2);
    assert_one_line(err, "thread 'io' of process 'app' is runnable for ");
    free(err);
    free(text);
    free(path);
    free(d);
    free(cfg);
}

/* gnuplot failing (a broken script) and missing (no gnuplot on PATH):
 * one line naming the script or gnuplot, exit 1, no figure left. */
static void test_plot_gnuplot_fails(void **state)
{
    (void)state;
    char *dir = join(tmpdir, "gp");
    make_run(dir, good_trace);
    char *fake = join(tmpdir, "fake"), *fplots = join(fake, "plots");
    assert_int_equal(mkdir(fake, 0755), 0);
    assert_int_equal(mkdir(fplots, 0755), 0);
    spew_in(fplots, "timeline.gp", "set output ARG4\nplot no_such_variable\n");
    char *err, *datadir = text_printf("GILSIM_DATADIR=%s", fake);
    char *path = text_printf("PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    char *const scripts[] = {datadir, path, NULL};
    int rc = gilsim_env(tmpdir, scripts, &err, (const char *const[]){bin, "plot", dir, NULL});
    assert_int_equal(rc, 1);
    assert_one_line(err, "timeline.gp: gnuplot failed: ");
    assert_one_line(err, "undefined variable: no_such_variable");
    free(err);
    free(datadir);
    free(path);
    assert_false(exists(dir, "timeline.png"));
    assert_false(exists(dir, "timeline.png.part"));
    char *const env[] = {"PATH=/nonexistent", NULL};
    rc = gilsim_env(tmpdir, env, &err, (const char *const[]){bin, "plot", dir, NULL});
    assert_int_equal(rc, 1);
    assert_one_line(err, "gnuplot not found");
    free(err);
    assert_false(exists(dir, "timeline.png"));
    free(fplots);
    free(fake);
    free(dir);
}

/* A hand-made folder of n threads, thread i in process "p<i % nprocs>"
 * and group "g<i % groups>", each holding its GIL on core 0 a while. */
static void make_threads(const char *dir, int n, int nprocs, int groups)
{
    size_t cap = 4 << 20, len;
    char *text = malloc(cap);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(text, cap, SUMMARY_HEAD "c,2,%d,new,5000000,4000000,0.5;0.25,1,0\n", n);
    spew_in(dir, "summary.csv", text);
    len = (size_t)sprintf(text, THREADS_HEAD);
    for (int i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "p%d,t%d,g%d,0,900,0,0,0,0,0,%d,0,%d\n",
                               i % nprocs, i, i % groups, 1000 * i + 900, n);
    spew_in(dir, "threads.csv", text);
    len = (size_t)sprintf(text, "time_ns,process,thread,core,event,detail,gil\n");
    for (int i = 0; i < n; i++) {
        int t = 1000 * i, p = i % nprocs;
        len += (size_t)sprintf(text + len, "%d,p%d,t%d,0,py,,0\n%d,p%d,t%d,0,gil_take,switch,0\n"
                               "%d,p%d,t%d,,gil_drop,exit,0\n%d,p%d,t%d,,done,,0\n",
                               t, p, i, t, p, i, t + 900, p, i, t + 900, p, i);
    }
    assert_true(len < cap);
    spew_in(dir, "trace.csv", text);
    free(text);
}

/* Past 64 threads, a lane per thread group (threads.csv's group, in its
 * process); past 64 groups, a lane per group name, the 64th holding the
 * rest; every figure drawn, nothing said on stderr. */
static void test_plot_many_threads(void **state)
{
    (void)state;
    static const struct {
        int n, procs, groups;
        const char *const lanes[8];
        int nlanes, repeat;      /* repeat: more lanes than colours, the key says so */
    } cases[] = {
        {64, 1, 64, {"core 0", "core 1", "GIL p0", "p0/t0"}, 67, 1},
        {600, 1, 2, {"core 0", "core 1", "GIL p0", "p0/g0 (300 threads)", "p0/g1 (300 threads)"},
         5, 0},
        {100, 100, 1, {"core 0", "core 1", "g0 (100 threads)"}, 3, 0},
        {100, 1, 100, {"core 0", "core 1", "GIL p0", "g0 (1 thread)"}, 67, 1},
    };
    char name[32];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        snprintf(name, sizeof name, "many-%zu", c);
        char *dir = join(tmpdir, name), *err;
        make_threads(dir, cases[c].n, cases[c].procs, cases[c].groups);
        int rc = GILSIM(tmpdir, &err, "plot", dir, "-q");
        if (rc != 0 || err[0])
            fail_msg("%s: exit %d: %s", name, rc, err);
        free(err);
        assert_figure(dir, "timeline.png");
        size_t len;
        char *p = join(dir, "timeline.dat"), *dat = slurp(p, &len), *line = dat;
        int lanes = 0;
        assert_int_equal(strstr(dat, "\tcolours repeat every 9 lanes: a box wide enough shows "
                                     "its name\n") != NULL, cases[c].repeat);
        for (char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
            *nl = '\0';
            if (strncmp(line, "L\t", 2) != 0)
                continue;
            const char *label = line;
            for (int tabs = 0; tabs < 4; tabs++)
                label = strchr(label, '\t') + 1;
            if (lanes < 8 && cases[c].lanes[lanes])
                assert_string_equal(label, cases[c].lanes[lanes]);
            if (lanes == 66 && c == 3)
                assert_string_equal(label, "37 other groups (37 threads)");
            lanes++;
        }
        assert_int_equal(lanes, cases[c].nlanes);
        free(dat);
        free(p);
        free(dir);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_plot_nasty_names),
        cmocka_unit_test(test_plot_handmade_nasty_folder),
        cmocka_unit_test(test_plot_relative_pipe_names),
        cmocka_unit_test(test_plot_refuses_bad_folders),
        cmocka_unit_test(test_plot_refuses_damaged_rows),
        cmocka_unit_test(test_plot_refuses_gils_the_run_cannot_have),
        cmocka_unit_test(test_plot_refuses_cut_trace),
        cmocka_unit_test(test_plot_gnuplot_fails),
        cmocka_unit_test(test_plot_refuses_damaged_summaries),
        cmocka_unit_test(test_plot_refuses_oversized_runs),
        cmocka_unit_test(test_plot_many_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
