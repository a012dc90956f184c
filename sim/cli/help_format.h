/* help_format.h — the tables of `gilsim help`, the config reference and
 * the manual pages, printed as aligned text, Markdown (the READMEs') or
 * roff (manpage.c) from the same rows (help_format.c). */
#ifndef GILSIM_HELP_FORMAT_H
#define GILSIM_HELP_FORMAT_H

#include <stdio.h>

#define HELP_COLS 6
#define NAME_WIDTH 22            /* text: the first column's width */

/* A table being printed: as text, Markdown (the READMEs') or roff (the
 * manual pages', manpage.c). */
typedef struct help_out {
    FILE *f;
    int markdown;
    int roff;
    int tables;                  /* printed so far: a blank line between them */
    int ncols;
    const char *heads[HELP_COLS];
    int words;                   /* the first cells are words, not code */
} help_out_t;

/* A Markdown cell's text: a '|' in it is escaped. */
void md_text(FILE *f, const char *s);
/* Roff text: '\\' as \e, UTF-8 as \[uXXXX], Markdown's code quotes left
 * out, a line never starting with a control character.  roff_put with col
 * (the output line's length so far) also breaks lines before column 76;
 * roff_fill writes a paragraph's source so. */
void roff_put(FILE *f, const char *s, int line_start, int *col);
void roff_text(FILE *f, const char *s, int line_start);
void roff_fill(FILE *f, const char *s);
/* A table's caption (or, heading set, a Markdown ### heading) and its
 * ncols column heads, then its rows. */
void table_begin(help_out_t *h, const char *title, int heading, int ncols, ...);
void table_row(help_out_t *h, const char *a, const char *b, const char *c);
/* A row of h->ncols cells. */
void table_row_cells(help_out_t *h, const char *const *cells);

#endif
