/* test_interp.c — issue #14, gap 9: every interpreter GIL of a process is
 * one of its own (PEP 684), and every output says which.  A configured
 * thread group's `interpreter: 1` and an InterpreterPoolExecutor worker's
 * new interpreter never share a GIL; trace.csv's gil column, trace.json's
 * GIL tracks and the timeline's GIL lanes name each interpreter's GIL;
 * summary.csv's gil_policy names the run's true GIL model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "testlib.h"
#include "clilib.h"

/* Process p0: group g in interpreter 1 (1000 × 1 ms), and main's
 * InterpreterPoolExecutor worker doing the same work in its own new
 * interpreter.  4 cores: alone on their GILs, both end at about 1 s. */
static const char pool_beside_group[] =
    "machine: {cores: 4}\n"
    "python: {gil: per-interpreter, version: \"3.14\"}\n"
    "functions:\n"
    "  work: {body: [{repeat: 1000, do: [{cpu: 1ms}]}]}\n"
    "processes:\n"
    "  - main:\n"
    "      - with_pool: interpreter\n"
    "        max_workers: 1\n"
    "        do: [{submit: work}]\n"
    "    threads:\n"
    "      - {name: g, interpreter: 1, program: [{repeat: 1000, do: [{cpu: 1ms}]}]}\n";

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "interp");
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

/* `gilsim run` of yaml into tmpdir/name, with extra options; its stdout. */
static char *run_cli(const char *name, const char *yaml, const char *options)
{
    char *cfg = put_file_in(tmpdir, "config.yaml", yaml), args[1024], *out;
    snprintf(args, sizeof args, "run '%s' -o '%s/%s' %s", cfg, tmpdir, name, options);
    assert_int_equal(gilsim_cmd(tmpdir, args, &out, NULL), 0);
    free(cfg);
    return out;
}

static table_t read_in(const char *run, const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", tmpdir, run, file);
    return read_csv(path);
}

/* The pool's worker gets interpreter 2, after the group's 1: its own GIL,
 * so the run takes 1 s, not the 2 s of sharing group g's. */
static void test_pool_worker_never_shares_a_group_gil(void **state)
{
    (void)state;
    run_t *r = run_yaml(pool_beside_group);
    const thread_t *g = thread_named(r, "g"), *w = thread_named(r, "ThreadPoolExecutor-0_0");
    assert_non_null(g);
    assert_non_null(w);
    assert_ptr_not_equal(g->gil, w->gil);
    assert_int_equal(g->gil->interp, 1);
    assert_int_equal(w->gil->interp, 2);
    assert_true(secs(r->sim.end) > 0.99 && secs(r->sim.end) < 1.1);
    run_free(r);
}

/* summary.csv's gil_policy and the printed summary name the model the
 * run has: per-interpreter, or what python.version implies. */
static void test_summary_names_the_true_policy(void **state)
{
    (void)state;
    static const struct { const char *python, *policy; } cases[] = {
        { "{gil: per-interpreter}", "per-interpreter" },
        { "{version: \"2.7\"}", "old" },
        { "{version: 3.13t}", "none" },
        { "{version: \"3.12\"}", "new" },
    };
    char yaml[256], want[64], name[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(yaml, sizeof yaml, "python: %s\nprocesses: [{threads: [{count: 2, "
                 "program: [cpu: 1ms]}]}]\n", cases[i].python);
        snprintf(name, sizeof name, "policy-%zu", i);
        char *out = run_cli(name, yaml, "--trace summary");
        snprintf(want, sizeof want, ", %s GIL,", cases[i].policy);
        if (!strstr(out, want))
            fail_msg("python: %s: no '%s' in: %.300s", cases[i].python, want, out);
        table_t s = read_in(name, "summary.csv");
        assert_string_equal(cell(&s, 1, "gil_policy"), cases[i].policy);
        table_free(&s);
        free(out);
    }
}

/* summary.csv's python_version is the version the run models, given or
 * implied, and the printed summary says how it was chosen. */
