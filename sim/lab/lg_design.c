/* lg_design.c — the mark of a design answer: the config a student handed
 * in, loaded and run like any untrusted config, then measured against the
 * question's requires and objective by the lab's own lab_design_run (the
 * code that checks the solution for the key), as the run `submitted` with
 * the student's parameters (lg.h).
 *
 * Nothing a student writes can stop the grading of the others or hang it:
 *   - the path stays inside the submissions' folder (no absolute path, no
 *     `..`, no symbolic link on the way), names a regular file (a FIFO would block the read) of at most
 *     1 MiB (lab_file_text, as the lab's own files), and goes through the
 *     config loader and its caps;
 *   - the run is bounded in simulated time: a config without a duration,
 *     or with a longer one, stops at LG_RUN_TIME and earns 0 if it did not
 *     finish by then;
 *   - the run happens in a child process, with its stderr kept for the
 *     reason and its CPU time limited (LG_RUN_CPU_SECONDS, a last resort
 *     for a config that takes long to simulate within its bounds), so a
 *     run that fails, crashes or exhausts memory costs only its mark; the
 *     child sends back lab_design_run's verdict through a pipe;
 *   - it writes no trace.csv, only what the requires read (summary.csv,
 *     threads.csv, tasks.csv, log.csv), into a temporary folder removed
 *     afterwards.
 * Each of these ends in mark 0 with the reason in marks.csv. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lab/lab_cmd.h"
#include "lab/lab_run.h"
#include "lab/lg.h"
#include "lab/lg_dec.h"
#include "config.h"
#include "engine/util.h"
#include "out/csvread.h"
#include "plotprep.h"

#define LG_RUN_TIME SEC(600)
#define LG_RUN_CPU_SECONDS 60
#define LG_RUN_DIR "submitted"   /* the run's folder, in the temporary one */
#define LG_RUN_ERR "run.err"     /* the child's stderr, beside it */

/* What the child sends back: lab_design_run's status, objective, message. */
typedef struct verdict {
    int rc;                      /* 0, LAB_UNMET, or a status (the run or a formula failed) */
    double objective;
    char err[LAB_ERR_MAX];
} verdict_t;

/* Whether a folder or the file of path, past its first base bytes (the
 * submissions' folder), is a symbolic link: a link could point a student's
 * answer at any file the lecturer can read, the key included. */
static int through_link(char *path, size_t base)
{
    struct stat sb;
    for (char *c = path + base + 1;; c++) {
        if (*c != '/' && *c != '\0')
            continue;
        char was = *c;
        *c = '\0';
        int link = lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode);
        *c = was;
        if (link)
            return 1;
        if (!was)
            return 0;
    }
}

/* The path a design answer names, from the submissions' folder; NULL
 * with the reason in why when it may not be read. */
static char *answer_path(const lg_book_t *b, const char *answer, char **why)
{
    char *rel = lg_trim(answer);
    if (!rel)
        return NULL;
    size_t n = strlen(rel);
    int up = !strcmp(rel, "..") || !strncmp(rel, "../", 3) || strstr(rel, "/../")
             || (n >= 3 && !strcmp(rel + n - 3, "/.."));
    if (rel[0] == '/' || up) {
        *why = text_printf("%s: a design answer is a path inside the submissions' folder", rel);
        free(rel);
        return NULL;
    }
    char *full = path_join(b->subs_dir, rel);
    free(rel);
    if (full && through_link(full, strlen(b->subs_dir))) {
        *why = text_printf("%s: a design answer may not go through a symbolic link",
                           full + strlen(b->subs_dir) + 1);
        free(full);
        return NULL;
    }
    return full;
}

void lg_limit_cpu(int seconds)
{
    /* Past the soft limit the kernel sends SIGXCPU, which lg_run_reason
     * names; at the hard one SIGKILL, which it could not tell from any
     * other kill: the hard limit is a second later.  No core file. */
    struct rlimit cpu = {(rlim_t)seconds, (rlim_t)seconds + 1}, core = {0, 0};
    setrlimit(RLIMIT_CPU, &cpu);
    setrlimit(RLIMIT_CORE, &core);
}

char *lg_run_reason(int status, int seconds)
{
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
        return text_printf("the run needs more than %d s of CPU time to simulate", seconds);
    if (WIFSIGNALED(status))
        return text_printf("the run died of signal %d", WTERMSIG(status));
    return strdup("the run ended without a verdict");
}

