/* plotstyle.c — the timeline's colours, units and geometry; see
 * plotstyle.h.
 *
 * The colours.  A thread state is read from a box's colour, so the state
 * colours must stay apart for every reader: they are the Okabe–Ito hues
 * (Okabe and Ito, "Color Universal Design", 2008: told apart with each
 * kind of colour-blindness), each darkened or lightened to its own CIE
 * lightness, L* 16 to 86 in steps of 10, so that printed in greyscale
 * they are eight greys in the order of the table below (done, drawn as a
 * thin line, the darkest).  test_plotlayout checks both, simulating
 * protanopia, deuteranopia and tritanopia (Machado et al. 2009).  The
 * identity colours, which say which thread holds a GIL or runs on a
 * core, are Paul Tol's "muted" scheme, also made for colour-blind
 * readers; nine of them cycle, and every thread lane carries a swatch of
 * its colour beside its name (the key), as well as its name on the boxes
 * wide enough to hold it. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "events.h"
#include "out/plotstyle.h"

const plot_colour_t plot_palette[] = {
    [TS_PY] = {0x004266, "Python (GIL held)"},                  /* L* 26, blue */
    [TS_SWITCH_WAIT] = {0x764660, "forced switch: waits for a taker"}, /* 36, reddish purple */
    [TS_GIL_WAIT] = {0xB34F00, "waiting for the GIL"},          /* 46, vermillion */
    [TS_NATIVE] = {0x00986F, "native code (no GIL)"},           /* 56, bluish green */
    [TS_RUNNABLE] = {0xD59300, "runnable (no core yet)"},       /* 66, orange */
    [TS_BLOCKED] = {0x7BC4EE, "blocked (I/O, sleep, select)"},  /* 76, sky blue */
    [TS_SYNC_WAIT] = {0xE6DB3F, "lock, join, queue or gather wait"}, /* 86, yellow */
    [TS_DONE] = {0x282828, "done (thin line)"},                 /* 16, near black */
    [TS__COUNT + 0] = {0x332288, NULL}, [TS__COUNT + 1] = {0xDDCC77, NULL},
    [TS__COUNT + 2] = {0x117733, NULL}, [TS__COUNT + 3] = {0xCC6677, NULL},
    [TS__COUNT + 4] = {0x88CCEE, NULL}, [TS__COUNT + 5] = {0x882255, NULL},
    [TS__COUNT + 6] = {0x44AA99, NULL}, [TS__COUNT + 7] = {0x999933, NULL},
    [TS__COUNT + 8] = {0xAA4499, NULL},
};
const size_t plot_palette_count = sizeof plot_palette / sizeof plot_palette[0];
_Static_assert(sizeof plot_palette / sizeof plot_palette[0] == TS__COUNT + PLOT_IDENTITIES,
               "a colour for every state and PLOT_IDENTITIES identities");

const int plot_state_legend[] = {TS_PY, TS_NATIVE, TS_GIL_WAIT, TS_SWITCH_WAIT, TS_RUNNABLE,
                                 TS_BLOCKED, TS_SYNC_WAIT, TS_DONE};
const size_t plot_state_legend_count = sizeof plot_state_legend / sizeof plot_state_legend[0];

unsigned plot_state_rgb(int state)
{
    return plot_palette[state].rgb;
}

const char *plot_state_label(int state)
{
    return plot_palette[state].label;
}

unsigned plot_identity_rgb(int k)
{
    return plot_palette[TS__COUNT + k % PLOT_IDENTITIES].rgb;
}

