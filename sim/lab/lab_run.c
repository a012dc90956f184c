/* lab_run.c — see lab_run.h.
 *
 * Each run is as short as its questions and figures allow: trace summary
 * (summary.csv, threads.csv, tasks.csv, log.csv: every file a formula can
 * name) unless one of the run's figures is drawn from trace.csv.  A run's
 * config is loaded from its rendered text (cfg_load_string), so a config
 * error names the lab's template; a sweep (vary:) is gilsim sweep on the
 * rendered config, written beside its folder. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "engine/util.h"
#include "lab/lab_run.h"
#include "lab/lab_figs.h"
#include "out/csvread.h"
#include "runner.h"
#include "sweep.h"

char *lab_run_config(const lab_t *lab, const lab_variant_t *v, int r, char err[LAB_ERR_MAX])
{
    char *tmpl = lab_read_file(lab, lab->runs[r].template_name, err);
    char *text = tmpl ? lab_render(lab, v, tmpl) : NULL;
    if (tmpl && !text)
        snprintf(err, LAB_ERR_MAX, "out of memory");
    free(tmpl);
    return text;
}

/* A run needs trace.csv when one of its figures is drawn from it. */
static enum trace_level run_trace(const lab_t *lab, int r)
{
    for (int i = 0; i < lab->nfigures; i++)
        if (lab->figures[i].run == r && lab_figure_kind(lab->figures[i].figure)->from_trace)
            return TRACE_FULL;
    return TRACE_SUMMARY;
}

/* Writes text to DIR/NAME, making DIR. */
static int write_text(const char *dir, const char *name, const char *head, const char *text,
                      char err[LAB_ERR_MAX])
{
    char *path = path_join(dir, name);
    int rc = 1;
    if (!path)
        snprintf(err, LAB_ERR_MAX, "out of memory");
    else if (make_dirs(dir) != 0)
        snprintf(err, LAB_ERR_MAX, "%s: cannot make the folder: %s", dir, strerror(errno));
    else
        rc = lab_write_file(path, head, text, err);
    free(path);
    return rc;
}

/* "# gilsim run NAME.yaml --set K=V": how the key ran it, for the student. */
static char *command_line(const lab_run_t *run, char *const *sets, char *const *vary)
{
    char *line = text_printf("# gilsim %s %s.yaml", run->nvary ? "sweep" : "run", run->name);
    for (int i = 0; line && i < run->nsets + run->nvary; i++) {
        char *more = text_printf("%s %s '%s'", line, i < run->nsets ? "--set" : "--vary",
                                 i < run->nsets ? sets[i] : vary[i - run->nsets]);
        free(line);
        line = more;
    }
    char *done = line ? text_printf("%s\n", line) : NULL;
    free(line);
    return done;
}

static int run_sweep(lab_work_t *w, int r, char **sets, char **vary, const char *dir,
                     const char *text, char err[LAB_ERR_MAX])
{
    const lab_run_t *run = &w->lab->runs[r];
    char *name = text_printf("%s.yaml", run->name);
    char *path = name ? path_join(w->dir, name) : NULL;
    sweep_axis_t *axes = calloc((size_t)run->nvary, sizeof *axes);
    int rc = !path || !axes ? 1 : write_text(w->dir, name, "", text, err), n = 0;
    for (; rc == 0 && n < run->nvary; n++)
        if (sweep_axis_parse(vary[n], &axes[n], err, LAB_ERR_MAX) != 0)
            rc = 2;
    if (rc == 0) {
        sweep_opts_t so = {.config = path, .sets = sets, .nsets = run->nsets, .axes = axes,
                           .naxes = run->nvary, .outdir = dir, .quiet = 1, .stop = w->stop};
        if ((rc = sweep_run(&so)) != 0)
            snprintf(err, LAB_ERR_MAX, "%s: the sweep of run '%s' failed (above)",
                     w->lab->path, run->name);
    }
    for (int i = 0; i < n - (rc == 2); i++)
        sweep_axis_free(&axes[i]);
    free(axes);
    free(path);
    free(name);
    return rc;
}

/* Runs a loaded config into dir; 0 or a status with err. */
static int simulate(const config_t *cfg, const char *dir, enum trace_level trace,
                    volatile sig_atomic_t *stop, const char *what, char err[LAB_ERR_MAX])
{
    if (make_dirs(dir) != 0) {
        snprintf(err, LAB_ERR_MAX, "%s: cannot make the folder: %s", dir, strerror(errno));
        return 1;
    }
    run_opts_t ro = {.outdir = dir, .trace = trace, .stop = stop, .quiet_stop = 1,
                     .quiet_warnings = 1};
    int rc = run_simulation(cfg, &ro);
    if (rc)
        snprintf(err, LAB_ERR_MAX, "%s: the run failed%s", what,
                 rc > 128 ? ": interrupted" : " (above)");
    return rc;
}

