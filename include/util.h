/* util.h — memory helpers shared by the model's rooms.  Out of memory is
 * fatal: a simulation cannot go on without the objects it models. */
#ifndef GILSIM_UTIL_H
#define GILSIM_UTIL_H

#include <stddef.h>

void *xrealloc(void *p, size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
/* Doubles *cap (16 to start) and reallocates p to hold *cap elements. */
void *xgrow(void *p, int *cap, size_t elem);
/* "dir/name", malloc'd. */
char *path_join(const char *dir, const char *name);
/* mkdir -p; 0 or -1 with errno set. */
int   make_dirs(const char *dir);

#endif
