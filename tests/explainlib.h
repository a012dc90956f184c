/* explainlib.h — what the `gilsim explain` suites share: a scratch
 * folder, gilsim started with fork+exec (never a shell) with its stdout
 * and stderr read back whole, runs made to explain, and checks on what
 * the story says.  Include after <cmocka.h> and its prerequisites. */
#ifndef GILSIM_EXPLAINLIB_H
#define GILSIM_EXPLAINLIB_H

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib.h"
#include "clilib.h"

static char tmpdir[256];

static inline int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "explain");
}

static inline int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

static inline char *read_all(const char *path)
{
    size_t n;
    return slurp(path, &n);
}

/* Runs gilsim with args (NULL-terminated) without a shell; its exit
 * status, and stdout and stderr whole (malloc'd) into out and err. */
static inline int run_gilsim(char **out, char **err, const char *const *args)
{
    const char *argv[32] = {gilsim_bin()};
    int n = 1;
    for (; args[n - 1]; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    char *outp = join(tmpdir, "stdout"), *errp = join(tmpdir, "stderr");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0)
            _exit(126);
        dup2(o, 1);
        dup2(e, 2);
        alarm(120);              /* a hang (a FIFO read as a trace) fails the test */
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (!WIFEXITED(st))
        fail_msg("gilsim killed by signal %d", WTERMSIG(st));
    char *o = read_all(outp), *e = read_all(errp);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    free(outp);
    free(errp);
    return WEXITSTATUS(st);
}

#define GILSIM(out, err, ...) run_gilsim(out, err, (const char *const[]){__VA_ARGS__, NULL})

/* gilsim run CONFIG -q -o tmpdir/NAME [sets...]: the folder (malloc'd). */
static inline char *make_run(const char *name, const char *config, const char *set1,
                      const char *set2)
{
    char *dir = join(tmpdir, name), *err;
    int rc = set2 ? GILSIM(NULL, &err, "run", config, "-q", "-o", dir, set1, set2)
           : set1 ? GILSIM(NULL, &err, "run", config, "-q", "-o", dir, set1)
                  : GILSIM(NULL, &err, "run", config, "-q", "-o", dir);
    if (rc != 0)
        fail_msg("run %s: exit %d: %s", config, rc, err);
    free(err);
    return dir;
}

static inline char *make_config(const char *name, const char *yaml)
{
    char *path = join(tmpdir, name);
    put_file(path, yaml);
    return path;
}

/* `gilsim explain DIR args...`, which must succeed: its stdout.  (Not
 * inlined: GCC's -Wdangling-pointer misreads the stdout handed back.) */
static __attribute__((unused, noinline)) char *explain_ok(const char *dir, const char *a,
                                                          const char *b, const char *c,
                                                          const char *d)
{
    char *out, *err;
    int rc = GILSIM(&out, &err, "explain", dir, a, b, c, d);
    if (rc != 0 || err[0])
        fail_msg("explain %s: exit %d: %s", dir, rc, err);
    free(err);
    return out;
}

static inline int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

/* The paragraphs after "Over the whole run:", each on one line (the story
 * wraps them). */
static inline char *paragraphs(const char *text)
{
    const char *p = strstr(text, "\nOver the whole run:\n");
    assert_non_null(p);
    char *flat = strdup(p);
    for (char *c = flat + 1; *c; c++)
        if (c[0] == '\n' && c[1] && c[1] != '\n' && c[-1] != '\n')
            c[0] = ' ';
    return flat;
}

/* Field `field` (0 first) of line `line` of dir/name (the files' text
 * fields hold no commas here), malloc'd. */
static inline char *field_of(const char *dir, const char *name, int line, int field)
{
    char *path = join(dir, name), *text = read_all(path), *p = text;
    for (int i = 1; i < line; i++)
        p = strchr(p, '\n') + 1;
    for (int i = 0; i < field; i++)
        p = strchr(p, ',') + 1;
    char *v = strndup(p, strcspn(p, ",\n"));
    free(text);
    free(path);
    return v;
}

static inline void assert_says(const char *text, const char *what)
{
    if (!strstr(text, what))
        fail_msg("the story does not say \"%s\":\n%.3000s", what, text);
}

static inline char *small_convoy(void)
{
    return make_run("small", "configs/convoy.yaml", "--set", "duration=100ms");
}

#endif
