/* figures.c — the figures of a run folder, drawn in this order; see
 * figures.h. */
#include <stdio.h>
#include <string.h>
#include "out/figures.h"
#include "engine/util.h"

#define ARRAY_LEN(a) (sizeof (a) / sizeof (a)[0])

static char *timeline_title(const plot_info_t *info)
{
    return text_printf("Timeline, %.6g to %.6g s: %s", info->from, info->to,
                       info->caption ? info->caption : "");
}

/* 1: short intervals were merged, and the script says so in its key. */
static const char *timeline_merged(const plot_info_t *info)
{
    return info->merged ? "1" : "0";
}

static char *timeline_lanes(const plot_info_t *info)
{
    return text_printf(" (%d lanes)", info->lanes);
}

/* No blocking I/O followed by Python: no latency to show. */
static int has_latencies(const plot_info_t *info)
{
    return info->latencies > 0;
}

static const char *jain_min(const plot_info_t *info)
{
    return info->jain;
}

const figure_kind_t figure_kinds[] = {
    {"timeline", {"timeline.dat", "timeline_lanes.dat"},
     "thread states, the GIL holder and each core over time",
     NULL, timeline_title, timeline_merged, timeline_lanes},
    {"cores", {"cores.dat"}, "each core's busy fraction", NULL, NULL, NULL, NULL},
    {"latency", {"latency.dat"},
     "how long a thread waited for the GIL after its blocking I/O ended (CDF)",
     has_latencies, NULL, NULL, NULL},
    {"asymmetry", {"asymmetry.dat"}, "each thread's share of its group's work beside an equal share",
     NULL, NULL, jain_min, NULL},
};
const size_t figure_kinds_count = ARRAY_LEN(figure_kinds);

const char *const figure_formats[] = {"png", "svg", "pdf", NULL};

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
