/* report.c — the summary `gilsim run` prints, in the course's words (the
 * glossary, `gilsim help glossary`): total time, each thread's share of
 * its group's work, each group's fairness (Jain index, CV), when it
 * finished and its blocking extra, GIL switches, core utilisation. */
#include <stdlib.h>
#include <string.h>
#include "gil/gil.h"
#include "out/report.h"
#include "engine/util.h"

#define REPORT_MAX_THREADS 32

void report_time(simtime_t ns, char *buf, int size)
{
    if (ns >= SEC(1))
        snprintf(buf, size, "%.3f s", (double)ns / 1e9);
    else if (ns >= MS(1))
        snprintf(buf, size, "%.3f ms", (double)ns / 1e6);
    else if (ns >= US(1))
        snprintf(buf, size, "%.1f us", (double)ns / 1e3);
    else
        snprintf(buf, size, "%lld ns", (long long)ns);
}

void report_bytes(int64_t bytes, char *buf, int size)
{
    if (bytes >= ((int64_t)1 << 30))
        snprintf(buf, size, "%.2f GiB", (double)bytes / (double)((int64_t)1 << 30));
    else if (bytes >= ((int64_t)1 << 20))
        snprintf(buf, size, "%.1f MiB", (double)bytes / (double)((int64_t)1 << 20));
    else if (bytes >= 1024)
        snprintf(buf, size, "%.1f KiB", (double)bytes / 1024);
    else
        snprintf(buf, size, "%lld bytes", (long long)bytes);
}

/* This process's peak resident memory in KiB (VmHWM, reset at exec, so a
 * parent's memory does not count), or -1 where /proc does not tell. */
long report_peak_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

/* The ending a count takes in English: none for exactly one. */
#define PLURAL(n, ending) ((n) == 1 ? "" : (ending))

static void print_header(FILE *f, const sim_t *s, const run_stats_t *st)
{
    char span[32], iv[32], wall[32], rss[32], name[NAME_SHOWN], ver[16];
    report_time(st->makespan, span, sizeof span);
    report_time(s->cfg->python.switch_interval, iv, sizeof iv);
    snprintf(wall, sizeof wall, "%.3f s", st->wall_s);
    fprintf(f, "gilsim: %s, seed %llu: %d core%s, %d process%s, %d thread%s, "
               "%s GIL, switch interval %s\n",
            text_shown(s->cfg->name, name, sizeof name), (unsigned long long)s->cfg->seed,
            s->os.ncores, PLURAL(s->os.ncores, "s"), s->nprocs, PLURAL(s->nprocs, "es"),
            s->nthreads, PLURAL(s->nthreads, "s"), gil_policy_lookup(s->cfg->python.gil)->name, iv);
    fprintf(f, "total time %s (%s)\n", span,
            s->deadlock ? "DEADLOCK: threads blocked for ever" :
            s->cut ? "stopped at duration" : "all threads finished");
    fprintf(f, "python     %s (%s)\n", cfg_version_text(s->cfg, ver, sizeof ver),
            s->cfg->python.version_implied[0] ? s->cfg->python.version_implied
                                              : "python.version");
    long kib = report_peak_rss_kib();
    report_bytes((int64_t)kib * 1024, rss, sizeof rss);
    fprintf(f, "events     %llu in %s of wall time (%.1f M/s), peak memory %s\n",
            (unsigned long long)st->events, wall,
            st->wall_s > 0 ? (double)st->events / st->wall_s / 1e6 : 0.0,
            kib >= 0 ? rss : "unknown");
}

static void print_threads(FILE *f, const sim_t *s, const run_stats_t *st)
{
    fprintf(f, "\n%-24s %-10s %8s %10s %12s %15s\n",
            "thread", "process", "share", "ops", "GIL takes", "forced switches");
    for (int i = 0; i < s->nthreads && i < REPORT_MAX_THREADS; i++) {
        const thread_t *t = s->threads[i];
        const group_stats_t *g = &st->groups[st->group_of[t->id]];
        char tn[NAME_SHOWN], pn[NAME_SHOWN], share[16] = "-";   /* alone: no share */
        if (g->n > 1)
            snprintf(share, sizeof share, "%.1f%%",
                     g->work_ns ? 100.0 * (double)thr_work(t) / (double)g->work_ns : 0);
        fprintf(f, "%-24s %-10s %8s %10llu %12llu %15llu\n",
                text_shown(t->name, tn, sizeof tn), text_shown(t->proc->name, pn, sizeof pn),
                share, (unsigned long long)t->ops_done,
                (unsigned long long)t->gthr.takes, (unsigned long long)t->gthr.forced_drops);
    }
    if (s->nthreads > REPORT_MAX_THREADS)
        fprintf(f, "... %d more threads in threads.csv\n", s->nthreads - REPORT_MAX_THREADS);
}

/* One group: its fairness (with two threads or more), when it finished,
 * and its blocking extra (when it had blocking ops). */
static void print_group(FILE *f, const sim_t *s, const group_stats_t *g)
{
    char pn[NAME_SHOWN], gn[NAME_SHOWN], t1[32], t2[32];
    fprintf(f, "  %s/%s: ", text_shown(g->proc->name, pn, sizeof pn),
            text_shown(g->label, gn, sizeof gn));
    if (g->n > 1)
        fprintf(f, "%d threads, Jain index %.3f, CV %.3f", g->n, g->jain, g->cv);
    else
        fprintf(f, "1 thread, no fairness to measure");
    if (g->finished >= 0) {
        report_time(g->finished, t1, sizeof t1);
        fprintf(f, "; finished at %s", t1);
    } else {
        fprintf(f, "; %s", s->deadlock ? "never finished" : "still running at the end");
    }
    const hist_t *h = &g->blocking_extra;
    if (h->count) {
        report_time(hist_percentile(h, 50, 100), t1, sizeof t1);
        report_time(hist_percentile(h, 99, 100), t2, sizeof t2);
        fprintf(f, "; blocking extra p50 %s, p99 %s (%llu blocking op%s)", t1, t2,
                (unsigned long long)h->count, PLURAL(h->count, "s"));
    }
    fputc('\n', f);
}

