/* complete.c — see complete.h.
 *
 * Only the word at CWORD and the ones before it count; the candidates are
 * every word that may stand there, and the script keeps those that start
 * with what is typed (compgen -W).  A key for --set or --vary ends with
 * '=', so the value follows without a space. */
#include <stdlib.h>
#include <string.h>
#include "cli/complete.h"
#include "cli/explain_cmd.h"
#include "cli/help.h"
#include "cli/manpage.h"
#include "cli/options.h"
#include "config.h"
#include "lab/lab_cmd.h"
#include "out/figures.h"

static const char *const options_alone[] = {"--help", "--version", NULL};

static void words(FILE *out, const char *const *w)
{
    for (; *w; w++)
        fprintf(out, "%s\n", *w);
}

static void options(FILE *out, const struct option *o)
{
    for (; o->name; o++)
        fprintf(out, "--%s\n", o->name);
}

/* A config key as --set writes it: a list's entries by index (the first),
 * a named section's (functions.NAME) left out, as its names are the
 * config's own. */
static void key_word(void *ctx, const char *section, const char *key, int required)
{
    FILE *out = ctx;
    (void)required;
    if (strstr(section, "NAME"))
        return;
    for (const char *c = section; *c; c++)
        if (c[0] == '[' && c[1] == ']') {
            fputs(".0", out);
            c++;
        } else
            fputc(*c, out);
    fprintf(out, "%s%s=\n", *section ? "." : "", key);
}

static void lab_ids(FILE *out)
{
    char **ids;
    int n, skipped;
    if (lab_list_ids(lab_root(), &ids, &n, &skipped) != 0)
        return;
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s\n", ids[i]);
        free(ids[i]);
    }
    free(ids);
}

/* The word after an option that takes a value, or 0 when prev takes none
 * of the kinds offered here. */
static int option_value(FILE *out, const char *prev)
{
    if (!strcmp(prev, "--set") || !strcmp(prev, "--vary"))
        cfg_each_key(key_word, out);
    else if (!strcmp(prev, "--trace"))
        words(out, cli_trace_names);
    else if (!strcmp(prev, "--format"))
        words(out, figure_formats);
    else if (!strcmp(prev, "-o") || !strcmp(prev, "--output") || !strcmp(prev, "--collect"))
        fputs("@dirs\n", out);
    else if (!strcmp(prev, "--emit-jobs") || !strcmp(prev, "--emit-slurm") ||
             !strcmp(prev, "--roster") || !strcmp(prev, "--key") ||
             !strcmp(prev, "--submissions"))
        fputs("@files\n", out);
    else
        return 0;
    return 1;
}

static void lab_words(FILE *out, int cword, char **w)
{
    if (cword == 2) {
        words(out, lab_command_names);
        return;
    }
    if (option_value(out, w[cword - 1]))
        return;
    int grade = !strcmp(w[2], "grade");
    if (w[cword][0] == '-')
        options(out, grade ? lab_grade_options : lab_options);
    else if (cword == 3 && !grade && strcmp(w[2], "list"))
        lab_ids(out);
}

/* key as the config reference names it: a list's index as "[]"
 * (objects.0.kind: objects[].kind), a function's and a parameter's name as
 * NAME and PARAM (functions.f.params.n.type: functions.NAME.params.PARAM.type). */
static void reference_name(const char *key, char *b, size_t n)
{
    size_t len = 0;
    int functions = !strncmp(key, "functions.", 10);
    b[0] = '\0';
    for (int part = 0; *key && len < n; part++) {
        size_t k = strcspn(key, ".");
        int index = k > 0 && strspn(key, "0123456789") >= k;
        const char *dot = part && !index ? "." : "";
        if (index)
            len += (size_t)snprintf(b + len, n - len, "[]");
        else if (functions && part == 1)
            len += (size_t)snprintf(b + len, n - len, ".NAME");
        else if (functions && part == 3)
            len += (size_t)snprintf(b + len, n - len, ".PARAM");
        else
            len += (size_t)snprintf(b + len, n - len, "%s%.*s", dot, (int)k, key);
        key += k + (key[k] == '.');
    }
}

/* The words a setting takes when its type is a list of them ("cfs | rr"),
 * from the config reference; nothing for other keys. */
