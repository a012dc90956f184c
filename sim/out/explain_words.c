/* explain_words.c — the words of `gilsim explain`: each fact as a
 * sentence in the course notes' terms (the GIL, the switch interval, the
 * drop request, a forced switch, a race, the event loop), a thread's
 * closing paragraph with the cause of its longest wait, and the run's
 * first line.  explain.c decides which lines are told and prints them. */
#include <stdlib.h>
#include <string.h>
#include "caps.h"
#include "columns.h"
#include "events.h"
#include "out/explain_words.h"
#include "out/report.h"
#include "engine/util.h"

#define TEXT_BUF 1024            /* a quoted text (a deadlock row's), cut to fit */

static const char *const state_names[TS__COUNT] = {
#define EV_STATE(id, name, meaning, detail) [id] = name,
#include "events.def"
};

/* What a gil_drop's reason (events.def) says in a sentence. */
static const char *const drop_phrases[DROP__COUNT] = {
    [DROP_FORCED] = "at its next check point (forced switch)",
    [DROP_IO] = "for blocking I/O",
    [DROP_SLEEP] = "to sleep (time.sleep)",
    [DROP_NATIVE] = "to run C code (native)",
    [DROP_EXIT] = "as its program ends",
    [DROP_WAIT] = "and blocks",
    [DROP_SELECT] = "as its event loop waits in select",
    [DROP_CHECK] = "at a check (old GIL)",
};

/* What a state's detail says (the details are words of the model's
 * code, listed in events.def's prose; one not listed here is quoted). */
typedef struct phrase {
    int state;
    const char *detail, *says;
} phrase_t;

static const phrase_t phrases[] = {
    {TS_BLOCKED, "sleep", "in time.sleep"},
    {TS_BLOCKED, "io", "in blocking I/O"},
    {TS_BLOCKED, "select", "in select, with no task ready"},
    {TS_SYNC_WAIT, "lock", "waiting for a lock"},
    {TS_SYNC_WAIT, "event", "waiting for an event"},
    {TS_SYNC_WAIT, "queue_get", "waiting for an item from a queue"},
    {TS_SYNC_WAIT, "queue_put", "waiting for room in a queue"},
    {TS_SYNC_WAIT, "send", "in send, waiting for room in a full socketpair or pipe"},
    {TS_SYNC_WAIT, "join", "in join, waiting for a thread or process to end"},
    {TS_SYNC_WAIT, "start", "waiting for a new thread to start"},
    {TS_SYNC_WAIT, "result", "waiting for a future's result"},
    {TS_SYNC_WAIT, "as_completed", "in as_completed, waiting for a future"},
    {TS_SYNC_WAIT, "pool_get", "waiting for work (an idle pool worker)"},
    {TS_SYNC_WAIT, "shutdown", "waiting for the pool's workers to end (shutdown)"},
    {TS_SYNC_WAIT, "threading_shutdown",
     "at interpreter exit, waiting for the non-daemon threads to end (threading._shutdown)"},
    {TS_DONE, "exception", " (ended by an exception)"},
    {TS_DONE, "crashed", " (its process crashed)"},
    {TS_DONE, "daemon", " (a daemon thread, ended with its process)"},
    {TS_DONE, "finalizing", " (a daemon thread, exited in take_gil as its process finalized)"},
    {TS_DONE, "", ""},
    {-1, "sleep", "asyncio.sleep"},          /* task_wait */
    {-1, "io", "I/O"},
    {-1, "gather", "gather"},
    {-1, "to_thread", "asyncio.to_thread"},
};

/* A state's detail in words, into buf. */
static const char *says(int state, const char *detail, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
        if (phrases[i].state == state && !strcmp(phrases[i].detail, detail))
            return phrases[i].says;
    char d[64];
    text_shown(detail, d, sizeof d);
    if (state == TS_DONE)
        snprintf(buf, size, " (%s)", d);
    else if (state < 0)
        snprintf(buf, size, "%s", d);
    else
        snprintf(buf, size, "in %s%s%s", state_names[state], *d ? " " : "", d);
    return buf;
}

/* Thread i as a sentence names it ("?" for none). */
const char *xw_who(const xwords_t *n, int i, char *buf)
{
    char p[NAME_SHOWN], t[NAME_SHOWN];
    if (i < 0)
        return "?";
    const xthread_t *th = &n->r->th[i];
    snprintf(buf, XW_NAME, "%s%s%s", n->multi ? text_shown(th->process, p, sizeof p) : "",
             n->multi ? "/" : "", text_shown(th->name, t, sizeof t));
    return buf;
}

