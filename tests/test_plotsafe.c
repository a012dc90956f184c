/* test_plotsafe.c — plotting a run folder is as safe as reading it: names
 * and paths holding $(cmd), backticks, quotes, backslashes, newlines and
 * non-ASCII letters plot without running anything and show in the lane
 * labels; a folder that is not a run, or a damaged CSV, gets one line on
 * stderr and exit 2; gnuplot failing or missing gets one line and exit 1.
 * gilsim is started here with fork+exec and an argument vector: these
 * tests must not themselves run the names through a shell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "testlib.h"

extern char **environ;

/* The nasty part of every name: what a shell or gnuplot would run, quote
 * or expand, a backslash, a newline and letters beyond ASCII. */
#define NASTY_WITH(q) "$(touch PWNED) `touch PWNED2` 'sq' " q "dq" q " b\\s %s @x nl\nZo\xc3\xab \xe7\xba\xbf\xe7\xa8\x8b"
#define NASTY NASTY_WITH("\"")
/* ...inside a quoted CSV field */
#define NASTY_CSV NASTY_WITH("\"\"")
/* ...as a lane label in timeline_lanes.dat: the newline shown as \n, then
 * '"' and '\' as octal escapes that gnuplot decodes when it reads it */
#define NASTY_DAT "$(touch PWNED) `touch PWNED2` 'sq' \\042dq\\042 b\\134s %s @x nl\\134nZo\xc3\xab \xe7\xba\xbf\xe7\xa8\x8b"
/* ...as the figure shows it (an SVG's text) */
#define NASTY_SHOWN "$(touch PWNED) `touch PWNED2` 'sq' \"dq\" b\\s %s @x nl\\nZo\xc3\xab \xe7\xba\xbf\xe7\xa8\x8b"

#define PLOT_LANES_TESTED 600      /* threads in a trace: more than the 512 lanes drawn */

static char tmpdir[256], bin[2 * PATH_MAX], home[PATH_MAX];

static int setup(void **state)
{
    (void)state;
    const char *b = getenv("GILSIM_BIN");
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gilsim-plotsafe-XXXXXX");
    b = b ? b : "build/gilsim";
    if (!getcwd(home, sizeof home))
        return -1;
    /* absolute: the tests run gilsim from other folders */
    if ((size_t)snprintf(bin, sizeof bin, "%s/%s", b[0] == '/' ? "" : home, b) >= sizeof bin)
        return -1;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", tmpdir, (char *)NULL);
        _exit(127);
    }
    int st;
    return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -1;
}

static char *join(const char *a, const char *b)
{
    char *p = malloc(strlen(a) + strlen(b) + 2);
    assert_non_null(p);
    sprintf(p, "%s/%s", a, b);
    return p;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc(*len + 1);
    assert_int_equal(fread(b, 1, *len, f), *len);
    b[*len] = '\0';
    fclose(f);
    return b;
}

static void spew(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void spew_in(const char *dir, const char *name, const char *text)
{
    char *p = join(dir, name);
    spew(p, text, strlen(text));
    free(p);
}

static int exists(const char *dir, const char *name)
{
    struct stat sb;
    char *p = join(dir, name);
    int r = stat(p, &sb) == 0;
    free(p);
    return r;
}

/* Starts gilsim with argv (NULL-terminated) in cwd, without a shell,
 * stderr into tmpdir/ERRNAME.  envp NULL: this environment. */
static pid_t start_gilsim(const char *cwd, char *const *envp, const char *errname,
                          const char *const *argv)
{
    char *errp = join(tmpdir, errname);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int nul = open("/dev/null", O_WRONLY);
        if (fd < 0 || nul < 0 || chdir(cwd) != 0)
            _exit(126);
        dup2(fd, 2);
        dup2(nul, 1);
        setpgid(0, 0);           /* a group of its own: a test can send it a Ctrl-C */
        alarm(120);              /* a hang (a FIFO read as a trace) fails the test */
        execve(argv[0], (char *const *)argv, envp ? envp : environ);
        _exit(127);
    }
    free(errp);
    return pid;
}

/* Waits for gilsim: its exit status (killed fails the test), and its
 * stderr into *err (malloc'd) when err is not NULL. */
