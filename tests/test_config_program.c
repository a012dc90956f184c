/* test_config_program.c — programs: functions, every op kind with its keys
 * and forms, nesting and call depth, --set reaching them, and that no cut
 * of a config holding every op crashes the loader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config/config_units.h"   /* cfg_parse_bytes */
#include "configlib.h"

/* Every op kind, in functions, a main program and a thread program.  The
 * comments give each op's index in its program. */
static const char rich_yaml[] =
    "duration: 10s\n"                                          /*  1 */
    "objects:\n"                                               /*  2 */
    "  - {name: guard, kind: lock}\n"                          /*  3 */
    "  - {name: ready, kind: event}\n"                         /*  4 */
    "  - {name: jobs, kind: queue, maxsize: 10}\n"             /*  5 */
    "  - {name: out, kind: queue}\n"                           /*  6 */
    "functions:\n"                                             /*  7 */
    "  work:\n"                                                /*  8 */
    "    params:\n"                                            /*  9 */
    "      sec: duration\n"                                    /* 10 */
    "      n: {type: count, default: 3}\n"                     /* 11 */
    "      pause: {type: duration, default: exp(2ms)}\n"       /* 12 */
    "    body:\n"                                              /* 13 */
    "      - cpu: $sec\n"                                      /* 14  0 */
    "      - repeat: $n\n"                                     /* 15  1 */
    "        do:\n"                                            /* 16 */
    "          - native: $pause\n"                             /* 17  2 */
    "          - io: $sec\n"                                   /* 18  3 */
    "          - sleep: 1ms\n"                                 /* 19  4 */
    "  fetch:\n"                                               /* 20 */
    "    async: true\n"                                        /* 21 */
    "    params: {d: duration}\n"                              /* 22 */
    "    body:\n"                                              /* 23 */
    "      - await: {sleep: 0}\n"                              /* 24  0 */
    "      - await: {io: $d}\n"                                /* 25  1 */
    "      - await: {sleep: $d}\n"                             /* 26  2 */
    "      - mark: fetched\n"                                  /* 27  3 */
    "  amain:\n"                                               /* 28 */
    "    async: true\n"                                        /* 29 */
    "    params: {k: count}\n"                                 /* 30 */
    "    body:\n"                                              /* 31 */
    "      - as: tasks\n"                                      /* 32  0 (as before the kind) */
    "        create_task: fetch\n"                             /* 33 */
    "        args: [5ms]\n"                                    /* 34 */
    "        count: $k\n"                                      /* 35 */
    "      - create_task: fetch\n"                             /* 36  1 */
    "        args: {d: 1ms}\n"                                 /* 37 */
    "        as: tasks\n"                                      /* 38 */
    "      - await: {gather: tasks}\n"                         /* 39  2 */
    "      - await: {call: fetch, args: [\"uniform(1ms, 2ms)\"]}\n" /* 40  3 */
    "  boss:\n"                                                /* 41 */
    "    params: {t: duration, k: count}\n"                    /* 42 */
    "    body:\n"                                              /* 43 */
    "      - asyncio_run: amain\n"                             /* 44  0 */
    "        args: [$k]\n"                                     /* 45 */
    "      - start: work\n"                                    /* 46  1 */
    "        args: [$t]\n"                                     /* 47 */
    "        count: 4\n"                                       /* 48 */
    "        name: worker\n"                                   /* 49 */
    "        as: ts\n"                                         /* 50 */
    "      - process: work\n"                                  /* 51  2 */
    "        args: {sec: 2ms, n: 0}\n"                         /* 52 */
    "        count: $k\n"                                      /* 53 */
    "        method: spawn\n"                                  /* 54 */
    "        as: ps\n"                                         /* 55 */
    "      - join: ts\n"                                       /* 56  3 */
    "      - join: ps\n"                                       /* 57  4 */
    "      - with_pool: process\n"                             /* 58  5 */
    "        max_workers: 4\n"                                 /* 59 */
    "        method: fork\n"                                   /* 60 */
    "        as: outer\n"                                      /* 61 */
    "        do:\n"                                            /* 62 */
    "          - with_pool: thread\n"                          /* 63  6 */
    "            do:\n"                                        /* 64 */
    "              - submit: work\n"                           /* 65  7 innermost: anonymous */
    "                args: [1ms]\n"                            /* 66 */
    "                as: futs\n"                               /* 67 */
    "              - submit: work\n"                           /* 68  8 */
    "                args: [1ms]\n"                            /* 69 */
    "                count: 2\n"                               /* 70 */
    "                pool: outer\n"                            /* 71 */
    "                as: futs\n"                               /* 72 */
    "              - as_completed: futs\n"                     /* 73  9 */
    "          - map: work\n"                                  /* 74 10 */
    "            over: [1ms, exp(3ms), 5ms]\n"                 /* 75 */
    "      - with_lock: guard\n"                               /* 76 11 */
    "        do:\n"                                            /* 77 */
    "          - queue_put: jobs\n"                            /* 78 12 */
    "          - try:\n"                                       /* 79 13 */
    "              - queue_get: out\n"                         /* 80 14 */
    "              - raise: TimeoutError\n"                    /* 81 15 */
    "                probability: 0.25\n"                      /* 82 */
    "            except:\n"                                    /* 83 */
    "              - event_set: ready\n"                       /* 84 16 */
    "              - raise: ValueError\n"                      /* 85 17 */
    "      - event_wait: ready\n"                              /* 86 18 */
    "      - call: work\n"                                     /* 87 19 */
    "        args: {pause: 7ms, sec: $t}\n"                    /* 88 */
    "      - crash: out of memory\n"                           /* 89 20 */
    "processes:\n"                                             /* 90 */
    "  - name: app\n"                                          /* 91 */
    "    main:\n"                                              /* 92 */
    "      - call: boss\n"                                     /* 93  0 */
    "        args: [10ms, 2]\n"                                /* 94 */
    "      - repeat: forever\n"                                /* 95  1 */
    "        do: [cpu: 1ms]\n"                                 /* 96  2 */
    "    threads:\n"                                           /* 97 */
    "      - program:\n"                                       /* 98 */
    "          - start: work\n"                                /* 99  0 */
    "            args: [3ms]\n"                                /* 100 */
    "            as: helpers\n"                                /* 101 */
    "          - join: helpers\n"                              /* 102 1 */
    "  - main: [mark: \"a: b\"]\n";                            /* 103 */

