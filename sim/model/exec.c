/* exec.c — see exec.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/exec.h"
#include "model/fail.h"
#include "model/warmup.h"

void ex_init(exec_t *x, sim_t *s, struct process *proc, struct task *task)
{
    memset(x, 0, sizeof *x);
    x->sim = s;
    x->proc = proc;
    x->task = task;
}

void ex_free(exec_t *x)
{
    while (x->nframes)
        ex_pop(x);
    free(x->frames);
    x->frames = NULL;
    x->cap = 0;
}

/* Room for one frame at first: most threads never call a function, and a
 * frame is 0.8 KiB, so a million threads would otherwise hold gigabytes
 * of frames they never use.  Doubling after that. */
static frame_t *push(exec_t *x, const program_t *p, int fn)
{
    if (x->nframes == x->cap) {
        x->frames = sim_realloc(x->sim, x->frames, (size_t)(x->cap ? x->cap * 2 : 1),
                                sizeof *x->frames);
        x->cap = x->cap ? x->cap * 2 : 1;
    }
    /* the locals first: a failure leaves no half-made frame for ex_free */
    handles_t *locals = p->nlocals ? sim_calloc(x->sim, (size_t)p->nlocals, sizeof *locals) : NULL;
    frame_t *f = &x->frames[x->nframes++];
    memset(f, 0, sizeof *f);
    f->prog = p;
    f->fn = fn;
    f->locals = locals;
    warm_call(x->sim, x->proc, f);
    return f;
}

void ex_push_program(exec_t *x, const program_t *p)
{
    push(x, p, -1);
}

void ex_resolve_args(const call_t *c, const frame_t *caller, value_t *out)
{
    for (int i = 0; i < c->nargs; i++) {
        const argref_t *a = &c->args[i];
        out[i] = a->param >= 0 && caller ? caller->args[a->param] : a->lit;
    }
}

void ex_push_call(exec_t *x, const config_t *cfg, const call_t *c, const frame_t *caller)
{
    value_t args[FUNC_MAX_PARAMS];
    ex_resolve_args(c, caller, args);
    ex_push_values(x, cfg, c->fn, args);
}

void ex_push_values(exec_t *x, const config_t *cfg, int fn, const value_t *args)
{
    const function_cfg_t *f = &cfg->functions[fn];
    frame_t *fr = push(x, &f->body, fn);
    memcpy(fr->args, args, sizeof *args * (size_t)f->nparams);
}

void ex_pop(exec_t *x)
{
    frame_t *f = ex_top(x);
    for (int i = 0; f && i < f->prog->nlocals; i++)
        free(f->locals[i].items);
    free(f->locals);
    x->nframes--;
}

const op_t *ex_op(exec_t *x)
{
    frame_t *f = ex_top(x);
    if (!f)
        return NULL;
    if (f->depth > 0) {
        const op_t *opener = &f->prog->ops[f->blocks[f->depth - 1].pc];
        int end = f->blocks[f->depth - 1].kind == BLK_EXCEPT ? opener->except_end : opener->body_end;
        if (f->pc == end)
            return NULL;
    }
    return f->pc < f->prog->nops ? &f->prog->ops[f->pc] : NULL;
}

void ex_op_done(exec_t *x)
{
    ex_top(x)->pc++;
    ex_op_reset(x);
}

void ex_op_reset(exec_t *x)
{
    x->ticket++;                 /* wait-list entries of the old op go stale */
    x->op_active = 0;
    x->cost = 0;
    x->syscall = 0;
    x->phase = 0;
    x->step = 0;
    x->pending = 0;
    x->tmp.n = 0;
    x->batch_left = 0;
}

const dist_t *ex_dur(const frame_t *f, const op_t *op)
{
    return op->dur_param >= 0 ? &f->args[op->dur_param].dur : &op->dur;
}

int64_t ex_count(const frame_t *f, const op_t *op)
{
    return op->count_param >= 0 ? f->args[op->count_param].count : op->count;
}

handles_t *ex_local(frame_t *f, int local)
{
    return &f->locals[local];
}

void handles_push(sim_t *s, handles_t *h, void *item)
{
    if (h->n == h->cap) {
        h->items = sim_realloc(s, h->items, (size_t)(h->cap ? h->cap * 2 : 8), sizeof *h->items);
        h->cap = h->cap ? h->cap * 2 : 8;
    }
    h->items[h->n++] = item;
}

char *ex_call_label(sim_t *sim, int fn, const value_t *args)
{
    const function_cfg_t *f = &sim->cfg->functions[fn];
    size_t cap = strlen(f->name) + 3 + (size_t)f->nparams * 48;
    char *s = sim_calloc(sim, cap, 1);
    size_t n = (size_t)snprintf(s, cap, "%s(", f->name);
    for (int i = 0; i < f->nparams; i++) {
        char v[40];
        if (args[i].type == PARAM_DURATION)
            dist_format(&args[i].dur, v, sizeof v);
        else
            snprintf(v, sizeof v, "%lld", (long long)args[i].count);
        n += (size_t)snprintf(s + n, cap - n, "%s%s", i ? ", " : "", v);
    }
    snprintf(s + n, cap - n, ")");
    return s;
}
