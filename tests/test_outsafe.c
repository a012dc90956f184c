/* test_outsafe.c — what a run or sweep promises about its output folder:
 * one writer at a time, no stale or partial files, a clean stop on
 * SIGINT/SIGTERM, every write checked (a full disk, a full stdout), long
 * paths, safe default names and the usage errors around them. */
#define _DEFAULT_SOURCE          /* mount(2), umount2(2) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "testlib.h"
#include "clilib.h"
#include "engine/util.h"
#include "out/figures.h"

/* A long traced run: about 45 s at full speed, so always stopped first. */
#define LONG_RUN "run", "configs/default.yaml", "--set", "duration=600s", \
                 "--set", "processes.0.threads.0.count=16", "--set", "python.switch_interval=100us"

static char tmpdir[256];
static char binpath[4096];

static int setup(void **state)
{
    (void)state;
    if (!realpath(gilsim_bin(), binpath))
        return -1;
    return tmp_make(tmpdir, sizeof tmpdir, "outsafe");
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/full", tmpdir);
    umount2(cmd, MNT_DETACH);    /* test_disk_full's tmpfs, even when it failed */
    return tmp_remove(tmpdir);
}

static char *tpath(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A path under the test's folder, malloc'd. */
static char *tpath(const char *fmt, ...)
{
    char rest[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rest, sizeof rest, fmt, ap);
    va_end(ap);
    size_t n = strlen(tmpdir) + strlen(rest) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", tmpdir, rest);
    return p;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static int exists_in(const char *dir, const char *name)
{
    char *p = tpath("%s/%s", dir, name);
    int e = exists(p);
    free(p);
    return e;
}

static char *slurp_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = '\0';
    fclose(f);
    return b;
}

/* Starts the binary with args (NULL-terminated) in cwd (NULL: here),
 * stdout and stderr to tmpdir/NAME.out and NAME.err. */
static pid_t start_in(const char *cwd, const char *name, const char *const *args)
{
    char *out = tpath("%s.out", name), *err = tpath("%s.err", name);
    const char *argv[64] = {binpath};
    int n = 1;
    while (args[n - 1] && n < 63) {
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 || (cwd && chdir(cwd) != 0))
            _exit(99);
        execv(binpath, (char *const *)argv);
        _exit(98);
    }
    free(out);
    free(err);
    return pid;
}

static pid_t start(const char *name, const char *const *args)
{
    return start_in(NULL, name, args);
}

static int finish(pid_t pid)
{
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (!WIFEXITED(st))
        fail_msg("gilsim died of signal %d", WTERMSIG(st));
    return WEXITSTATUS(st);
}

static int run(const char *name, const char *const *args)
{
    return finish(start(name, args));
}

/* What the run called name printed on stderr (malloc'd). */
static char *err_of(const char *name)
{
    char *p = tpath("%s.err", name);
    char *s = slurp_text(p);
    free(p);
    assert_non_null(s);
    return s;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void assert_no_parts(const char *dir)
{
    char *p = tpath("%s", dir);
    DIR *d = opendir(p);
    free(p);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 5 && !strcmp(e->d_name + n - 5, ".part"))
            fail_msg("%s/%s is left", dir, e->d_name);
    }
    closedir(d);
}

