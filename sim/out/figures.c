/* figures.c — the figures of a run folder, drawn in this order; see
 * figures.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "columns.h"
#include "out/figures.h"
#include "out/plotlane.h"
#include "out/plotstyle.h"
#include "engine/util.h"

#define ARRAY_LEN(a) (sizeof (a) / sizeof (a)[0])

char *figure_file(const char *name, const plot_info_t *info, const char *ext)
{
    return text_printf("%s%s.%s", name, info->suffix, ext);
}

static const char *caption(const plot_info_t *info)
{
    return info->caption ? info->caption : "";
}

/* Appends a clause to the title's second line. */
static void clause(char *line, size_t n, const char *fmt, int value)
{
    size_t used = strlen(line);
    if (used)
        used += (size_t)snprintf(line + used, n - used, "; ");
    if (used < n)
        snprintf(line + used, n - used, fmt, value);
}

/* The title's second line says what the figure merges or leaves out. */
static char *timeline_title(const plot_info_t *info)
{
    char window[64], more[320] = "";
    const struct tl *tl = info->timeline;
    plot_window_text(window, sizeof window, info->from, info->to);
    if (info->merged)
        clause(more, sizeof more, "boxes narrower than 1/%d of a panel show what filled most "
               "of them", TL_RESOLUTION);
    if (tl && tl->gil_lanes_left)
        clause(more, sizeof more, "the lanes of %d more GILs left out",
               tl->gil_lanes_left);
    if (tl && tl->cores > TL_MAX_CORE_LANES)
        clause(more, sizeof more, "%d cores: no core lanes (cores.png shows them)", tl->cores);
    return text_printf("Timeline, %s: %s%s%s", window, caption(info), more[0] ? "\n" : "", more);
}

static char *timeline_data(const plot_info_t *info)
{
    return figure_file("timeline", info, "dat");
}

static char *timeline_note(const plot_info_t *info)
{
    static const char *const detail[] = {"", ", and the first switch intervals in detail",
                                         ", and the first burst of activity in detail"};
    return text_printf(" (%d lanes%s)", info->lanes, detail[info->detail]);
}

/* A zoom's latency covers only the I/O that ended in its window. */
static char *latency_title(const plot_info_t *info)
{
    char window[64];
    if (!info->zoom)
        return text_printf("%s", caption(info));
    plot_window_text(window, sizeof window, info->from, info->to);
    return text_printf("%s\nlimited to the window: the I/O that ended from %s", caption(info),
                       window);
}

static char *latency_data(const plot_info_t *info)
{
    return figure_file("latency", info, "dat");
}

static const char *latency_skip(const plot_info_t *info)
{
    return info->latencies > 0 ? NULL
           : info->zoom ? "no blocking I/O that ended in the window was followed by Python"
                        : "no blocking I/O was followed by Python";
}

/* Threads alone in their group have all of its work: left out, and said. */
static char *asymmetry_title(const plot_info_t *info)
{
    int alone = info->timeline ? info->timeline->nthreads - info->shared_threads : 0;
    if (alone <= 0)
        return text_printf("%s", caption(info));
    return text_printf("%s (%d thread%s alone in %s group left out)", caption(info), alone,
                       alone == 1 ? "" : "s", alone == 1 ? "its" : "their");
}

static const char *asymmetry_skip(const plot_info_t *info)
{
    return info->shared_threads > 0 ? NULL : "every thread group has one thread";
}

static char *jain_min(const plot_info_t *info)
{
    return text_printf("%s", info->jain ? info->jain : "1");
}

/* timeline_lanes.dat: the lane labels earlier versions wrote apart, cleared
 * with the run's figures. */
