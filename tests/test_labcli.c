/* test_labcli.c — `gilsim lab` as a lecturer runs it: lab make's folders
 * and key (distinct and stable variants, answers that a fresh run of the
 * student's config gives again, the same bytes whatever --jobs), and the
 * one-line errors of bad labs, rosters and lab names; lab show -o, a
 * student's own handout and configs.  The labs are
 * tests/labs/ (GILSIM_LABS), or written here into a temporary folder. */
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
#include <unistd.h>
#include "testlib.h"
#include "clilib.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    setenv("GILSIM_LABS", "tests/labs", 1);
    return tmp_make(tmpdir, sizeof tmpdir, "labcli");
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

/* gilsim ARGS (printf-style), its status; stdout and stderr kept. */
static char *out_text, *err_text;

static int lab(const char *fmt, ...)
{
    char args[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    free(out_text);
    free(err_text);
    return gilsim_cmd(tmpdir, args, &out_text, &err_text);
}

static void expect_err(const char *want)
{
    if (!strstr(err_text, want))
        fail_msg("expected '%s' in stderr: %s", want, err_text);
    const char *nl = strchr(err_text, '\n');
    if (!nl || nl[1])
        fail_msg("expected one line on stderr: %s", err_text);
}

/* make tiny for a roster of these ids into tmpdir/OUT; its status. */
static int make(const char *out, const char *roster_text, int jobs)
{
    char name[64];
    snprintf(name, sizeof name, "%s.csv", out);
    char *roster = put_file_in(tmpdir, name, roster_text);
    int rc = lab("lab make tiny --roster '%s' -o '%s/%s' --jobs %d", roster, tmpdir, out, jobs);
    free(roster);
    return rc;
}

static char *file_in(const char *out, const char *rel)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s/%s", tmpdir, out, rel);
    size_t n;
    return slurp(path, &n);
}

static void test_make_three_students(void **state)
{
    (void)state;
    assert_int_equal(make("three", "student,name\nalice,A\nbob,B\ncarol,C\n", 2), 0);
    assert_non_null(strstr(out_text, "distinct answers: 100.0% (3 of 3)"));
    char path[600];
    snprintf(path, sizeof path, "%s/three/key.csv", tmpdir);
    table_t key = read_csv(path);
    assert_int_equal(key.nrows, 1 + 3 * 6);               /* the header, then the rows */
    assert_string_equal(cell(&key, 1, "student"), "alice");
    assert_string_equal(cell(&key, 7, "student"), "bob");
    assert_string_equal(cell(&key, 18, "student"), "carol");
    assert_string_equal(cell(&key, 2, "question"), "makespan");
    assert_string_equal(cell(&key, 2, "tolerance"), "5%");
    assert_string_equal(cell(&key, 3, "tolerance"), "-");
    /* the key names its gilsim and the configs it came from: one hash a
     * student (all of the student's runs), a hash of its own each */
    char *version = NULL;
    assert_int_equal(gilsim_cmd(tmpdir, "--version", &version, NULL), 0);
    version[strcspn(version, "\n")] = '\0';
    assert_string_equal(cell(&key, 1, "gilsim_version"), version + strlen("gilsim "));
    free(version);
    assert_int_equal(strlen(cell(&key, 1, "config_hash")), 16);
    assert_string_equal(cell(&key, 1, "config_hash"), cell(&key, 6, "config_hash"));
    assert_string_not_equal(cell(&key, 1, "config_hash"), cell(&key, 7, "config_hash"));
    assert_string_not_equal(cell(&key, 7, "config_hash"), cell(&key, 13, "config_hash"));
    /* three students, three variants: their configs differ */
    char *a = file_in("three", "alice/configs/threads.yaml");
    char *b = file_in("three", "bob/configs/threads.yaml");
    char *c = file_in("three", "carol/configs/threads.yaml");
    assert_true(strcmp(a, b) && strcmp(b, c) && strcmp(a, c));
    assert_null(strstr(a, "{n}"));
    char *h = file_in("three", "alice/handout.md");
    assert_non_null(strstr(h, "![timeline of the run threads](figures/threads_timeline.png)"));
    assert_non_null(strstr(h, "## Before you run\n\n1. **guess** (prediction, in ms): "));
    assert_non_null(strstr(h, "## Questions\n\n2. **makespan** (number, in ms): "));
    assert_non_null(strstr(h, "4. **first**"));
    struct stat st;
    snprintf(path, sizeof path, "%s/three/alice/figures/threads_timeline.png", tmpdir);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 1000);
    snprintf(path, sizeof path, "%s/three/.work", tmpdir);
    assert_int_not_equal(stat(path, &st), 0);            /* the scratch folder is gone */
    free(a);
    free(b);
    free(c);
    free(h);
    table_free(&key);
}

