# cores.gp — each core's busy fraction over the run (DIR/cores.dat, from
# summary.csv's core_util): threads of one process leave cores idle,
# processes fill them (the notes' figure process_thread_6).
# usage: gnuplot -c plots/cores.gp DIR [FMT [CAPTION [OUT]]]
#   (writes OUT, by default DIR/cores.FMT; FMT png|svg|pdf; CAPTION the
#   title's second line, by default the run's config name)
# The arguments are plain strings, never run or expanded.
path(p) = (p[1:1] eq '/') ? p : './'.p
dir = path(ARG1 ne '' ? ARG1 : 'out/default')
fmt = ARG2 ne '' ? ARG2 : 'png'
out = ARG4 ne '' ? path(ARG4) : dir.'/cores.'.fmt
if (ARG3 ne '') {
    caption = ARG3
} else {
    set datafile separator comma
    set datafile columnheaders
    stats dir.'/summary.csv' using (caption = strcol("config"), 0) nooutput
    set datafile nocolumnheaders
}
if (fmt eq 'svg') set terminal svg size 800,450 font "sans,11" background rgb "white"
if (fmt eq 'pdf') set terminal pdfcairo size 8in,4.5in font "sans,9"
if (fmt eq 'png') set terminal pngcairo size 800,450 font "sans,10"
set datafile separator "\t"
set output out
stats dir.'/cores.dat' using 2 name 'U' nooutput
set title sprintf("Core utilisation: mean %.1f %% over %d cores\n%s", 100*U_mean, U_records, caption) noenhanced
set xlabel "core"
set ylabel "busy (% of the run)"
set yrange [0:105]
set style fill solid 0.7 border -1
set boxwidth 0.6
set grid ytics
set key off
if (U_records > 32) {
    set xtics nomirror
    plot dir.'/cores.dat' using 1:(column(2)*100) with boxes lc rgb "#009E73"
} else {
    plot dir.'/cores.dat' using 1:(column(2)*100):xtic(1) with boxes lc rgb "#009E73"
}