/* No file of a run in dir: no results and no *.part. */
static void assert_no_results(const char *dir)
{
    static const char *const names[] = {"trace.csv", "log.csv", "threads.csv", "tasks.csv",
                                        "summary.csv", "trace.json", "sweep.csv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (exists_in(dir, names[i]))
            fail_msg("%s/%s is left", dir, names[i]);
    assert_no_parts(dir);
}

static int file_equal(const char *a, const char *b)
{
    char *x = slurp_text(a), *y = slurp_text(b);
    int eq = x && y && !strcmp(x, y);
    free(x);
    free(y);
    return eq;
}

/* ---- one writer per folder ---- */

#define RACE_RUN(dir, seed) "run", "configs/default.yaml", "-q", "-o", dir, "--seed", seed, \
    "--set", "duration=100s", "--set", "processes.0.threads.0.count=16", \
    "--set", "python.switch_interval=1ms"  /* about 0.5 s: long enough to overlap */

/* The folder holds one run's files, byte for byte those of a run alone
 * with the seed summary.csv names. */
static void assert_one_run(const char *dir)
{
    char *sum = tpath("%s/summary.csv", dir);
    char *s = slurp_text(sum);
    free(sum);
    assert_non_null(s);
    const char *seed = strstr(s, "\n\"default\",1,") ? "1" : strstr(s, "\n\"default\",2,") ? "2" : NULL;
    if (!seed)
        fail_msg("summary.csv of neither run: %s", s);
    free(s);
    static const char *const files[] = {"trace.csv", "threads.csv", "log.csv"};
    for (int i = 0; i < 3; i++) {
        char *got = tpath("%s/%s", dir, files[i]), *want = tpath("ref%s/%s", seed, files[i]);
        if (!file_equal(got, want))
            fail_msg("%s is not the seed-%s run's", got, seed);
        free(got);
        free(want);
    }
    assert_no_parts(dir);
}

static void make_refs(void)
{
    static int made;
    if (made++)
        return;
    char *r1 = tpath("ref1"), *r2 = tpath("ref2");
    assert_int_equal(run("ref1", (const char *[]){RACE_RUN(r1, "1"), NULL}), 0);
    assert_int_equal(run("ref2", (const char *[]){RACE_RUN(r2, "2"), NULL}), 0);
    free(r1);
    free(r2);
}

/* Two runs at once into one folder, ten times: one writes, the other
 * fails at once naming the folder and the writer's pid. */
static void test_concurrent_runs_one_wins(void **state)
{
    (void)state;
    make_refs();
    char *dir = tpath("race");
    for (int i = 0; i < 10; i++) {
        pid_t a = start("a", (const char *[]){RACE_RUN(dir, "1"), NULL});
        pid_t b = start("b", (const char *[]){RACE_RUN(dir, "2"), NULL});
        int ra = finish(a), rb = finish(b);
        if (!((ra == 0 && rb == 1) || (ra == 1 && rb == 0)))
            fail_msg("round %d: exits %d and %d, wanted one 0 and one 1", i, ra, rb);
        char *err = err_of(ra ? "a" : "b");
        if (!strstr(err, dir) || !strstr(err, "in use by another gilsim (pid ") ||
            strstr(err, "(pid 0)") || strchr(err, '\n') != err + strlen(err) - 1)
            fail_msg("round %d: the loser said: %s", i, err);
        free(err);
        assert_one_run("race");
    }
    free(dir);
}

/* The same with --wait: both write, one after the other. */
static void test_concurrent_runs_wait(void **state)
{
    (void)state;
    make_refs();
    char *dir = tpath("racewait");
    for (int i = 0; i < 3; i++) {
        pid_t a = start("a", (const char *[]){RACE_RUN(dir, "1"), "--wait", NULL});
        pid_t b = start("b", (const char *[]){RACE_RUN(dir, "2"), "--wait", NULL});
        assert_int_equal(finish(a), 0);
        assert_int_equal(finish(b), 0);
        assert_one_run("racewait");
    }
    free(dir);
}

/* A summary run after a full one: the old trace and figures go, the
 * user's own file stays. */
static void test_stale_files_removed(void **state)
{
    (void)state;
    char *dir = tpath("stale");
    assert_int_equal(run("s1", (const char *[]){"run", "configs/default.yaml", "-q", "-o", dir,
                                                "--perfetto", NULL}), 0);
    assert_true(exists_in("stale", "trace.csv"));
    static const char *const planted[] = {"notes.txt", "timeline.png", "timeline.dat",
                                          "summary.csv.part", "asymmetry.dat",
                                          "timeline_lanes.dat", "cores.svg.part",
                                          "tasks.csv.part"};
    for (int i = 0; i < 8; i++) {
        char *p = tpath("stale/%s", planted[i]);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs("x\n", f);
        fclose(f);
        free(p);
    }
    assert_int_equal(run("s2", (const char *[]){"run", "configs/default.yaml", "-q", "-o", dir,
                                                "--trace", "summary", NULL}), 0);
    assert_false(exists_in("stale", "trace.csv"));
    assert_false(exists_in("stale", "trace.json"));
    assert_false(exists_in("stale", "timeline.png"));
    assert_false(exists_in("stale", "timeline.dat"));
    assert_false(exists_in("stale", "asymmetry.dat"));
    assert_false(exists_in("stale", "timeline_lanes.dat"));
    assert_true(exists_in("stale", "summary.csv"));
    assert_true(exists_in("stale", "notes.txt"));
    assert_no_parts("stale");
    free(dir);
}

/* Plants dir/name with one line in it. */
static void plant(const char *dir, const char *name)
{
    char *p = tpath("%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("x\n", f);
    fclose(f);
    free(p);
}

/* Every figure of the table, in every format, and its data files, and
 * every zoom's: a run clears them all, and each figure has its script. */
static void test_every_figure_cleared(void **state)
{
    (void)state;
    char *dir = tpath("figs");
    assert_int_equal(mkdir(dir, 0777), 0);
    for (size_t i = 0; i < figure_kinds_count; i++) {
        const figure_kind_t *k = &figure_kinds[i];
        char *script = text_printf("plots/%s.gp", k->name);
        assert_true(exists(script));
        free(script);
        for (int f = 0; figure_formats[f]; f++) {
            char *name = text_printf("%s.%s", k->name, figure_formats[f]);
            char *part = text_printf("%s.part", name);
            plant("figs", name);
            plant("figs", part);
            free(name);
            free(part);
        }
        for (int d = 0; k->data[d]; d++)
            plant("figs", k->data[d]);
    }
    /* zooms' files, whatever their window; names only like them stay */
    static const char *const zooms[] = {"timeline-0-100ms.png", "timeline-2s-end.svg.part",
                                        "latency-1500us-3ms.dat", "latency-7ns-end.pdf"};
    static const char *const kept[] = {"timeline-notes.png", "cores-0-100ms.png",
                                       "timeline-0-100ms.png.bak", "timeline-0-1h.png"};
    for (int i = 0; i < 4; i++) {
        plant("figs", zooms[i]);
        plant("figs", kept[i]);
    }
    assert_int_equal(run("f1", (const char *[]){"run", "configs/default.yaml", "-q", "-o", dir,
                                                "--trace", "summary", NULL}), 0);
    for (size_t i = 0; i < figure_kinds_count; i++) {
        const figure_kind_t *k = &figure_kinds[i];
        for (int f = 0; figure_formats[f]; f++) {
            char *name = text_printf("%s.%s", k->name, figure_formats[f]);
            if (exists_in("figs", name))
                fail_msg("%s left behind", name);
            free(name);
        }
        for (int d = 0; k->data[d]; d++)
            if (exists_in("figs", k->data[d]))
                fail_msg("%s left behind", k->data[d]);
    }
    for (int i = 0; i < 4; i++) {
        if (exists_in("figs", zooms[i]))
            fail_msg("%s left behind", zooms[i]);
        if (!exists_in("figs", kept[i]))
            fail_msg("%s, no zoom of gilsim's, removed", kept[i]);
    }
    assert_no_parts("figs");
    free(dir);
}

/* ---- interruption ---- */

static void kill_run(int sig, int code, const char *signame)
{
    char *dir = tpath("killed-%d", sig);
    assert_int_equal(mkdir(dir, 0777), 0);          /* the folder stays: look inside */
    pid_t p = start("k", (const char *[]){LONG_RUN, "-o", dir, "--perfetto", NULL});
    sleep_ms(500);
    kill(p, sig);
    double t0 = now_s();
    int rc = finish(p);
    assert_int_equal(rc, code);
    assert_true(now_s() - t0 < 2.0);                /* at the next event */
    char *err = err_of("k"), want[128];
    snprintf(want, sizeof want, "interrupted by %s at simulated ", signame);
    if (!strstr(err, want) || !strstr(err, "of 600.000 s; no files written"))
        fail_msg("stderr: %s", err);
    free(err);
    assert_no_results(dir + strlen(tmpdir) + 1);
    free(dir);
}

static void test_kill_run(void **state)
{
    (void)state;
    kill_run(SIGINT, 130, "SIGINT");
    kill_run(SIGTERM, 143, "SIGTERM");
}

/* gilsim plot never reads a folder a run is writing. */
static void test_plot_refuses_busy_folder(void **state)
{
    (void)state;
    char *dir = tpath("busy");
    pid_t p = start("bz", (const char *[]){LONG_RUN, "-o", dir, NULL});
    sleep_ms(300);
    int rc = run("pl", (const char *[]){"plot", dir, NULL});
    char *err = err_of("pl");
    kill(p, SIGTERM);
    assert_int_equal(finish(p), 143);
    if (rc != 1 || !strstr(err, "is being written by gilsim (pid ") || !strstr(err, dir))
        fail_msg("plot: exit %d, stderr: %s", rc, err);
    free(err);
    free(dir);
}

static void test_kill_sweep(void **state)
{
    (void)state;
    char *dir = tpath("ksweep");
    pid_t p = start("ks", (const char *[]){"sweep", "configs/default.yaml", "-o", dir, "--set",
                                           "duration=1s", "--seeds", "100000", NULL});
    sleep_ms(500);
    kill(p, SIGINT);
    assert_int_equal(finish(p), 130);
    char *err = err_of("ks");
    long done = -1;
    char *at = strstr(err, "gilsim: sweep interrupted by SIGINT after ");
    if (!at || sscanf(at, "gilsim: sweep interrupted by SIGINT after %ld of 100000 runs", &done) != 1
        || done < 1 || !strstr(err, "sweep-partial.csv: the same command with --resume runs the"))
        fail_msg("stderr: %s", err);
    free(err);
    assert_no_results("ksweep");        /* no sweep.csv: the rows done are kept apart */
    char *part = tpath("ksweep/sweep-partial.csv"), *rows = slurp_text(part);
    long lines = 0;
    for (const char *c = rows; c && *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, done + 1);
    free(rows);
    free(part);
    free(dir);
}

/* ---- every write checked ---- */

/* The simulated seconds in "at simulated 1.234 s of" (or ms). */
static double simulated_at(const char *err)
{
    const char *at = strstr(err, "at simulated ");
    double v;
    char unit[8];
    if (!at || sscanf(at, "at simulated %lf %7s", &v, unit) != 2)
        fail_msg("no simulated time in: %s", err);
    return !strcmp(unit, "ms") ? v / 1e3 : !strcmp(unit, "us") ? v / 1e6 : v;
}

static void full_disk_run(const char *sub, const char *extra, const char *file)
{
    char *dir = tpath("full/%s", sub);
    double t0 = now_s();
    int rc = run("f", (const char *[]){LONG_RUN, "-q", "-o", dir, extra, extra ? "--trace" : NULL,
                                      "summary", NULL});
    double wall = now_s() - t0;
    char *err = err_of("f"), want[256];
    snprintf(want, sizeof want, "%s/%s: No space left on device", dir, file);
    if (rc != 1 || !strstr(err, want))
        fail_msg("exit %d, stderr: %s (wanted '%s')", rc, err, want);
    /* stopped at once: far from the 600 s to simulate, and from ~45 s of wall time */
    assert_true(simulated_at(err) < 300.0);
    assert_true(wall < 8.0);
    free(err);
    assert_no_results(dir + strlen(tmpdir) + 1);
    free(dir);
}

/* A file written once the run has ended does not fit (tasks.csv: 20,000
 * tasks, 2 MB, with --trace summary): the message names it, and no file of
 * the run is left. */
static void full_disk_at_end(void)
{
    char *dir = tpath("full/end");
    int rc = run("f", (const char *[]){"run", "configs/seed/many_io_tasks.yaml", "-q", "-o", dir,
                                      "--trace", "summary", "--set",
                                      "functions.main.body.0.count=20000", NULL});
    char *err = err_of("f"), want[256];
    snprintf(want, sizeof want, "writing %s/tasks.csv: No space left on device", dir);
    if (rc != 1 || !strstr(err, want))
        fail_msg("exit %d, stderr: %s (wanted '%s')", rc, err, want);
    free(err);
    assert_no_results(dir + strlen(tmpdir) + 1);
    free(dir);
}

static void test_disk_full(void **state)
{
    (void)state;
    char *mnt = tpath("full");
    assert_int_equal(mkdir(mnt, 0777), 0);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=1m") != 0) {
        fprintf(stderr, "test_disk_full: skipped: cannot mount a tmpfs (%s); needs root\n",
                strerror(errno));
        free(mnt);
        skip();
    }
    full_disk_run("trace", NULL, "trace.csv");
    full_disk_run("json", "--perfetto", "trace.json");
    full_disk_at_end();
    umount2(mnt, MNT_DETACH);
    free(mnt);
}

static void test_stdout_full(void **state)
{
    (void)state;
    char cmd[5000];
    char *err = tpath("dn.err");
    snprintf(cmd, sizeof cmd, "'%s' run configs/default.yaml --trace none >/dev/full 2>'%s'",
             binpath, err);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 1);
    char *e = slurp_text(err);
    if (!e || strcmp(e, "gilsim: writing to standard output: No space left on device\n"))
        fail_msg("stderr: %s", e ? e : "(none)");
    free(e);
    free(err);
}