/* The same id gets the same variant whatever the roster around it. */
static void test_variants_stable(void **state)
{
    (void)state;
    assert_int_equal(make("one", "student\nbob\n", 1), 0);
    assert_int_equal(make("other", "student,x\ncarol,1\nzed,2\nbob,3\n", 2), 0);
    const char *files[] = {"bob/configs/threads.yaml", "bob/configs/scaling.yaml",
                           "bob/handout.md", "bob/figures/threads_timeline.png"};
    for (int i = 0; i < 4; i++) {
        size_t n1, n2;
        char p1[600], p2[600];
        snprintf(p1, sizeof p1, "%s/one/%s", tmpdir, files[i]);
        snprintf(p2, sizeof p2, "%s/other/%s", tmpdir, files[i]);
        char *a = slurp(p1, &n1), *b = slurp(p2, &n2);
        if (n1 != n2 || memcmp(a, b, n1))
            fail_msg("%s differs between the rosters", files[i]);
        free(a);
        free(b);
    }
}

/* The key's answer is what a fresh run of the student's config gives. */
static void test_key_matches_fresh_run(void **state)
{
    (void)state;
    assert_int_equal(make("fresh", "student\ndana\n", 1), 0);
    assert_int_equal(lab("run '%s/fresh/dana/configs/threads.yaml' -q --trace summary -o '%s/dana'",
                         tmpdir, tmpdir), 0);
    char path[600], want[64];
    snprintf(path, sizeof path, "%s/dana/summary.csv", tmpdir);
    table_t sum = read_csv(path);
    snprintf(want, sizeof want, "%.6g", atof(cell(&sum, 1, "makespan_ns")) / 1e6);
    snprintf(path, sizeof path, "%s/fresh/key.csv", tmpdir);
    table_t key = read_csv(path);
    assert_string_equal(cell(&key, 2, "question"), "makespan");
    assert_string_equal(cell(&key, 2, "answer"), want);
    table_free(&sum);
    table_free(&key);
}

/* Every file of two folders, byte for byte. */
static void same_tree(const char *a, const char *b)
{
    DIR *d = opendir(a);
    int entries = 0;
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char pa[700], pb[700];
        struct stat sa, sb;
        snprintf(pa, sizeof pa, "%s/%s", a, e->d_name);
        snprintf(pb, sizeof pb, "%s/%s", b, e->d_name);
        assert_int_equal(lstat(pa, &sa), 0);
        if (lstat(pb, &sb) != 0)
            fail_msg("%s has no %s", b, e->d_name);
        entries++;
        if (S_ISDIR(sa.st_mode)) {
            same_tree(pa, pb);
            continue;
        }
        size_t n1, n2;
        char *x = slurp(pa, &n1), *y = slurp(pb, &n2);
        if (n1 != n2 || memcmp(x, y, n1))
            fail_msg("%s and %s differ", pa, pb);
        free(x);
        free(y);
    }
    closedir(d);
    d = opendir(b);
    for (struct dirent *e; (e = readdir(d));)
        entries -= strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    assert_int_equal(entries, 0);
}

static void test_jobs_same_bytes(void **state)
{
    (void)state;
    const char *roster = "student\ns1\ns2\ns3\ns4\ns5\n";
    assert_int_equal(make("j1", roster, 1), 0);
    assert_int_equal(make("j2", roster, 2), 0);
    char a[300], b[300];
    snprintf(a, sizeof a, "%s/j1", tmpdir);
    snprintf(b, sizeof b, "%s/j2", tmpdir);
    same_tree(a, b);
}