/* The child: the run into TMP/run, its stderr into TMP/run.err, the
 * verdict into fd. */
static void run_child(lab_work_t *w, const lab_question_t *q, const config_t *cfg,
                      const char *tmp, int fd)
{
    char *err = path_join(tmp, LG_RUN_ERR), *dir = path_join(tmp, LG_RUN_DIR);
    int efd = err ? open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
    if (!dir || efd < 0 || dup2(efd, STDERR_FILENO) < 0)
        _exit(1);
    lg_limit_cpu(LG_RUN_CPU_SECONDS);
    verdict_t v = {0};
    v.rc = lab_design_run(w, q, cfg, dir, &v.objective, v.err);
    _exit(write(fd, &v, sizeof v) == (ssize_t)sizeof v ? 0 : 1);
}

/* The last line the run said, without its "gilsim: "; malloc'd. */
static char *run_said(const char *tmp)
{
    char *path = path_join(tmp, LG_RUN_ERR), line[1024] = "", last[1024] = "";
    FILE *f = path ? plot_open_input(path) : NULL;
    while (f && fgets(line, sizeof line, f))
        if (line[0] != ' ')      /* not the deadlock warning's detail lines */
            memcpy(last, line, sizeof last);
    if (f)
        fclose(f);
    free(path);
    last[strcspn(last, "\n")] = '\0';
    if (!*last)
        return strdup("the run failed without a word");
    return strdup(strncmp(last, "gilsim: ", 8) ? last : last + 8);
}

/* Reads the child's verdict (a signal to gilsim alone stops the run
 * too), then waits for it.  0, or -1 with the reason in why. */