static int reap(pid_t pid, const char *errname, char **err)
{
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (!WIFEXITED(st))
        fail_msg("gilsim killed by signal %d", WTERMSIG(st));
    size_t n;
    char *errp = join(tmpdir, errname), *e = slurp(errp, &n);
    free(errp);
    if (err)
        *err = e;
    else
        free(e);
    return WEXITSTATUS(st);
}

static int gilsim_env(const char *cwd, char *const *envp, char **err, const char *const *argv)
{
    return reap(start_gilsim(cwd, envp, "stderr", argv), "stderr", err);
}

#define GILSIM(cwd, err, ...) gilsim_env(cwd, NULL, err, (const char *const[]){bin, __VA_ARGS__, NULL})

/* Nothing ran: no PWNED file where a command would have made one. */
static void assert_nothing_ran(const char *dir)
{
    const char *where[] = {dir, tmpdir, home};
    for (int i = 0; i < 3; i++)
        if (exists(where[i], "PWNED") || exists(where[i], "PWNED2"))
            fail_msg("a name was run as a command: PWNED in %s", where[i]);
}

static void assert_figure(const char *dir, const char *name)
{
    size_t n;
    char *p = join(dir, name);
    char *png = slurp(p, &n);
    if (n < 1000 || memcmp(png, "\x89PNG", 4) != 0)
        fail_msg("%s is not a PNG (%zu bytes)", name, n);
    free(png);
    free(p);
}

/* timeline_lanes.dat holds exactly these labels, in order. */
static void assert_lanes(const char *dir, const char *const *want, int n)
{
    size_t len;
    char *p = join(dir, "timeline_lanes.dat");
    char *dat = slurp(p, &len), *line = dat;
    for (int i = 0; i < n; i++) {
        char *nl = strchr(line, '\n'), head[16];
        assert_non_null(nl);
        *nl = '\0';
        snprintf(head, sizeof head, "%d\t", i);
        assert_memory_equal(line, head, strlen(head));
        assert_string_equal(line + strlen(head), want[i]);
        line = nl + 1;
    }
    assert_string_equal(line, "");
    free(dat);
    free(p);
}

/* The label text as the figure draws it (an SVG rendering). */
static void assert_svg_shows(const char *dir, const char *name, const char *text)
{
    size_t n;
    char *p = join(dir, name);
    char *svg = slurp(p, &n);
    if (!strstr(svg, text))
        fail_msg("%s does not show the label %s", name, text);
    free(svg);
    free(p);
}

static char *nasty_dir(const char *name)
{
    char *d = join(tmpdir, name);
    assert_int_equal(mkdir(d, 0755), 0);
    char *out = join(d, "out " NASTY);
    free(d);
    return out;
}

static const char config[] =
    "name: \"cfg $(touch PWNED) `touch PWNED2` 'sq' \\\"dq\\\" b\\\\s %s @x nl\\nZo\xc3\xab\"\n"
    "machine:\n  cores: 2\nduration: 30ms\n"
    "processes:\n"
    "  - name: \"P $(touch PWNED) `touch PWNED2` 'sq' \\\"dq\\\" b\\\\s %s @x nl\\nZo\xc3\xab \xe7\xba\xbf\xe7\xa8\x8b\"\n"
    "    threads:\n"
    "      - name: \"T $(touch PWNED) `touch PWNED2` 'sq' \\\"dq\\\" b\\\\s %s @x nl\\nZo\xc3\xab \xe7\xba\xbf\xe7\xa8\x8b\"\n"
    "        program:\n"
    "          - repeat: forever\n"
    "            do:\n"
    "              - cpu: 100us\n"
    "              - io: 1ms\n";

/* gilsim run --plot: a config, process and thread named with every
 * troublesome character, into a folder whose path holds them too. */
static void test_run_plot_nasty_names(void **state)
{
    (void)state;
    char *out = nasty_dir("run"), *work = join(tmpdir, "run"), *err;
    spew_in(work, "nasty.yaml", config);
    int rc = GILSIM(work, &err, "run", "nasty.yaml", "-q", "-o", out, "--plot");
    assert_nothing_ran(work);
    assert_nothing_ran(out);
    if (rc != 0 || err[0])
        fail_msg("exit %d: %s", rc, err);
    free(err);
    static const char *const figs[] = {"timeline.png", "cores.png", "latency.png", "asymmetry.png"};
    for (int i = 0; i < 4; i++)
        assert_figure(out, figs[i]);
    assert_false(exists(out, "timeline.png.part"));
    static const char *const lanes[] = {
        "P " NASTY_DAT "/T " NASTY_DAT, "GIL P " NASTY_DAT, "core 0",
    };
    assert_lanes(out, lanes, 3);
    /* and gnuplot reads the labels back as the names themselves */
    assert_int_equal(GILSIM(work, NULL, "plot", out, "-q", "--format", "svg"), 0);
    assert_svg_shows(out, "timeline.svg", "P " NASTY_SHOWN "/T " NASTY_SHOWN);
    assert_svg_shows(out, "asymmetry.svg", "T " NASTY_SHOWN);
    assert_nothing_ran(out);
    free(out);
    free(work);
}