static void test_roster_errors(void **state)
{
    (void)state;
    static const struct { const char *text, *want; } bad[] = {
        {"student\nann\nbob\nann\n", "roster.csv:4: student 'ann' is listed twice"},
        {"student\nann\n\nbob\n", "roster.csv:3: an empty row"},
        {"student,name\nann,A\n,B\n", "roster.csv:3: an empty student id"},
        {"student\nann\nb/d\n", "roster.csv:3: student id 'b/d': expected"},
        {"student\nann\nkey.csv\n", "roster.csv:3: student id 'key.csv' is the name of the key"},
        {"student\n.hidden\n", "roster.csv:2: student id '.hidden'"},
        {"name\nann\n", "roster.csv:1: no column 'student'"},
        {"student\nann\n\"bob\n", "roster.csv:3: malformed CSV"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *roster = put_file_in(tmpdir, "roster.csv", bad[i].text);
        assert_int_equal(lab("lab make tiny --roster '%s' -o '%s/bad'", roster, tmpdir), 2);
        expect_err(bad[i].want);
        free(roster);
        char path[600];
        struct stat st;
        snprintf(path, sizeof path, "%s/bad/key.csv", tmpdir);
        assert_int_not_equal(stat(path, &st), 0);
    }
}

static void test_unknown_lab(void **state)
{
    (void)state;
    assert_int_equal(lab("lab show nosuch"), 2);
    expect_err("unknown lab 'nosuch'");
    assert_int_equal(lab("lab check nosuch"), 2);
    expect_err("unknown lab 'nosuch'");
    assert_int_equal(lab("lab make 'No/Such' --roster x -o y"), 2);
    expect_err("unknown lab 'No/Such'");
    assert_int_equal(lab("lab frob"), 2);
    expect_err("unknown command 'frob'");
}

/* A lab whose question is this answer formula, checked. */
static int check_formula(const char *name, const char *formula)
{
    char dir[400], yaml[1200];
    snprintf(dir, sizeof dir, "%s/labs/%s", tmpdir, name);
    char *labs = join(tmpdir, "labs");
    mkdir(labs, 0755);
    mkdir(dir, 0755);
    free(put_file_in(dir, "t.yaml", "processes:\n  - name: app\n    threads:\n"
                  "      - {name: w, count: 2, program: [{cpu: 1ms}]}\n"
                  "      - {name: s, program: [{repeat: forever, do: [{cpu: 1ms}]}]}\n"
                  "duration: 50ms\n"));
    snprintf(yaml, sizeof yaml, "title: t\nruns:\n  r: {template: t.yaml}\nquestions:\n"
             "  - id: q\n    kind: number\n    prompt: p\n    answer: \"%s\"\n"
             "    tolerance: {absolute: 0}\n", formula);
    free(put_file_in(dir, "lab.yaml", yaml));
    setenv("GILSIM_LABS", labs, 1);
    int rc = lab("lab check %s", name);
    setenv("GILSIM_LABS", "tests/labs", 1);
    free(labs);
    return rc;
}

static void test_formula_errors(void **state)
{
    (void)state;
    assert_int_equal(check_formula("good", "count(r.threads[group=w]) + r.summary.makespan_ns"), 0);
    assert_non_null(strstr(out_text, "good: ok"));
    assert_int_equal(check_formula("syntax", "r.summary.makespan_ns * / 2"), 2);
    expect_err("syntax/lab.yaml:8:38: in the formula");
    assert_int_equal(check_formula("run", "rr.summary.makespan_ns"), 2);
    expect_err("run/lab.yaml:8:14: in the formula \"rr.summary.makespan_ns\": unknown name 'rr'");
    assert_int_equal(check_formula("column", "r.summary.makespan"), 2);
    expect_err("r.summary.makespan: no such column in the file: 'makespan'");
    assert_int_equal(check_formula("none", "r.threads[group=x].work_ns"), 2);
    expect_err("r.threads[group=x].work_ns: 0 rows match, expected 1");
    assert_int_equal(check_formula("two", "r.threads[group=w].work_ns"), 2);
    expect_err("r.threads[group=w].work_ns: 2 rows match, expected 1");
    assert_int_equal(check_formula("empty", "r.threads[group=s].finished_ns"), 2);
    expect_err("r.threads finished_ns is empty for this variant");
}

/* Starts `gilsim lab make LAB --roster ROSTER -o OUT --jobs 2` in its own
 * process group (GILSIM_LABS=labs when given), output to /dev/null; its pid. */
static pid_t start_make(const char *labs, const char *lab, const char *roster, const char *out)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        if (labs)
            setenv("GILSIM_LABS", labs, 1);
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(gilsim_bin(), "gilsim", "lab", "make", lab, "--roster", roster, "-o", out,
              "--jobs", "2", (char *)NULL);
        _exit(127);
    }
    assert_true(pid > 0);
    setpgid(pid, pid);
    return pid;
}

