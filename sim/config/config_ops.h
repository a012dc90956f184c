/* config_ops.h — config_ops.c: programs, read op by op. */
#ifndef GILSIM_CONFIG_OPS_H
#define GILSIM_CONFIG_OPS_H

#include "config/config_internal.h"

/* Reads a sequence of ops into prog (a function's body when fn >= 0). */
int cfg_parse_program(struct ctx *c, program_t *prog, yaml_node_t *seq, int fn);
void cfg_free_program(program_t *p);

#endif
