/* plotdat.c — the timeline's data file; see plotdat.h.
 *
 * One file, tab-separated, each row tagged by its first field.  The
 * header rows come first, at fixed places, so that the script reads row
 * r with `every ::r::r`:
 *   G npanels nlanes nkeys width height left right key_top keyrows   row 0
 *   P panel x0 x1 top bottom xlabel title    a row per panel
 *   K style rgb label                        a row per legend entry
 *   L y swatch sep label                     a row per lane, top first
 * then any number of
 *   B panel y x0 x1 half rgb     a box: half its height, in lanes
 *   M panel y x kind             a mark: 0 a drop request, 1 a forced switch
 *   N panel y x textrgb label    a name written on a box
 * K's style: 0 a filled box, 1 a thin line (done), 2 and 3 the marks, 4
 * words only.  L's swatch is the lane's identity colour (-1: none) and
 * sep is 1 where a section (the cores, a process) starts.  Times are in
 * the panel's unit (plot_time_unit), counted from the run's start or, for
 * a window far into it, from the window's start (plot_axis_from_start),
 * printed from integer nanoseconds; y counts lanes from the top; the
 * geometry is plot_geometry's.  Labels go through plot_data_label:
 * gnuplot reads them as strings, never runs them.  The legend lists only
 * what the figure shows. */
#include <stdlib.h>
#include <string.h>
#include "caps.h"
#include "plotprep.h"
#include "out/plotdat.h"
#include "out/plotstyle.h"

enum key_style { KEY_BOX, KEY_LINE, KEY_REQUEST, KEY_FORCED, KEY_WORDS };

#define HALF_LANE "0.38"
#define HALF_TASK "0.22"
#define HALF_DONE "0.06"

typedef struct layout {
    int n;
    int *order, *sep;
    int *y;                      /* lane -> row from the top, -1: not drawn */
    int *ident;                  /* unit lane -> identity colour, -1 */
    plot_time_unit_t unit[TL_VIEWS_MAX];
    tl_ns origin[TL_VIEWS_MAX];  /* the time each panel's axis counts from */
    plot_geometry_t g;
    int state_shown[TS__COUNT], marks_shown[TL_MARKS], idents_shown;
    int idents_repeat;           /* more unit lanes than identity colours */
} layout_t;

static int shows_states(const tl_lane_t *l)
{
    return l->kind == TL_UNIT || l->kind == TL_TASK || l->kind == TL_TASKS;
}

/* A long run's marks are drawn in its detail panel only: in the
 * overview a mark per switch interval would be a smear. */
static int marks_drawn(const tl_t *tl, int v)
{
    return v > 0 || tl->views.n == 1;
}

/* What the legend needs: the states, marks and identities drawn. */
static void survey(const tl_t *tl, layout_t *ly)
{
    for (int i = 0; i < ly->n; i++) {
        const tl_lane_t *l = &tl->lane[ly->order[i]];
        for (int v = 0; v < tl->views.n; v++) {
            const tl_acc_t *a = &l->boxes.acc[v];
            for (int b = 0; b < a->nbox; b++)
                if (shows_states(l))
                    ly->state_shown[a->box[b].v] = 1;
                else if (a->box[b].v > 0)
                    ly->idents_shown = 1;
            for (int k = 0; k < TL_MARKS; k++)
                ly->marks_shown[k] |= marks_drawn(tl, v) && a->nmark[k] > 0;
        }
    }
}

static int count_keys(const layout_t *ly)
{
    int n = ly->idents_shown * (1 + ly->idents_repeat) + ly->marks_shown[0] +
            ly->marks_shown[1];
    for (int s = 0; s < TS__COUNT; s++)
        n += ly->state_shown[s];
    return n;
}

