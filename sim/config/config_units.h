/* config_units.h — config_units.c beyond what config.h makes public
 * (cfg_parse_duration, cfg_parse_dist): sizes in bytes. */
#ifndef GILSIM_CONFIG_UNITS_H
#define GILSIM_CONFIG_UNITS_H

#include <stdint.h>

/* "16KiB", "0.8KiB" (rounded to the nearest byte), "10MiB", "512B" */
int cfg_parse_bytes(const char *s, int64_t *bytes, char *err, int errsize);

#endif
