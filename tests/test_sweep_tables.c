/* test_sweep_tables.c — what a sweep makes of its table: the summary over
 * seeds (--aggregate), the figure (--plot), --vary's ranges, and the
 * reader of sweep tables handed back (sweep_table.h) on tables built here.
 * Sweeps on workers, resumed and spread: test_sweep.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sys/stat.h>
#include "clilib.h"
#include "columns.h"
#include "sweep.h"
#include "cli/sweep_table.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "sweeptab");
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

/* The t(0.975, n-1) that sweep_summary.csv's CI of column col used for
 * the runs of combination row (of values in sweep.csv's rows first..last):
 * its half-width over s/√n, s the sample standard deviation. */
static double t_used(const table_t *sw, const table_t *agg, int row, int first, int last,
                     const char *col)
{
    double sum = 0, sq = 0;
    int n = last - first + 1;
    for (int r = first; r <= last; r++)
        sum += atof(cell(sw, r, col));
    double mean = sum / n;
    for (int r = first; r <= last; r++)
        sq += (atof(cell(sw, r, col)) - mean) * (atof(cell(sw, r, col)) - mean);
    char name[200];
    snprintf(name, sizeof name, "%s_mean", col);
    assert_true(fabs(atof(cell(agg, row, name)) - mean) <= 1e-5 * fabs(mean));
    snprintf(name, sizeof name, "%s_ci95", col);
    return atof(cell(agg, row, name)) / (sqrt(sq / (n - 1)) / sqrt(n));
}

/* --aggregate: a row per combination with its runs, each numeric column's
 * mean and 95 % CI over its seeds with Student's t (4.303 for 3 seeds,
 * 2.032 for 35), and neither words nor wall_s. */
static void test_sweep_aggregate_over_seeds(void **state)
{
    (void)state;
    char args[900], p[400];
    snprintf(args, sizeof args, "sweep configs/producer_consumer.yaml -q --seeds 3 "
             "--vary machine.cores=1,2 --aggregate -o '%s/agg'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/agg/sweep.csv", tmpdir);
    table_t sw = read_csv(p);
    snprintf(p, sizeof p, "%s/agg/sweep_summary.csv", tmpdir);
    table_t agg = read_csv(p);
    assert_int_equal(agg.nrows, 3);
    for (int row = 1; row <= 2; row++) {
        assert_string_equal(cell(&agg, row, "machine.cores"), row == 1 ? "1" : "2");
        assert_string_equal(cell(&agg, row, "runs"), "3");
        assert_true(fabs(t_used(&sw, &agg, row, 3 * row - 2, 3 * row, "makespan_ns") - 4.303)
                    < 0.002);
        assert_true(fabs(t_used(&sw, &agg, row, 3 * row - 2, 3 * row, "cv:app/consumer")
                         - 4.303) < 0.002);
    }
    for (int c = 0; c < agg.ncols; c++) {
        const char *name = agg.cells[c];
        if (strstr(name, "wall_s") || strstr(name, "python_version") || strstr(name, "config")
            || !strncmp(name, "seed", 4))
            fail_msg("sweep_summary.csv has %s", name);
    }
    table_free(&sw);
    table_free(&agg);
    snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml -q --seeds 35 --set duration=50ms "
             "--set python.switch_interval=1ms --aggregate -o '%s/agg35'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/agg35/sweep.csv", tmpdir);
    sw = read_csv(p);
    snprintf(p, sizeof p, "%s/agg35/sweep_summary.csv", tmpdir);
    agg = read_csv(p);
    assert_int_equal(agg.nrows, 2);
    assert_true(fabs(t_used(&sw, &agg, 1, 1, 35, "gil_switches") - 2.032) < 0.002);
    table_free(&sw);
    table_free(&agg);
}

/* --plot METRIC: gnuplot draws the metric against the first key (or
 * --plot-x's), a curve per value of the others with its band, x as
 * numbers, durations in ms, or words in order; a metric or key that is
 * not the sweep's is refused before any run.  A new sweep into the folder
 * clears the old figure. */