static void check_lit_dur(const argref_t *a, enum dist_kind kind, simtime_t v)
{
    assert_int_equal(a->param, -1);
    assert_int_equal(a->lit.type, PARAM_DURATION);
    assert_int_equal(a->lit.dur.kind, kind);
    assert_int_equal(a->lit.dur.a, v);
}

static void check_lit_count(const argref_t *a, int64_t n)
{
    assert_int_equal(a->param, -1);
    assert_int_equal(a->lit.type, PARAM_COUNT);
    assert_int_equal(a->lit.count, n);
}

static void test_functions(void **state)
{
    config_t c;
    (void)state;
    load_ok(rich_yaml, NULL, 0, &c);
    assert_int_equal(c.nfunctions, 4);
    const function_cfg_t *w = &c.functions[0];
    assert_string_equal(w->name, "work");
    assert_int_equal(w->line, 8);
    assert_int_equal(w->col, 3);
    assert_int_equal(w->is_async, 0);
    assert_int_equal(w->nparams, 3);
    assert_string_equal(w->params[0], "sec");
    assert_string_equal(w->params[1], "n");
    assert_string_equal(w->params[2], "pause");
    assert_int_equal(w->param_types[0], PARAM_DURATION);
    assert_int_equal(w->param_types[1], PARAM_COUNT);
    assert_int_equal(w->param_types[2], PARAM_DURATION);
    assert_int_equal(w->has_default[0], 0);
    assert_int_equal(w->has_default[1], 1);
    assert_int_equal(w->defaults[1].count, 3);
    assert_int_equal(w->has_default[2], 1);
    assert_int_equal(w->defaults[2].dur.kind, DIST_EXP);
    assert_int_equal(w->defaults[2].dur.a, MS(2));

    const program_t *b = &w->body;
    assert_int_equal(b->nops, 5);
    assert_int_equal(b->ops[0].kind, OP_CPU);
    assert_int_equal(b->ops[0].dur_param, 0);
    assert_int_equal(b->ops[0].line, 14);
    assert_int_equal(b->ops[0].col, 9);
    assert_int_equal(b->ops[1].kind, OP_REPEAT);
    assert_int_equal(b->ops[1].count_param, 1);
    assert_int_equal(b->ops[1].body_end, 5);
    assert_int_equal(b->ops[2].kind, OP_NATIVE);
    assert_int_equal(b->ops[2].dur_param, 2);
    assert_int_equal(b->ops[3].kind, OP_IO);
    assert_int_equal(b->ops[3].dur_param, 0);
    assert_int_equal(b->ops[4].kind, OP_SLEEP);
    assert_int_equal(b->ops[4].dur_param, -1);
    assert_int_equal(b->ops[4].dur.a, MS(1));
    assert_int_equal(b->nlocals, 0);

    assert_string_equal(c.functions[1].name, "fetch");
    assert_int_equal(c.functions[1].is_async, 1);
    assert_int_equal(c.functions[2].is_async, 1);
    assert_int_equal(c.functions[3].is_async, 0);
    assert_int_equal(c.functions[3].nparams, 2);
    assert_int_equal(c.functions[3].has_default[0], 0);
    cfg_free(&c);
}