/* A hand-made run folder (as a student could hand in): the names in
 * summary.csv, trace.csv and threads.csv, edited to be nasty. */
static void make_run(const char *dir, const char *trace)
{
    assert_int_equal(mkdir(dir, 0755), 0);
    spew_in(dir, "summary.csv",
            "config,cores,threads,gil_policy,switch_interval_ns,makespan_ns,core_util,jain_min\n"
            "\"C " NASTY_CSV "\",2,1,new,5000000,4000000,0.5;0.25,1\n");
    spew_in(dir, "threads.csv",
            "process,thread,work_share,group_size\n\"P\",\"T " NASTY_CSV "\",1,1\n");
    spew_in(dir, "trace.csv", trace);
}

#define Q(name) "\"" name "\""
#define PROC Q("P " NASTY_CSV)
#define THR Q("T " NASTY_CSV)
static const char good_trace[] =
    "time_ns,process,thread,core,event,detail\n"
    "0," PROC "," THR ",,runnable,start\n"
    "1000," PROC "," THR ",1,py,\n"
    "1000," PROC "," THR ",1,gil_take,switch\n"
    "1000000," PROC "," THR ",,blocked,io\n"
    "1000000," PROC "," THR ",,gil_drop,io\n"
    "2000000," PROC "," THR ",,runnable,\n"
    "2100000," PROC "," THR ",0,py,\n"
    "2100000," PROC "," THR ",0,gil_take,same\n"
    "4000000," PROC "," THR ",,done,\n";

static void test_plot_handmade_nasty_folder(void **state)
{
    (void)state;
    char *dir = nasty_dir("hand"), *err;
    make_run(dir, good_trace);
    int rc = GILSIM(tmpdir, &err, "plot", dir, "-q");
    assert_nothing_ran(dir);
    if (rc != 0 || err[0])
        fail_msg("exit %d: %s", rc, err);
    free(err);
    static const char *const figs[] = {"timeline.png", "cores.png", "latency.png", "asymmetry.png"};
    for (int i = 0; i < 4; i++)
        assert_figure(dir, figs[i]);
    static const char *const lanes[] = {
        "P " NASTY_DAT "/T " NASTY_DAT, "core 1", "GIL P " NASTY_DAT, "core 0",
    };
    assert_lanes(dir, lanes, 4);
    size_t n;
    char *p = join(dir, "latency.dat"), *lat = slurp(p, &n);
    assert_near(atof(lat), 0.0001, 1e-6);        /* woken at 2 ms, Python again at 2.1 ms */
    free(lat);
    free(p);
    assert_int_equal(GILSIM(tmpdir, NULL, "plot", dir, "-q", "--format", "svg"), 0);
    assert_svg_shows(dir, "timeline.svg", "GIL P " NASTY_SHOWN);
    assert_svg_shows(dir, "cores.svg", "C " NASTY_SHOWN);
    assert_nothing_ran(dir);
    free(dir);
}

/* gnuplot reads a file name starting with '<' as a command to run, and
 * writes to one starting with '|' through a command: relative run folders
 * named so are still folders. */
static void test_plot_relative_pipe_names(void **state)
{
    (void)state;
    static const char *const names[] = {"<touch PWNED #", "|touch PWNED2 #"};
    char *work = join(tmpdir, "rel"), *err;
    assert_int_equal(mkdir(work, 0755), 0);
    for (int i = 0; i < 2; i++) {
        char *dir = join(work, names[i]);
        make_run(dir, good_trace);
        int rc = GILSIM(work, &err, "plot", names[i], "-q");
        assert_nothing_ran(work);
        if (rc != 0 || err[0])
            fail_msg("%s: exit %d: %s", names[i], rc, err);
        free(err);
        assert_figure(dir, "timeline.png");
        assert_figure(dir, "asymmetry.png");
        free(dir);
    }
    free(work);
}

