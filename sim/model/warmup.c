/* warmup.c — bytecode warm-up (python.specialize, off by default).
 *
 * CPython 3.11's specialising adaptive interpreter (PEP 659) runs a code
 * object's plain bytecode until the code is "quickened": a counter on the
 * code object (co_warmup, from -QUICKENING_WARMUP_DELAY = -8,
 * Include/internal/pycore_code.h) is bumped by _PyCode_Warmup, which
 * Python/ceval.c calls from two instructions: RESUME, at the start of
 * every call (and at every resumption of a generator or coroutine), and
 * JUMP_BACKWARD, the back-edge of a `for` loop or of `while True:`.  When
 * it reaches 0, _PyCode_Quicken rewrites the whole code object in place
 * into adaptive instructions, with zeroed counters, so each specialises
 * on its next execution; every frame running that code object runs the
 * rewritten bytecode from then on.  The conditional back-edges of a
 * `while cond:` loop (POP_JUMP_BACKWARD_IF_TRUE/FALSE: 3.11's compiler
 * repeats the condition at the loop's end) do not call it, so such a loop
 * in a function called once runs unspecialised throughout, while a `for`
 * loop is quickened after its first iterations.  3.12 quickens code when
 * it is created and each instruction specialises on its second execution
 * (ADAPTIVE_WARMUP_VALUE 1, pycore_code.h): from the first call on, in
 * effect, for code that loops.  Before 3.11 there is nothing to
 * specialise: cpu durations are that version's speed as given.
 *
 * So: each process counts warm-up events per code object run in it (a
 * function's body, or a thread group's or main's program: each thread
 * calls its target once): each call, and in 3.11 each iteration of a
 * `repeat` (a for loop, or `while True:` for `forever`: JUMP_BACKWARD
 * ends every iteration, the last too).  The call or iteration that brings
 * the count to python.warmup_calls (by version: 8 in 3.11, 1 from 3.12)
 * and every later one runs specialised: a cpu op started in a frame not
 * yet specialised takes python.unspecialized_slowdown times its duration.
 * A frame that started cold turns specialised at its own next back-edge
 * once the count is reached (CPython: at once, the code being rewritten
 * under it).  cpu durations in a config are those of specialised code (the
 * validation calibrates them on a warmed-up loop).  The resumptions of a
 * coroutine after each await (RESUME too) are not counted: an async
 * function's warm-up counts its calls and loops only.  A forked child
 * counts afresh (it would inherit its parent's quickened code). */
#include "model/fail.h"
#include "model/warmup.h"

struct code_calls {
    const program_t *prog;
    int64_t events;              /* calls, and loop back-edges in 3.11 */
};

static int code_of(sim_t *s, process_t *proc, const program_t *p)
{
    int i = 0;
    while (i < proc->ncode && proc->code[i].prog != p)
        i++;
    if (i == proc->ncode) {
        if (proc->ncode == proc->capcode)
            proc->code = sim_grow(s, proc->code, &proc->capcode, sizeof *proc->code);
        proc->code[proc->ncode++] = (struct code_calls){ p, 0 };
    }
    return i;
}

/* One more warm-up event on f's code object (RESUME or JUMP_BACKWARD). */
static void count_event(sim_t *s, process_t *proc, frame_t *f)
{
    if (++proc->code[f->code].events >= s->cfg->python.warmup_calls)
        f->warm = 1;
}

void warm_call(sim_t *s, process_t *proc, frame_t *f)
{
    f->code = -1;
    f->warm = 1;
    if (!s->cfg->python.specialize || s->cfg->python.version < 311 || !proc)
        return;
    f->code = code_of(s, proc, f->prog);
    f->warm = 0;
    count_event(s, proc, f);
}

void warm_back_edge(sim_t *s, process_t *proc, frame_t *f)
{
    if (f->code >= 0 && !f->warm && s->cfg->python.version < 312)   /* 3.11's JUMP_BACKWARD */
        count_event(s, proc, f);
}
