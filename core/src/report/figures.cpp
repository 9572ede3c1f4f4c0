#include "report/figures.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <tuple>
#include <fstream>
#include <sstream>

extern char** environ;

namespace pgbench::report {
namespace {

namespace fs = std::filesystem;

fs::path find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? fs::path(name) : fs::path();
  const char* path = std::getenv("PATH");
  std::istringstream directories(path ? path : "");
  for (std::string directory; std::getline(directories, directory, ':');) {
    const fs::path candidate = fs::path(directory.empty() ? "." : directory) / name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string data_number(double value) { return std::isfinite(value) ? fmt::format("{:.10g}", value) : "NaN"; }

// A tick step of 1, 2, 2.5 or 5 times a power of ten giving about four ticks over `span`:
// narrow panels with gnuplot's default steps get labels that run into each other.
double tick_step(double span) {
  if (!(span > 0) || !std::isfinite(span)) return 0.5;
  const double raw = span / 4;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double nice : {1.0, 2.0, 2.5, 5.0})
    if (raw <= nice * magnitude) return nice * magnitude;
  return 10 * magnitude;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + '"';
}

// The size of a figure: the PDF's in inches; PNG and SVG keep its proportions.
struct FigureSize {
  double width_in = 6.4, height_in = 3.8;
};

// The part of every script that loops over the output formats; `body` draws the figure.
std::string script(const std::string& stem, const std::string& title, const std::string& data_layout,
                   const std::string& settings, const std::string& body, FigureSize size = {}) {
  const auto pixels = [&](double per_inch) {
    return fmt::format("{},{}", std::lround(size.width_in * per_inch), std::lround(size.height_in * per_inch));
  };
  std::ostringstream out;
  out << "# " << title << " -- written by pgbench report.\n"
      << "# Restyle freely, then re-render in this folder with: gnuplot " << stem << ".gp\n"
      << "# (one format only: gnuplot -e 'formats=\"png\"' " << stem << ".gp)\n"
      << "# Data: " << stem << ".dat -- " << data_layout << "\n"
      << "if (!exists(\"formats\")) formats = \"pdf png svg\"\n"
      << "data = \"" << stem << ".dat\"\n"
      << "set datafile missing \"NaN\"\n"
      << settings << "do for [ext in formats] {\n"
      << "  if (ext eq \"pdf\") {\n    set terminal pdfcairo noenhanced size " << size.width_in << "in," << size.height_in
      << "in font \"Sans,9\"\n  }\n"
      << "  if (ext eq \"png\") {\n    set terminal pngcairo noenhanced size " << pixels(200) << " font \"Sans,12\"\n  }\n"
      << "  if (ext eq \"svg\") {\n    set terminal svg noenhanced size " << pixels(150)
      << " font \"Sans,12\" background \"white\"\n  }\n"
      << "  set output \"" << stem << ".\" . ext\n"
      << body << "  unset output\n}\n";
  return out.str();
}

// Settings of a band plot's axes (title, labels, k/M steps, log scale, range).
std::string band_axes(const BandPlot& plot, const std::string& indent, bool x_label = true, bool y_label = true) {
  std::ostringstream out;
  out << indent << "set title " << quoted(plot.title) << "\n" << indent << "set xlabel "
      << quoted(x_label ? plot.x_label : std::string()) << "\n"
      << indent << "set ylabel " << quoted(y_label ? plot.y_label : std::string()) << "\n";
  // Env steps read as 250k and 1M, not 1x10^6.
  out << indent << (plot.x_label.find("env steps") != std::string::npos ? "set format x \"%.0s%c\"" : "set format x \"% h\"")
      << "\n" << indent << (plot.log_x ? "set logscale x" : "unset logscale") << "\n" << indent << "set autoscale x\n";
  if (plot.y_range) out << indent << "set yrange [" << plot.y_range->first << ":" << plot.y_range->second << "]\n";
  else out << indent << "set autoscale y\n";
  return out.str();
}

std::string line_style(const BandSeries& series) {
  return fmt::format("lw 2 dt {} lc rgb \"{}\"", series.dash, series.color);
}

// Appends the series of `plot` to `data` as blocks after the `blocks` already there (and counts
// them in); returns the plot command for them: bands, then lines, titled for a legend when
// `titled`.
std::string band_series(const BandPlot& plot, std::ostringstream& data, bool titled, std::size_t& blocks) {
  std::ostringstream command;
  std::size_t drawn = 0;
  for (const BandSeries& series : plot.series) {
    if (series.x.empty()) continue;
    const std::size_t block = blocks;
    if (block) data << "\n\n";
    data << "# " << plot.title << ": " << series.label << "\n# x y lower upper\n";
    for (std::size_t i = 0; i < series.x.size(); ++i)
      data << data_number(series.x[i]) << ' ' << data_number(series.y[i]) << ' ' << data_number(series.lower[i])
           << ' ' << data_number(series.upper[i]) << '\n';
    command << (drawn++ ? ", \\\n       " : "  plot ") << "data index " << block
            << " using 1:3:4 with filledcurves lc rgb \"" << series.color << "\" notitle, \\\n"
            << "       data index " << block << " using 1:2 with lines " << line_style(series) << ' '
            << (titled ? "title " + quoted(series.label) : std::string("notitle"));
    ++blocks;
  }
  command << '\n';
  return command.str();
}

}  // namespace

std::string algorithm_color(std::size_t index, const std::string& algorithm) {
  // Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies (its yellow
  // last: faint on white); grey is kept for the random policy (a reference, not a rival).
  static constexpr std::array<const char*, 7> kPalette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                          "#E69F00", "#56B4E9", "#F0E442"};
  if (algorithm == "random") return "#7f7f7f";
  return kPalette[index % kPalette.size()];
}

