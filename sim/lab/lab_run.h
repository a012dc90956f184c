/* lab_run.h — a student's variant run and answered: each run's config
 * rendered from its template and run (a sweep for runs with vary:) into a
 * folder of its own, then every question's key answer computed from those
 * folders.  Shared by lab show -c, lab make, lab check and lab grade. */
#ifndef GILSIM_LAB_RUN_H
#define GILSIM_LAB_RUN_H

#include <signal.h>
#include <stdint.h>
#include "config.h"
#include "lab/lab.h"

#define LAB_ANSWER_MAX 128

typedef struct lab_answer {
    double value;                /* number; a choice's 1-based index; a design's objective */
    char text[LAB_ANSWER_MAX];   /* as key.csv has it: %.6g, the choice's text, or "meets" */
} lab_answer_t;

/* One variant's work: where its runs go and what they need. */
typedef struct lab_work {
    const lab_t *lab;
    const lab_variant_t *v;
    const char *dir;             /* run folders: DIR/RUN (made as needed) */
    const char *configs;         /* the student's rendered configs go here; NULL: not kept */
    volatile sig_atomic_t *stop; /* a signal stops the runs (NULL: none) */
    char **run_dirs;             /* per run (and `submitted`), set by lab_run_all */
} lab_work_t;

/* The student's configs of the variant, into w->configs, running
 * nothing: each run's RUN.yaml as lab_run_all writes it, and each design
 * question's starting copy (lab_design_starts).  0, or 1 with err set. */
int  lab_write_configs(const lab_work_t *w, char err[LAB_ERR_MAX]);
/* CONFIGS/ID.yaml of each design question: a copy of its start run's
 * config, once that is written.  0, or 1 with err set. */
int  lab_design_starts(const lab_t *lab, const char *configs, char err[LAB_ERR_MAX]);

/* The rendered config of run r (its template with the variant's texts),
 * malloc'd; NULL with err set. */
char *lab_run_config(const lab_t *lab, const lab_variant_t *v, int r, char err[LAB_ERR_MAX]);
/* The run folders' names under w->dir (done by lab_run_all and
 * lab_design_run; nothing is run).  0, or 1 out of memory. */
int  lab_work_dirs(lab_work_t *w, char err[LAB_ERR_MAX]);
/* Runs every run of the variant.  0; else an exit status (2 bad config,
 * 1 failed, 128 + N stopped) with one line in err. */
int  lab_run_all(lab_work_t *w, char err[LAB_ERR_MAX]);
/* Every question's key answer, after lab_run_all (a design's search or
 * solution runs now, into DIR/design-ID).  0, or a status with err. */
int  lab_answer_all(lab_work_t *w, lab_answer_t *answers, char err[LAB_ERR_MAX]);
/* Runs a loaded config (a design: the student's, the solution, or a
 * value of the search) into dir with trace summary, then checks q's
 * requires over it as the run `submitted` and computes its objective.
 * 0 when all hold (*objective set when q has minimize:), LAB_UNMET when
 * a require fails (its text in err), else a status with err.  lab grade
 * runs a student's design through this: w needs lab, v, dir and stop;
 * a require naming another run than `submitted` reads w->dir/RUN, the
 * key's runs if lab_run_all ran them there. */
enum { LAB_UNMET = 3 };
int  lab_design_run(lab_work_t *w, const lab_question_t *q, const config_t *cfg,
                    const char *dir, double *objective, char err[LAB_ERR_MAX]);
/* Runs q's solution: 0 with its objective, or a status with err (the
 * solution not meeting a require is an error of the lab: 2). */
int  lab_design_solution(lab_work_t *w, const lab_question_t *q, double *objective,
                         char err[LAB_ERR_MAX]);
/* After lab_run_all: FNV-1a 64 over the config_hash of each run (its
 * summary.csv's, or each row of its sweep.csv), in the lab's order, so a
 * key names the configs it came from.  0, or 1 with err. */
int  lab_config_hash(const lab_work_t *w, uint64_t *hash, char err[LAB_ERR_MAX]);
void lab_work_free(lab_work_t *w);

/* Removes dir and everything below it (no shell); 0 or -1. */
int  lab_remove_tree(const char *dir);

#endif
