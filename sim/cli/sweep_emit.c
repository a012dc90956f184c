/* sweep_emit.c — a sweep's points as commands for GNU parallel or a Slurm
 * job array (sweep_points.h).
 *
 * Each command is the sweep's own command line with --point N: the
 * binary, the config and the folder by absolute path, every argument
 * single-quoted for sh, so that it runs the same from any directory of
 * any machine that sees the same files (a --set value naming a file is
 * passed as given).  Nothing is run here. */
#define _DEFAULT_SOURCE          /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "columns.h"
#include "out/csvw.h"
#include "out/outdir.h"
#include "cli/sweep_points.h"
#include "engine/util.h"

/* Slurm's default MaxArraySize is 1001: array indexes 0 to 1000. */
#define SLURM_MAX_TASKS 1000

char *sweep_point_path(const char *dir, long n, const char *suffix)
{
    return text_printf("%s/" POINTS_FOLDER "/%ld.csv%s", dir, n, suffix);
}

/* s single-quoted for sh ('\'' for a quote). */
static void put_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    fputc('\'', f);
}

/* An argument a line of commands cannot hold: one with a control
 * character (a line break would split the command). */
static int unfit(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

typedef struct emit {
    const sweep_opts_t *o;
    char *bin, *config, *dir;    /* absolute */
} emit_t;

/* Every argument of the point command but --point's value. */
static void put_command(FILE *f, const emit_t *e)
{
    const sweep_opts_t *o = e->o;
    put_quoted(f, e->bin);
    fputs(" sweep ", f);
    put_quoted(f, e->config);
    for (int i = 0; i < o->nsets; i++) {
        fputs(" --set ", f);
        put_quoted(f, o->sets[i]);
    }
    for (int a = 0; a < o->naxes; a++) {
        fputs(" --vary ", f);
        put_quoted(f, o->axes[a].arg);
    }
    if (o->seeds > 0)
        fprintf(f, " --seeds %d", o->seeds);
    if (o->check)
        fputs(" --check", f);
    fputs(" -o ", f);
    put_quoted(f, e->dir);
    fputs(" --point ", f);
}

static int write_jobs(FILE *f, const emit_t *e, long total)
{
    for (long n = 1; n <= total; n++) {
        put_command(f, e);
        fprintf(f, "%ld\n", n);
    }
    return 0;
}

/* A job array of at most SLURM_MAX_TASKS tasks, each running its share
 * of the points one after the other. */
static int write_slurm(FILE *f, const emit_t *e, long total)
{
    long per = (total + SLURM_MAX_TASKS - 1) / SLURM_MAX_TASKS;
    long tasks = (total + per - 1) / per;
    fprintf(f, "#!/bin/sh\n"
               "# gilsim sweep as a Slurm job array: submit with sbatch, then merge the\n"
               "# points with: gilsim sweep --collect DIR (the folder in -o below).\n"
               "# Task T runs points (T-1)*%ld+1 to T*%ld of %ld; each writes\n"
               "# DIR/" POINTS_FOLDER "/N.csv, and DIR/" POINTS_FOLDER "/" POINTS_INDEX
               " gives each point's values.\n"
               "#SBATCH --job-name=gilsim-sweep\n"
               "#SBATCH --array=1-%ld\n"
               "#SBATCH --ntasks=1\n"
               "#SBATCH --output=\"", per, per, total, tasks);
    for (const char *c = e->dir; *c; c++) {  /* sbatch reads "..."; %% is a plain % */
        if (*c == '%')
            fputc('%', f);
        fputc(*c, f);
    }
    fprintf(f, "/" POINTS_FOLDER "/slurm-%%A_%%a.out\"\n"
               "per=%ld\n"
               "total=%ld\n"
               "failed=0\n"
               "point=$(( (SLURM_ARRAY_TASK_ID - 1) * per + 1 ))\n"
               "last=$(( point + per - 1 ))\n"
               "[ \"$last\" -le \"$total\" ] || last=$total\n"
               "while [ \"$point\" -le \"$last\" ]; do\n    ", per, total);
    put_command(f, e);
    fputs("\"$point\" || failed=1\n"
          "    point=$(( point + 1 ))\n"
          "done\n"
          "exit $failed\n", f);
    return 0;
}

/* Writes path through write(); 0 or 1 (said). */
static int emit_file(const char *path, const emit_t *e, long total,
                     int (*write)(FILE *, const emit_t *, long))
{
    FILE *f = file_create_fresh(path);
    if (!f) {
        say("cannot write %s: %s", path, strerror(errno));
        return 1;
    }
    write(f, e, total);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        say("writing %s: %s", path, strerror(errno ? errno : EIO));
        return 1;
    }
    return 0;
}

