/* datadir.h — where gilsim finds its own files: the gnuplot scripts
 * (plots/) and the shipped example configs and labs (configs/). */
#ifndef GILSIM_DATADIR_H
#define GILSIM_DATADIR_H

/* The data folder, the first of these that holds plots/timeline.gp:
 *   1. $GILSIM_DATADIR: when it is set, only there;
 *   2. PREFIX/share/gilsim, for a binary installed as PREFIX/bin/gilsim
 *      (make install, the Debian package);
 *   3. the source tree of a binary built in its build/ folder;
 *   4. the current folder.
 * malloc'd; NULL when none holds it (why: a sentence saying so and what to
 * do, in a buffer of 512 bytes) or when out of memory. */
char *datadir_find(char why[512]);

/* The folder of gnuplot scripts (datadir + "/plots"), or NULL after saying
 * why on stderr. */
char *datadir_plots(void);

#endif
