# Score of every run (bar: mean) -- written by pgbench report.
# Restyle freely, then re-render in this folder with: gnuplot run_scores.gp
# (one format only: gnuplot -e 'formats="png"' run_scores.gp)
# Data: run_scores.dat -- two blocks per panel, in panel order: each run's score, then each algorithm's mean
if (!exists("formats")) formats = "pdf png svg"
data = "run_scores.dat"
set datafile missing "NaN"
set grid ytics
set key off
set offsets 0, 0, graph 0.05, graph 0.05
do for [ext in formats] {
  if (ext eq "pdf") {
    set terminal pdfcairo noenhanced size 7in,6.9in font "Sans,9"
  }
  if (ext eq "png") {
    set terminal pngcairo noenhanced size 1400,1380 font "Sans,12"
  }
  if (ext eq "svg") {
    set terminal svg noenhanced size 1050,1035 font "Sans,12" background "white"
  }
  set output "run_scores." . ext
  set multiplot layout 3,3 title "Score of every run (bar: mean)"
  set title "HalfCheetah-v4"
  set xrange [-0.6:5.6]
  set xtics ("reinforce" 0, "a2c" 1, "trpo" 2, "ppo" 3, "ddpg" 4, "random" 5) rotate by 30 right
  set ylabel "score (final)"
  plot data index 0 using 1:2:3 with points pt 6 ps 0.9 lc rgb variable notitle, \
       data index 1 using 1:2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \
       data index 1 using ($1-0.35):2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle
  set title "Hopper-v4"
  set xrange [-0.6:5.6]
  set xtics ("reinforce" 0, "a2c" 1, "trpo" 2, "ppo" 3, "ddpg" 4, "random" 5) rotate by 30 right
  set ylabel ""
  plot data index 2 using 1:2:3 with points pt 6 ps 0.9 lc rgb variable notitle, \
       data index 3 using 1:2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \
       data index 3 using ($1-0.35):2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle
  set title "Walker2d-v4"
  set xrange [-0.6:4.6]
  set xtics ("reinforce" 0, "a2c" 1, "trpo" 2, "ppo" 3, "random" 4) rotate by 30 right
  set ylabel ""
  plot data index 4 using 1:2:3 with points pt 6 ps 0.9 lc rgb variable notitle, \
       data index 5 using 1:2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \
       data index 5 using ($1-0.35):2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle
  set title "Ant-v4"
  set xrange [-0.6:4.6]
  set xtics ("reinforce" 0, "a2c" 1, "trpo" 2, "ppo" 3, "random" 4) rotate by 30 right
  set ylabel "score (final)"
  plot data index 6 using 1:2:3 with points pt 6 ps 0.9 lc rgb variable notitle, \
       data index 7 using 1:2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \
       data index 7 using ($1-0.35):2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle
  set title "Swimmer-v4"
  set xrange [-0.6:4.6]
  set xtics ("reinforce" 0, "a2c" 1, "trpo" 2, "ppo" 3, "random" 4) rotate by 30 right
  set ylabel ""
  plot data index 8 using 1:2:3 with points pt 6 ps 0.9 lc rgb variable notitle, \
       data index 9 using 1:2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \
       data index 9 using ($1-0.35):2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle
  set title "Reacher-v4"
  set xrange [-0.6:4.6]
  set xtics ("reinforce" 0, "a2c" 1, "trpo" 2, "ppo" 3, "random" 4) rotate by 30 right
  set ylabel ""
  plot data index 10 using 1:2:3 with points pt 6 ps 0.9 lc rgb variable notitle, \
       data index 11 using 1:2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \
       data index 11 using ($1-0.35):2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle
  set title "InvertedPendulum-v4"
  set xrange [-0.6:4.6]
  set xtics ("reinforce" 0, "a2c" 1, "trpo" 2, "ppo" 3, "random" 4) rotate by 30 right
  set ylabel "score (final)"
  plot data index 12 using 1:2:3 with points pt 6 ps 0.9 lc rgb variable notitle, \
       data index 13 using 1:2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \
       data index 13 using ($1-0.35):2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle
  set title "InvertedDoublePendulum-v4"
  set xrange [-0.6:4.6]
  set xtics ("reinforce" 0, "a2c" 1, "trpo" 2, "ppo" 3, "random" 4) rotate by 30 right
  set ylabel ""
  plot data index 14 using 1:2:3 with points pt 6 ps 0.9 lc rgb variable notitle, \
       data index 15 using 1:2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \
       data index 15 using ($1-0.35):2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle
  set title "Humanoid-v4"
  set xrange [-0.6:4.6]
  set xtics ("reinforce" 0, "a2c" 1, "trpo" 2, "ppo" 3, "random" 4) rotate by 30 right
  set ylabel ""
  plot data index 16 using 1:2:3 with points pt 6 ps 0.9 lc rgb variable notitle, \
       data index 17 using 1:2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \
       data index 17 using ($1-0.35):2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle
  unset multiplot
  unset output
}
