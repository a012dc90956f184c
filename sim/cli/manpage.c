/* manpage.c — see manpage.h.
 *
 * Only prose that is the page's own (its name line, a paragraph of
 * description, where the files are) is written here; the usage, the
 * environment, the exit statuses and every table come from help.c, the
 * same bytes gilsim --help and gilsim help TOPIC print.  The pages use
 * the man(7) macros alone: .TH, .SH, .SS, .TP, .B, .nf/.fi. */
#include <stdlib.h>
#include <string.h>
#include "cli/help.h"
#include "cli/manpage.h"
#include "engine/util.h"

const char *const man_pages[] = {"gilsim.1", "gilsim-config.5", NULL};

/* text in a no-fill block: kept line for line, as the terminal shows it. */
static void verbatim(FILE *out, const char *text, size_t len)
{
    while (len && text[len - 1] == '\n')
        len--;
    while (len && *text == '\n') {
        text++;
        len--;
    }
    char *copy = text_dup(text, len);
    fputs(".nf\n", out);
    roff_write(out, copy ? copy : "");
    fputs("\n.fi\n", out);
    free(copy);
}

/* A --help section ("\nheading:\n" and its lines) without its heading,
 * which the page's .SH gives. */
static void section_body(FILE *out, const char *section)
{
    const char *body = strchr(section + 1, '\n');
    body = body ? body + 1 : section;
    verbatim(out, body, strlen(body));
}

static void page_gilsim(FILE *out)
{
    const char *blank = strstr(help_usage, "\n\n");
    size_t synopsis = blank ? (size_t)(blank - help_usage) : 0;
    fputs(".SH NAME\ngilsim \\- simulate how Python runs threads, processes and asyncio\n"
          "on a multicore machine\n.SH SYNOPSIS\n", out);
    verbatim(out, help_usage, synopsis);
    fputs(".SH DESCRIPTION\n", out);
    roff_paragraph(out, "gilsim is a deterministic discrete-event simulator of CPython's global "
                   "interpreter lock, its threads, processes, thread and process pools and "
                   "asyncio event loops, and the operating system handing out cores. A run "
                   "reads a YAML config (see");
    fputs(".BR gilsim-config (5)),\n", out);
    roff_paragraph(out, "prints a summary and writes CSV files of what happened; gnuplot draws "
                   "its figures.");
    fputs(".SH OPTIONS\n", out);
    verbatim(out, help_usage + synopsis, strlen(help_usage + synopsis));
    fputs(".SH REFERENCE TABLES\n", out);
    fputs("gilsim help TOPIC prints one; with --markdown as the READMEs have it.\n.nf\n", out);
    help_topics(out);
    fputs(".fi\n.SH ENVIRONMENT\n", out);
    section_body(out, help_environment);
    fputs(".SH EXIT STATUS\n", out);
    section_body(out, help_exit_status);
    fputs(".SH FILES\n"
          ".TP\n.I PREFIX/share/gilsim/plots/\n"
          "the gnuplot scripts that draw a run's figures\n"
          ".TP\n.I PREFIX/share/gilsim/configs/\n"
          "example configs, the course notes' examples (seed/) and the labs (labs/)\n"
          ".SH SEE ALSO\n.BR gilsim-config (5),\n.BR gnuplot (1)\n", out);
}

static void page_config(FILE *out)
{
    fputs(".SH NAME\ngilsim-config \\- the YAML configs gilsim runs\n.SH DESCRIPTION\n", out);
    roff_paragraph(out, "A config is a YAML mapping: the machine, the operating system's and "
                   "CPython's parameters, and the processes with their threads and programs. "
                   "Every key is checked: a misspelt one is an error with its file, line and "
                   "column, never ignored. Durations take a unit (ns, us, ms, s); any key can "
                   "be overridden on the command line with --set KEY=VALUE, where numbers "
                   "index lists (processes.0.threads.0.count=16). Below, each key with its "
                   "type, default, unit, meaning and where its default comes from, as "
                   "gilsim config-reference prints them.");
    fputs(".SH KEYS\n", out);
    help_roff(out, "reference");
    fputs(".SH PROGRAM OPS\n", out);
    help_roff(out, "ops");
    fputs(".SH GIL POLICIES\n", out);
    help_roff(out, "gils");
    fputs(".SH IMPORTS\n", out);
    help_roff(out, "imports");
    fputs(".SH EXAMPLE\n"
          "Eight CPU-bound threads in one process on four cores:\n"
          ".PP\n.nf\n"
          "machine: {cores: 4}\n"
          "duration: 10s\n"
          "processes:\n"
          "  - threads:\n"
          "      - name: worker\n"
          "        count: 8\n"
          "        program:\n"
          "          - repeat: forever\n"
          "            do: [{cpu: 20us}]\n"
          ".fi\n"
          ".SH SEE ALSO\n.BR gilsim (1)\n", out);
}

int man_print(FILE *out, const char *page, const char *version, const char *date)
{
    int config = !strcmp(page, man_pages[1]);
    if (!config && strcmp(page, man_pages[0]))
        return -1;
    fprintf(out, ".TH %s %s %s \"gilsim %s\" \"%s\"\n", config ? "GILSIM-CONFIG" : "GILSIM",
            config ? "5" : "1", date, version, config ? "File Formats" : "User Commands");
    fputs(".nh\n", out);           /* no hyphens: a key broken across lines copies wrong */
    if (config)
        page_config(out);
    else
        page_gilsim(out);
    return 0;
}
