/* tasks.c — tasks.csv's rows, from the tasks' own accounts (the model
 * keeps them at each change of state: sim/model/aio.c). */
#include "columns.h"
#include "out/tasks.h"

/* A time that may not have come: empty while it is -1. */
static void time_or_empty(csvw_t *w, simtime_t t)
{
    if (t >= 0)
        csvw_i64(w, t);
    else
        csvw_empty(w);
}

/* One field of a task's row: a switch over columns.def's ids, so a column
 * without a value here does not compile (-Wswitch). */
static void task_field(csvw_t *w, enum tasks_col col, const task_t *k)
{
    const thread_t *t = k->loop->thread;
    switch (col) {
    case COL_TASKS_PROCESS: csvw_text(w, t->proc->name); break;
    case COL_TASKS_THREAD: csvw_text(w, t->name); break;
    case COL_TASKS_TASK: csvw_text(w, k->name); break;
    case COL_TASKS_COROUTINE: csvw_text(w, k->coro); break;
    case COL_TASKS_CREATED: csvw_i64(w, k->created); break;
    case COL_TASKS_FIRST_RUN: time_or_empty(w, k->first_run); break;
    case COL_TASKS_FINISHED: time_or_empty(w, k->finished); break;
    case COL_TASKS_ENDED:
        if (k->ended)
            csvw_text(w, k->ended);
        else
            csvw_empty(w);
        break;
    case COL_TASKS_STEPS: csvw_i64(w, k->steps); break;
    case COL_TASKS_RUNNING: csvw_i64(w, k->state_time[TASK_RUNNING]); break;
    case COL_TASKS_READY: csvw_i64(w, k->state_time[TASK_READY]); break;
    case COL_TASKS_AWAITING: csvw_i64(w, k->state_time[TASK_WAITING]); break;
    case COL_TASKS__COUNT: break;
    }
}

void tasks_csv_rows(csvw_t *w, const sim_t *s)
{
    for (int i = 0; i < s->nloops; i++)
        for (int j = 0; j < s->loops[i]->nall; j++) {
            for (int c = 0; c < COL_TASKS__COUNT; c++)
                task_field(w, (enum tasks_col)c, s->loops[i]->all[j]);
            csvw_end(w);
        }
}
