/* plotdat.h — the timeline's lanes (plotlane.h) written as the one data
 * file plots/timeline.gp draws: laid out, coloured (plotstyle.h) and
 * scaled to each panel's time unit. */
#ifndef GILSIM_PLOTDAT_H
#define GILSIM_PLOTDAT_H

#include <stdio.h>
#include "out/plotlane.h"

/* What the writer says back: lanes drawn, legend entries. */
typedef struct tl_written {
    int lanes, keys;
} tl_written_t;

/* Writes tl (finished) to f; panel_title[v]: view v's title line (view 0's
 * may be ""); 0, or -1 when out of memory. */
int tl_write(const tl_t *tl, FILE *f, const char *const *panel_title, tl_written_t *w);

#endif
