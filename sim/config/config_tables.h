/* config_tables.h — what config.c offers the config reference
 * (config_reference.c): its tables of fields and its defaults. */
#ifndef GILSIM_CONFIG_TABLES_H
#define GILSIM_CONFIG_TABLES_H

#include "config/config_nodes.h"

/* Every field a config may hold, section by section in the order a config
 * is written (cfg_each_key's order). */
void cfg_each_field(cfg_field_fn each, void *ctx);
/* The settings a config starts from, before it is read.  Where a default
 * depends on what is read later it is a placeholder here (0, or -1 for a
 * latency that defaults to os.wake_latency): python.version decides it
 * (config_version.c) or cfg_resolve_late_defaults does. */
void cfg_set_defaults(config_t *cfg);

#endif
