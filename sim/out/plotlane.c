/* plotlane.c — the timeline's lanes; see plotlane.h.
 *
 * The roster (threads.csv) comes first; tl_start then makes the lanes
 * that are drawn whatever the trace holds: one per core, one per GIL of a
 * process of several threads, and the unit lanes, choosing their level
 * by counting: threads, else groups of a process, else group names.
 * Task lanes are made as the trace creates tasks (plotfeed.c).
 *
 * Layout (tl_layout) orders them for the figure: cores by number first,
 * then process by process, in roster order, its GIL lane and its unit
 * lanes, each unit followed by its tasks; a GIL lane no thread ever held
 * is left out. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "caps.h"
#include "plotprep.h"
#include "engine/util.h"
#include "out/keymap.h"
#include "out/plotlane.h"

tl_t *tl_new(void)
{
    tl_t *tl = calloc(1, sizeof *tl);
    if (!tl)
        return NULL;
    tl->threads_by_name = keymap_new();
    tl->processes_by_name = keymap_new();
    tl->tasks_by_name = keymap_new();
    tl->subinterpreter_gils = keymap_new();
    if (!tl->threads_by_name || !tl->processes_by_name || !tl->tasks_by_name ||
        !tl->subinterpreter_gils) {
        tl_free(tl);
        return NULL;
    }
    return tl;
}

void tl_free(tl_t *tl)
{
    if (!tl)
        return;
    for (int i = 0; i < tl->nlanes; i++) {
        box_free(&tl->lane[i].boxes);
        free(tl->lane[i].label);
    }
    for (int i = 0; i < tl->nthreads; i++) {
        free(tl->thread[i].name);
        free(tl->thread[i].group);
    }
    for (int i = 0; i < tl->nprocesses; i++)
        free(tl->process[i].name);
    free(tl->lane);
    free(tl->thread);
    free(tl->process);
    free(tl->task);
    free(tl->core_lane);
    free(tl->core_thread);
    keymap_free(tl->threads_by_name);
    keymap_free(tl->processes_by_name);
    keymap_free(tl->tasks_by_name);
    keymap_free(tl->subinterpreter_gils);
    free(tl);
}

int tl_refuse(tl_t *tl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tl->why, sizeof tl->why, fmt, ap);
    va_end(ap);
    return PLOT_BAD_INPUT;
}

/* The roster's process of that name, made on first sight; -1 when out of
 * memory. */
static int process_of(tl_t *tl, const char *name, size_t len)
{
    int p = keymap_get(tl->processes_by_name, name, len, "", 0);
    if (p >= 0)
        return p;
    if (TL_ROOM(tl->process, tl->nprocesses, tl->capprocesses) != 0)
        return -1;
    p = tl->nprocesses;
    tl->process[p] = (tl_process_t){.name = text_dup(name, len), .name_len = len, .gil_lane = -1};
    if (!tl->process[p].name || keymap_put(tl->processes_by_name, name, len, "", 0, p) != 0) {
        free(tl->process[p].name);
        return -1;
    }
    tl->nprocesses++;
    return p;
}

int tl_find_thread(const tl_t *tl, const char *process, size_t plen, const char *thread,
                   size_t tlen)
{
    return keymap_get(tl->threads_by_name, process, plen, thread, tlen);
}

int tl_add_thread(tl_t *tl, const char *process, size_t plen, const char *thread, size_t tlen,
                  const char *group, size_t glen)
{
    if (tl_find_thread(tl, process, plen, thread, tlen) >= 0)
        return PLOT_OK;          /* one name, one lane: as the trace names it */
    if (tl->nthreads == THREADS_MAX)
        return tl_refuse(tl, "more than %d threads (gilsim runs at most that many)", THREADS_MAX);
    int p = process_of(tl, process, plen);
    if (p < 0 || TL_ROOM(tl->thread, tl->nthreads, tl->capthreads) != 0)
        return PLOT_FAILED;
    int n = tl->nthreads;
    tl_thread_t *th = &tl->thread[n];
    *th = (tl_thread_t){.name = text_dup(thread, tlen), .group = text_dup(group, glen),
                        .name_len = tlen, .group_len = glen, .process = p, .lane = -1,
                        .state = -1, .core = -1, .task = -1, .io_end = -1};
    if (!th->name || !th->group ||
        keymap_put(tl->threads_by_name, process, plen, thread, tlen, n) != 0) {
        free(th->name);
        free(th->group);
        return PLOT_FAILED;
    }
    tl->process[p].threads++;
    tl->nthreads++;
    return PLOT_OK;
}

