# asymmetry_panel.gp — thread-load asymmetry of several runs side by side
# (the course notes' figure: 4, 8 and 16 CPU-bound threads).  Reads each
# run's threads.csv and summary.csv.
# usage: gnuplot -c plots/asymmetry_panel.gp OUT DIR1 [DIR2 ... DIR8]
# The arguments are plain strings, never run or expanded: folders may hold
# spaces or quotes.
path(p) = (p[1:1] eq '/') ? p : './'.p
out = path(ARG1 ne '' ? ARG1 : 'asymmetry_panel.png')
n = ARGC > 1 ? ARGC - 1 : 1
array dirs[n]
dirs[1] = path('out/default')
do for [i = 2:ARGC] { dirs[i - 1] = path(value('ARG'.i)) }
set datafile separator comma
set datafile columnheaders     # columns by name: robust to new columns
set terminal pngcairo size 420*n,460 font ",10"
set output out
set multiplot layout 1,n title "Thread-load asymmetry: each thread's share of the work (black: the equal share in its group)"
set style fill solid 0.6 border -1
set boxwidth 0.7
set yrange [0:*]
set offsets 0, 0, graph 0.06, 0
set grid ytics
set key off
set xtics rotate by -60 font ",8" noenhanced
set ylabel "share of the group's work (%)"
do for [i=1:n] {
    d = dirs[i]
    stats d.'/threads.csv' using "work_share" name 'S' nooutput
    stats d.'/summary.csv' using "jain_min" name 'J' nooutput
    set title sprintf("%d threads, Jain %.3f", S_records, J_max)
    plot d.'/threads.csv' using 0:(column("work_share")*100):xtic(2) with boxes lc rgb "#4a6fa5", \
         d.'/threads.csv' using 0:(100.0/column("group_size")):(0.45) with xerrorbars pt -1 lw 2 lc rgb "black"
    unset ylabel
}
unset multiplot
