/* plotstyle.h — how the timeline looks, decided in C where it can be
 * tested: the colours (one table for the thread states and the thread
 * identities), the time unit of an axis, the detail window of a long run,
 * the figure's geometry and the file names of a zoom.  No I/O. */
#ifndef GILSIM_PLOTSTYLE_H
#define GILSIM_PLOTSTYLE_H

#include <stddef.h>

/* One colour of the table.  The states' rows come first, by thr_state
 * (events.def), then the identity colours: the k-th thread (or group)
 * lane drawn is identity k, cycling. */
typedef struct plot_colour {
    unsigned rgb;                /* 0xRRGGBB */
    const char *label;           /* the legend's words (NULL: an identity colour) */
} plot_colour_t;

#define PLOT_IDENTITIES 9
extern const plot_colour_t plot_palette[];
extern const size_t plot_palette_count;
/* The legend's order of the states: most telling first. */
extern const int plot_state_legend[];
extern const size_t plot_state_legend_count;

unsigned plot_state_rgb(int state);
const char *plot_state_label(int state);
unsigned plot_identity_rgb(int k);
/* Black or white, whichever reads better as text on fill. */
unsigned plot_text_rgb(unsigned fill);
/* CIE L* (0 black .. 100 white) of a colour: its lightness in greyscale. */
double plot_lightness(unsigned rgb);

/* A time axis's unit: the largest of s, ms, µs and ns that the window
 * spans at least once. */
typedef struct plot_time_unit {
    const char *name;            /* "s", "ms", "µs" (UTF-8) or "ns" */
    long long ns;                /* nanoseconds in one unit */
} plot_time_unit_t;
plot_time_unit_t plot_time_unit(long long span_ns);

/* An instant, exact, in the largest unit it spans: "1 s", "1.00005 s",
 * "0 ns". */
void plot_instant_text(char *buf, size_t n, long long ns);
/* Whether a window's time axis counts from the window's start: its start
 * in the window's unit would take five digits or more (1000000 µs). */
int  plot_axis_from_start(long long from, long long to);
/* "0 to 150 ms": a window in the unit its length calls for, each bound
 * to three decimals at most, without trailing zeros; when its axis counts
 * from its start, "253.993 µs from 1 s". */
void plot_window_text(char *buf, size_t n, long long from, long long to);
/* The time axis's label: "simulated time (ms)", or "simulated time after
 * 1 s (µs)". */
void plot_axis_label(char *buf, size_t n, long long from, long long to);

/* A long run's detail window: when the window [from, to) spans more than
 * PLOT_DETAIL_AFTER switch intervals and the run had GIL drop requests
 * (contention to look at), its first PLOT_DETAIL_INTERVALS intervals.
 * Returns 1 and sets *detail_to, or 0 (then plot_busy_window, below,
 * when the run had no drop requests). */
#define PLOT_DETAIL_AFTER 40
#define PLOT_DETAIL_INTERVALS 10
int plot_detail_window(long long from, long long to, long long interval, long drop_requests,
                       long long *detail_to);
/* A long run without drop requests: its first burst of activity.  The
 * trace's reader finds where it ends, busy_end: at the
 * PLOT_DETAIL_CHANGES-th state change from `from`, or at the last state
 * change before the first pause longer than 1/PLOT_DETAIL_PAUSE of the
 * window, whichever comes first.  The detail is [from, busy_end] and a
 * tenth more, drawn when that is under 1/PLOT_DETAIL_AFTER of the window
 * (else the overview shows it as well).  1 and *detail_to, or 0. */
#define PLOT_DETAIL_CHANGES 40
#define PLOT_DETAIL_PAUSE 100
int plot_busy_window(long long from, long long to, long long busy_end, long long *detail_to);

/* A zoom's file-name suffix, "-FROM-TO" (e.g. "-0-100ms", "-2s-end" when
 * to is 0): each bound in the largest unit that holds it whole.  The
 * suffix goes between a figure's name and its extension, so a zoom never
 * overwrites the run's own figures.  buf holds at least 64 bytes. */
void plot_window_suffix(char *buf, size_t n, long long from, long long to);

/* The timeline figure's geometry, in pixels and in fractions of the
 * figure (gnuplot's screen coordinates, 0 at the bottom). */
typedef struct plot_geometry {
    int width, height;           /* pixels */
    int lane_px;                 /* height of one lane */
    double left, right;          /* the plots' left and right edges */
    double top[2], bottom[2];    /* each panel's plot area */
    double key_top;              /* the legend hangs below this */
} plot_geometry_t;
#define PLOT_KEY_COLUMNS 2
/* lanes: lanes per panel; panels: 1 or 2; keys: legend entries; label:
 * the longest lane label, in characters. */
void plot_geometry(int lanes, int panels, int keys, size_t label, plot_geometry_t *g);
/* Whether a name of `chars` characters fits on a box of `width` ns in a
 * panel spanning `span` ns drawn `plot_px` pixels wide. */
int plot_name_fits(long long width, long long span, int plot_px, size_t chars);
/* Characters (not bytes) of UTF-8 text. */
size_t plot_chars(const char *s, size_t n);

#endif
