/* plotbox.c — a lane's value over time into boxes; see plotbox.h.
 *
 * A lane's value changes at instants.  Between two changes each view adds
 * the time the value held to the box it is building (weigh); at a change,
 * a box at least the view's min_width wide is closed (emit) and takes the
 * value that held longest in it (ties: the lower value).  So a lane is at
 * most about TL_RESOLUTION boxes however many changes a long run makes.
 * A box closed with the value of the box it touches extends that one.
 * When the lane's value ends (none), its box is closed however narrow,
 * so a box never spans a gap.  A lane of several threads or tasks weighs
 * each state by how many of them are in it, and `done` only when none is
 * in another state, so its box shows what most of them were doing, and
 * `done` once all have finished.
 *
 * Marks (drop requests, forced switches) are kept one per kind in each
 * 1/TL_MARK_BINS of a view: a long run's thousands of them stay a row of
 * marks, not a smear.  All times are integer nanoseconds. */
#include <stdlib.h>
#include <string.h>
#include "out/plotbox.h"

tl_view_t tl_view(tl_ns from, tl_ns to)
{
    tl_ns span = to - from;
    return (tl_view_t){from, to, span / TL_RESOLUTION > 0 ? span / TL_RESOLUTION : 1,
                       span / TL_MARK_BINS > 0 ? span / TL_MARK_BINS : 1};
}

int box_init(tl_boxes_t *b, const tl_views_t *vs, int many)
{
    memset(b, 0, sizeof *b);
    b->cur = -1;
    for (int v = 0; v < TL_VIEWS_MAX; v++) {
        b->acc[v].since = b->acc[v].box_start = vs->v[v].from;
        for (int k = 0; k < TL_MARKS; k++)
            b->acc[v].last_bin[k] = -1;
    }
    if (many && !(b->count = calloc(TS__COUNT, sizeof *b->count)))
        return -1;
    return 0;
}

void box_free(tl_boxes_t *b)
{
    for (int v = 0; v < TL_VIEWS_MAX; v++) {
        free(b->acc[v].box);
        for (int k = 0; k < TL_MARKS; k++)
            free(b->acc[v].mark[k]);
    }
    free(b->count);
}

