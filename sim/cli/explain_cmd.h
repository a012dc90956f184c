/* explain_cmd.h — the `gilsim explain` command, and the time arguments it
 * shares with `gilsim plot`. */
#ifndef GILSIM_EXPLAIN_CMD_H
#define GILSIM_EXPLAIN_CMD_H

#include <getopt.h>
#include "simtime.h"

/* A --from or --to: a duration with its unit ("200ms"), or a bare 0, as
 * the start of a run needs no unit.  0, or -1 with the reason in msg. */
int cli_time_arg(const char *arg, simtime_t *at, char *msg, int size);

/* `gilsim explain DIR [options]`: argv[0] is "explain".  Returns the exit
 * status: 0, 1 (out of memory), 2 (usage, or a bad run folder). */
int explain_command(int argc, char **argv);
/* Its options (for the shell's completion too); a zeroed entry ends them. */
extern const struct option explain_options[];

#endif
