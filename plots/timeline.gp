# timeline.gp — who runs, who holds the GIL, which core runs whom: one
# panel for the window, and for a long run a second with its first switch
# intervals in detail.
# Data: DIR/DATA, written by `gilsim plot DIR` (which also calls this
# script): tab-separated rows tagged by their first field, laid out,
# coloured and scaled to each panel's unit by gilsim (sim/out/plotdat.c
# says what each row holds).  This script only draws them.
# usage: gnuplot -c plots/timeline.gp DIR [FMT [TITLE [OUT [DATA]]]]
#   FMT png|svg|pdf (png), TITLE the figure's title, OUT the file to write
#   (DIR/timeline.FMT), DATA the data file in DIR (timeline.dat).
# The arguments are plain strings (ARGn): names in them are never run or
# expanded, and paths get a "./" so a leading '<' or '|' names a file, not
# a command.  Lane labels and names come from the data file, as strings.
path(p) = (p[1:1] eq '/') ? p : './'.p
dir = path(ARG1 ne '' ? ARG1 : 'out/default')
fmt = ARG2 ne '' ? ARG2 : 'png'
title = ARG3 ne '' ? ARG3 : 'gilsim timeline'
out = ARG4 ne '' ? path(ARG4) : dir.'/timeline.'.fmt
data = dir.'/'.(ARG5 ne '' ? ARG5 : 'timeline.dat')
set datafile separator "\t"
set datafile commentschars ""    # a label may start with '#'

# row 0: G npanels nlanes nkeys width height left right key_top keyrows
stats data every ::0::0 using (np = column(2), nl = column(3), nk = column(4), \
    W = column(5), H = column(6), left = column(7), right = column(8), keytop = column(9), \
    keyrows = column(10), 0) nooutput
array x0[np]; array x1[np]; array top[np]; array bot[np]; array xlab[np]; array ptitle[np]
do for [p = 1:np] {
    stats data every ::p::p using (a = column(3), b = column(4), t = column(5), u = column(6), \
        xl = strcol(7), pt = strcol(8), 0) nooutput
    x0[p] = a; x1[p] = b; top[p] = t; bot[p] = u; xlab[p] = xl; ptitle[p] = pt
}
array ks[nk > 0 ? nk : 1]; array kc[nk > 0 ? nk : 1]; array kl[nk > 0 ? nk : 1]
do for [i = 1:nk] {
    stats data every ::(np + i)::(np + i) using (s = column(2), c = column(3), l = strcol(4), 0) nooutput
    ks[i] = int(s); kc[i] = int(c); kl[i] = l
}

if (fmt eq 'svg') set terminal svg size W,H font "sans,11" background rgb "white"
if (fmt eq 'pdf') set terminal pdfcairo size (W/100.0)in,(H/100.0)in font "sans,9"
if (fmt eq 'png') set terminal pngcairo size W,H font "sans,10"
set output out

# each lane: its swatch (its colour in the core and GIL lanes) beside its
# name, and a line above a new section (the cores, a process)
first = np + nk + 1
last = first + nl - 1
do for [i = 0:nl - 1] {
    stats data every ::(first + i)::(first + i) using (y = column(2), sw = column(3), \
        sep = column(4), 0) nooutput
    if (sw >= 0) {
        set object (i + 1) rect from screen left - 0.014, first y - 0.32 to screen left - 0.005, first y + 0.32 \
            fc rgb sw fs solid 1.0 noborder noclip front
    }
    if (sep) {
        set arrow (i + 1) from graph 0, first y - 0.5 to graph 1, first y - 0.5 nohead lc rgb "#888888" lw 1 back
    }
}

set multiplot title title noenhanced
set lmargin at screen left
set rmargin at screen right
set yrange [nl - 0.5:-0.5]
set ytics nomirror scale 0 offset -1.6,0 noenhanced font ",9"
set xtics nomirror
set grid xtics lc rgb "#dddddd"
set style fill solid 1.0 noborder
set key off
tag(s) = strcol(1) eq s
do for [p = 1:np] {
    set tmargin at screen top[p]
    set bmargin at screen bot[p]
    set xrange [x0[p]:x1[p]] noextend
    set xlabel xlab[p] noenhanced
    set title (np > 1 ? ptitle[p] : '') noenhanced     # one panel: the figure's title says it
    if (p == np) {
        set key at screen 0.5, screen keytop center top vertical maxrows keyrows samplen 2 width 2 noenhanced
    }
    plot data using (tag('B') && column(2) == p - 1 ? (column(4) + column(5)) / 2 : 1/0):3:((column(5) - column(4)) / 2):6:7 \
             with boxxyerror lc rgb variable notitle, \
         data using (tag('M') && column(2) == p - 1 && column(5) == 0 ? column(4) : 1/0):(column(3) - 0.47) \
             with points pt 11 ps 0.55 lc rgb "black" notitle, \
         data using (tag('M') && column(2) == p - 1 && column(5) == 1 ? column(4) : 1/0):(column(3) + 0.47) \
             with points pt 9 ps 0.55 lc rgb "black" notitle, \
         data using (tag('N') && column(2) == p - 1 ? column(4) : 1/0):3:(strcol(6)):5 \
             with labels tc rgb variable font ",8" notitle, \
         data every ::first::last using (1/0):2:ytic(strcol(5)) notitle, \
         for [i = 1:(p == np ? nk : 0)] keyentry with boxes fs solid 1.0 lc rgb kc[i] \
             title (ks[i] == 0 ? kl[i] : ''), \
         for [i = 1:(p == np ? nk : 0)] keyentry with lines lw 3 lc rgb kc[i] \
             title (ks[i] == 1 ? kl[i] : ''), \
         for [i = 1:(p == np ? nk : 0)] keyentry with points pt (ks[i] == 2 ? 11 : 9) ps 0.8 lc rgb "black" \
             title (ks[i] == 2 || ks[i] == 3 ? kl[i] : ''), \
         for [i = 1:(p == np ? nk : 0)] keyentry with points ps 0 lc rgb "white" \
             title (ks[i] == 4 ? kl[i] : '')
    unset key
}
unset multiplot