/* DIR/points/index.csv: point, then each --vary key's value; earlier
 * points' files go, so that a collect never takes a stale one. */
static int write_index(const sweep_opts_t *o, long total, const char *dir)
{
    char *folder = path_join(dir, POINTS_FOLDER);
    char *part = folder ? text_printf("%s/" POINTS_INDEX ".part", folder) : NULL;
    char *final = folder ? path_join(folder, POINTS_INDEX) : NULL;
    csvw_t w;
    int rc = 1;
    if (!part || !final)
        say("sweep: out of memory");
    else if (make_dirs(folder) != 0 || csvw_open(&w, part) != 0)
        say("cannot write %s: %s", part, strerror(errno));
    else {
        const char *point = col_files[COL_INDEX_CSV].cols[COL_INDEX_POINT].name;
        csvw_raw(&w, point, strlen(point));
        for (int a = 0; a < o->naxes; a++)
            csvw_text(&w, o->axes[a].key);
        csvw_end(&w);
        for (long n = 1; n <= total; n++) {
            csvw_i64(&w, n);
            for (int a = 0; a < o->naxes; a++)
                csvw_text(&w, o->axes[a].values[sweep_axis_pick(o, n - 1, a)]);
            csvw_end(&w);
            char *old = sweep_point_path(dir, n, "");
            if (old)
                unlink(old);
            free(old);
        }
        if (csvw_close(&w) != 0 || rename(part, final) != 0)
            say("writing %s: %s", final, strerror(w.err_no ? w.err_no : errno));
        else
            rc = 0;
    }
    free(folder);
    free(part);
    free(final);
    return rc;
}

/* Absolute paths for e; 0 or an exit status (said). */
static int absolute(emit_t *e, const char *dir)
{
    const sweep_opts_t *o = e->o;
    e->bin = realpath("/proc/self/exe", NULL);
    if (!e->bin)
        e->bin = realpath(o->argv0, NULL);
    e->config = realpath(o->config, NULL);
    e->dir = realpath(dir, NULL);
    if (!e->bin || !e->config || !e->dir) {
        say("sweep: cannot tell the absolute path of %s: %s", !e->bin ? "gilsim itself"
            : !e->config ? o->config : dir, strerror(errno));
        return 1;
    }
    for (int i = 0; i < o->nsets; i++)
        if (unfit(o->sets[i]))
            return say("sweep: --set '%s' holds a control character: it cannot go in a "
                       "line of commands", o->sets[i]), 2;
    for (int a = 0; a < o->naxes; a++)
        if (unfit(o->axes[a].arg))
            return say("sweep: --vary '%s' holds a control character: it cannot go in a "
                       "line of commands", o->axes[a].arg), 2;
    if (unfit(e->bin) || unfit(e->config) || unfit(e->dir))
        return say("sweep: a path holds a control character: it cannot go in a line "
                   "of commands"), 2;
    if (o->emit_slurm && strchr(e->dir, '"'))
        return say("sweep: %s holds a double quote, which a #SBATCH line cannot", e->dir), 2;
    return 0;
}

int sweep_emit(const sweep_opts_t *o, long total, const char *dir)
{
    int fd, created;
    int rc = outdir_lock(dir, o->wait, o->quiet, o->stop, &fd, &created);
    if (rc != 0)
        return rc;
    emit_t e = {.o = o};
    rc = absolute(&e, dir);
    if (rc == 0 && o->emit_jobs)
        rc = emit_file(o->emit_jobs, &e, total, write_jobs);
    if (rc == 0 && o->emit_slurm)
        rc = emit_file(o->emit_slurm, &e, total, write_slurm);
    if (rc == 0)                 /* last: an emit that failed leaves the points as they were */
        rc = write_index(o, total, dir);
    if (rc == 0 && !o->quiet) {
        printf("gilsim sweep: %ld points", total);
        if (o->emit_jobs)
            printf(", one command a line in %s (run them with: parallel < %s)", o->emit_jobs,
                   o->emit_jobs);
        if (o->emit_slurm)
            printf(", a job array in %s (sbatch %s)", o->emit_slurm, o->emit_slurm);
        printf("\nthen: gilsim sweep --collect %s\n", dir);
    }
    free(e.bin);
    free(e.config);
    free(e.dir);
    outdir_release(dir, fd, 0);
    return rc;
}
