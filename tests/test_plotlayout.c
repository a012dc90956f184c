/* test_plotlayout.c — what the timeline looks like, decided in C and
 * tested here without gnuplot: the colours (distinct in greyscale and for
 * colour-blind readers), time units and windows, zoom file names, the
 * lanes' order and grouping, boxes merged and marks thinned, task lanes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plotprep.h"
#include "out/figures.h"
#include "out/plotbox.h"
#include "out/plotfeed.h"
#include "out/plotlane.h"
#include "out/plotstyle.h"

/* ---- colour science for the checks: sRGB to CIELAB, and the
 * colour-blind simulation of Machado, Oliveira and Fernandes (2009),
 * severity 1, on linear RGB ---- */

static double lin(unsigned c)
{
    double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double lab_f(double t)
{
    return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

/* CIELAB (D65) of a colour seen through matrix m (NULL: as it is). */
static void lab_of(unsigned rgb, const double (*m)[3], double lab[3])
{
    double c[3] = {lin(rgb >> 16 & 0xFF), lin(rgb >> 8 & 0xFF), lin(rgb & 0xFF)}, s[3];
    for (int i = 0; i < 3; i++) {
        s[i] = m ? m[i][0] * c[0] + m[i][1] * c[1] + m[i][2] * c[2] : c[i];
        s[i] = s[i] < 0 ? 0 : s[i] > 1 ? 1 : s[i];
    }
    double x = 0.4124 * s[0] + 0.3576 * s[1] + 0.1805 * s[2];
    double y = 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
    double z = 0.0193 * s[0] + 0.1192 * s[1] + 0.9505 * s[2];
    double fx = lab_f(x / 0.95047), fy = lab_f(y), fz = lab_f(z / 1.08883);
    lab[0] = 116 * fy - 16;
    lab[1] = 500 * (fx - fy);
    lab[2] = 200 * (fy - fz);
}

static const double sight[3][3][3] = {
    {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
    {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
    {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
};
static const char *const sight_name[4] = {"protanopia", "deuteranopia", "tritanopia", "normal"};

/* The smallest CIE76 distance between two of the n colours, for each way
 * of seeing them (the three colour blindnesses, then normal). */
static void check_apart(const unsigned *rgb, int n, double min_delta, const char *what)
{
    for (int s = 0; s < 4; s++)
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double a[3], b[3];
                lab_of(rgb[i], s < 3 ? sight[s] : NULL, a);
                lab_of(rgb[j], s < 3 ? sight[s] : NULL, b);
                double d = sqrt(pow(a[0] - b[0], 2) + pow(a[1] - b[1], 2) + pow(a[2] - b[2], 2));
                if (d < min_delta)
                    fail_msg("%s %06X and %06X are %.1f apart with %s (at least %.0f)", what,
                             rgb[i], rgb[j], d, sight_name[s], min_delta);
            }
}

/* Every state colour of the legend: its own grey, each visible on white. */
static void test_states_apart_in_greyscale(void **state)
{
    (void)state;
    for (int i = 0; i < TS__COUNT; i++) {
        double li = plot_lightness(plot_state_rgb(i));
        if (li > 88)
            fail_msg("%s: L* %.1f, too light to see on white", plot_state_label(i), li);
        for (int j = i + 1; j < TS__COUNT; j++) {
            double lj = plot_lightness(plot_state_rgb(j));
            if (fabs(li - lj) < 9)
                fail_msg("%s and %s: L* %.1f and %.1f, one grey in print", plot_state_label(i),
                         plot_state_label(j), li, lj);
        }
    }
}

/* ...and apart for readers with each kind of colour blindness; so are
 * the thread identity colours among themselves. */
static void test_colours_apart_for_colour_blind(void **state)
{
    (void)state;
    unsigned states[TS__COUNT], ids[PLOT_IDENTITIES];
    for (int i = 0; i < TS__COUNT; i++)
        states[i] = plot_state_rgb(i);
    for (int i = 0; i < PLOT_IDENTITIES; i++)
        ids[i] = plot_identity_rgb(i);
    check_apart(states, TS__COUNT, 12, "states");
    check_apart(ids, PLOT_IDENTITIES, 12, "thread colours");
    assert_int_equal(plot_identity_rgb(PLOT_IDENTITIES), plot_identity_rgb(0));   /* cycling */
}

/* The legend names every state once, each with words. */
static void test_legend_lists_each_state(void **state)
{
    (void)state;
    int seen[TS__COUNT] = {0};
    assert_int_equal(plot_state_legend_count, TS__COUNT);
    for (size_t i = 0; i < plot_state_legend_count; i++)
        seen[plot_state_legend[i]]++;
    for (int s = 0; s < TS__COUNT; s++) {
        assert_int_equal(seen[s], 1);
        assert_non_null(plot_state_label(s));
    }
    assert_int_equal(plot_text_rgb(plot_state_rgb(TS_PY)), 0xFFFFFF);
    assert_int_equal(plot_text_rgb(plot_state_rgb(TS_SYNC_WAIT)), 0x000000);
}

/* The axis's unit is the largest the window spans once. */
static void test_time_units(void **state)
{
    (void)state;
    static const struct { long long span; const char *unit; } cases[] = {
        {10000000000LL, "s"}, {1000000000LL, "s"}, {999999999LL, "ms"}, {150000000LL, "ms"},
        {1000000LL, "ms"}, {999999LL, "\xc2\xb5s"}, {1000LL, "\xc2\xb5s"}, {999LL, "ns"},
        {1LL, "ns"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(plot_time_unit(cases[i].span).name, cases[i].unit);
    char buf[64];
    plot_window_text(buf, sizeof buf, 0, 150000000LL);
    assert_string_equal(buf, "0 to 150 ms");
    plot_window_text(buf, sizeof buf, 1500000000LL, 2250000000LL);
    assert_string_equal(buf, "1500 to 2250 ms");
    plot_window_text(buf, sizeof buf, 1500000000LL, 4000000000LL);
    assert_string_equal(buf, "1.5 to 4 s");
    plot_window_text(buf, sizeof buf, 0, 2288306447LL);
    assert_string_equal(buf, "0 to 2.288 s");        /* cut, never past the end */
    /* a short window far into the run counts from its start */
    assert_false(plot_axis_from_start(2000000000LL, 8000000000LL));
    assert_true(plot_axis_from_start(1000000000LL, 1000253993LL));
    plot_window_text(buf, sizeof buf, 1000000000LL, 1000253993LL);
    assert_string_equal(buf, "253.993 \xc2\xb5s from 1 s");
    plot_axis_label(buf, sizeof buf, 1000050000LL, 1000253993LL);
    assert_string_equal(buf, "simulated time after 1.00005 s (\xc2\xb5s)");
    plot_axis_label(buf, sizeof buf, 0, 150000000LL);
    assert_string_equal(buf, "simulated time (ms)");
}

/* A zoom's file names carry its window in the largest whole unit. */
static void test_zoom_names(void **state)
{
    (void)state;
    static const struct { long long from, to; const char *suffix; } cases[] = {
        {0, 100000000LL, "-0-100ms"}, {2000000000LL, 0, "-2s-end"},
        {1500000LL, 3000000LL, "-1500us-3ms"}, {7, 9, "-7ns-9ns"},
    };
    char buf[64], file[96];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plot_window_suffix(buf, sizeof buf, cases[i].from, cases[i].to);
        assert_string_equal(buf, cases[i].suffix);
        snprintf(file, sizeof file, "timeline%s.png", buf);
        assert_true(figure_zoom_file(file));                 /* and a new run clears it */
        snprintf(file, sizeof file, "latency%s.dat", buf);
        assert_true(figure_zoom_file(file));
    }
    static const char *const not_zooms[] = {
        "timeline.png", "timeline-notes.png", "cores-0-100ms.png", "timeline-0-100ms.png.bak",
        "timeline-0-1h.png", "timeline-0-100ms.txt", "timeline-0.png", "asymmetry-0-1s.png",
    };
    for (size_t i = 0; i < sizeof not_zooms / sizeof not_zooms[0]; i++)
        if (figure_zoom_file(not_zooms[i]))
            fail_msg("%s taken for a zoom's file", not_zooms[i]);
    plot_info_t info = {.zoom = 1};
    plot_window_suffix(info.suffix, sizeof info.suffix, 0, 100000000LL);
    char *name = figure_file("timeline", &info, "svg");
    assert_string_equal(name, "timeline-0-100ms.svg");
    free(name);
}

/* A long run with GIL contention gets a detail of its first switch
 * intervals; a short one, or one without drop requests, does not. */
static void test_detail_window(void **state)
{
    (void)state;
    long long to = -1;
    assert_true(plot_detail_window(0, 10000000000LL, 15000000LL, 664, &to));
    assert_int_equal(to, 150000000LL);
    assert_true(plot_detail_window(1000000000LL, 2000000000LL, 5000000LL, 1, &to));
    assert_int_equal(to, 1050000000LL);
    assert_false(plot_detail_window(0, 600000000LL, 15000000LL, 664, &to));   /* 40 intervals */
    assert_false(plot_detail_window(0, 10000000000LL, 15000000LL, 0, &to));   /* no contention */
    assert_false(plot_detail_window(0, 10000000000LL, 0, 5, &to));
    /* without drop requests: the first burst and a tenth more (and 1 ns) */
    assert_true(plot_busy_window(0, 5000000000LL, 625000, &to));
    assert_int_equal(to, 687501);
    assert_true(plot_busy_window(1000000000LL, 2000000000LL, 1000001000LL, &to));
    assert_int_equal(to, 1000001101LL);
    assert_false(plot_busy_window(0, 1000000000LL, 30000000LL, &to));  /* over 1/40 */
    assert_false(plot_busy_window(0, 1000000000LL, -1, &to));          /* no change */
    assert_false(plot_busy_window(5, 1000000000LL, 5, &to));           /* one instant */
}

/* The figure grows with its lanes, a lane shrinking from 24 to 12
 * pixels; the panels stack top to bottom above the legend. */
static void test_geometry(void **state)
{
    (void)state;
    plot_geometry_t a, b;
    plot_geometry(10, 1, 4, 12, &a);
    plot_geometry(70, 2, 6, 200, &b);
    assert_int_equal(a.lane_px, 24);
    assert_int_equal(b.lane_px, 12);
    assert_true(b.height > a.height);
    assert_true(a.left < 0.2 && b.left == 0.45);
    assert_true(b.top[0] > b.bottom[0] && b.bottom[0] > b.top[1] && b.top[1] > b.bottom[1]);
    assert_true(b.bottom[1] > b.key_top && b.key_top > 0);
    assert_true(plot_name_fits(10000000, 150000000, 1000, 8));   /* 66 px for 8 characters */
    assert_false(plot_name_fits(7000000, 150000000, 1000, 8));   /* 46 px */
    assert_int_equal(plot_chars("Zo\xc3\xab", 4), 3);
}

/* ---- lanes ---- */

static tl_t *roster(const char *const *threads, int n)
{
    tl_t *tl = tl_new();
    assert_non_null(tl);
    for (int i = 0; i < n; i++) {
        const char *slash = strchr(threads[i], '/'), *colon = strchr(threads[i], ':');
        assert_int_equal(tl_add_thread(tl, threads[i], (size_t)(slash - threads[i]), slash + 1,
                                       (size_t)(colon - slash - 1), colon + 1, strlen(colon + 1)),
                         PLOT_OK);
    }
    return tl;
}

static void start(tl_t *tl, int cores, long long to)
{
    tl_view_t v = tl_view(0, to);
    assert_int_equal(tl_start(tl, cores, &v, 1, NULL), PLOT_OK);
}

static const char *label_of(const tl_t *tl, int lane)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)tl->lane[lane].label_len, tl->lane[lane].label);
    return buf;
}

/* Cores first, in core order whatever order they were first used in;
 * then each process: its GIL lane, its threads in roster order (a
 * process's threads together even when the roster interleaves them). */
static void test_lanes_in_order(void **state)
{
    (void)state;
    static const char *const threads[] = {"P1/a:g", "P2/b:g", "P1/c:g"};
    tl_t *tl = roster(threads, 3);
    start(tl, 4, 1000000);
    static const int first_use[][2] = {{2, 2}, {1, 3}, {0, 1}, {2, 0}};   /* (thread, core) */
    for (int i = 0; i < 4; i++) {
        int t = first_use[i][0];
        assert_int_equal(tl_state(tl, t, 1000 * i, TS_PY, 0, first_use[i][1]), PLOT_OK);
        assert_int_equal(tl_gil(tl, t, 1000 * i, 1, 0), PLOT_OK);
        assert_int_equal(tl_state(tl, t, 1000 * i + 500, TS_GIL_WAIT, 0, -1), PLOT_OK);
        assert_int_equal(tl_gil(tl, t, 1000 * i + 500, 0, 0), PLOT_OK);
    }
    assert_int_equal(tl_finish(tl), PLOT_OK);
    int order[16], sep[16];
    int n = tl_layout(tl, order, sep);
    static const char *const want[] = {"core 0", "core 1", "core 2", "core 3", "GIL P1",
                                       "P1/a", "P1/c", "P2/b"};
    static const int want_sep[] = {0, 0, 0, 0, 1, 0, 0, 1};
    assert_int_equal(n, 8);
    for (int i = 0; i < n; i++) {
        assert_string_equal(label_of(tl, order[i]), want[i]);
        assert_int_equal(sep[i], want_sep[i]);
    }
    tl_free(tl);
}

/* A GIL lane that never had a holder (a free-threaded run) is left out. */
static void test_empty_gil_lane_left_out(void **state)
{
    (void)state;
    static const char *const threads[] = {"P/a:g", "P/b:g"};
    tl_t *tl = roster(threads, 2);
    start(tl, 1, 1000000);
    assert_int_equal(tl_state(tl, 0, 0, TS_PY, 0, 0), PLOT_OK);
    assert_int_equal(tl_finish(tl), PLOT_OK);
    int order[8], sep[8];
    assert_int_equal(tl_layout(tl, order, sep), 3);
    assert_string_equal(label_of(tl, order[1]), "P/a");
    tl_free(tl);
}

/* Many threads: a lane per group of a process, then per group name; past
 * TL_MAX_UNITS names, the last lane holds the rest. */
static void test_threads_grouped(void **state)
{
    (void)state;
    static const struct { int threads, groups; int level, units; const char *last; } cases[] = {
        {64, 64, TL_BY_THREAD, 64, "P/t63"},
        {65, 2, TL_BY_GROUP, 2, "P/g1 (32 threads)"},
        {65, 65, TL_BY_GROUP_NAME, 64, "2 other groups (2 threads)"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        tl_t *tl = tl_new();
        char name[32], group[32];
        for (int i = 0; i < cases[c].threads; i++) {
            snprintf(name, sizeof name, "t%d", i);
            snprintf(group, sizeof group, "g%d", i % cases[c].groups);
            assert_int_equal(tl_add_thread(tl, "P", 1, name, strlen(name), group, strlen(group)),
                             PLOT_OK);
        }
        start(tl, 2, 1000000);
        assert_int_equal(tl->level, cases[c].level);
        int units = 0, last = -1;
        for (int i = 0; i < tl->nlanes; i++)
            if (tl->lane[i].kind == TL_UNIT) {
                units++;
                last = i;
            }
        assert_int_equal(units, cases[c].units);
        assert_string_equal(label_of(tl, last), cases[c].last);
        tl_free(tl);
    }
}

/* A group's lane shows the state most of its threads are in; `done` once
 * all are. */
static void test_group_lane_shows_most(void **state)
{
    (void)state;
    tl_views_t vs = {.v = {tl_view(0, 1000000)}, .n = 1};
    tl_boxes_t b;
    assert_int_equal(box_init(&b, &vs, 1), 0);
    assert_int_equal(box_move(&b, &vs, 0, -1, TS_PY), 0);
    assert_int_equal(box_move(&b, &vs, 0, -1, TS_GIL_WAIT), 0);
    assert_int_equal(box_move(&b, &vs, 0, -1, TS_GIL_WAIT), 0);
    assert_int_equal(box_move(&b, &vs, 400000, TS_GIL_WAIT, TS_DONE), 0);
    assert_int_equal(box_move(&b, &vs, 400000, TS_GIL_WAIT, TS_DONE), 0);
    assert_int_equal(box_move(&b, &vs, 600000, TS_PY, TS_DONE), 0);
    assert_int_equal(box_finish(&b, &vs), 0);
    const tl_acc_t *a = &b.acc[0];
    assert_int_equal(a->nbox, 3);
    assert_int_equal(a->box[0].v, TS_GIL_WAIT);       /* two of three waited */
    assert_int_equal(a->box[1].v, TS_PY);             /* one runs, two are done */
    assert_int_equal(a->box[2].v, TS_DONE);
    assert_int_equal(a->box[2].t0, 600000);
    assert_int_equal(a->box[2].t1, 1000000);
    box_free(&b);
}

/* Changes closer than a view's min_width merge into one box of the value
 * that held longest; boxes of one value that touch become one. */
static void test_boxes_merge(void **state)
{
    (void)state;
    tl_views_t vs = {.v = {tl_view(0, 2000 * 100)}, .n = 1};   /* min_width 100 ns */
    tl_boxes_t b;
    assert_int_equal(box_init(&b, &vs, 0), 0);
    static const struct { long long t; int v; } steps[] = {
        {0, 1}, {200, 2}, {230, 1}, {260, 1}, {500, 3}, {1000, 3}, {1200, -1}, {1250, 2},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        assert_int_equal(box_set(&b, &vs, steps[i].t, steps[i].v), 0);
    assert_int_equal(box_finish(&b, &vs), 0);
    const tl_acc_t *a = &b.acc[0];
    /* [200, 500): 2 for 30 ns, 1 for 270: a 1, which extends [0, 200);
     * the lane's value ends at 1200: no box spans the gap to 1250 */
    static const tl_box_t want[] = {{0, 500, 1}, {500, 1200, 3}, {1250, 200000, 2}};
    assert_int_equal(a->nbox, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(a->box[i].t0, want[i].t0);
        assert_int_equal(a->box[i].t1, want[i].t1);
        assert_int_equal(a->box[i].v, want[i].v);
    }
    assert_true(vs.merged);
    box_free(&b);
}

/* A mark per kind per 1/TL_MARK_BINS of the view: a burst is one mark. */
static void test_marks_thinned(void **state)
{
    (void)state;
    tl_views_t vs = {.v = {tl_view(0, TL_MARK_BINS * 1000LL), tl_view(0, 10000)}, .n = 2};
    tl_boxes_t b;
    assert_int_equal(box_init(&b, &vs, 0), 0);
    for (long long t = 0; t < 20000; t += 10)
        assert_int_equal(box_mark(&b, &vs, t, TL_MARK_REQUEST), 0);
    assert_int_equal(b.acc[0].nmark[TL_MARK_REQUEST], 20);    /* a bin is 1000 ns */
    /* 25 ns bins to 10 us, the view's end a bin of its own */
    assert_int_equal(b.acc[1].nmark[TL_MARK_REQUEST], TL_MARK_BINS + 1);
    assert_int_equal(b.acc[0].nmark[TL_MARK_FORCED], 0);
    box_free(&b);
}

/* Tasks under their loop's thread: created runnable, a step Python,
 * awaiting I/O blocked and a gather a sync wait; a finished task's lane
 * ends; past TL_TASK_LANES_PER_LOOP, one lane holds the loop's others. */
static void test_task_lanes(void **state)
{
    (void)state;
    static const char *const threads[] = {"P/loop:main"};
    tl_t *tl = roster(threads, 1);
    start(tl, 1, 2000);                                 /* a box per ns: nothing merged */
    char name[32];
    for (int i = 1; i <= 20; i++) {
        snprintf(name, sizeof name, "Task-%d", i);
        assert_int_equal(tl_task(tl, 0, 0, TL_TASK_CREATE, name, strlen(name)), PLOT_OK);
    }
    assert_int_equal(tl_task(tl, 0, 100, TL_TASK_RUN, "Task-1", 6), PLOT_OK);
    assert_int_equal(tl_task(tl, 0, 200, TL_TASK_WAIT, "gather", 6), PLOT_OK);
    assert_int_equal(tl_task(tl, 0, 200, TL_TASK_RUN, "Task-2", 6), PLOT_OK);
    assert_int_equal(tl_task(tl, 0, 300, TL_TASK_WAIT, "io", 2), PLOT_OK);
    assert_int_equal(tl_task(tl, 0, 1500, TL_TASK_RUN, "Task-2", 6), PLOT_OK);
    assert_int_equal(tl_task(tl, 0, 1600, TL_TASK_DONE, "Task-2", 6), PLOT_OK);
    assert_int_equal(tl_task(tl, 0, 1700, TL_TASK_RUN, "Task-99", 7), PLOT_BAD_INPUT);
    assert_int_equal(tl_finish(tl), PLOT_OK);
    int order[32], sep[32];
    int n = tl_layout(tl, order, sep);
    assert_int_equal(n, 1 + 1 + TL_TASK_LANES_PER_LOOP + 1);
    assert_string_equal(label_of(tl, order[1]), "P/loop");
    assert_string_equal(label_of(tl, order[2]), "\xe2\x86\xb3 Task-1");
    assert_string_equal(label_of(tl, order[n - 1]), "\xe2\x86\xb3 5 more tasks");
    const tl_acc_t *t1 = &tl->lane[order[2]].boxes.acc[0], *t2 = &tl->lane[order[3]].boxes.acc[0];
    assert_int_equal(t1->box[t1->nbox - 1].v, TS_SYNC_WAIT);
    static const int want[] = {TS_RUNNABLE, TS_PY, TS_BLOCKED, TS_PY};
    assert_int_equal(t2->nbox, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(t2->box[i].v, want[i]);
    assert_int_equal(t2->box[3].t1, 1600);                /* done: the lane ends */
    tl_free(tl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_states_apart_in_greyscale),
        cmocka_unit_test(test_colours_apart_for_colour_blind),
        cmocka_unit_test(test_legend_lists_each_state),
        cmocka_unit_test(test_time_units),
        cmocka_unit_test(test_zoom_names),
        cmocka_unit_test(test_detail_window),
        cmocka_unit_test(test_geometry),
        cmocka_unit_test(test_lanes_in_order),
        cmocka_unit_test(test_empty_gil_lane_left_out),
        cmocka_unit_test(test_threads_grouped),
        cmocka_unit_test(test_group_lane_shows_most),
        cmocka_unit_test(test_boxes_merge),
        cmocka_unit_test(test_marks_thinned),
        cmocka_unit_test(test_task_lanes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