/* sRGB channel (0..255) to linear light. */
static double linear(unsigned c)
{
    double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

double plot_lightness(unsigned rgb)
{
    double y = 0.2126 * linear(rgb >> 16 & 0xFF) + 0.7152 * linear(rgb >> 8 & 0xFF) +
               0.0722 * linear(rgb & 0xFF);
    return y > 216.0 / 24389 ? 116 * cbrt(y) - 16 : y * 24389.0 / 27;
}

unsigned plot_text_rgb(unsigned fill)
{
    return plot_lightness(fill) < 55 ? 0xFFFFFF : 0x000000;
}

plot_time_unit_t plot_time_unit(long long span_ns)
{
    static const plot_time_unit_t units[] = {
        {"s", 1000000000LL}, {"ms", 1000000LL}, {"\xc2\xb5s", 1000LL}, {"ns", 1LL},
    };
    for (size_t i = 0; i + 1 < sizeof units / sizeof units[0]; i++)
        if (span_ns >= units[i].ns)
            return units[i];
    return units[3];
}

/* ns in unit u: whole units, then at most `digits` digits below (cut,
 * not rounded, so that a bound never passes the run's end), without
 * trailing zeros. */
static void in_unit(char *buf, size_t n, long long ns, plot_time_unit_t u, int digits)
{
    char frac[24];
    snprintf(frac, sizeof frac, "%09lld", ns % u.ns * (1000000000LL / u.ns));
    frac[digits < 9 ? digits : 9] = '\0';
    size_t len = strlen(frac);
    while (len > 0 && frac[len - 1] == '0')
        frac[--len] = '\0';
    snprintf(buf, n, "%lld%s%s", ns / u.ns, len ? "." : "", frac);
}

int plot_axis_from_start(long long from, long long to)
{
    return from / plot_time_unit(to - from).ns >= 10000;
}

void plot_instant_text(char *buf, size_t n, long long ns)
{
    plot_time_unit_t u = plot_time_unit(ns);
    char v[32];
    in_unit(v, sizeof v, ns, u, 9);
    snprintf(buf, n, "%s %s", v, u.name);
}

void plot_window_text(char *buf, size_t n, long long from, long long to)
{
    plot_time_unit_t u = plot_time_unit(to - from);
    char a[32], b[32], start[48];
    in_unit(a, sizeof a, from, u, 3);
    in_unit(b, sizeof b, to, u, 3);
    if (!plot_axis_from_start(from, to)) {
        snprintf(buf, n, "%s to %s %s", a, b, u.name);
        return;
    }
    in_unit(b, sizeof b, to - from, u, 3);
    plot_instant_text(start, sizeof start, from);
    snprintf(buf, n, "%s %s from %s", b, u.name, start);
}

void plot_axis_label(char *buf, size_t n, long long from, long long to)
{
    char start[48];
    if (!plot_axis_from_start(from, to)) {
        snprintf(buf, n, "simulated time (%s)", plot_time_unit(to - from).name);
        return;
    }
    plot_instant_text(start, sizeof start, from);
    snprintf(buf, n, "simulated time after %s (%s)", start, plot_time_unit(to - from).name);
}

int plot_detail_window(long long from, long long to, long long interval, long drop_requests,
                       long long *detail_to)
{
    if (interval <= 0 || drop_requests <= 0 || to <= from ||
        (to - from) / PLOT_DETAIL_AFTER <= interval)
        return 0;
    *detail_to = from + PLOT_DETAIL_INTERVALS * interval;
    return 1;
}

int plot_busy_window(long long from, long long to, long long busy_end, long long *detail_to)
{
    if (to <= from || busy_end <= from)
        return 0;                /* nothing happened, or all at one instant */
    long long busy = busy_end - from, end = from + busy + busy / 10 + 1;
    if (end - from > (to - from) / PLOT_DETAIL_AFTER)
        return 0;
    *detail_to = end;
    return 1;
}

/* ns in the largest unit that holds it whole: "0", "2s", "150ms", "7us". */
static void bound(char *buf, size_t n, long long ns)
{
    static const struct { const char *name; long long ns; } units[] = {
        {"s", 1000000000LL}, {"ms", 1000000LL}, {"us", 1000LL},
    };
    for (size_t i = 0; ns != 0 && i < sizeof units / sizeof units[0]; i++)
        if (ns % units[i].ns == 0) {
            snprintf(buf, n, "%lld%s", ns / units[i].ns, units[i].name);
            return;
        }
    snprintf(buf, n, ns ? "%lldns" : "%lld", ns);
}

void plot_window_suffix(char *buf, size_t n, long long from, long long to)
{
    char a[32], b[32] = "end";
    bound(a, sizeof a, from);
    if (to > 0)
        bound(b, sizeof b, to);
    snprintf(buf, n, "-%s-%s", a, b);
}

/* The figure, top to bottom: the title (two lines), then each panel (its
 * title line, its lanes, its time axis), then the legend, PLOT_KEY_COLUMNS
 * entries a row.  A lane is 24 pixels for a few lanes, down to 12 for many. */
#define WIDTH 1200
#define TITLE_PX 56
#define PANEL_TITLE_PX 30
#define AXIS_PX 54
#define KEY_ROW_PX 20
#define CHAR_PX 7                /* a label character at the figure's font */
#define SWATCH_PX 26             /* the identity swatch and its gaps */

void plot_geometry(int lanes, int panels, int keys, size_t label, plot_geometry_t *g)
{
    int lane_px = lanes > 0 ? 600 / lanes : 24;
    lane_px = lane_px < 12 ? 12 : lane_px > 24 ? 24 : lane_px;
    int title_px = panels > 1 ? PANEL_TITLE_PX : 0;      /* one panel: the figure's title */
    int panel_px = title_px + lanes * lane_px + AXIS_PX;
    int key_px = 12 + (keys + PLOT_KEY_COLUMNS - 1) / PLOT_KEY_COLUMNS * KEY_ROW_PX;
    g->width = WIDTH;
    g->lane_px = lane_px;
    g->height = TITLE_PX + panels * panel_px + key_px;
    double left = (double)(label * CHAR_PX + SWATCH_PX + 16) / WIDTH;
    g->left = left < 0.08 ? 0.08 : left > 0.45 ? 0.45 : left;
    g->right = 1.0 - 24.0 / WIDTH;
    for (int p = 0; p < 2; p++) {
        int top_px = TITLE_PX + p * panel_px + title_px;
        g->top[p] = 1.0 - (double)top_px / g->height;
        g->bottom[p] = 1.0 - (double)(top_px + lanes * lane_px) / g->height;
    }
    g->key_top = (double)key_px / g->height;
}

int plot_name_fits(long long width, long long span, int plot_px, size_t chars)
{
    if (span <= 0 || width <= 0)
        return 0;
    return (double)width / (double)span * plot_px >= (double)(chars * 6 + 8);
}

size_t plot_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}