/* Ctrl-C in a terminal reaches the whole process group: the workers
 * stop at their next event, and no key.csv is written. */
static void test_interrupted_make(void **state)
{
    (void)state;
    char dir[400], out[400];
    snprintf(dir, sizeof dir, "%s/slowlabs/slow", tmpdir);
    snprintf(out, sizeof out, "%s/slowout", tmpdir);
    char *labs = join(tmpdir, "slowlabs");
    mkdir(labs, 0755);
    mkdir(dir, 0755);
    free(put_file_in(dir, "t.yaml", "machine: {cores: 2}\npython: {switch_interval: 50us}\n"
                  "duration: 1000s\nprocesses:\n  - name: app\n    threads:\n"
                  "      - {name: w, count: 8, program: [{repeat: forever, do: [{cpu: 10us}]}]}\n"));
    free(put_file_in(dir, "lab.yaml", "title: slow\nruns:\n  r: {template: t.yaml}\nquestions:\n"
                  "  - {id: q, kind: number, prompt: p, answer: \"r.summary.makespan_ns\","
                  " tolerance: {absolute: 0}}\n"));
    char *roster = put_file_in(tmpdir, "slow.csv", "student\na\nb\nc\n");
    pid_t pid = start_make(labs, "slow", roster, out);
    nanosleep(&(struct timespec){0, 700 * 1000 * 1000}, NULL);
    kill(-pid, SIGINT);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 128 + SIGINT);
    char path[600];
    struct stat sb;
    snprintf(path, sizeof path, "%s/key.csv", out);
    assert_int_not_equal(stat(path, &sb), 0);
    snprintf(path, sizeof path, "%s/.work", out);
    assert_int_not_equal(stat(path, &sb), 0);
    free(roster);
    free(labs);
}

/* lab make replaces DIR/ID for each student: a folder it did not make,
 * with a folder named like a student, is refused untouched; an empty one,
 * or one an earlier make marked, is written. */
static void test_make_refuses_foreign_folder(void **state)
{
    (void)state;
    char notes[400];
    snprintf(notes, sizeof notes, "%s/lecturer", tmpdir);
    assert_int_equal(mkdir(notes, 0755), 0);
    snprintf(notes, sizeof notes, "%s/lecturer/notes", tmpdir);
    assert_int_equal(mkdir(notes, 0755), 0);
    free(put_file_in(notes, "lecture.txt", "week 1\n"));
    assert_int_equal(make("lecturer", "student\nnotes\n", 1), 2);
    expect_err("lecturer: not empty and not made by gilsim lab make");
    expect_err("choose an empty or new folder");
    char *kept = file_in("lecturer", "notes/lecture.txt");
    assert_string_equal(kept, "week 1\n");
    free(kept);
    char empty[400];
    snprintf(empty, sizeof empty, "%s/emptyout", tmpdir);
    assert_int_equal(mkdir(empty, 0755), 0);
    assert_int_equal(make("emptyout", "student\nnotes\n", 1), 0);
    char *marker = file_in("emptyout", ".gilsim-lab");
    assert_non_null(strstr(marker, "gilsim lab make tiny"));
    assert_int_equal(make("emptyout", "student\nnotes\n", 1), 0);   /* made again */
    free(marker);
}

/* SIGTERM to lab make alone (kill PID, timeout), not to its process
 * group: it is passed on to the workers, which stop at their next event;
 * 400 students would take many seconds. */