static void key_values(FILE *out, const char *typed)
{
    char key[256];
    cfg_key_ref_t r;
    reference_name(typed, key, sizeof key);
    for (int i = 0; cfg_key_reference(i, &r) != -1; i++) {
        if (strcmp(r.key, key) != 0 || !strstr(r.type, " | "))
            continue;
        for (const char *w = r.type; *w;) {
            size_t n = strcspn(w, " ");
            fprintf(out, "%.*s\n", (int)n, w);
            w += n;
            w += strspn(w, " |");
        }
    }
}

/* A value after --set KEY= or --vary KEY=: bash splits the word at '='
 * (COMP_WORDBREAKS), so w ends "--set" KEY "=" [VALUE].  1 when it does
 * (the key's values said, if it has a list of them), else 0. */
static int setting_value(FILE *out, int cword, char **w)
{
    int eq = !strcmp(w[cword], "=") ? cword : !strcmp(w[cword - 1], "=") ? cword - 1 : 0;
    if (eq < 3 || (strcmp(w[eq - 2], "--set") && strcmp(w[eq - 2], "--vary")))
        return 0;
    key_values(out, w[eq - 1]);
    return 1;
}

int complete_command(int argc, char **argv, FILE *out)
{
    char *end;
    long cword = argc > 0 ? strtol(argv[0], &end, 10) : -1;
    if (argc < 2 || *end || cword < 1 || cword >= argc - 1)
        return 2;
    char **w = argv + 1;         /* w[0]: gilsim; w[cword]: the word being typed */
    const char *sub = w[1], *cur = w[cword], *prev = w[cword - 1];
    if (cword == 1) {
        words(out, cli_commands);
        words(out, options_alone);
    }
    else if (!strcmp(sub, "lab"))
        lab_words(out, (int)cword, w);
    else if (!strcmp(sub, "help") && cword == 2)
        for (int i = 0; help_topic_name(i); i++)
            fprintf(out, "%s\n", help_topic_name(i));
    else if (!strcmp(sub, "help") || !strcmp(sub, "config-reference"))
        fputs(cword == 2 || !strcmp(sub, "help") ? "--markdown\n" : "", out);
    else if (!strcmp(sub, "man") && cword == 2)
        words(out, man_pages);
    else if (!strcmp(sub, "completion") && cword == 2)
        fputs("bash\n", out);
    else if (setting_value(out, (int)cword, w) || option_value(out, prev))
        ;
    else if (cur[0] == '-')
        options(out, !strcmp(sub, "explain") ? explain_options : cli_options);
    else if (!strcmp(sub, "plot") || !strcmp(sub, "explain"))
        fputs("@dirs\n", out);
    else if (!strcmp(sub, "run") || !strcmp(sub, "sweep"))
        fputs("@files\n", out);
    return 0;
}

static const char script[] =
"# bash completion for gilsim: `gilsim completion bash` prints it; make install\n"
"# puts it in PREFIX/share/bash-completion/completions/gilsim.  The words come\n"
"# from gilsim itself (gilsim complete CWORD WORD...), so they follow its tables.\n"
"_gilsim() {\n"
"    local cur=${COMP_WORDS[COMP_CWORD]} IFS=$'\\n' got\n"
"    [[ $cur == = ]] && cur=                  # just after a '=' (--set KEY=): an empty word\n"
"    got=$(\"${COMP_WORDS[0]}\" complete \"$COMP_CWORD\" \"${COMP_WORDS[@]}\" 2>/dev/null) || return\n"
"    case $got in\n"
"    @files) COMPREPLY=($(compgen -f -- \"$cur\")); compopt -o filenames 2>/dev/null ;;\n"
"    @dirs) COMPREPLY=($(compgen -d -- \"$cur\")); compopt -o filenames 2>/dev/null ;;\n"
"    *) COMPREPLY=($(compgen -W \"$got\" -- \"$cur\"))\n"
"       [[ ${#COMPREPLY[@]} = 1 && ${COMPREPLY[0]} = *= ]] && compopt -o nospace 2>/dev/null ;;\n"
"    esac\n"
"}\n"
"complete -F _gilsim gilsim\n";

int completion_script(int argc, char **argv, FILE *out)
{
    if (argc != 1 || strcmp(argv[0], "bash"))
        return 2;
    fputs(script, out);
    return 0;
}