/* ---- paths and names ---- */

static void test_long_paths(void **state)
{
    (void)state;
    char rel[2100] = "long";
    while (strlen(rel) < 2000 - 201)
        strcat(rel, "/ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
                    "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
                    "dddddddddddddddddddddddddddddddd");
    char *dir = tpath("%s", rel);
    assert_true(strlen(dir) >= 2000);
    assert_int_equal(run("lp", (const char *[]){"run", "configs/default.yaml", "-q", "--set",
                                                "duration=1s", "--perfetto", "-o", dir, NULL}), 0);
    assert_true(exists_in(rel, "trace.json"));
    assert_true(exists_in(rel, "summary.csv"));
    assert_no_parts(rel);
    free(dir);
    /* a component over NAME_MAX: one line naming it */
    char name[300];
    memset(name, 'n', 299);
    name[299] = '\0';
    dir = tpath("%s", name);
    assert_int_equal(run("nm", (const char *[]){"run", "configs/default.yaml", "-q", "-o", dir, NULL}), 1);
    char *err = err_of("nm");
    if (!strstr(err, dir) || !strstr(err, "File name too long") ||
        strchr(err, '\n') != err + strlen(err) - 1)
        fail_msg("stderr: %s", err);
    free(err);
    free(dir);
}

/* name: ../escape without -o stays in out/, for a run and a sweep. */
static void test_name_stays_in_out(void **state)
{
    (void)state;
    char *yaml = slurp_text("configs/default.yaml"), *cfg = tpath("esc/cfg.yaml"), *dir = tpath("esc");
    assert_non_null(yaml);
    assert_int_equal(mkdir(dir, 0777), 0);
    char *name = strstr(yaml, "name: default");
    assert_non_null(name);
    FILE *f = fopen(cfg, "w");
    assert_non_null(f);
    fprintf(f, "%.*sname: ../escape%s", (int)(name - yaml), yaml, name + strlen("name: default"));
    fclose(f);
    pid_t p = start_in(dir, "esc", (const char *[]){"run", "cfg.yaml", "-q", "--trace", "summary",
                                                    "--set", "duration=1s", NULL});
    assert_int_equal(finish(p), 0);
    p = start_in(dir, "esc", (const char *[]){"sweep", "cfg.yaml", "-q", "--set", "duration=1s",
                                              "--seeds", "1", NULL});
    assert_int_equal(finish(p), 0);
    assert_false(exists_in("esc", "escape"));
    assert_false(exists_in("esc", "escape-sweep"));
    assert_true(exists_in("esc", "out/_._escape/summary.csv"));
    assert_true(exists_in("esc", "out/_._escape-sweep/sweep.csv"));
    free(yaml);
    free(cfg);
    free(dir);
}