static void test_asyncio_ops(void **state)
{
    config_t c;
    (void)state;
    load_ok(rich_yaml, NULL, 0, &c);
    const program_t *f = &c.functions[1].body;
    assert_int_equal(f->nops, 4);
    assert_int_equal(f->ops[0].kind, OP_AWAIT_SLEEP);
    assert_int_equal(f->ops[0].dur.a, 0);
    assert_int_equal(f->ops[0].dur_param, -1);
    assert_int_equal(f->ops[1].kind, OP_AWAIT_IO);
    assert_int_equal(f->ops[1].dur_param, 0);
    assert_int_equal(f->ops[2].kind, OP_AWAIT_SLEEP);
    assert_int_equal(f->ops[2].dur_param, 0);
    assert_int_equal(f->ops[3].kind, OP_MARK);
    assert_string_equal(f->ops[3].text, "fetched");

    const program_t *a = &c.functions[2].body;
    assert_int_equal(a->nops, 4);
    assert_int_equal(a->nlocals, 1);
    assert_string_equal(a->locals[0], "tasks");
    assert_int_equal(a->local_kinds[0], LOCAL_TASKS);
    assert_int_equal(a->ops[0].kind, OP_CREATE_TASK);
    assert_int_equal(a->ops[0].line, 32);   /* the mapping starts at `as:` */
    assert_int_equal(a->ops[0].call.fn, 1);
    assert_int_equal(a->ops[0].call.nargs, 1);
    check_lit_dur(&a->ops[0].call.args[0], DIST_CONST, MS(5));
    assert_int_equal(a->ops[0].count, 1);
    assert_int_equal(a->ops[0].count_param, 0);
    assert_int_equal(a->ops[0].local, 0);
    assert_int_equal(a->ops[1].kind, OP_CREATE_TASK);
    assert_int_equal(a->ops[1].count, 1);
    assert_int_equal(a->ops[1].count_param, -1);
    assert_int_equal(a->ops[1].local, 0);   /* the same handle, appended to */
    check_lit_dur(&a->ops[1].call.args[0], DIST_CONST, MS(1));
    assert_int_equal(a->ops[2].kind, OP_GATHER);
    assert_int_equal(a->ops[2].local, 0);
    assert_int_equal(a->ops[3].kind, OP_AWAIT_CALL);
    assert_int_equal(a->ops[3].call.fn, 1);
    check_lit_dur(&a->ops[3].call.args[0], DIST_UNIFORM, MS(1));

    const op_t *run = &c.functions[3].body.ops[0];
    assert_int_equal(run->kind, OP_ASYNCIO_RUN);
    assert_int_equal(run->call.fn, 2);
    assert_int_equal(run->call.nargs, 1);
    assert_int_equal(run->call.args[0].param, 1);   /* boss's $k */
    cfg_free(&c);
}

