/* lab_cmd.h — `gilsim lab list|show|check|make ...` (the command line's
 * lab commands: main.c hands them over here). */
#ifndef GILSIM_LAB_CMD_H
#define GILSIM_LAB_CMD_H

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include "lab/lab.h"

/* argv[0] is "lab".  stop: set by the caller's signal handler.  Returns
 * the exit status.  lab make finds the gnuplot scripts in gilsim's data
 * folder (cli/datadir.h). */
int  lab_command(int argc, char **argv, volatile sig_atomic_t *stop);
/* The usage lines, for gilsim --help. */
void lab_usage(FILE *out);
/* The options of lab show and lab make, and of lab grade (lg_cmd.c), for
 * the shell's completion too; a zeroed entry ends each. */
extern const struct option lab_options[];
/* lab's commands, NULL-ended: its usage error names them, the completion
 * offers them. */
extern const char *const lab_command_names[];
extern const struct option lab_grade_options[];

/* The lab ids under root (folders [a-z0-9_]+ holding lab.yaml), in name
 * order, malloc'd.  A missing root is no labs.  Any other folder (but a
 * hidden one) is said and counted in skipped.  0, or 1 (said). */
int  lab_list_ids(const char *root, char ***ids, int *n, int *skipped);
/* A new private temporary folder (TMPDIR), malloc'd; NULL with err. */
char *lab_temp_dir(char err[LAB_ERR_MAX]);

/* lab_check.c and lab_make.c */
int  lab_check(const char *root, const char *id, volatile sig_atomic_t *stop);
int  lab_make(const lab_t *lab, const char *roster, const char *out, int jobs,
              const char *plots_dir, volatile sig_atomic_t *stop);

#endif
