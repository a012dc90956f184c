/* test_plotwrite.c — what `gilsim plot` writes into a run folder it is
 * handed: never through a link planted there, never while another gilsim
 * writes the folder, only numbers gilsim formatted passed to gnuplot, and
 * nothing half-drawn left when a signal stops it. */
#include "plotlib.h"

/* Every file plotting writes, planted as a symlink to a file outside the
 * folder: the targets stay as they were, the folder gets real files. */
static void test_plot_never_writes_through_links(void **state)
{
    (void)state;
    static const char *const names[] = {
        "cores.dat", "asymmetry.dat", "timeline.dat", "latency.dat", "timeline_lanes.dat",
        "timeline.png.part", "cores.png.part", "latency.png.part", "asymmetry.png.part",
        "timeline.png", "cores.png", "latency.png", "asymmetry.png",
    };
    enum { N = sizeof names / sizeof names[0] };
    char *dir = join(tmpdir, "links"), *victims = join(tmpdir, "victims"), *err;
    make_run(dir, good_trace);
    assert_int_equal(mkdir(victims, 0755), 0);
    for (int i = 0; i < N; i++) {
        char *v = join(victims, names[i]), *l = join(dir, names[i]);
        spew(v, "victim\n", 7);
        assert_int_equal(symlink(v, l), 0);
        free(v);
        free(l);
    }
    int rc = GILSIM(tmpdir, &err, "plot", dir, "-q");
    if (rc != 0 || err[0])
        fail_msg("exit %d: %s", rc, err);
    free(err);
    for (int i = 0; i < N; i++) {
        size_t n;
        struct stat sb;
        char *v = join(victims, names[i]), *l = join(dir, names[i]), *text = slurp(v, &n);
        if (n != 7 || memcmp(text, "victim\n", 7) != 0)
            fail_msg("plotting wrote through the link %s", names[i]);
        int part = strstr(names[i], ".part") != NULL;
        if (part ? lstat(l, &sb) == 0 : lstat(l, &sb) != 0 || !S_ISREG(sb.st_mode))
            fail_msg("%s: %s", names[i], part ? "left behind" : "not a real file");
        free(text);
        free(v);
        free(l);
    }
    assert_figure(dir, "timeline.png");
    /* the lock file too: a link there is refused, never locked or written */
    char *lock = join(dir, ".gilsim.lock"), *v = join(victims, "cores.dat");
    unlink(lock);
    assert_int_equal(symlink(v, lock), 0);
    assert_int_equal(GILSIM(tmpdir, &err, "plot", dir, "-q"), 1);
    assert_one_line(err, ".gilsim.lock: a symbolic link, refused");
    free(err);
    size_t n;
    char *text = slurp(v, &n);
    assert_true(n == 7 && memcmp(text, "victim\n", 7) == 0);
    free(text);
    free(lock);
    free(v);
    free(victims);
    free(dir);
}

/* jain_min reaches gnuplot as a number gilsim printed: a value strtod
 * takes but that is no plain decimal is refused (exit 2), never passed on. */
static void test_plot_refuses_odd_jain(void **state)
{
    (void)state;
    static const char *const bad[] = {"0x1p-2", "inf", "nan", " 0.5", "1e999", "", ".", "1e"};
    char *dir = join(tmpdir, "jain"), *sum = join(dir, "summary.csv"), line[256];
    make_run(dir, good_trace);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(line, sizeof line, "config,cores,threads,gil_policy,switch_interval_ns,"
                 "makespan_ns,core_util,jain_min\nc,2,1,new,5000000,4000000,0.5;0.25,\"%s\"\n",
                 bad[i]);
        spew(sum, line, strlen(line));
        expect_bad(dir, "jain/summary.csv:2: jain_min is not a plain decimal number");
    }
    snprintf(line, sizeof line, "config,cores,threads,gil_policy,switch_interval_ns,"
             "makespan_ns,core_util,jain_min\nc,2,1,new,5000000,4000000,0.5;0.25,2.5E-01\n");
    spew(sum, line, strlen(line));
    assert_int_equal(GILSIM(tmpdir, NULL, "plot", dir, "-q", "--format", "svg"), 0);
    assert_svg_shows(dir, "asymmetry.svg", "lowest Jain index of a group 0.250");
    free(sum);
    free(dir);
}

/* Two plots of one folder at once: one draws, the other is refused at
 * once naming the holder (never both writing the data files). */
