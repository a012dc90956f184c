/* warmup.c — bytecode warm-up (python.specialize, off by default).
 *
 * CPython 3.11's specialising adaptive interpreter (PEP 659) runs a code
 * object's plain bytecode until the code is "quickened": its RESUME
 * instruction, executed at every call, counts calls, and on the 8th
 * (QUICKENING_WARMUP_DELAY, Include/internal/pycore_code.h) the whole code
 * object is rewritten in place into adaptive instructions, which then
 * specialise within a few executions.  Loop back-edges do not count in
 * 3.11 (JUMP_BACKWARD does not warm up), so a long loop in a function
 * called once runs unspecialised throughout.  3.12 quickens code when it
 * is created and each instruction specialises on its second execution:
 * from the first call on, in effect.  Before 3.11 there is nothing to
 * specialise: cpu durations are that version's speed as given.
 *
 * So: each process counts the calls of each code object run in it (a
 * function's body, or a thread group's or main's program: each thread
 * calls its target once); a call runs specialised from the
 * python.warmup_calls-th on (by version: 8 in 3.11, 1 from 3.12).  A cpu
 * op in a frame that is not yet specialised takes
 * python.unspecialized_slowdown times its duration; repeat iterations add
 * no calls.  cpu durations in a config are those of specialised code (the
 * validation calibrates them on a warmed-up loop).  A forked child counts
 * afresh (it would inherit its parent's quickened code). */
#include "model/fail.h"
#include "model/warmup.h"

struct code_calls {
    const program_t *prog;
    int64_t calls;
};

int warm_call(sim_t *s, process_t *proc, const program_t *p)
{
    const config_t *cfg = s->cfg;
    if (!cfg->python.specialize || cfg->python.version < 311 || !proc)
        return 1;
    int i = 0;
    while (i < proc->ncode && proc->code[i].prog != p)
        i++;
    if (i == proc->ncode) {
        if (proc->ncode == proc->capcode)
            proc->code = sim_grow(s, proc->code, &proc->capcode, sizeof *proc->code);
        proc->code[proc->ncode++] = (struct code_calls){ p, 0 };
    }
    return ++proc->code[i].calls >= cfg->python.warmup_calls;
}