static void test_thread_and_process_ops(void **state)
{
    config_t c;
    (void)state;
    load_ok(rich_yaml, NULL, 0, &c);
    const program_t *b = &c.functions[3].body;
    assert_int_equal(b->nops, 21);

    const op_t *st = &b->ops[1];
    assert_int_equal(st->kind, OP_START_THREAD);
    assert_int_equal(st->call.fn, 0);
    assert_int_equal(st->call.nargs, 3);
    assert_int_equal(st->call.args[0].param, 0);        /* $t */
    check_lit_count(&st->call.args[1], 3);              /* defaults filled in */
    check_lit_dur(&st->call.args[2], DIST_EXP, MS(2));
    assert_int_equal(st->count, 4);
    assert_string_equal(st->text, "worker");
    assert_int_equal(st->method, START_DEFAULT);
    assert_string_equal(b->locals[st->local], "ts");
    assert_int_equal(b->local_kinds[st->local], LOCAL_THREADS);

    const op_t *pr = &b->ops[2];
    assert_int_equal(pr->kind, OP_START_PROCESS);
    check_lit_dur(&pr->call.args[0], DIST_CONST, MS(2));
    check_lit_count(&pr->call.args[1], 0);              /* a count argument may be 0 */
    check_lit_dur(&pr->call.args[2], DIST_EXP, MS(2));
    assert_int_equal(pr->count, 1);
    assert_int_equal(pr->count_param, 1);
    assert_int_equal(pr->method, START_SPAWN);
    assert_null(pr->text);
    assert_string_equal(b->locals[pr->local], "ps");
    assert_int_equal(b->local_kinds[pr->local], LOCAL_PROCESSES);

    assert_int_equal(b->ops[3].kind, OP_JOIN);
    assert_int_equal(b->ops[3].local, st->local);
    assert_int_equal(b->ops[4].kind, OP_JOIN);
    assert_int_equal(b->ops[4].local, pr->local);

    const op_t *call = &b->ops[19];
    assert_int_equal(call->kind, OP_CALL);
    assert_int_equal(call->call.fn, 0);
    assert_int_equal(call->call.args[0].param, 0);      /* by name, out of order */
    check_lit_count(&call->call.args[1], 3);
    check_lit_dur(&call->call.args[2], DIST_CONST, MS(7));

    /* main and thread programs */
    const process_cfg_t *p = &c.procs[0];
    assert_int_equal(p->has_main, 1);
    assert_int_equal(p->main.nops, 3);
    assert_int_equal(p->main.ops[0].kind, OP_CALL);
    assert_int_equal(p->main.ops[0].call.fn, 3);
    check_lit_dur(&p->main.ops[0].call.args[0], DIST_CONST, MS(10));
    check_lit_count(&p->main.ops[0].call.args[1], 2);
    assert_int_equal(p->main.ops[1].count, REPEAT_FOREVER);
    assert_int_equal(p->nthreads, 1);
    const program_t *t = &p->threads[0].prog;
    assert_int_equal(t->nops, 2);
    assert_int_equal(t->nlocals, 1);
    assert_string_equal(t->locals[0], "helpers");
    assert_int_equal(t->ops[1].local, 0);
    assert_int_equal(c.procs[1].has_main, 1);
    assert_int_equal(c.procs[1].nthreads, 0);
    assert_null(c.procs[1].threads);
    assert_string_equal(c.procs[1].main.ops[0].text, "a: b");
    cfg_free(&c);
}

