/* test_cli.c — the gilsim command as a user runs it: exit statuses, error
 * messages for every bad config in tests/bad/, the files a run writes (read
 * back with libcsv), and byte-identical traces for the same seed.  The
 * figures and the Perfetto trace are test_cli_plots.c's. */
#include <setjmp.h>
#include <signal.h>
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
#include "columns.h"
#include "events.h"
#include "out/csvw.h"
#include "out/plotstyle.h"
#include "sweep.h"

static const char *bad_dir(void)
{
    const char *d = getenv("GILSIM_BAD_DIR");
    return d ? d : "tests/bad";
}

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "cli");
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

/* ---- tests ---- */

static void test_help_and_version(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(gilsim("--help", &out, NULL), 0);
    assert_non_null(strstr(out, "usage: gilsim run CONFIG"));
    assert_non_null(strstr(out, "--set KEY=VALUE"));
    free(out);
    assert_int_equal(gilsim("--version", &out, NULL), 0);
    /* "gilsim 0.1.0 (git DESCRIPTION)": the commit, or "unknown" */
    const char *git = strstr(out, " (git ");
    assert_true(strncmp(out, "gilsim " GILSIM_VERSION " (git ", strlen("gilsim " GILSIM_VERSION " (git ")) == 0);
    assert_non_null(git);
    size_t len = strspn(git + 6, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-");
    assert_true(len > 0);
    assert_string_equal(git + 6 + len, ")\n");
    free(out);
}

static void test_bad_usage_exits_2(void **state)
{
    (void)state;
    static const struct { const char *args, *msg; } cases[] = {
        {"", "missing command"},
        {"frobnicate x.yaml", "unknown command 'frobnicate'"},
        {"run", "missing CONFIG"},
        {"run configs/default.yaml --bogus", "unknown option '--bogus'"},
        {"run configs/default.yaml --trace lots", "expected full, summary or none"},
        {"run configs/default.yaml --seed -3", "expected a non-negative integer"},
        {"run configs/default.yaml --set machine.cores", "expected KEY=VALUE"},
        {"run configs/default.yaml --set machine.cores=0", "--set 'machine.cores=0'"},
        {"run configs/default.yaml --set machine.corez=2", "did you mean 'cores'"},
        {"run no/such/file.yaml", "no/such/file.yaml"},
        {"run tests/regress/spin.yaml", "without simulated time passing"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err;
        int rc = gilsim(cases[i].args, NULL, &err);
        if (rc != 2 || !strstr(err, cases[i].msg))
            fail_msg("gilsim %s: exit %d, stderr: %s (wanted '%s')", cases[i].args, rc, err,
                     cases[i].msg);
        free(err);
    }
    /* a run that fails leaves none of the folders it made (out/ of the
     * default out/NAME too), and no folder that was there before goes */
    char args[600], path[600];
    snprintf(args, sizeof args, "run tests/regress/spin.yaml -o '%s/made/a/b'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 2);
    snprintf(path, sizeof path, "%s/made", tmpdir);
    assert_false(path_exists(path));
    snprintf(path, sizeof path, "%s/there", tmpdir);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(args, sizeof args, "run tests/regress/spin.yaml -o '%s/there/a'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 2);
    assert_true(path_exists(path));
    snprintf(path, sizeof path, "%s/there/a", tmpdir);
    assert_false(path_exists(path));
}

/* Every fixture's first line is "# expect: LINE:COL: message". */
static void test_bad_configs_exit_2_with_location(void **state)
{
    (void)state;
    DIR *d = opendir(bad_dir());
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        char path[512], line[512], args[2048], out[600], want[1100];
        snprintf(path, sizeof path, "%s/%s", bad_dir(), e->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        assert_non_null(fgets(line, sizeof line, f));
        fclose(f);
        line[strcspn(line, "\n")] = '\0';
        assert_true(strncmp(line, "# expect: ", 10) == 0);
        snprintf(want, sizeof want, "%s:%s", path, line + 10);
        snprintf(out, sizeof out, "%s/bad-%d", tmpdir, n);
        snprintf(args, sizeof args, "run '%s' -o '%s'", path, out);
        char *err;
        int rc = gilsim(args, NULL, &err);
        if (rc != 2 || !strstr(err, want))
            fail_msg("%s: exit %d, stderr: %s(wanted '%s')", path, rc, err, want);
        assert_false(path_exists(out));          /* nothing that looks like output */
        free(err);
        n++;
    }
    closedir(d);
    assert_true(n >= 20);
}

static void test_run_writes_documented_files(void **state)
{
    (void)state;
    char args[600], p[400], *out;
    snprintf(args, sizeof args, "run configs/convoy.yaml -o '%s/convoy'", tmpdir);
    assert_int_equal(gilsim(args, &out, NULL), 0);
    assert_non_null(strstr(out, "total time"));
    assert_non_null(strstr(out, "Jain index"));
    free(out);

    snprintf(p, sizeof p, "%s/convoy/threads.csv", tmpdir);
    table_t th = read_csv(p);
    assert_int_equal(th.nrows, 3);
    assert_string_equal(cell(&th, 1, "thread"), "io");
    assert_string_equal(cell(&th, 1, "ops_done"), "200");
    double finish = atof(cell(&th, 1, "finished_ns")) / 1e9;
    assert_near(finish, 0.600, 0.05);
    assert_string_equal(cell(&th, 2, "finished_ns"), "");   /* spin never ends */
    table_free(&th);

    snprintf(p, sizeof p, "%s/convoy/summary.csv", tmpdir);
    table_t su = read_csv(p);
    assert_int_equal(su.nrows, 2);
    assert_string_equal(cell(&su, 1, "config"), "convoy");
    assert_string_equal(cell(&su, 1, "ended_by"), "duration");
    assert_string_equal(cell(&su, 1, "makespan_ns"), "5000000000");
    table_free(&su);

    /* the trace holds the convoy's hand-offs: each I/O return waits, asks
     * for a drop, and the spinning thread is forced to hand over */
    snprintf(p, sizeof p, "%s/convoy/trace.csv", tmpdir);
    table_t tr = read_csv(p);
    assert_int_equal(tr.ncols, 7);
    int io_requests = 0, forced = 0;
    long long last = 0;
    for (int r = 1; r < tr.nrows; r++) {
        long long t = atoll(cell(&tr, r, "time_ns"));
        assert_true(t >= last);
        last = t;
        const char *ev = cell(&tr, r, "event");
        if (!strcmp(ev, "gil_drop_request") && !strcmp(cell(&tr, r, "thread"), "io"))
            io_requests++;
        if (!strcmp(ev, "gil_drop") && !strcmp(cell(&tr, r, "detail"), "forced"))
            forced++;
    }
    assert_true(io_requests >= 99 && io_requests <= 101);
    assert_true(forced >= 99);
    table_free(&tr);
}

/* Same config + seed: byte-identical trace.csv; another seed: different. */
static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\n"
        "duration: 10s\n"          /* a trace of several MiB: the writer thread swaps buffers */
        "processes:\n"
        "  - name: app\n"
        "    threads:\n"
        "      - {name: w, count: 3, program: [{repeat: forever, do: [{cpu: exp(300us)}, {io: exp(1ms)}]}]}\n";
    char cfg[300], args[800], a[300], b[300], c[300];
    snprintf(cfg, sizeof cfg, "%s/rand.yaml", tmpdir);
    FILE *f = fopen(cfg, "w");
    fputs(yaml, f);
    fclose(f);
    const char *runs[3][2] = {{"a", "5"}, {"b", "5"}, {"c", "6"}};
    for (int i = 0; i < 3; i++) {
        snprintf(args, sizeof args, "run '%s' -q --seed %s -o '%s/%s'", cfg, runs[i][1], tmpdir,
                 runs[i][0]);
        assert_int_equal(gilsim(args, NULL, NULL), 0);
    }
    snprintf(a, sizeof a, "%s/a/trace.csv", tmpdir);
    snprintf(b, sizeof b, "%s/b/trace.csv", tmpdir);
    snprintf(c, sizeof c, "%s/c/trace.csv", tmpdir);
    assert_true(same_bytes(a, b));
    assert_false(same_bytes(a, c));
    struct stat sb;
    assert_int_equal(stat(a, &sb), 0);
    assert_true(sb.st_size > 3 * (1 << 20));
    table_t t = read_csv(a);                 /* every row whole, in time order */
    assert_true(t.nrows > 50000);
    for (int r = 2; r < t.nrows; r++)
        assert_true(atoll(cell(&t, r, "time_ns")) >= atoll(cell(&t, r - 1, "time_ns")));
    table_free(&t);
}

static void test_trace_levels(void **state)
{
    (void)state;
    char args[600], p[400];
    snprintf(args, sizeof args, "run configs/io_threads.yaml -q --trace summary -o '%s/s'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/s/trace.csv", tmpdir);
    assert_false(path_exists(p));
    snprintf(p, sizeof p, "%s/s/threads.csv", tmpdir);
    assert_true(path_exists(p));
    snprintf(args, sizeof args, "run configs/io_threads.yaml -q --trace none -o '%s/n'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/n", tmpdir);
    assert_false(path_exists(p));
}

/* A long run's stderr, stopped by SIGINT after `secs` seconds of wall
 * time (timeout(1)); malloc'd. */
static char *stderr_of_long_run(const char *opts, const char *secs)
{
    char cmd[1200], errp[400];
    size_t n;
    snprintf(errp, sizeof errp, "%s/progress.err", tmpdir);
    snprintf(cmd, sizeof cmd, "timeout --preserve-status -s INT %s %s run configs/default.yaml --set duration=100000s "
             "--trace none -o '%s/p' %s >/dev/null 2>'%s'", secs, gilsim_bin(), tmpdir, opts, errp);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 128 + SIGINT);   /* stopped, as asked */
    return slurp(errp, &n);
}

/* --progress: how far a run is, on a stderr that is not a terminal a line
 * at a time (no carriage return), with --quiet too; without it, nothing
 * there but the stop; and it belongs to run. */
static void test_progress_lines(void **state)
{
    (void)state;
    char *err = stderr_of_long_run("-q --progress", "2.5");
    const char *line = strstr(err, "simulated ");
    assert_non_null(line);
    assert_non_null(strstr(line, " of 100000.000 s ("));
    assert_non_null(strstr(line, "%)\n"));
    assert_null(strchr(err, '\r'));
    int lines = 0;                                   /* a line a second, from the first */
    for (const char *at = err; (at = strstr(at, "%)\n")); at++)
        lines++;
    assert_in_range(lines, 1, 3);                    /* 2.5 s: at 1 s and 2 s, and slack */
    free(err);
    err = stderr_of_long_run("", "1.5");
    assert_non_null(strstr(err, "interrupted by SIGINT"));
    assert_null(strstr(err, "%)"));                  /* no progress line */
    free(err);
    assert_int_equal(gilsim("sweep configs/default.yaml --seeds 2 --progress", NULL, &err), 2);
    assert_non_null(strstr(err, "--progress belongs to 'gilsim run'"));
    free(err);
}

/* The trace's hand-made integer formatting agrees with printf at every
 * digit-count boundary, the extremes and a spread of random values. */
static void test_integer_formatting(void **state)
{
    (void)state;
    int64_t vals[200];
    int n = 0;
    vals[n++] = INT64_MAX;
    vals[n++] = INT64_MIN;
    for (int64_t p = 1; n < 60 && p <= INT64_MAX / 10; p *= 10) {
        vals[n++] = p - 1;
        vals[n++] = p;
        vals[n++] = -p;
    }
    uint64_t x = 88172645463325252ull;
    while (n < 200) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        vals[n++] = (int64_t)(x >> (x % 60));
    }
    for (int i = 0; i < n; i++) {
        char want[32], got[32];
        snprintf(want, sizeof want, "%lld", (long long)vals[i]);
        *csvw_put_i64(got, vals[i]) = '\0';
        assert_string_equal(got, want);
    }
}

/* Names with commas and quotes come out quoted in every trace row, also
 * where a name is the detail (a drop request names the requester), and
 * each row parses into the six columns with the names intact. */
static void test_trace_quotes_names(void **state)
{
    (void)state;
    char cfg[400], args[900], p[400];
    snprintf(cfg, sizeof cfg, "%s/names.yaml", tmpdir);
    FILE *f = fopen(cfg, "w");
    assert_non_null(f);
    fputs("machine: {cores: 2}\n"
          "python: {switch_interval: 1ms}\n"
          "processes:\n"
          "  - name: 'a,b'\n"
          "    threads: [{name: 'say \"hi\"', count: 2, program: [{cpu: 10ms}]}]\n", f);
    fclose(f);
    snprintf(args, sizeof args, "run '%s' -q -o '%s/names'", cfg, tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/names/trace.csv", tmpdir);
    table_t t = read_csv(p);
    assert_int_equal(t.ncols, 7);
    int requests = 0;
    for (int r = 1; r < t.nrows; r++) {
        assert_string_equal(cell(&t, r, "process"), "a,b");
        const char *th = cell(&t, r, "thread");
        assert_true(strcmp(th, "say \"hi\"-0") == 0 || strcmp(th, "say \"hi\"-1") == 0);
        if (strcmp(cell(&t, r, "event"), "gil_drop_request") == 0) {
            const char *by = cell(&t, r, "detail");
            assert_true(strncmp(by, "say \"hi\"-", 9) == 0 && strcmp(by, th) != 0);
            requests++;
        }
    }
    assert_true(requests >= 5);
    table_free(&t);
}

/* A sweep runs every combination in order (first --vary slowest, seeds
 * fastest), and each row holds what a single run with the same settings
 * reports. */
static void test_sweep_rows_match_single_runs(void **state)
{
    (void)state;
    char args[900], p[400];
    snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml -q --set duration=1s "
             "--vary machine.cores=1,2 --vary python.switch_interval=1ms,5ms --seeds 2 "
             "-o '%s/sw'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/sw/sweep.csv", tmpdir);
    table_t t = read_csv(p);
    assert_int_equal(t.nrows, 1 + 8);
    static const char *const cores[] = {"1", "2"}, *const ivals[] = {"1000000", "5000000"};
    for (int r = 1; r <= 8; r++) {
        char num[16];
        snprintf(num, sizeof num, "%d", r);
        assert_string_equal(cell(&t, r, "run"), num);
        assert_string_equal(cell(&t, r, "cores"), cores[(r - 1) / 4]);
        assert_string_equal(cell(&t, r, "machine.cores"), cores[(r - 1) / 4]);
        assert_string_equal(cell(&t, r, "switch_interval_ns"), ivals[(r - 1) / 2 % 2]);
        assert_string_equal(cell(&t, r, "seed"), (r - 1) % 2 ? "2" : "1");
    }
    snprintf(args, sizeof args, "run configs/cpu_threads.yaml -q --set duration=1s "
             "--set machine.cores=2 --set python.switch_interval=5ms --seed 2 --trace summary "
             "-o '%s/one'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/one/summary.csv", tmpdir);
    table_t one = read_csv(p);
    static const char *const same[] = {"events", "makespan_ns", "gil_switches",
                                       "gil_drop_requests", "core_util", "jain:app/worker",
                                       "cv:app/worker"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        assert_string_equal(cell(&t, 8, same[i]), cell(&one, 1, same[i]));
    table_free(&one);
    table_free(&t);
}

/* A bad value anywhere in a --vary list stops the sweep before any run,
 * names the --vary, and leaves no table. */
static void test_sweep_bad_value(void **state)
{
    (void)state;
    char args[600], p[400], *err;
    snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml --vary machine.cores=1,2,x "
             "-o '%s/bad'", tmpdir);
    assert_int_equal(gilsim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "--vary 'machine.cores=x': expected a positive integer"));
    free(err);
    snprintf(p, sizeof p, "%s/bad", tmpdir);
    assert_false(path_exists(p));
    snprintf(args, sizeof args, "run configs/cpu_threads.yaml --vary machine.cores=1,2");
    assert_int_equal(gilsim(args, NULL, NULL), 2);
    snprintf(args, sizeof args, "sweep configs/cpu_threads.yaml --seeds 2 --trace full");
    assert_int_equal(gilsim(args, NULL, NULL), 2);
    static const char *const usage[][2] = {       /* arguments, expected message */
        {"sweep configs/cpu_threads.yaml", "nothing to vary"},
        {"sweep configs/cpu_threads.yaml --seeds 0", "--seeds '0': expected a count"},
        {"sweep configs/cpu_threads.yaml --vary machine.cores", "expected KEY=V1,V2"},
        {"sweep configs/cpu_threads.yaml --vary machine.cores=1,,2", "empty value"},
        {"sweep", "sweep: missing CONFIG"},
    };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
        assert_int_equal(gilsim(usage[i][0], NULL, &err), 2);
        if (!strstr(err, usage[i][1]))
            fail_msg("'%s': stderr lacks '%s': %s", usage[i][0], usage[i][1], err);
        free(err);
    }
    /* a run that cannot be simulated stops the sweep: exit 2, no folder */
    snprintf(args, sizeof args, "sweep tests/regress/spin.yaml --seeds 2 -o '%s/spin'", tmpdir);
    assert_int_equal(gilsim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "sweep run 1"));
    free(err);
    snprintf(p, sizeof p, "%s/spin", tmpdir);
    assert_false(path_exists(p));
}

