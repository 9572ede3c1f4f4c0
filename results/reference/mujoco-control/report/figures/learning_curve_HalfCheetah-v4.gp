# HalfCheetah-v4: evaluation return -- written by pgbench report.
# Restyle freely, then re-render in this folder with: gnuplot learning_curve_HalfCheetah-v4.gp
# (one format only: gnuplot -e 'formats="png"' learning_curve_HalfCheetah-v4.gp)
# Data: learning_curve_HalfCheetah-v4.dat -- one block per series (x, value, lower and upper end of the band), blocks separated by two blank lines
if (!exists("formats")) formats = "pdf png svg"
data = "learning_curve_HalfCheetah-v4.dat"
set datafile missing "NaN"
set title "HalfCheetah-v4: evaluation return"
set xlabel "env steps"
set ylabel "evaluation return (mean, 95% bootstrap CI)"
set format x "%.0s%c"
unset logscale
set autoscale x
set autoscale y
set key outside right top
set grid
set style fill transparent solid 0.2 noborder
set offsets graph 0, graph 0, graph 0.05, graph 0.05
do for [ext in formats] {
  if (ext eq "pdf") {
    set terminal pdfcairo noenhanced size 6.4in,3.8in font "Sans,9"
  }
  if (ext eq "png") {
    set terminal pngcairo noenhanced size 1280,760 font "Sans,12"
  }
  if (ext eq "svg") {
    set terminal svg noenhanced size 960,570 font "Sans,12" background "white"
  }
  set output "learning_curve_HalfCheetah-v4." . ext
  plot data index 0 using 1:3:4 with filledcurves lc rgb "#0072B2" notitle, \
       data index 0 using 1:2 with lines lw 2 dt 1 lc rgb "#0072B2" title "reinforce", \
       data index 1 using 1:3:4 with filledcurves lc rgb "#D55E00" notitle, \
       data index 1 using 1:2 with lines lw 2 dt 2 lc rgb "#D55E00" title "a2c", \
       data index 2 using 1:3:4 with filledcurves lc rgb "#009E73" notitle, \
       data index 2 using 1:2 with lines lw 2 dt 3 lc rgb "#009E73" title "trpo", \
       data index 3 using 1:3:4 with filledcurves lc rgb "#CC79A7" notitle, \
       data index 3 using 1:2 with lines lw 2 dt 4 lc rgb "#CC79A7" title "ppo", \
       data index 4 using 1:3:4 with filledcurves lc rgb "#E69F00" notitle, \
       data index 4 using 1:2 with lines lw 2 dt 5 lc rgb "#E69F00" title "ddpg", \
       data index 5 using 1:3:4 with filledcurves lc rgb "#7f7f7f" notitle, \
       data index 5 using 1:2 with lines lw 2 dt 1 lc rgb "#7f7f7f" title "random"
  unset output
}
