/* sweep_axes.c — a --vary argument read into its key and values.
 *
 * A value list is split at commas outside parentheses, so that
 * normal(5ms, 1ms) stays one value.  A list of a single range,
 * FIRST:LAST:xFACTOR or FIRST:LAST:+STEP, stands for the values from FIRST
 * up to LAST, each FACTOR times or STEP more than the one before: integers
 * with one unit word shared by all (1ms:15ms:+2ms).  Ranges are expanded
 * here, so the rest of the sweep sees a plain list and sweep.csv shows each
 * value as a --vary of that list would. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "columns.h"
#include "config.h"
#include "sweep.h"

/* Appends a copy of the n bytes at s; 0 or -1 out of memory. */
static int add_value(sweep_axis_t *ax, int *cap, const char *s, size_t n)
{
    if (ax->n == *cap) {
        int want = *cap ? *cap * 2 : 16;
        char **v = realloc(ax->values, sizeof *v * (size_t)want);
        if (!v)
            return -1;
        ax->values = v;
        *cap = want;
    }
    if (!(ax->values[ax->n] = strndup(s, n)))
        return -1;
    ax->n++;
    return 0;
}

/* One part of a range: a non-negative integer and its unit word (letters,
 * possibly none).  Returns the end of the part (at ':' or the end), or
 * NULL when it is not one. */
