/* lg_read.c — key.csv and subs.csv into a grading book (lg.h).  Both are
 * read with the run-folder reader (csvread.h: regular files only, strict
 * CSV, bounded fields), and every row is checked before any mark is given:
 * a key for another lab, a question the lab does not have, a student of
 * the submissions missing from the key, the same (student, question)
 * twice, a key tolerance that does not parse, and an answer that cannot be
 * marked (no number where one is asked for, no choice) each stop grading
 * with one line naming the file and row.  A blank answer is no answer.
 * The files are as `lab make` writes key.csv, or as a spreadsheet saves
 * subs.csv: extra columns are ignored, and so is a byte-order mark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lab/lg.h"
#include "lab/lg_dec.h"
#include "lab/roster.h"
#include "engine/util.h"
#include "out/csvread.h"
#include "out/keymap.h"
#include "columns.h"
#include "plotprep.h"

/* Room for a field quoted in a message, cut to fit. */
#define SHOWN 160

/* A field of the current row of key.csv or subs.csv, by its column in
 * columns.def (need_columns made sure the header has it). */
#define FIELD(r, file, col) ((r)->f[rows_col((r), col_files[COL_##file##_CSV].cols[col].name)])
#define KEY(r, c) FIELD(r, KEY, COL_KEY_##c)
#define SUBS(r, c) FIELD(r, SUBS, COL_SUBS_##c)

int lg_question_index(const lab_t *lab, const char *id)
{
    for (int i = 0; i < lab->nquestions; i++)
        if (strcmp(lab->questions[i].id, id) == 0)
            return i;
    return -1;
}

int lg_wants_choice(const lab_question_t *q)
{
    return q->nchoices > 0 && q->kind != LAB_DESIGN;
}

int lg_wants_number(const lab_question_t *q)
{
    return (q->kind == LAB_NUMBER || q->kind == LAB_PREDICTION) && q->nchoices == 0;
}

char *lg_trim(const char *s)
{
    s += strspn(s, " \t");
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return text_dup(s, n);
}

int lg_choice_of(const lab_question_t *q, const char *answer)
{
    char *t = lg_trim(answer), *end;
    int choice = 0;
    for (int i = 0; t && !choice && i < q->nchoices; i++)
        if (strcasecmp(t, q->choices[i]) == 0)
            choice = i + 1;
    long n = t && !choice ? strtol(t, &end, 10) : 0;
    if (t && !choice && t[0] >= '0' && t[0] <= '9' && !*end && n >= 1 && n <= q->nchoices)
        choice = (int)n;
    free(t);
    return choice;
}

int lg_blank(const char *s)
{
    return s[strspn(s, " \t")] == '\0';
}

/* On the header: the columns a file needs (its first `needed` columns.def
 * rows), or the row refused.  (csvread.c drops a spreadsheet's UTF-8
 * byte-order mark before the first name.) */
static int need_columns(rows_t *r, enum col_file_id file, int needed)
{
    const col_file_t *cf = &col_files[file];
    char all[256] = "";
    for (int i = 0; i < needed; i++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", i ? "," : "",
                 cf->cols[i].name);
    for (int i = 0; i < needed; i++)
        if (rows_col(r, cf->cols[i].name) < 0) {
            rows_refuse(r, PLOT_BAD_INPUT, "no column %s: %s needs the columns %s",
                        cf->cols[i].name, r->name, all);
            return PLOT_BAD_INPUT;
        }
    return 0;
}

static int key_head(rows_t *r, void *ctx)
{
    (void)ctx;
    /* gilsim_version and config_hash say where the key came from; a key
     * written by hand, or by an older gilsim, grades without them */
    return need_columns(r, COL_KEY_CSV, COL_KEY_TOLERANCE + 1);
}

static int subs_head(rows_t *r, void *ctx)
{
    (void)ctx;
    return need_columns(r, COL_SUBS_CSV, COL_SUBS__COUNT);
}

/* The student called id, added to the book at the key's row when new;
 * its index, or -1 after refusing the row. */
