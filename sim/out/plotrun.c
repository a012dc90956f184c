/* plotrun.c — starts gnuplot on the plots/ scripts and renders a run
 * folder's figures.
 *
 * No shell, anywhere: gnuplot is started with posix_spawnp and an argument
 * vector, `gnuplot -c SCRIPT ARG1 ARG2 ...`, and gnuplot keeps each ARGn
 * as a plain string, so a folder, config, process or thread name holding
 * `$(cmd)`, backticks or quotes is text, never a command.  The scripts
 * never `load`, `@`-expand or backtick-expand what they are given; names
 * reach the figures through data files (timeline.dat, asymmetry.dat) and ARGn.
 *
 * gnuplot's stderr is a pipe: its warnings never reach the user, and when
 * it fails gilsim prints one line naming the script and gnuplot's
 * complaint.  Each figure is written under a temporary name and renamed
 * when gnuplot succeeds, so a failed render leaves no half-drawn file.
 *
 * Nothing plotting writes goes through a link planted in the folder: the
 * data files are made fresh (util.h file_create_fresh), the temporary name is removed
 * before gnuplot opens it, and the rename replaces a link at the figure's
 * name instead of writing its target. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "columns.h"
#include "out/figures.h"
#include "out/outdir.h"
#include "plotprep.h"
#include "engine/util.h"

extern char **environ;

/* What gilsim keeps of gnuplot's stderr: enough for its first complaint. */
#define COMPLAINT_MAX 4096

/* Reads the child's stderr to its end, keeping the first cap bytes
 * (reading on so that gnuplot never blocks on a full pipe).  Returns 0 at
 * the end, or the signal once *stop is set: poll wakes every 100 ms, so a
 * signal that lands just before a read is never slept through. */
static int drain(int fd, char *keep, size_t cap, size_t *kept, const volatile sig_atomic_t *stop)
{
    char buf[4096];
    ssize_t n = 1;
    *kept = 0;
    keep[0] = '\0';
    while (n != 0) {
        if (stop && *stop > 0)
            return *stop;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, 100);
        if (r < 0 && errno != EINTR)
            break;
        if (r <= 0)
            continue;
        if ((n = read(fd, buf, sizeof buf)) < 0 && errno != EINTR)
            break;
        size_t got = n > 0 ? (size_t)n : 0, room = cap - *kept, take = got < room ? got : room;
        memcpy(keep + *kept, buf, take);
        *kept += take;
        keep[*kept] = '\0';
    }
    return 0;
}

/* Reaps gnuplot into *st.  sig (a signal that stopped the drain), or a
 * stop while waiting, first has it sent SIGTERM; a Ctrl-C that killed
 * gnuplot too counts as gilsim's.  Returns the signal, or 0. */
static int reap(pid_t pid, int sig, const volatile sig_atomic_t *stop, int *st)
{
    if (sig)
        kill(pid, SIGTERM);
    *st = -1;
    while (waitpid(pid, st, 0) < 0 && errno == EINTR) {
        if (!sig && stop && *stop > 0) {
            sig = *stop;
            kill(pid, SIGTERM);
        }
    }
    return !sig && stop && *stop > 0 ? *stop : sig;
}

/* The line of gnuplot's error message that says what went wrong: the
 * first naming the script's line ("... line 12: undefined variable") that
 * is not a warning, else such a warning, else the first non-blank line. */
static char *complaint_line(char *text)
{
    char *first = NULL, *warning = NULL;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        while (*line == ' ')
            line++;
        if (!*line || *line == '^')
            continue;
        int located = strstr(line, " line ") && strchr(line, ':');
        if (located && !strstr(line, "warning:"))
            return line;
        if (located && !warning)
            warning = line;
        if (!first)
            first = line;
    }
    return warning ? warning : first ? first : "no message";
}

static int spawn(const char *script, const char *const *args, int nargs, int errfd, pid_t *pid)
{
#ifdef __EMSCRIPTEN__
    /* WebAssembly starts no programs: the web page draws its own figures. */
    (void)script, (void)args, (void)nargs, (void)errfd, (void)pid;
    return ENOSYS;
#else
    const char **argv = calloc((size_t)nargs + 4, sizeof *argv);
    posix_spawn_file_actions_t fa;
    if (!argv)
        return ENOMEM;
    argv[0] = "gnuplot";
    argv[1] = "-c";
    argv[2] = script;
    for (int i = 0; i < nargs; i++)
        argv[3 + i] = args[i];
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc == 0) {
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, errfd, 2);
        rc = posix_spawnp(pid, "gnuplot", &fa, NULL, (char *const *)argv, environ);
        posix_spawn_file_actions_destroy(&fa);
    }
    free(argv);
    return rc;
#endif
}