static void test_summary_names_the_version(void **state)
{
    (void)state;
    static const struct { const char *python, *version, *says; } cases[] = {
        { "{gil: old}", "3.1", "python     3.1 (implied by python.gil: old)\n" },
        { "{version: \"3.9\"}", "3.9", "python     3.9 (python.version)\n" },
        { "{gil: none}", "3.13t", "python     3.13t (implied by python.gil: none)\n" },
        { "{}", "3.11", "python     3.11 (the default)\n" },
    };
    char yaml[256], name[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(yaml, sizeof yaml, "python: %s\nprocesses: [{threads: [{count: 2, "
                 "program: [cpu: 1ms]}]}]\n", cases[i].python);
        snprintf(name, sizeof name, "version-%zu", i);
        char *out = run_cli(name, yaml, "--trace summary");
        if (!strstr(out, cases[i].says))
            fail_msg("python: %s: no '%s' in: %.400s", cases[i].python, cases[i].says, out);
        table_t s = read_in(name, "summary.csv");
        assert_string_equal(cell(&s, 1, "python_version"), cases[i].version);
        table_free(&s);
        free(out);
    }
}

/* trace.csv's last column, gil: the interpreter whose GIL a row's thread
 * takes; each thread's GIL takes name its own interpreter. */
static void test_trace_says_which_gil(void **state)
{
    (void)state;
    free(run_cli("ids", pool_beside_group, ""));
    table_t t = read_in("ids", "trace.csv");
    assert_string_equal(t.cells[t.ncols - 1], "gil");
    static const struct { const char *thread, *gil; } want[] = {
        { "MainThread", "0" }, { "g", "1" }, { "ThreadPoolExecutor-0_0", "2" },
    };
    int takes[3] = {0};
    for (int r = 1; r < t.nrows; r++)
        for (int k = 0; k < 3; k++)
            if (!strcmp(cell(&t, r, "thread"), want[k].thread)) {
                assert_string_equal(cell(&t, r, "gil"), want[k].gil);
                takes[k] += !strcmp(cell(&t, r, "event"), "gil_take");
            }
    for (int k = 0; k < 3; k++)
        assert_true(takes[k] > 0);
    table_free(&t);
}

/* trace.json: a GIL track per interpreter GIL (tid 0 the main one's),
 * each holding only its own interpreter's holders. */
static void test_perfetto_one_gil_track_per_interpreter(void **state)
{
    (void)state;
    free(run_cli("pf", pool_beside_group, "--perfetto"));
    char cmd[2048], *out;
    snprintf(cmd, sizeof cmd,
             "python3 -c \"import json,sys\n"
             "d = json.load(open(sys.argv[1]))['traceEvents']\n"
             "names = {e['tid']: e['args']['name'] for e in d if e['ph'] == 'M' and "
             "e['pid'] == 1 and e['name'] == 'thread_name'}\n"
             "held = sorted({(names[e['tid']], e['name']) for e in d if e.get('cat') == 'gil'})\n"
             "print(held)\n\" '%s/pf/trace.json' > '%s/pf/gils.txt'", tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/pf/gils.txt", tmpdir);
    out = slurp(path, &len);
    assert_string_equal(out, "[('GIL holder', 'MainThread'), "
                             "('GIL holder, interpreter 1', 'g'), "
                             "('GIL holder, interpreter 2', 'ThreadPoolExecutor-0_0')]\n");
    free(out);
}

/* The timeline: a GIL lane per interpreter GIL, labelled as summary.csv's
 * gil_by_process names them. */
static void test_timeline_one_gil_lane_per_interpreter(void **state)
{
    (void)state;
    free(run_cli("tl", pool_beside_group, "--plot"));
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/tl/timeline.dat", tmpdir);
    char *dat = slurp(path, &len);
    assert_non_null(strstr(dat, "\tGIL p0\n"));
    assert_non_null(strstr(dat, "\tGIL p0#1\n"));
    assert_non_null(strstr(dat, "\tGIL p0#2\n"));
    assert_null(strstr(dat, "\tGIL p0#3\n"));
    free(dat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_worker_never_shares_a_group_gil),
        cmocka_unit_test(test_summary_names_the_true_policy),
        cmocka_unit_test(test_summary_names_the_version),
        cmocka_unit_test(test_trace_says_which_gil),
        cmocka_unit_test(test_perfetto_one_gil_track_per_interpreter),
        cmocka_unit_test(test_timeline_one_gil_lane_per_interpreter),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
