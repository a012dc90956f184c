/* plotfeed.c — what trace.csv's rows do to the timeline's lanes; see
 * plotfeed.h.
 *
 * A thread's state goes to its unit lane (its own, or its group's, which
 * counts its threads per state).  A thread entering py or native on a
 * core runs there until it leaves those states or moves: the core's lane
 * shows its unit.  A GIL take or drop sets the process's GIL lane.  A
 * drop request marks the waiter's lane, a forced drop the holder's.
 *
 * Tasks take the thread states' colours: a task running a step is
 * Python (py), one created or woken and not yet run is runnable, one
 * awaiting I/O or a sleep is blocked, one awaiting a gather is in a
 * sync_wait; a finished task's lane ends.  The rows name the task for
 * task_create, task_run and task_done; a task_wait is the running task's.
 *
 * Latency (latency.dat): for every completed blocking I/O (a thread
 * leaving `blocked` with detail io) in the window, the time until the
 * thread next runs Python — the wake-up plus the wait for the GIL. */
#include <stdio.h>
#include <string.h>
#include "caps.h"
#include "plotprep.h"
#include "out/keymap.h"
#include "out/plotfeed.h"

static int failed(int rc)
{
    return rc != 0 ? PLOT_FAILED : PLOT_OK;
}

/* The I/O completion -> next Python wait, when the I/O ended in view 0. */
static void track_latency(tl_t *tl, tl_thread_t *th, tl_ns t, int state, int io)
{
    if (th->in_io && state != TS_BLOCKED)
        th->io_end = t;
    th->in_io = state == TS_BLOCKED && io;
    if (state != TS_PY || th->io_end < 0)
        return;
    if (th->io_end >= tl->views.v[0].from) {
        tl_ns d = t - th->io_end;
        if (tl->lat)
            fprintf(tl->lat, "%lld.%09lld\n", d / 1000000000, d % 1000000000);
        tl->latencies++;
    }
    th->io_end = -1;
}

static int track_core(tl_t *tl, int thread, tl_ns t, int state, int core)
{
    tl_thread_t *th = &tl->thread[thread];
    int now = core >= 0 && (state == TS_PY || state == TS_NATIVE) ? core : -1;
    int rc = 0;
    if (th->core >= 0 && th->core != now && tl->core_thread[th->core] == thread) {
        tl->core_thread[th->core] = -1;
        if (tl->core_lane[th->core] >= 0)
            rc = box_set(&tl->lane[tl->core_lane[th->core]].boxes, &tl->views, t, 0);
    }
    if (now >= 0) {
        tl->core_thread[now] = thread;
        if (tl->core_lane[now] >= 0 && rc == 0)
            rc = box_set(&tl->lane[tl->core_lane[now]].boxes, &tl->views, t, th->lane + 1);
    }
    th->core = now;
    return failed(rc);
}

/* A member of a lane moves from one state to another (-1: none). */
static int lane_move(tl_t *tl, int lane, tl_ns t, int from, int to)
{
    tl_boxes_t *b = &tl->lane[lane].boxes;
    return failed(b->count ? box_move(b, &tl->views, t, from, to)
                           : box_set(b, &tl->views, t, to));
}

int tl_state(tl_t *tl, int thread, tl_ns t, int state, int io, int core)
{
    tl_thread_t *th = &tl->thread[thread];
    if (core >= tl->cores)
        return tl_refuse(tl, "core %d, but the run has %d cores (summary.csv)", core, tl->cores);
    track_latency(tl, th, t, state, io);
    int rc = lane_move(tl, th->lane, t, th->state, state);
    th->state = state;
    return rc != PLOT_OK ? rc : track_core(tl, thread, t, state, core);
}

/* The lane of interpreter interp's GIL in the thread's process into
 * *lane (-1: none drawn), a subinterpreter's made when first seen.  Each
 * GIL a trace shows is some roster thread's: more is no gilsim trace. */
static int gil_lane_of(tl_t *tl, const tl_thread_t *th, int interp, int *lane)
{
    int p = th->process;
    if (tl->process[p].threads < 2 || interp == 0) {
        *lane = tl->process[p].gil_lane;
        return PLOT_OK;
    }
    int known = keymap_get(tl->subinterpreter_gils, (const char *)&p, sizeof p,
                           (const char *)&interp, sizeof interp);
    if (known >= 0) {
        *lane = known - 1;
        return PLOT_OK;
    }
    if (++tl->subinterpreters > tl->nthreads)
        return tl_refuse(tl, "more interpreter GILs than threads (threads.csv)");
    int made = tl_gil_lane(tl, p, interp);
    if (made == -1 || keymap_put(tl->subinterpreter_gils, (const char *)&p, sizeof p,
                                 (const char *)&interp, sizeof interp, made >= 0 ? made + 1 : 0))
        return PLOT_FAILED;
    *lane = made >= 0 ? made : -1;
    return PLOT_OK;
}