static void print_groups(FILE *f, const sim_t *s, const run_stats_t *st)
{
    fprintf(f, "\nthread groups (fairness of the shares of work: Jain index 1 and CV 0 = equal)\n");
    for (int i = 0; i < st->ngroups; i++) {
        if (i == REPORT_MAX_THREADS) {
            fprintf(f, "  ... %d more groups: their fairness and finish in summary.csv, "
                       "their threads in threads.csv\n", st->ngroups - i);
            break;
        }
        print_group(f, s, &st->groups[i]);
    }
}

static void print_gil_and_cores(FILE *f, const sim_t *s, const run_stats_t *st)
{
    fprintf(f, "\nGIL        %llu switches, %llu drop requests, %llu forced switches",
            (unsigned long long)st->gil_switches, (unsigned long long)st->gil_drop_requests,
            (unsigned long long)st->gil_forced_drops);
    if (st->gil_failed_wakeups)
        fprintf(f, ", %llu failed wake-ups", (unsigned long long)st->gil_failed_wakeups);
    if (st->stw_pauses)
        fprintf(f, ", %llu stop-the-world pauses", (unsigned long long)st->stw_pauses);
    fprintf(f, "\n");
    fprintf(f, "cores      mean utilisation %.1f%%:", 100 * st->core_util_mean);
    for (int c = 0; c < s->os.ncores && c < 64; c++)
        fprintf(f, " %.0f%%", 100 * st->core_util[c]);
    fprintf(f, "\n");
    char mem[32];
    report_bytes(s->mem_peak, mem, sizeof mem);
    if (s->peak_tasks || s->nprocs > 1 || s->nthreads > 1)
        fprintf(f, "memory     peak estimate %s (%lld thread%s, %lld task%s, %lld process%s "
                   "at most)\n", mem, (long long)s->peak_threads, PLURAL(s->peak_threads, "s"),
                (long long)s->peak_tasks, PLURAL(s->peak_tasks, "s"), (long long)s->peak_procs,
                PLURAL(s->peak_procs, "es"));
}

/* Each shared variable updated: the updates, the final value, the lost
 * updates (the race the course shows: a switch between load and store). */
static void print_shared(FILE *f, const sim_t *s)
{
    char pn[NAME_SHOWN], vn[NAME_SHOWN];
    int shown = 0;
    for (int p = 0; p < s->nprocs; p++)
        for (int i = 0; i < s->procs[p]->nobjects; i++) {
            const shared_t *v = &s->procs[p]->objects[i].shared;
            if (s->procs[p]->objects[i].kind != OBJ_SHARED || !v->updates)
                continue;
            if (shown++ == REPORT_MAX_THREADS) {
                fprintf(f, "shared     ... more variables: lost updates in summary.csv\n");
                return;
            }
            fprintf(f, "shared     %s/%s: %lld update%s, final value %lld",
                    text_shown(s->procs[p]->name, pn, sizeof pn),
                    text_shown(s->cfg->objects[i].name, vn, sizeof vn), (long long)v->updates,
                    PLURAL(v->updates, "s"), (long long)v->value);
            if (v->lost)
                fprintf(f, ": %lld lost update%s (another thread stored between an update's load "
                           "and its store)", (long long)v->lost, PLURAL(v->lost, "s"));
            else
                fprintf(f, ", no lost updates");
            fputc('\n', f);
        }
}

void report_keep(report_log_t *l, simtime_t t, const char *thread, const char *task,
                 const char *kind, const char *text)
{
    if (l->n == REPORT_MAX_LINES) {
        l->more++;
        return;
    }
    report_line_t *r = &l->lines[l->n++];
    r->t = t;
    char who[2 * NAME_SHOWN + 2];
    snprintf(who, sizeof who, "%s%s%s", thread, task ? "/" : "", task ? task : "");
    text_shown(who, r->who, sizeof r->who);
    text_shown(kind, r->kind, sizeof r->kind);
    text_shown(text ? text : "", r->text, sizeof r->text);
}

static void print_log(FILE *f, const report_log_t *l)
{
    if (!l || !l->n)
        return;
    fprintf(f, "\nprogram output (log.csv)\n");
    for (int i = 0; i < l->n; i++) {
        char t[32];
        report_time(l->lines[i].t, t, sizeof t);
        fprintf(f, "  %12s  %-22s %-13s %s\n", t, l->lines[i].who, l->lines[i].kind,
                l->lines[i].text);
    }
    if (l->more)
        fprintf(f, "  ... %lld more lines in log.csv\n", l->more);
}

void report_print(FILE *f, const sim_t *s, const run_stats_t *st, const report_log_t *log,
                  const char *files)
{
    print_header(f, s, st);
    print_log(f, log);
    print_threads(f, s, st);
    print_groups(f, s, st);
    print_gil_and_cores(f, s, st);
    print_shared(f, s);
    char *shown = files ? text_visible(files, strlen(files)) : NULL;
    if (files)
        fprintf(f, "\nfiles      %s\n", shown ? shown : files);
    free(shown);
}
