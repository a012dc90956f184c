/* explain.c — `gilsim explain DIR`: a finished run told in the course
 * notes' words.  explain_read.c reads the run folder and tells the facts
 * in time order; here each becomes a line that starts with its simulated
 * time ("io wants the GIL; spin holds it"), and after the events comes a
 * paragraph per thread: its time waiting for the GIL (threads.csv's, which
 * the reader has checked against the trace), the races it lost, and its
 * longest wait with what caused it.
 *
 * Lines are kept, not printed, until every file has been read and
 * checked: a folder refused halfway prints nothing on stdout, so no
 * output looks complete that is not.  At most --limit lines are kept (the
 * rest are counted and said to be left out), which also bounds memory.
 * A line may wait for a later fact: a task blocking its event loop is told
 * with how long it blocked it, known when the block ends. */
#include <stdlib.h>
#include <string.h>
#include "columns.h"
#include "caps.h"
#include "out/explain.h"
#include "out/explain_read.h"
#include "out/explain_words.h"
#include "plotprep.h"
#include "engine/util.h"

#define WRAP 78

typedef struct line {
    long seq;                    /* the fact's place in the story */
    simtime_t t;
    char *text;                  /* pending: the part before the hole */
    char *post;                  /* pending: the part after it; NULL when whole */
    int pending_of;              /* the thread whose block's end it waits for, -1 */
    int take_of;                 /* the process whose last take it tells, -1 */
} line_t;

/* A process's last GIL take.  Its line may learn later who was still
 * waking up when it was taken; with --thread a take not about the thread
 * is held back (hidden) until one of them turns out to be. */
typedef struct take_line {
    long line;                   /* -1: not kept */
    int hidden;                  /* not kept only for --thread: told if it becomes about it */
    long seq;
    xfact_t f;
} take_line_t;

typedef struct narr {
    xread_t r;
    xwords_t words;              /* the sentences, about r */
    const explain_opts_t *o;
    line_t *lines;               /* in story order */
    long n, cap, more, seq;
    long *pending;               /* per thread: the line waiting for its block's end, -1 */
    take_line_t *takes;          /* per process */
    int error;
} narr_t;

/* ---- the lines kept -------------------------------------------------- */

static int about(const narr_t *n, const xfact_t *f)
{
    const xthread_t *th = n->r.th;
    int hit = th[f->who].about || (f->other >= 0 && th[f->other].about);
    for (int k = 0; k < f->nlosers && k < XF_LOSERS; k++)
        hit |= th[f->losers[k]].about;
    return hit;
}

static void failed(narr_t *n)
{
    if (!n->error)
        plot_error(NULL, 0, "out of memory");
    n->error = n->r.error = PLOT_FAILED;
}

/* Line k now sits at index to: what points at it follows. */
static void moved(narr_t *n, long k, long to)
{
    line_t *l = &n->lines[k];
    if (l->pending_of >= 0)
        n->pending[l->pending_of] = to;
    if (l->take_of >= 0)
        n->takes[l->take_of].line = to;
}

/* The last line goes, past --limit: what points at it forgets it. */
static void drop_last(narr_t *n)
{
    line_t *l = &n->lines[--n->n];
    moved(n, n->n, -1);
    free(l->text);
    free(l->post);
    n->more++;
}

/* Keeps line l in story order (a take told late goes back to its place);
 * past --limit only the first lines are kept, the rest counted.  Its
 * index, or -1 when it was only counted. */
static long store(narr_t *n, line_t l)
{
    long at = n->n;
    while (at > 0 && n->lines[at - 1].seq > l.seq)
        at--;
    if (n->n >= n->o->limit && at == n->n) {
        free(l.text);
        free(l.post);
        n->more++;
        return -1;
    }
    if (n->n >= n->o->limit)
        drop_last(n);
    if (n->n == n->cap) {
        long cap = n->cap ? 2 * n->cap : 256;
        line_t *m = realloc(n->lines, sizeof *m * (size_t)cap);
        if (!m) {
            free(l.text);
            free(l.post);
            failed(n);
            return -1;
        }
        n->lines = m;
        n->cap = cap;
    }
    for (long k = n->n; k > at; k--) {
        n->lines[k] = n->lines[k - 1];
        moved(n, k, k);
    }
    n->lines[at] = l;
    n->n++;
    moved(n, at, at);
    return at;
}

