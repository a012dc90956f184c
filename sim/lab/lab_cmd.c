/* lab_cmd.c — see lab_cmd.h: the lab commands' arguments, `lab list`
 * and `lab show`; `lab check` is lab_check.c's, `lab make` lab_make.c's.
 * Bad usage, an unknown lab or a bad lab file: one line, status 2. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "engine/util.h"
#include "cli/datadir.h"
#include "cli/jobs.h"
#include "lab/lab_cmd.h"
#include "lab/lab_handout.h"
#include "lab/lg.h"
#include "lab/roster.h"

static const char usage[] =
"usage: gilsim lab list\n"
"       gilsim lab show LAB [--student ID] [-c | -o DIR]\n"
"       gilsim lab check [LAB]\n"
"       gilsim lab make LAB --roster FILE -o DIR [--jobs N]\n"
"       gilsim lab grade LAB --key KEY.csv --submissions SUBS.csv -o MARKS.csv\n";

void lab_usage(FILE *out)
{
    fputs(usage, out);
    fputs("\nLabs are folders configs/labs/LAB/ (or $GILSIM_LABS/LAB/; for an installed gilsim\n"
          "away from them, its own): lab.yaml, handout.md and config templates (gilsim help lab).\n"
          "  list                 each lab: id, title, section, number of questions\n"
          "  show LAB             the handout of a student (--student ID, default example);\n"
          "                       -c also runs the variant and shows the key's answers;\n"
          "                       -o DIR writes DIR/handout.md and the student's configs\n"
          "                       into DIR/configs/, running nothing\n"
          "  check [LAB]          loads each lab, renders its templates at the parameters'\n"
          "                       ends, runs the example variant and its designs' solutions\n"
          "  make LAB             per student of --roster FILE (a CSV with a column student):\n"
          "                       DIR/ID/handout.md, figures/, configs/, and DIR/key.csv;\n"
          "                       DIR must be new, empty or made by an earlier lab make;\n"
          "                       --jobs N worker processes (default: the online cores)\n"
          "  grade LAB            marks SUBS.csv's answers against the key into MARKS.csv\n"
          "                       (gilsim lab grade --help)\n", out);
}

static int bad(const char *fmt, const char *arg)
{
    say(fmt, arg);
    return 2;
}

static int cmp_ids(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder under root that is not a lab: said, so a misnamed lab or a
 * missing lab.yaml is never silently left out of a list or a check. */
static int not_a_lab(const char *root, const char *name)
{
    char *dir = text_printf("%s/%s", root, name);
    struct stat st;
    int folder = dir && name[0] != '.' && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    if (folder)
        say("%s: not a lab, left out: %s", dir, lab_id_ok(name) ? "no lab.yaml in it"
            : "a lab's folder is named with a-z, 0-9 and _ only");
    free(dir);
    return folder;
}

int lab_list_ids(const char *root, char ***ids, int *n, int *skipped)
{
    DIR *d = opendir(root);
    *ids = NULL;
    *n = *skipped = 0;
    if (!d)
        return errno == ENOENT ? 0 : (say("%s: %s", root, strerror(errno)), 1);
    for (struct dirent *e; (e = readdir(d));) {
        char *lab = lab_id_ok(e->d_name) ? text_printf("%s/%s/lab.yaml", root, e->d_name) : NULL;
        struct stat st;
        if (lab && stat(lab, &st) == 0 && S_ISREG(st.st_mode)) {
            char **more = realloc(*ids, sizeof *more * (size_t)(*n + 1));
            if (more && (more[*n] = strdup(e->d_name)))
                (*n)++;
            if (more)
                *ids = more;
        } else
            *skipped += not_a_lab(root, e->d_name);
        free(lab);
    }
    closedir(d);
    if (*n > 1)                  /* qsort may not be given a null table */
        qsort(*ids, (size_t)*n, sizeof **ids, cmp_ids);
    return 0;
}

char *lab_temp_dir(char err[LAB_ERR_MAX])
{
    const char *base = getenv("TMPDIR");
    char *dir = text_printf("%s/gilsim-lab-XXXXXX", base && *base ? base : "/tmp");
    if (!dir || !mkdtemp(dir)) {
        snprintf(err, LAB_ERR_MAX, "cannot make a temporary folder: %s", strerror(errno));
        free(dir);
        return NULL;
    }
    return dir;
}

