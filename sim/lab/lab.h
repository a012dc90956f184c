/* lab.h — a lab: a lab.yaml (title, goals, parameters drawn per student,
 * runs made from config templates, figures, questions with formulas for
 * their answers), loaded once and checked; a student's variant (the
 * parameters drawn for their id); templates rendered with it.
 *
 * Layer lab (sim/lab/): ranked with the command line.  Modules, lowest
 * first: lx_ (expressions, lx.h), lab_ (loader, variants, templates: this
 * header), lab_run (running a variant and its answers), roster_ (rosters),
 * jobs_ (worker processes), lab_show / lab_make / lab_check and lab_cmd
 * (`gilsim lab ...`).  lg_ (grading) uses this header. */
#ifndef GILSIM_LAB_H
#define GILSIM_LAB_H

#include <stddef.h>
#include <stdint.h>
#include "lab/lx.h"

#define LAB_ERR_MAX 1024         /* one line, as CFG_ERR_MAX */
#define LAB_TEXT_MAX LX_TEXT_MAX /* a parameter's text ("350ms", "8") */

enum lab_param_kind {
    LAB_RANGE,                   /* {range: [lo, hi], step: S}: integers or durations */
    LAB_CHOICES,                 /* {choices: [a, b, c]}: any scalars */
};

typedef struct lab_param {
    char *name;
    enum lab_param_kind kind;
    int duration;                /* RANGE: written as durations (ns internally) */
    int64_t lo, hi, step;        /* RANGE */
    char **choices;              /* CHOICES: the texts as written */
    int nchoices;
    int line, col;
} lab_param_t;

/* `derived:` name: "formula" over the parameters (and earlier derived). */
typedef struct lab_derived {
    char *name;
    lx_expr_t *expr;
} lab_derived_t;

typedef struct lab_run {
    char *name;
    char *template_name;         /* a file of the lab folder */
    char **sets;                 /* KEY=VALUE with {name} placeholders */
    int nsets;
    char **vary;                 /* KEY=V1,V2,...: a sweep (sweep.csv) */
    int nvary;
    int line, col;
} lab_run_t;

typedef struct lab_figure {
    int run;                     /* index in runs */
    char *figure;                /* a figure name of figures.h */
} lab_figure_t;

enum lab_kind { LAB_NUMBER, LAB_CHOICE, LAB_PREDICTION, LAB_DESIGN };
enum lab_tol { LAB_TOL_NONE, LAB_TOL_RELATIVE, LAB_TOL_ABSOLUTE };

typedef struct lab_question {
    char *id;
    enum lab_kind kind;
    char *prompt;
    lx_expr_t *answer;           /* number, choice, prediction */
    char *unit;                  /* "" when none */
    enum lab_tol tol_kind;
    double tol;
    char **choices;
    int nchoices;
    /* design */
    int start;                   /* index in runs; -1 none */
    char *solution;              /* a template of the lab folder, or NULL */
    lx_expr_t **require;         /* over the run `submitted` */
    int nrequire;
    lx_expr_t *minimize;         /* NULL: none */
    char *search_set;            /* a config key, or NULL */
    int64_t search_from, search_to;
    int line, col;
} lab_question_t;

typedef struct lab {
    char *id;                    /* the folder's name */
    char *dir;                   /* the lab folder */
    char *path;                  /* DIR/lab.yaml */
    char *title, *section;
    char **goals;
    int ngoals;
    lab_param_t *params;
    int nparams;
    lab_derived_t *derived;
    int nderived;
    lab_run_t *runs;
    int nruns;
    lab_figure_t *figures;
    int nfigures;
    lab_question_t *questions;
    int nquestions;
    /* names of variables (parameters, then derived) and runs (then
     * `submitted`) for expressions and templates */
    const char **var_names;
    int nvars;
    const char **run_names;
} lab_t;

/* A student's values: one per variable (parameters then derived), the
 * number expressions see (durations in ns; a word choice: its 1-based
 * position) and the text templates get. */
typedef struct lab_variant {
    double *value;
    char (*text)[LAB_TEXT_MAX];
    int n;
} lab_variant_t;

/* The folder of labs: $GILSIM_LABS, else configs/labs in the current
 * folder, else gilsim's data folder's (an installed gilsim's).  Not
 * malloc'd. */
const char *lab_root(void);
/* Whether id is a lab id: [a-z0-9_]+, at most 64 bytes. */
int  lab_id_ok(const char *id);
/* Loads ROOT/ID/lab.yaml and checks it (templates' placeholders too).
 * 0, or -1 with "FILE:LINE:COL: message" (or "lab 'x': ...") in err. */
int  lab_load(const char *root, const char *id, lab_t *lab, char err[LAB_ERR_MAX]);
void lab_free(lab_t *lab);

/* Each lab.yaml key with its section and meaning (for `gilsim help lab`). */
typedef void (*lab_key_fn)(void *ctx, const char *section, const char *key, int required,
                           const char *meaning);
void lab_each_key(lab_key_fn each, void *ctx);

/* The 64-bit FNV-1a hash of "LAB\nSTUDENT": a variant's seed. */
uint64_t lab_seed(const char *lab, const char *student);
/* Draws the student's parameters and computes the derived ones.  0, or -1
 * with a message in err. */
int  lab_draw(const lab_t *lab, const char *student, lab_variant_t *v, char err[LAB_ERR_MAX]);
/* A variant with each parameter at its low end (which < 0), high end
 * (which > 0), or choice `which` of parameter p (for lab check). */
int  lab_variant_at(const lab_t *lab, int p, int which, lab_variant_t *v, char err[LAB_ERR_MAX]);
void lab_variant_free(lab_variant_t *v);

/* Replaces each {name} of a declared variable by its text; any other `{`
 * stays.  malloc'd, or NULL (out of memory). */
char *lab_render(const lab_t *lab, const lab_variant_t *v, const char *text);
/* Each of src[0..n) rendered, in an array with room for two more
 * (NULL-filled); NULL when out of memory.  Free with lab_free_strings. */
char **lab_render_list(const lab_t *lab, const lab_variant_t *v, char *const *src, int n);
void lab_free_strings(char **s, int n);
/* Writes head then text to path, a new file (never through a link).
 * 0, or 1 with err set. */
int  lab_write_file(const char *path, const char *head, const char *text,
                    char err[LAB_ERR_MAX]);
/* Reads the lab folder's file name (a template) into a malloc'd string;
 * NULL with a message in err. */
char *lab_read_file(const lab_t *lab, const char *name, char err[LAB_ERR_MAX]);
/* The same for any path: a regular file of at most 1 MiB without NUL. */
char *lab_file_text(const char *path, char err[LAB_ERR_MAX]);

/* "5%", "0.01" or "-" (choices, no tolerance) into buf. */
void lab_tolerance_text(const lab_question_t *q, char *buf, size_t size);
const char *lab_kind_name(enum lab_kind k);

#endif
