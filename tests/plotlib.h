/* plotlib.h — what the plotting suites share: a scratch folder, gilsim
 * started with fork+exec and an argument vector (never a shell), names
 * holding every troublesome character, a hand-made run folder, and
 * checks on figures and on one-line errors. */
#ifndef GILSIM_PLOTLIB_H
#define GILSIM_PLOTLIB_H

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
#include "clilib.h"

extern char **environ;

/* The nasty part of every name: what a shell or gnuplot would run, quote
 * or expand, a backslash, a newline and letters beyond ASCII. */
#define NASTY_WITH(q) "$(touch PWNED) `touch PWNED2` 'sq' " q "dq" q " b\\s %s @x nl\nZo\xc3\xab \xe7\xba\xbf\xe7\xa8\x8b"
#define NASTY NASTY_WITH("\"")
/* ...inside a quoted CSV field */
#define NASTY_CSV NASTY_WITH("\"\"")
/* ...as a lane label in timeline.dat: the newline shown as \n, then
 * '"' and '\' as octal escapes that gnuplot decodes when it reads it */
#define NASTY_DAT "$(touch PWNED) `touch PWNED2` 'sq' \\042dq\\042 b\\134s %s @x nl\\134nZo\xc3\xab \xe7\xba\xbf\xe7\xa8\x8b"
/* ...as the figure shows it (an SVG's text) */
#define NASTY_SHOWN "$(touch PWNED) `touch PWNED2` 'sq' \"dq\" b\\s %s @x nl\\nZo\xc3\xab \xe7\xba\xbf\xe7\xa8\x8b"


static char tmpdir[256], bin[2 * PATH_MAX], home[PATH_MAX];

static inline int setup(void **state)
{
    (void)state;
    const char *b = gilsim_bin();
    if (!getcwd(home, sizeof home))
        return -1;
    /* absolute: the tests run gilsim from other folders */
    if ((size_t)snprintf(bin, sizeof bin, "%s/%s", b[0] == '/' ? "" : home, b) >= sizeof bin)
        return -1;
    return tmp_make(tmpdir, sizeof tmpdir, "plotsafe");
}

static inline int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

