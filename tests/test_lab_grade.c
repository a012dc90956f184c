/* test_lab_grade.c — `gilsim lab grade` on the test lab tests/labs/grade_demo:
 * the decimal tolerance test (exactly at the tolerance is within, whatever
 * binary floating point would say), each kind of question marked right,
 * wrong and half right, design answers run (passing, failing a require,
 * invalid, hanging, over the objective) without stopping the others, and
 * every bad key.csv or subs.csv refused with its file and row, exit 2 and
 * no marks.csv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include "caps.h"
#include "clilib.h"
#include "lab/lg.h"
#include "lab/lg_dec.h"

static char tmpdir[256];

/* Design runs make their folders in TMPDIR: tmpdir/runs, checked empty. */
static int setup(void **state)
{
    (void)state;
    setenv("GILSIM_LABS", "tests/labs", 1);
    if (tmp_make(tmpdir, sizeof tmpdir, "grade") != 0)
        return -1;
    char runs[300];
    snprintf(runs, sizeof runs, "%s/runs", tmpdir);
    setenv("TMPDIR", runs, 1);
    return mkdir(runs, 0700);
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

static void spew(const char *name, const char *text)
{
    free(put_file_in(tmpdir, name, text));
}

static int exists(const char *name)
{
    struct stat sb;
    char *path = join(tmpdir, name);
    int r = stat(path, &sb) == 0;
    free(path);
    return r;
}

/* No design run left its folder behind. */
static void assert_no_runs_left(void)
{
    char *runs = join(tmpdir, "runs");
    DIR *d = opendir(runs);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            fail_msg("a design run's folder is left: %s", e->d_name);
    closedir(d);
    free(runs);
}

/* ---- the decimal test -------------------------------------------------- */

static int within(const char *got, const char *want, const char *tolerance)
{
    lg_dec_t g, w;
    lg_tol_t t;
    assert_int_equal(lg_dec_parse(got, &g), 0);
    assert_int_equal(lg_dec_parse(want, &w), 0);
    assert_int_equal(lg_tol_parse(tolerance, &t), 0);
    return lg_dec_within(&g, &w, &t);
}

static void test_decimal_tolerance(void **state)
{
    (void)state;
    /* exactly at the tolerance: within (in binary, 0.31 - 0.3 > 0.01) */
    assert_true(within("0.31", "0.3", "0.01"));
    assert_true(within("0.29", "0.3", "0.01"));
    assert_false(within("0.3101", "0.3", "0.01"));
    assert_true(within("2.1", "2", "5%"));
    assert_true(within("1.9", "2", "5%"));
    assert_false(within("2.1000001", "2", "5%"));
    assert_false(within("1.8999999", "2", "5%"));
    assert_true(within("-1.05", "-1", "5%"));
    assert_false(within("1.05", "-1", "5%"));
    assert_true(within("1.15e-3", "0.001", "15%"));
    assert_true(within("1e300", "1e300", "0"));
    assert_false(within("1e-300", "0", "0"));
    assert_true(within("0.0", "-0", "0%"));
    assert_true(within(" 12.50 ", "12.5", "-"));
    assert_false(within("12.51", "12.5", "-"));
    assert_true(within("99999999999999999999", "1e20", "1"));
    assert_false(within("99999999999999999998", "1e20", "1"));
    lg_dec_t a, b;
    assert_int_equal(lg_dec_parse("-3", &a), 0);
    assert_int_equal(lg_dec_parse("2.5", &b), 0);
    assert_int_equal(lg_dec_cmp(&a, &b), -1);
    assert_int_equal(lg_dec_cmp(&b, &a), 1);
    assert_int_equal(lg_dec_cmp(&b, &b), 0);
    static const char *const bad[] = {"", " ", "1.5 s", "nan", "inf", "1e", "--1", "1..2",
                                      ".", "0x10", "1e401", "1,5", "5%"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(lg_dec_parse(bad[i], &a), -1);
    lg_tol_t t;
    static const char *const bad_tol[] = {"", "%", "-5%", "-0.1", "five", "5%%"};
    for (size_t i = 0; i < sizeof bad_tol / sizeof bad_tol[0]; i++)
        assert_int_equal(lg_tol_parse(bad_tol[i], &t), -1);
}

/* ---- marks ------------------------------------------------------------- */

static const char key_head[] = "student,lab,question,answer,unit,tolerance\n";

/* One student's rows of the key. */
static char *key_rows(const char *student)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    fprintf(f, "%s,grade_demo,q_rel,2,ms,5%%\n", student);
    fprintf(f, "%s,grade_demo,q_abs,0.3,,0.01\n", student);
    fprintf(f, "%s,grade_demo,q_choice,threads,,-\n", student);
    fprintf(f, "%s,grade_demo,q_pred,100,ms,10%%\n", student);
    fprintf(f, "%s,grade_demo,q_design,meets,,-\n", student);
    fprintf(f, "%s,grade_demo,q_fewest,2,threads,0\n", student);
    fclose(f);
    return s;
}

static void write_key(const char *const *students, int n)
{
    char *text = strdup(key_head);
    for (int i = 0; i < n; i++) {
        char *rows = key_rows(students[i]);
        text = realloc(text, strlen(text) + strlen(rows) + 1);
        strcat(text, rows);
        free(rows);
    }
    spew("key.csv", text);
    free(text);
}

/* Runs the grading of tmpdir's key.csv and subs.csv into marks.csv. */
static int grade(char **err)
{
    char args[1024];
    snprintf(args, sizeof args, "lab grade grade_demo --key '%s/key.csv' --submissions "
             "'%s/subs.csv' -o '%s/marks.csv'", tmpdir, tmpdir, tmpdir);
    return gilsim_cmd(tmpdir, args, NULL, err);
}

/* The row of marks.csv for (student, question). */
static int row_of(const table_t *t, const char *student, const char *question)
{
    for (int r = 1; r < t->nrows; r++)
        if (!strcmp(cell(t, r, "student"), student) && !strcmp(cell(t, r, "question"), question))
            return r;
    fail_msg("no row for %s, %s", student, question);
    return -1;
}

static void assert_mark(const table_t *t, const char *student, const char *question,
                        const char *mark, const char *reason)
{
    int r = row_of(t, student, question);
    if (strcmp(cell(t, r, "mark"), mark) != 0 || !strstr(cell(t, r, "reason"), reason))
        fail_msg("%s %s: mark %s (%s), expected %s (%s)", student, question, cell(t, r, "mark"),
                 cell(t, r, "reason"), mark, reason);
}

/* Configs handed in for the design questions. */
static void write_configs(void)
{
    static const char threads[] =
        "machine: {cores: 2}\nprocesses:\n  - name: app\n    threads:\n      - name: fetch\n"
        "        count: %d\n        program:\n          - io: %s\n";
    char text[512];
    char *dir = join(tmpdir, "cfg");
    mkdir(dir, 0755);
    free(dir);
    snprintf(text, sizeof text, threads, 4, "10ms");
    spew("cfg/pass.yaml", text);
    snprintf(text, sizeof text, threads, 2, "10ms");
    spew("cfg/pass2.yaml", text);
    snprintf(text, sizeof text, threads, 4, "1s");
    spew("cfg/slow.yaml", text);
    spew("cfg/bad.yaml", "machine: {cores: 2}\nprocesses:\n  - name: app\n    thraeds: []\n");
    spew("cfg/hang.yaml", "machine: {cores: 2}\nobjects: [{name: never, kind: event}]\n"
                          "processes:\n  - name: app\n    main:\n      - event_wait: never\n");
    spew("cfg/forever.yaml", "machine: {cores: 2}\nduration: 100000s\nprocesses:\n  - name: app\n    main:\n"
                             "      - repeat: forever\n        do:\n          - sleep: 1s\n");
}

/* The expected and submitted columns; students in key order, questions
 * in the lab's, each student's total last. */
static void assert_layout(const table_t *t)
{
    int r = row_of(t, "alice", "q_fewest");
    assert_string_equal(cell(t, r, "expected"), "2");
    assert_string_equal(cell(t, r, "submitted"), "cfg/pass.yaml");
    assert_string_equal(cell(t, 1, "student"), "alice");
    assert_string_equal(cell(t, 1, "question"), "q_rel");
    assert_string_equal(cell(t, 6, "question"), "q_fewest");
    assert_string_equal(cell(t, 7, "question"), "total");
    assert_string_equal(cell(t, 8, "student"), "bob");
}

static void test_marks(void **state)
{
    (void)state;
    static const char *const students[] = {"alice", "bob", "carol", "dave"};
    write_key(students, 4);
    write_configs();
    spew("subs.csv",
         "student,question,answer\n"
         "alice,q_rel,2.1\n" "alice,q_abs,0.31\n" "alice,q_choice, Threads\n"
         "alice,q_pred,111\n" "alice,q_design,cfg/pass.yaml\n" "alice,q_fewest,cfg/pass.yaml\n"
         "bob,q_rel,2.1000001\n" "bob,q_abs,0.3101\n" "bob,q_choice,2\n" "bob,q_pred,90\n"
         "bob,q_design,cfg/slow.yaml\n"
         "carol,q_rel,1.9\n" "carol,q_abs,0.29\n" "carol,q_choice,1\n" "carol,q_pred,\" \"\n"
         "carol,q_design,cfg/bad.yaml\n" "carol,q_fewest,cfg/hang.yaml\n"
         "dave,q_design,cfg/forever.yaml\n" "dave,q_fewest,cfg/pass2.yaml\n");
    char *err;
    assert_int_equal(grade(&err), 0);
    assert_string_equal(err, "graded 4 students on 6 questions: mean total 2.5 of 6\n");
    free(err);
    char *path = join(tmpdir, "marks.csv");
    table_t t = read_csv(path);
    free(path);
    assert_int_equal(t.nrows, 1 + 4 * 7);
    assert_string_equal(t.cells[0], "student");
    assert_string_equal(t.cells[5], "reason");
    assert_mark(&t, "alice", "q_rel", "1", "within 5%");
    assert_mark(&t, "alice", "q_abs", "1", "within 0.01");
    assert_mark(&t, "alice", "q_choice", "1", "correct");
    assert_mark(&t, "alice", "q_pred", "0.5", "predicted 111 ms, measured 100 ms");
    assert_mark(&t, "alice", "q_design", "1", "meets every require");
    assert_mark(&t, "alice", "q_fewest", "0.5", "meets the target with 4 where 2 suffice");
    assert_mark(&t, "alice", "total", "5", "out of 6");
    assert_mark(&t, "bob", "q_rel", "0", "not within 5%");
    assert_mark(&t, "bob", "q_abs", "0", "not within 0.01");
    assert_mark(&t, "bob", "q_choice", "0", "the answer is threads, not processes");
    assert_mark(&t, "bob", "q_pred", "1", "within 10%");
    assert_mark(&t, "bob", "q_design", "0", "fails submitted.summary.makespan_ns <= 50ms");
    assert_mark(&t, "bob", "q_fewest", "0", "no answer");
    assert_mark(&t, "bob", "total", "1", "out of 6");
    assert_mark(&t, "carol", "q_rel", "1", "within 5%");
    assert_mark(&t, "carol", "q_abs", "1", "within 0.01");
    assert_mark(&t, "carol", "q_choice", "1", "correct");
    assert_mark(&t, "carol", "q_pred", "0", "no answer");
    assert_mark(&t, "carol", "q_design", "0", "cfg/bad.yaml:4:5: unknown key 'thraeds'");
    assert_mark(&t, "carol", "q_fewest", "0", "the program hangs");
    assert_mark(&t, "carol", "total", "3", "out of 6");
    assert_mark(&t, "dave", "q_rel", "0", "no answer");
    assert_mark(&t, "dave", "q_design", "0", "still running after 600 s of simulated time");
    assert_mark(&t, "dave", "q_fewest", "1", "meets the target with 2");
    assert_mark(&t, "dave", "total", "1", "out of 6");
    assert_layout(&t);
    table_free(&t);
    assert_false(exists("marks.csv.part"));
    assert_no_runs_left();
}

/* ---- bad input ---------------------------------------------------------- */

/* Grading tmpdir's key.csv and subs.csv fails with exit 2, one line on
 * stderr holding says (FILE:ROW: message), and writes no marks.csv (an
 * older one stays). */
static void assert_grade_refused(const char *says)
{
    spew("marks.csv", "an older file\n");
    char *err;
    int rc = grade(&err);
    if (rc != 2 || !strstr(err, says) || strchr(err, '\n') != err + strlen(err) - 1)
        fail_msg("exit %d, said '%s', expected 2 and '%s'", rc, err, says);
    free(err);
    char *path = join(tmpdir, "marks.csv");
    size_t len;
    char *marks = slurp(path, &len);
    assert_string_equal(marks, "an older file\n");
    free(marks);
    free(path);
    assert_false(exists("marks.csv.part"));
}

static void assert_refused(const char *key, const char *subs, const char *says)
{
    spew("key.csv", key);
    spew("subs.csv", subs);
    assert_grade_refused(says);
}

/* tmpdir/name holding len bytes of text, NUL bytes included. */
static void spew_bytes(const char *name, const char *text, size_t len)
{
    char *path = join(tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(path);
}

static void test_bad_input(void **state)
{
    (void)state;
    static const char *const one[] = {"alice"};
    write_key(one, 1);
    char *path = join(tmpdir, "key.csv");
    size_t len;
    char *key = slurp(path, &len);
    free(path);
    char k[4096], s[4096];
    char *subs = "student,question,answer\n";
    /* the key */
    snprintf(k, sizeof k, "%s", key);
    *strstr(k, "grade_demo,q_choice") = 'G';
    assert_refused(k, subs, "/key.csv:4: a key for lab 'Grade_demo', not grade_demo");
    snprintf(k, sizeof k, "student,lab,question,answer,unit\nalice,grade_demo,q_rel,2,ms\n");
    assert_refused(k, subs, "/key.csv:1: no column tolerance");
    snprintf(k, sizeof k, "%salice,grade_demo,q_nope,2,ms,5%%\n", key);
    assert_refused(k, subs, "/key.csv:8: lab grade_demo has no question 'q_nope'");
    snprintf(k, sizeof k, "%salice,grade_demo,q_rel,2,ms,5%%\n", key);
    assert_refused(k, subs, "/key.csv:8: a second row for student alice, question q_rel");
    snprintf(k, sizeof k, "%s", key);
    memcpy(strstr(k, "5%"), "5x", 2);
    assert_refused(k, subs, "/key.csv:2: tolerance '5x'");
    snprintf(k, sizeof k, "%s", key);
    memcpy(strstr(k, ",0.3,"), ",0.x,", 5);
    assert_refused(k, subs, "/key.csv:3: answer '0.x' to q_abs is not a number");
    snprintf(k, sizeof k, "%sbob,grade_demo,q_rel,2,ms,5%%\n", key);
    assert_refused(k, subs, "/key.csv:8: student bob has no row for question q_abs");
    snprintf(k, sizeof k, "%s", key);
    memcpy(strstr(k, "alice,grade_demo,q_pred"), "al/ce", 5);
    assert_refused(k, subs, "/key.csv:5: student id 'al/ce': expected");
    assert_refused(key_head, subs, "/key.csv:1: no rows");
    snprintf(k, sizeof k, "%s\"alice,grade_demo\n", key_head);
    assert_refused(k, subs, "/key.csv:2: malformed CSV");
    /* the submissions */
    assert_refused(key, "student,answer\nalice,2\n", "/subs.csv:1: no column question");
    snprintf(s, sizeof s, "%sbob,q_rel,2\n", subs);
    assert_refused(key, s, "/subs.csv:2: student 'bob' is not in");
    snprintf(s, sizeof s, "%salice,q_rel,2\nalice,q9,2\n", subs);
    assert_refused(key, s, "/subs.csv:3: lab grade_demo has no question 'q9'");
    snprintf(s, sizeof s, "%salice,q_rel,2\nalice,q_abs,1\nalice,q_rel,3\n", subs);
    assert_refused(key, s, "/subs.csv:4: a second answer of student alice to q_rel (the first "
                           "is row 2)");
    snprintf(s, sizeof s, "%salice,q_rel,2 ms\n", subs);
    assert_refused(key, s, "/subs.csv:2: answer '2 ms' to q_rel is not a number");
    snprintf(s, sizeof s, "%salice,q_pred,soon\n", subs);
    assert_refused(key, s, "/subs.csv:2: answer 'soon' to q_pred is not a number");
    snprintf(s, sizeof s, "%salice,q_choice,3\n", subs);
    assert_refused(key, s, "/subs.csv:2: answer '3' to q_choice is none of its choices");
    snprintf(s, sizeof s, "%salice,q_choice,thread\n", subs);
    assert_refused(key, s, "/subs.csv:2: answer 'thread' to q_choice is none of its choices");
    snprintf(s, sizeof s, "%salice,q_rel\n", subs);
    assert_refused(key, s, "/subs.csv:2: expected 3 fields, got 2");
    assert_refused(key, "student,question,answer,answer\n", "/subs.csv:1: the header names "
                   "column answer twice");
    snprintf(k, sizeof k, "%s", key);
    *strstr(k, "student") = 'S';
    assert_refused(k, "student,question,answer\n", "/key.csv:1: no column student");
    /* A NUL byte would cut the field short: 2 (right) or alice */
    static const char nul_subs[] = "student,question,answer\nalice,q_rel,2\0junk\n";
    spew("key.csv", key);
    spew_bytes("subs.csv", nul_subs, sizeof nul_subs - 1);
    assert_grade_refused("/subs.csv:2: a field holding a NUL byte");
    spew("subs.csv", "student,question,answer\n");
    char *nul_key = malloc(strlen(key) + 2);
    strcpy(nul_key, key);
    *strstr(nul_key, "alice") = '\0';    /* row 2's student is "" then "lice" */
    spew_bytes("key.csv", nul_key, strlen(key));
    assert_grade_refused("/key.csv:2: a field holding a NUL byte");
    free(nul_key);
    free(key);
}

/* -o naming the key or the submissions, by any path, would replace it
 * with the marks: refused in one line, the file untouched. */
static void test_output_is_input(void **state)
{
    (void)state;
    static const char *const one[] = {"alice"};
    write_key(one, 1);
    spew("subs.csv", "student,question,answer\nalice,q_rel,2\n");
    char *key_before = join(tmpdir, "key.csv"), *subs_before = join(tmpdir, "subs.csv");
    size_t len;
    char *key = slurp(key_before, &len), *subs = slurp(subs_before, &len);
    static const char *const outs[][2] = {
        {"%s/key.csv", "--key"}, {"%s/./subs.csv", "--submissions"},
        {"%s/../%s/key.csv", "--key"},
    };
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
        char out[600], args[2048], *err;
        snprintf(out, sizeof out, outs[i][0], tmpdir, strrchr(tmpdir, '/') + 1);
        snprintf(args, sizeof args, "lab grade grade_demo --key '%s/key.csv' --submissions "
                 "'%s/subs.csv' -o '%s'", tmpdir, tmpdir, out);
        int rc = gilsim_cmd(tmpdir, args, NULL, &err);
        if (rc != 2 || !strstr(err, "is the file of ") || !strstr(err, outs[i][1])
            || strchr(err, '\n') != err + strlen(err) - 1)
            fail_msg("-o %s: exit %d, said '%s'", out, rc, err);
        free(err);
        char *k = slurp(key_before, &len), *s = slurp(subs_before, &len);
        assert_string_equal(k, key);
        assert_string_equal(s, subs);
        free(k);
        free(s);
    }
    free(key);
    free(subs);
    free(key_before);
    free(subs_before);
}

/* A run over the CPU limit is told as such (SIGXCPU at the soft limit, not
 * SIGKILL at the hard one): a child under lg_limit_cpu(1) that spins. */
static void test_cpu_limit_reason(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        lg_limit_cpu(1);
        for (volatile unsigned long spin = 0;; spin++) {
        }
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    char *why = lg_run_reason(st, 1);
    assert_string_equal(why, "the run needs more than 1 s of CPU time to simulate");
    free(why);
    why = lg_run_reason(9, 60);                  /* killed: a status as waitpid gives it */
    assert_string_equal(why, "the run died of signal 9");
    free(why);
}

/* Neither file may be anything but a regular file, and the lab must exist. */
static void test_bad_files(void **state)
{
    (void)state;
    static const char *const one[] = {"alice"};
    write_key(one, 1);
    spew("subs.csv", "student,question,answer\n");
    char *fifo = join(tmpdir, "fifo.csv"), args[1024], *err;
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(args, sizeof args, "lab grade grade_demo --key '%s' --submissions '%s/subs.csv' "
             "-o '%s/marks.csv'", fifo, tmpdir, tmpdir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, &err), 2);
    assert_non_null(strstr(err, "fifo.csv: cannot read: not a regular file"));
    free(err);
    snprintf(args, sizeof args, "lab grade grade_demo --key '%s/key.csv' --submissions '%s' "
             "-o '%s/marks.csv'", tmpdir, fifo, tmpdir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, &err), 2);
    assert_non_null(strstr(err, "fifo.csv: cannot read: not a regular file"));
    free(err);
    snprintf(args, sizeof args, "lab grade no_such_lab --key '%s/key.csv' --submissions "
             "'%s/subs.csv' -o '%s/marks.csv'", tmpdir, tmpdir, tmpdir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, &err), 2);
    assert_non_null(strstr(err, "no_such_lab"));
    free(err);
    static const char *const usage[][2] = {
        {"lab grade grade_demo --key k.csv --submissions s.csv", "missing -o MARKS.csv"},
        {"lab grade grade_demo --key k.csv -o m.csv", "missing --submissions SUBS.csv"},
        {"lab grade --key k.csv --submissions s.csv -o m.csv", "missing LAB"},
        {"lab grade grade_demo x --key k.csv", "unexpected argument x"},
        {"lab grade grade_demo --bogus", "unknown option --bogus"},
        {"lab grade grade_demo --key", "this option needs a value: --key"},
    };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
        assert_int_equal(gilsim_cmd(tmpdir, usage[i][0], NULL, &err), 2);
        if (!strstr(err, usage[i][1]))
            fail_msg("%s: said '%s'", usage[i][0], err);
        free(err);
    }
    char *out;
    assert_int_equal(gilsim_cmd(tmpdir, "lab grade --help", &out, NULL), 0);
    assert_non_null(strstr(out, "usage: gilsim lab grade LAB --key KEY.csv"));
    free(out);
    free(fifo);
}

