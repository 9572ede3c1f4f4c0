# Evaluation return (mean, 95% bootstrap CI) -- written by pgbench report.
# Restyle freely, then re-render in this folder with: gnuplot learning_curves.gp
# (one format only: gnuplot -e 'formats="png"' learning_curves.gp)
# Data: learning_curves.dat -- one block per panel and series, in panel order (x, value, lower and upper end of the band), blocks separated by two blank lines
if (!exists("formats")) formats = "pdf png svg"
data = "learning_curves.dat"
set datafile missing "NaN"
unset key
set grid
set style fill transparent solid 0.2 noborder
set offsets graph 0, graph 0, graph 0.05, graph 0.05
do for [ext in formats] {
  if (ext eq "pdf") {
    set terminal pdfcairo noenhanced size 7in,6.7in font "Sans,9"
  }
  if (ext eq "png") {
    set terminal pngcairo noenhanced size 1400,1340 font "Sans,12"
  }
  if (ext eq "svg") {
    set terminal svg noenhanced size 1050,1005 font "Sans,12" background "white"
  }
  set output "learning_curves." . ext
  set multiplot
  set origin 0.0000,0.6269
  set size 0.3333,0.3134
  set title "HalfCheetah-v4"
  set xlabel ""
  set ylabel "evaluation return"
  set format x "%.0s%c"
  unset logscale
  set autoscale x
  set autoscale y
  plot data index 0 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
       data index 0 using 1:2 with lines lw 2 dt 1 lc rgb "#0072B2" notitle, \
       data index 1 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
       data index 1 using 1:2 with lines lw 2 dt 2 lc rgb "#D55E00" notitle, \
       data index 2 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
       data index 2 using 1:2 with lines lw 2 dt 3 lc rgb "#009E73" notitle, \
       data index 3 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
       data index 3 using 1:2 with lines lw 2 dt 4 lc rgb "#CC79A7" notitle, \
       data index 4 using 1:3:4 with filledcurves lc rgb "#E69F00" notitle, \
       data index 4 using 1:2 with lines lw 2 dt 5 lc rgb "#E69F00" notitle, \
       data index 5 using 1:3:4 with filledcurves lc rgb "#7f7f7f" notitle, \
       data index 5 using 1:2 with lines lw 2 dt 1 lc rgb "#7f7f7f" notitle
  set origin 0.3333,0.6269
  set size 0.3333,0.3134
  set title "Hopper-v4"
  set xlabel ""
  set ylabel ""
  set format x "%.0s%c"
  unset logscale
  set autoscale x
  set autoscale y
  plot data index 6 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
       data index 6 using 1:2 with lines lw 2 dt 1 lc rgb "#0072B2" notitle, \
       data index 7 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
       data index 7 using 1:2 with lines lw 2 dt 2 lc rgb "#D55E00" notitle, \
       data index 8 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
       data index 8 using 1:2 with lines lw 2 dt 3 lc rgb "#009E73" notitle, \
       data index 9 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
       data index 9 using 1:2 with lines lw 2 dt 4 lc rgb "#CC79A7" notitle, \
       data index 10 using 1:3:4 with filledcurves lc rgb "#E69F00" notitle, \
       data index 10 using 1:2 with lines lw 2 dt 5 lc rgb "#E69F00" notitle, \
       data index 11 using 1:3:4 with filledcurves lc rgb "#7f7f7f" notitle, \
       data index 11 using 1:2 with lines lw 2 dt 1 lc rgb "#7f7f7f" notitle
  set origin 0.6667,0.6269
  set size 0.3333,0.3134
  set title "Walker2d-v4"
  set xlabel ""
  set ylabel ""
  set format x "%.0s%c"
  unset logscale
  set autoscale x
  set autoscale y
  plot data index 12 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
       data index 12 using 1:2 with lines lw 2 dt 1 lc rgb "#0072B2" notitle, \
       data index 13 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
       data index 13 using 1:2 with lines lw 2 dt 2 lc rgb "#D55E00" notitle, \
       data index 14 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
       data index 14 using 1:2 with lines lw 2 dt 3 lc rgb "#009E73" notitle, \
       data index 15 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
       data index 15 using 1:2 with lines lw 2 dt 4 lc rgb "#CC79A7" notitle, \
       data index 16 using 1:3:4 with filledcurves lc rgb "#7f7f7f" notitle, \
       data index 16 using 1:2 with lines lw 2 dt 1 lc rgb "#7f7f7f" notitle
  set origin 0.0000,0.3134
  set size 0.3333,0.3134
  set title "Ant-v4"
  set xlabel ""
  set ylabel "evaluation return"
  set format x "%.0s%c"
  unset logscale
  set autoscale x
  set autoscale y
  plot data index 17 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
       data index 17 using 1:2 with lines lw 2 dt 1 lc rgb "#0072B2" notitle, \
       data index 18 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
       data index 18 using 1:2 with lines lw 2 dt 2 lc rgb "#D55E00" notitle, \
       data index 19 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
       data index 19 using 1:2 with lines lw 2 dt 3 lc rgb "#009E73" notitle, \
       data index 20 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
       data index 20 using 1:2 with lines lw 2 dt 4 lc rgb "#CC79A7" notitle, \
       data index 21 using 1:3:4 with filledcurves lc rgb "#7f7f7f" notitle, \
       data index 21 using 1:2 with lines lw 2 dt 1 lc rgb "#7f7f7f" notitle
  set origin 0.3333,0.3134
  set size 0.3333,0.3134
  set title "Swimmer-v4"
  set xlabel ""
  set ylabel ""
  set format x "%.0s%c"
  unset logscale
  set autoscale x
  set autoscale y
  plot data index 22 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
       data index 22 using 1:2 with lines lw 2 dt 1 lc rgb "#0072B2" notitle, \
       data index 23 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
       data index 23 using 1:2 with lines lw 2 dt 2 lc rgb "#D55E00" notitle, \
       data index 24 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
       data index 24 using 1:2 with lines lw 2 dt 3 lc rgb "#009E73" notitle, \
       data index 25 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
       data index 25 using 1:2 with lines lw 2 dt 4 lc rgb "#CC79A7" notitle, \
       data index 26 using 1:3:4 with filledcurves lc rgb "#7f7f7f" notitle, \
       data index 26 using 1:2 with lines lw 2 dt 1 lc rgb "#7f7f7f" notitle
  set origin 0.6667,0.3134
  set size 0.3333,0.3134
  set title "Reacher-v4"
  set xlabel ""
  set ylabel ""
  set format x "%.0s%c"
  unset logscale
  set autoscale x
  set autoscale y
  plot data index 27 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
       data index 27 using 1:2 with lines lw 2 dt 1 lc rgb "#0072B2" notitle, \
       data index 28 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
       data index 28 using 1:2 with lines lw 2 dt 2 lc rgb "#D55E00" notitle, \
       data index 29 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
       data index 29 using 1:2 with lines lw 2 dt 3 lc rgb "#009E73" notitle, \
       data index 30 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
       data index 30 using 1:2 with lines lw 2 dt 4 lc rgb "#CC79A7" notitle, \
       data index 31 using 1:3:4 with filledcurves lc rgb "#7f7f7f" notitle, \
       data index 31 using 1:2 with lines lw 2 dt 1 lc rgb "#7f7f7f" notitle
  set origin 0.0000,0.0000
  set size 0.3333,0.3134
  set title "InvertedPendulum-v4"
  set xlabel "env steps"
  set ylabel "evaluation return"
  set format x "%.0s%c"
  unset logscale
  set autoscale x
  set autoscale y
  plot data index 32 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
       data index 32 using 1:2 with lines lw 2 dt 1 lc rgb "#0072B2" notitle, \
       data index 33 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
       data index 33 using 1:2 with lines lw 2 dt 2 lc rgb "#D55E00" notitle, \
       data index 34 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
       data index 34 using 1:2 with lines lw 2 dt 3 lc rgb "#009E73" notitle, \
       data index 35 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
       data index 35 using 1:2 with lines lw 2 dt 4 lc rgb "#CC79A7" notitle, \
       data index 36 using 1:3:4 with filledcurves lc rgb "#7f7f7f" notitle, \
       data index 36 using 1:2 with lines lw 2 dt 1 lc rgb "#7f7f7f" notitle
  set origin 0.3333,0.0000
  set size 0.3333,0.3134
  set title "InvertedDoublePendulum-v4"
  set xlabel "env steps"
  set ylabel ""
  set format x "%.0s%c"
  unset logscale
  set autoscale x
  set autoscale y
  plot data index 37 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
       data index 37 using 1:2 with lines lw 2 dt 1 lc rgb "#0072B2" notitle, \
       data index 38 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
       data index 38 using 1:2 with lines lw 2 dt 2 lc rgb "#D55E00" notitle, \
       data index 39 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
       data index 39 using 1:2 with lines lw 2 dt 3 lc rgb "#009E73" notitle, \
       data index 40 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
       data index 40 using 1:2 with lines lw 2 dt 4 lc rgb "#CC79A7" notitle, \
       data index 41 using 1:3:4 with filledcurves lc rgb "#7f7f7f" notitle, \
       data index 41 using 1:2 with lines lw 2 dt 1 lc rgb "#7f7f7f" notitle
  set origin 0.6667,0.0000
  set size 0.3333,0.3134
  set title "Humanoid-v4"
  set xlabel "env steps"
  set ylabel ""
  set format x "%.0s%c"
  unset logscale
  set autoscale x
  set autoscale y
  plot data index 42 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
       data index 42 using 1:2 with lines lw 2 dt 1 lc rgb "#0072B2" notitle, \
       data index 43 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
       data index 43 using 1:2 with lines lw 2 dt 2 lc rgb "#D55E00" notitle, \
       data index 44 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
       data index 44 using 1:2 with lines lw 2 dt 3 lc rgb "#009E73" notitle, \
       data index 45 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
       data index 45 using 1:2 with lines lw 2 dt 4 lc rgb "#CC79A7" notitle, \
       data index 46 using 1:3:4 with filledcurves lc rgb "#7f7f7f" notitle, \
       data index 46 using 1:2 with lines lw 2 dt 1 lc rgb "#7f7f7f" notitle
  set origin 0,0.9403
  set size 1,0.0597
  unset title
  unset xlabel
  unset ylabel
  unset border
  unset tics
  unset grid
  unset logscale
  set xrange [0:1]
  set yrange [0:1]
  set key center center horizontal samplen 3
  plot NaN with lines lw 2 dt 1 lc rgb "#0072B2" title "reinforce", \
       NaN with lines lw 2 dt 2 lc rgb "#D55E00" title "a2c", \
       NaN with lines lw 2 dt 3 lc rgb "#009E73" title "trpo", \
       NaN with lines lw 2 dt 4 lc rgb "#CC79A7" title "ppo", \
       NaN with lines lw 2 dt 5 lc rgb "#E69F00" title "ddpg", \
       NaN with lines lw 2 dt 1 lc rgb "#7f7f7f" title "random"
  unset multiplot
  unset key
  set border
  set tics
  set grid
  unset output
}