static const char *task_name(const xwords_t *n, int k, char *buf)
{
    return k < 0 ? "?" : text_shown(n->r->tasks[k].name, buf, NAME_SHOWN);
}

const char *xw_time(simtime_t ns, char *buf)
{
    report_time(ns, buf, 32);
    return buf;
}

/* "a", "a and b", "a, b and c", "a, b, c and 2 more" into buf. */
static const char *listed(const xwords_t *n, const int *ids, int shown, int total, int tasks,
                          char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < shown && len < size; k++) {
        char name[XW_NAME];
        const char *sep = k == 0 ? "" : (k == total - 1) ? " and " : ", ";
        len += (size_t)snprintf(buf + len, size - len, "%s%s", sep,
                                tasks ? task_name(n, ids[k], name) : xw_who(n, ids[k], name));
    }
    if (total > shown && len < size)
        snprintf(buf + len, size - len, " and %d more", total - shown);
    return buf;
}

/* ---- one line per fact ----------------------------------------------- */

/* "b was" or "b, c and d were": those still waking up when f's thread
 * took the GIL. */
static const char *losers_were(const xwords_t *n, const xfact_t *f, char *buf, size_t size)
{
    listed(n, f->losers, f->nlosers < XF_LOSERS ? f->nlosers : XF_LOSERS, f->nlosers, 0, buf,
           size);
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, f->nlosers > 1 ? " were" : " was");
    return buf;
}

static char *take_sentence(const xwords_t *n, const xfact_t *f, const char *x)
{
    char w[32], losers[3 * XW_NAME + 64];
    if (!f->nlosers && f->asked)
        return text_printf("%s takes the GIL after waiting %s", x, xw_time(f->waited, w));
    if (!f->nlosers)
        return text_printf("%s takes the GIL%s", x, f->same ? " back" : "");
    return text_printf("%s takes the GIL first: %s, %s still waking up", x,
                       f->asked ? "it was already awake" : "it was already running",
                       losers_were(n, f, losers, sizeof losers));
}

static char *drop_sentence(const xwords_t *n, const xfact_t *f, const char *x)
{
    char buf[128], losers[3 * XW_NAME + 64];
    const char *why = f->reason >= 0 && drop_phrases[f->reason] ? drop_phrases[f->reason] : "";
    if (f->reason == DROP_EXIT && f->state == TS_DONE)
        return text_printf("%s finishes and drops the GIL%s", x,
                           says(TS_DONE, f->detail, buf, sizeof buf));
    if (f->reason == DROP_WAIT && f->state >= 0)
        return text_printf("%s drops the GIL and blocks %s", x,
                           says(f->state, f->detail, buf, sizeof buf));
    if (!f->retake)
        return text_printf("%s drops the GIL %s", x, why);
    if (!f->nlosers)
        return text_printf("%s drops the GIL %s and takes it straight back", x, why);
    return text_printf("%s drops the GIL %s and takes it straight back: %s still waking up", x,
                       why, losers_were(n, f, losers, sizeof losers));
}

static char *request_sentence(const xwords_t *n, const xfact_t *f, const char *x, const char *h)
{
    char iv[32];
    if (!n->r->run.one_gil_per_process)       /* each interpreter has its own interval */
        return text_printf("%s waited a whole switch interval with no switch: sets the drop "
                           "request for %s", x, h);
    if (f->waited < n->r->run.interval)
        return text_printf("%s sets the drop request for %s at once: it is back from blocking "
                           "and %s is CPU-bound (io-priority)", x, h, h);
    return text_printf("%s waited a whole switch interval (%s) with no switch: sets the drop "
                       "request for %s", x, xw_time(n->r->run.interval, iv), h);
}

/* A task blocking its loop: the part before "for 1.000 s" into *text,
 * and after it the return value. */
static char *block_sentence(const xwords_t *n, const xfact_t *f, char **text)
{
    char k[NAME_SHOWN], buf[128], others[3 * NAME_SHOWN + 64];
    int ids[3], total = xr_ready_tasks(n->r, f->who, ids, 3);
    listed(n, ids, total < 3 ? total : 3, total, 1, others, sizeof others);
    *text = text_printf("task %s blocks the event loop ", task_name(n, f->task, k));
    return text_printf(" %s%s%s%s", says(f->state, f->detail, buf, sizeof buf),
                       total ? "; " : "", others, total == 0 ? "" : total > 1 ? " wait" : " waits");
}

