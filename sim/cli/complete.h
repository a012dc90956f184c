/* complete.h — the shell's completion of gilsim's command lines:
 * `gilsim completion bash` prints the script bash loads (make install puts
 * it where bash-completion finds it), and the script asks
 * `gilsim complete CWORD WORD...` for the words that may come at CWORD,
 * which come from the tables the commands themselves parse with: the
 * options, the config keys, the help topics, the labs. */
#ifndef GILSIM_COMPLETE_H
#define GILSIM_COMPLETE_H

#include <stdio.h>

/* argv: what follows "complete": CWORD, then the command line's words
 * (gilsim first).  Prints the candidates, one a line, or @files or @dirs
 * for the shell to offer file or folder names.  Returns the exit status. */
int complete_command(int argc, char **argv, FILE *out);
/* `gilsim completion bash`: the script; the exit status. */
int completion_script(int argc, char **argv, FILE *out);

#endif
