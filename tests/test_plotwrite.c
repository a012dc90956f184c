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
        "cores.dat", "asymmetry.dat", "timeline.dat", "latency.dat",
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
        snprintf(line, sizeof line, SUMMARY_HEAD "c,2,1,new,5000000,4000000,0.5;0.25,\"%s\",0\n",
                 bad[i]);
        spew(sum, line, strlen(line));
        expect_bad(dir, "jain/summary.csv:2: jain_min is not a plain decimal number");
    }
    snprintf(line, sizeof line, SUMMARY_HEAD "c,2,1,new,5000000,4000000,0.5;0.25,2.5E-01,0\n");
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

/* A zoom is drawn under its own names, beside the run's figures, which
 * stay byte for byte; its latency figure says it covers the window only,
 * and a window with no I/O draws none and says why in one line. */
static void test_plot_zoom_own_names(void **state)
{
    (void)state;
    char *dir = join(tmpdir, "zoom"), *err;
    make_run(dir, good_trace);
    assert_int_equal(GILSIM(tmpdir, NULL, "plot", dir, "-q", "--format", "svg"), 0);
    size_t n0, n1;
    char *p = join(dir, "timeline.svg"), *before = slurp(p, &n0);
    int rc = GILSIM(tmpdir, &err, "plot", dir, "--from", "1ms", "--to", "3ms", "--format", "svg");
    if (rc != 0 || err[0])
        fail_msg("exit %d: %s", rc, err);
    free(err);
    char *after = slurp(p, &n1), *out = last_stdout();
    assert_true(n0 == n1 && memcmp(before, after, n0) == 0);
    static const char *const made[] = {"timeline-1ms-3ms.svg", "latency-1ms-3ms.svg",
                                       "timeline-1ms-3ms.dat", "latency-1ms-3ms.dat"};
    for (int i = 0; i < 4; i++) {
        int figure = i < 2, said = strstr(out, made[i]) != NULL;
        if (!exists(dir, made[i]) || said != figure)        /* the figures' lines only */
            fail_msg("%s: not made, or not said: %s", made[i], out);
    }
    assert_false(exists(dir, "cores-1ms-3ms.svg"));      /* the whole run's, unchanged */
    assert_svg_shows(dir, "latency-1ms-3ms.svg", "limited to the window: the I/O that ended "
                                                 "from 1 to 3 ms");
    assert_svg_shows(dir, "timeline-1ms-3ms.svg", "simulated time (ms)");
    free(out);
    rc = GILSIM(tmpdir, &err, "plot", dir, "--from", "3ms", "--format", "svg");
    out = last_stdout();
    if (rc != 0 || err[0] || !strstr(out, "latency-3ms-end not drawn: no blocking I/O that "
                                          "ended in the window was followed by Python\n"))
        fail_msg("exit %d: %s / %s", rc, err, out);
    assert_false(exists(dir, "latency-3ms-end.svg"));
    assert_false(exists(dir, "latency-3ms-end.dat"));
    assert_true(exists(dir, "timeline-3ms-end.svg"));
    free(err);
    free(out);
    assert_int_equal(GILSIM(tmpdir, &err, "plot", dir, "--from", "10s"), 2);   /* past the end */
    assert_one_line(err, "gilsim: --from is not before the end of the run, at 4 ms");
    free(err);
    free(before);
    free(after);
    free(p);
    free(dir);
}

/* Without trace.csv (a --trace summary run), the figures the summary
 * files give are drawn, and one line names those that need the trace; a
 * zoom, which needs it, is refused. */
