/* help.h — `gilsim help [TOPIC] [--markdown]`: the reference tables
 * (config keys, ops, events, CSV columns, GIL policies), each printed from
 * the one table that defines it.  The READMEs' reference sections are this
 * output with --markdown, between <!-- BEGIN help TOPIC --> and
 * <!-- END help TOPIC --> (make docs-check, make docs). */
#ifndef GILSIM_HELP_H
#define GILSIM_HELP_H

#include <stdio.h>

/* args: what follows "help" on the command line.  Prints to out; returns
 * the exit status (2 for an unknown topic or option, said on stderr). */
int help_command(int argc, char **argv, FILE *out);
/* `gilsim config-reference [--markdown]`: `gilsim help reference`. */
int help_reference_command(int argc, char **argv, FILE *out);
/* The usage `gilsim --help` prints, then help_topics_intro and the
 * topics. */
extern const char help_usage[];
extern const char help_topics_intro[];
/* The environment variables gilsim reads, for --help after the topics. */
extern const char help_environment[];
/* What gilsim's exit statuses mean, for --help last. */
extern const char help_exit_status[];
/* The topics, one line each (for gilsim --help too). */
void help_topics(FILE *out);
/* Topic i's name, or NULL past the last (for the shell's completion). */
const char *help_topic_name(int i);
/* For the manual pages (manpage.c): topic's tables as roff, each a
 * subsection (.SS) of tagged paragraphs; -1 for an unknown topic.  And
 * text as roff text (lines starting with '.' or '\'' kept as text). */
int  help_roff(FILE *out, const char *topic);
void roff_write(FILE *out, const char *text);
/* text as a filled paragraph's source lines, about 72 bytes each. */
void roff_paragraph(FILE *out, const char *text);

#endif