int tl_new_lane(tl_t *tl, int kind, int owner, int process, int many)
{
    if (TL_ROOM(tl->lane, tl->nlanes, tl->caplanes) != 0)
        return -1;
    tl_lane_t *l = &tl->lane[tl->nlanes];
    *l = (tl_lane_t){.kind = kind, .owner = owner, .process = process, .summary = -1};
    if (box_init(&l->boxes, &tl->views, many) != 0) {
        box_free(&l->boxes);
        return -1;
    }
    return tl->nlanes++;
}

int tl_set_label(tl_lane_t *l, ...)
{
    va_list ap;
    size_t n = 0;
    va_start(ap, l);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *))
        n += va_arg(ap, size_t);
    va_end(ap);
    char *label = malloc(n + 1), *d = label;
    if (!label)
        return -1;
    va_start(ap, l);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) {
        size_t len = va_arg(ap, size_t);
        memcpy(d, s, len);
        d += len;
    }
    va_end(ap);
    *d = '\0';
    free(l->label);
    l->label = label;
    l->label_len = n;
    return 0;
}

/* One lane per thread. */
static int thread_lanes(tl_t *tl)
{
    tl->level = TL_BY_THREAD;
    for (int i = 0; i < tl->nthreads; i++) {
        tl_thread_t *th = &tl->thread[i];
        const tl_process_t *p = &tl->process[th->process];
        int lane = tl_new_lane(tl, TL_UNIT, i, th->process, 0);
        if (lane < 0 || tl_set_label(&tl->lane[lane], p->name, p->name_len, TL_TEXT("/"),
                                     th->name, th->name_len, NULL) != 0)
            return PLOT_FAILED;
        tl->thread[i].lane = lane;
        tl->lane[lane].members = 1;
    }
    return PLOT_OK;
}

/* The groups' count, keyed as level keys them; -1 when out of memory. */
static int count_groups(const tl_t *tl, int level)
{
    keymap_t *seen = keymap_new();
    int n = seen ? 0 : -1;
    for (int i = 0; seen && i < tl->nthreads; i++) {
        const tl_thread_t *th = &tl->thread[i];
        const tl_process_t *p = &tl->process[th->process];
        size_t plen = level == TL_BY_GROUP ? p->name_len : 0;
        if (keymap_get(seen, p->name, plen, th->group, th->group_len) >= 0)
            continue;
        if (keymap_put(seen, p->name, plen, th->group, th->group_len, n++) != 0) {
            n = -1;
            break;
        }
    }
    keymap_free(seen);
    return n;
}

/* "app/worker (100 threads)", "worker (100 threads)" across processes,
 * or "37 other groups (37 threads)". */
static int group_label(tl_t *tl, tl_lane_t *l)
{
    const tl_thread_t *th = &tl->thread[l->owner];
    const tl_process_t *p = &tl->process[th->process];
    char count[64];
    const char *threads = l->members == 1 ? "thread" : "threads";
    snprintf(count, sizeof count, " (%d %s)", l->members, threads);
    if (l->others) {
        snprintf(count, sizeof count, "%d other group%s (%d %s)", l->others,
                 l->others == 1 ? "" : "s", l->members, threads);
        return tl_set_label(l, TL_TEXT(count), NULL);
    }
    if (tl->level == TL_BY_GROUP_NAME)
        return tl_set_label(l, th->group, th->group_len, TL_TEXT(count), NULL);
    return tl_set_label(l, p->name, p->name_len, TL_TEXT("/"), th->group, th->group_len,
                        TL_TEXT(count), NULL);
}

/* One lane per group: (process, group) at TL_BY_GROUP, else per group
 * name, the last lane holding the groups beyond TL_MAX_UNITS. */
