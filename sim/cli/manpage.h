/* manpage.h — `gilsim man PAGE`: the manual pages gilsim.1 (the command)
 * and gilsim-config.5 (its configs), in roff, printed from the texts and
 * tables --help and `gilsim help` print, so they cannot drift from them.
 * make install installs them. */
#ifndef GILSIM_MANPAGE_H
#define GILSIM_MANPAGE_H

#include <stdio.h>

/* The pages' names, as `gilsim man` takes them. */
extern const char *const man_pages[];

/* Prints page (one of man_pages) to out; version and date go in its
 * title line.  -1 for an unknown page. */
int man_print(FILE *out, const char *page, const char *version, const char *date);

#endif
