/* lab_make.c — `gilsim lab make LAB --roster FILE -o DIR [--jobs N]`.
 *
 * The path of one make: the lab and the roster are read and checked; the
 * students are handed to N worker processes (jobs.h); for each student a
 * worker draws the variant, runs it into DIR/.work/ID (lab_run.h), writes
 * DIR/ID/configs/, DIR/ID/handout.md and the student's key rows
 * (DIR/.work/key/ID.csv), and adds the figures to its gnuplot driver
 * (lab_figs.h), drawn once it takes no more students.  The parent then
 * writes DIR/key.csv from the key rows in roster order: every file is
 * written from one student's variant alone, so DIR is the same byte for
 * byte whatever N.  A signal stops the workers at their next event;
 * key.csv is then not written (nor left from an earlier make).
 *
 * A make replaces DIR/ID for every student id, so it only writes into a
 * folder that is new, empty, or marked (DIR/.gilsim-lab) by an earlier
 * make: a folder of notes, or the source tree, may hold a folder named
 * like a student. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "columns.h"
#include "engine/util.h"
#include "cli/jobs.h"
#include "lab/lab_cmd.h"
#include "lab/lab_figs.h"
#include "lab/lab_handout.h"
#include "lab/roster.h"
#include "out/csvw.h"
#include "runner.h"

typedef struct make {
    const lab_t *lab;
    const roster_t *roster;
    const char *out;
    char *work;                  /* DIR/.work */
    const char *plots_dir;
    volatile sig_atomic_t *stop;
    lab_figs_t figs;             /* this worker's driver, once it has a figure */
    char **drawn;                /* run folders kept until the figures are drawn */
    int ndrawn;
    int tty;
} make_t;

static int failed(const char *id, const char *err, int rc)
{
    say("student %s: %s", id, err);
    return rc ? rc : 1;
}

/* The key rows of one student, and the answers joined (the tuple). */
static int write_key(const make_t *m, const char *id, const lab_work_t *work,
                     const lab_answer_t *a, char err[])
{
    uint64_t configs;
    char hash[17];
    if (lab_config_hash(work, &configs, err) != 0)
        return 1;
    snprintf(hash, sizeof hash, "%016" PRIx64, configs);
    char *path = text_printf("%s/key/%s.csv", m->work, id);
    char *tpath = text_printf("%s/key/%s.tuple", m->work, id);
    csvw_t w;
    FILE *t = tpath ? file_create_fresh(tpath) : NULL;
    int rc = path && t && csvw_open(&w, path) == 0 ? 0 : 1;
    for (int i = 0; rc == 0 && i < m->lab->nquestions; i++) {
        const lab_question_t *q = &m->lab->questions[i];
        char tol[32];
        lab_tolerance_text(q, tol, sizeof tol);
        const char *f[] = {id, m->lab->id, q->id, a[i].text, q->unit, tol, run_version(), hash};
        _Static_assert(sizeof f / sizeof f[0] == COL_KEY__COUNT, "a field per key.csv column");
        for (int k = 0; k < COL_KEY__COUNT; k++)
            csvw_text(&w, f[k]);
        csvw_end(&w);
        fprintf(t, "%s\x1f", a[i].text);
    }
    if (rc == 0 && csvw_close(&w) != 0)
        rc = 1;
    if (t && fclose(t) != 0)
        rc = 1;
    if (rc)
        snprintf(err, LAB_ERR_MAX, "%s: cannot write: %s", path ? path : id, strerror(errno));
    free(path);
    free(tpath);
    return rc;
}

static int add_figures(make_t *m, const char *sdir, lab_work_t *w, char err[LAB_ERR_MAX])
{
    if (!m->figs.f) {
        char *driver = text_printf("%s/figures-%ld.gp", m->work, (long)getpid());
        int rc = driver ? lab_figs_open(&m->figs, driver, m->plots_dir, err) : 1;
        free(driver);
        if (rc)
            return rc;
    }
    for (int i = 0; i < m->lab->nfigures; i++) {
        const lab_figure_t *f = &m->lab->figures[i];
        char *out = text_printf("%s/figures/%s_%s.png", sdir, m->lab->run_names[f->run],
                                f->figure);
        int rc = out ? lab_figs_add(&m->figs, w->run_dirs[f->run], f->figure, out, err) : 1;
        free(out);
        if (rc)
            return rc;
    }
    char **d = realloc(m->drawn, sizeof *d * (size_t)(m->ndrawn + 1));
    if (d)
        m->drawn = d;
    if (!d || !(m->drawn[m->ndrawn] = strdup(w->dir)))
        return 1;
    m->ndrawn++;
    return 0;
}