static inline void spew(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static inline void spew_in(const char *dir, const char *name, const char *text)
{
    char *p = join(dir, name);
    spew(p, text, strlen(text));
    free(p);
}

static inline int exists(const char *dir, const char *name)
{
    struct stat sb;
    char *p = join(dir, name);
    int r = stat(p, &sb) == 0;
    free(p);
    return r;
}

/* Starts gilsim with argv (NULL-terminated) in cwd, without a shell,
 * stderr into tmpdir/ERRNAME and stdout into tmpdir/ERRNAME.out.  envp
 * NULL: this environment. */
static inline pid_t start_gilsim(const char *cwd, char *const *envp, const char *errname,
                          const char *const *argv)
{
    char *errp = join(tmpdir, errname), outp[PATH_MAX];
    snprintf(outp, sizeof outp, "%s.out", errp);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int out = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || out < 0 || chdir(cwd) != 0)
            _exit(126);
        dup2(fd, 2);
        dup2(out, 1);
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
static inline int reap(pid_t pid, const char *errname, char **err)
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

static inline int gilsim_env(const char *cwd, char *const *envp, char **err, const char *const *argv)
{
    return reap(start_gilsim(cwd, envp, "stderr", argv), "stderr", err);
}

#define GILSIM(cwd, err, ...) gilsim_env(cwd, NULL, err, (const char *const[]){bin, __VA_ARGS__, NULL})

/* What the last GILSIM() printed on stdout, malloc'd. */
static inline char *last_stdout(void)
{
    size_t n;
    char *p = join(tmpdir, "stderr.out"), *text = slurp(p, &n);
    free(p);
    return text;
}

/* Nothing ran: no PWNED file where a command would have made one. */
static inline void assert_nothing_ran(const char *dir)
{
    const char *where[] = {dir, tmpdir, home};
    for (int i = 0; i < 3; i++)
        if (exists(where[i], "PWNED") || exists(where[i], "PWNED2"))
            fail_msg("a name was run as a command: PWNED in %s", where[i]);
}

static inline void assert_figure(const char *dir, const char *name)
{
    size_t n;
    char *p = join(dir, name);
    char *png = slurp(p, &n);
    if (n < 1000 || memcmp(png, "\x89PNG", 4) != 0)
        fail_msg("%s is not a PNG (%zu bytes)", name, n);
    free(png);
    free(p);
}

/* The timeline's lanes (timeline.dat's L rows: "L y swatch sep label")
 * are exactly these labels, top first. */
static inline void assert_lanes(const char *dir, const char *const *want, int n)
{
    size_t len;
    char *p = join(dir, "timeline.dat");
    char *dat = slurp(p, &len), *line = dat;
    int i = 0;
    for (char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        if (strncmp(line, "L\t", 2) != 0)
            continue;
        char head[16], *label = line;
        snprintf(head, sizeof head, "L\t%d\t", i);
        assert_memory_equal(line, head, strlen(head));
        for (int tabs = 0; tabs < 4; tabs++)
            label = strchr(label, '\t') + 1;
        if (i >= n)
            fail_msg("more lanes than %d: %s", n, label);
        assert_string_equal(label, want[i]);
        i++;
    }
    assert_int_equal(i, n);
    free(dat);
    free(p);
}

/* The label text as the figure draws it (an SVG rendering). */
static inline void assert_svg_shows(const char *dir, const char *name, const char *text)
{
    size_t n;
    char *p = join(dir, name);
    char *svg = slurp(p, &n);
    if (!strstr(svg, text))
        fail_msg("%s does not show the label %s", name, text);
    free(svg);
    free(p);
}

/* A hand-made run folder (as a student could hand in): the names in
 * summary.csv, trace.csv and threads.csv, edited to be nasty.  Process P
 * has two threads, T (in the trace) and U (which never ran), in one
 * group. */
#define SUMMARY_HEAD "config,cores,threads,gil_policy,switch_interval_ns,makespan_ns,core_util," \
                     "jain_min,gil_drop_requests\n"
/* A thread's time in each state, which the trace must add up to, and
 * its finish: STATES_NONE for a thread without a state row in the trace. */
#define THREADS_HEAD "process,thread,group,runnable_ns,py_ns,native_ns,gil_wait_ns," \
                     "switch_wait_ns,blocked_ns,sync_wait_ns,finished_ns,work_share,group_size\n"
#define STATES_NONE "0,0,0,0,0,0,0,"
/* T's in good_trace, and its finish */
#define STATES_T "101000,2899000,0,0,0,1000000,0,4000000"
static inline void make_run(const char *dir, const char *trace)
{
    assert_int_equal(mkdir(dir, 0755), 0);
    spew_in(dir, "summary.csv",
            SUMMARY_HEAD "\"C " NASTY_CSV "\",2,2,new,5000000,4000000,0.5;0.25,1,0\n");
    spew_in(dir, "threads.csv",
            THREADS_HEAD "\"P " NASTY_CSV "\",\"T " NASTY_CSV "\",g," STATES_T ",1,2\n"
                         "\"P " NASTY_CSV "\",U,g," STATES_NONE ",0,2\n");
    spew_in(dir, "trace.csv", trace);
}

#define Q(name) "\"" name "\""
#define PROC Q("P " NASTY_CSV)
#define THR Q("T " NASTY_CSV)
static const char good_trace[] =
    "time_ns,process,thread,core,event,detail,gil\n"
    "0," PROC "," THR ",,runnable,start,0\n"
    "1000," PROC "," THR ",1,py,,0\n"
    "1000," PROC "," THR ",1,gil_take,switch,0\n"
    "1000000," PROC "," THR ",,blocked,io,0\n"
    "1000000," PROC "," THR ",,gil_drop,io,0\n"
    "2000000," PROC "," THR ",,runnable,,0\n"
    "2100000," PROC "," THR ",0,py,,0\n"
    "2100000," PROC "," THR ",0,gil_take,same,0\n"
    "4000000," PROC "," THR ",,done,,0\n";

/* Exactly one line on stderr, holding `want`. */
static inline void assert_one_line(const char *err, const char *want)
{
    const char *nl = strchr(err, '\n');
    if (!nl || nl[1] != '\0')
        fail_msg("expected one line on stderr, got: %s", err);
    if (!strstr(err, want))
        fail_msg("expected '%s' in: %s", want, err);
}

static inline void expect_bad(const char *dir, const char *want)
{
    char *err;
    int rc = GILSIM(tmpdir, &err, "plot", dir);
    if (rc != 2)
        fail_msg("%s: exit %d, expected 2: %s", dir, rc, err);
    assert_one_line(err, want);
    free(err);
    static const char *const left[] = {"timeline.png", "timeline.png.part", "timeline.dat",
                                       "latency.dat", "cores.dat", "cores.png", "asymmetry.dat"};
    for (int i = 0; i < 7; i++)
        if (exists(dir, left[i]))
            fail_msg("%s: %s left behind", dir, left[i]);
}

#endif
