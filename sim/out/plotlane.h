/* plotlane.h — the timeline's lanes: plottrace.c feeds them trace.csv's
 * rows, plotdat.c lays them out and writes them for gnuplot.
 *
 * What is tracked and what is drawn differ.  Every thread of threads.csv
 * (the roster), every core and every asyncio task is tracked; the lanes
 * drawn are bounded, so that a figure stays readable whatever the run:
 *   - a lane per core (up to TL_MAX_CORE_LANES cores), showing who runs;
 *   - a GIL lane per interpreter GIL of each process with more than one
 *     thread (up to TL_MAX_GIL_LANES), showing who holds it: the main
 *     interpreter's, and each subinterpreter's with its own GIL
 *     (trace.csv's gil column);
 *   - "unit" lanes, coloured by state: one per thread up to TL_MAX_UNITS
 *     threads; beyond, one per thread group (threads.csv's group, within
 *     its process), summarising its threads; beyond TL_MAX_UNITS groups,
 *     one per group name across processes, the last lane holding the
 *     rest;
 *   - asyncio task lanes under their loop thread's lane (TL_TASK_LANES
 *     in all, TL_TASK_LANES_PER_LOOP per loop); a loop's other tasks share
 *     one summary lane.
 * A lane is drawn in one or two views (the window, and a long run's
 * detail window), each with its own boxes. */
#ifndef GILSIM_PLOTLANE_H
#define GILSIM_PLOTLANE_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "events.h"
#include "out/plotbox.h"

#define TL_MAX_UNITS 64
#define TL_MAX_CORE_LANES 32
#define TL_MAX_GIL_LANES 16
#define TL_TASK_LANES 32
#define TL_TASK_LANES_PER_LOOP 15

typedef struct tl_lane {
    int kind;                    /* enum tl_kind */
    int owner;                   /* core number, interpreter (GILs), first thread (units),
                                  * or the loop's unit lane (tasks) */
    int process;                 /* units: their threads' process (-1: several) */
    char *label;                 /* raw bytes, as named in the run */
    size_t label_len;
    int members;                 /* threads or tasks it stands for */
    int ntasks;                  /* unit lanes: task lanes under it */
    int summary;                 /* unit lanes: its loops' summary task lane, -1 */
    int others;                  /* the unit lane of the groups beyond: how many */
    tl_boxes_t boxes;            /* values: a state, or (core and GIL lanes) a unit lane + 1,
                                  * 0 idle */
} tl_lane_t;

enum tl_kind { TL_CORE, TL_GIL, TL_UNIT, TL_TASK, TL_TASKS };
/* What a unit lane stands for. */
enum tl_level { TL_BY_THREAD, TL_BY_GROUP, TL_BY_GROUP_NAME };

/* Return codes: as plotprep.h's PLOT_FAILED (out of memory) and
 * PLOT_BAD_INPUT (the trace or roster refused; tl->why says why). */

typedef struct tl_thread {
    char *name, *group;          /* threads.csv's thread and group */
    size_t name_len, group_len;
    int process;
    int lane;                    /* its unit lane */
    int state;                   /* -1: not started */
    int core;                    /* the core it runs on, -1 */
    int task;                    /* the task running a step on it, -1 */
    int in_io;
    tl_ns io_end;                /* last I/O completion not yet followed by Python, -1 */
} tl_thread_t;

typedef struct tl_task {
    int lane;
    int state;                   /* a state standing for the task's (plotfeed.c), -1 */
} tl_task_t;

typedef struct tl_process {
    char *name;
    size_t name_len;
    int threads;
    int gil_lane;                /* its main interpreter's GIL lane; -1: none drawn */
} tl_process_t;

struct keymap;

typedef struct tl {
    int level;                   /* enum tl_level */
    tl_views_t views;
    tl_lane_t *lane;
    int nlanes, caplanes;
    tl_thread_t *thread;
    int nthreads, capthreads;
    tl_process_t *process;
    int nprocesses, capprocesses;
    tl_task_t *task;
    int ntasks, captasks, task_lanes;
    int cores;                   /* summary.csv's machine cores */
    int *core_lane;              /* per core: its lane, -1 */
    int *core_thread;            /* per core: the thread running, -1 */
    int gil_lanes_drawn;
    int gil_lanes_left;          /* GILs whose lane is not drawn */
    long latencies;              /* I/O completions followed by Python, in view 0 */
    FILE *lat;                   /* latency.dat, or NULL */
    struct keymap *threads_by_name, *processes_by_name, *tasks_by_name;
    /* (process, interpreter) to its GIL lane + 1, 0 when not drawn */
    struct keymap *subinterpreter_gils;
    int subinterpreters;         /* their count: at most the roster's threads */
    char why[160];               /* a refusal, for the caller's one line */
} tl_t;

tl_t *tl_new(void);
void  tl_free(tl_t *tl);
/* The roster: a thread of threads.csv, in its order. */
int   tl_add_thread(tl_t *tl, const char *process, size_t plen, const char *thread,
                    size_t tlen, const char *group, size_t glen);
/* After the roster: the lanes, for the views given (view 0 the window);
 * latency.dat rows go to lat (NULL: counted only). */
int   tl_start(tl_t *tl, int cores, const tl_view_t *views, int nviews, FILE *lat);
/* The roster's thread of that name, or -1. */
int   tl_find_thread(const tl_t *tl, const char *process, size_t plen, const char *thread,
                     size_t tlen);
/* Says why the input is refused (tl->why); returns PLOT_BAD_INPUT. */
int   tl_refuse(tl_t *tl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A new lane, drawn in every view (many: it counts members per state);
 * its index, or -1 when out of memory. */
int   tl_new_lane(tl_t *tl, int kind, int owner, int process, int many);
/* A lane's label: (const char *bytes, size_t length) pairs back to back,
 * up to a NULL; names are raw bytes, so any byte they hold stays.  0, or
 * -1 when out of memory. */
int   tl_set_label(tl_lane_t *l, ...);
#define TL_TEXT(s) (s), strlen(s)

/* A new GIL lane: process p's interpreter interp's; its index, -2 past
 * TL_MAX_GIL_LANES (none drawn), -1 when out of memory. */
int   tl_gil_lane(tl_t *tl, int p, int interp);
/* The lanes drawn, top to bottom, into order (room for tl->nlanes):
 * cores in core order, then each process's GIL lane and unit lanes (each
 * followed by its task lanes), processes in roster order.  Returns how
 * many; sep[i] is 1 where a new section (cores, a process) starts. */
int   tl_layout(const tl_t *tl, int *order, int *sep);

#endif
