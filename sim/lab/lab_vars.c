/* lab_vars.c — a student's variant: the parameters drawn for their id,
 * the derived values computed from them, and templates rendered with
 * their texts.
 *
 * The draw: rng_t (xoshiro256**) seeded with the 64-bit FNV-1a hash of
 * "LAB\nSTUDENT"; each parameter, in declaration order, takes the next
 * draw: a range of K steps takes step number (draw mod K), a list of K
 * choices takes choice (draw mod K).  The id alone fixes the variant:
 * not the roster's order, nor the machine. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "engine/util.h"
#include "lab/lab.h"
#include "rng.h"

uint64_t lab_seed(const char *lab, const char *student)
{
    uint64_t h = fnv1a(FNV1A_OFFSET, lab, strlen(lab));
    h = fnv1a(h, "\n", 1);
    return fnv1a(h, student, strlen(student));
}

/* A duration in its largest exact unit: 350ms, 2s, 15us, 7ns. */
static void duration_text(int64_t ns, char *buf, size_t n)
{
    static const struct { const char *unit; int64_t ns; } units[] = {
        {"s", 1000000000}, {"ms", 1000000}, {"us", 1000}, {"ns", 1},
    };
    for (int i = 0; i < 4; i++)
        if (ns % units[i].ns == 0 || i == 3) {
            snprintf(buf, n, "%lld%s", (long long)(ns / units[i].ns), units[i].unit);
            return;
        }
}

/* A choice's number: itself, a duration in ns, else its 1-based place. */
static double choice_value(const char *s, int place)
{
    char *end, msg[128];
    double v = strtod(s, &end);
    simtime_t ns;
    if (*s && !*end && isfinite(v))
        return v;
    if (cfg_parse_duration(s, &ns, msg, sizeof msg) == 0)
        return (double)ns;
    return place;
}

static void set_range(lab_variant_t *v, int i, const lab_param_t *p, int64_t x)
{
    v->value[i] = (double)x;
    if (p->duration)
        duration_text(x, v->text[i], LAB_TEXT_MAX);
    else
        snprintf(v->text[i], LAB_TEXT_MAX, "%lld", (long long)x);
}

static void set_choice(lab_variant_t *v, int i, const lab_param_t *p, int k)
{
    v->value[i] = choice_value(p->choices[k], k + 1);
    snprintf(v->text[i], LAB_TEXT_MAX, "%s", p->choices[k]);
}

static int variant_alloc(const lab_t *lab, lab_variant_t *v, char err[LAB_ERR_MAX])
{
    v->n = lab->nvars;
    v->value = calloc((size_t)v->n + 1, sizeof *v->value);
    v->text = calloc((size_t)v->n + 1, sizeof *v->text);
    if (v->value && v->text)
        return 0;
    lab_variant_free(v);
    snprintf(err, LAB_ERR_MAX, "out of memory");
    return -1;
}

/* The derived values, in order, each seeing the ones before. */
static int derive(const lab_t *lab, lab_variant_t *v, char err[LAB_ERR_MAX])
{
    lx_env_t env = {.vars = v->value, .texts = (const char (*)[LX_TEXT_MAX])v->text};
    for (int d = 0; d < lab->nderived; d++) {
        int i = lab->nparams + d;
        char msg[512];
        if (lx_eval(lab->derived[d].expr, &env, &v->value[i], msg, sizeof msg) != 0) {
            snprintf(err, LAB_ERR_MAX, "%s: derived '%s': %s", lab->path, lab->derived[d].name,
                     msg);
            return -1;
        }
        double x = v->value[i];
        if (x == floor(x) && fabs(x) < 1e15)
            snprintf(v->text[i], LAB_TEXT_MAX, "%.0f", x);
        else {                   /* the value graded is the one the handout shows */
            snprintf(v->text[i], LAB_TEXT_MAX, "%.10g", x);
            v->value[i] = strtod(v->text[i], NULL);
        }
    }
    return 0;
}

int lab_draw(const lab_t *lab, const char *student, lab_variant_t *v, char err[LAB_ERR_MAX])
{
    rng_t rng;
    if (variant_alloc(lab, v, err))
        return -1;
    rng_seed(&rng, lab_seed(lab->id, student));
    for (int i = 0; i < lab->nparams; i++) {
        const lab_param_t *p = &lab->params[i];
        uint64_t draw = rng_next(&rng);
        if (p->kind == LAB_CHOICES)
            set_choice(v, i, p, (int)(draw % (uint64_t)p->nchoices));
        else
            set_range(v, i, p, p->lo + (int64_t)(draw % (uint64_t)((p->hi - p->lo) / p->step + 1))
                               * p->step);
    }
    if (derive(lab, v, err) == 0)
        return 0;
    lab_variant_free(v);
    return -1;
}

int lab_variant_at(const lab_t *lab, int p, int which, lab_variant_t *v, char err[LAB_ERR_MAX])
{
    if (variant_alloc(lab, v, err))
        return -1;
    for (int i = 0; i < lab->nparams; i++) {
        const lab_param_t *q = &lab->params[i];
        int high = which > 0 || (i == p && which >= 0 && q->kind == LAB_RANGE);
        if (q->kind == LAB_CHOICES)
            set_choice(v, i, q, i == p && which >= 0 && which < q->nchoices ? which
                                : high ? q->nchoices - 1 : 0);
        else
            set_range(v, i, q, high ? q->lo + (q->hi - q->lo) / q->step * q->step : q->lo);
    }
    if (derive(lab, v, err) == 0)
        return 0;
    lab_variant_free(v);
    return -1;
}

void lab_variant_free(lab_variant_t *v)
{
    free(v->value);
    free(v->text);
    v->value = NULL;
    v->text = NULL;
    v->n = 0;
}

char *lab_render(const lab_t *lab, const lab_variant_t *v, const char *text)
{
    return lx_render(text, lab->var_names, lab->nvars, (const char (*)[LX_TEXT_MAX])v->text);
}

char **lab_render_list(const lab_t *lab, const lab_variant_t *v, char *const *src, int n)
{
    char **out = calloc((size_t)n + 2, sizeof *out);
    for (int i = 0; out && i < n; i++)
        if (!(out[i] = lab_render(lab, v, src[i]))) {
            lab_free_strings(out, i);
            return NULL;
        }
    return out;
}

void lab_tolerance_text(const lab_question_t *q, char *buf, size_t size)
{
    if (q->tol_kind == LAB_TOL_RELATIVE)   /* the grader reads these back: no rounding */
        snprintf(buf, size, "%.10g%%", q->tol * 100);
    else if (q->tol_kind == LAB_TOL_ABSOLUTE)
        snprintf(buf, size, "%.10g", q->tol);
    else
        snprintf(buf, size, "-");
}
