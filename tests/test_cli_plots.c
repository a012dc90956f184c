/* test_cli_plots.c — what the gilsim command draws, as a user runs it: the
 * asymmetry, timeline and scaling figures rendered by gnuplot without a
 * warning, at the sizes they ask for, and the Perfetto trace (trace.json).
 * The rest of the command is test_cli.c's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib.h"
#include "clilib.h"
#include "events.h"
#include "out/plotstyle.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "cliplots");
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

/* Runs `gilsim ARGS`, stdout and stderr to files; returns the exit status. */
static int gilsim(const char *args, char **out, char **err)
{
    return gilsim_cmd(tmpdir, args, out, err);
}

/* Runs a plots/ script with its arguments (gnuplot -c); fails the test if
 * gnuplot fails or says anything on stderr. */
static void gnuplot_quiet(const char *args, const char *script)
{
    char cmd[2048], errp[400];
    size_t n;
    snprintf(errp, sizeof errp, "%s/gnuplot.err", tmpdir);
    snprintf(cmd, sizeof cmd, "gnuplot -c plots/%s %s 2>'%s'", script, args, errp);
    assert_int_equal(system(cmd), 0);
    char *err = slurp(errp, &n);
    if (n)
        fail_msg("gnuplot said on %s: %s", script, err);
    free(err);
}

/* The pixel size in a PNG's IHDR. */
static void png_size(const char *path, unsigned *w, unsigned *h)
{
    size_t n;
    unsigned char *png = (unsigned char *)slurp(path, &n);
    assert_true(n > 1000);
    assert_memory_equal(png, "\x89PNG", 4);
    *w = (unsigned)png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19];
    *h = (unsigned)png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23];
    free(png);
}

/* The asymmetry script renders the files of a real run without a gnuplot
 * warning, into a PNG of the size it asks for. */