static int list(void)
{
    char **ids;
    int n, skipped, rc = lab_list_ids(lab_root(), &ids, &n, &skipped);
    for (int i = 0; rc == 0 && i < n; i++) {
        lab_t lab;
        char err[LAB_ERR_MAX];
        if (lab_load(lab_root(), ids[i], &lab, err) != 0) {
            say("%s", err);
            rc = 2;
            break;
        }
        printf("%-20s %s (%s), %d question%s\n", lab.id, lab.title, *lab.section ? lab.section
               : "no section", lab.nquestions, lab.nquestions == 1 ? "" : "s");
        lab_free(&lab);
    }
    struct stat st;
    char why[512];
    char *data = NULL;
    if (rc == 0 && n == 0 && stat(lab_root(), &st) != 0 && !getenv("GILSIM_LABS") &&
        !(data = datadir_find(why)))
        say("no labs: %s", why);     /* a lone binary: no labs folder anywhere */
    else if (rc == 0 && n == 0)
        printf("no labs in %s\n", lab_root());
    free(data);
    for (int i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    return rc;
}

/* Whether DIR is new or empty: show -o writes only there, so that no
 * earlier file (another lab's configs, a student's own) is mixed in or
 * overwritten. */
static int new_or_empty(const char *dir, char err[LAB_ERR_MAX])
{
    DIR *d = opendir(dir);
    if (!d && errno == ENOENT)
        return 0;
    if (!d) {
        snprintf(err, LAB_ERR_MAX, "%s: cannot read the folder: %s", dir, strerror(errno));
        return 2;
    }
    int others = 0;
    for (const struct dirent *e; (e = readdir(d));)
        others |= strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    if (others)
        snprintf(err, LAB_ERR_MAX, "%s: not empty: lab show -o writes into a new or empty folder",
                 dir);
    return others ? 2 : 0;
}

/* show -o DIR: the student's DIR/handout.md (the one show prints: no
 * figures) and DIR/configs/ (lab make's, byte for byte), running nothing:
 * no key. */
static int show_into(const lab_t *lab, const lab_variant_t *v, const char *student,
                     const char *out, char err[LAB_ERR_MAX])
{
    int rc = new_or_empty(out, err);
    if (rc)
        return rc;
    char *configs = path_join(out, "configs"), *path = path_join(out, "handout.md");
    char *text = configs && path ? lab_handout(lab, v, NULL, 0, err) : NULL;
    rc = text ? 0 : 1;
    if (rc == 0 && (make_dirs(configs) != 0)) {
        snprintf(err, LAB_ERR_MAX, "%s: cannot make the folder: %s", configs, strerror(errno));
        rc = 1;
    }
    lab_work_t w = {.lab = lab, .v = v, .configs = configs};
    if (rc == 0)
        rc = lab_write_file(path, "", text, err);
    if (rc == 0)
        rc = lab_write_configs(&w, err);
    if (rc == 0)
        printf("%s: %s's handout.md and configs/ (lab %s)\n", out, student, lab->id);
    free(configs);
    free(path);
    free(text);
    return rc;
}

/* The handout; with the key's answers (in a temporary folder) for -c; or
 * into a folder for -o. */
static int show(const lab_t *lab, const char *student, int with_key, const char *out,
                volatile sig_atomic_t *stop)
{
    char err[LAB_ERR_MAX] = "out of memory";
    lab_variant_t v = {0};
    lab_answer_t *a = calloc((size_t)lab->nquestions + 1, sizeof *a);
    char *tmp = NULL;
    int rc = !a ? 1 : lab_draw(lab, student, &v, err) ? 2 : 0;
    if (rc == 0 && with_key && !(tmp = lab_temp_dir(err)))
        rc = 1;
    lab_work_t w = {.lab = lab, .v = &v, .dir = tmp, .stop = stop};
    if (rc == 0 && with_key && (rc = lab_run_all(&w, err)) == 0)
        rc = lab_answer_all(&w, a, err);
    char *text = rc == 0 && !out ? lab_handout(lab, &v, with_key ? a : NULL, 0, err) : NULL;
    if (text)
        fputs(text, stdout);
    else if (rc == 0 && out)
        rc = show_into(lab, &v, student, out, err);
    else if (rc == 0)
        rc = 1;
    if (rc)
        say("lab show: %s", err);
    if (tmp)
        lab_remove_tree(tmp);
    lab_work_free(&w);
    lab_variant_free(&v);
    free(text);
    free(tmp);
    free(a);
    return rc;
}

typedef struct args {
    const char *student, *roster, *out;
    int key, jobs;
} args_t;

const struct option lab_options[] = {
    {"student", required_argument, NULL, 's'}, {"roster", required_argument, NULL, 'r'},
    {"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
};

/* Options of show and make; -1 to go on, else a status. */
static int parse(int argc, char **argv, args_t *a)
{
    int ch;
    char *end;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":co:h", lab_options, NULL)) != -1) {
        long n;
        switch (ch) {
        case 's': a->student = optarg; break;
        case 'r': a->roster = optarg; break;
        case 'o': a->out = optarg; break;
        case 'c': a->key = 1; break;
        case 'j':
            n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 1024)
                return bad("lab: --jobs '%s': expected a count from 1 to 1024", optarg);
            a->jobs = (int)n;
            break;
        case 'h': lab_usage(stdout); return 0;
        case ':': return bad("lab: option '%s' needs a value", argv[optind - 1]);
        default: return bad("lab: unknown option '%s' (see 'gilsim lab --help')",
                            argv[optind - 1]);
        }
    }
    return -1;
}

