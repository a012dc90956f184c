/* lx.h — the formulas of a lab: answers, derived values, a design's
 * requirements and objective.
 *
 *   1.2 * sleep + 5ms                 numbers, durations (ns), variables
 *   gather.summary.makespan_ns / 1e9  RUN.FILE.COLUMN: the file's one row
 *   serial.tasks[coroutine=main,loop="0"].finished_ns
 *   gather.summary["mark:Total time"] a quoted column
 *   count(sub.threads[group=pool])    aggregates: count sum mean min max
 *   argmin(a, b, c)  if(c, a, b)  abs ceil floor round sqrt min max
 *   + - * / %  < <= > >= == !=  && || !   (comparisons give 1 or 0)
 *
 * A formula is parsed once, when the lab is loaded, against the lab's
 * names (so a typo is an error at its line:col in lab.yaml), then
 * evaluated for each student against the run folders of their variant,
 * read back as untrusted CSV (csvread.h). */
#ifndef GILSIM_LX_H
#define GILSIM_LX_H

#include <stddef.h>

#define LX_TEXT_MAX 64           /* a variable's text (lab_variant_t.text) */

typedef struct lx_expr lx_expr_t;

/* The names a formula may use: variables (a number each), runs (each a
 * run folder), and which runs are sweeps (the file `sweep` is theirs). */
typedef struct lx_names {
    const char *const *vars;
    int nvars;
    const char *const *runs;
    int nruns;
    const unsigned char *sweeps; /* per run: 1 if it has sweep.csv; NULL: none */
    int no_runs;                 /* run references are an error (derived values) */
} lx_names_t;

/* Parses text.  NULL on error: the message in err and its byte offset in
 * text in *at. */
lx_expr_t *lx_parse(const char *text, const lx_names_t *names, size_t *at, char *err,
                    size_t errsize);
void lx_free(lx_expr_t *e);
/* The text it was parsed from. */
const char *lx_text(const lx_expr_t *e);

/* What an evaluation reads: the variables' values and texts (for {name}
 * in selectors), and each run's folder (NULL: not run). */
typedef struct lx_env {
    const double *vars;
    const char (*texts)[LX_TEXT_MAX];
    const char *const *run_dirs;
} lx_env_t;

/* text with each {NAME} of names[i] replaced by texts[i]: a '{' right
 * after another '{' is never special, and any other '{' stays.  For
 * selectors here, and templates and prompts (lab_render).  malloc'd;
 * NULL when out of memory. */
char *lx_render(const char *text, const char *const *names, int n,
                const char (*texts)[LX_TEXT_MAX]);

/* 0 with the value in *out, or -1 with one line in err ("serial.tasks
 * [coroutine=main]: 2 rows match, expected 1"). */
int lx_eval(const lx_expr_t *e, const lx_env_t *env, double *out, char *err, size_t errsize);

#endif