/* A design answer's path must stay in the submissions' folder and name a
 * regular file of reasonable size, and its run stays within the caps:
 * each is a 0, and the others are marked.  subs.csv as a spreadsheet may
 * save it: a byte-order mark, a column more. */
static void test_design_limits(void **state)
{
    (void)state;
    static const char *const students[] = {"ann", "ben", "cy", "di", "ed"};
    write_key(students, 5);
    write_configs();
    char *big = malloc(2 * 1024 * 1024 + 1);
    memset(big, '#', 2 * 1024 * 1024);
    big[2 * 1024 * 1024] = '\0';
    spew("cfg/big.yaml", big);
    free(big);
    spew("cfg/cap.yaml", "duration: 1000s\nmachine: {cores: 2}\nfunctions:\n  f:\n    body:\n      - cpu: 1us\n"
                         "processes:\n  - name: app\n    main:\n      - with_pool: thread\n"
                         "        do:\n          - repeat: forever\n            do:\n"
                         "              - submit: f\n");
    char *fifo = join(tmpdir, "cfg/fifo.yaml");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    free(fifo);
    char *dir_link = join(tmpdir, "linked"), *file_link = join(tmpdir, "cfg/link.yaml");
    assert_int_equal(symlink("cfg", dir_link), 0);
    assert_int_equal(symlink("pass.yaml", file_link), 0);
    free(dir_link);
    free(file_link);
    spew("subs.csv", "\xEF\xBB\xBFstudent,question,answer,when\n"
                     "ann,q_design,../cfg/pass.yaml,mon\n" "ann,q_fewest,/etc/passwd,mon\n"
                     "ben,q_design,cfg/fifo.yaml,tue\n" "ben,q_fewest,cfg/big.yaml,tue\n"
                     "cy,q_design,cfg/missing.yaml,wed\n" "cy,q_fewest,cfg,wed\n"
                     "di,q_design,cfg/pass.yaml,thu\n" "di,q_fewest,cfg/cap.yaml,thu\n"
                     "ed,q_design,linked/pass.yaml,fri\n" "ed,q_fewest,cfg/link.yaml,fri\n");
    char *err;
    assert_int_equal(grade(&err), 0);
    free(err);
    char *path = join(tmpdir, "marks.csv");
    table_t t = read_csv(path);
    free(path);
    assert_mark(&t, "ann", "q_design", "0", "a path inside the submissions' folder");
    assert_mark(&t, "ann", "q_fewest", "0", "a path inside the submissions' folder");
    assert_mark(&t, "ben", "q_design", "0", "cfg/fifo.yaml: not a regular file");
    assert_mark(&t, "ben", "q_fewest", "0", "cfg/big.yaml: larger than 1 MiB");
    assert_mark(&t, "cy", "q_design", "0", "cfg/missing.yaml: No such file");
    assert_mark(&t, "cy", "q_fewest", "0", "cfg: not a regular file");
    assert_mark(&t, "di", "q_design", "1", "meets every require");
    assert_mark(&t, "di", "q_fewest", "0", "cfg/cap.yaml:14:17: the program creates more "
                                           "than " CAP_STR(FUTURES_MAX) " futures (submit)");
    assert_mark(&t, "ed", "q_design", "0", "linked/pass.yaml: a design answer may not go "
                                           "through a symbolic link");
    assert_mark(&t, "ed", "q_fewest", "0", "cfg/link.yaml: a design answer may not go "
                                           "through a symbolic link");
    for (int r = 1; r < t.nrows; r++)             /* never the lecturer's path */
        if (strstr(cell(&t, r, "reason"), tmpdir))
            fail_msg("row %d's reason names the folder: %s", r, cell(&t, r, "reason"));
    table_free(&t);
    assert_no_runs_left();
}