/* show or make: the lab named after the command. */
static int with_lab(const char *cmd, int argc, char **argv, volatile sig_atomic_t *stop)
{
    args_t a = {.student = "example", .jobs = jobs_cores()};
    int rc = parse(argc, argv, &a), make = !strcmp(cmd, "make");
    if (rc >= 0)
        return rc;
    if (optind + 1 != argc)
        return bad(optind >= argc ? "lab %s: which lab? (gilsim lab list)"
                                  : "lab %s: one lab at a time", cmd);
    if (make && (!a.roster || !a.out || !*a.out))
        return bad("lab %s: needs --roster FILE and -o DIR", cmd);
    for (const char *c = make ? a.out : ""; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return bad("lab make: -o '%s': a folder name with a control character cannot "
                       "be handed to gnuplot for the figures: choose another", a.out);
    if (!make && a.roster)
        return bad("lab %s: --roster belongs to 'gilsim lab make'", cmd);
    if (!make && a.out && !*a.out)
        return bad("lab %s: -o needs a folder name", cmd);
    if (!make && a.out && a.key)
        return bad("lab %s: -o DIR writes the handout and configs alone: no -c", cmd);
    if (!roster_id_ok(a.student))
        return bad("lab show: --student '%s': expected [A-Za-z0-9][A-Za-z0-9._-]{0,63}",
                   a.student);
    lab_t lab;
    char err[LAB_ERR_MAX];
    if (lab_load(lab_root(), argv[optind], &lab, err) != 0)
        return bad("%s", err);
    char *plots_dir = make ? datadir_plots() : NULL;
    if (make && !plots_dir)
        rc = 1;
    else
        rc = make ? lab_make(&lab, a.roster, a.out, a.jobs, plots_dir, stop)
                  : show(&lab, a.student, a.key, a.out, stop);
    free(plots_dir);
    lab_free(&lab);
    return rc;
}

const char *const lab_command_names[] = {"list", "show", "check", "make", "grade", NULL};

int lab_command(int argc, char **argv, volatile sig_atomic_t *stop)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    if (!cmd || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        lab_usage(cmd ? stdout : stderr);
        return cmd ? 0 : 2;
    }
    if (!strcmp(cmd, "list"))
        return argc == 2 ? list() : bad("lab list: unexpected argument '%s'", argv[2]);
    if (!strcmp(cmd, "check")) {
        if (argc > 3 || (argc == 3 && argv[2][0] == '-'))
            return bad("lab check: unexpected argument '%s'", argv[argc - 1]);
        return lab_check(lab_root(), argc == 3 ? argv[2] : NULL, stop);
    }
    if (!strcmp(cmd, "show") || !strcmp(cmd, "make"))
        return with_lab(cmd, argc - 1, argv + 1, stop);
    if (!strcmp(cmd, "grade"))
        return lg_command(argc - 1, argv + 1, stop);
    char known[64];
    text_join(known, sizeof known, lab_command_names);
    char *fmt = text_printf("lab: unknown command '%%s' (%s)", known);
    int rc = bad(fmt ? fmt : "lab: unknown command '%s'", cmd);
    free(fmt);
    return rc;
}