static int group_lanes(tl_t *tl, int level)
{
    tl->level = level;
    keymap_t *lane_of = keymap_new();
    int units = 0, other = -1, others = 0, rc = lane_of ? PLOT_OK : PLOT_FAILED;
    for (int i = 0; rc == PLOT_OK && i < tl->nthreads; i++) {
        tl_thread_t *th = &tl->thread[i];
        const tl_process_t *p = &tl->process[th->process];
        size_t plen = tl->level == TL_BY_GROUP ? p->name_len : 0;
        int lane = keymap_get(lane_of, p->name, plen, th->group, th->group_len);
        if (lane < 0 && units == TL_MAX_UNITS - 1 && tl->level == TL_BY_GROUP_NAME) {
            if (other < 0)
                other = tl_new_lane(tl, TL_UNIT, i, th->process, 1);
            lane = other;
            others++;
        } else if (lane < 0) {
            lane = tl_new_lane(tl, TL_UNIT, i, th->process, 1);
            units++;
        }
        if (lane < 0 || keymap_put(lane_of, p->name, plen, th->group, th->group_len, lane) != 0)
            rc = PLOT_FAILED;
        else {
            th->lane = lane;
            if (tl->lane[lane].process != th->process)
                tl->lane[lane].process = -1;         /* several processes */
            tl->lane[lane].members++;
        }
    }
    keymap_free(lane_of);
    if (other >= 0)
        tl->lane[other].others = others;
    for (int i = 0; rc == PLOT_OK && i < tl->nlanes; i++)
        if (tl->lane[i].kind == TL_UNIT && group_label(tl, &tl->lane[i]) != 0)
            rc = PLOT_FAILED;
    return rc;
}

/* A lane per core, in core order (a machine of many cores: none). */
static int core_lanes(tl_t *tl, int cores)
{
    tl->cores = cores;
    tl->core_lane = malloc((size_t)cores * sizeof *tl->core_lane);
    tl->core_thread = malloc((size_t)cores * sizeof *tl->core_thread);
    if (!tl->core_lane || !tl->core_thread)
        return PLOT_FAILED;
    for (int c = 0; c < cores; c++) {
        tl->core_lane[c] = tl->core_thread[c] = -1;
        if (cores > TL_MAX_CORE_LANES)
            continue;
        char name[32];
        snprintf(name, sizeof name, "core %d", c);
        int lane = tl_new_lane(tl, TL_CORE, c, -1, 0);
        if (lane < 0 || tl_set_label(&tl->lane[lane], TL_TEXT(name), NULL) != 0)
            return PLOT_FAILED;
        tl->core_lane[c] = lane;
    }
    return PLOT_OK;
}

/* A new GIL lane of process p: interpreter interp's (0: the main one, else
 * a subinterpreter with its own GIL, labelled "GIL p#N" as summary.csv's
 * gil_by_process names it).  Past TL_MAX_GIL_LANES none is drawn: -2, the
 * GIL counted as left out; -1 when out of memory. */
int tl_gil_lane(tl_t *tl, int p, int interp)
{
    tl_process_t *pr = &tl->process[p];
    char n[24] = "";
    if (tl->gil_lanes_drawn == TL_MAX_GIL_LANES) {
        tl->gil_lanes_left++;
        return -2;
    }
    if (interp > 0)
        snprintf(n, sizeof n, "#%d", interp);
    int lane = tl_new_lane(tl, TL_GIL, interp, p, 0);
    if (lane < 0 ||
        tl_set_label(&tl->lane[lane], TL_TEXT("GIL "), pr->name, pr->name_len, TL_TEXT(n),
                     NULL) != 0)
        return -1;
    tl->gil_lanes_drawn++;
    return lane;
}

/* A GIL lane per process of more than one thread: a lone thread's GIL
 * lane would repeat its own lane.  The main interpreter's from the start;
 * a subinterpreter's when the trace first shows its GIL (plotfeed.c). */
