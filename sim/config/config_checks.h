/* config_checks.h — config_checks.c: what can be judged only once the
 * whole config is read. */
#ifndef GILSIM_CONFIG_CHECKS_H
#define GILSIM_CONFIG_CHECKS_H

#include "config/config_errors.h"

/* Records a call from function caller (-1: a thread's or main program,
 * which nothing can call: not kept) to callee, written at `at`. */
int cfg_add_callsite(struct ctx *c, int caller, int callee, int is_inline,
                     const yaml_node_t *at);
/* Recursion and CALL_MAX_DEPTH, over every call site. */
int cfg_check_calls(struct ctx *c);
/* Affinities against the machine's cores (the constructs against
 * python.version: config_version.c). */
int cfg_check_model_limits(struct ctx *c, const config_t *cfg);

#endif