static int await_child(pid_t pid, int fd, volatile sig_atomic_t *stop, verdict_t *v,
                       char **why)
{
    size_t got = 0;
    for (ssize_t n = 1; n != 0 && got < sizeof *v;) {
        n = read(fd, (char *)v + got, sizeof *v - got);
        if (n > 0)
            got += (size_t)n;
        else if (n < 0 && errno != EINTR)
            break;
        else if (n < 0 && *stop)
            kill(pid, SIGTERM);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        if (*stop)
            kill(pid, SIGTERM);
    if (got == sizeof *v)
        return 0;
    if (*stop)
        *why = strdup("grading was stopped");
    else
        *why = lg_run_reason(st, LG_RUN_CPU_SECONDS);
    return -1;
}

/* Runs the design in a child; 0 with its verdict, or -1 with why. */
static int run_design(lab_work_t *w, const lab_question_t *q, const config_t *cfg,
                      const char *tmp, verdict_t *v, char **why)
{
    int fds[2];
    if (pipe(fds) != 0) {
        *why = text_printf("cannot start the run: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        run_child(w, q, cfg, tmp, fds[1]);
    }
    close(fds[1]);
    int rc = -1;
    if (pid < 0)
        *why = text_printf("cannot start the run: %s", strerror(errno));
    else
        rc = await_child(pid, fds[0], w->stop, v, why);
    close(fds[0]);
    return rc;
}

/* summary.csv's ended_by: all_done, duration or deadlock. */
static int ended_by_row(rows_t *r, void *ctx)
{
    const char *v = rows_need(r, "ended_by");
    if (v)
        snprintf(ctx, 32, "%s", v);
    return r->error;
}

/* Why a run cannot be marked (it failed, hangs, or grading stopped it),
 * malloc'd; NULL when it can be.  A run that failed wrote no summary.csv
 * (runner.h) and said why on its stderr. */
static char *unfinished(const char *tmp, const config_t *cfg, int capped, const verdict_t *v)
{
    char ended[32] = "", *dir = path_join(tmp, LG_RUN_DIR), *summary = NULL;
    struct stat sb;
    if (dir && (summary = path_join(dir, "summary.csv")) && stat(summary, &sb) == 0) {
        rows_t r = {.on_row = ended_by_row, .ctx = ended};
        rows_read(&r, dir, "summary.csv");
        rows_free(&r);
    }
    free(dir);
    free(summary);
    if (!*ended)
        return v->rc > 128 ? strdup("grading was stopped") : run_said(tmp);
    if (!strcmp(ended, "deadlock"))
        return strdup("the program hangs: threads blocked for ever (a deadlock)");
    if (!strcmp(ended, "duration") && capped)
        return text_printf("still running after %.0f s of simulated time, where grading "
                           "stops a run", (double)cfg->duration / 1e9);
    return NULL;
}

/* objective <= want, or within the key's tolerance of it. */
static int good_enough(double objective, const char *want, const char *tolerance, char *got,
                       size_t size)
{
    lg_dec_t o, w;
    lg_tol_t tol;
    snprintf(got, size, "%.6g", objective);   /* as the key prints its answer */
    if (lg_dec_parse(got, &o) != 0 || lg_dec_parse(want, &w) != 0
        || lg_tol_parse(tolerance, &tol) != 0)
        return 0;
    return lg_dec_cmp(&o, &w) <= 0 || lg_dec_within(&o, &w, &tol);
}

/* The mark of a run that finished, from the child's verdict. */
static int judge(const lg_book_t *b, int s, int qi, const verdict_t *v, lg_mark_t *out)
{
    const char *want = b->students[s].expected[qi];
    char got[64];
    if (v->rc == LAB_UNMET)
        *out = (lg_mark_t){0, text_printf("fails %s", v->err)};
    else if (v->rc)
        *out = (lg_mark_t){0, strdup(v->err)};
    else if (!b->lab->questions[qi].minimize || !strcmp(want, "meets"))
        *out = (lg_mark_t){1, strdup("meets every require")};
    else if (good_enough(v->objective, want, b->students[s].tolerance[qi], got, sizeof got))
        *out = (lg_mark_t){1, text_printf("meets the target with %s", got)};
    else
        *out = (lg_mark_t){0.5, text_printf("meets the target with %s where %s suffice", got,
                                            want)};
    return out->reason ? 0 : -1;
}

/* Loads the answer's config; 0, or -1 with the reason in why.  Marks go
 * to students: a reason names the answer from SUBS.csv's folder, never
 * the lecturer's path to it. */
static int load_answer(const lg_book_t *b, const char *answer, config_t *cfg, char **why)
{
    char *path = answer_path(b, answer, why);
    char err[CFG_ERR_MAX];       /* room for lab_file_text's LAB_ERR_MAX too */
    char *text = path ? lab_file_text(path, err) : NULL;
    int rc = -1;
    size_t n = path ? strlen(path) : 0;
    if (path && !text && !strncmp(err, path, n))   /* named as the student wrote it */
        *why = text_printf("%s%s", path + strlen(b->subs_dir) + 1, err + n);
    else if (path && !text)
        *why = strdup(err);
    else if (text && (rc = cfg_load_string(answer, text, NULL, 0, cfg, err)) != 0)
        *why = strdup(err);
    free(text);
    free(path);
    return rc;
}

/* Runs cfg as student s's answer to qi in a temporary folder; 0 with the
 * verdict, or -1 with the reason in why. */
static int run_answer(const lg_book_t *b, int s, int qi, config_t *cfg, verdict_t *v,
                      char **why)
{
    char err[LAB_ERR_MAX];
    lab_variant_t var = {0};
    lab_work_t w = {.lab = b->lab, .v = &var, .stop = b->stop};
    char *tmp = NULL;
    int capped = cfg->duration == 0 || cfg->duration > LG_RUN_TIME;
    if (capped)
        cfg->duration = LG_RUN_TIME;
    if (lab_draw(b->lab, b->students[s].id, &var, err) != 0 || !(w.dir = tmp = lab_temp_dir(err)))
        *why = strdup(err);
    else if (run_design(&w, &b->lab->questions[qi], cfg, tmp, v, why) == 0)
        *why = unfinished(tmp, cfg, capped, v);
    if (tmp)
        lab_remove_tree(tmp);
    free(tmp);
    lab_work_free(&w);
    lab_variant_free(&var);
    return *why ? -1 : 0;
}

int lg_mark_design(const lg_book_t *b, int s, int qi, lg_mark_t *out)
{
    char *why = NULL;
    config_t cfg;
    verdict_t v = {0};
    *out = (lg_mark_t){0};
    if (load_answer(b, b->students[s].answer[qi], &cfg, &why) != 0)
        return (out->reason = why) ? 0 : -1;
    int rc = run_answer(b, s, qi, &cfg, &v, &why);
    cfg_free(&cfg);
    if (rc != 0)
        return (out->reason = why) ? 0 : -1;
    return judge(b, s, qi, &v, out);
}
