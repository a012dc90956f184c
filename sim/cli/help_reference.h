/* help_reference.h — the config reference (`gilsim config-reference`,
 * `gilsim help reference`): every key the loader accepts with its type,
 * default, unit, meaning and source, from cfg_key_reference (config.h). */
#ifndef GILSIM_HELP_REFERENCE_H
#define GILSIM_HELP_REFERENCE_H

#include "cli/help_format.h"

/* As text (a block a key, wrapped to 79 columns), a Markdown table, or
 * roff tagged paragraphs (gilsim-config(5)). */
void help_reference(help_out_t *h);

#endif
