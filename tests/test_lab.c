/* test_lab.c — the lab engine's parts, in process: lab.yaml's loader and
 * its errors (file:line:col), the variants drawn per student, templates,
 * and the formula language against run folders written here by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include "testlib.h"
#include "clilib.h"
#include "lab/lab.h"
#include "lab/roster.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "lab");
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

static lab_t tiny(void)
{
    lab_t lab;
    char err[LAB_ERR_MAX];
    if (lab_load("tests/labs", "tiny", &lab, err) != 0)
        fail_msg("tiny: %s", err);
    return lab;
}

/* ---- the loader -------------------------------------------------------- */

static void test_load_tiny(void **state)
{
    (void)state;
    lab_t lab = tiny();
    assert_string_equal(lab.title, "Tiny: CPU-bound threads take turns");
    assert_int_equal(lab.nparams, 3);
    assert_int_equal(lab.nderived, 2);
    assert_int_equal(lab.nvars, 5);
    assert_int_equal(lab.nruns, 3);
    assert_int_equal(lab.runs[2].nvary, 1);
    assert_int_equal(lab.params[1].duration, 1);
    assert_int_equal(lab.params[1].lo, 100000);
    assert_int_equal(lab.params[1].step, 100000);
    assert_int_equal(lab.params[2].kind, LAB_CHOICES);
    assert_int_equal(lab.nquestions, 6);
    assert_int_equal(lab.questions[0].kind, LAB_PREDICTION);
    assert_int_equal(lab.questions[2].nchoices, 2);
    assert_int_equal(lab.questions[5].kind, LAB_DESIGN);
    assert_int_equal(lab.questions[5].search_to, 6);
    char tol[32];
    lab_tolerance_text(&lab.questions[1], tol, sizeof tol);
    assert_string_equal(tol, "5%");
    lab_tolerance_text(&lab.questions[3], tol, sizeof tol);
    assert_string_equal(tol, "0.01");
    lab_tolerance_text(&lab.questions[2], tol, sizeof tol);
    assert_string_equal(tol, "-");
    lab_free(&lab);
}

/* key.csv's tolerance and a derived value's text are exact: the grader
 * reads the tolerance back, and a require uses the value the handout shows. */
static void test_numbers_not_rounded(void **state)
{
    (void)state;
    char *dir = join(tmpdir, "exact");
    mkdir(dir, 0755);
    free(put_file_in(dir, "lab.yaml", "title: t\nparameters:\n  d: {range: [1ms, 1ms]}\n"
                     "derived:\n  mib: \"11083776 / 1048576\"\nruns:\n  run: {template: t.yaml}\n"
                     "questions:\n  - {id: a, kind: number, prompt: p, answer: \"mib\", "
                     "tolerance: {absolute: 1234567}}\n"
                     "  - {id: b, kind: number, prompt: p, answer: \"1\", "
                     "tolerance: {relative: 0.0125}}\n"));
    free(put_file_in(dir, "t.yaml", "processes: [{name: a, main: [{cpu: {d}}]}]\n"));
    free(dir);
    lab_t lab;
    lab_variant_t v;
    char err[LAB_ERR_MAX], tol[32];
    if (lab_load(tmpdir, "exact", &lab, err) != 0)
        fail_msg("%s", err);
    lab_tolerance_text(&lab.questions[0], tol, sizeof tol);
    assert_string_equal(tol, "1234567");
    lab_tolerance_text(&lab.questions[1], tol, sizeof tol);
    assert_string_equal(tol, "1.25%");
    assert_int_equal(lab_draw(&lab, "ana", &v, err), 0);
    assert_string_equal(v.text[1], "10.5703125");
    assert_true(v.value[1] == 10.5703125);
    lab_variant_free(&v);
    lab_free(&lab);
}

/* A lab folder in tmpdir/NAME with this lab.yaml and the template
 * t.yaml; returns lab_load's status and its message. */
static int load_text(const char *name, const char *yaml, const char *tmpl, char *err)
{
    char *dir = join(tmpdir, name);
    mkdir(dir, 0755);
    free(put_file_in(dir, "lab.yaml", yaml));
    free(put_file_in(dir, "t.yaml",
                     tmpl ? tmpl : "processes: [{name: a, main: [{cpu: {d}}]}]\n"));
    free(dir);
    lab_t lab;
    int rc = lab_load(tmpdir, name, &lab, err);
    if (rc == 0)
        lab_free(&lab);
    return rc;
}