static int student_files(make_t *m, const char *id, const char *sdir, lab_work_t *w,
                         const lab_answer_t *answers, char err[LAB_ERR_MAX])
{
    char *handout = lab_handout(m->lab, w->v, NULL, 1, err);
    char *path = path_join(sdir, "handout.md");
    int rc = handout && path ? lab_write_file(path, "", handout, err) : 1;
    free(handout);
    free(path);
    if (rc == 0)
        rc = lab_design_starts(m->lab, w->configs, err);
    if (rc == 0)
        rc = write_key(m, id, w, answers, err);
    if (rc == 0 && m->lab->nfigures)
        rc = add_figures(m, sdir, w, err);
    else if (rc == 0)
        lab_remove_tree(w->dir);
    return rc;
}

static int make_student(int i, void *ctx)
{
    make_t *m = ctx;
    const char *id = m->roster->ids[i];
    char err[LAB_ERR_MAX] = "out of memory";
    lab_variant_t v = {0};
    lab_answer_t *answers = calloc((size_t)m->lab->nquestions + 1, sizeof *answers);
    char *sdir = path_join(m->out, id), *wdir = path_join(m->work, id);
    char *configs = sdir ? path_join(sdir, "configs") : NULL;
    char *figs = sdir ? path_join(sdir, "figures") : NULL;
    lab_work_t w = {.lab = m->lab, .v = &v, .dir = wdir, .configs = configs, .stop = m->stop};
    int rc = answers && configs && figs && wdir ? 0 : 1;
    if (rc == 0 && (lab_remove_tree(sdir) != 0 || lab_remove_tree(wdir) != 0 ||
                    make_dirs(configs) != 0 || (m->lab->nfigures && make_dirs(figs) != 0))) {
        snprintf(err, LAB_ERR_MAX, "%s: cannot make the folder: %s", sdir, strerror(errno));
        rc = 1;
    }
    if (rc == 0)
        rc = lab_draw(m->lab, id, &v, err) ? 2 : 0;
    if (rc == 0)
        rc = lab_run_all(&w, err);
    if (rc == 0)
        rc = lab_answer_all(&w, answers, err);
    if (rc == 0)
        rc = student_files(m, id, sdir, &w, answers, err);
    lab_work_free(&w);
    lab_variant_free(&v);
    free(answers);
    free(sdir);
    free(wdir);
    free(configs);
    free(figs);
    return rc && !(m->stop && *m->stop > 0) ? failed(id, err, rc) : rc;
}

/* A worker's last step: its figures, then the run folders they came from. */
static int finish(void *ctx)
{
    make_t *m = ctx;
    char err[LAB_ERR_MAX];
    int rc = m->figs.f ? lab_figs_draw(&m->figs, m->stop, err) : 0;
    if (rc && !(m->stop && *m->stop > 0))
        say("%s", err);
    lab_figs_close(&m->figs);
    for (int i = 0; i < m->ndrawn; i++) {
        lab_remove_tree(m->drawn[i]);
        free(m->drawn[i]);
    }
    free(m->drawn);
    return rc;
}

static void progress(int done, int total, void *ctx)
{
    const make_t *m = ctx;
    if (m->tty)
        fprintf(stderr, "\rstudent %d/%d", done, total);
    if (m->tty && done == total)
        fputc('\n', stderr);
}

/* Appends the bytes of path to f; 0, or -1. */
static int append(FILE *f, const char *path)
{
    FILE *in = fopen(path, "rb");
    char buf[1 << 14];
    size_t n;
    int rc = in ? 0 : -1;
    while (in && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, f) != n)
            rc = -1;
    if (in && (ferror(in) || fclose(in) != 0))
        rc = -1;
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The students whose answers (the tuple of them all) differ: how many
 * different tuples there are, out of how many students. */
static int distinct(const make_t *m, int *count)
{
    char err[LAB_ERR_MAX], **t = calloc((size_t)m->roster->n, sizeof *t);
    int rc = t ? 0 : -1;
    for (int i = 0; rc == 0 && i < m->roster->n; i++) {
        char *p = text_printf("%s/key/%s.tuple", m->work, m->roster->ids[i]);
        if (!p || !(t[i] = lab_file_text(p, err)))
            rc = -1;
        free(p);
    }
    if (rc == 0) {
        qsort(t, (size_t)m->roster->n, sizeof *t, cmp_str);
        *count = m->roster->n > 0;
        for (int i = 1; i < m->roster->n; i++)
            *count += strcmp(t[i], t[i - 1]) != 0;
    }
    for (int i = 0; t && i < m->roster->n; i++)
        free(t[i]);
    free(t);
    return rc;
}

