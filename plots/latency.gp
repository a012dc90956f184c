# latency.gp — CDF of the extra wait after each blocking I/O completes,
# until the thread runs Python again (DIR/latency.dat): wake-up + waiting
# for the GIL.  A convoy shows as a step at one switch interval.
if (!exists("dir")) dir = 'out/default'
if (!exists("fmt")) fmt = 'png'
if (fmt eq 'svg') set terminal svg size 800,450 font "sans,11" background rgb "white"
if (fmt eq 'pdf') set terminal pdfcairo size 8in,4.5in font "sans,9"
if (fmt eq 'png') set terminal pngcairo size 800,450 font "sans,10"
set output dir.'/latency.'.fmt
stats dir.'/latency.dat' using ($1*1e3) name 'L' nooutput
if (!exists("caption")) caption = dir
set title sprintf("Wait after I/O completes until Python runs again (%d operations; median %.3g ms, max %.3g ms)\n%s", L_records, L_median, L_max, caption) noenhanced
set xlabel "extra wait after the I/O (ms, log scale)"
set ylabel "fraction of operations"
set logscale x
set yrange [0:1.02]
set grid
set key off
plot dir.'/latency.dat' using ($1*1e3 > 1e-4 ? $1*1e3 : 1e-4):(1.0) smooth cnormal with steps lw 2 lc rgb "#e63946"