int plot_gnuplot(const char *script, const char *const *args, int nargs,
                 const volatile sig_atomic_t *stop)
{
    int fds[2];
    pid_t pid;
    if (pipe(fds) != 0) {
        plot_error(script, 0, "cannot start gnuplot: %s", strerror(errno));
        return PLOT_FAILED;
    }
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);      /* dup2 in the child clears it on fd 2 */
    int rc = spawn(script, args, nargs, fds[1], &pid);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        if (rc == ENOENT)
            plot_error(NULL, 0, "gnuplot not found: install gnuplot (gnuplot-nox) to draw figures");
        else if (rc == ENOSYS)
            plot_error(NULL, 0, "this build cannot start gnuplot (WebAssembly has no processes)");
        else
            plot_error(script, 0, "cannot start gnuplot: %s", strerror(rc));
        return PLOT_FAILED;
    }
    char *text = malloc(COMPLAINT_MAX + 1);
    char dummy[1];
    size_t kept = 0;
    int st, sig = drain(fds[0], text ? text : dummy, text ? COMPLAINT_MAX : 0, &kept, stop);
    close(fds[0]);
    if ((sig = reap(pid, sig, stop, &st)) != 0 ||
        (WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
        free(text);
        return sig ? 128 + sig : PLOT_OK;        /* warnings, if any, stay unsaid */
    }
    const char *why = text ? complaint_line(text) : "out of memory";
    char *v = text_visible(why, strlen(why));
    plot_error(script, 0, "gnuplot failed: %s", v ? v : "out of memory");
    free(v);
    free(text);
    return PLOT_FAILED;
}

/* One figure: `gnuplot -c plots_dir/NAME.gp DIR FMT TEXT TMP [EXTRA]`,
 * drawn into TMP (DIR/FILE.part) and renamed to DIR/FILE. */
static int figure(const char *plots_dir, const char *name, const char *dir, const char *file,
                  const char *fmt, const char *const *text, const char *note,
                  const volatile sig_atomic_t *stop)
{
    char *script = text_printf("%s/%s.gp", plots_dir, name);
    char *out = path_join(dir, file);
    char *tmp = out ? text_printf("%s.part", out) : NULL;
    int rc = PLOT_FAILED;
    if (!script || !tmp) {
        plot_error(NULL, 0, "out of memory drawing %s", name);
    } else {
        const char *args[] = {dir, fmt, text[0], tmp, text[1]};
        unlink(tmp);             /* gnuplot follows a link: it must make a new file */
        rc = plot_gnuplot(script, args, text[1] ? 5 : 4, stop);
        if (rc == PLOT_OK && rename(tmp, out) != 0) {
            plot_error(out, 0, "cannot write: %s", strerror(errno));
            rc = PLOT_FAILED;
        }
        if (rc != PLOT_OK)
            unlink(tmp);             /* failed or interrupted: no half-drawn figure */
        else if (note) {
            char *v = text_visible(out, strlen(out));
            printf("plot       %s%s\n", v ? v : name, note);
            free(v);
        }
    }
    free(script);
    free(out);
    free(tmp);
    return rc;
}

static void unlink_in(const char *dir, const char *name)
{
    char *p = path_join(dir, name);
    if (p)
        unlink(p);
    free(p);
}

/* Removes the data files a refused folder's readers had written. */
static void unlink_data(const char *dir)
{
    static const char *const written[] = {"cores.dat", "asymmetry.dat"};
    for (size_t i = 0; i < sizeof written / sizeof written[0]; i++)
        unlink_in(dir, written[i]);
}

/* Whether the folder has no trace.csv at all (a --trace summary run). */
static int without_trace(const char *dir)
{
    struct stat sb;
    char *p = path_join(dir, col_files[COL_TRACE_CSV].name);
    int none = p && lstat(p, &sb) != 0 && errno == ENOENT;
    free(p);
    return none;
}

/* The run folder's data for the figures, read and checked: summary.csv,
 * threads.csv, then trace.csv, which a --trace summary run has not (its
 * figures are then drawn from the other two); a zoom needs it. */
static int prepare_all(const char *dir, long long from, long long to, plot_info_t *info)
{
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        plot_error(dir, 0, "cannot open the run folder: %s", strerror(errno));
        return PLOT_BAD_INPUT;
    }
    if (!S_ISDIR(sb.st_mode)) {
        plot_error(dir, 0, "not a folder (gilsim plot takes a run's output folder)");
        return PLOT_BAD_INPUT;
    }
    int rc = plot_summary(dir, info);
    if (rc == PLOT_OK)
        rc = plot_window(info, from, to);
    if (rc == PLOT_OK)
        rc = plot_threads(dir, info);
    if (rc == PLOT_OK && (info->zoom || !without_trace(dir)))
        rc = plot_prepare(dir, info);
    if (rc != PLOT_OK)
        unlink_data(dir);        /* no data files of a refused folder left behind */
    return rc;
}