/* SIGTERM during a design run: the run stops, no marks.csv (nor .part) is
 * written, the run's folder is removed, exit status 143. */
static void test_interrupted(void **state)
{
    (void)state;
    static const char *const one[] = {"alice"};
    write_key(one, 1);
    spew("slow.yaml", "machine: {cores: 2}\nduration: 600s\nfunctions:\n  work:\n    body:\n"
                      "      - repeat: forever\n        do:\n          - cpu: 50us\n"
                      "          - io: 10us\nprocesses:\n  - name: app\n    main:\n"
                      "      - start: work\n        count: 16\n        as: w\n      - join: w\n");
    spew("subs.csv", "student,question,answer\nalice,q_design,slow.yaml\n");
    char *key = join(tmpdir, "key.csv"), *subs = join(tmpdir, "subs.csv");
    char *marks = join(tmpdir, "marks.csv"), *err = join(tmpdir, "stderr");
    unlink(marks);
    pid_t pid = fork();
    if (pid == 0) {
        freopen(err, "w", stderr);
        execl(gilsim_bin(), gilsim_bin(), "lab", "grade", "grade_demo", "--key", key,
              "--submissions", subs, "-o", marks, (char *)NULL);
        _exit(127);
    }
    struct timespec pause = {0, 500 * 1000 * 1000};
    nanosleep(&pause, NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(kill(pid, SIGTERM), 0);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 3);      /* the run stopped too: it takes far longer */
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 143);
    size_t len;
    char *said = slurp(err, &len);
    assert_non_null(strstr(said, "lab grade interrupted by SIGTERM: no "));
    free(said);
    assert_false(exists("marks.csv"));
    assert_false(exists("marks.csv.part"));
    assert_no_runs_left();
    free(key);
    free(subs);
    free(marks);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_tolerance),
        cmocka_unit_test(test_marks),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_output_is_input),
        cmocka_unit_test(test_cpu_limit_reason),
        cmocka_unit_test(test_design_limits),
        cmocka_unit_test(test_interrupted),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
