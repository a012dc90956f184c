/* lg_cmd.c — `gilsim lab grade`: its options, marks.csv and the summary
 * line (lg.h).  marks.csv is written as marks.csv.part and renamed once
 * whole, so a grading that fails or is stopped never leaves a file that
 * looks complete (and an older marks.csv stays as it was). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lab/lab_cmd.h"
#include "lab/lg.h"
#include "columns.h"
#include "engine/util.h"
#include "out/csvw.h"
#include "out/outdir.h"
#include "plotprep.h"

static const char grade_usage[] =
"usage: gilsim lab grade LAB --key KEY.csv --submissions SUBS.csv -o MARKS.csv\n"
"\n"
"Marks a class's answers against the key of `gilsim lab make`: one row per\n"
"student and question in MARKS.csv (student,question,mark,expected,\n"
"submitted,reason), then a `total` row per student.  SUBS.csv has the\n"
"columns student,question,answer; a design answer is the path of a config,\n"
"from SUBS.csv's folder, which is run to check the question's requires.\n"
"\n"
"      --key KEY.csv           the key of `gilsim lab make`\n"
"      --submissions SUBS.csv  the answers\n"
"  -o, --output MARKS.csv      where the marks go\n"
"  -h, --help                  show this help\n";

typedef struct grade_opts {
    const char *lab, *key, *subs, *out;
} grade_opts_t;

static int usage_error(const char *what, const char *arg)
{
    char *shown = text_visible(arg, strlen(arg));
    say("lab grade: %s%s (see 'gilsim lab grade --help')", what, shown ? shown : "");
    free(shown);
    return PLOT_BAD_INPUT;
}

const struct option lab_grade_options[] = {
    {"key", required_argument, NULL, 'k'}, {"submissions", required_argument, NULL, 's'},
    {"output", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, grade_opts_t *o)
{
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:h", lab_grade_options, NULL)) != -1) {
        switch (ch) {
        case 'k': o->key = optarg; break;
        case 's': o->subs = optarg; break;
        case 'o': o->out = optarg; break;
        case 'h': fputs(grade_usage, stdout); return 0;
        case ':': return usage_error("this option needs a value: ", argv[optind - 1]);
        default: return usage_error("unknown option ", argv[optind - 1]);
        }
    }
    if (optind < argc)
        o->lab = argv[optind++];
    if (optind < argc)
        return usage_error("unexpected argument ", argv[optind]);
    const char *missing = !o->lab ? "LAB" : !o->key ? "--key KEY.csv"
                          : !o->subs ? "--submissions SUBS.csv" : !o->out ? "-o MARKS.csv" : NULL;
    return missing ? usage_error("missing ", missing) : -1;
}

_Static_assert(COL_MARKS_STUDENT == 0 && COL_MARKS_QUESTION == 1 && COL_MARKS_MARK == 2
               && COL_MARKS_EXPECTED == 3 && COL_MARKS_SUBMITTED == 4 && COL_MARKS_REASON == 5
               && COL_MARKS__COUNT == 6, "write_row writes marks.csv's columns in their order");

/* One row of marks.csv. */
static void write_row(csvw_t *w, const char *student, const char *question, double mark,
                      const char *expected, const char *submitted, const char *reason)
{
    char m[32];
    snprintf(m, sizeof m, "%g", mark);
    csvw_text(w, student);
    csvw_text(w, question);
    csvw_raw(w, m, strlen(m));
    csvw_text(w, expected ? expected : "");
    csvw_text(w, submitted ? submitted : "");
    csvw_text(w, reason ? reason : "");
    csvw_end(w);
}