/* A task's block ended: its line, if kept, gets how long it lasted. */
static void resolve(narr_t *n, const xfact_t *f)
{
    long k = n->pending[f->who];
    if (k < 0)
        return;
    line_t *l = &n->lines[k];
    char *hole = xw_block_length(f);
    char *whole = hole ? text_printf("%s%s", l->text, hole) : NULL;
    free(hole);
    char *done = whole ? text_printf("%s%s", whole, l->post) : NULL;
    free(whole);
    if (!done) {
        failed(n);
        return;
    }
    free(l->text);
    free(l->post);
    l->text = done;
    l->post = NULL;
    l->pending_of = -1;
    n->pending[f->who] = -1;
}

/* Fact f, seq-th of the story, as a line. */
static line_t line_of(narr_t *n, const xfact_t *f, long seq, int is_take)
{
    char *post = NULL, *text = xw_sentence(&n->words, f, &post);
    if (!text || (f->kind == XF_TASK_BLOCKS && !post)) {
        free(text);
        free(post);
        failed(n);
        return (line_t){.text = NULL};
    }
    return (line_t){seq, f->t, text, post, post ? f->who : -1,
                    is_take ? n->r.th[f->who].proc : -1};
}

/* A waiter woken by a release finds the GIL taken: the take's line names
 * it among those still waking up when it was taken.  (The take came
 * first, so its line could not know.) */
static void amend_take(narr_t *n, const xfact_t *lost)
{
    take_line_t *tl = &n->takes[n->r.th[lost->who].proc];
    xfact_t *f = &tl->f;
    if ((tl->line < 0 && !tl->hidden) || !lost->signalled || lost->other != f->who)
        return;
    for (int k = 0; k < f->nlosers && k < XF_LOSERS; k++)
        if (f->losers[k] == lost->who)
            return;
    if (f->nlosers < XF_LOSERS)
        f->losers[f->nlosers] = lost->who;
    f->nlosers++;
    if (tl->line < 0 && !about(n, f))
        return;
    line_t l = line_of(n, f, tl->seq, 1);
    if (!l.text)
        return;
    if (tl->line >= 0) {
        free(n->lines[tl->line].text);
        n->lines[tl->line].text = l.text;
    } else {
        tl->hidden = 0;
        store(n, l);
    }
}

static void keep(void *ctx, const xfact_t *f)
{
    narr_t *n = ctx;
    const explain_opts_t *o = n->o;
    int is_take = f->kind == XF_TAKE || (f->kind == XF_DROP && f->retake);
    long seq = n->seq++;
    if (n->error)
        return;
    if (f->kind == XF_BLOCK_END) {
        resolve(n, f);
        return;
    }
    if (f->kind == XF_LOST || f->kind == XF_FAILED_WAKEUP)
        amend_take(n, f);
    int shown = f->t >= o->from && (!o->to_set || f->t <= o->to);
    if (is_take) {
        take_line_t *tl = &n->takes[n->r.th[f->who].proc];
        if (tl->line >= 0)
            n->lines[tl->line].take_of = -1;
        *tl = (take_line_t){-1, shown && o->thread && !about(n, f), seq, *f};
    }
    if (!shown || (o->thread && !about(n, f)))
        return;
    line_t l = line_of(n, f, seq, is_take);
    if (l.text)
        store(n, l);
}

/* ---- the paragraphs -------------------------------------------------- */

/* A break at the space before p would part a time from its unit ("1.5 s"). */
static int unit_after(const char *p)
{
    size_t n = strspn(p, "mnus");
    return n >= 1 && n <= 2 && (p[n] == ' ' || p[n] == ',' || p[n] == ':' || p[n] == ')' ||
                                p[n] == '.' || p[n] == ';' || !p[n]) &&
           (n == 1 ? p[0] == 's' : p[1] == 's');
}

