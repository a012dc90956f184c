/* lg.h — `gilsim lab grade`: a class's answers (subs.csv) marked against
 * the lab's key (key.csv, from `lab make`) into marks.csv.
 *
 *   lg_read.c    key.csv and subs.csv, read as untrusted input: any bad
 *                row stops grading with one line naming the file and row
 *   lg_mark.c    the mark of one answer: number, choice, prediction
 *   lg_design.c  the mark of a design answer: the submitted config loaded,
 *                run and measured against the question's requires
 *   lg_cmd.c     the command: options, marks.csv, the summary line */
#ifndef GILSIM_LG_H
#define GILSIM_LG_H

#include <signal.h>
#include "lab/lab.h"

/* `gilsim lab grade LAB --key KEY.csv --submissions SUBS.csv -o MARKS.csv`:
 * argv[0] is "grade".  Returns the exit status: 0, 1 (a write failed),
 * 2 (bad input, one line on stderr), 128 + N (stopped by signal N, which
 * sets *stop). */
int lg_command(int argc, char **argv, volatile sig_atomic_t *stop);

/* ---- shared by the lg_ files ---- */

/* One student's row of the key and answer for each question of the lab
 * (arrays of the lab's question count, in its order). */
typedef struct lg_student {
    char *id;
    long key_row;                /* the student's first row in key.csv */
    char **expected, **unit, **tolerance;   /* key.csv's fields; NULL: no row yet */
    char **answer;               /* subs.csv's answer; NULL: none */
    long *answer_row;
} lg_student_t;

typedef struct lg_book {
    const lab_t *lab;
    const char *key_path, *subs_path;
    char *subs_dir;              /* where design answers' paths start (set by lg_read) */
    lg_student_t *students;      /* in key order */
    int nstudents, cap;
    struct keymap *ids;          /* student id -> index */
    volatile sig_atomic_t *stop; /* set by a signal: design runs stop too */
} lg_book_t;

/* Reads key.csv, then subs.csv, into book (book->lab and the paths set).
 * 0, or an exit status after one line on stderr (2: a bad row). */
int  lg_read(lg_book_t *book);
void lg_book_free(lg_book_t *book);

/* s without the blanks (spaces, tabs) around it, malloc'd; NULL when out
 * of memory. */
char *lg_trim(const char *s);
/* s holds nothing but blanks: a blank answer is no answer. */
int  lg_blank(const char *s);
/* The lab's question called id, or -1. */
int  lg_question_index(const lab_t *lab, const char *id);
/* The 1-based choice an answer names (its text, case-insensitive and
 * without surrounding blanks, or its number), or 0. */
int  lg_choice_of(const lab_question_t *q, const char *answer);
/* The question is answered with a number (number, prediction without
 * choices) / with one of its choices (choice, prediction with choices). */
int  lg_wants_number(const lab_question_t *q);
int  lg_wants_choice(const lab_question_t *q);

/* A question's mark: 0, 0.5 or 1, and why (malloc'd, or NULL). */
typedef struct lg_mark {
    double mark;
    char *reason;
} lg_mark_t;

/* Marks student s's answer to question qi; 0, or -1 out of memory. */
int  lg_mark(const lg_book_t *book, int s, int qi, lg_mark_t *out);
/* Marks a design answer (a config path), as lg_mark. */
int  lg_mark_design(const lg_book_t *book, int s, int qi, lg_mark_t *out);
/* In a design run's child: at most seconds of CPU time, then SIGXCPU. */
void lg_limit_cpu(int seconds);
/* Why a design run's child ended without a verdict, from its wait
 * status and that limit; malloc'd, NULL out of memory. */
char *lg_run_reason(int status, int seconds);

#endif