static void test_term_parent_only(void **state)
{
    (void)state;
    char out[400], roster_text[4000] = "student\n";
    for (int i = 0; i < 400; i++)
        snprintf(roster_text + strlen(roster_text), sizeof roster_text - strlen(roster_text),
                 "s%d\n", i);
    snprintf(out, sizeof out, "%s/termout", tmpdir);
    char *roster = put_file_in(tmpdir, "term.csv", roster_text);
    pid_t pid = start_make(NULL, "tiny", roster, out);
    nanosleep(&(struct timespec){0, 500 * 1000 * 1000}, NULL);
    kill(pid, SIGTERM);
    int st = 0, waited = 0;
    for (; waited < 100 && waitpid(pid, &st, WNOHANG) == 0; waited++)
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    if (waited == 100) {
        kill(-pid, SIGKILL);
        waitpid(pid, &st, 0);
        fail_msg("lab make still ran 5 s after SIGTERM");
    }
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 128 + SIGTERM);
    char path[600];
    struct stat sb;
    snprintf(path, sizeof path, "%s/key.csv", out);
    assert_int_not_equal(stat(path, &sb), 0);
    int students = 0;
    DIR *d = opendir(out);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        students += e->d_name[0] == 's';
    closedir(d);
    assert_true(students < 200);
    free(roster);
}

/* gnuplot cannot be handed a folder name with a control character: such
 * an -o is refused before anything runs. */
static void test_make_control_char_out(void **state)
{
    (void)state;
    char *roster = put_file_in(tmpdir, "ctl.csv", "student\nalice\n");
    const char *names[] = {"tab\there", "ctl\001here", "del\177here"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(lab("lab make tiny --roster '%s' -o '%s/%s'", roster, tmpdir,
                             names[i]), 2);
        expect_err("a folder name with a control character cannot be handed to gnuplot");
        char path[600];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
        assert_int_not_equal(stat(path, &sb), 0);
    }
    free(roster);
}

static void test_list_and_show(void **state)
{
    (void)state;
    assert_int_equal(lab("lab list"), 0);
    assert_non_null(strstr(out_text, "tiny"));
    assert_non_null(strstr(out_text, "Tiny: CPU-bound threads take turns (threads, Example 1), "
                           "6 questions"));
    assert_int_equal(lab("lab show tiny"), 0);
    char *plain = strdup(out_text);
    assert_null(strstr(plain, "Key:"));
    assert_int_equal(lab("lab show tiny --student example -c"), 0);
    assert_non_null(strstr(out_text, "3. **faster** (choice): Which finishes first?\n"
                           "   - 1) threads\n   - 2) single\n   Key: single (tolerance -)\n"));
    assert_int_equal(lab("lab show tiny --student 'a b'"), 2);
    expect_err("--student 'a b'");
    free(plain);
}

/* lab show -o DIR: the student's handout (what show prints) and configs
 * (what lab make writes for the student, byte for byte, a design's
 * starting copy too), and nothing else: no key, no figures, no run. */