static int gil_lanes(tl_t *tl)
{
    for (int p = 0; p < tl->nprocesses; p++) {
        tl_process_t *pr = &tl->process[p];
        if (pr->threads < 2)
            continue;
        int lane = tl_gil_lane(tl, p, 0);
        if (lane == -1)
            return PLOT_FAILED;
        pr->gil_lane = lane >= 0 ? lane : -1;
    }
    return PLOT_OK;
}

int tl_start(tl_t *tl, int cores, const tl_view_t *views, int nviews, FILE *lat)
{
    if (tl->nthreads == 0)
        return tl_refuse(tl, "no threads");
    for (int v = 0; v < nviews; v++)
        tl->views.v[v] = views[v];
    tl->views.n = nviews;
    tl->lat = lat;
    int rc = core_lanes(tl, cores);
    if (rc == PLOT_OK)
        rc = gil_lanes(tl);
    if (rc != PLOT_OK)
        return rc;
    if (tl->nthreads <= TL_MAX_UNITS)
        return thread_lanes(tl);
    int groups = count_groups(tl, TL_BY_GROUP);
    if (groups < 0)
        return PLOT_FAILED;
    return group_lanes(tl, groups <= TL_MAX_UNITS ? TL_BY_GROUP : TL_BY_GROUP_NAME);
}

/* ---- layout ---- */

static int empty_gil(const tl_t *tl, int lane)
{
    return !box_any(&tl->lane[lane].boxes, &tl->views, 1);
}

/* The unit lane and, under it, its task lanes and their summary. */
static int unit_with_tasks(const tl_t *tl, int unit, int *order, int n)
{
    order[n++] = unit;
    for (int i = 0; i < tl->nlanes; i++)
        if (tl->lane[i].kind == TL_TASK && tl->lane[i].owner == unit)
            order[n++] = i;
    if (tl->lane[unit].summary >= 0)
        order[n++] = tl->lane[unit].summary;
    return n;
}

/* The unit lanes, by process when sort (stable: roster order within
 * one), else in roster order. */
static int by_process(const tl_t *tl, int *units, int sort)
{
    int n = 0;
    for (int i = 0; i < tl->nlanes; i++) {
        if (tl->lane[i].kind != TL_UNIT)
            continue;
        int j = n++;
        for (; sort && j > 0 && tl->lane[units[j - 1]].process > tl->lane[i].process; j--)
            units[j] = units[j - 1];
        units[j] = i;
    }
    return n;
}

/* Appends lane to the layout in section (cores -1, else a process; at
 * TL_BY_GROUP_NAME, GILs -2 and units -3). */
static int put(int *order, int *section, int n, int lane, int sec)
{
    order[n] = lane;
    section[n] = sec;
    return n + 1;
}

/* Process p's GIL lanes that hold something, main interpreter first. */
static int put_gils(const tl_t *tl, int p, int *order, int *section, int n, int sec)
{
    for (int i = 0; i < tl->nlanes; i++)
        if (tl->lane[i].kind == TL_GIL && tl->lane[i].process == p && !empty_gil(tl, i))
            n = put(order, section, n, i, sec);
    return n;
}

int tl_layout(const tl_t *tl, int *order, int *sep)
{
    int n = 0, units[TL_MAX_UNITS], by_name = tl->level == TL_BY_GROUP_NAME;
    int *section = sep;          /* sections first, turned into separators at the end */
    for (int c = 0; c < tl->cores; c++)
        if (tl->core_lane[c] >= 0)
            n = put(order, section, n, tl->core_lane[c], -1);
    int nunits = by_process(tl, units, !by_name), last = -1;
    for (int p = 0; by_name && p < tl->nprocesses; p++)
        n = put_gils(tl, p, order, section, n, -2);
    for (int u = 0; u < nunits; u++) {
        int p = tl->lane[units[u]].process, start = n;
        if (!by_name && p != last)
            n = put_gils(tl, p, order, section, n, p);
        n = unit_with_tasks(tl, units[u], order, n);
        for (int i = start; i < n; i++)
            section[i] = by_name ? -3 : p;
        last = p;
    }
    for (int i = n - 1; i >= 0; i--)
        sep[i] = i > 0 && section[i] != section[i - 1];
    return n;
}