static void test_pool_ops(void **state)
{
    config_t c;
    (void)state;
    load_ok(rich_yaml, NULL, 0, &c);
    const program_t *b = &c.functions[3].body;
    const op_t *outer = &b->ops[5], *inner = &b->ops[6];
    assert_int_equal(outer->kind, OP_POOL);
    assert_int_equal(outer->pool_kind, POOL_PROCESS);
    assert_int_equal(outer->max_workers, 4);
    assert_int_equal(outer->method, START_FORK);
    assert_int_equal(outer->body_end, 11);
    assert_string_equal(b->locals[outer->local], "outer");
    assert_int_equal(b->local_kinds[outer->local], LOCAL_POOL);
    assert_int_equal(inner->kind, OP_POOL);
    assert_int_equal(inner->pool_kind, POOL_THREAD);
    assert_int_equal(inner->max_workers, 0);
    assert_int_equal(inner->method, START_DEFAULT);
    assert_int_equal(inner->body_end, 10);
    /* a with_pool without `as:` still gets a handle, one no name reaches */
    assert_true(inner->local >= 0);
    assert_int_equal(b->local_kinds[inner->local], LOCAL_POOL);
    assert_true(inner->local != outer->local);

    const op_t *s1 = &b->ops[7], *s2 = &b->ops[8];
    assert_int_equal(s1->kind, OP_SUBMIT);
    assert_int_equal(s1->pool, inner->local);            /* the innermost by default */
    assert_int_equal(s1->count, 1);
    assert_string_equal(b->locals[s1->local], "futs");
    assert_int_equal(b->local_kinds[s1->local], LOCAL_FUTURES);
    assert_int_equal(s2->pool, outer->local);
    assert_int_equal(s2->count, 2);
    assert_int_equal(s2->local, s1->local);
    assert_int_equal(b->ops[9].kind, OP_AS_COMPLETED);
    assert_int_equal(b->ops[9].local, s1->local);

    const op_t *m = &b->ops[10];
    assert_int_equal(m->kind, OP_MAP);
    assert_int_equal(m->pool, outer->local);
    assert_int_equal(m->call.fn, 0);
    assert_int_equal(m->nover, 3);
    assert_int_equal(m->over[0].type, PARAM_DURATION);
    assert_int_equal(m->over[0].dur.a, MS(1));
    assert_int_equal(m->over[1].dur.kind, DIST_EXP);
    assert_int_equal(m->over[2].dur.a, MS(5));
    assert_int_equal(m->call.nargs, 3);                  /* the rest from defaults */
    check_lit_count(&m->call.args[1], 3);
    check_lit_dur(&m->call.args[2], DIST_EXP, MS(2));
    assert_int_equal(m->local, -1);
    assert_int_equal(b->nlocals, 5);   /* ts ps outer (anonymous pool) futs */
    cfg_free(&c);
}

static void test_sync_and_fault_ops(void **state)
{
    config_t c;
    (void)state;
    load_ok(rich_yaml, NULL, 0, &c);
    assert_int_equal(c.nobjects, 4);
    assert_string_equal(c.objects[0].name, "guard");
    assert_int_equal(c.objects[0].kind, OBJ_LOCK);
    assert_int_equal(c.objects[1].kind, OBJ_EVENT);
    assert_int_equal(c.objects[2].kind, OBJ_QUEUE);
    assert_int_equal(c.objects[2].maxsize, 10);
    assert_int_equal(c.objects[3].maxsize, 0);

    const program_t *b = &c.functions[3].body;
    assert_int_equal(b->ops[11].kind, OP_LOCK);
    assert_int_equal(b->ops[11].object, 0);
    assert_int_equal(b->ops[11].body_end, 18);
    assert_int_equal(b->ops[12].kind, OP_QUEUE_PUT);
    assert_int_equal(b->ops[12].object, 2);
    const op_t *t = &b->ops[13];
    assert_int_equal(t->kind, OP_TRY);
    assert_int_equal(t->body_end, 16);
    assert_int_equal(t->except_end, 18);
    assert_int_equal(b->ops[14].kind, OP_QUEUE_GET);
    assert_int_equal(b->ops[14].object, 3);
    assert_int_equal(b->ops[15].kind, OP_RAISE);
    assert_string_equal(b->ops[15].text, "TimeoutError");
    assert_true(b->ops[15].probability == 0.25);
    assert_int_equal(b->ops[16].kind, OP_EVENT_SET);
    assert_int_equal(b->ops[16].object, 1);
    assert_int_equal(b->ops[17].kind, OP_RAISE);
    assert_true(b->ops[17].probability == 1.0);
    assert_int_equal(b->ops[18].kind, OP_EVENT_WAIT);
    assert_int_equal(b->ops[18].object, 1);
    assert_int_equal(b->ops[20].kind, OP_CRASH);
    assert_string_equal(b->ops[20].text, "out of memory");
    assert_int_equal(b->ops[20].line, 89);
    assert_int_equal(b->ops[20].col, 9);
    cfg_free(&c);
}