/* A config deep in folders (a 1,000-byte path) with a mistake: the one
 * line still ends with the reason, the path shortened from the left. */
static void test_long_config_path_error(void **state)
{
    (void)state;
    char rel[1100] = "deep";
    char *d = tpath("%s", rel);
    assert_int_equal(mkdir(d, 0777), 0);
    free(d);
    for (int i = 0; i < 5; i++) {
        strcat(rel, "/");
        for (int k = 0; k < 190; k++)
            strcat(rel, "d");
        d = tpath("%s", rel);
        assert_int_equal(mkdir(d, 0777), 0);
        free(d);
    }
    char *cfg = tpath("%s/bad.yaml", rel);
    FILE *f = fopen(cfg, "w");
    assert_non_null(f);
    fputs("machine: {cores: 0}\nprocesses: [{main: [{cpu: 1ms}]}]\n", f);
    fclose(f);
    assert_int_equal(run("deep", (const char *[]){"run", cfg, "--trace", "none", NULL}), 2);
    char *err = err_of("deep");
    const char *want = "/bad.yaml:1:18: expected a positive integer, got '0'\n";
    size_t n = strlen(err), w = strlen(want);
    if (n < w || strcmp(err + n - w, want) || strchr(err, '\n') != err + n - 1)
        fail_msg("wanted one line ending in the reason, got: %s", err);
    free(err);
    free(cfg);
}