static char *task_sentence(const xwords_t *n, const xfact_t *f)
{
    char k[NAME_SHOWN], buf[128];
    const char *name = task_name(n, f->task, k);
    switch (f->event) {
    case ME_TASK_CREATE: return text_printf("task %s is created", name);
    case ME_TASK_RUN: return text_printf("the event loop runs task %s", name);
    case ME_TASK_DONE: return text_printf("task %s ends", name);
    default:
        return text_printf("task %s awaits %s: the event loop moves on", name,
                           says(-1, f->detail, buf, sizeof buf));
    }
}

char *xw_sentence(const xwords_t *n, const xfact_t *f, char **post)
{
    char x[XW_NAME], o[XW_NAME], p[NAME_SHOWN], buf[TEXT_BUF];
    const char *ox = xw_who(n, f->other, o);
    xw_who(n, f->who, x);
    switch (f->kind) {
    case XF_START: return text_printf("%s starts", x);
    case XF_PREEMPTED:
        return text_printf("%s is preempted: its time slice is over and another thread gets "
                           "its core", x);
    case XF_WANTS:
        return f->other >= 0 ? text_printf("%s wants the GIL; %s holds it", x, ox)
                             : text_printf("%s wants the GIL, which is held", x);
    case XF_DROP_REQUEST: return request_sentence(n, f, x, ox);
    case XF_DROP: return drop_sentence(n, f, x);
    case XF_TAKE: return take_sentence(n, f, x);
    case XF_LOST:
        return text_printf("%s wakes up to find the GIL taken by %s: it lost the race and "
                           "waits again", x, ox);
    case XF_FAILED_WAKEUP:
        return f->other >= 0
            ? text_printf("%s wakes up to find the GIL taken again by %s (a failed wake-up): it "
                          "lost the race", x, ox)
            : text_printf("%s wakes up to find the GIL taken again (a failed wake-up)", x);
    case XF_BLOCKS:
        return text_printf("%s blocks %s", x, says(f->state, f->detail, buf, sizeof buf));
    case XF_DONE:
        return text_printf("%s finishes%s", x, says(TS_DONE, f->detail, buf, sizeof buf));
    case XF_TASK_BLOCKS: {
        char *text = NULL;
        *post = block_sentence(n, f, &text);
        return text;
    }
    case XF_TASK: return task_sentence(n, f);
    case XF_STW:
        return text_printf("a stop-the-world pause halts the threads of %s",
                           text_shown(n->r->th[f->who].process, p, sizeof p));
    case XF_HANG:
        return text_printf("the program hangs: %s waits for %s", x,
                           text_shown(f->detail, buf, sizeof buf));
    default: return text_printf("%s", x);
    }
}

/* What made wait w last, e.g. "spin held the GIL when it asked; after a
 * whole switch interval it set the drop request for spin; spin dropped
 * it at its next check point (forced switch)": its parts, each there only
 * when the trace told it. */
static char *cause(const xwords_t *n, const xwait_t *w)
{
    char a[XW_NAME], b[XW_NAME], c[XW_NAME], d[XW_NAME];
    const char *why = w->reason >= 0 && drop_phrases[w->reason] ? drop_phrases[w->reason] : "";
    char *part[4] = {
        w->holder >= 0 ? text_printf("%s held the GIL when it asked", xw_who(n, w->holder, a))
                       : strdup(""),
        w->requests == 1
            ? text_printf("after a whole switch interval it set the drop request for %s",
                          xw_who(n, w->req_holder, b))
        : w->requests > 1
            ? text_printf("it set the drop request %ld times, after a whole switch interval "
                          "each, the last for %s", w->requests, xw_who(n, w->req_holder, b))
            : strdup(""),
        w->races ? text_printf("it lost %ld race%s for it, the last to %s", w->races,
                               w->races > 1 ? "s" : "", xw_who(n, w->last_winner, c))
                 : strdup(""),
        w->open == WAIT_RUN_ENDED ? strdup("it was still waiting when the run ended")
        : w->open == WAIT_THREAD_ENDED ? strdup("it ended still waiting")
        : w->dropper >= 0 ? text_printf("%s dropped it %s", xw_who(n, w->dropper, d), why)
        : !n->r->run.one_gil_per_process
            ? strdup("who dropped it is not told (a GIL per interpreter)")
            : strdup(""),
    };
    size_t len = 1;
    for (int k = 0; k < 4; k++)
        len = part[k] ? len + strlen(part[k]) + 2 : 0;
    char *all = len ? malloc(len) : NULL;
    if (all) {
        all[0] = '\0';
        for (int k = 0; k < 4; k++)
            if (*part[k])
                strcat(strcat(all, *all ? "; " : ""), part[k]);
    }
    for (int k = 0; k < 4; k++)
        free(part[k]);
    return all;
}

