# asymmetry.gp — each thread's share of its group's work, with the equal
# share as a line: the course notes' thread-load asymmetry figure.  Reads
# DIR/asymmetry.dat ("index<TAB>share %<TAB>equal share %<TAB>label"),
# written by `gilsim plot DIR` from threads.csv: the threads of groups of
# more than one, a group's bars together; past 64 bars only a group's
# first bar is labelled, by its group.
# usage: gnuplot -c plots/asymmetry.gp DIR [FMT [CAPTION [OUT [JAIN]]]]
#   (writes OUT, by default DIR/asymmetry.FMT; CAPTION the title's second
#   line, by default the run's config name; JAIN the lowest Jain index,
#   else read from DIR/summary.csv)
# The arguments are plain strings, never run or expanded.
path(p) = (p[1:1] eq '/') ? p : './'.p
dir = path(ARG1 ne '' ? ARG1 : 'out/default')
fmt = ARG2 ne '' ? ARG2 : 'png'
out = ARG4 ne '' ? path(ARG4) : dir.'/asymmetry.'.fmt
set datafile separator comma
set datafile columnheaders
if (ARG5 ne '') {
    J_max = ARG5 + 0.0
} else {
    stats dir.'/summary.csv' using "jain_min" name 'J' nooutput
}
if (ARG3 ne '') {
    caption = ARG3
} else {
    stats dir.'/summary.csv' using (caption = strcol("config"), 0) nooutput
}
set datafile nocolumnheaders
set datafile separator "\t"
set datafile commentschars ""    # a thread name may start with '#'
if (fmt eq 'svg') set terminal svg size 900,500 font "sans,11" background rgb "white"
if (fmt eq 'pdf') set terminal pdfcairo size 9in,5in font "sans,9"
if (fmt eq 'png') set terminal pngcairo size 900,500 font ",11"
set output out
stats dir.'/asymmetry.dat' using 1 name 'A' nooutput
many = A_records > 64
set title sprintf("Thread-load asymmetry: share of the work per thread (lowest Jain index of a group %.3f; 1 = equal)\n%s", J_max, caption) noenhanced
set ylabel "share of its group's work (%)"
if (many) set xlabel sprintf("%d threads, by group", A_records)    # else the tics name them
if (many) {
    set style fill solid 0.6 noborder
    set xtics scale 0
} else {
    set style fill solid 0.6 border -1
}
set boxwidth 0.7
set yrange [0:*]
set offsets 0, 0, graph 0.06, 0
set xtics rotate by -45 noenhanced
set grid ytics
set key outside bottom center horizontal
data = dir.'/asymmetry.dat'
plot data using 1:2:xtic(4) with boxes lc rgb "#4a6fa5" title "work share", \
     data using 1:3:(0.45) with xerrorbars pt -1 lw 2 lc rgb "black" title "equal share in its group"