#define HEAD "title: t\nparameters:\n  d: {range: [1ms, 3ms]}\nruns:\n  run: {template: t.yaml}\n"
#define Q1 "questions:\n  - {id: a, kind: number, prompt: p, answer: \"%s\", tolerance: {absolute: 0}}\n"

static void expect_error(const char *name, const char *yaml, const char *tmpl, const char *want)
{
    char err[LAB_ERR_MAX];
    assert_int_equal(load_text(name, yaml, tmpl, err), -1);
    if (!strstr(err, want))
        fail_msg("%s: expected '%s' in: %s", name, want, err);
}

static void test_load_errors(void **state)
{
    (void)state;
    char yaml[1024];
    /* unknown key, with a suggestion, at its line:col */
    expect_error("k1", "title: t\nrunz: {}\n", NULL, "k1/lab.yaml:2:1: unknown key 'runz'");
    expect_error("k2", "title: t\nrunz: {}\n", NULL, "(did you mean 'runs'?)");
    /* a formula's syntax error, at its column in lab.yaml */
    snprintf(yaml, sizeof yaml, HEAD Q1, "run.summary.makespan_ns +* 2");
    expect_error("f1", yaml, NULL, "f1/lab.yaml:7:72: in the formula");
    /* unknown names: a run, a file, a variable */
    snprintf(yaml, sizeof yaml, HEAD Q1, "rnu.summary.makespan_ns");
    expect_error("f2", yaml, NULL, "unknown name 'rnu' (did you mean 'run'?)");
    snprintf(yaml, sizeof yaml, HEAD Q1, "run.sumary.makespan_ns");
    expect_error("f3", yaml, NULL, "(did you mean 'summary'?)");
    snprintf(yaml, sizeof yaml, HEAD Q1, "run.sweep.makespan_ns");
    expect_error("f4", yaml, NULL, "has no sweep.csv");
    snprintf(yaml, sizeof yaml, HEAD Q1, "sum(run.threads[group=x])");
    expect_error("f5", yaml, NULL, "sum needs a column");
    /* an unknown placeholder in a template, at its place in the file */
    snprintf(yaml, sizeof yaml, HEAD Q1, "d");
    expect_error("p1", yaml, "# ok\nprocesses: [{name: a, main: [{cpu: {dd}}]}]\n",
                 "p1/t.yaml:2:36: unknown placeholder {dd} (parameters: d)");
    /* a prompt's too */
    expect_error("p2", HEAD "questions:\n  - {id: a, kind: choice, prompt: \"{x}\", choices: [a],"
                 " answer: \"1\"}\n", NULL, "unknown placeholder {x}");
    /* kinds and their keys */
    expect_error("q1", HEAD "questions:\n  - {id: a, kind: number, prompt: p, answer: \"1\"}\n",
                 NULL, "missing tolerance");
    expect_error("q2", HEAD "questions:\n  - {id: a, kind: nummber, prompt: p}\n", NULL,
                 "(did you mean 'number'?)");
    expect_error("q3", HEAD "questions:\n  - {id: a, kind: choice, prompt: p, choices: [x],"
                 " answer: \"1\"}\n  - {id: a, kind: choice, prompt: p, choices: [x], answer:"
                 " \"1\"}\n", NULL, "question id 'a' is used twice");
    expect_error("d1", "title: t\nparameters:\n  d: {range: [1ms, 3]}\nruns:\n  r: {template:"
                 " t.yaml}\nquestions: []\n", NULL, "both integers or both durations");
    expect_error("d2", "title: t\nderived:\n  x: \"r.summary.makespan_ns\"\nruns:\n"
                 "  r: {template: t.yaml}\nquestions: []\n", NULL, "unknown name 'r'");
    expect_error("t1", "title: t\nruns:\n  r: {template: ../t.yaml}\nquestions: []\n", NULL,
                 "without '/'");
    expect_error("t2", "title: t\nruns:\n  r: {template: none.yaml}\nquestions: []\n", NULL,
                 "none.yaml: No such file");
    expect_error("c1", "title: t\nparameters:\n  w: {choices: [a, "
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]}\n"
                 "runs: {}\nquestions: []\n",
                 NULL, "parameter 'w': a choice longer than 63 bytes");
    expect_error("q4", HEAD "questions:\n  - {id: run, kind: design, prompt: p, start: run, "
                 "require: [\"1\"], solution: {template: t.yaml}}\n", NULL,
                 "question 'run': a design's id names its config: not a run's name");
    expect_error("g1", HEAD "figures: [{run: run, figure: timelime}]\nquestions: []\n", NULL,
                 "(did you mean 'timeline'?)");
}

