/* util.h — file-system helpers of the outputs and the command line.  None
 * exits: out of memory is a NULL (or -1) for the caller to report.  (The
 * model allocates through fail.h, which unwinds the run instead.) */
#ifndef GILSIM_UTIL_H
#define GILSIM_UTIL_H

#include <stddef.h>

/* "dir/name", malloc'd; NULL when out of memory. */
char *path_join(const char *dir, const char *name);
/* mkdir -p; 0 or -1 with errno set. */
int   make_dirs(const char *dir);

#endif