static void test_plot_without_trace(void **state)
{
    (void)state;
    static const char line[] = "plot       timeline and latency not drawn: they need trace.csv "
                               "(gilsim run --trace full); the others are drawn from summary.csv "
                               "and threads.csv\n";
    char *dir = join(tmpdir, "notrace"), *err, *out, *t = join(dir, "trace.csv");
    make_run(dir, good_trace);
    unlink(t);
    int rc = GILSIM(tmpdir, &err, "plot", dir);
    out = last_stdout();
    if (rc != 0 || err[0] || !strstr(out, line))
        fail_msg("exit %d: %s / %s", rc, err, out);
    free(err);
    free(out);
    assert_figure(dir, "cores.png");
    assert_figure(dir, "asymmetry.png");
    assert_false(exists(dir, "timeline.png"));
    assert_int_equal(GILSIM(tmpdir, &err, "plot", dir, "--to", "1ms"), 2);
    assert_one_line(err, "notrace/trace.csv: cannot read");
    free(err);
    /* run --trace summary --plot: the same line, the same figures */
    char *rdir = join(tmpdir, "summaryrun");
    rc = GILSIM(home, &err, "run", "configs/default.yaml", "--set", "duration=100ms", "--trace",
                "summary", "--plot", "-o", rdir);
    out = last_stdout();
    if (rc != 0 || err[0] || !strstr(out, line))
        fail_msg("exit %d: %s / %s", rc, err, out);
    free(err);
    free(out);
    assert_figure(rdir, "cores.png");
    assert_figure(rdir, "asymmetry.png");
    /* --trace none writes nothing to draw from: a usage error */
    assert_int_equal(GILSIM(home, &err, "run", "configs/default.yaml", "--trace", "none",
                            "--plot"), 2);
    assert_one_line(err, "--plot draws from the run's files: --trace none writes none");
    free(err);
    free(rdir);
    free(t);
    free(dir);
}

/* A figure that does not apply says why in one line, and leaves no data
 * file: the asymmetry of one-thread groups, the latency of a run without
 * I/O. */
static void test_plot_says_why_not(void **state)
{
    (void)state;
    char *dir = join(tmpdir, "whynot"), *err, *out;
    int rc = GILSIM(home, &err, "run", "configs/cpu_processes.yaml", "--set", "duration=100ms",
                    "--plot", "-o", dir);
    out = last_stdout();
    if (rc != 0 || err[0] || !strstr(out, "plot       asymmetry not drawn: every thread group "
                                          "has one thread\n") ||
        !strstr(out, "plot       latency not drawn: no blocking I/O was followed by Python\n"))
        fail_msg("exit %d: %s / %s", rc, err, out);
    assert_false(exists(dir, "asymmetry.png"));
    assert_false(exists(dir, "latency.png"));
    assert_false(exists(dir, "asymmetry.dat"));  /* nor their data */
    assert_false(exists(dir, "latency.dat"));
    assert_figure(dir, "timeline.png");
    free(err);
    free(out);
    free(dir);
}

/* A long run without drop requests gets a detail panel of its first
 * burst of activity: the hand-made trace's ends at 1 µs, before a pause
 * of more than 1/100 of the run; a real asyncio run's too. */
static void test_plot_detail_of_first_burst(void **state)
{
    (void)state;
    char *dir = join(tmpdir, "burst"), *err, *out;
    make_run(dir, good_trace);
    int rc = GILSIM(tmpdir, &err, "plot", dir);
    out = last_stdout();
    if (rc != 0 || err[0] || !strstr(out, "lanes, and the first burst of activity in detail)"))
        fail_msg("exit %d: %s / %s", rc, err, out);
    size_t n;
    char *p = join(dir, "timeline.dat"), *dat = slurp(p, &n);
    if (!strstr(dat, "\tdetail: the first burst of activity, 0 to 1.101 \xc2\xb5s\n"))
        fail_msg("no detail panel of the first burst in: %.400s", dat);
    free(dat);
    free(p);
    free(out);
    free(err);
    free(dir);
    dir = join(tmpdir, "burst-aio");
    rc = GILSIM(home, &err, "run", "configs/seed/asyncio_ex6_await_sleep.yaml", "--plot", "-o",
                dir);
    out = last_stdout();
    if (rc != 0 || err[0] || !strstr(out, "lanes, and the first burst of activity in detail)"))
        fail_msg("exit %d: %s / %s", rc, err, out);
    free(out);
    free(err);
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
        cmocka_unit_test(test_plot_zoom_own_names),
        cmocka_unit_test(test_plot_without_trace),
        cmocka_unit_test(test_plot_says_why_not),
        cmocka_unit_test(test_plot_detail_of_first_burst),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
