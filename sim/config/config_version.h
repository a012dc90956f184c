/* config_version.h — config_version.c: python.version and python.gil
 * together, what needs a GIL per interpreter, and the defaults resolved
 * once the config is read. */
#ifndef GILSIM_CONFIG_VERSION_H
#define GILSIM_CONFIG_VERSION_H

#include "config/config_errors.h"

/* Once the settings are read: python.gil from python.version when it is
 * not given, and an error at python.gil when the two contradict. */
int cfg_resolve_gil(struct ctx *c, config_t *cfg);
/* Once the programs are read: python.version, when not given, from
 * python.gil and the constructs the programs use (an error at python.gil
 * when no version has them all); when given, an error at a construct it
 * lacks. */
int cfg_resolve_version(struct ctx *c, config_t *cfg);
/* Defaults that depend on other keys, once the config is read: the
 * version's (check points, free-threading slowdown, warm-up) and the
 * latencies that follow os.wake_latency. */
void cfg_resolve_late_defaults(config_t *cfg);
/* A thread group (its mapping) with `interpreter` or `switch_interval`
 * but no GIL per interpreter: an error at that key. */
int cfg_check_group_interpreter(struct ctx *c, const config_t *cfg, const yaml_node_t *group);
/* python.specialize: true needs 3.11+ (PEP 659); else an error at the key. */
int cfg_check_specialize(struct ctx *c, const config_t *cfg, const yaml_node_t *root);

#endif