static void test_unknown_lab(void **state)
{
    (void)state;
    lab_t lab;
    char err[LAB_ERR_MAX];
    assert_int_equal(lab_load("tests/labs", "nosuch", &lab, err), -1);
    assert_non_null(strstr(err, "unknown lab 'nosuch'"));
    assert_int_equal(lab_load("tests/labs", "../labs", &lab, err), -1);
    assert_non_null(strstr(err, "unknown lab '../labs'"));
}

/* ---- variants and templates -------------------------------------------- */

static void test_seed_is_fnv1a(void **state)
{
    (void)state;
    /* FNV-1a 64 of "tiny\nalice", computed independently */
    assert_true(lab_seed("tiny", "alice") == 0xa46683ce55b5a9b5ULL);
}

static void test_variants(void **state)
{
    (void)state;
    lab_t lab = tiny();
    const char *ids[3] = {"alice", "bob", "carol"};
    lab_variant_t v[3], again;
    char err[LAB_ERR_MAX];
    for (int i = 0; i < 3; i++)
        assert_int_equal(lab_draw(&lab, ids[i], &v[i], err), 0);
    /* three students, three variants */
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++) {
            int same = 1;
            for (int k = 0; k < lab.nparams; k++)
                same &= !strcmp(v[i].text[k], v[j].text[k]);
            assert_false(same);
        }
    /* stable: the id alone decides, whatever was drawn before */
    for (int i = 2; i >= 0; i--) {
        assert_int_equal(lab_draw(&lab, ids[i], &again, err), 0);
        for (int k = 0; k < lab.nvars; k++)
            assert_string_equal(again.text[k], v[i].text[k]);
        lab_variant_free(&again);
    }
    /* in range, on the step; derived from them */
    for (int i = 0; i < 3; i++) {
        assert_true(v[i].value[0] >= 2 && v[i].value[0] <= 6);
        assert_true(v[i].value[1] >= 100000 && v[i].value[1] <= 2000000);
        assert_true((long long)v[i].value[1] % 100000 == 0);
        assert_true(v[i].value[3] == 10 + v[i].value[0]);
        assert_true(v[i].value[4] == v[i].value[0] * v[i].value[3] * v[i].value[1]);
        lab_variant_free(&v[i]);
    }
    lab_free(&lab);
}

static void test_render(void **state)
{
    (void)state;
    lab_t lab = tiny();
    lab_variant_t v;
    char err[LAB_ERR_MAX];
    assert_int_equal(lab_variant_at(&lab, -1, 1, &v, err), 0);   /* all high */
    char *s = lab_render(&lab, &v, "n={n} b={burst} {cores: {cores}} {{n} {x} {n");
    assert_string_equal(s, "n=6 b=2ms {cores: 4} {{n} {x} {n");
    free(s);
    lab_variant_free(&v);
    assert_int_equal(lab_variant_at(&lab, -1, -1, &v, err), 0);  /* all low */
    s = lab_render(&lab, &v, "{burst} {cores} {reps} {total}");
    assert_string_equal(s, "100us 2 12 2400000");
    free(s);
    lab_variant_free(&v);
    lab_free(&lab);
}

/* ---- formulas ---------------------------------------------------------- */

static const char *const vars[] = {"n", "sleep"};
static const char *const runs[] = {"a", "b"};
static const unsigned char sweeps[] = {0, 1};