static void test_sweep_plot_draws_a_metric_against_a_key(void **state)
{
    (void)state;
    char args[900], p[400], *err = NULL;
    snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml -q --seeds 3 --set duration=1s "
             "--vary python.switch_interval=15ms,1ms,5ms --vary machine.cores=1,2 "
             "-o '%s/plot' --plot gil_switches", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/plot/sweep-gil_switches.png", tmpdir);
    assert_true(path_exists(p));
    char *dat = slurp_in(tmpdir, "plot/sweep-gil_switches.dat");
    assert_true(!strncmp(dat, "machine.cores=1\n1\t", 18));     /* sorted by x, in ms */
    char *second = strstr(dat, "\n\n\nmachine.cores=2\n1\t");
    assert_non_null(second);
    assert_non_null(strstr(dat, "\t15ms\n"));
    free(dat);
    snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml -q --seeds 3 --set duration=1s "
             "--vary python.gil=old,new -o '%s/words' --plot=cv:app/worker --format svg",
             tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    dat = slurp_in(tmpdir, "words/sweep-cv:app_worker.dat");
    assert_true(!strncmp(dat, "all\n0\t", 6));
    assert_non_null(strstr(dat, "\told\n1\t"));
    free(dat);
    snprintf(p, sizeof p, "%s/words/sweep-cv:app_worker.svg", tmpdir);
    assert_true(path_exists(p));
    static const struct { const char *opts, *said; } bad[] = {
        {"--plot config", "--plot config: not a numeric column of sweep.csv"},
        {"--plot wall_s", "--plot wall_s: not a numeric column"},
        {"--plot makespan_ns --plot-x machine.cores", "--plot-x machine.cores: not a --vary key"},
        {"--plot-x python.gil", "--plot-x KEY goes with --plot METRIC"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml --seeds 3 --vary "
                 "python.gil=old,new -o '%s/words' %s", tmpdir, bad[i].opts);
        assert_int_equal(gilsim(args, NULL, &err), 2);
        if (!strstr(err, bad[i].said))
            fail_msg("%s said: %s", bad[i].opts, err);
        free(err);
    }
    assert_true(path_exists(p));                  /* refused before the folder was touched */
    snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml -q --seeds 2 --set duration=1s "
             "--vary python.gil=old,new -o '%s/words'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    assert_false(path_exists(p));
    /* a file of the user's with a name no metric has stays */
    snprintf(p, sizeof p, "%s/words/sweep-notes.pdf", tmpdir);
    put_file(p, "mine");
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    assert_true(path_exists(p));
}