/* Run r of a variant as the student gets it: its config's text, its
 * --set and --vary values, and the file the student's copy goes to. */
typedef struct rendered {
    char *text, **sets, **vary;
    char *name;                  /* the template's path: a config error names it */
    char *file;                  /* RUN.yaml */
    char *head;                  /* the command line the key ran it with, as a comment */
} rendered_t;

static void rendered_free(const lab_run_t *run, rendered_t *x)
{
    lab_free_strings(x->sets, run->nsets);
    lab_free_strings(x->vary, run->nvary);
    free(x->text);
    free(x->name);
    free(x->file);
    free(x->head);
}

static int render_run(const lab_work_t *w, int r, rendered_t *x, char err[LAB_ERR_MAX])
{
    const lab_run_t *run = &w->lab->runs[r];
    x->text = lab_run_config(w->lab, w->v, r, err);
    x->sets = lab_render_list(w->lab, w->v, run->sets, run->nsets);
    x->vary = lab_render_list(w->lab, w->v, run->vary, run->nvary);
    x->name = path_join(w->lab->dir, run->template_name);
    x->file = text_printf("%s.yaml", run->name);
    x->head = x->sets && x->vary ? command_line(run, x->sets, x->vary) : NULL;
    int rc = x->text && x->sets && x->vary && x->name && x->file && x->head ? 0 : 1;
    if (rc && x->text)
        snprintf(err, LAB_ERR_MAX, "out of memory");
    return rc;
}

/* The student's copy of run r's config: CONFIGS/RUN.yaml, headed by the
 * command line when the run has --set or --vary values. */
static int write_config(const lab_work_t *w, int r, const rendered_t *x, char err[LAB_ERR_MAX])
{
    const lab_run_t *run = &w->lab->runs[r];
    return write_text(w->configs, x->file, run->nsets || run->nvary ? x->head : "", x->text, err);
}

int lab_write_configs(const lab_work_t *w, char err[LAB_ERR_MAX])
{
    int rc = 0;
    for (int r = 0; r < w->lab->nruns && rc == 0; r++) {
        rendered_t x = {0};
        rc = render_run(w, r, &x, err);
        if (rc == 0)
            rc = write_config(w, r, &x, err);
        rendered_free(&w->lab->runs[r], &x);
    }
    return rc ? rc : lab_design_starts(w->lab, w->configs, err);
}

/* configs/ID.yaml of each design: a copy of its start run's config. */
int lab_design_starts(const lab_t *lab, const char *configs, char err[LAB_ERR_MAX])
{
    for (int i = 0; i < lab->nquestions; i++) {
        const lab_question_t *q = &lab->questions[i];
        if (q->kind != LAB_DESIGN)
            continue;
        char *from = text_printf("%s/%s.yaml", configs, lab->run_names[q->start]);
        char *to = text_printf("%s/%s.yaml", configs, q->id);
        char *text = from ? lab_file_text(from, err) : NULL;
        int ok = text && to && lab_write_file(to, "", text, err) == 0;
        free(from);
        free(to);
        free(text);
        if (!ok)
            return 1;
    }
    return 0;
}

static int run_one(lab_work_t *w, int r, char err[LAB_ERR_MAX])
{
    const lab_run_t *run = &w->lab->runs[r];
    rendered_t x = {0};
    int rc = render_run(w, r, &x, err);
    char *text = x.text, **sets = x.sets, **vary = x.vary, *name = x.name;
    if (rc == 0 && w->configs)
        rc = write_config(w, r, &x, err);
    if (rc == 0 && run->nvary) {
        rc = run_sweep(w, r, sets, vary, w->run_dirs[r], text, err);
    } else if (rc == 0) {
        config_t cfg;
        char cerr[CFG_ERR_MAX];
        if (cfg_load_string(name, text, sets, run->nsets, &cfg, cerr) != 0) {
            snprintf(err, LAB_ERR_MAX, "%.900s (run '%s')", cerr, run->name);
            rc = 2;
        } else {
            rc = simulate(&cfg, w->run_dirs[r], run_trace(w->lab, r), w->stop, name, err);
            cfg_free(&cfg);
        }
    }
    rendered_free(run, &x);
    return rc;
}

static int fold_config_hash(rows_t *r, void *ctx)
{
    uint64_t *h = ctx;
    const char *text = rows_need(r, "config_hash");
    if (text)
        *h = fnv1a(fnv1a(*h, text, strlen(text)), "\n", 1);      /* a row's end */
    return r->error;
}