/* Exactly one line on stderr, holding `want`. */
static void assert_one_line(const char *err, const char *want)
{
    const char *nl = strchr(err, '\n');
    if (!nl || nl[1] != '\0')
        fail_msg("expected one line on stderr, got: %s", err);
    if (!strstr(err, want))
        fail_msg("expected '%s' in: %s", want, err);
}

static void expect_bad(const char *dir, const char *want)
{
    char *err;
    int rc = GILSIM(tmpdir, &err, "plot", dir);
    if (rc != 2)
        fail_msg("%s: exit %d, expected 2: %s", dir, rc, err);
    assert_one_line(err, want);
    free(err);
    static const char *const left[] = {"timeline.png", "timeline.png.part", "timeline.dat",
                                       "timeline_lanes.dat", "cores.dat", "cores.png"};
    for (int i = 0; i < 6; i++)
        if (exists(dir, left[i]))
            fail_msg("%s: %s left behind", dir, left[i]);
}

/* A trace whose row 5 (the header being row 1) is `row`. */
static char *trace_with(const char *row)
{
    const char *cut = strstr(good_trace, "1000000,");
    size_t head = (size_t)(cut - good_trace);
    char *t = malloc(strlen(good_trace) + strlen(row) + 1);
    assert_non_null(t);
    memcpy(t, good_trace, head);
    strcpy(t + head, row);
    strcat(t, cut);
    return t;
}

static void test_plot_refuses_bad_folders(void **state)
{
    (void)state;
    char *d = join(tmpdir, "missing");
    expect_bad(d, "missing: cannot open the run folder");
    free(d);
    d = join(tmpdir, "empty");
    assert_int_equal(mkdir(d, 0755), 0);
    expect_bad(d, "empty/summary.csv: cannot read");
    free(d);
    d = join(tmpdir, "summary-only");
    make_run(d, good_trace);
    char *t = join(d, "trace.csv");
    unlink(t);
    expect_bad(d, "summary-only/trace.csv: cannot read");
    free(t);
    free(d);
    d = join(tmpdir, "garbage");
    make_run(d, "");
    char junk[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)((x = x * 1103515245u + 12345u) >> 16);
    t = join(d, "trace.csv");
    spew(t, junk, sizeof junk);
    expect_bad(d, "garbage/trace.csv:");
    spew(t, junk, 0);
    expect_bad(d, "garbage/trace.csv: empty file");
    free(t);
    t = join(d, "summary.csv");
    spew(t, junk, sizeof junk);
    expect_bad(d, "garbage/summary.csv:");
    free(t);
    free(d);
    /* files that never end or never open: a FIFO, and /dev/zero */
    d = join(tmpdir, "special");
    make_run(d, good_trace);
    t = join(d, "trace.csv");
    unlink(t);
    assert_int_equal(mkfifo(t, 0644), 0);
    expect_bad(d, "special/trace.csv: cannot read: not a regular file");
    unlink(t);
    assert_int_equal(symlink("/dev/zero", t), 0);
    expect_bad(d, "special/trace.csv: cannot read: not a regular file");
    free(t);
    free(d);
}

static void test_plot_refuses_damaged_rows(void **state)
{
    (void)state;
    static const struct { const char *row, *want; } cases[] = {
        {"1500,P,T\n", "trace.csv:5: expected 6 fields, got 3"},
        {"1500,P,T,0,py,,extra\n", "trace.csv:5: expected 6 fields, got 7"},
        {"1.5e3,P,T,0,py,\n", "trace.csv:5: time_ns '1.5e3' is not a whole number"},
        {"500,P,T,0,py,\n", "trace.csv:5: time goes backwards: 500 ns after 1000 ns"},
        {"1500,P,T,0,sleeping,\n", "trace.csv:5: unknown event 'sleeping'"},
        {"1500,P,T,x,py,\n", "trace.csv:5: core 'x' is not a core number"},
        {"1500,\"P,T,0,py,\n", "trace.csv:"},
        {"99999999999999999999,P,T,0,py,\n", "trace.csv:5: time_ns '99999999999999999999'"},
    };
    char name[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(name, sizeof name, "damaged-%zu", i);
        char *d = join(tmpdir, name), *t = trace_with(cases[i].row);
        make_run(d, t);
        expect_bad(d, cases[i].want);
        free(t);
        free(d);
    }
    /* a wrong header, and a name far too long to be a trace's */
    char *d = join(tmpdir, "header");
    make_run(d, "time,process,thread,core,event,detail\n0,P,T,,runnable,\n");
    expect_bad(d, "header/trace.csv:1: not a gilsim trace");
    free(d);
    size_t big = 200000;
    char *row = malloc(big + 32);
    strcpy(row, "1500,P,");
    memset(row + 7, 'x', big);
    strcpy(row + 7 + big, ",0,py,\n");
    char *t = trace_with(row);
    d = join(tmpdir, "huge");
    make_run(d, t);
    expect_bad(d, "huge/trace.csv:5:");
    free(d);
    free(t);
    free(row);
}

