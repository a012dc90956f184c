/* tasks.h — tasks.csv's rows: one per asyncio task. */
#ifndef GILSIM_OUT_TASKS_H
#define GILSIM_OUT_TASKS_H

#include "out/csvw.h"
#include "model/model.h"

/* Every task of the finished run s, one row each (columns.def's TASKS_COL
 * order): by event loop, in the order the loops started, and each loop's
 * in creation order. */
void tasks_csv_rows(csvw_t *w, const sim_t *s);

#endif
