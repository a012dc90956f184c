/* fail.c — see fail.h. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/fail.h"
#include "engine/util.h"

static const char *where(const sim_t *s)
{
    return s->cfg && s->cfg->path ? s->cfg->path : s->cfg && s->cfg->name ? s->cfg->name : "gilsim";
}

/* The message is one line whatever names and paths it quotes (util.h). */
static _Noreturn void unwind(sim_t *s, int code)
{
    char raw[sizeof s->violation];
    memcpy(raw, s->violation, sizeof raw);
    raw[sizeof raw - 1] = '\0';
    text_shown(raw, s->violation, sizeof s->violation);
    s->user_error = code == SIM_ERR_USER;
    s->fail_code = code;
    eng_stop(&s->eng);
    longjmp(s->bail, 1);
}

_Noreturn void sim_fail(sim_t *s, int code, const char *fmt, ...)
{
    int n = code == SIM_ERR_INTERNAL ? 0
          : snprintf(s->violation, sizeof s->violation, "%s: ", where(s));
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof s->violation)
        vsnprintf(s->violation + n, sizeof s->violation - (size_t)n, fmt, ap);
    va_end(ap);
    unwind(s, code);
}

/* The op the running thread is at, or NULL (building, or between ops). */
static const op_t *running_op(const sim_t *s, const thread_t **t)
{
    *t = s->running;
    if (!*t || !(*t)->cur || !(*t)->cur->nframes)
        return NULL;
    const frame_t *f = &(*t)->cur->frames[(*t)->cur->nframes - 1];
    return f->pc < f->prog->nops ? &f->prog->ops[f->pc] : NULL;
}

_Noreturn void sim_over_cap(sim_t *s, const char *what, long long cap)
{
    const thread_t *t;
    const op_t *op = running_op(s, &t);
    if (op)
        snprintf(s->violation, sizeof s->violation,
                 "%s:%d:%d: the program creates more than %lld %s (%s)", where(s), op->line,
                 op->col, cap, what, cfg_op_name(op->kind));
    else
        snprintf(s->violation, sizeof s->violation, "%s: the program creates more than %lld %s",
                 where(s), cap, what);
    unwind(s, SIM_ERR_USER);
}

_Noreturn void sim_out_of_memory(sim_t *s)
{
    const thread_t *t;
    const op_t *op = running_op(s, &t);
    char at[NAME_SHOWN + 80] = "", name[NAME_SHOWN];
    if (op)
        snprintf(at, sizeof at, " while thread %s ran the %s op at %d:%d",
                 text_shown(t->name, name, sizeof name), cfg_op_name(op->kind), op->line,
                 op->col);
    snprintf(s->violation, sizeof s->violation,
             "%s: out of memory at %.6f s%s, with %lld threads, %lld asyncio tasks and %lld "
             "processes alive (%d threads created)", where(s), (double)s->eng.now / 1e9, at,
             (long long)s->alive_threads, (long long)s->alive_tasks, (long long)s->alive_procs,
             s->nthreads);
    unwind(s, SIM_ERR_NOMEM);
}

/* A test's simulated exhaustion (sim_opts_t.alloc_limit). */
static int exhausted(sim_t *s)
{
    return s->alloc_limit > 0 && ++s->allocs > s->alloc_limit;
}

void *sim_calloc(sim_t *s, size_t n, size_t size)
{
    void *p = exhausted(s) ? NULL : calloc(n ? n : 1, size ? size : 1);
    if (!p)
        sim_out_of_memory(s);
    return p;
}

void *sim_slab_take(sim_t *s, slab_t *sl)
{
    void *p = exhausted(s) ? NULL : slab_take(sl);
    if (!p)
        sim_out_of_memory(s);
    return p;
}

void *sim_realloc(sim_t *s, void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        sim_out_of_memory(s);
    size_t bytes = n * size;
    void *q = exhausted(s) ? NULL : realloc(p, bytes ? bytes : 1);
    if (!q)
        sim_out_of_memory(s);    /* p is still valid, and still owned by its holder */
    return q;
}

char *sim_strdup(sim_t *s, const char *str)
{
    char *d = exhausted(s) ? NULL : strdup(str);
    if (!d)
        sim_out_of_memory(s);
    return d;
}

char *sim_vprintf(sim_t *s, const char *fmt, va_list ap)
{
    char *p = exhausted(s) ? NULL : text_vprintf(fmt, ap);
    if (!p)
        sim_out_of_memory(s);
    return p;
}

char *sim_printf(sim_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = sim_vprintf(s, fmt, ap);
    va_end(ap);
    return p;
}

void *sim_grow(sim_t *s, void *p, int *cap, size_t elem)
{
    if (*cap > INT_MAX / 2)      /* the count itself would overflow */
        sim_out_of_memory(s);
    int want = *cap ? *cap * 2 : 16;
    void *q = sim_realloc(s, p, (size_t)want, elem);
    *cap = want;                 /* only once the array has grown */
    return q;
}

int sim_guard(sim_t *s, int (*fn)(sim_t *s, void *arg), void *arg)
{
    if (setjmp(s->bail))
        return s->fail_code;
    return fn(s, arg);
}

void sim_alive(sim_t *s, int64_t dthreads, int64_t dtasks, int64_t dprocs)
{
    const config_t *c = s->cfg;
    s->alive_threads += dthreads;
    s->alive_tasks += dtasks;
    s->alive_procs += dprocs;
    s->mem_now = s->alive_threads * c->python.thread_memory +
                 s->alive_tasks * c->python.task_memory +
                 s->alive_procs * c->python.process_memory;
    if (s->mem_now > s->mem_peak)
        s->mem_peak = s->mem_now;
    if (s->alive_threads > s->peak_threads)
        s->peak_threads = s->alive_threads;
    if (s->alive_tasks > s->peak_tasks)
        s->peak_tasks = s->alive_tasks;
    if (s->alive_procs > s->peak_procs)
        s->peak_procs = s->alive_procs;
}