/* Prints text in lines of at most WRAP columns, broken at spaces. */
static void wrapped(FILE *out, const char *text)
{
    while (strlen(text) > WRAP) {
        const char *cut = text + WRAP;
        while (cut > text && (*cut != ' ' || unit_after(cut + 1)))
            cut--;
        if (cut == text)
            cut = strchr(text + WRAP, ' ');
        if (!cut)
            break;
        fprintf(out, "%.*s\n", (int)(cut - text), text);
        text = cut + 1;
    }
    fprintf(out, "%s\n", text);
}

/* ---- the whole story ------------------------------------------------- */

/* The story: the run, the event lines, the threads' paragraphs. */
static int print_all(const narr_t *n, FILE *out)
{
    const explain_opts_t *o = n->o;
    char a[32], b[NAME_SHOWN];
    char *text = xw_header(&n->words);
    if (!text)
        return -1;
    wrapped(out, text);
    free(text);
    if (o->thread)
        fprintf(out, "Only the events about %s.\n", text_shown(o->thread, b, sizeof b));
    if (o->from || o->to_set)
        fprintf(out, "Only the events from %s to %s.\n", xw_time(o->from, a),
                o->to_set ? xw_time(o->to, b) : "the end");
    fputc('\n', out);
    for (long k = 0; k < n->n; k++)
        fprintf(out, "%12s  %s%s\n", xw_time(n->lines[k].t, a), n->lines[k].text,
                n->lines[k].post ? n->lines[k].post : "");
    if (!n->n && !n->more)
        fputs("(no events to tell)\n", out);
    if (n->more)
        fprintf(out, "... %ld more line%s (use --limit)\n", n->more, n->more == 1 ? "" : "s");
    fputs("\nOver the whole run:\n", out);   /* then a paragraph per thread */
    for (int i = 0; i < n->r.nth; i++) {
        if (o->thread && !n->r.th[i].about)
            continue;
        if (!(text = xw_paragraph(&n->words, i)))
            return -1;
        fputc('\n', out);
        wrapped(out, text);
        free(text);
    }
    return 0;
}

static void narr_free(narr_t *n)
{
    for (long k = 0; k < n->n; k++) {
        free(n->lines[k].text);
        free(n->lines[k].post);
    }
    free(n->lines);
    free(n->pending);
    free(n->takes);
    xr_free(&n->r);
}

int explain_run(const char *dir, const explain_opts_t *o, FILE *out)
{
    narr_t n = {.o = o};
    n.r.tell = keep;
    n.r.ctx = &n;
    int rc = xr_load(&n.r, dir);
    if (rc == PLOT_OK && o->thread && xr_mark_thread(&n.r, o->thread) == 0) {
        char t[NAME_SHOWN];
        char *path = path_join(dir, col_files[COL_THREADS_CSV].name);
        plot_error(path, 0, "--thread %s: no thread of that name",
                   text_shown(o->thread, t, sizeof t));
        free(path);
        rc = PLOT_BAD_INPUT;
    }
    if (rc == PLOT_OK) {
        n.words = (xwords_t){&n.r, n.r.nprocs > 1};
        n.pending = malloc(sizeof *n.pending * (size_t)(n.r.nth ? n.r.nth : 1));
        n.takes = malloc(sizeof *n.takes * (size_t)(n.r.nprocs ? n.r.nprocs : 1));
        if (!n.pending || !n.takes)
            failed(&n);
        for (int i = 0; n.pending && i < n.r.nth; i++)
            n.pending[i] = -1;
        for (int i = 0; n.takes && i < n.r.nprocs; i++)
            n.takes[i] = (take_line_t){.line = -1};
    }
    if (rc == PLOT_OK && !n.error)
        rc = xr_trace(&n.r, dir);
    if (rc == PLOT_OK && !n.error)
        rc = xr_hangs(&n.r, dir);
    if (rc == PLOT_OK && n.error)
        rc = n.error;
    if (rc == PLOT_OK && print_all(&n, out) != 0) {
        plot_error(NULL, 0, "out of memory");
        rc = PLOT_FAILED;
    }
    narr_free(&n);
    return rc;
}