static void test_plot_twice_at_once(void **state)
{
    (void)state;
    char *dir = join(tmpdir, "twice"), *err[2];
    int rc = GILSIM(home, NULL, "run", "configs/default.yaml", "-q", "--set", "duration=60s",
                    "-o", dir);
    assert_int_equal(rc, 0);
    for (int round = 0; round < 3; round++) {
        pid_t a = start_gilsim(tmpdir, NULL, "err-a", (const char *const[]){bin, "plot", dir, "-q", NULL});
        pid_t b = start_gilsim(tmpdir, NULL, "err-b", (const char *const[]){bin, "plot", dir, "-q", NULL});
        int ra = reap(a, "err-a", &err[0]), rb = reap(b, "err-b", &err[1]);
        int loser = ra == 0;                     /* exits 0 and 1, in either order */
        if (ra + rb != 1 || err[1 - loser][0])
            fail_msg("round %d: exits %d and %d: %s / %s", round, ra, rb, err[0], err[1]);
        assert_one_line(err[loser], "twice is being written by gilsim (pid ");
        static const char *const figs[] = {"timeline.png", "cores.png", "asymmetry.png"};
        for (int i = 0; i < 3; i++)
            assert_figure(dir, figs[i]);
        assert_false(exists(dir, "timeline.png.part"));
        free(err[0]);
        free(err[1]);
    }
    free(dir);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Starts gilsim (in its own process group) with a fake gnuplot that
 * makes its output file and sleeps; once the timeline's .part file is
 * there, sends sig (to the group: a Ctrl-C, which hits gnuplot too, or
 * to gilsim alone) and checks: exit 128 + sig within 2 s, one line saying
 * so, no .part file left. */
static void interrupt_plot(const char *dir, const char *const *argv, int sig, int group)
{
    char *fake = join(tmpdir, "fakegp"), *gp = join(fake, "gnuplot"), *err, want[PATH_MAX + 64];
    char *part = join(dir, "timeline.png.part"), path[PATH_MAX + 32];
    mkdir(fake, 0755);
    const char *script = "#!/bin/sh\n: > \"$6\"\nexec sleep 5\n";   /* $6: the .part file */
    spew(gp, script, strlen(script));
    assert_int_equal(chmod(gp, 0755), 0);
    snprintf(path, sizeof path, "PATH=%s:/usr/bin:/bin", fake);
    char *const env[] = {path, NULL};
    pid_t pid = start_gilsim(home, env, "err-sig", argv);
    struct stat sb;
    struct timespec tick = {0, 10000000};
    for (double t0 = now_s(); stat(part, &sb) != 0; nanosleep(&tick, NULL))
        if (now_s() - t0 > 60)
            fail_msg("the fake gnuplot never started");
    double t0 = now_s();
    assert_int_equal(kill(group ? -pid : pid, sig), 0);
    int rc = reap(pid, "err-sig", &err);
    assert_true(now_s() - t0 < 2.0);
    assert_int_equal(rc, 128 + sig);
    snprintf(want, sizeof want, "gilsim: plot of %s interrupted by %s", dir,
             sig == SIGINT ? "SIGINT" : "SIGTERM");
    assert_one_line(err, want);
    assert_false(exists(dir, "timeline.png.part"));
    assert_false(exists(dir, "timeline.png"));
    free(err);
    free(part);
    free(gp);
    free(fake);
}

/* A signal while gnuplot draws: gnuplot is stopped, the figure's .part
 * file removed, one line, exit 128 + N; for `run --plot` too, whose
 * results are complete by then. */
static void test_plot_interrupted(void **state)
{
    (void)state;
    char *dir = join(tmpdir, "sig");
    make_run(dir, good_trace);
    interrupt_plot(dir, (const char *const[]){bin, "plot", dir, NULL}, SIGTERM, 0);
    interrupt_plot(dir, (const char *const[]){bin, "plot", dir, NULL}, SIGINT, 1);
    char *rdir = join(tmpdir, "sigrun");
    interrupt_plot(rdir, (const char *const[]){bin, "run", "configs/default.yaml", "-q", "--set",
                                               "duration=10ms", "-o", rdir, "--plot", NULL},
                   SIGTERM, 0);
    assert_true(exists(rdir, "summary.csv"));
    free(rdir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plot_never_writes_through_links),
        cmocka_unit_test(test_plot_refuses_odd_jain),
        cmocka_unit_test(test_plot_twice_at_once),
        cmocka_unit_test(test_plot_interrupted),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