/* The signal that stopped the figures, said in one line: 128 + N. */
static int interrupted(const char *dir, int sig)
{
    char sn[32], *v = text_visible(dir, strlen(dir));
    fprintf(stderr, "gilsim: plot of %s interrupted by %s\n", v ? v : "the run folder",
            outdir_signame(sig, sn, sizeof sn));
    free(v);
    return 128 + sig;
}

/* A figure not drawn leaves no data file behind (its reader wrote one,
 * empty, before the run was known to have nothing for it). */
static void unlink_skipped(const char *dir, const figure_kind_t *k, const plot_info_t *info)
{
    char *name = figure_file(k->name, info, "dat");
    if (name)
        unlink_in(dir, name);
    free(name);
}

/* Draws one figure of the table, unless the run has nothing for it: then
 * one line says why. */
static int draw(const figure_kind_t *k, const char *plots_dir, const char *dir,
                const char *fmt, const plot_info_t *info, int quiet,
                const volatile sig_atomic_t *stop)
{
    if (stop && *stop > 0)
        return 128 + *stop;
    const char *why = k->skip ? k->skip(info) : NULL;
    if (why) {
        unlink_skipped(dir, k, info);
        if (!quiet)
            printf("plot       %s%s not drawn: %s\n", k->name, info->suffix, why);
        return PLOT_OK;
    }
    char *title = k->title ? k->title(info) : NULL;
    char *extra = k->extra ? k->extra(info) : NULL;
    char *note = !quiet && k->note ? k->note(info) : NULL;
    char *file = figure_file(k->name, info, fmt);
    int rc;
    if ((k->title && !title) || (k->extra && !extra) || (!quiet && k->note && !note) || !file) {
        plot_error(NULL, 0, "out of memory drawing %s", k->name);
        rc = PLOT_FAILED;
    } else {
        const char *text[2] = {title ? title : info->caption ? info->caption : "", extra};
        rc = figure(plots_dir, k->name, dir, file, fmt, text, quiet ? NULL : note ? note : "",
                    stop);
    }
    free(title);
    free(extra);
    free(note);
    free(file);
    return rc;
}

/* A folder without trace.csv: one line names the figures that need it. */
static void say_without_trace(void)
{
    char names[256] = "";
    size_t n = 0, count = 0, done = 0;
    for (size_t i = 0; i < figure_kinds_count; i++)
        count += figure_kinds[i].from_trace;
    for (size_t i = 0; i < figure_kinds_count && n < sizeof names; i++)
        if (figure_kinds[i].from_trace)
            n += (size_t)snprintf(names + n, sizeof names - n, "%s%s",
                                  done++ == 0 ? "" : done == count ? " and " : ", ",
                                  figure_kinds[i].name);
    printf("plot       %s not drawn: %s trace.csv (gilsim run --trace full); the others are "
           "drawn from summary.csv and threads.csv\n", names, count > 1 ? "they need" : "it needs");
}

int plot_data(const char *dir, long long from, long long to, const volatile sig_atomic_t *stop)
{
    plot_info_t info = {0};
    int rc = prepare_all(dir, from, to, &info);
    int stopped = rc == PLOT_OK && stop && *stop > 0;
    for (size_t i = 0; i < figure_kinds_count && rc == PLOT_OK; i++) {
        const figure_kind_t *k = &figure_kinds[i];
        /* what plot_render would not draw has no data file; a stop leaves none */
        if (stopped || ((k->from_trace ? info.trace : !info.zoom) && k->skip && k->skip(&info)))
            unlink_skipped(dir, k, &info);
    }
    if (stopped)
        rc = 128 + *stop;
    plot_info_free(&info);
    return rc > 128 ? interrupted(dir, rc - 128) : rc;
}

int plot_render(const char *dir, long long from, long long to, const char *fmt,
                const char *plots_dir, int quiet, const volatile sig_atomic_t *stop)
{
    plot_info_t info = {0};
    int rc = prepare_all(dir, from, to, &info);
    if (rc == PLOT_OK && !info.trace && !quiet)
        say_without_trace();
    /* the first failure ends it: one line */
    for (size_t i = 0; i < figure_kinds_count && rc == PLOT_OK; i++) {
        const figure_kind_t *k = &figure_kinds[i];
        if (k->from_trace ? info.trace : !info.zoom)
            rc = draw(k, plots_dir, dir, fmt, &info, quiet, stop);
    }
    plot_info_free(&info);
    return rc > 128 ? interrupted(dir, rc - 128) : rc;
}