int tl_gil(tl_t *tl, int thread, tl_ns t, int taken, int interp)
{
    const tl_thread_t *th = &tl->thread[thread];
    int lane = -1, rc = gil_lane_of(tl, th, interp, &lane);
    if (rc != PLOT_OK || lane < 0)
        return rc;
    return failed(box_set(&tl->lane[lane].boxes, &tl->views, t, taken ? th->lane + 1 : 0));
}

int tl_mark(tl_t *tl, int thread, tl_ns t, int mark)
{
    return failed(box_mark(&tl->lane[tl->thread[thread].lane].boxes, &tl->views, t, mark));
}

static int task_set(tl_t *tl, int task, tl_ns t, int state)
{
    int rc = lane_move(tl, tl->task[task].lane, t, tl->task[task].state, state);
    tl->task[task].state = state;
    return rc;
}

/* The lane of a new task of the thread's loop: its own under the loop's
 * unit lane while there is room, else the loop's summary lane; -1 when
 * out of memory. */
static int task_lane(tl_t *tl, int thread, const char *name, size_t len)
{
    int unit = tl->thread[thread].lane, lane;
    if (tl->level == TL_BY_THREAD && tl->task_lanes < TL_TASK_LANES &&
        tl->lane[unit].ntasks < TL_TASK_LANES_PER_LOOP) {
        lane = tl_new_lane(tl, TL_TASK, unit, tl->lane[unit].process, 0);
        if (lane < 0 || tl_set_label(&tl->lane[lane], TL_TEXT("\xe2\x86\xb3 "), name, len, NULL))
            return -1;
        tl->lane[unit].ntasks++;
        tl->task_lanes++;
    } else if ((lane = tl->lane[unit].summary) < 0) {
        lane = tl_new_lane(tl, TL_TASKS, unit, tl->lane[unit].process, 1);
        if (lane < 0)
            return -1;
        tl->lane[unit].summary = lane;
    }
    tl->lane[lane].members++;
    return lane;
}

static int task_create(tl_t *tl, int thread, tl_ns t, const char *name, size_t len)
{
    if (keymap_get(tl->tasks_by_name, (const char *)&thread, sizeof thread, name, len) >= 0)
        return tl_refuse(tl, "task_create: this thread's loop already has a task of that name");
    if (tl->ntasks == TASKS_MAX)
        return tl_refuse(tl, "more than %d tasks (gilsim runs at most that many)", TASKS_MAX);
    if (TL_ROOM(tl->task, tl->ntasks, tl->captasks) != 0)
        return PLOT_FAILED;
    int lane = task_lane(tl, thread, name, len);
    if (lane < 0 || keymap_put(tl->tasks_by_name, (const char *)&thread, sizeof thread, name,
                               len, tl->ntasks) != 0)
        return PLOT_FAILED;
    tl->task[tl->ntasks] = (tl_task_t){lane, -1};
    return task_set(tl, tl->ntasks++, t, TS_RUNNABLE);
}

int tl_task(tl_t *tl, int thread, tl_ns t, int event, const char *name, size_t len)
{
    tl_thread_t *th = &tl->thread[thread];
    if (event == TL_TASK_CREATE)
        return task_create(tl, thread, t, name, len);
    if (event == TL_TASK_WAIT) {
        int k = th->task, awaits_tasks = len == 6 && memcmp(name, "gather", 6) == 0;
        th->task = -1;
        return k < 0 ? PLOT_OK : task_set(tl, k, t, awaits_tasks ? TS_SYNC_WAIT : TS_BLOCKED);
    }
    int k = keymap_get(tl->tasks_by_name, (const char *)&thread, sizeof thread, name, len);
    if (k < 0)
        return tl_refuse(tl, "no task of that name was created on this thread's loop");
    if (event == TL_TASK_DONE) {
        if (th->task == k)
            th->task = -1;
        return task_set(tl, k, t, -1);
    }
    int rc = PLOT_OK;
    if (th->task >= 0 && th->task != k && tl->task[th->task].state == TS_PY)
        rc = task_set(tl, th->task, t, TS_RUNNABLE);  /* left without a wait: ready again */
    th->task = k;
    return rc != PLOT_OK ? rc : task_set(tl, k, t, TS_PY);
}

/* A summary lane's label, now that its tasks are counted. */
static int summary_label(tl_t *tl, tl_lane_t *l)
{
    char text[64];
    snprintf(text, sizeof text, "\xe2\x86\xb3 %d %stasks", l->members,
             tl->lane[l->owner].ntasks ? "more " : "");
    return tl_set_label(l, TL_TEXT(text), NULL);
}

int tl_finish(tl_t *tl)
{
    for (int i = 0; i < tl->nlanes; i++) {
        tl_lane_t *l = &tl->lane[i];
        if (box_finish(&l->boxes, &tl->views) != 0 ||
            (l->kind == TL_TASKS && summary_label(tl, l) != 0))
            return PLOT_FAILED;
    }
    return PLOT_OK;
}