/* Long names and texts of two-byte letters: log.csv holds the exception and
 * crash lines whole (once they were cut at 255 bytes inside a letter). */
static void test_long_texts_whole(void **state)
{
    (void)state;
    char name[129] = "", exc[200] = "EE", crash[500] = "c";
    for (int i = 0; i < 64; i++)
        strcat(name, "\xc3\xa9");                  /* é: 128 bytes in all */
    for (int i = 0; i < 63; i++)
        strcat(exc, "\xc3\xa9");
    for (int i = 0; i < 200; i++)
        strcat(crash, "\xc3\xa9");
    char *cfg = tpath("long.yaml"), *dir = tpath("long");
    FILE *f = fopen(cfg, "w");
    assert_non_null(f);
    fprintf(f, "processes:\n  - threads:\n      - name: \"%s\"\n        program:\n"
               "          - raise: \"%s\"\n  - name: q\n    main:\n      - crash: \"%s\"\n",
            name, exc, crash);
    fclose(f);
    assert_int_equal(run("long", (const char *[]){"run", cfg, "-q", "-o", dir, NULL}), 0);
    char *log = tpath("long/log.csv"), *text = slurp_text(log);
    assert_non_null(text);
    char want[1200];
    snprintf(want, sizeof want, "\"Exception in thread %s: %s\"\n", name, exc);
    assert_non_null(strstr(text, want));
    snprintf(want, sizeof want, "\"process q crashed: %s\"\n", crash);
    assert_non_null(strstr(text, want));
    free(text);
    free(log);
    free(cfg);
    free(dir);
}

