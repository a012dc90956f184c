/* lx_eval.c — a parsed formula's value for one student.
 *
 * Numbers are doubles; variables come from the variant, and each file
 * reference reads its CSV file back (csvread.h: untrusted input, one line
 * per problem) and keeps the rows its selector matches.  A reference
 * outside an aggregate must match exactly one row; a field used must hold
 * a number: an empty field ("not finished") is an error, never a 0. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lab/lx_node.h"
#include "out/csvread.h"
#include "plotprep.h"

#define LX_MSG 320

/* What one reference found in its file. */
typedef struct scan {
    const lx_ref_t *ref;
    char **want;                 /* the selector's values, {name} replaced */
    int *selcol;
    int col;                     /* -1: no column asked */
    long matches;
    double sum, min, max, first;
    char msg[LX_MSG];            /* our own refusal, else "" */
    int empty;                   /* refused: the column is empty in a matching row */
    const char *label;           /* "run.file[sel]" */
} scan_t;

/* One pass over the text: at each '{' not right after another '{', the
 * longest declared name followed by '}' is replaced; the rest is copied. */
char *lx_render(const char *text, const char *const *names, int n,
                const char (*texts)[LX_TEXT_MAX])
{
    size_t cap = strlen(text) + 64, len = 0;
    char *out = malloc(cap);
    for (const char *p = text; out && *p;) {
        const char *add = p;
        size_t k = 1, skip = 1;
        for (int i = 0; *p == '{' && (p == text || p[-1] != '{') && i < n; i++) {
            size_t m = strlen(names[i]);
            if (!strncmp(p + 1, names[i], m) && p[m + 1] == '}') {
                add = texts[i];
                k = strlen(add);
                skip = m + 2;
                break;
            }
        }
        if (len + k + 1 > cap) {
            char *o = realloc(out, cap = 2 * (len + k + 1));
            if (!o)
                free(out);
            if (!(out = o))
                return NULL;
        }
        memcpy(out + len, add, k);
        len += k;
        p += skip;
    }
    if (out)
        out[len] = '\0';
    return out;
}

/* Stops the reading with our own message (said by lx_eval's caller). */
static void refuse(rows_t *r, scan_t *s, const char *what, const char *text)
{
    snprintf(s->msg, sizeof s->msg, "%s: %s '%.40s'", s->label, what, text);
    r->error = PLOT_BAD_INPUT;
}

static int on_head(rows_t *r, void *ctx)
{
    scan_t *s = ctx;
    for (int i = 0; i < s->ref->nsel; i++)
        if ((s->selcol[i] = rows_col(r, s->ref->sel_cols[i])) < 0)
            refuse(r, s, "no such column in the file:", s->ref->sel_cols[i]);
    if (s->ref->column && (s->col = rows_col(r, s->ref->column)) < 0)
        refuse(r, s, "no such column in the file:", s->ref->column);
    return r->error;
}

static int on_row(rows_t *r, void *ctx)
{
    scan_t *s = ctx;
    for (int i = 0; i < s->ref->nsel; i++)
        if (strcmp(r->f[s->selcol[i]], s->want[i]))
            return 0;
    s->matches++;
    if (s->col < 0)
        return 0;
    const char *f = r->f[s->col];
    char *end;
    double v = strtod(f, &end);
    if (!*f) {
        s->empty = 1;
        r->error = PLOT_BAD_INPUT;
    } else if (*end || !isfinite(v))
        refuse(r, s, "not a number:", f);
    if (r->error)
        return r->error;
    if (s->matches == 1)
        s->first = s->min = s->max = v;
    s->sum += v;
    s->min = v < s->min ? v : s->min;
    s->max = v > s->max ? v : s->max;
    return 0;
}

