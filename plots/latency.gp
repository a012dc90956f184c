# latency.gp — CDF of the extra wait after each blocking I/O completes,
# until the thread runs Python again (DIR/latency.dat, written by
# `gilsim plot`): wake-up + waiting for the GIL.  A convoy shows as a step
# at one switch interval.  One curve per run: dir='A' for one, or
# dirs='A B C' (each already plotted once) to compare configurations.
if (!exists("dir")) dir = 'out/default'
if (!exists("dirs")) dirs = dir
if (!exists("fmt")) fmt = 'png'
if (!exists("out")) out = word(dirs, 1).'/latency.'.fmt
if (!exists("caption")) caption = dirs
if (fmt eq 'svg') set terminal svg size 800,450 font "sans,11" background rgb "white"
if (fmt eq 'pdf') set terminal pdfcairo size 8in,4.5in font "sans,9"
if (fmt eq 'png') set terminal pngcairo size 800,450 font "sans,10"
set output out
stats word(dirs, 1).'/latency.dat' using ($1*1e3) name 'L' nooutput
if (words(dirs) == 1) {
    set title sprintf("Wait after I/O completes until Python runs again (%d operations; median %.3g ms, max %.3g ms)\n%s", L_records, L_median, L_max, caption) noenhanced
} else {
    set title "Wait after I/O completes until Python runs again: one curve per run" noenhanced
}
set xlabel "extra wait after the I/O (ms, log scale)"
set ylabel "fraction of operations"
set logscale x
set offsets graph 0.05, graph 0.05, 0, 0
set yrange [0:1.02]
set grid
set key bottom right noenhanced
if (words(dirs) == 1) set key off
plot for [i=1:words(dirs)] word(dirs, i).'/latency.dat' \
     using ($1*1e3 > 1e-4 ? $1*1e3 : 1e-4):(1.0) smooth cnormal with steps lw 2 title word(dirs, i)