static lx_expr_t *parse(const char *text)
{
    lx_names_t names = {.vars = vars, .nvars = 2, .runs = runs, .nruns = 2, .sweeps = sweeps};
    char err[256];
    size_t at;
    lx_expr_t *e = lx_parse(text, &names, &at, err, sizeof err);
    if (!e)
        fail_msg("%s: %s at %zu", text, err, at);
    return e;
}

static void parse_fails(const char *text, size_t want_at, const char *want)
{
    lx_names_t names = {.vars = vars, .nvars = 2, .runs = runs, .nruns = 2, .sweeps = sweeps};
    char err[256];
    size_t at = 999;
    assert_null(lx_parse(text, &names, &at, err, sizeof err));
    if (!strstr(err, want) || at != want_at)
        fail_msg("%s: got '%s' at %zu, expected '%s' at %zu", text, err, at, want, want_at);
}

static void test_parse_errors(void **state)
{
    (void)state;
    parse_fails("1 +", 3, "ends too early");
    parse_fails("n * (2 + 3", 10, "expected ')'");
    parse_fails("n 2", 2, "unexpected '2'");
    parse_fails("n + sleeep", 4, "unknown name 'sleeep' (did you mean 'sleep'?)");
    parse_fails("3 * 15mz", 6, "unknown unit");
}

/* A run folder: summary.csv and threads.csv with a blank field. */
static void fake_runs(char *adir, char *bdir, size_t size)
{
    snprintf(adir, size, "%s/a", tmpdir);
    snprintf(bdir, size, "%s/b", tmpdir);
    mkdir(adir, 0755);
    mkdir(bdir, 0755);
    free(put_file_in(adir, "summary.csv",
                     "config,makespan_ns,\"mark:Total time\"\nx,2000000000,1.5\n"));
    free(put_file_in(adir, "threads.csv", "thread,group,work_ns,finished_ns\n"
               "MainThread,main,10,20\nThread-1,pool,100,\nThread-2,pool,300,50\n"
               "Thread 3,pool,600,60\n"));
    free(put_file_in(bdir, "sweep.csv", "run,machine.cores,makespan_ns\n1,1,40\n2,4,10\n"));
}

static double eval_ok(const char *text, const lx_env_t *env)
{
    lx_expr_t *e = parse(text);
    double v = -1;
    char err[256];
    if (lx_eval(e, env, &v, err, sizeof err) != 0)
        fail_msg("%s: %s", text, err);
    lx_free(e);
    return v;
}

static void eval_fails(const char *text, const lx_env_t *env, const char *want)
{
    lx_expr_t *e = parse(text);
    double v;
    char err[256];
    assert_int_equal(lx_eval(e, env, &v, err, sizeof err), -1);
    if (!strstr(err, want))
        fail_msg("%s: expected '%s' in: %s", text, want, err);
    lx_free(e);
}

