/* lg_mark.c — the mark of one answer to a number, choice or prediction
 * question, from key.csv's answer and tolerance (lg.h; designs are
 * lg_design.c's).  Numbers are compared as the decimals written in the
 * two files (lg_dec.h): the key's answer was printed with %.6g, so an
 * answer is marked against what the student could read there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lab/lg.h"
#include "lab/lg_dec.h"
#include "engine/util.h"

/* "2 s", or "2" without a unit, into buf: for a reason. */
static char *with_unit(const char *value, const char *unit, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s", value, *unit ? " " : "", unit);
    return buf;
}

static int set(lg_mark_t *out, double mark, char *reason)
{
    out->mark = mark;
    out->reason = reason;
    return reason ? 0 : -1;
}

/* A prediction that missed: half a mark for a well-formed answer. */
static int missed_prediction(const char *got, const char *want, const char *unit,
                             lg_mark_t *out)
{
    char g[256], w[256];
    return set(out, 0.5, text_printf("predicted %s, measured %s",
                                     with_unit(got, unit, g, sizeof g),
                                     with_unit(want, unit, w, sizeof w)));
}

static int mark_choice(const lab_question_t *q, const char *got, const char *want,
                       lg_mark_t *out)
{
    int g = lg_choice_of(q, got), w = lg_choice_of(q, want);
    if (g == w)
        return set(out, 1, strdup("correct"));
    if (q->kind == LAB_PREDICTION)
        return missed_prediction(q->choices[g - 1], q->choices[w - 1], "", out);
    return set(out, 0, text_printf("the answer is %s, not %s", q->choices[w - 1],
                                   q->choices[g - 1]));
}

/* got and want parsed as lg_read checked they would. */
static int mark_number(const lab_question_t *q, const char *got, const char *want,
                       const char *unit, const char *tolerance, lg_mark_t *out)
{
    lg_dec_t g, w;
    lg_tol_t tol;
    if (lg_dec_parse(got, &g) != 0 || lg_dec_parse(want, &w) != 0
        || lg_tol_parse(tolerance, &tol) != 0)
        return set(out, 0, strdup("internal error: an answer read as a number no longer is"));
    const char *as = tol.kind == LG_TOL_NONE ? "exactly" : tolerance;
    if (lg_dec_within(&g, &w, &tol))
        return set(out, 1, text_printf("within %s", as));
    if (q->kind == LAB_PREDICTION)
        return missed_prediction(got, want, unit, out);
    return set(out, 0, text_printf("not within %s", as));
}

int lg_mark(const lg_book_t *b, int s, int qi, lg_mark_t *out)
{
    const lab_question_t *q = &b->lab->questions[qi];
    const lg_student_t *st = &b->students[s];
    const char *got = st->answer[qi];
    if (!got || lg_blank(got))
        return set(out, 0, strdup("no answer"));
    if (q->kind == LAB_DESIGN)
        return lg_mark_design(b, s, qi, out);
    if (lg_wants_choice(q))
        return mark_choice(q, got, st->expected[qi], out);
    return mark_number(q, got, st->expected[qi], st->unit[qi], st->tolerance[qi], out);
}