static void test_forms_and_order(void **state)
{
    config_t c;
    (void)state;
    /* processes before functions; a scalar `args` is one argument; an
     * empty args list; `params:` empty; a lone count op */
    load_ok("processes:\n"
            "  - main:\n"
            "      - call: f\n"
            "        args: 2ms\n"
            "      - call: g\n"
            "        args: []\n"
            "      - call: g\n"
            "        args: {}\n"
            "    threads:\n"
            "      - count: 2\n"
            "        program: [call: g]\n"
            "functions:\n"
            "  f: {params: {d: duration}, body: [cpu: $d]}\n"
            "  g:\n"
            "    params:\n"
            "    async: false\n"
            "    body: [{raise: E, probability: 1}]\n", NULL, 0, &c);
    assert_int_equal(c.procs[0].main.ops[0].call.fn, 0);
    check_lit_dur(&c.procs[0].main.ops[0].call.args[0], DIST_CONST, MS(2));
    assert_int_equal(c.procs[0].main.ops[1].call.fn, 1);
    assert_int_equal(c.procs[0].main.ops[1].call.nargs, 0);
    assert_int_equal(c.functions[1].nparams, 0);
    cfg_free(&c);

    /* the same handle in two programs is two handles; re-using a name for
     * the same kind is one */
    load_ok("functions:\n"
            "  j: {body: [cpu: 1ms]}\n"
            "processes:\n"
            "  - main:\n"
            "      - {start: j, as: h}\n"
            "      - {start: j, as: h}\n"
            "      - join: h\n"
            "    threads:\n"
            "      - program: [{process: j, as: h}, join: h]\n", NULL, 0, &c);
    assert_int_equal(c.procs[0].main.nlocals, 1);
    assert_int_equal(c.procs[0].main.ops[1].local, 0);
    assert_int_equal(c.procs[0].threads[0].prog.local_kinds[0], LOCAL_PROCESSES);
    cfg_free(&c);
}

static void test_call_depth_limit(void **state)
{
    size_t cap = 64 * (CALL_MAX_DEPTH + 2) + 128;
    char *yaml = malloc(cap);
    int n = 0;
    config_t c;
    (void)state;
    assert_non_null(yaml);
    n += snprintf(yaml + n, cap - (size_t)n, "functions:\n");
    for (int i = 0; i < CALL_MAX_DEPTH; i++)   /* f0 .. f63: exactly the limit */
        n += snprintf(yaml + n, cap - (size_t)n, i < CALL_MAX_DEPTH - 1 ?
                      "  f%d: {body: [call: f%d]}\n" : "  f%d: {body: [cpu: 1ms]}\n", i, i + 1);
    snprintf(yaml + n, cap - (size_t)n, "processes: [{main: [call: f0]}]\n");
    load_ok(yaml, NULL, 0, &c);
    assert_int_equal(c.nfunctions, CALL_MAX_DEPTH);
    cfg_free(&c);
    /* one more level, added on top: too deep; starting a thread resets it */
    n = snprintf(yaml, cap, "functions:\n  top: {body: [call: f0]}\n  t: {body: [start: f0]}\n");
    for (int i = 0; i < CALL_MAX_DEPTH; i++)
        n += snprintf(yaml + n, cap - (size_t)n, i < CALL_MAX_DEPTH - 1 ?
                      "  f%d: {body: [call: f%d]}\n" : "  f%d: {body: [cpu: 1ms]}\n", i, i + 1);
    snprintf(yaml + n, cap - (size_t)n, "processes: [{main: [call: t]}]\n");
    load_fails(yaml, NULL, 0, "test.yaml:2:22: calls nested more than 64 deep: calling 'f0' from 'top' makes a chain of 65");
    free(yaml);
}