static void test_sweep_axis_values(void **state)
{
    (void)state;
    sweep_axis_t ax;
    char err[256];
    assert_int_equal(sweep_axis_parse("a.b=normal(5ms, 1ms), 2ms ,exp(1ms) ", &ax, err, sizeof err), 0);
    assert_string_equal(ax.key, "a.b");
    assert_int_equal(ax.n, 3);
    assert_string_equal(ax.values[0], "normal(5ms, 1ms)");
    assert_string_equal(ax.values[1], "2ms");
    assert_string_equal(ax.values[2], "exp(1ms)");
    sweep_axis_free(&ax);
    assert_int_equal(sweep_axis_parse("a.b=1,", &ax, err, sizeof err), -1);
    assert_int_equal(sweep_axis_parse("=1,2", &ax, err, sizeof err), -1);
    assert_int_equal(sweep_axis_parse("a.b", &ax, err, sizeof err), -1);
}

/* plots/README.md's name for a column: `name`, or for one named by the run
 * (`mark:TEXT`) the row in angle brackets that stands for it
 * (`<mark:LABEL>`). */
static void documented_as(const char *col, char *buf, size_t size)
{
    const col_file_t *f = &col_files[COL_SUMMARY_CSV];
    for (int c = 0; c < f->ncols; c++) {
        const char *row = f->cols[c].name;
        size_t prefix = strcspn(row, ":");
        if (col_named_later(&f->cols[c]) && row[prefix] &&
            strncmp(col, row + 1, prefix) == 0) {
            snprintf(buf, size, "`%s`", row);
            return;
        }
    }
    snprintf(buf, size, "`%s`", col);
}