static char *loop_story(const xwords_t *n, const xthread_t *th)
{
    char k[NAME_SHOWN], buf[128], a[32], b[32], c[32];
    const xblock_t *lb = &th->longest_block;
    if (!th->ntasks)
        return strdup("");
    if (!th->blocks)
        return text_printf(" Its event loop ran %d task%s, and none blocked it.", th->ntasks,
                           th->ntasks > 1 ? "s" : "");
    return text_printf(" Its event loop ran %d task%s; they blocked it %ld time%s, %s in all, "
                       "the longest for %s from %s: task %s %s.", th->ntasks,
                       th->ntasks > 1 ? "s" : "", th->blocks, th->blocks > 1 ? "s" : "",
                       xw_time(th->blocked, a), xw_time(lb->len, b), xw_time(lb->at, c),
                       task_name(n, lb->task, k), says(lb->state, lb->detail, buf, sizeof buf));
}

char *xw_paragraph(const xwords_t *n, int i)
{
    const xthread_t *th = &n->r->th[i];
    char x[XW_NAME], t[32], l[32], f[32], races[32] = "no", p[NAME_SHOWN];
    if (th->races)
        snprintf(races, sizeof races, "%ld", th->races);
    const char *col = col_files[COL_THREADS_CSV].cols[COL_THREADS_TS_GIL_WAIT_NS].name;
    char *lost = !n->r->run.one_gil_per_process
        ? strdup("races for it are not told (a GIL per interpreter)")
        : text_printf("lost %s race%s for it", races, th->races == 1 ? "" : "s");
    char *waits = !lost ? NULL : n->r->run.no_gil
        ? text_printf("%s ran with no GIL (GIL policy %s).", xw_who(n, i, x),
                      text_shown(n->r->run.policy, p, sizeof p))
        : th->waits || th->state_ns[TS_GIL_WAIT]
        ? text_printf("%s waited for the GIL %s in all (%s in threads.csv), in %ld wait%s, and "
                      "%s.", xw_who(n, i, x), xw_time(th->state_ns[TS_GIL_WAIT], t), col,
                      th->waits, th->waits == 1 ? "" : "s", lost)
        : text_printf("%s never waited for the GIL.", xw_who(n, i, x));
    char *why = th->longest.len >= 0 ? cause(n, &th->longest) : strdup("");
    char *longest = !why ? NULL : th->longest.len >= 0
        ? text_printf(" Its longest wait lasted %s from %s%s%s.", xw_time(th->longest.len, l),
                      xw_time(th->longest.from, f), *why ? ": " : "", why)
        : strdup("");
    char *loop = loop_story(n, th);
    char *same = th->rows > 1 ? text_printf(" (%d threads have this name; the trace cannot tell "
                                            "them apart, so their facts are merged.)", th->rows)
                              : strdup("");
    char *all = waits && longest && loop && same
        ? text_printf("%s%s%s%s", waits, longest, loop, same) : NULL;
    free(lost);
    free(waits);
    free(why);
    free(longest);
    free(loop);
    free(same);
    return all;
}

/* ---- the run ------------------------------------------------------- */

char *xw_header(const xwords_t *n)
{
    const xrun_t *run = &n->r->run;
    char c[NAME_SHOWN], p[NAME_SHOWN], e[NAME_SHOWN], iv[32], end[32];
    return text_printf("%s: %lld thread%s in %lld process%s, %lld core%s, GIL policy %s, "
                       "switch interval %s; the run ended at %s (%s: %s).",
                       text_shown(run->config, c, sizeof c), run->threads,
                       run->threads == 1 ? "" : "s", run->processes,
                       run->processes == 1 ? "" : "es", run->cores, run->cores == 1 ? "" : "s",
                       text_shown(run->policy, p, sizeof p), xw_time(run->interval, iv),
                       xw_time(run->makespan, end),
                       col_files[COL_SUMMARY_CSV].cols[COL_SUMMARY_ENDED_BY].name,
                       text_shown(run->ended_by, e, sizeof e));
}

/* A task's block ended: how long, for its line's hole. */
char *xw_block_length(const xfact_t *end)
{
    char d[32];
    return end->open ? text_printf("for the rest of the run (%s)", xw_time(end->waited, d))
                     : text_printf("for %s", xw_time(end->waited, d));
}