static int plan(const tl_t *tl, layout_t *ly)
{
    size_t n = (size_t)tl->nlanes + 1, longest = 0;
    ly->order = malloc(n * sizeof *ly->order);
    ly->sep = malloc(n * sizeof *ly->sep);
    ly->y = malloc(n * sizeof *ly->y);
    ly->ident = malloc(n * sizeof *ly->ident);
    if (!ly->order || !ly->sep || !ly->y || !ly->ident)
        return -1;
    ly->n = tl_layout(tl, ly->order, ly->sep);
    for (int i = 0; i < tl->nlanes; i++)
        ly->y[i] = ly->ident[i] = -1;
    int k = 0;
    for (int i = 0; i < ly->n; i++) {
        const tl_lane_t *l = &tl->lane[ly->order[i]];
        ly->y[ly->order[i]] = i;
        if (l->kind == TL_UNIT)
            ly->ident[ly->order[i]] = k++;
        size_t c = plot_chars(l->label, l->label_len);
        longest = c > longest ? c : longest;
    }
    ly->idents_repeat = k > PLOT_IDENTITIES;
    for (int v = 0; v < tl->views.n; v++) {
        const tl_view_t *w = &tl->views.v[v];
        ly->unit[v] = plot_time_unit(w->to - w->from);
        ly->origin[v] = plot_axis_from_start(w->from, w->to) ? w->from : 0;
    }
    survey(tl, ly);
    plot_geometry(ly->n, tl->views.n, count_keys(ly), longest, &ly->g);
    return 0;
}

/* t on panel v's axis, exactly: whole units, then the digits below. */
static void put_time(FILE *f, tl_ns t, const layout_t *ly, int v)
{
    const plot_time_unit_t *u = &ly->unit[v];
    t -= ly->origin[v];
    int digits = u->ns == 1000000000 ? 9 : u->ns == 1000000 ? 6 : u->ns == 1000 ? 3 : 0;
    if (digits)
        fprintf(f, "\t%lld.%0*lld", t / u->ns, digits, t % u->ns);
    else
        fprintf(f, "\t%lld", t);
}

static int put_label(FILE *f, const char *s, size_t n)
{
    char *enc = plot_data_label(s, n);
    if (!enc)
        return -1;
    fprintf(f, "\t%s\n", enc);
    free(enc);
    return 0;
}

static void put_key(FILE *f, int style, unsigned rgb, const char *label)
{
    fprintf(f, "K\t%d\t%u\t%s\n", style, rgb, label);
}

static void put_header(const tl_t *tl, const layout_t *ly, FILE *f, const char *const *title)
{
    const plot_geometry_t *g = &ly->g;
    fprintf(f, "G\t%d\t%d\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\t%d\n", tl->views.n, ly->n,
            count_keys(ly), g->width, g->height, g->left, g->right, g->key_top,
            (count_keys(ly) + PLOT_KEY_COLUMNS - 1) / PLOT_KEY_COLUMNS);
    for (int v = 0; v < tl->views.n; v++) {
        char xlabel[96];
        plot_axis_label(xlabel, sizeof xlabel, tl->views.v[v].from, tl->views.v[v].to);
        fprintf(f, "P\t%d", v);
        put_time(f, tl->views.v[v].from, ly, v);
        put_time(f, tl->views.v[v].to, ly, v);
        fprintf(f, "\t%.4f\t%.4f\t%s\t%s\n", g->top[v], g->bottom[v], xlabel, title[v]);
    }
    for (size_t i = 0; i < plot_state_legend_count; i++) {
        int s = plot_state_legend[i];
        if (ly->state_shown[s])
            put_key(f, s == TS_DONE ? KEY_LINE : KEY_BOX, plot_state_rgb(s), plot_state_label(s));
    }
    if (ly->marks_shown[TL_MARK_REQUEST])
        put_key(f, KEY_REQUEST, 0, "drop request: a waiting thread asks for the GIL");
    if (ly->marks_shown[TL_MARK_FORCED])
        put_key(f, KEY_FORCED, 0, "forced switch: the holder drops the GIL on request");
    if (ly->idents_shown)
        put_key(f, KEY_WORDS, 0, "core and GIL lanes: the colour beside a thread's name");
    if (ly->idents_shown && ly->idents_repeat)           /* the name on a box says whose */
        put_key(f, KEY_WORDS, 0, "colours repeat every " CAP_STR(PLOT_IDENTITIES)
                " lanes: a box wide enough shows its name");
}