static int add_student(lg_book_t *b, rows_t *r, const char *id)
{
    int s = keymap_get(b->ids, id, strlen(id), "", 0);
    if (s >= 0)
        return s;
    if (b->nstudents == ROSTER_MAX) {
        rows_refuse(r, PLOT_BAD_INPUT, "more than %d students", ROSTER_MAX);
        return -1;
    }
    if (b->nstudents == b->cap) {
        int cap = b->cap ? 2 * b->cap : 64;
        lg_student_t *ns = realloc(b->students, sizeof *ns * (size_t)cap);
        if (!ns)
            goto oom;
        b->students = ns;
        b->cap = cap;
    }
    size_t nq = (size_t)b->lab->nquestions;
    lg_student_t *st = &b->students[b->nstudents];
    *st = (lg_student_t){.id = strdup(id), .key_row = r->row,
                         .expected = calloc(nq, sizeof(char *)), .unit = calloc(nq, sizeof(char *)),
                         .tolerance = calloc(nq, sizeof(char *)),
                         .answer = calloc(nq, sizeof(char *)), .answer_row = calloc(nq, sizeof(long))};
    b->nstudents++;              /* freed with the book whatever failed */
    if (!st->id || !st->expected || !st->unit || !st->tolerance || !st->answer
        || !st->answer_row || keymap_put(b->ids, id, strlen(id), "", 0, b->nstudents - 1) != 0)
        goto oom;
    return b->nstudents - 1;
oom:
    rows_refuse(r, PLOT_FAILED, "out of memory");
    return -1;
}

/* The key's answer can be marked: a number, one of the choices, or for a
 * design `meets` or a number. */
static int key_answer_ok(rows_t *r, const lab_question_t *q, const char *answer)
{
    lg_dec_t d;
    char shown[SHOWN];
    int ok = lg_wants_choice(q) ? lg_choice_of(q, answer) > 0
             : lg_dec_parse(answer, &d) == 0 || (q->kind == LAB_DESIGN && !strcmp(answer, "meets"));
    if (!ok)
        rows_refuse(r, PLOT_BAD_INPUT, "answer '%s' to %s is not %s", text_shown(answer, shown,
                    sizeof shown), q->id, lg_wants_choice(q) ? "one of its choices" : "a number");
    return ok;
}

static int key_row(rows_t *r, void *ctx)
{
    lg_book_t *b = ctx;
    const char *lab = KEY(r, LAB), *qid = KEY(r, QUESTION), *sid = KEY(r, STUDENT);
    const char *tolerance = KEY(r, TOLERANCE);
    char shown[SHOWN];
    lg_tol_t tol;
    int qi = lg_question_index(b->lab, qid);
    if (strcmp(lab, b->lab->id) != 0)
        rows_refuse(r, PLOT_BAD_INPUT, "a key for lab '%s', not %s",
                    text_shown(lab, shown, sizeof shown), b->lab->id);
    else if (qi < 0)
        rows_refuse(r, PLOT_BAD_INPUT, "lab %s has no question '%s'", b->lab->id,
                    text_shown(qid, shown, sizeof shown));
    else if (!roster_id_ok(sid))
        rows_refuse(r, PLOT_BAD_INPUT, "student id '%s': expected "
                    "[A-Za-z0-9][A-Za-z0-9._-]{0,63}, as a roster has", text_shown(sid, shown,
                    sizeof shown));
    else if (lg_tol_parse(tolerance, &tol) != 0)
        rows_refuse(r, PLOT_BAD_INPUT, "tolerance '%s': expected a percentage (5%%), an "
                    "amount (0.01) or -", text_shown(tolerance, shown, sizeof shown));
    if (r->error || !key_answer_ok(r, &b->lab->questions[qi], KEY(r, ANSWER)))
        return r->error;
    int s = add_student(b, r, sid);
    if (s < 0)
        return r->error;
    lg_student_t *st = &b->students[s];
    if (st->expected[qi]) {
        rows_refuse(r, PLOT_BAD_INPUT, "a second row for student %s, question %s",
                    text_shown(sid, shown, sizeof shown), qid);
        return r->error;
    }
    st->expected[qi] = strdup(KEY(r, ANSWER));
    st->unit[qi] = strdup(KEY(r, UNIT));
    st->tolerance[qi] = strdup(tolerance);
    if (!st->expected[qi] || !st->unit[qi] || !st->tolerance[qi])
        rows_refuse(r, PLOT_FAILED, "out of memory");
    return r->error;
}