FigureWriter::FigureWriter(fs::path directory, std::vector<std::string> formats, std::string gnuplot)
    : directory_(std::move(directory)), formats_(std::move(formats)), gnuplot_path_(find_program(gnuplot)) {
  fs::create_directories(directory_);
}

std::string FigureWriter::write(const BandPlot& plot) const {
  std::ostringstream data;
  std::size_t blocks = 0;
  const std::string plot_command = band_series(plot, data, true, blocks);
  if (blocks == 0) return "no data to plot";

  const std::string settings = band_axes(plot, "") +
                               "set key outside right top\nset grid\n"
                               "set style fill transparent solid 0.2 noborder\n"
                               // Room between the curves and the frame.
                               "set offsets graph 0, graph 0, graph 0.05, graph 0.05\n";
  write_file(directory_ / (plot.stem + ".dat"), data.str());
  write_file(directory_ / (plot.stem + ".gp"),
             script(plot.stem, plot.title,
                    "one block per series (x, value, lower and upper end of the band), blocks separated by two "
                    "blank lines",
                    settings, plot_command));
  return render(plot.stem);
}

std::string FigureWriter::write(const BandGrid& grid) const {
  if (grid.panels.empty()) return "no data to plot";
  const std::size_t columns = std::min(grid.columns, grid.panels.size());
  const std::size_t rows = (grid.panels.size() + columns - 1) / columns;
  // A legend band across the top, then rows of panels placed by hand (so that the legend can be a
  // plot of its own: every series once, whichever panels it appears in).
  const double legend_in = 0.4, panel_in = 2.1;
  const FigureSize size{7.0, legend_in + panel_in * static_cast<double>(rows)};
  const double row_height = panel_in / size.height_in, column_width = 1.0 / static_cast<double>(columns);

  // The legend: every series once, in the order of the panel that has the most, then any other.
  std::vector<const BandPlot*> by_size;
  for (const BandPlot& panel : grid.panels) by_size.push_back(&panel);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [](const BandPlot* a, const BandPlot* b) { return a->series.size() > b->series.size(); });
  std::vector<const BandSeries*> legend;
  for (const BandPlot* panel : by_size)
    for (const BandSeries& series : panel->series)
      if (!series.x.empty() &&
          std::none_of(legend.begin(), legend.end(), [&](const BandSeries* s) { return s->label == series.label; }))
        legend.push_back(&series);

  std::ostringstream data, body;
  body << "  set multiplot\n";
  std::size_t blocks = 0;
  for (std::size_t p = 0; p < grid.panels.size(); ++p) {
    const BandPlot& panel = grid.panels[p];
    const std::size_t row = p / columns, column = p % columns;
    body << fmt::format("  set origin {:.4f},{:.4f}\n  set size {:.4f},{:.4f}\n", column_width * static_cast<double>(column),
                        row_height * static_cast<double>(rows - 1 - row), column_width, row_height)
         // Axis names once per row and column: the bottom row names x, the first column y.
         << band_axes(panel, "  ", p + columns >= grid.panels.size(), column == 0);
    const std::size_t before = blocks;
    const std::string command = band_series(panel, data, false, blocks);
    if (blocks > before) body << command;
  }
  if (blocks == 0) return "no data to plot";
  body << fmt::format("  set origin 0,{:.4f}\n  set size 1,{:.4f}\n", 1.0 - legend_in / size.height_in,
                      legend_in / size.height_in)
       << "  unset title\n  unset xlabel\n  unset ylabel\n  unset border\n  unset tics\n  unset grid\n"
       << "  unset logscale\n  set xrange [0:1]\n  set yrange [0:1]\n  set key center center horizontal samplen 3\n";
  for (std::size_t i = 0; i < legend.size(); ++i)
    body << (i ? ", \\\n       " : "  plot ") << "NaN with lines " << line_style(*legend[i]) << " title "
         << quoted(legend[i]->label);
  body << "\n  unset multiplot\n"
       // The next format starts from the panels' settings again.
       << "  unset key\n  set border\n  set tics\n  set grid\n";

  write_file(directory_ / (grid.stem + ".dat"), data.str());
  write_file(directory_ / (grid.stem + ".gp"),
             script(grid.stem, grid.title,
                    "one block per panel and series, in panel order (x, value, lower and upper end of the band), "
                    "blocks separated by two blank lines",
                    "unset key\nset grid\nset style fill transparent solid 0.2 noborder\n"
                    "set offsets graph 0, graph 0, graph 0.05, graph 0.05\n",
                    body.str(), size));
  return render(grid.stem);
}

