/* gil.c — picks a GIL policy for a process from the config. */
#include "gil.h"

void gil_init(gil_t *g, sim_t *s, process_t *p)
{
    *g = (gil_t){0};
    g->sim = s;
    g->proc = p;
    g->interval = s->cfg->python.switch_interval;
    switch (s->cfg->python.gil) {
    case GIL_NEW:
        g->ops = &gil_new_ops;
        break;
    }
}