/* An answer that cannot be marked: no number, or no choice. */
static int answer_ok(rows_t *r, const lab_question_t *q, const char *answer)
{
    lg_dec_t d;
    char shown[SHOWN];
    if (lg_blank(answer) || q->kind == LAB_DESIGN)
        return 1;
    if (lg_wants_number(q) && lg_dec_parse(answer, &d) != 0)
        rows_refuse(r, PLOT_BAD_INPUT, "answer '%s' to %s is not a number (write it in %s, "
                    "without the unit)", text_shown(answer, shown, sizeof shown), q->id,
                    q->unit && *q->unit ? q->unit : "plain digits");
    else if (lg_wants_choice(q) && !lg_choice_of(q, answer))
        rows_refuse(r, PLOT_BAD_INPUT, "answer '%s' to %s is none of its choices (their "
                    "text or their number, 1 to %d)", text_shown(answer, shown, sizeof shown),
                    q->id, q->nchoices);
    return !r->error;
}

static int subs_row(rows_t *r, void *ctx)
{
    lg_book_t *b = ctx;
    const char *qid = SUBS(r, QUESTION), *sid = SUBS(r, STUDENT), *answer = SUBS(r, ANSWER);
    char shown[SHOWN];
    int qi = lg_question_index(b->lab, qid);
    int s = keymap_get(b->ids, sid, strlen(sid), "", 0);
    if (s < 0)
        rows_refuse(r, PLOT_BAD_INPUT, "student '%s' is not in %s",
                    text_shown(sid, shown, sizeof shown), b->key_path);
    else if (qi < 0)
        rows_refuse(r, PLOT_BAD_INPUT, "lab %s has no question '%s'", b->lab->id,
                    text_shown(qid, shown, sizeof shown));
    else if (b->students[s].answer[qi])
        rows_refuse(r, PLOT_BAD_INPUT, "a second answer of student %s to %s (the first is "
                    "row %ld)", text_shown(sid, shown, sizeof shown), qid,
                    b->students[s].answer_row[qi]);
    if (r->error || !answer_ok(r, &b->lab->questions[qi], answer))
        return r->error;
    if (!(b->students[s].answer[qi] = strdup(answer)))
        rows_refuse(r, PLOT_FAILED, "out of memory");
    b->students[s].answer_row[qi] = r->row;
    return r->error;
}

/* Every student of the key has a row for every question. */
static int key_complete(const lg_book_t *b)
{
    for (int s = 0; s < b->nstudents; s++)
        for (int q = 0; q < b->lab->nquestions; q++)
            if (!b->students[s].expected[q]) {
                char shown[SHOWN];
                plot_error(b->key_path, b->students[s].key_row, "student %s has no row for "
                           "question %s", text_shown(b->students[s].id, shown, sizeof shown),
                           b->lab->questions[q].id);
                return PLOT_BAD_INPUT;
            }
    return 0;
}

/* The folder of path ("." for a bare name), malloc'd; NULL out of memory. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? text_dup(path, (size_t)(slash - path)) : strdup(".");
}

/* Reads path (split into its folder and name for csvread.h). */
static int read_file(const char *path, rows_t *r)
{
    const char *slash = strrchr(path, '/');
    char *dir = folder_of(path);
    if (!dir) {
        plot_error(NULL, 0, "out of memory");
        return PLOT_FAILED;
    }
    r->hint = "not a file gilsim can grade";
    int rc = rows_read(r, dir, slash ? slash + 1 : path);
    free(dir);
    rows_free(r);
    return rc;
}

int lg_read(lg_book_t *b)
{
    if (!(b->ids = keymap_new()) || !(b->subs_dir = folder_of(b->subs_path))) {
        plot_error(NULL, 0, "out of memory");
        return PLOT_FAILED;
    }
    rows_t key = {.on_head = key_head, .on_row = key_row, .ctx = b};
    int rc = read_file(b->key_path, &key);
    if (!rc)
        rc = key_complete(b);
    if (rc)
        return rc;
    rows_t subs = {.on_head = subs_head, .on_row = subs_row, .ctx = b, .empty_ok = 1};
    return read_file(b->subs_path, &subs);
}

void lg_book_free(lg_book_t *b)
{
    for (int s = 0; s < b->nstudents; s++) {
        lg_student_t *st = &b->students[s];
        for (int q = 0; q < b->lab->nquestions; q++) {
            if (st->expected)
                free(st->expected[q]);
            if (st->unit)
                free(st->unit[q]);
            if (st->tolerance)
                free(st->tolerance[q]);
            if (st->answer)
                free(st->answer[q]);
        }
        free(st->expected);
        free(st->unit);
        free(st->tolerance);
        free(st->answer);
        free(st->answer_row);
        free(st->id);
    }
    free(b->students);
    free(b->subs_dir);
    keymap_free(b->ids);
    memset(b, 0, sizeof *b);
}