std::string FigureWriter::write(const StripPlot& plot) const {
  if (plot.panels.empty()) return "no data to plot";
  const std::size_t columns = std::min(plot.columns, plot.panels.size());
  const std::size_t rows = (plot.panels.size() + columns - 1) / columns;
  const FigureSize size{7.0, 0.3 + 2.2 * static_cast<double>(rows)};

  std::ostringstream data, body;
  body << "  set multiplot layout " << rows << "," << columns << " title " << quoted(plot.title) << "\n";
  std::size_t block = 0;
  for (std::size_t p = 0; p < plot.panels.size(); ++p) {
    const StripPanel& panel = plot.panels[p];
    // Two blocks per panel: the runs (position with a fixed spread, value, colour), the means.
    std::ostringstream runs, means;
    for (std::size_t a = 0; a < panel.values.size(); ++a) {
      const auto& values = panel.values[a];
      const unsigned long color = std::stoul(panel.colors[a].substr(1), nullptr, 16);
      for (std::size_t r = 0; r < values.size(); ++r) {
        // Runs spread evenly across ±0.25 of the algorithm's slot, so equal scores stay visible.
        const double offset = values.size() > 1 ? -0.25 + 0.5 * static_cast<double>(r) / static_cast<double>(values.size() - 1) : 0.0;
        runs << data_number(static_cast<double>(a) + offset) << ' ' << data_number(values[r]) << ' ' << color << '\n';
      }
      if (!values.empty()) {
        double sum = 0;
        for (double v : values) sum += v;
        means << a << ' ' << data_number(sum / static_cast<double>(values.size())) << ' ' << color << '\n';
      }
    }
    if (block) data << "\n\n";
    data << "# " << panel.title << ": runs (position, score, colour as 0xRRGGBB)\n" << runs.str() << "\n\n";
    data << "# " << panel.title << ": means (position, mean, colour)\n" << means.str();
    body << "  set title " << quoted(panel.title) << "\n  set xrange [-0.6:" << panel.labels.size() - 0.4 << "]\n"
         << "  set xtics (";
    for (std::size_t a = 0; a < panel.labels.size(); ++a) body << (a ? ", " : "") << quoted(panel.labels[a]) << ' ' << a;
    body << ") rotate by 30 right\n  set ylabel " << quoted(p % columns == 0 ? plot.y_label : std::string()) << "\n"
         << "  plot data index " << block << " using 1:2:3 with points pt 6 ps 0.9 lc rgb variable notitle, \\\n"
         << "       data index " << block + 1 << " using 1:2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \\\n"
         << "       data index " << block + 1 << " using ($1-0.35):2:(0.35):(0):3 with vectors nohead lw 3 lc rgb variable notitle\n";
    block += 2;
  }
  body << "  unset multiplot\n";

  write_file(directory_ / (plot.stem + ".dat"), data.str());
  write_file(directory_ / (plot.stem + ".gp"),
             script(plot.stem, plot.title,
                    "two blocks per panel, in panel order: each run's score, then each algorithm's mean",
                    "set grid ytics\nset key off\nset offsets 0, 0, graph 0.05, graph 0.05\n", body.str(), size));
  return render(plot.stem);
}