static void test_show_into_folder(void **state)
{
    (void)state;
    char *roster = put_file_in(tmpdir, "one.csv", "student\nalice\n");
    assert_int_equal(lab("lab make grade_demo --roster '%s' -o '%s/made' --jobs 1", roster, tmpdir), 0);
    free(roster);
    assert_int_equal(lab("lab show grade_demo --student alice"), 0);
    char *printed = strdup(out_text);
    assert_int_equal(lab("lab show grade_demo --student alice -o '%s/shown'", tmpdir), 0);
    assert_non_null(strstr(out_text, "alice's handout.md and configs/"));
    char path[600], *shown, *made;
    snprintf(path, sizeof path, "%s/shown", tmpdir);
    char *top = dir_names(path);
    assert_string_equal(top, "configs handout.md");
    char *handout = file_in("shown", "handout.md");
    assert_string_equal(handout, printed);
    snprintf(path, sizeof path, "%s/shown/configs", tmpdir);
    shown = dir_names(path);
    snprintf(path, sizeof path, "%s/made/alice/configs", tmpdir);
    made = dir_names(path);
    assert_string_equal(shown, made);
    assert_non_null(strstr(shown, "q_design.yaml"));       /* a design's starting copy */
    for (char *name = strtok(shown, " "); name; name = strtok(NULL, " ")) {
        char rel[300];
        snprintf(rel, sizeof rel, "configs/%s", name);
        char *a = file_in("shown", rel);
        snprintf(rel, sizeof rel, "alice/configs/%s", name);
        char *b = file_in("made", rel);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    /* a run with --set or --vary is headed by the command the key ran */
    assert_int_equal(lab("lab show tiny --student alice -o '%s/tiny'", tmpdir), 0);
    char *single = file_in("tiny", "configs/single.yaml");
    char *scaling = file_in("tiny", "configs/scaling.yaml");
    const char *head1 = "# gilsim run single.yaml --set 'processes.0.main.0.count=1'\n";
    const char *head2 = "# gilsim sweep scaling.yaml --vary 'machine.cores=1,";
    assert_true(!strncmp(single, head1, strlen(head1)));
    assert_true(!strncmp(scaling, head2, strlen(head2)));
    free(single);
    free(scaling);
    assert_int_equal(lab("lab show grade_demo --student alice -c -o '%s/both'", tmpdir), 2);
    expect_err("-o DIR writes the handout and configs alone: no -c");
    assert_int_equal(lab("lab show tiny --student alice -o ''"), 2);
    expect_err("lab show: -o needs a folder name");
    /* nothing mixed into a folder that holds files: another lab's configs stay out */
    assert_int_equal(lab("lab show tiny --student alice -o '%s/shown'", tmpdir), 2);
    expect_err("shown: not empty: lab show -o writes into a new or empty folder");
    snprintf(path, sizeof path, "%s/shown/configs", tmpdir);
    char *after = dir_names(path);
    assert_string_equal(after, made);
    free(after);
    free(printed);
    free(top);
    free(handout);
    free(shown);
    free(made);
}

/* A lab's run that deadlocks (lab 9's lock order) says nothing on stderr:
 * the deadlock is the lesson, read from the run's files, not a warning per
 * student. */
static void test_make_quiet_deadlock(void **state)
{
    (void)state;
    setenv("GILSIM_LABS", "configs/labs", 1);
    char *roster = put_file_in(tmpdir, "one.csv", "student\nana\n");
    int rc = lab("lab make lab9_safety --roster '%s' -o '%s/l9' --jobs 1", roster, tmpdir);
    setenv("GILSIM_LABS", "tests/labs", 1);
    free(roster);
    assert_int_equal(rc, 0);
    if (strstr(err_text, "hangs"))
        fail_msg("a warning on stderr: %s", err_text);
    char *key = file_in("l9", "key.csv");
    assert_non_null(strstr(key, "\"ana\",\"lab9_safety\",\"deadlock_end\","));
    free(key);
}

/* A folder among the labs that cannot be one is said, never silently left
 * out; lab check fails on it. */
static void test_not_a_lab_said(void **state)
{
    (void)state;
    char root[400], dir[450];
    snprintf(root, sizeof root, "%s/labroot", tmpdir);
    mkdir(root, 0755);
    snprintf(dir, sizeof dir, "%s/Bad-Name", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/nolab", root);
    mkdir(dir, 0755);
    setenv("GILSIM_LABS", root, 1);
    int listed = lab("lab list");
    char *list_err = strdup(err_text);
    int checked = lab("lab check");
    setenv("GILSIM_LABS", "tests/labs", 1);
    assert_int_equal(listed, 0);
    assert_non_null(strstr(list_err, "Bad-Name: not a lab, left out: a lab's folder is named "
                                     "with a-z, 0-9 and _ only"));
    assert_non_null(strstr(list_err, "nolab: not a lab, left out: no lab.yaml in it"));
    assert_int_equal(checked, 2);
    assert_non_null(strstr(err_text, "nolab: not a lab"));
    free(list_err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_make_three_students),
        cmocka_unit_test(test_variants_stable),
        cmocka_unit_test(test_key_matches_fresh_run),
        cmocka_unit_test(test_jobs_same_bytes),
        cmocka_unit_test(test_roster_errors),
        cmocka_unit_test(test_unknown_lab),
        cmocka_unit_test(test_formula_errors),
        cmocka_unit_test(test_interrupted_make),
        cmocka_unit_test(test_make_refuses_foreign_folder),
        cmocka_unit_test(test_term_parent_only),
        cmocka_unit_test(test_make_control_char_out),
        cmocka_unit_test(test_list_and_show),
        cmocka_unit_test(test_show_into_folder),
        cmocka_unit_test(test_make_quiet_deadlock),
        cmocka_unit_test(test_not_a_lab_said),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    free(out_text);
    free(err_text);
    return rc;
}