const figure_kind_t figure_kinds[] = {
    {"timeline", {"timeline.dat", "timeline_lanes.dat"},
     "thread states, the GIL holder and each core over time", 1,
     NULL, timeline_title, timeline_data, timeline_note},
    {"cores", {"cores.dat"}, "each core's busy fraction", 0, NULL, NULL, NULL, NULL},
    {"latency", {"latency.dat"},
     "how long a thread waited for the GIL after its blocking I/O ended (CDF)", 1,
     latency_skip, latency_title, latency_data, NULL},
    {"asymmetry", {"asymmetry.dat"},
     "each thread's share of its group's work beside an equal share", 0,
     asymmetry_skip, asymmetry_title, jain_min, NULL},
};
const size_t figure_kinds_count = ARRAY_LEN(figure_kinds);

const char *const figure_formats[] = {"png", "svg", "pdf", NULL};

/* s at a zoom's window bound: digits and a unit, or "end"; past it. */
static const char *window_bound(const char *s)
{
    if (strncmp(s, "end", 3) == 0)
        return s + 3;
    size_t digits = strspn(s, "0123456789");
    if (!digits)
        return NULL;
    s += digits;
    static const char *const units[] = {"ms", "us", "ns", "s"};
    for (size_t i = 0; i < ARRAY_LEN(units); i++)
        if (strncmp(s, units[i], strlen(units[i])) == 0)
            return s + strlen(units[i]);
    return s;
}

/* NAME-FROM-TO.EXT[.part], EXT a format or dat, NAME a figure from the
 * trace: what plot_window_suffix makes, and nothing else. */
int figure_zoom_file(const char *file)
{
    for (size_t i = 0; i < figure_kinds_count; i++) {
        const char *name = figure_kinds[i].name, *s = file + strlen(name);
        if (!figure_kinds[i].from_trace || strncmp(file, name, strlen(name)) != 0 || *s != '-')
            continue;
        if (!(s = window_bound(s + 1)) || *s != '-' || !(s = window_bound(s + 1)) || *s != '.')
            return 0;
        const char *ext = s + 1, *part = strstr(ext, ".part");
        size_t len = part && strcmp(part, ".part") == 0 ? (size_t)(part - ext) : strlen(ext);
        for (int f = 0; figure_formats[f]; f++)
            if (strlen(figure_formats[f]) == len && strncmp(ext, figure_formats[f], len) == 0)
                return 1;
        return len == 3 && strncmp(ext, "dat", 3) == 0;
    }
    return 0;
}

int figure_sweep_metric(const char *metric)
{
    static const char *const named[] = {"mark:", "finished:", "jain:", "cv:"};
    const col_file_t *f = &col_files[COL_SUMMARY_CSV];
    for (int c = 0; c < f->ncols; c++)
        if (!strcmp(f->cols[c].name, metric))
            return *f->cols[c].unit && strcmp(metric, "wall_s") && strcmp(metric, "seed");
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (!strncmp(metric, named[i], strlen(named[i])) && metric[strlen(named[i])])
            return 1;
    return 0;
}

int figure_sweep_file(const char *file)
{
    const char *dot = strrchr(file, '.');
    if (strncmp(file, "sweep-", 6) != 0 || !dot || dot <= file + 6)
        return 0;
    int ext = strcmp(dot + 1, "dat") == 0;
    for (int f = 0; figure_formats[f]; f++)
        ext |= strcmp(dot + 1, figure_formats[f]) == 0;
    char *metric = ext ? strndup(file + 6, (size_t)(dot - file - 6)) : NULL;
    int ours = metric && figure_sweep_metric(metric);
    free(metric);
    return ours;
}

int figure_format_known(const char *fmt)
{
    for (int i = 0; figure_formats[i]; i++)
        if (strcmp(fmt, figure_formats[i]) == 0)
            return 1;
    return 0;
}

void figure_formats_join(char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; figure_formats[i] && used < n; i++) {
        const char *sep = i == 0 ? "" : figure_formats[i + 1] ? ", " : " or ";
        int w = snprintf(buf + used, n - used, "%s%s", sep, figure_formats[i]);
        used += w > 0 ? (size_t)w : 0;
    }
}