int lab_config_hash(const lab_work_t *w, uint64_t *hash, char err[LAB_ERR_MAX])
{
    *hash = FNV1A_OFFSET;
    for (int r = 0; r < w->lab->nruns; r++) {
        rows_t rows = {.on_row = fold_config_hash, .ctx = hash};
        const char *file = w->lab->runs[r].nvary ? "sweep.csv" : "summary.csv";
        int rc = rows_read(&rows, w->run_dirs[r], file);
        rows_free(&rows);
        if (rc != PLOT_OK) {
            snprintf(err, LAB_ERR_MAX, "%s/%s: cannot read the runs' config_hash (above)",
                     w->run_dirs[r], file);
            return 1;
        }
    }
    return 0;
}

int lab_work_dirs(lab_work_t *w, char err[LAB_ERR_MAX])
{
    const lab_t *lab = w->lab;
    if (!w->run_dirs && !(w->run_dirs = calloc((size_t)lab->nruns + 2, sizeof *w->run_dirs))) {
        snprintf(err, LAB_ERR_MAX, "out of memory");
        return 1;
    }
    for (int r = 0; r < lab->nruns; r++)
        if (!w->run_dirs[r] && !(w->run_dirs[r] = path_join(w->dir, lab->run_names[r]))) {
            snprintf(err, LAB_ERR_MAX, "out of memory");
            return 1;
        }
    return 0;
}

int lab_run_all(lab_work_t *w, char err[LAB_ERR_MAX])
{
    const lab_t *lab = w->lab;
    if (lab_work_dirs(w, err))
        return 1;
    for (int r = 0; r < lab->nruns; r++) {
        int rc = run_one(w, r, err);
        if (rc)
            return rc;
    }
    return 0;
}

void lab_work_free(lab_work_t *w)
{
    for (int r = 0; w->run_dirs && r <= w->lab->nruns; r++)
        free(w->run_dirs[r]);
    free(w->run_dirs);
    w->run_dirs = NULL;
}

/* Formats a key answer: a choice's text, else %.6g. */
static int answer_text(const lab_question_t *q, double v, lab_answer_t *a, char err[LAB_ERR_MAX])
{
    a->value = v;
    if (q->nchoices) {
        if (v != (double)(int)v || v < 1 || v > q->nchoices) {
            snprintf(err, LAB_ERR_MAX, "question '%s': the answer %.6g is not a choice "
                     "(1 to %d)", q->id, v, q->nchoices);
            return 2;
        }
        snprintf(a->text, sizeof a->text, "%s", q->choices[(int)v - 1]);
    } else {
        snprintf(a->text, sizeof a->text, "%.6g", v);
    }
    return 0;
}

int lab_design_run(lab_work_t *w, const lab_question_t *q, const config_t *cfg,
                   const char *dir, double *objective, char err[LAB_ERR_MAX])
{
    int rc = lab_work_dirs(w, err);
    if (rc != 0)
        return rc;               /* no run folders to name the submitted one beside */
    rc = simulate(cfg, dir, TRACE_SUMMARY, w->stop, cfg->path ? cfg->path : q->id, err);
    const char *saved = w->run_dirs[w->lab->nruns];
    w->run_dirs[w->lab->nruns] = (char *)dir;
    lx_env_t env = {.vars = w->v->value, .texts = (const char (*)[LX_TEXT_MAX])w->v->text,
                    .run_dirs = (const char *const *)w->run_dirs};
    char msg[512];
    for (int i = 0; rc == 0 && i < q->nrequire; i++) {
        double ok;
        if (lx_eval(q->require[i], &env, &ok, msg, sizeof msg) != 0) {
            snprintf(err, LAB_ERR_MAX, "question '%s': require \"%s\": %s", q->id,
                     lx_text(q->require[i]), msg);
            rc = 2;
        } else if (ok == 0) {
            snprintf(err, LAB_ERR_MAX, "%s", lx_text(q->require[i]));
            rc = LAB_UNMET;
        }
    }
    if (rc == 0 && q->minimize && lx_eval(q->minimize, &env, objective, msg, sizeof msg) != 0) {
        snprintf(err, LAB_ERR_MAX, "question '%s': minimize \"%s\": %s", q->id,
                 lx_text(q->minimize), msg);
        rc = 2;
    }
    w->run_dirs[w->lab->nruns] = (char *)saved;
    return rc;
}

/* A design config from a text: the start run's with KEY=VALUE (the
 * search's), or the solution's template. */