/* The lane's identity colour: its own (unit lanes), else -1. */
static long swatch(const layout_t *ly, int lane)
{
    return ly->ident[lane] >= 0 ? (long)plot_identity_rgb(ly->ident[lane]) : -1;
}

static const char *half_of(const tl_lane_t *l, int v)
{
    if (v == TS_DONE && shows_states(l))
        return HALF_DONE;
    return l->kind == TL_TASK || l->kind == TL_TASKS ? HALF_TASK : HALF_LANE;
}

/* The short name a core or GIL box shows for unit lane u. */
static int put_name(const tl_t *tl, FILE *f, int u, unsigned fill)
{
    const tl_lane_t *l = &tl->lane[u];
    const tl_thread_t *th = &tl->thread[l->owner];
    fprintf(f, "\t%u", plot_text_rgb(fill));
    if (l->others)
        return put_label(f, "other", 5);
    if (tl->level == TL_BY_THREAD)
        return put_label(f, th->name, th->name_len);
    return put_label(f, th->group, th->group_len);
}

static size_t name_chars(const tl_t *tl, int u)
{
    const tl_lane_t *l = &tl->lane[u];
    const tl_thread_t *th = &tl->thread[l->owner];
    if (l->others)
        return 5;
    return tl->level == TL_BY_THREAD ? plot_chars(th->name, th->name_len)
                                     : plot_chars(th->group, th->group_len);
}

static int put_boxes(const tl_t *tl, const layout_t *ly, FILE *f, int lane, int v)
{
    const tl_lane_t *l = &tl->lane[lane];
    const tl_acc_t *a = &l->boxes.acc[v];
    tl_ns span = tl->views.v[v].to - tl->views.v[v].from;
    int plot_px = (int)(ly->g.width * (ly->g.right - ly->g.left));
    int states = shows_states(l);
    for (int b = 0; b < a->nbox; b++) {
        const tl_box_t *x = &a->box[b];
        if (!states && x->v == 0)
            continue;                        /* an idle core, a free GIL */
        unsigned rgb = states ? plot_state_rgb(x->v) : plot_identity_rgb(ly->ident[x->v - 1]);
        fprintf(f, "B\t%d\t%d", v, ly->y[lane]);
        put_time(f, x->t0, ly, v);
        put_time(f, x->t1, ly, v);
        fprintf(f, "\t%s\t%u\n", half_of(l, x->v), rgb);
        if (states || !plot_name_fits(x->t1 - x->t0, span, plot_px, name_chars(tl, x->v - 1)))
            continue;                        /* a name on a core or GIL box that holds it */
        fprintf(f, "N\t%d\t%d", v, ly->y[lane]);
        put_time(f, x->t0 + (x->t1 - x->t0) / 2, ly, v);
        if (put_name(tl, f, x->v - 1, rgb) != 0)
            return -1;
    }
    for (int k = 0; k < TL_MARKS && marks_drawn(tl, v); k++)
        for (int m = 0; m < a->nmark[k]; m++) {
            fprintf(f, "M\t%d\t%d", v, ly->y[lane]);
            put_time(f, a->mark[k][m], ly, v);
            fprintf(f, "\t%d\n", k);
        }
    return 0;
}

int tl_write(const tl_t *tl, FILE *f, const char *const *panel_title, tl_written_t *w)
{
    layout_t ly = {0};
    int rc = plan(tl, &ly);
    if (rc == 0) {
        put_header(tl, &ly, f, panel_title);
        for (int i = 0; i < ly.n && rc == 0; i++) {
            const tl_lane_t *l = &tl->lane[ly.order[i]];
            fprintf(f, "L\t%d\t%ld\t%d", i, swatch(&ly, ly.order[i]), ly.sep[i]);
            rc = put_label(f, l->label, l->label_len);
        }
        for (int i = 0; i < ly.n && rc == 0; i++)
            for (int v = 0; v < tl->views.n && rc == 0; v++)
                rc = put_boxes(tl, &ly, f, ly.order[i], v);
        w->lanes = ly.n;
        w->keys = count_keys(&ly);
    }
    free(ly.order);
    free(ly.sep);
    free(ly.y);
    free(ly.ident);
    return rc;
}