static const char *range_part(const char *s, long long *v, const char **unit, size_t *ulen)
{
    if (*s < '0' || *s > '9')
        return NULL;
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    if (errno == ERANGE)
        return NULL;
    *unit = end;
    while ((*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z'))
        end++;
    *ulen = (size_t)(end - *unit);
    return *end == ':' || !*end ? end : NULL;
}

static int same_unit(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && strncmp(a, b, an) == 0;
}

enum { NOT_A_RANGE = 1, BAD_RANGE = -1, RANGE_NO_MEMORY = -2 };

/* Expands "FIRST:LAST:xK" or "FIRST:LAST:+K" into ax->values: 0,
 * NOT_A_RANGE (not of that form: an ordinary value, such as 12:30:00),
 * or BAD_RANGE with why (of that form, but no range). */
static int expand_range(const char *s, sweep_axis_t *ax, const char **why)
{
    const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    long long first, last, step;
    const char *u1, *u2, *u3;
    size_t n1, n2, n3;
    char op = c2 ? c2[1] : 0;
    if (!c2 || range_part(s, &first, &u1, &n1) != c1 || range_part(c1 + 1, &last, &u2, &n2) != c2
        || (op != 'x' && op != '+') || !range_part(c2 + 2, &step, &u3, &n3) || *(u3 + n3))
        return NOT_A_RANGE;
    *why = "a range's FIRST, LAST and +STEP have one unit, and xFACTOR none";
    if (!same_unit(u1, n1, u2, n2) || (op == '+' ? n3 && !same_unit(u1, n1, u3, n3) : n3 != 0))
        return BAD_RANGE;
    if (last < first)
        return *why = "a range's LAST is below its FIRST", BAD_RANGE;
    if (op == 'x' && (step < 2 || first < 1))
        return *why = "a range xFACTOR needs a FACTOR of 2 or more and a FIRST of 1 or more",
               BAD_RANGE;
    if (op == '+' && step < 1)
        return *why = "a range +STEP needs a STEP of 1 or more", BAD_RANGE;
    if (op == '+' && (last - first) / step >= SWEEP_MAX_RUNS)
        return *why = "a range of more than 1000000 values", BAD_RANGE;
    int cap = 0;
    for (long long v = first;;) {
        char text[64];
        int len = snprintf(text, sizeof text, "%lld%.*s", v, (int)n1, u1);
        if (len < 0 || (size_t)len >= sizeof text || add_value(ax, &cap, text, (size_t)len))
            return RANGE_NO_MEMORY;
        if (op == 'x' ? v > last / step : v > last - step)
            return 0;
        v = op == 'x' ? v * step : v + step;
    }
}

/* Splits the list at s into ax->values: 0, or -1 with err said. */
static int split_values(const char *arg, const char *s, sweep_axis_t *ax, char *err, int errsize)
{
    int depth = 0, cap = 0;
    const char *start = s;
    for (const char *c = s;; c++) {
        if (*c == '(' || *c == '[')
            depth++;
        else if ((*c == ')' || *c == ']') && depth > 0)
            depth--;
        if (*c && (*c != ',' || depth > 0))
            continue;
        while (*start == ' ')
            start++;
        const char *end = c;
        while (end > start && end[-1] == ' ')
            end--;
        if (end == start) {
            snprintf(err, (size_t)errsize, "--vary '%s': empty value", arg);
            return -1;
        }
        if (add_value(ax, &cap, start, (size_t)(end - start)) != 0) {
            snprintf(err, (size_t)errsize, "--vary: out of memory");
            return -1;
        }
        if (!*c)
            return 0;
        start = c + 1;
    }
}

/* Whether key, a key a config may hold, names one of summary.csv's
 * columns too (seed, processes): sweep.csv would then name that column
 * twice, which its readers (--aggregate, --plot, --collect, --resume)
 * refuse.  A word no config holds is left to the loader, which says it is
 * unknown and what was meant. */
static int own_column(const char *key)
{
    const col_file_t *f = &col_files[COL_SUMMARY_CSV];
    cfg_key_ref_t r;
    int column = 0, setting = 0;
    for (int c = 0; c < f->ncols; c++)
        column |= !col_named_later(&f->cols[c]) && !strcmp(key, f->cols[c].name);
    for (int i = 0; column && !setting && cfg_key_reference(i, &r) != -1; i++)
        setting = !strcmp(key, r.key);
    return column && setting;
}

int sweep_axis_parse(const char *arg, sweep_axis_t *ax, char *err, int errsize)
{
    *ax = (sweep_axis_t){0};
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        snprintf(err, (size_t)errsize, "--vary '%s': expected KEY=V1,V2,... or "
                 "KEY=FIRST:LAST:xFACTOR, e.g. machine.cores=1,2,4 or machine.cores=1:8:x2", arg);
        return -1;
    }
    if (!(ax->key = strndup(arg, (size_t)(eq - arg))) || !(ax->arg = strdup(arg))) {
        sweep_axis_free(ax);
        snprintf(err, (size_t)errsize, "--vary: out of memory");
        return -1;
    }
    if (own_column(ax->key)) {
        snprintf(err, (size_t)errsize, "--vary '%s': sweep.csv has a column '%s' of its own "
                 "(summary.csv's)%s", arg, ax->key,
                 !strcmp(ax->key, "seed") ? ": --seeds N runs seeds 1 to N, --seed S one "
                 "seed" : "");
        sweep_axis_free(ax);
        return -1;
    }
    int rc = split_values(arg, eq + 1, ax, err, errsize);
    if (rc == 0 && ax->n == 1) {
        char *one = ax->values[0];
        const char *why = NULL;
        ax->values[0] = NULL;
        ax->n = 0;
        int r = expand_range(one, ax, &why);
        if (r == NOT_A_RANGE) {
            ax->values[0] = one;
            ax->n = 1;
            one = NULL;
        } else if (r != 0) {
            if (r == BAD_RANGE)
                snprintf(err, (size_t)errsize, "--vary '%s': %s", arg, why);
            else
                snprintf(err, (size_t)errsize, "--vary: out of memory");
            rc = -1;
        }
        free(one);
    }
    if (rc != 0)
        sweep_axis_free(ax);
    return rc;
}

void sweep_axis_free(sweep_axis_t *ax)
{
    for (int i = 0; i < ax->n; i++)
        free(ax->values[i]);
    free(ax->values);
    free(ax->key);
    free(ax->arg);
    *ax = (sweep_axis_t){0};
}

int sweep_axis_pick(const sweep_opts_t *o, long i, int a)
{
    if (o->seeds > 0)
        i /= o->seeds;
    for (int b = o->naxes - 1; b > a; b--)
        i /= o->axes[b].n;
    return (int)(i % o->axes[a].n);
}