/* DIR/key.csv: the header (columns.def), then each student's rows. */
static int write_keys(const make_t *m)
{
    char *path = path_join(m->out, "key.csv"), *part = text_printf("%s/key.csv.part", m->work);
    FILE *f = path && part ? file_create_fresh(part) : NULL;
    const col_file_t *cf = &col_files[COL_KEY_CSV];
    int rc = f ? 0 : -1;
    for (int c = 0; f && c < cf->ncols; c++)
        fprintf(f, "%s%s", cf->cols[c].name, c + 1 < cf->ncols ? "," : "\n");
    for (int i = 0; rc == 0 && i < m->roster->n; i++) {
        char *p = text_printf("%s/key/%s.csv", m->work, m->roster->ids[i]);
        rc = p ? append(f, p) : -1;
        free(p);
    }
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc == 0 && rename(part, path) != 0)
        rc = -1;
    if (rc)
        say("%s: cannot write: %s", path ? path : "key.csv", strerror(errno));
    free(path);
    free(part);
    return rc ? 1 : 0;
}

static int report(const make_t *m)
{
    int count = 0;
    if (distinct(m, &count) != 0) {
        say("reading the answers back failed");
        return 1;
    }
    double pct = 100.0 * count / m->roster->n;
    fflush(stdout);
    printf("lab %s: %d students in %s, key in %s/key.csv; distinct answers: %.1f%% "
           "(%d of %d)\n", m->lab->id, m->roster->n, m->out, m->out, pct, count, m->roster->n);
    fflush(stdout);
    if (count * 100 < 95 * m->roster->n)
        say("warning: only %.1f%% of the students have answers of their own (under 95%%): "
            "widen the parameters' ranges", pct);
    return 0;
}

#define MARKER ".gilsim-lab"

/* 0 when out may be written (see the top), else 2 with why said. */
static int out_refused(const char *out)
{
    DIR *d = opendir(out);
    if (!d && errno == ENOENT)
        return 0;
    if (!d) {
        say("%s: cannot read the folder: %s", out, strerror(errno));
        return 2;
    }
    int marked = 0, others = 0;
    for (const struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, MARKER))
            marked = 1;
        else if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            others = 1;
    }
    closedir(d);
    if (others && !marked) {
        say("%s: not empty and not made by gilsim lab make, whose student folders would "
            "replace any of the same name: choose an empty or new folder", out);
        return 2;
    }
    return 0;
}

/* DIR/.gilsim-lab, which lets a later make write into DIR again. */
static int mark(const char *out, const char *lab_id)
{
    char *path = path_join(out, MARKER);
    FILE *f = path ? file_create_fresh(path) : NULL;
    int rc = f ? 0 : -1;
    if (f)
        fprintf(f, "gilsim lab make %s wrote this folder; a later make replaces its "
                "student folders\n", lab_id);
    if (f && fclose(f) != 0)
        rc = -1;
    free(path);
    return rc;
}

int lab_make(const lab_t *lab, const char *roster_path, const char *out, int jobs,
             const char *plots_dir, volatile sig_atomic_t *stop)
{
    roster_t roster;
    char err[LAB_ERR_MAX];
    if (out_refused(out))
        return 2;
    if (roster_read(roster_path, &roster, err) != 0) {
        say("%s", err);
        return 2;
    }
    for (int i = 0; i < roster.n; i++)
        if (!strcmp(roster.ids[i], "key.csv")) {
            say("%s:%d: student id 'key.csv' is the name of the key in the output folder",
                roster_path, i + 2);
            roster_free(&roster);
            return 2;
        }
    make_t m = {.lab = lab, .roster = &roster, .out = out, .plots_dir = plots_dir,
                .stop = stop, .tty = isatty(2)};
    char *key = path_join(out, "key.csv"), *keys = NULL;
    int rc = key && (m.work = path_join(out, ".work")) &&
             (keys = path_join(m.work, "key")) ? 0 : 1;
    if (rc == 0 && (make_dirs(out) != 0 || mark(out, lab->id) != 0 ||
                    (unlink(key) != 0 && errno != ENOENT) ||
                    lab_remove_tree(m.work) != 0 || make_dirs(keys) != 0)) {
        say("%s: cannot make the folder: %s", out, strerror(errno));
        rc = 1;
    }
    jobs_t j = {.nitems = roster.n, .nworkers = jobs, .work = make_student, .finish = finish,
                .progress = progress, .ctx = &m, .stop = stop};
    if (rc == 0 && (rc = jobs_run(&j)) > 128)
        say("lab make interrupted: no key.csv written");
    if (rc == 0)
        rc = write_keys(&m);
    if (rc == 0)
        rc = report(&m);
    if (m.work)
        lab_remove_tree(m.work);
    free(key);
    free(keys);
    free(m.work);
    roster_free(&roster);
    return rc;
}
