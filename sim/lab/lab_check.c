/* lab_check.c — `gilsim lab check [LAB]`: what a lecturer runs before
 * handing a lab out.  Each lab is loaded (its formulas parsed, its
 * templates' placeholders checked), every template is rendered and loaded
 * at the parameters' ends (all low, all high, and each choice of each
 * choice parameter, with every set: and each vary: value), the variant of
 * the student `example` is run and every answer computed (a design's
 * search too), each design's solution is run and its requires checked,
 * and each figure's data prepared.  One line per lab; the first problem
 * ends the check with status 2. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "engine/util.h"
#include "lab/lab_cmd.h"
#include "lab/lab_figs.h"
#include "lab/lab_run.h"
#include "sweep.h"

/* Loads run r's config rendered for v, with its sets and, for a sweep,
 * each value of each axis in turn. */
static int load_run(const lab_t *lab, const lab_variant_t *v, int r, char err[LAB_ERR_MAX])
{
    const lab_run_t *run = &lab->runs[r];
    char *text = lab_run_config(lab, v, r, err);
    char *name = path_join(lab->dir, run->template_name);
    char **sets = lab_render_list(lab, v, run->sets, run->nsets);
    int rc = text && name && sets ? 0 : 1;
    for (int a = -1; rc == 0 && a < run->nvary; a++) {
        sweep_axis_t ax = {0};
        char *vary = a >= 0 ? lab_render(lab, v, run->vary[a]) : NULL;
        if (a >= 0 && (!vary || sweep_axis_parse(vary, &ax, err, LAB_ERR_MAX) != 0))
            rc = 2;
        for (int k = 0; rc == 0 && k < (a < 0 ? 1 : ax.n); k++) {
            char *kv = a >= 0 ? text_printf("%s=%s", ax.key, ax.values[k]) : NULL;
            config_t cfg;
            char cerr[CFG_ERR_MAX];
            sets[run->nsets] = kv;
            if (cfg_load_string(name, text, sets, run->nsets + (kv != NULL), &cfg, cerr) != 0) {
                snprintf(err, LAB_ERR_MAX, "%.900s (run '%s')", cerr, run->name);
                rc = 2;
            } else {
                cfg_free(&cfg);
            }
            sets[run->nsets] = NULL;
            free(kv);
        }
        if (a >= 0 && ax.key)
            sweep_axis_free(&ax);
        free(vary);
    }
    lab_free_strings(sets, run->nsets);
    free(text);
    free(name);
    return rc;
}

/* Every run loads at the variants of the parameters' ends. */
static int check_ends(const lab_t *lab, char err[LAB_ERR_MAX])
{
    for (int p = -1; p < lab->nparams; p++) {
        int nwhich = p < 0 ? 2 : lab->params[p].kind == LAB_CHOICES ? lab->params[p].nchoices : 0;
        for (int k = 0; k < nwhich; k++) {
            lab_variant_t v;
            int which = p < 0 ? (k ? 1 : -1) : k;
            int rc = lab_variant_at(lab, p, which, &v, err) ? 2 : 0;
            for (int r = 0; rc == 0 && r < lab->nruns; r++)
                rc = load_run(lab, &v, r, err);
            if (rc == 0) {
                lab_variant_free(&v);
                continue;
            }
            char at[LAB_ERR_MAX];
            snprintf(at, sizeof at, "%s", err);
            snprintf(err, LAB_ERR_MAX, "%.700s [parameters %s%s%s]", at,
                     p < 0 ? (k ? "all high" : "all low") : lab->params[p].name,
                     p < 0 ? "" : " = ", p < 0 ? "" : lab->params[p].choices[k]);
            lab_variant_free(&v);
            return rc;
        }
    }
    return 0;
}

/* The figures' data, as lab make prepares it (not drawn). */
static int check_figures(const lab_t *lab, lab_work_t *w, const char *tmp, char err[])
{
    lab_figs_t b = {0};
    char *driver = path_join(tmp, "figures.gp");
    int rc = driver ? lab_figs_open(&b, driver, "plots", err) : 1;
    for (int i = 0; rc == 0 && i < lab->nfigures; i++) {
        char *out = text_printf("%s/%d.png", tmp, i);
        rc = out ? lab_figs_add(&b, w->run_dirs[lab->figures[i].run], lab->figures[i].figure,
                                out, err) : 1;
        free(out);
    }
    if (driver)
        lab_figs_close(&b);
    free(driver);
    return rc;
}

/* The example's variant: runs, answers, solutions, figures. */
static int check_example(const lab_t *lab, volatile sig_atomic_t *stop, char err[LAB_ERR_MAX],
                         char *summary, size_t size)
{
    lab_variant_t v;
    char *tmp = lab_temp_dir(err);
    lab_answer_t *a = calloc((size_t)lab->nquestions + 1, sizeof *a);
    if (!tmp || !a || lab_draw(lab, "example", &v, err) != 0) {
        free(a);
        if (tmp)
            lab_remove_tree(tmp);
        free(tmp);
        return tmp && a ? 2 : 1;
    }
    lab_work_t w = {.lab = lab, .v = &v, .dir = tmp, .stop = stop};
    int rc = lab_run_all(&w, err);
    if (rc == 0)
        rc = lab_answer_all(&w, a, err);
    for (int i = 0; rc == 0 && i < lab->nquestions; i++) {
        const lab_question_t *q = &lab->questions[i];
        double obj = 0;
        if (q->kind == LAB_DESIGN && q->solution)
            rc = lab_design_solution(&w, q, &obj, err);
    }
    if (rc == 0)
        rc = check_figures(lab, &w, tmp, err);
    size_t n = 0;
    summary[0] = '\0';
    for (int i = 0; rc == 0 && i < lab->nquestions && n < size; i++)
        n += (size_t)snprintf(summary + n, size - n, "%s%s=%s", i ? ", " : "",
                              lab->questions[i].id, a[i].text);
    lab_work_free(&w);
    lab_variant_free(&v);
    lab_remove_tree(tmp);
    free(tmp);
    free(a);
    return rc;
}

static int check_one(const char *root, const char *id, volatile sig_atomic_t *stop)
{
    lab_t lab;
    char err[LAB_ERR_MAX], summary[512];
    if (lab_load(root, id, &lab, err) != 0) {
        say("lab check: %s", err);
        return 2;
    }
    int rc = check_ends(&lab, err);
    if (rc == 0)
        rc = check_example(&lab, stop, err, summary, sizeof summary);
    if (rc)
        say("lab check: %s: %s", id, err);
    else
        printf("%s: ok: %d parameters, %d runs, %d questions; student example: %s\n", id,
               lab.nparams, lab.nruns, lab.nquestions, summary);
    lab_free(&lab);
    return rc;
}

int lab_check(const char *root, const char *id, volatile sig_atomic_t *stop)
{
    if (id)
        return check_one(root, id, stop);
    char **ids = NULL;
    int n = 0, skipped = 0, rc = lab_list_ids(root, &ids, &n, &skipped);
    if (rc == 0 && n == 0)
        printf("lab check: no labs in %s\n", root);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = check_one(root, ids[i], stop);
    if (rc == 0 && skipped)      /* a lab that is meant to be one but cannot be */
        rc = 2;
    for (int i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    return rc;
}
