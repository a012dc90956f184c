/* roster.h — a class list: a CSV file with a header naming a column
 * `student` (other columns are ignored: `student,name` is fine), one row
 * per student, read with libcsv as untrusted input.  Ids are
 * [A-Za-z0-9][A-Za-z0-9._-]{0,63}: safe as folder names and in figures'
 * paths.  A duplicate id, an empty row, a bad id, a NUL byte in a field
 * or a column named twice is refused with "FILE:ROW: message" (the header
 * is row 1), by csvread.h's shared rules where they apply. */
#ifndef GILSIM_ROSTER_H
#define GILSIM_ROSTER_H

#include "lab/lab.h"

#define ROSTER_MAX 100000        /* students in one roster */

typedef struct roster {
    char **ids;                  /* in file order */
    int n;
} roster_t;

/* Whether s is a valid student id. */
int  roster_id_ok(const char *s);
/* 0, or -1 with one line in err. */
int  roster_read(const char *path, roster_t *r, char err[LAB_ERR_MAX]);
void roster_free(roster_t *r);

#endif