static void test_asymmetry_plot_renders(void **state)
{
    (void)state;
    char args[600], cmd[1200], p[400];
    snprintf(args, sizeof args, "run configs/default.yaml -q --set duration=1s -o '%s/plot' --plot",
             tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd, "'%s/plot'", tmpdir);
    gnuplot_quiet(cmd, "asymmetry.gp");
    size_t n;
    unsigned w, h;
    snprintf(p, sizeof p, "%s/plot/asymmetry.png", tmpdir);
    png_size(p, &w, &h);
    assert_int_equal(w, 900);
    assert_int_equal(h, 500);
    /* what the script plots (gnuplot's `set table` dumps it): the threads'
     * shares, in percent, adding up to 100 */
    snprintf(cmd, sizeof cmd, "gnuplot -e \"set table '%s/tab.txt'\" -c plots/asymmetry.gp '%s/plot'",
             tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(p, sizeof p, "%s/tab.txt", tmpdir);
    char *tab = slurp(p, &n);
    double sum = 0;
    int bars = 0;
    for (char *line = strtok(tab, "\n"); line && !strstr(line, "Curve 1"); line = strtok(NULL, "\n")) {
        double x, y;
        if (line[0] != '#' && sscanf(line, "%lf %lf", &x, &y) == 2) {
            sum += y;
            bars++;
        }
    }
    free(tab);
    assert_int_equal(bars, 8);
    assert_near(sum, 100.0, 0.001);
}

/* gilsim plot --format data: the figures' data files, the same set and
 * byte for byte those a drawing plot leaves (timeline, cores, asymmetry;
 * no latency.dat for a run without io), and no figure; a zoom's under its own name; the
 * format belongs to plot alone. */
static void test_plot_data_only(void **state)
{
    (void)state;
    char args[600], p[400], q[400];
    const char *dats[] = {"timeline.dat", "latency.dat", "cores.dat", "asymmetry.dat"};
    snprintf(args, sizeof args, "run configs/default.yaml -q --set duration=1s -o '%s/d'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(args, sizeof args, "run configs/default.yaml -q --set duration=1s -o '%s/f' --plot",
             tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(args, sizeof args, "plot '%s/d' --format data", tmpdir);
    char *out = NULL, *err = NULL;
    assert_int_equal(gilsim(args, &out, &err), 0);
    assert_string_equal(err, "");
    free(out);
    free(err);
    int compared = 0;
    for (size_t i = 0; i < sizeof dats / sizeof *dats; i++) {
        snprintf(p, sizeof p, "%s/d/%s", tmpdir, dats[i]);
        snprintf(q, sizeof q, "%s/f/%s", tmpdir, dats[i]);
        assert_int_equal(path_exists(p), path_exists(q));   /* latency.dat: no io, in neither */
        if (!path_exists(q))
            continue;
        compared++;
        assert_true(same_bytes(p, q));
    }
    assert_int_equal(compared, 3);
    snprintf(p, sizeof p, "%s/d", tmpdir);
    DIR *d = opendir(p);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {   /* nothing drawn, under any name */
        const char *dot = strrchr(e->d_name, '.');
        if (e->d_name[0] != '.' && (!dot || (strcmp(dot, ".csv") && strcmp(dot, ".dat"))))
            fail_msg("plot --format data wrote %s", e->d_name);
    }
    closedir(d);
    snprintf(args, sizeof args, "plot '%s/d' --format data --to 200ms", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/d/timeline-0-200ms.dat", tmpdir);
    assert_true(path_exists(p));
    snprintf(args, sizeof args, "run configs/convoy.yaml -q -o '%s/r' --plot --format data", tmpdir);
    assert_int_equal(gilsim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "--format data belongs to 'gilsim plot'"));
    free(err);
}

/* The label and swatch (-1: none) of each lane of a timeline data file
 * (its L rows: "L y swatch sep label"), by row. */
static int lane_labels(char *dat, char labels[][64], long *swatch, int max)
{
    int n = 0;
    for (char *line = dat, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        int y, sep;
        if (strncmp(line, "L\t", 2) != 0 || n == max)
            continue;
        assert_int_equal(sscanf(line, "L %d %ld %d", &y, &swatch[n], &sep), 3);
        const char *label = line;
        for (int tabs = 0; tabs < 4; tabs++)
            label = strchr(label, '\t') + 1;
        snprintf(labels[n++], 64, "%.*s", (int)(nl - label), label);
    }
    return n;
}

/* gilsim plot: the timeline of a 2-thread convoy run renders, and its
 * data holds the GIL hand-offs of the trace; a zoom is drawn under its
 * own name, its time axis in ms. */
static void test_timeline_plot(void **state)
{
    (void)state;
    char args[600], p[400], cmd[1200];
    snprintf(args, sizeof args, "run configs/convoy.yaml -q --set duration=300ms -o '%s/tl'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    char *out, *err;
    snprintf(args, sizeof args, "plot '%s/tl' --to 100ms", tmpdir);
    assert_int_equal(gilsim(args, &out, &err), 0);
    if (err[0])
        fail_msg("gilsim plot said: %s", err);
    assert_non_null(strstr(out, "timeline-0-100ms.png"));
    free(out);
    free(err);
    size_t n;
    snprintf(p, sizeof p, "%s/tl/timeline-0-100ms.png", tmpdir);
    unsigned char *png = (unsigned char *)slurp(p, &n);
    assert_memory_equal(png, "\x89PNG", 4);
    assert_int_equal((unsigned)png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19], 1200);
    free(png);
    /* the spinner holds the GIL, the I/O thread waits about 5 ms after
     * each 1 ms I/O (in 100 ms about 100 / 6 convoy cycles): each cycle
     * a drop request by the I/O thread and a forced switch by the
     * spinner, each marked on its lane.  Times in ms. */
    snprintf(p, sizeof p, "%s/tl/timeline-0-100ms.dat", tmpdir);
    char *dat = slurp(p, &n), labels[16][64];
    long swatch[16];
    int nl = lane_labels(dat, labels, swatch, 16), gil = -1, io = -1, spin = -1;
    for (int i = 0; i < nl; i++) {
        gil = strcmp(labels[i], "GIL app") ? gil : i;
        io = strcmp(labels[i], "app/io") ? io : i;
        spin = strcmp(labels[i], "app/spin") ? spin : i;
    }
    assert_true(gil >= 0 && io >= 0 && spin >= 0);
    /* each thread's swatch is its own colour, the key to the GIL lane's */
    assert_true(swatch[io] >= 0 && swatch[spin] >= 0 && swatch[io] != swatch[spin]);
    assert_int_equal(swatch[gil], -1);
    /* the legend: the states drawn, and only those (no native code here) */
    assert_non_null(strstr(dat, "\tPython (GIL held)\n"));
    assert_non_null(strstr(dat, "\twaiting for the GIL\n"));
    assert_null(strstr(dat, "native code"));
    /* the axis in ms, exactly the window: no padding */
    assert_non_null(strstr(dat, "P\t0\t0.000000\t100.000000\t"));
    assert_non_null(strstr(dat, "\tsimulated time (ms)\t"));
    int gil_waits = 0, requests = 0, forced = 0, on_boxes = 0;
    double spin_holds = 0;                       /* ms of GIL boxes in the spinner's colour */
    for (char *line = strtok(dat, "\n"); line; line = strtok(NULL, "\n")) {
        int panel, lane, kind;
        double t0, t1, half;
        unsigned rgb;
        /* "N panel y x textrgb label": the holder's name on a box that fits it */
        on_boxes += line[0] == 'N' && strcmp(strrchr(line, '\t'), "\tspin") == 0;
        if (sscanf(line, "M %d %d %lf %d", &panel, &lane, &t0, &kind) == 4) {
            requests += lane == io && kind == 0;
            forced += lane == spin && kind == 1;
        }
        if (sscanf(line, "B %d %d %lf %lf %lf %u", &panel, &lane, &t0, &t1, &half, &rgb) != 6)
            continue;
        assert_true(t1 > t0 && t1 <= 100 + 1e-9);
        spin_holds += lane == gil && rgb == (unsigned)swatch[spin] ? t1 - t0 : 0;
        gil_waits += lane == io && rgb == plot_state_rgb(TS_GIL_WAIT) && t1 - t0 > 4;
    }
    free(dat);
    assert_true(spin_holds > 90);                /* the spinner holds it, but for the I/O's turns */
    assert_true(gil_waits >= 14 && gil_waits <= 18);
    assert_true(requests >= 14 && requests <= 18);
    assert_true(forced >= 14 && forced <= 18);
    assert_true(on_boxes >= 2);                  /* on its core's box and its GIL's */
    /* the whole run's figures; 300 ms is 60 switch intervals: a second
     * panel with the first 10 in detail */
    snprintf(args, sizeof args, "plot '%s/tl' -q", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/tl/timeline.dat", tmpdir);
    dat = slurp(p, &n);
    assert_memory_equal(dat, "G\t2\t", 4);
    assert_non_null(strstr(dat, "P\t1\t0.000000\t50.000000\t"));
    free(dat);
    /* the other figures, and their data: every I/O completion waits about
     * one switch interval (5 ms) for the GIL; cores add up to one core */
    static const struct { const char *file; unsigned w, h; } figs[] = {
        {"cores.png", 800, 450}, {"latency.png", 800, 450},
    };
    for (int i = 0; i < 2; i++) {
        unsigned w, h;
        snprintf(p, sizeof p, "%s/tl/%s", tmpdir, figs[i].file);
        png_size(p, &w, &h);
        assert_int_equal(w, figs[i].w);
        assert_int_equal(h, figs[i].h);
    }
    snprintf(p, sizeof p, "%s/tl/asymmetry.png", tmpdir);
    assert_false(path_exists(p));                     /* two threads, each its own group */
    /* the latency CDF of several runs, one curve each; and of one, by hand */
    snprintf(cmd, sizeof cmd, "'%s/tl/lat2.png' '%s/tl' '%s/tl'", tmpdir, tmpdir, tmpdir);
    gnuplot_quiet(cmd, "latency_compare.gp");
    snprintf(cmd, sizeof cmd, "'%s/tl' png '' '%s/tl/lat1.png'", tmpdir, tmpdir);
    gnuplot_quiet(cmd, "latency.gp");
    unsigned lw, lh;
    snprintf(p, sizeof p, "%s/tl/lat2.png", tmpdir);
    png_size(p, &lw, &lh);
    assert_int_equal(lw, 800);
    /* svg and pdf too */
    static const struct { const char *fmt, *magic; } fmts[] = {{"svg", "<?xml"}, {"pdf", "%PDF"}};
    for (int i = 0; i < 2; i++) {
        snprintf(args, sizeof args, "plot '%s/tl' -q --format %s", tmpdir, fmts[i].fmt);
        assert_int_equal(gilsim(args, NULL, NULL), 0);
        static const char *const names[] = {"timeline", "cores", "latency"};
        for (int k = 0; k < 3; k++) {
            snprintf(p, sizeof p, "%s/tl/%s.%s", tmpdir, names[k], fmts[i].fmt);
            char *doc = slurp(p, &n);
            assert_true(n > 1000);
            assert_memory_equal(doc, fmts[i].magic, strlen(fmts[i].magic));
            free(doc);
        }
    }
    snprintf(p, sizeof p, "%s/tl/latency.dat", tmpdir);
    dat = slurp(p, &n);
    int lat = 0;
    for (char *line = strtok(dat, "\n"); line; line = strtok(NULL, "\n"), lat++)
        if (!(atof(line) > 0.005 && atof(line) < 0.0056))
            fail_msg("latency %s s is not one switch interval", line);
    free(dat);
    assert_true(lat >= 14);
    snprintf(p, sizeof p, "%s/tl/cores.dat", tmpdir);
    dat = slurp(p, &n);
    double busy = 0;
    for (char *line = strtok(dat, "\n"); line; line = strtok(NULL, "\n")) {
        int core;
        double u;
        assert_int_equal(sscanf(line, "%d %lf", &core, &u), 2);
        busy += u;
    }
    free(dat);
    assert_near(busy, 1.0, 0.05);                /* one GIL: one core's worth */
    snprintf(args, sizeof args, "plot '%s/tl' --from 50ms --to 10ms", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 2);
    snprintf(args, sizeof args, "plot '%s/tl' -q --from 0 --to 10ms", tmpdir);   /* no unit at 0 */
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(args, sizeof args, "plot '%s/tl' -q --from 1 --to 10ms", tmpdir);   /* elsewhere, one */
    assert_int_equal(gilsim(args, NULL, NULL), 2);
}

/* --perfetto: trace.json parses (Python's json module, a real parser) and
 * each thread's state slices add up to its times in threads.csv. */
static void test_perfetto_trace(void **state)
{
    (void)state;
    char args[600], cmd[2048], p[400];
    snprintf(args, sizeof args, "run configs/convoy.yaml -q --set duration=300ms --perfetto -o '%s/pf'",
             tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd,
             "python3 -c \"import json,sys,collections\n"
             "d = json.load(open(sys.argv[1]))\n"
             "t = collections.Counter()\n"
             "for e in d['traceEvents']:\n"
             "    if e.get('cat') == 'state': t[(e['tid'], e['name'])] += e['dur']\n"
             "for (tid, name), us in sorted(t.items()): print(tid, name, us)\n\" "
             "'%s/pf/trace.json' > '%s/pf/sums.txt'", tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(p, sizeof p, "%s/pf/threads.csv", tmpdir);
    table_t th = read_csv(p);
    snprintf(p, sizeof p, "%s/pf/sums.txt", tmpdir);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    int tid, checked = 0;
    char name[64];
    double us;
    while (fscanf(f, "%d %63s %lf", &tid, name, &us) == 3) {
        char col[80];
        snprintf(col, sizeof col, "%s_ns", name);
        double want = atof(cell(&th, tid, col)) / 1e3;    /* threads.csv row = tid */
        assert_near(us, want, 0.001);
        checked++;
    }
    fclose(f);
    table_free(&th);
    assert_true(checked >= 6);          /* io: py, gil_wait, blocked, ...; spin: py, ... */
}

/* The scaling figure over several run folders: threads stay flat,
 * processes double from 1 to 2 workers. */
static void test_scaling_plot(void **state)
{
    (void)state;
    static const char *const runs[][2] = {
        {"threads", "configs/seed/cpu_bound_threads.yaml"},
        {"processes", "configs/seed/cpu_bound_processes.yaml"},
    };
    char args[800], cmd[1200], p[400];
    for (int m = 0; m < 2; m++) {               /* a sweep per model, as make figures does */
        snprintf(args, sizeof args, "sweep %s -q --set duration=500ms "
                 "--vary processes.0.main.0.count=1,2 -o '%s/sc/%s'", runs[m][1], tmpdir, runs[m][0]);
        assert_int_equal(gilsim(args, NULL, NULL), 0);
    }
    for (int n = 1; n <= 2; n++) {              /* runs with threads.csv for the panel */
        snprintf(args, sizeof args, "run %s -q --trace summary --set duration=500ms "
                 "--set processes.0.main.0.count=%d -o '%s/sc/threads-%d'", runs[0][1], n, tmpdir, n);
        assert_int_equal(gilsim(args, NULL, NULL), 0);
    }
    snprintf(cmd, sizeof cmd, "'%s/sc' processes.0.main.0.count threads processes", tmpdir);
    gnuplot_quiet(cmd, "scaling.gp");
    unsigned w, h;
    snprintf(p, sizeof p, "%s/sc/scaling.png", tmpdir);
    png_size(p, &w, &h);
    assert_int_equal(w, 800);
    assert_int_equal(h, 500);
    /* the asymmetry panel over two of these runs: 420 px per run */
    snprintf(cmd, sizeof cmd, "'%s/sc/panel.png' '%s/sc/threads-1' '%s/sc/threads-2'",
             tmpdir, tmpdir, tmpdir);
    gnuplot_quiet(cmd, "asymmetry_panel.gp");
    snprintf(p, sizeof p, "%s/sc/panel.png", tmpdir);
    png_size(p, &w, &h);
    assert_int_equal(w, 840);
    assert_int_equal(h, 460);
    snprintf(p, sizeof p, "%s/sc/points.dat", tmpdir);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    char model[32];
    int workers;
    double v, rate[2][3] = {{0}};       /* [threads|processes][workers] */
    while (fscanf(f, "%31s %d %lf", model, &workers, &v) == 3)
        if (workers >= 1 && workers <= 2)
            rate[strcmp(model, "threads") != 0][workers] = v;
    fclose(f);
    assert_near(rate[0][2], rate[0][1], 0.02);
    assert_near(rate[1][2], 2 * rate[1][1], 0.02);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asymmetry_plot_renders),
        cmocka_unit_test(test_timeline_plot),
        cmocka_unit_test(test_plot_data_only),
        cmocka_unit_test(test_perfetto_trace),
        cmocka_unit_test(test_scaling_plot),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
