# asymmetry.gp — each thread's share of its group's work (threads.csv), with
# the equal share as a line: the course notes' thread-load asymmetry figure.
# usage: gnuplot -e "dir='out/default'" plots/asymmetry.gp   (writes dir/asymmetry.png)
if (!exists("dir")) dir = 'out/default'
set datafile separator comma
set datafile columnheaders     # columns by name: robust to new columns
set terminal pngcairo size 900,500 font ",11"
set output dir.'/asymmetry.png'
stats dir.'/threads.csv' using "work_share" name 'S' nooutput
n = S_records
stats dir.'/summary.csv' using "jain_min" name 'J' nooutput
if (!exists("caption")) caption = dir
set title sprintf("Thread-load asymmetry: share of the work per thread (lowest Jain index of a group %.3f; 1 = equal)\n%s", J_max, caption) noenhanced
set ylabel "share of its group's work (%)"
set xlabel "thread"
set style fill solid 0.6 border -1
set boxwidth 0.7
set yrange [0:*]
set offsets 0, 0, graph 0.06, 0
set xtics rotate by -45 noenhanced
set grid ytics
set key outside bottom center horizontal
plot dir.'/threads.csv' using 0:(column("work_share")*100):xtic(2) with boxes lc rgb "#4a6fa5" title "work share", \
     dir.'/threads.csv' using 0:(100.0/column("group_size")):(0.45) with xerrorbars pt -1 lw 2 lc rgb "black" title "equal share in its group"