/* Ranges stand for their values; a bad one is refused with why. */
static void test_vary_ranges(void **state)
{
    (void)state;
    sweep_axis_t ax;
    char err[512];
    static const struct { const char *arg, *values; } good[] = {
        {"n=1:16:x2", "1 2 4 8 16 "},
        {"machine.cores=1:8:+1", "1 2 3 4 5 6 7 8 "},
        {"machine.cores=3:10:+3", "3 6 9 "},
        {"python.switch_interval=1ms:15ms:+7ms", "1ms 8ms 15ms "},
        {"k=5:5:x3", "5 "},
        {"k=1:2,3", "1:2 3 "},            /* a list, not a range */
        {"k=12:30:00", "12:30:00 "},      /* not of a range's form: a value */
        {"k=1:8:*2", "1:8:*2 "},
        {"k=1:8:+1:2", "1:8:+1:2 "},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(sweep_axis_parse(good[i].arg, &ax, err, sizeof err), 0);
        char got[256] = "";
        for (int v = 0; v < ax.n; v++) {
            strcat(got, ax.values[v]);
            strcat(got, " ");
        }
        assert_string_equal(got, good[i].values);
        sweep_axis_free(&ax);
    }
    static const struct { const char *arg, *said; } bad[] = {
        {"k=1:16:x1", "FACTOR of 2 or more"},
        {"k=0:16:x2", "FIRST of 1 or more"},
        {"k=8:1:+1", "LAST is below its FIRST"},
        {"k=1:8:+0", "STEP of 1 or more"},
        {"k=1ms:8us:+1ms", "one unit"},
        {"k=1:8:x2ms", "xFACTOR none"},
        {"k=0:9000000:+1", "more than 1000000 values"},
        /* a key named like one of sweep.csv's own columns would name it twice */
        {"seed=1,2", "sweep.csv has a column 'seed' of its own (summary.csv's): --seeds N"},
        {"processes=1,2", "sweep.csv has a column 'processes' of its own"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(sweep_axis_parse(bad[i].arg, &ax, err, sizeof err), -1);
        if (!strstr(err, bad[i].said))
            fail_msg("%s said: %s", bad[i].arg, err);
    }
    char *e = NULL;
    assert_int_equal(gilsim("sweep configs/cpu_threads.yaml --vary machine.cores=1,2 "
                            "--vary machine.cores=4", NULL, &e), 2);
    assert_non_null(strstr(e, "--vary 'machine.cores' given twice"));
    free(e);
}

/* ---- sweep_table_parse on tables built here ---- */

typedef struct got {
    sweep_row_t rows[4];
    int n;
} got_t;

static int take_row(sweep_row_t *row, void *ctx)
{
    got_t *g = ctx;
    g->rows[g->n++] = *row;
    return 0;
}

static const char *one_value(const void *ctx, long run, int axis)
{
    (void)axis;
    return run == 1 ? ctx : "other";
}

/* The header of a table varying key k: run, k, summary.csv's fixed
 * columns, then extra. */
static void table_head(char *buf, size_t size, const char *extra)
{
    snprintf(buf, size, "run,\"k\"");
    for (int c = 0; c < COL_SUMMARY_MARKS; c++)
        snprintf(buf + strlen(buf), size - strlen(buf), ",\"%s\"",
                 col_files[COL_SUMMARY_CSV].cols[c].name);
    snprintf(buf + strlen(buf), size - strlen(buf), "%s\n", extra);
}

/* A row's leading fields come back as the bytes written, quoted text with
 * commas and a line break included; named columns come back with their
 * values, an empty mark as not named, an empty finish as named. */
static void test_sweep_table_keeps_the_bytes(void **state)
{
    (void)state;
    char buf[8192], lead[4096] = "1,\"a, \"\"b\"\"\nc\"";
    table_head(buf, sizeof buf, ",\"mark:m\",\"finished:p/g\",\"mark:n\"");
    for (int c = 0; c < COL_SUMMARY_MARKS; c++)
        strcat(lead, c == 0 ? ",\"name, with comma\"" : ",7");
    snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s,5,,\n", lead);
    char *const keys[] = {"k"};
    sweep_shape_t shape = {keys, 1, 3, one_value, "a, \"b\"\nc"};
    got_t g = {0};
    char err[256];
    assert_int_equal(sweep_table_parse(buf, strlen(buf), &shape, take_row, &g, err, sizeof err), 0);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.rows[0].run, 1);
    assert_int_equal(g.rows[0].nlead, strlen(lead));
    assert_memory_equal(g.rows[0].lead, lead, strlen(lead));
    assert_int_equal(g.rows[0].nnamed, 2);
    assert_string_equal(g.rows[0].named[0].name, "mark:m");
    assert_int_equal(g.rows[0].named[0].value, 5);
    assert_int_equal(g.rows[0].named[0].row, COL_SUMMARY_MARKS);
    assert_string_equal(g.rows[0].named[1].name, "finished:p/g");
    assert_int_equal(g.rows[0].named[1].value, -1);
    assert_int_equal(g.rows[0].named[1].row, COL_SUMMARY_FINISHED);
    sweep_row_free(&g.rows[0]);
    /* the same table refused: a value for k that run 1 does not have, a
     * named value that is no time, a named column of no kind */
    shape.ctx = "z";
    assert_int_equal(sweep_table_parse(buf, strlen(buf), &shape, take_row, &g, err, sizeof err), -1);
    assert_non_null(strstr(err, "row 2: run 1 has k="));
    shape.ctx = "a, \"b\"\nc";
    char *five = strstr(buf, ",5,,\n");
    five[1] = 'x';
    assert_int_equal(sweep_table_parse(buf, strlen(buf), &shape, take_row, &g, err, sizeof err), -1);
    assert_string_equal(err, "row 2: mark:m is x, not a time in ns");
    table_head(buf, sizeof buf, ",\"other\"");
    assert_int_equal(sweep_table_parse(buf, strlen(buf), &shape, take_row, &g, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a mark:, finished:, jain: or cv: column"));
    assert_int_equal(g.n, 1);
}

/* A row of a table of many runs names the groups it had: those with a
 * jain: value, their empty finish included; a group of another run (all
 * empty) is not its own.  A fraction must be as gilsim writes it. */
static void test_sweep_table_knows_a_rows_groups(void **state)
{
    (void)state;
    char buf[8192], lead[4096] = "2,\"v\"";
    table_head(buf, sizeof buf, ",\"finished:p/g\",\"finished:q/h\",\"jain:p/g\",\"jain:q/h\","
               "\"cv:p/g\",\"cv:q/h\"");
    for (int c = 0; c < COL_SUMMARY_MARKS; c++)
        strcat(lead, ",1");
    snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s,,,0.5000,,0.2500,\n", lead);
    char *const keys[] = {"k"};
    sweep_shape_t shape = {keys, 1, 3, NULL, NULL};
    got_t g = {0};
    char err[256];
    assert_int_equal(sweep_table_parse(buf, strlen(buf), &shape, take_row, &g, err, sizeof err), 0);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.rows[0].nnamed, 3);
    static const char *const names[] = {"finished:p/g", "jain:p/g", "cv:p/g"};
    static const int rows[] = {COL_SUMMARY_FINISHED, COL_SUMMARY_JAIN, COL_SUMMARY_CV};
    for (int i = 0; i < 3; i++) {
        assert_string_equal(g.rows[0].named[i].name, names[i]);
        assert_int_equal(g.rows[0].named[i].row, rows[i]);
    }
    assert_int_equal(g.rows[0].named[0].value, -1);
    assert_true(g.rows[0].named[1].fraction == 0.5);
    assert_true(g.rows[0].named[2].fraction == 0.25);
    sweep_row_free(&g.rows[0]);
    char *half = strstr(buf, "0.5000");
    memcpy(half, "0.5   ", 6);
    memmove(half + 3, half + 6, strlen(half + 6) + 1);
    assert_int_equal(sweep_table_parse(buf, strlen(buf), &shape, take_row, &g, err, sizeof err), -1);
    assert_string_equal(err, "row 2: jain:p/g is 0.5, not a fraction as gilsim writes it");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_aggregate_over_seeds),
        cmocka_unit_test(test_sweep_plot_draws_a_metric_against_a_key),
        cmocka_unit_test(test_vary_ranges),
        cmocka_unit_test(test_sweep_table_keeps_the_bytes),
        cmocka_unit_test(test_sweep_table_knows_a_rows_groups),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