static void test_set_reaches_the_new_keys(void **state)
{
    char *sets[] = {
        "python.version=3.12",
        "python.thread_memory=1MiB",
        "multiprocessing.start_method=spawn",
        "asyncio.task_step=9us",
        "functions.work.body.0.cpu=exp(3ms)",
        "functions.work.async=false",
        "processes.0.main.0.args.0=4ms",
        "objects.2.maxsize=5",
    };
    config_t c;
    (void)state;
    load_ok(rich_yaml, sets, (int)(sizeof sets / sizeof sets[0]), &c);
    assert_int_equal(c.python.version, 312);
    assert_int_equal(c.python.thread_memory, 1 << 20);
    assert_int_equal(c.mp.start_method, START_SPAWN);
    assert_int_equal(c.aio.task_step, US(9));
    assert_int_equal(c.functions[0].body.ops[0].kind, OP_CPU);
    assert_int_equal(c.functions[0].body.ops[0].dur_param, -1);
    assert_int_equal(c.functions[0].body.ops[0].dur.kind, DIST_EXP);
    assert_int_equal(c.functions[0].body.ops[0].line, 14);  /* the op is still where it was */
    check_lit_dur(&c.procs[0].main.ops[0].call.args[0], DIST_CONST, MS(4));
    cfg_free(&c);

    static const struct { char *set; const char *want; } bad[] = {
        { "processes.0.main.0.call=bos", "--set 'processes.0.main.0.call=bos': unknown function 'bos' (did you mean 'boss'?)" },
        { "functions.work.async=true", "'work' is a coroutine function: start needs a plain function" },
        { "functions.fetch.async=false", "test.yaml:24:9: 'await' outside async function" },
        { "functions.boss.body.0.as=tasks", "unknown key 'as' in an op ('asyncio_run' takes: asyncio_run, args)" },
        { "objects.0.kind=event", "'guard' is an event, not a lock" },
        { "functions.work.body.1.do.0.call=work", "--set 'functions.work.body.1.do.0.call=work': an op does one thing" },
        { "python.version=3.16", "--set 'python.version=3.16': Python version 3.16 is not modelled" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *one[] = { bad[i].set };
        load_fails(rich_yaml, one, 1, bad[i].want);
    }
    char *cycle[] = { "functions.g.body.0.call=f" };
    load_fails("functions: {f: {body: [call: g]}, g: {body: [call: h]}, h: {body: [cpu: 1ms]}}\n"
               "processes: [{main: [call: f]}]\n", cycle, 1,
               "--set 'functions.g.body.0.call=f': recursive call: 'f' -> 'g' -> 'f'");
}

/* The fuzzers of the old format, over the new one. */
static void test_rich_never_crashes(void **state)
{
    (void)state;
    load_mutants(rich_yaml, 3, 0x2545F4914F6CDD1Dull, " :-[]{},#$\n0123456789.()xmsu");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_asyncio_ops),
        cmocka_unit_test(test_thread_and_process_ops),
        cmocka_unit_test(test_pool_ops),
        cmocka_unit_test(test_sync_and_fault_ops),
        cmocka_unit_test(test_forms_and_order),
        cmocka_unit_test(test_call_depth_limit),
        cmocka_unit_test(test_set_reaches_the_new_keys),
        cmocka_unit_test(test_rich_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