/* "serial.tasks[coroutine=main].finished_ns", for messages. */
static void ref_label(const lx_expr_t *e, const lx_ref_t *ref, char **want, char *buf, size_t n)
{
    size_t k = (size_t)snprintf(buf, n, "%s.%s", e->runs[ref->run], lx_file_names[ref->file]);
    for (int i = 0; i < ref->nsel && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%s=%s%s", i ? "," : "[", ref->sel_cols[i],
                              want[i], i == ref->nsel - 1 ? "]" : "");
    if (ref->column && k < n)
        snprintf(buf + k, n - k, ".%s", ref->column);
}

/* Reads the reference's file into s; 0, or -1 with err set. */
static int scan_file(const lx_expr_t *e, const lx_env_t *env, const lx_ref_t *ref, scan_t *s,
                     char *err, size_t errsize)
{
    char label[200], file[32];
    const char *dir = env->run_dirs ? env->run_dirs[ref->run] : NULL;
    int rc = 0;
    s->want = calloc((size_t)ref->nsel + 1, sizeof *s->want);
    s->selcol = calloc((size_t)ref->nsel + 1, sizeof *s->selcol);
    for (int i = 0; s->want && i < ref->nsel; i++)
        if (!(s->want[i] = lx_render(ref->sel_vals[i], e->vars, e->nvars, env->texts)))
            rc = -1;
    if (!s->want || !s->selcol || rc) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    ref_label(e, ref, s->want, label, sizeof label);
    s->label = label;
    if (!dir) {
        snprintf(err, errsize, "%s: the run '%s' was not run", label, e->runs[ref->run]);
        return -1;
    }
    snprintf(file, sizeof file, "%s.csv", lx_file_names[ref->file]);
    rows_t r = {.on_head = on_head, .on_row = on_row, .ctx = s,
                .empty_ok = ref->file != LX_SUMMARY};
    rc = rows_read(&r, dir, file);
    rows_free(&r);
    if (rc && s->empty)
        snprintf(err, errsize, "%s.%s %s is empty for this variant", e->runs[ref->run],
                 lx_file_names[ref->file], ref->column);
    else if (rc && s->msg[0])
        snprintf(err, errsize, "%s", s->msg);
    else if (rc)
        snprintf(err, errsize, "%s: cannot read %s of the run (above)", label, file);
    return rc ? -1 : 0;
}

static void scan_free(scan_t *s, int nsel)
{
    for (int i = 0; s->want && i < nsel; i++)
        free(s->want[i]);
    free(s->want);
    free(s->selcol);
}

/* A reference (one row) or an aggregate over its rows. */
static int eval_ref(const lx_expr_t *e, const lx_node_t *n, const lx_env_t *env, double *out,
                    char *err, size_t errsize)
{
    scan_t s = {.ref = &n->ref, .col = -1};
    int rc = scan_file(e, env, &n->ref, &s, err, errsize);
    if (rc == 0 && n->kind == LX_REF && s.matches != 1) {
        char label[200];
        ref_label(e, &n->ref, s.want, label, sizeof label);
        snprintf(err, errsize, "%s: %ld rows match, expected 1", label, s.matches);
        rc = -1;
    } else if (rc == 0 && n->kind == LX_REF && !n->ref.column) {
        snprintf(err, errsize, "%s.%s: which column? (RUN.FILE.COLUMN)", e->runs[n->ref.run],
                 lx_file_names[n->ref.file]);
        rc = -1;
    } else if (rc == 0 && n->kind == LX_AGG && n->fn != FN_COUNT && s.matches == 0) {
        char label[200];
        ref_label(e, &n->ref, s.want, label, sizeof label);
        snprintf(err, errsize, "%s: no row matches: %s of nothing", label, lx_fn_names[n->fn]);
        rc = -1;
    }
    if (rc == 0)
        *out = n->kind == LX_REF ? s.first
             : n->fn == FN_COUNT ? (double)s.matches
             : n->fn == FN_SUM ? s.sum
             : n->fn == FN_MEAN ? s.sum / (double)s.matches
             : n->fn == FN_MIN ? s.min : s.max;
    scan_free(&s, n->ref.nsel);
    return rc;
}

static int eval_node(const lx_expr_t *e, const lx_node_t *n, const lx_env_t *env, double *out,
                     char *err, size_t errsize);

static double binop(enum lx_op op, double a, double b)
{
    switch (op) {
    case LXO_ADD: return a + b;
    case LXO_SUB: return a - b;
    case LXO_MUL: return a * b;
    case LXO_DIV: return a / b;
    case LXO_MOD: return fmod(a, b);
    case LXO_LT: return a < b;
    case LXO_LE: return a <= b;
    case LXO_GT: return a > b;
    case LXO_GE: return a >= b;
    case LXO_EQ: return a == b;
    case LXO_NE: return a != b;
    case LXO_AND: return a != 0 && b != 0;
    case LXO_OR: return a != 0 || b != 0;
    }
    return 0;
}

/* min max argmin argmax over the arguments (first wins ties). */
static double pick(enum lx_fn fn, const double *v, int n)
{
    int best = 0;
    for (int i = 1; i < n; i++)
        if ((fn == FN_MIN || fn == FN_ARGMIN) ? v[i] < v[best] : v[i] > v[best])
            best = i;
    return fn == FN_ARGMIN || fn == FN_ARGMAX ? best + 1 : v[best];
}

static int eval_call(const lx_expr_t *e, const lx_node_t *n, const lx_env_t *env, double *out,
                     char *err, size_t errsize)
{
    if (n->fn == FN_IF) {
        double c;
        if (eval_node(e, n->args[0], env, &c, err, errsize))
            return -1;
        return eval_node(e, n->args[c != 0 ? 1 : 2], env, out, err, errsize);
    }
    double *v = malloc(sizeof *v * (size_t)n->nargs);
    if (!v) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    for (int i = 0; i < n->nargs; i++)
        if (eval_node(e, n->args[i], env, &v[i], err, errsize)) {
            free(v);
            return -1;
        }
    switch (n->fn) {
    case FN_ABS: *out = fabs(v[0]); break;
    case FN_CEIL: *out = ceil(v[0]); break;
    case FN_FLOOR: *out = floor(v[0]); break;
    case FN_ROUND: *out = round(v[0]); break;
    case FN_SQRT: *out = sqrt(v[0]); break;
    default: *out = pick(n->fn, v, n->nargs); break;
    }
    free(v);
    return 0;
}

static int eval_node(const lx_expr_t *e, const lx_node_t *n, const lx_env_t *env, double *out,
                     char *err, size_t errsize)
{
    double a, b;
    switch (n->kind) {
    case LX_NUM: *out = n->num; return 0;
    case LX_VAR: *out = env->vars[n->index]; return 0;
    case LX_REF:
    case LX_AGG: return eval_ref(e, n, env, out, err, errsize);
    case LX_CALL: return eval_call(e, n, env, out, err, errsize);
    case LX_NEG:
    case LX_NOT:
        if (eval_node(e, n->args[0], env, &a, err, errsize))
            return -1;
        *out = n->kind == LX_NEG ? -a : a == 0;
        return 0;
    case LX_BIN:
        if (eval_node(e, n->args[0], env, &a, err, errsize))
            return -1;
        if ((n->op == LXO_AND && a == 0) || (n->op == LXO_OR && a != 0)) {
            *out = a != 0;       /* short-circuit, as Python's and/or: the right side */
            return 0;            /* may name rows that exist only when the left allows */
        }
        if (eval_node(e, n->args[1], env, &b, err, errsize))
            return -1;
        if ((n->op == LXO_DIV || n->op == LXO_MOD) && b == 0) {
            snprintf(err, errsize, "division by zero");
            return -1;
        }
        *out = binop(n->op, a, b);
        return 0;
    }
    snprintf(err, errsize, "internal error: bad formula node");
    return -1;
}

int lx_eval(const lx_expr_t *e, const lx_env_t *env, double *out, char *err, size_t errsize)
{
    double v;
    if (eval_node(e, e->root, env, &v, err, errsize))
        return -1;
    if (!isfinite(v)) {
        snprintf(err, errsize, "the value is not a finite number");
        return -1;
    }
    *out = v;
    return 0;
}