std::string FigureWriter::write(const IntervalPlot& plot) const {
  if (plot.panels.empty() || plot.panels.front().rows.empty()) return "no data to plot";
  const auto& labels = plot.panels.front().rows;
  const std::size_t rows = labels.size();

  std::ostringstream data;
  for (std::size_t p = 0; p < plot.panels.size(); ++p) {
    if (p) data << "\n\n";
    data << "# " << plot.panels[p].title << "\n# row value lower upper colour\n";
    for (std::size_t r = 0; r < plot.panels[p].rows.size(); ++r) {
      const IntervalRow& row = plot.panels[p].rows[r];
      // Rows from the top: the first label is drawn highest.
      data << rows - 1 - r << ' ' << data_number(row.value) << ' ' << data_number(row.lower) << ' '
           << data_number(row.upper) << ' ' << std::stoul(row.color.substr(1), nullptr, 16) << '\n';
    }
  }

  std::ostringstream settings;
  settings << "set grid xtics\nset style fill solid 0.55 noborder\nset yrange [-0.6:" << rows - 0.4 << "]\n"
           << "set ytics (";
  for (std::size_t r = 0; r < rows; ++r) settings << (r ? ", " : "") << quoted(labels[r].label) << ' ' << rows - 1 - r;
  settings << ")\nset xlabel " << quoted(plot.x_label) << "\n";

  std::ostringstream body;
  body << "  set multiplot layout 1," << plot.panels.size() << " title " << quoted(plot.title) << "\n";
  for (std::size_t p = 0; p < plot.panels.size(); ++p) {
    double low = plot.reference_line.value_or(std::numeric_limits<double>::infinity());
    double high = plot.reference_line.value_or(-std::numeric_limits<double>::infinity());
    if (plot.x_range) std::tie(low, high) = *plot.x_range;
    for (const IntervalRow& row : plot.panels[p].rows) {
      if (std::isfinite(row.lower)) low = std::min(low, row.lower);
      if (std::isfinite(row.upper)) high = std::max(high, row.upper);
    }
    // Padded, so that no point or bar sits on the frame.
    const double pad = 0.06 * (high > low ? high - low : 1.0);
    body << "  set title " << quoted(plot.panels[p].title) << "\n"
         << (p == 0 ? "  set format y \"%g\"\n" : "  set format y \"\"\n")
         << "  set xtics " << tick_step(high - low) << "\n"
         << "  set xrange [" << data_number(low - pad) << ":" << data_number(high + pad) << "]\n";
    if (plot.reference_line)
      body << "  set arrow 1 from " << *plot.reference_line << ", graph 0 to " << *plot.reference_line
           << ", graph 1 nohead dashtype 2 lc rgb \"#555555\"\n";
    body << "  plot data index " << p
         << " using 2:1:3:4:($1-0.2):($1+0.2):5 with boxxyerror lc rgb variable notitle, \\\n"
         << "       data index " << p << " using 2:1 with points pt 7 ps 0.8 lc rgb \"black\" notitle\n";
  }
  body << "  unset multiplot\n";

  write_file(directory_ / (plot.stem + ".dat"), data.str());
  write_file(directory_ / (plot.stem + ".gp"),
             script(plot.stem, plot.title,
                    "one block per panel; each row: position from the bottom, estimate, CI lower, CI upper, "
                    "colour as 0xRRGGBB",
                    settings.str(), body.str()));
  return render(plot.stem);
}

std::string FigureWriter::render(const std::string& stem) const {
  if (!can_render() || formats_.empty()) return {};
  std::string formats;
  for (const auto& format : formats_) formats += (formats.empty() ? "" : " ") + format;
  const std::string assignment = "formats=\"" + formats + "\"";
  const std::string script_name = stem + ".gp";
  const std::string log_name = "." + stem + ".gnuplot-log";

  // gnuplot runs in the figures folder, so the scripts use plain relative file names.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, directory_.c_str());
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_name.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::array<char*, 5> argv = {const_cast<char*>("gnuplot"), const_cast<char*>("-e"),
                               const_cast<char*>(assignment.c_str()), const_cast<char*>(script_name.c_str()),
                               nullptr};
  pid_t child = 0;
  const int spawn_error = posix_spawn(&child, gnuplot_path_.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) return "cannot start " + gnuplot_path_.string() + ": " + std::strerror(spawn_error);

  int status = 0;
  waitpid(child, &status, 0);
  const fs::path log_path = directory_ / log_name;
  std::ifstream log_file(log_path);
  const std::string log((std::istreambuf_iterator<char>(log_file)), std::istreambuf_iterator<char>());
  log_file.close();
  fs::remove(log_path);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  return "gnuplot failed on " + script_name + ": " + log;
}

}  // namespace pgbench::report