/* One student's rows and total; the total, or -1 out of memory. */
static double grade_student(const lg_book_t *b, int s, csvw_t *w)
{
    const lg_student_t *st = &b->students[s];
    double total = 0;
    for (int q = 0; q < b->lab->nquestions; q++) {
        lg_mark_t m = {0};
        if (lg_mark(b, s, q, &m) != 0) {
            free(m.reason);
            return -1;
        }
        write_row(w, st->id, b->lab->questions[q].id, m.mark, st->expected[q], st->answer[q],
                  m.reason);
        free(m.reason);
        total += m.mark;
    }
    char out_of[32];
    snprintf(out_of, sizeof out_of, "out of %d", b->lab->nquestions);
    write_row(w, st->id, "total", total, NULL, NULL, out_of);
    return total;
}

/* Every student into part; 0, or an exit status after one line. */
static int grade_all(const lg_book_t *b, const char *part, const char *out,
                     volatile sig_atomic_t *stop, double *sum)
{
    csvw_t w;
    if (csvw_open(&w, part) != 0) {
        say("cannot write %s: %s", part, strerror(errno));
        return 1;
    }
    const col_file_t *cf = &col_files[COL_MARKS_CSV];
    for (int i = 0; i < cf->ncols; i++)
        csvw_text(&w, cf->cols[i].name);
    csvw_end(&w);
    int rc = 0;
    for (int s = 0; s < b->nstudents && !rc; s++) {
        double total = grade_student(b, s, &w);
        if (total < 0)
            say("out of memory grading %s", out), rc = 1;
        else if (*stop)
            rc = 128 + *stop;
        else
            *sum += total;
    }
    int closed = csvw_close(&w);
    if (!rc && closed != 0) {
        say("writing %s: %s", out, strerror(w.err_no ? w.err_no : EIO));
        rc = 1;
    }
    return rc;
}

static int grade(const grade_opts_t *o, const lab_t *lab, volatile sig_atomic_t *stop)
{
    lg_book_t b = {.lab = lab, .key_path = o->key, .subs_path = o->subs, .stop = stop};
    char *part = text_printf("%s.part", o->out);
    int rc = !part ? 1 : lg_read(&b);
    if (!part)
        say("out of memory");
    double sum = 0;
    if (!rc)
        rc = grade_all(&b, part, o->out, stop, &sum);
    if (!rc && rename(part, o->out) != 0) {
        say("cannot rename %s to %s: %s", part, o->out, strerror(errno));
        rc = 1;
    }
    if (rc && part)
        unlink(part);
    char sig[32];
    if (rc > 128)
        say("lab grade interrupted by %s: no %s written", outdir_signame(rc - 128, sig,
            sizeof sig), o->out);
    if (!rc)
        fprintf(stderr, "graded %d students on %d questions: mean total %.3g of %d\n",
                b.nstudents, lab->nquestions, b.nstudents ? sum / b.nstudents : 0.0,
                lab->nquestions);
    free(part);
    lg_book_free(&b);
    return rc;
}

/* -o naming the key or the submissions (the same device and inode, by
 * whatever path) would replace that file with the marks: refused. */
static int output_is_input(const grade_opts_t *o)
{
    struct stat out, in;
    if (stat(o->out, &out) != 0)
        return 0;
    const char *inputs[] = {o->key, o->subs};
    for (int i = 0; i < 2; i++)
        if (stat(inputs[i], &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            char *shown = text_visible(o->out, strlen(o->out));
            say("lab grade: -o %s is the file of %s: the marks would replace it",
                shown ? shown : "MARKS.csv", i ? "--submissions" : "--key");
            free(shown);
            return 1;
        }
    return 0;
}

int lg_command(int argc, char **argv, volatile sig_atomic_t *stop)
{
    grade_opts_t o = {0};
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (output_is_input(&o))
        return PLOT_BAD_INPUT;
    lab_t lab;
    char err[LAB_ERR_MAX];
    if (lab_load(lab_root(), o.lab, &lab, err) != 0) {
        say("%s", err);
        return PLOT_BAD_INPUT;
    }
    rc = grade(&o, &lab, stop);
    lab_free(&lab);
    return rc;
}
