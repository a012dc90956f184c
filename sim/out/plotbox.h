/* plotbox.h — one lane's value over time turned into the boxes a figure
 * draws, in each view (a window of the run) at once; and its marks.  The
 * lanes themselves (which exist, what the trace means for them) are
 * plotlane.c's. */
#ifndef GILSIM_PLOTBOX_H
#define GILSIM_PLOTBOX_H

#include "events.h"

typedef long long tl_ns;

#define TL_VIEWS_MAX 2
/* Boxes narrower than 1/TL_RESOLUTION of a view are merged with their
 * neighbours, taking the colour of the value that filled most of them. */
#define TL_RESOLUTION 2000
/* At most one mark of a kind per lane in each 1/TL_MARK_BINS of a view. */
#define TL_MARK_BINS 400

enum tl_mark { TL_MARK_REQUEST, TL_MARK_FORCED, TL_MARKS };

typedef struct tl_box {
    tl_ns t0, t1;
    int v;
} tl_box_t;

typedef struct tl_view {
    tl_ns from, to;              /* the window */
    tl_ns min_width, mark_bin;   /* (to - from) / TL_RESOLUTION, / TL_MARK_BINS */
} tl_view_t;

/* The views every lane is drawn in; view 0 is the window asked for. */
typedef struct tl_views {
    tl_view_t v[TL_VIEWS_MAX];
    int n;
    int merged;                  /* some box took more than one value */
} tl_views_t;

typedef struct tl_slot {
    int v;
    double w;
} tl_slot_t;

/* One lane in one view: the box being built and those done. */
typedef struct tl_acc {
    tl_ns since, box_start;
    int nslot;
    tl_slot_t slot[TS__COUNT];   /* time (weighed) per value in the box being built */
    tl_box_t *box;
    int nbox, capbox;
    tl_ns *mark[TL_MARKS];
    int nmark[TL_MARKS], capmark[TL_MARKS];
    tl_ns last_bin[TL_MARKS];
} tl_acc_t;

/* A lane's value and its boxes.  A one-valued lane has cur (-1: none); a
 * lane of several threads or tasks counts them per state (count). */
typedef struct tl_boxes {
    int cur;
    int *count;                  /* TS__COUNT counts, or NULL */
    tl_acc_t acc[TL_VIEWS_MAX];
} tl_boxes_t;

/* Makes room for item n of the array *p of *cap items of size bytes,
 * doubling *cap (from 16) when full: 0, or -1 when out of memory (the
 * array then as it was). */
int  tl_room(void **p, int n, int *cap, size_t size);
#define TL_ROOM(arr, n, cap) tl_room((void **)&(arr), (n), &(cap), sizeof *(arr))

/* A view of [from, to]. */
tl_view_t tl_view(tl_ns from, tl_ns to);
/* many: counts per state.  0, or -1 when out of memory. */
int  box_init(tl_boxes_t *b, const tl_views_t *vs, int many);
void box_free(tl_boxes_t *b);
/* The value becomes value (-1: none) at t. */
int  box_set(tl_boxes_t *b, tl_views_t *vs, tl_ns t, int value);
/* One member moves from state `from` to `to` (-1: none) at t. */
int  box_move(tl_boxes_t *b, tl_views_t *vs, tl_ns t, int from, int to);
int  box_mark(tl_boxes_t *b, const tl_views_t *vs, tl_ns t, int mark);
/* Closes the last box of each view at its end. */
int  box_finish(tl_boxes_t *b, tl_views_t *vs);
/* Whether any view has a box whose value is at least min. */
int  box_any(const tl_boxes_t *b, const tl_views_t *vs, int min);

#endif