/* gnuplot failing (a broken script) and missing (no gnuplot on PATH):
 * one line naming the script or gnuplot, exit 1, no figure left. */
static void test_plot_gnuplot_fails(void **state)
{
    (void)state;
    char *dir = join(tmpdir, "gp");
    make_run(dir, good_trace);
    char *fake = join(tmpdir, "fake"), *fbuild = join(fake, "build"), *fplots = join(fake, "plots");
    assert_int_equal(mkdir(fake, 0755), 0);
    assert_int_equal(mkdir(fbuild, 0755), 0);
    assert_int_equal(mkdir(fplots, 0755), 0);
    char *fbin = join(fbuild, "gilsim");
    assert_int_equal(symlink(bin, fbin), 0);
    spew_in(fplots, "timeline.gp", "set output ARG4\nplot no_such_variable\n");
    char *err;
    int rc = gilsim_env(tmpdir, NULL, &err, (const char *const[]){fbin, "plot", dir, NULL});
    assert_int_equal(rc, 1);
    assert_one_line(err, "timeline.gp: gnuplot failed: ");
    assert_one_line(err, "undefined variable: no_such_variable");
    free(err);
    assert_false(exists(dir, "timeline.png"));
    assert_false(exists(dir, "timeline.png.part"));
    char *const env[] = {"PATH=/nonexistent", NULL};
    rc = gilsim_env(tmpdir, env, &err, (const char *const[]){bin, "plot", dir, NULL});
    assert_int_equal(rc, 1);
    assert_one_line(err, "gnuplot not found");
    free(err);
    assert_false(exists(dir, "timeline.png"));
    free(fbin);
    free(fplots);
    free(fbuild);
    free(fake);
    free(dir);
}

/* More lanes than a timeline draws: said in one line, the figure made. */
static void test_plot_lane_cap(void **state)
{
    (void)state;
    size_t cap = 64 * 1024, n = 0;
    char *trace = malloc(cap);
    n += (size_t)sprintf(trace, "time_ns,process,thread,core,event,detail\n");
    for (int i = 0; i < PLOT_LANES_TESTED; i++)
        n += (size_t)sprintf(trace + n, "%d,P,t%d,,runnable,start\n", i, i);
    n += (size_t)sprintf(trace + n, "4000000,P,t0,,done,\n");
    assert_true(n < cap);
    char *dir = join(tmpdir, "lanes"), *err;
    make_run(dir, trace);
    int rc = GILSIM(tmpdir, &err, "plot", dir, "-q");
    assert_int_equal(rc, 0);
    assert_one_line(err, "more than 512 lanes");
    free(err);
    assert_figure(dir, "timeline.png");
    size_t len;
    char *p = join(dir, "timeline_lanes.dat"), *dat = slurp(p, &len);
    int lines = 0;
    for (char *c = dat; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 512);
    free(dat);
    free(p);
    free(dir);
    free(trace);
}

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
        cmocka_unit_test(test_run_plot_nasty_names),
        cmocka_unit_test(test_plot_handmade_nasty_folder),
        cmocka_unit_test(test_plot_relative_pipe_names),
        cmocka_unit_test(test_plot_refuses_bad_folders),
        cmocka_unit_test(test_plot_refuses_damaged_rows),
        cmocka_unit_test(test_plot_gnuplot_fails),
        cmocka_unit_test(test_plot_lane_cap),
        cmocka_unit_test(test_plot_never_writes_through_links),
        cmocka_unit_test(test_plot_refuses_odd_jain),
        cmocka_unit_test(test_plot_twice_at_once),
        cmocka_unit_test(test_plot_interrupted),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