/* Every column of every CSV file a run or a sweep writes is documented in
 * plots/README.md (as `name`). */
static void test_every_csv_column_documented(void **state)
{
    (void)state;
    char args[600], p[400];
    size_t n;
    char *readme = slurp("plots/README.md", &n);
    assert_non_null(readme);
    /* a program with a mark: summary.csv names a column after it */
    snprintf(args, sizeof args, "run configs/producer_consumer.yaml -q -o '%s/doc'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    /* a sweep into the same folder would clear the run's files */
    snprintf(args, sizeof args,
             "sweep configs/producer_consumer.yaml -q --seeds 1 -o '%s/doc-sweep'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    static const char *const files[] = {"trace.csv", "log.csv", "threads.csv", "summary.csv",
                                        "sweep.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/doc%s/%s", tmpdir, i == 4 ? "-sweep" : "", files[i]);
        table_t t = read_csv(p);
        for (int c = 0; c < t.ncols; c++) {
            char quoted[80];
            documented_as(t.cells[c], quoted, sizeof quoted);
            if (!strstr(readme, quoted))
                fail_msg("%s: column %s is not documented in plots/README.md", files[i], t.cells[c]);
        }
        table_free(&t);
    }
    free(readme);
}

/* --set reaches the model: 8 cores and a 5 ms interval show in summary.csv. */
static void test_set_overrides_reach_the_run(void **state)
{
    (void)state;
    char args[600], p[400];
    snprintf(args, sizeof args,
             "run configs/default.yaml -q --set machine.cores=8 --set python.switch_interval=5ms "
             "--set duration=1s --seed 7 -o '%s/set'", tmpdir);
    assert_int_equal(gilsim(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/set/summary.csv", tmpdir);
    table_t su = read_csv(p);
    assert_string_equal(cell(&su, 1, "cores"), "8");
    assert_string_equal(cell(&su, 1, "switch_interval_ns"), "5000000");
    assert_string_equal(cell(&su, 1, "seed"), "7");
    assert_string_equal(cell(&su, 1, "makespan_ns"), "1000000000");
    /* 5 ms interval over 1 s: about 190 switches */
    int sw = atoi(cell(&su, 1, "gil_switches"));
    assert_true(sw > 170 && sw < 201);
    table_free(&su);
}

/* Every shipped config runs; the notes' example 5 is the one meant to fail,
 * like Python's SyntaxError, at the line of its await. */
static void test_every_config_runs(void **state)
{
    (void)state;
    const char *dirs[] = {"configs", "configs/seed"};
    int n = 0;
    for (int d = 0; d < 2; d++) {
        DIR *dir = opendir(dirs[d]);
        assert_non_null(dir);
        struct dirent *e;
        while ((e = readdir(dir))) {
            size_t len = strlen(e->d_name);
            if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
                continue;
            char args[1024], *err;
            snprintf(args, sizeof args, "run '%s/%s' -q --trace none", dirs[d], e->d_name);
            int rc = gilsim(args, NULL, &err);
            if (strstr(e->d_name, "ex5_await_without_async")) {
                assert_int_equal(rc, 2);
                assert_non_null(strstr(err, "asyncio_ex5_await_without_async.yaml:9:9: "
                                            "'await' outside async function"));
            } else if (rc != 0) {
                fail_msg("%s/%s: exit %d: %s", dirs[d], e->d_name, rc, err);
            }
            free(err);
            n++;
        }
        closedir(dir);
    }
    assert_true(n >= 28);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_bad_usage_exits_2),
        cmocka_unit_test(test_bad_configs_exit_2_with_location),
        cmocka_unit_test(test_run_writes_documented_files),
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_trace_levels),
        cmocka_unit_test(test_progress_lines),
        cmocka_unit_test(test_trace_quotes_names),
        cmocka_unit_test(test_integer_formatting),
        cmocka_unit_test(test_sweep_rows_match_single_runs),
        cmocka_unit_test(test_sweep_bad_value),
        cmocka_unit_test(test_sweep_axis_values),
        cmocka_unit_test(test_every_csv_column_documented),
        cmocka_unit_test(test_set_overrides_reach_the_run),
        cmocka_unit_test(test_every_config_runs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