static int design_try(lab_work_t *w, const lab_question_t *q, const char *text, const char *name,
                      const char *extra, double *objective, char err[LAB_ERR_MAX])
{
    const lab_run_t *start = &w->lab->runs[q->start];
    int nsets = extra ? start->nsets + 1 : 0;
    char **sets = extra ? lab_render_list(w->lab, w->v, start->sets, start->nsets) : NULL;
    char *dir = text_printf("%s/design-%s", w->dir, q->id);
    config_t cfg;
    char cerr[CFG_ERR_MAX];
    int rc = (extra && !sets) || !dir ? 1 : 0;
    if (rc)
        snprintf(err, LAB_ERR_MAX, "out of memory");
    if (extra && sets)
        sets[start->nsets] = (char *)extra;
    if (rc == 0 && cfg_load_string(name, text, sets, nsets, &cfg, cerr) != 0) {
        snprintf(err, LAB_ERR_MAX, "%.900s (question '%s')", cerr, q->id);
        rc = 2;
    } else if (rc == 0) {
        rc = lab_design_run(w, q, &cfg, dir, objective, err);
        cfg_free(&cfg);
    }
    if (sets)
        sets[start->nsets] = NULL;
    lab_free_strings(sets, start->nsets);
    free(dir);
    return rc;
}

/* The search: every value from..to; the answer is the least objective
 * among the values that meet the requires. */
static int design_search(lab_work_t *w, const lab_question_t *q, double *best,
                         char err[LAB_ERR_MAX])
{
    char *text = lab_run_config(w->lab, w->v, q->start, err);
    char *name = text ? path_join(w->lab->dir, w->lab->runs[q->start].template_name) : NULL;
    int rc = name ? 0 : 1, found = 0;
    for (int64_t x = q->search_from; rc == 0 && x <= q->search_to; x++) {
        char kv[400];
        double obj;
        snprintf(kv, sizeof kv, "%s=%lld", q->search_set, (long long)x);
        rc = design_try(w, q, text, name, kv, &obj, err);
        if (rc == 0 && (!found || obj < *best))
            *best = obj;
        found |= rc == 0;
        rc = rc == LAB_UNMET ? 0 : rc;
    }
    if (rc == 0 && !found) {
        snprintf(err, LAB_ERR_MAX, "question '%s': no value of %s from %lld to %lld meets the "
                 "requires", q->id, q->search_set, (long long)q->search_from,
                 (long long)q->search_to);
        rc = 2;
    }
    free(text);
    free(name);
    return rc;
}

int lab_design_solution(lab_work_t *w, const lab_question_t *q, double *obj,
                           char err[LAB_ERR_MAX])
{
    char *tmpl = lab_read_file(w->lab, q->solution, err);
    char *text = tmpl ? lab_render(w->lab, w->v, tmpl) : NULL;
    char *name = text ? path_join(w->lab->dir, q->solution) : NULL;
    int rc = name ? design_try(w, q, text, name, NULL, obj, err) : 1;
    if (rc == LAB_UNMET) {
        char req[LAB_ERR_MAX];
        snprintf(req, sizeof req, "%s", err);
        snprintf(err, LAB_ERR_MAX, "question '%s': the solution %s does not meet \"%.400s\"",
                 q->id, q->solution, req);
        rc = 2;
    }
    free(tmpl);
    free(text);
    free(name);
    return rc;
}

static int design_answer(lab_work_t *w, const lab_question_t *q, lab_answer_t *a,
                         char err[LAB_ERR_MAX])
{
    double obj = 0;
    int rc = 0;
    if (!q->minimize) {
        a->value = 1;
        snprintf(a->text, sizeof a->text, "meets");
        return 0;
    }
    rc = q->search_set ? design_search(w, q, &obj, err) : lab_design_solution(w, q, &obj, err);
    if (rc == 0)
        rc = answer_text(q, obj, a, err);
    return rc;
}

int lab_answer_all(lab_work_t *w, lab_answer_t *answers, char err[LAB_ERR_MAX])
{
    lx_env_t env = {.vars = w->v->value, .texts = (const char (*)[LX_TEXT_MAX])w->v->text,
                    .run_dirs = (const char *const *)w->run_dirs};
    for (int i = 0; i < w->lab->nquestions; i++) {
        const lab_question_t *q = &w->lab->questions[i];
        char msg[512];
        double v;
        int rc;
        if (q->kind == LAB_DESIGN) {
            rc = design_answer(w, q, &answers[i], err);
        } else if (lx_eval(q->answer, &env, &v, msg, sizeof msg) != 0) {
            snprintf(err, LAB_ERR_MAX, "%s: question '%s': %s", w->lab->path, q->id, msg);
            rc = 2;
        } else {
            rc = answer_text(q, v, &answers[i], err);
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* Depth first, without following links: a link is removed, not entered. */
int lab_remove_tree(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(dir);
    DIR *d = opendir(dir);
    int rc = d ? 0 : -1;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = path_join(dir, e->d_name);
        if (!p || lab_remove_tree(p) != 0)
            rc = -1;
        free(p);
    }
    if (d)
        closedir(d);
    return rmdir(dir) == 0 ? rc : -1;
}
