/* explain_words.h — the sentences of `gilsim explain` (explain_words.c). */
#ifndef GILSIM_EXPLAIN_WORDS_H
#define GILSIM_EXPLAIN_WORDS_H

#include "caps.h"
#include "out/explain_read.h"

#define XW_NAME (2 * NAME_SHOWN + 2)   /* a thread as named: PROCESS/NAME */

typedef struct xwords {
    const xread_t *r;            /* the run the facts are about */
    int multi;                   /* more than one process: names show theirs */
} xwords_t;

/* Each returns a malloc'd string, NULL when out of memory. */

/* The line of fact f.  A task blocking its loop is told before its length
 * is known: then *post gets the part after the hole "for 1.000 s", which
 * xw_block_length fills from the block's end. */
char *xw_sentence(const xwords_t *w, const xfact_t *f, char **post);
char *xw_block_length(const xfact_t *end);
/* Thread i's closing paragraph: its waits for the GIL, races lost, its
 * longest wait and why; for an event loop's thread, what blocked it. */
char *xw_paragraph(const xwords_t *w, int i);
/* The run in one sentence (summary.csv). */
char *xw_header(const xwords_t *w);
/* Thread i as the lines name it, into buf (XW_NAME bytes); "?" for -1. */
const char *xw_who(const xwords_t *w, int i, char *buf);
/* A time as "1.234 s", "15.000 ms", "7.2 us", into buf (32 bytes). */
const char *xw_time(simtime_t ns, char *buf);

#endif