/* A folder from someone else with symbolic links under the names a run
 * writes: the run replaces the links and never writes through them; a link
 * as the lock file is refused. */
static void test_planted_links(void **state)
{
    (void)state;
    static const char *const names[] = {
        "trace.csv", "log.csv", "threads.csv", "tasks.csv", "summary.csv", "trace.json",
        "sweep.csv", "trace.csv.part", "log.csv.part", "threads.csv.part", "tasks.csv.part",
        "summary.csv.part", "trace.json.part", "sweep.csv.part",
    };
    char *victim = tpath("victim"), *dir = tpath("links"), *dir2 = tpath("links2");
    FILE *f = fopen(victim, "w");
    assert_non_null(f);
    fputs("untouched\n", f);
    fclose(f);
    assert_int_equal(mkdir(dir, 0777), 0);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *l = tpath("links/%s", names[i]);
        assert_int_equal(symlink(victim, l), 0);
        free(l);
    }
    assert_int_equal(run("ln", (const char *[]){"run", "configs/default.yaml", "-q", "-o", dir,
                                               "--perfetto", "--set", "duration=100ms", NULL}), 0);
    assert_int_equal(run("ln", (const char *[]){"sweep", "configs/default.yaml", "-q", "-o", dir,
                                               "--set", "duration=100ms", "--seeds", "2", NULL}),
                     0);
    char *text = slurp_text(victim);
    assert_string_equal(text, "untouched\n");
    free(text);
    struct stat sb;
    char *sum = tpath("links/sweep.csv");
    assert_int_equal(lstat(sum, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    free(sum);
    assert_int_equal(mkdir(dir2, 0777), 0);
    char *lock = tpath("links2/.gilsim.lock");
    assert_int_equal(symlink(victim, lock), 0);
    assert_int_equal(run("ln", (const char *[]){"run", "configs/default.yaml", "-q", "-o", dir2,
                                               "--set", "duration=100ms", NULL}), 1);
    char *err = err_of("ln");
    assert_non_null(strstr(err, ".gilsim.lock: a symbolic link, refused"));
    text = slurp_text(victim);
    assert_string_equal(text, "untouched\n");
    free(text);
    free(err);
    free(lock);
    free(victim);
    free(dir);
    free(dir2);
}

/* Names with a terminal escape and a newline: the printed summary and the
 * deadlock warning show them as escapes, never raw. */
static void test_names_printed_as_text(void **state)
{
    (void)state;
    char *cfg = tpath("ctl.yaml");
    FILE *f = fopen(cfg, "w");
    assert_non_null(f);
    fputs("name: \"run\\e]0;T\\a\\nx\"\n"
          "objects: [{name: l, kind: lock}]\n"
          "processes:\n"
          "  - name: \"p\\e[2J\"\n"
          "    main: [{mark: \"m\\e[31m\"}]\n"
          "    threads:\n"
          "      - name: \"t\\nu\"\n"
          "        program:\n"
          "          - with_lock: l\n"
          "            do: [{with_lock: l, do: [{cpu: 1ms}]}]\n", f);
    fclose(f);
    assert_int_equal(run("ctl", (const char *[]){"run", cfg, "--trace", "none", NULL}), 0);
    char *out = tpath("ctl.out"), *text = slurp_text(out), *err = err_of("ctl");
    assert_non_null(text);
    if (strchr(text, '\x1b') || strchr(err, '\x1b') || strchr(text, '\a'))
        fail_msg("a raw control character was printed:\n%s%s", text, err);
    assert_non_null(strstr(text, "gilsim: run\\x1b]0;T\\x07\\nx, seed 1"));
    assert_non_null(strstr(text, "t\\nu"));
    assert_non_null(strstr(text, "m\\x1b[31m"));
    assert_non_null(strstr(err, "  p\\x1b[2J/t\\nu: waits for lock l, held by t\\nu"));
    free(out);
    free(text);
    free(err);
    free(cfg);
}

static void expect_usage(const char *const *args, const char *msg)
{
    int rc = run("u", args);
    char *err = err_of("u");
    const char *nl = strchr(err, '\n');
    if (rc != 2 || !strstr(err, msg) || !nl || nl[1])
        fail_msg("%s %s: exit %d, stderr: %s (wanted one line with '%s')", args[0], args[1], rc,
                 err, msg);
    free(err);
}

/* -o "", a seed over UINT64_MAX, a sweep of too many runs (also when the
 * product would overflow), an argument holding a newline: exit 2 with one
 * line, nothing run. */
static void test_usage_errors(void **state)
{
    (void)state;
    expect_usage((const char *[]){"run", "configs/default.yaml", "-o", "", NULL},
                 "-o '': the output folder cannot be empty");
    expect_usage((const char *[]){"run", "configs/default.yaml", "--trace", "a\nb", NULL},
                 "--trace 'a\\nb': expected full, summary or none");
    expect_usage((const char *[]){"sweep", "configs/default.yaml", "-o", "", "--seeds", "2", NULL},
                 "-o '': the output folder cannot be empty");
    expect_usage((const char *[]){"run", "configs/default.yaml", "--seed", "18446744073709551616",
                                  NULL}, "--seed '18446744073709551616': expected");
    assert_int_equal(run("u", (const char *[]){"run", "configs/default.yaml", "--trace", "none",
                                              "-q", "--set", "duration=1s",
                                              "--seed", "18446744073709551615", NULL}), 0);
    expect_usage((const char *[]){"sweep", "configs/default.yaml", "--seeds", "1000000",
                                  "--vary", "machine.cores=1,2", NULL}, "more than 1000000 runs");
    /* 2^19 seeds times 1024^5 values: 2^69 runs, 0 in 64-bit arithmetic */
    static char vary[5][2200];
    for (int k = 0; k < 5; k++)
        for (int i = 0; i < 1024; i++)
            sprintf(vary[k] + strlen(vary[k]), i ? ",1" : "k%d=1", k);
    expect_usage((const char *[]){"sweep", "configs/default.yaml", "--seeds", "524288",
                                  "--vary", vary[0], "--vary", vary[1], "--vary", vary[2],
                                  "--vary", vary[3], "--vary", vary[4], NULL},
                 "more than 1000000 runs");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_runs_one_wins),
        cmocka_unit_test(test_concurrent_runs_wait),
        cmocka_unit_test(test_stale_files_removed),
        cmocka_unit_test(test_every_figure_cleared),
        cmocka_unit_test(test_kill_run),
        cmocka_unit_test(test_kill_sweep),
        cmocka_unit_test(test_plot_refuses_busy_folder),
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test(test_stdout_full),
        cmocka_unit_test(test_long_paths),
        cmocka_unit_test(test_name_stays_in_out),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_names_printed_as_text),
        cmocka_unit_test(test_planted_links),
        cmocka_unit_test(test_long_texts_whole),
        cmocka_unit_test(test_long_config_path_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