static void test_eval(void **state)
{
    (void)state;
    char adir[300], bdir[300];
    fake_runs(adir, bdir, sizeof adir);
    const char *dirs[] = {adir, bdir};
    double values[] = {3, 350000000};
    char texts[2][LX_TEXT_MAX] = {"pool", "350ms"};
    lx_env_t env = {.vars = values, .texts = (const char (*)[LX_TEXT_MAX])texts,
                    .run_dirs = dirs};
    assert_true(eval_ok("a.summary.makespan_ns / 1e9", &env) == 2);
    assert_true(eval_ok("a.summary[\"mark:Total time\"] * 2", &env) == 3);
    assert_true(eval_ok("sleep / 1ms + 1s / 1e9 - 20us / 1us", &env) == 350 + 1 - 20);
    assert_true(eval_ok("-n + 7 % 4 * 2 == 3 && !(1 > 2) || 0", &env) == 1);
    assert_true(eval_ok("a.threads[thread=Thread-2].work_ns", &env) == 300);
    assert_true(eval_ok("a.threads[thread=\"Thread 3\",group=pool].work_ns", &env) == 600);
    assert_true(eval_ok("count(a.threads[group={n}])", &env) == 3);
    assert_true(eval_ok("count(a.threads[group=none])", &env) == 0);
    assert_true(eval_ok("count(a.threads[group=pool])", &env) == 3);
    assert_true(eval_ok("sum(a.threads[group=pool].work_ns)", &env) == 1000);
    assert_true(eval_ok("mean(a.threads.work_ns)", &env) == 252.5);
    assert_true(eval_ok("max(a.threads.work_ns) + min(a.threads.work_ns)", &env) == 610);
    assert_true(eval_ok("min(4, n, 9) + max(1, 2)", &env) == 5);
    assert_true(eval_ok("argmin(5, 2, 2) * 10 + argmax(1, 7, 3)", &env) == 22);
    assert_true(eval_ok("if(n > 2, ceil(2.1), floor(2.9)) + round(2.5) + abs(-1) + sqrt(9)", &env)
                == 3 + 3 + 1 + 3);
    assert_true(eval_ok("b.sweep[machine.cores=4].makespan_ns", &env) == 10);
    /* && and || short-circuit: the right side may name rows only the left allows */
    assert_true(eval_ok("count(a.threads[group=none]) == 0 || a.threads[group=none].work_ns",
                        &env) == 1);
    assert_true(eval_ok("0 && a.threads[group=none].work_ns", &env) == 0);
    /* a reference must match exactly one row */
    eval_fails("a.threads[group=pool].work_ns", &env, "a.threads[group=pool].work_ns: 3 rows "
               "match, expected 1");
    eval_fails("a.threads[group=nope].work_ns", &env, "0 rows match, expected 1");
    eval_fails("a.threads[thread=Thread-1].finished_ns", &env,
               "a.threads finished_ns is empty for this variant");
    eval_fails("sum(a.threads.finished_ns)", &env, "is empty for this variant");
    eval_fails("a.summary.makespan", &env, "no such column in the file: 'makespan'");
    eval_fails("a.threads[grp=pool].work_ns", &env, "no such column in the file: 'grp'");
    eval_fails("a.threads[thread=MainThread].thread", &env, "not a number: 'MainThread'");
    eval_fails("1 / (n - 3)", &env, "division by zero");
    eval_fails("a.summary", &env, "which column?");
    eval_fails("sum(a.threads[group=x].work_ns)", &env, "no row matches");
    const char *none[] = {adir, NULL};
    env.run_dirs = none;
    eval_fails("b.sweep.makespan_ns", &env, "was not run");
    dirs[0] = tmpdir;            /* no summary.csv there */
    env.run_dirs = dirs;
    eval_fails("a.summary.makespan_ns", &env, "cannot read summary.csv");
}

/* The roster reads by the rules of every untrusted CSV (csvread.h): a NUL
 * byte would cut `ana\0../../x` to `ana`, so it is refused; a column
 * named twice is refused; a spreadsheet's byte-order mark is dropped. */
static void test_roster_shared_rules(void **state)
{
    (void)state;
    static const struct { const char *bytes; size_t len; const char *says; } cases[] = {
        {"student\nana\0../../x\n", 20, "roster.csv:2: a field holding a NUL byte"},
        {"student,name\nbo,Bo\0x\n", 21, "roster.csv:2: a field holding a NUL byte"},
        {"student,student\nana,bo\n", 23, "roster.csv:1: the header names column student twice"},
        {"name,student,name\nAna,ana,A\n", 28, "roster.csv:1: the header names column name twice"},
        {"\xEF\xBB\xBFstudent,name\nana,Ana\n", 23, NULL},
    };
    char *path = join(tmpdir, "roster.csv");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(cases[i].bytes, 1, cases[i].len, f), cases[i].len);
        assert_int_equal(fclose(f), 0);
        roster_t r;
        char err[LAB_ERR_MAX] = "";
        int rc = roster_read(path, &r, err);
        if (cases[i].says ? rc != -1 || !strstr(err, cases[i].says)
                          : rc != 0 || r.n != 1 || strcmp(r.ids[0], "ana") != 0)
            fail_msg("case %zu: status %d, %s", i, rc, rc ? err : r.ids[0]);
        if (rc == 0)
            roster_free(&r);
    }
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_tiny),
        cmocka_unit_test(test_numbers_not_rounded),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_unknown_lab),
        cmocka_unit_test(test_seed_is_fnv1a),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_eval),
        cmocka_unit_test(test_roster_shared_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