int tl_room(void **p, int n, int *cap, size_t size)
{
    if (n < *cap)
        return 0;
    int c = *cap ? 2 * *cap : 16;
    void *q = realloc(*p, (size_t)c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static tl_ns clamp(const tl_view_t *w, tl_ns t)
{
    return t < w->from ? w->from : t > w->to ? w->to : t;
}

static int has_value(const tl_boxes_t *b)
{
    if (!b->count)
        return b->cur >= 0;
    for (int s = 0; s < TS__COUNT; s++)
        if (b->count[s] > 0)
            return 1;
    return 0;
}

/* Time w at value v in the box being built.  A full table keeps the
 * heaviest values. */
static void weigh(tl_acc_t *a, int v, double w)
{
    int lightest = 0;
    for (int i = 0; i < a->nslot; i++) {
        if (a->slot[i].v == v) {
            a->slot[i].w += w;
            return;
        }
        if (a->slot[i].w < a->slot[lightest].w)
            lightest = i;
    }
    if (a->nslot < TS__COUNT)
        a->slot[a->nslot++] = (tl_slot_t){v, w};
    else if (w > a->slot[lightest].w)
        a->slot[lightest] = (tl_slot_t){v, w};
}

/* The value(s) held over [a->since, t). */
static void weigh_span(const tl_boxes_t *b, tl_acc_t *a, tl_ns t)
{
    if (t <= a->since)
        return;
    double dt = (double)(t - a->since);
    if (!b->count) {
        if (b->cur >= 0)
            weigh(a, b->cur, dt);
        return;
    }
    int alive = 0;
    for (int s = 0; s < TS__COUNT; s++)
        if (s != TS_DONE && b->count[s] > 0) {
            weigh(a, s, dt * b->count[s]);
            alive = 1;
        }
    if (!alive && b->count[TS_DONE] > 0)
        weigh(a, TS_DONE, dt);
}

/* Closes the box being built at end. */
static int emit(tl_acc_t *a, tl_ns end)
{
    int n = a->nslot;
    a->nslot = 0;
    if (end <= a->box_start || n == 0) {
        a->box_start = end;
        return 0;
    }
    int best = 0;
    for (int i = 1; i < n; i++)
        if (a->slot[i].w > a->slot[best].w ||
            (a->slot[i].w == a->slot[best].w && a->slot[i].v < a->slot[best].v))
            best = i;
    int v = a->slot[best].v;
    tl_box_t *last = a->nbox ? &a->box[a->nbox - 1] : NULL;
    if (last && last->v == v && last->t1 == a->box_start) {
        last->t1 = end;
    } else {
        if (tl_room((void **)&a->box, a->nbox, &a->capbox, sizeof *a->box) != 0)
            return -1;
        a->box[a->nbox++] = (tl_box_t){a->box_start, end, v};
    }
    a->box_start = end;
    return 0;
}

/* The value is about to change at t: every view weighs the span so far,
 * and closes its box if it is wide enough. */
static int before_change(tl_boxes_t *b, tl_views_t *vs, tl_ns t)
{
    for (int v = 0; v < vs->n; v++) {
        tl_acc_t *a = &b->acc[v];
        tl_ns tv = clamp(&vs->v[v], t);
        if (!has_value(b)) {
            a->box_start = a->since = tv;    /* a gap ends: a box starts here */
            continue;
        }
        weigh_span(b, a, tv);
        a->since = tv;
        if (tv - a->box_start >= vs->v[v].min_width) {
            if (emit(a, tv) != 0)
                return -1;
        } else if (a->nslot) {
            vs->merged = 1;
        }
    }
    return 0;
}

/* The value changed at t: a lane left with none closes its box there. */
static int after_change(tl_boxes_t *b, tl_views_t *vs, tl_ns t)
{
    for (int v = 0; v < vs->n && !has_value(b); v++)
        if (emit(&b->acc[v], clamp(&vs->v[v], t)) != 0)
            return -1;
    return 0;
}

int box_set(tl_boxes_t *b, tl_views_t *vs, tl_ns t, int value)
{
    if (b->cur == value)
        return 0;
    if (before_change(b, vs, t) != 0)
        return -1;
    b->cur = value;
    return after_change(b, vs, t);
}

int box_move(tl_boxes_t *b, tl_views_t *vs, tl_ns t, int from, int to)
{
    if (from == to)
        return 0;
    if (before_change(b, vs, t) != 0)
        return -1;
    if (from >= 0 && b->count[from] > 0)
        b->count[from]--;
    if (to >= 0)
        b->count[to]++;
    return after_change(b, vs, t);
}

int box_mark(tl_boxes_t *b, const tl_views_t *vs, tl_ns t, int mark)
{
    for (int v = 0; v < vs->n; v++) {
        const tl_view_t *w = &vs->v[v];
        tl_acc_t *a = &b->acc[v];
        if (t < w->from || t > w->to || (t - w->from) / w->mark_bin == a->last_bin[mark])
            continue;
        if (tl_room((void **)&a->mark[mark], a->nmark[mark], &a->capmark[mark],
                 sizeof *a->mark[mark]) != 0)
            return -1;
        a->mark[mark][a->nmark[mark]++] = t;
        a->last_bin[mark] = (t - w->from) / w->mark_bin;
    }
    return 0;
}

int box_finish(tl_boxes_t *b, tl_views_t *vs)
{
    for (int v = 0; v < vs->n; v++) {
        tl_acc_t *a = &b->acc[v];
        if (has_value(b))
            weigh_span(b, a, vs->v[v].to);
        a->since = vs->v[v].to;
        if (emit(a, vs->v[v].to) != 0)
            return -1;
    }
    return 0;
}

int box_any(const tl_boxes_t *b, const tl_views_t *vs, int min)
{
    for (int v = 0; v < vs->n; v++)
        for (int i = 0; i < b->acc[v].nbox; i++)
            if (b->acc[v].box[i].v >= min)
                return 1;
    return 0;
}
