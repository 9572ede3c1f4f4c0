#include "report/report.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <oneapi/tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "stats/descriptive.hpp"
#include "synthetic_run.hpp"

namespace pgbench::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::cell_dir;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream directories(path ? path : "");
  for (std::string directory; std::getline(directories, directory, ':');)
    if (access((fs::path(directory) / program).c_str(), X_OK) == 0) return true;
  return false;
}

class Report : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("pgbench-report-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    run_ = root_ / "run";
  }
  void TearDown() override { fs::remove_all(root_); }

  // Small bootstraps: these tests check the plumbing; tests/stats checks the numbers.
  Options options() const {
    Options o;
    o.run_dirs = {run_};
    o.bootstrap = 2000;
    o.profile_bootstrap = 500;
    return o;
  }

  fs::path write(const Options& o) {
    std::ostringstream log;
    const fs::path out = write_report(o, log);
    log_ = log.str();
    return out;
  }

  // The tidy value of one statistic; fails the test when absent.
  static double tidy_value(const json& summary, const std::string& table, const std::string& algorithm,
                           const std::string& task, const std::string& statistic) {
    for (const json& row : summary.at("rows"))
      if (row["table"] == table && row["algorithm"] == algorithm && row["task"] == task && row["statistic"] == statistic)
        return row["value"].is_null() ? std::nan("") : row["value"].get<double>();
    ADD_FAILURE() << "no row " << table << "/" << algorithm << "/" << task << "/" << statistic;
    return std::nan("");
  }

  fs::path root_, run_;
  std::string log_;
};

// A CSV with a header and rows that all have its number of fields (no field here is quoted).
void expect_tidy_csv(const fs::path& path) {
  std::istringstream lines(read(path));
  std::string header;
  ASSERT_TRUE(std::getline(lines, header)) << path;
  EXPECT_EQ(header, "table,algorithm,versus,task,statistic,value,ci_lower,ci_upper,ci_level,ci_method,score") << path;
  std::size_t rows = 0;
  for (std::string line; std::getline(lines, line); ++rows)
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), 10) << path << ": " << line;
  EXPECT_GT(rows, 0u) << path;
}

TEST_F(Report, WritesEveryOutputAndEachParses) {
  testing::write_synthetic_run(run_, {});
  const fs::path out = write(options());
  EXPECT_EQ(out, run_ / "report");

  const std::string markdown = read(out / "report.md");
  EXPECT_NE(markdown.find("# pgbench report: classic-control"), std::string::npos);
  EXPECT_NE(markdown.find("All 30 runs finished"), std::string::npos);
  const std::string html = read(out / "report.html");
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(html.find("src=\"figures/"), std::string::npos);  // self-contained: nothing linked

  const json summary = json::parse(read(out / "summary.json"));
  EXPECT_EQ(summary["pgbench_report"]["score"], "final");
  EXPECT_EQ(summary["pgbench_report"]["normalization"], "classic-control v1");

  for (const char* stem : {"protocol", "cells", "per_task", "cell_statistics", "normalization", "aggregate",
                           "probability_of_improvement", "pairwise", "power", "timing"}) {
    SCOPED_TRACE(stem);
    EXPECT_TRUE(fs::exists(out / "tables" / (std::string(stem) + ".md")));
    EXPECT_NE(read(out / "tables" / (std::string(stem) + ".tex")).find("\\bottomrule"), std::string::npos);
    expect_tidy_csv(out / "tables" / (std::string(stem) + ".csv"));
  }

  std::vector<std::string> figures = {"learning_curve_CartPole-v1", "wallclock_curve_Pendulum-v1",
                                      "aggregate_intervals", "performance_profile", "probability_of_improvement",
                                      "sample_efficiency"};
  for (const auto& stem : figures) {
    SCOPED_TRACE(stem);
    EXPECT_TRUE(fs::exists(out / "figures" / (stem + ".gp")));
    EXPECT_TRUE(fs::exists(out / "figures" / (stem + ".dat")));
  }
  if (!on_path("gnuplot")) GTEST_SKIP() << "gnuplot not installed: rendering not checked";
  for (const auto& stem : figures) {
    SCOPED_TRACE(stem);
    EXPECT_TRUE(read(out / "figures" / (stem + ".png")).starts_with("\x89PNG\r\n\x1a\n"));
    EXPECT_TRUE(read(out / "figures" / (stem + ".pdf")).starts_with("%PDF"));
    EXPECT_NE(read(out / "figures" / (stem + ".svg")).find("<svg"), std::string::npos);
  }
  EXPECT_NE(html.find("data:image/png;base64,"), std::string::npos);
  EXPECT_NE(markdown.find("![Aggregate metrics](figures/aggregate_intervals.png)"), std::string::npos);
}

TEST_F(Report, NumbersAgreeWithTheRunsTheyComeFrom) {
  testing::write_synthetic_run(run_, {});
  const json summary = json::parse(read(write(options()) / "summary.json"));
  std::vector<double> finals;
  for (int seed = 0; seed < 5; ++seed) finals.push_back(testing::final_return_of(run_, "CartPole-v1", "ppo", seed));
  EXPECT_DOUBLE_EQ(tidy_value(summary, "per_task", "ppo", "CartPole-v1", "mean"), stats::mean(finals));
  EXPECT_DOUBLE_EQ(tidy_value(summary, "cell_statistics", "ppo", "CartPole-v1", "std_ddof1"), stats::sample_std(finals));
  EXPECT_EQ(tidy_value(summary, "cells", "ppo", "CartPole-v1", "n_finished"), 5);
  // ppo beats the random policy on every run of every task: P(ppo > random) = 1.
  bool found = false;
  for (const json& row : summary["rows"]) {
    if (row["table"] == "probability_of_improvement" && row["algorithm"] == "ppo" && row["versus"] == "random") {
      EXPECT_EQ(row["value"], 1.0);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

// Every generated table, \input into the text widths of the common paper templates, sets without
// an overfull box: single column at 5.5 in (NeurIPS), and two-column (ICML: 3.25 in columns,
// 6.75 in for table*). Both a small grid and one as wide as mujoco-control's.
class LatexFits : public Report {
 protected:
  void expect_fits(const std::string& name, const std::string& preamble) {
    const fs::path tables = out_ / "tables";
    std::string body;
    for (const auto& entry : fs::directory_iterator(tables))
      if (entry.path().extension() == ".tex" && entry.path().stem().string().find("document") == std::string::npos)
        body += "\\input{" + entry.path().filename().string() + "}\n\\clearpage\n";
    std::ofstream(tables / (name + ".tex")) << preamble << "\\usepackage{booktabs}\n\\begin{document}\n"
                                            << body << "\\end{document}\n";
    const std::string command = "cd '" + tables.string() + "' && pdflatex -interaction=nonstopmode -halt-on-error " +
                                name + ".tex > /dev/null 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << read(tables / (name + ".log"));
    const std::string written = read(tables / (name + ".log"));
    EXPECT_EQ(written.find("Overfull \\hbox"), std::string::npos) << name << ":\n" << written;
  }
  void expect_fits_every_template() {
    expect_fits("document-single-column", "\\documentclass{article}\n\\usepackage[textwidth=5.5in]{geometry}\n");
    expect_fits("document-two-column",
                "\\documentclass[twocolumn]{article}\n\\usepackage[textwidth=6.75in,columnsep=0.25in]{geometry}\n");
  }
  fs::path out_;
};

TEST_F(LatexFits, ASmallGrid) {
  if (!on_path("pdflatex")) GTEST_SKIP() << "pdflatex not installed (scripts/bootstrap installs texlive-latex-recommended)";
  testing::write_synthetic_run(run_, {});
  out_ = write(options());
  expect_fits_every_template();
  // Three algorithms on two tasks fit one column of a two-column paper.
  EXPECT_NE(read(out_ / "tables" / "per_task.tex").find("\\begin{table}"), std::string::npos);
}

TEST_F(LatexFits, AGridAsWideAsMujocoControl) {
  if (!on_path("pdflatex")) GTEST_SKIP() << "pdflatex not installed (scripts/bootstrap installs texlive-latex-recommended)";
  testing::SyntheticRun run;
  run.suite = "mujoco-control";
  run.steps = 1e6;
  run.eval_every = 1e5;
  run.tasks.clear();
  for (const char* task : {"HalfCheetah-v4", "Hopper-v4", "Walker2d-v4", "Ant-v4", "Swimmer-v4", "Reacher-v4",
                           "InvertedPendulum-v4", "InvertedDoublePendulum-v4", "Humanoid-v4"})
    run.tasks.push_back({task, task, -300.0, 800.0});
  run.algorithms.clear();
  const std::vector<double> strong = {-12345.6, 3300, 4200, 2500, 95, -4.5, 1000, 9300, 700};
  for (const char* algorithm : {"reinforce", "a2c", "trpo", "ppo", "ddpg", "random"}) {
    run.algorithms.push_back({algorithm, strong, 3000});
    for (double& value : run.algorithms.back().final_return) value *= 0.9;
  }
  testing::write_synthetic_run(run_, run);
  Options o = options();
  o.baseline = "ppo";
  out_ = write(o);
  expect_fits_every_template();
  // Six algorithms side by side are wider than a page: two stacked halves of three, each with
  // the task names.
  const std::string per_task = read(out_ / "tables" / "per_task.tex");
  EXPECT_NE(per_task.find("\\begin{table*}"), std::string::npos);
  EXPECT_NE(per_task.find("Task & reinforce & a2c & trpo \\\\"), std::string::npos) << per_task;
  EXPECT_NE(per_task.find("Task & ppo & ddpg & random \\\\"), std::string::npos) << per_task;
}

// report.html in a real browser (headless Chromium): at a laptop's half-screen width no number,
// header or task name breaks across lines (checked by a script the test adds to a copy of the
// page, which reads the layout), the provenance header is there, and a screenshot is taken.
TEST_F(Report, HtmlKeepsNumbersOnOneLineInChromium) {
  const std::string chromium = on_path("chromium") ? "chromium" : on_path("chromium-browser") ? "chromium-browser" : "";
  if (chromium.empty()) GTEST_SKIP() << "Chromium not installed (scripts/bootstrap installs it)";
  testing::SyntheticRun run;
  run.tasks.push_back({"InvertedDoublePendulum-v4", "InvertedDoublePendulum-v4", 60.0, 900.0});
  for (auto& algorithm : run.algorithms) algorithm.final_return.push_back(-9123.4);
  run.algorithms.push_back({"trpo", {470.0, -300.0, 9300.0}, 3000});
  run.algorithms.push_back({"reinforce", {200.0, -900.0, 7000.0}, 3000});
  testing::write_synthetic_run(run_, run);
  const fs::path out = write(options());
  const std::string html = read(out / "report.html");
  EXPECT_NE(html.find("<h2>Provenance</h2>"), std::string::npos);
  EXPECT_NE(html.find("hardware threads"), std::string::npos);  // the machine, from the manifest

  const std::string check = R"(<script>
window.addEventListener("load", () => {
  const cells = document.querySelectorAll("td.num, th, td:first-child");
  const wrapped = [];
  for (const cell of cells) {
    const range = document.createRange();
    range.selectNodeContents(cell);
    if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) wrapped.push(cell.textContent);
  }
  const out = document.createElement("pre");
  out.id = "layout-check";
  out.textContent = "checked " + cells.length + " wrapped " + wrapped.length + ": " + wrapped.join(" | ");
  document.body.appendChild(out);
});
</script></body>)";
  std::string checked = html;
  checked.replace(checked.rfind("</body>"), 7, check);
  std::ofstream(out / "layout-check.html") << checked;
  const fs::path dom = out / "layout-check.dom";
  const std::string flags = " --headless --no-sandbox --disable-gpu --hide-scrollbars ";
  const std::string dump = chromium + flags + "--window-size=720,900 --dump-dom 'file://" +
                           (out / "layout-check.html").string() + "' > '" + dom.string() + "' 2>/dev/null";
  ASSERT_EQ(std::system(dump.c_str()), 0);
  const std::string result = read(dom);
  const auto at = result.find("<pre id=\"layout-check\">");
  ASSERT_NE(at, std::string::npos) << "the check script did not run";
  const std::string verdict = result.substr(at, result.find("</pre>", at) - at);
  EXPECT_NE(verdict.find(" wrapped 0:"), std::string::npos) << verdict;
  EXPECT_EQ(verdict.find("checked 0 "), std::string::npos) << verdict;

  const fs::path screenshot = out / "report-screenshot.png";
  const std::string shoot = chromium + flags + "--window-size=1280,2400 --screenshot='" + screenshot.string() +
                            "' 'file://" + (out / "report.html").string() + "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(shoot.c_str()), 0);
  // A page of text, tables and figures: far more than the few kB of a blank 1280 × 2400 PNG.
  EXPECT_GT(fs::file_size(screenshot), 100'000u);
}

TEST_F(Report, DamagedCellsAreNamedAndCountedNotAveragedAway) {
  testing::write_synthetic_run(run_, {});
  testing::mark_failed(cell_dir(run_, "CartPole-v1", "ppo", 0), "action was NaN");
  testing::remove_summary(cell_dir(run_, "CartPole-v1", "ppo", 1));
  testing::truncate_curve(cell_dir(run_, "CartPole-v1", "a2c", 2));
  testing::poison_curve_with_nan(cell_dir(run_, "Pendulum-v1", "a2c", 4));
  const fs::path out = write(options());

  const std::string markdown = read(out / "report.md");
  EXPECT_NE(markdown.find("26 of 30 runs finished"), std::string::npos);
  EXPECT_NE(markdown.find("run/cells/CartPole-v1/a2c/seed-2/curve.csv: is truncated"), std::string::npos);
  EXPECT_NE(markdown.find("run/cells/Pendulum-v1/a2c/seed-4/curve.csv: eval_return_mean has NaN"), std::string::npos);
  EXPECT_NE(markdown.find("run/cells/CartPole-v1/ppo/seed-0: failed: action was NaN"), std::string::npos);
  EXPECT_NE(markdown.find("(3/5)"), std::string::npos);  // ppo on CartPole: 3 of 5 runs
  EXPECT_NE(log_.find("curve.csv"), std::string::npos);

  const json summary = json::parse(read(out / "summary.json"));
  EXPECT_EQ(tidy_value(summary, "cells", "ppo", "CartPole-v1", "n_started"), 5);
  EXPECT_EQ(tidy_value(summary, "cells", "ppo", "CartPole-v1", "n_failed"), 1);
  EXPECT_EQ(tidy_value(summary, "cells", "ppo", "CartPole-v1", "n_missing"), 1);
  EXPECT_EQ(tidy_value(summary, "cells", "a2c", "CartPole-v1", "n_unreadable"), 1);
  EXPECT_EQ(tidy_value(summary, "cell_statistics", "ppo", "CartPole-v1", "n"), 3);
}

TEST_F(Report, WithoutGnuplotScriptsAreWrittenAndTheReportSaysSo) {
  testing::write_synthetic_run(run_, {});
  Options o = options();
  o.gnuplot = "pgbench-test-no-such-gnuplot";
  const fs::path out = write(o);
  EXPECT_TRUE(fs::exists(out / "figures" / "aggregate_intervals.gp"));
  EXPECT_TRUE(fs::exists(out / "figures" / "aggregate_intervals.dat"));
  EXPECT_FALSE(fs::exists(out / "figures" / "aggregate_intervals.png"));
  EXPECT_NE(read(out / "report.md").find("Figures were not rendered"), std::string::npos);
  // Learning curves: env steps as 250k / 1M, each algorithm its own dash pattern as well as colour.
  const std::string curve = read(out / "figures" / "learning_curve_CartPole-v1.gp");
  EXPECT_NE(curve.find("set format x \"%.0s%c\""), std::string::npos) << curve;
  EXPECT_NE(curve.find(" dt 1 "), std::string::npos) << curve;
  EXPECT_NE(curve.find(" dt 2 "), std::string::npos) << curve;
  EXPECT_NE(log_.find("not found"), std::string::npos);
}

TEST_F(Report, OneFigureOfEveryTasksCurvesWithOneLegendAndOneOfEveryRunsScore) {
  testing::write_synthetic_run(run_, {});
  Options o = options();
  o.gnuplot = "pgbench-test-no-such-gnuplot";  // the scripts and data are what is checked here
  const fs::path out = write(o);
  const std::string grid = read(out / "figures" / "learning_curves.gp");
  EXPECT_NE(grid.find("size 7in,"), std::string::npos) << grid;  // a paper's full width
  // CartPole and Pendulum side by side, then the legend across the top.
  EXPECT_NE(grid.find("set origin 0.0000,0.0000\n  set size 0.5000,"), std::string::npos) << grid;
  EXPECT_NE(grid.find("set origin 0.5000,0.0000\n  set size 0.5000,"), std::string::npos) << grid;
  EXPECT_NE(grid.find("set size 1,"), std::string::npos) << grid;
  // The legend once, for the whole figure: each algorithm is titled once, in the legend's plot.
  const auto legend = grid.find("  plot NaN with lines");
  ASSERT_NE(legend, std::string::npos) << grid;
  for (const char* algorithm : {"ppo", "a2c", "random"}) {
    const std::string title = std::string("title \"") + algorithm + "\"";
    EXPECT_GT(grid.find(title), legend) << grid;
    EXPECT_EQ(grid.find(title, grid.find(title) + 1), std::string::npos) << grid;
  }

  // Every run's score is a point of the strip plot, in its task's panel.
  const std::string strips = read(out / "figures" / "run_scores.dat");
  const double score = testing::final_return_of(run_, "Pendulum-v1", "a2c", 3);
  const auto pendulum = strips.find("# Pendulum-v1: runs");
  ASSERT_NE(pendulum, std::string::npos) << strips;
  EXPECT_NE(strips.find(" " + fmt::format("{:.10g}", score) + " ", pendulum), std::string::npos) << strips;
  EXPECT_NE(read(out / "report.md").find("Scores of every run"), std::string::npos);
}

// r_min is measured by the run's own random policy: the mean of every evaluation of every run
// (column eval_return_mean of each curve.csv), with its CI; without one, the table's r_min.
TEST_F(Report, NormalisesByTheRunsOwnRandomPolicyWhenItHasOne) {
  testing::write_synthetic_run(run_, {});
  Options o = options();
  o.formats = {"md", "json"};
  json summary = json::parse(read(write(o) / "summary.json"));
  double sum = 0;
  std::size_t count = 0;
  for (int seed = 0; seed < 5; ++seed) {
    std::istringstream curve(read(cell_dir(run_, "Pendulum-v1", "random", seed) / "curve.csv"));
    std::string line;
    std::getline(curve, line);  // header
    while (std::getline(curve, line)) {
      const auto first = line.find(',');
      sum += std::stod(line.substr(first + 1, line.find(',', first + 1) - first - 1));
      ++count;
    }
  }
  EXPECT_NEAR(tidy_value(summary, "normalization", "random", "Pendulum-v1", "r_min"), sum / static_cast<double>(count),
              1e-9);
  EXPECT_EQ(tidy_value(summary, "normalization", "", "Pendulum-v1", "table_r_min"), -1225.0);
  for (const json& row : summary["rows"])
    if (row["table"] == "normalization" && row["statistic"] == "r_min") {
      EXPECT_EQ(row["ci_method"], "student-t");
      EXPECT_LT(row["ci_lower"].get<double>(), row["value"].get<double>());
    }
  EXPECT_NE(read(root_ / "run" / "report" / "report.md").find("r_min is the mean return of these runs' own random policy"),
            std::string::npos);

  // Without the random policy: the table's r_min, and the caption says so.
  testing::SyntheticRun without;
  without.algorithms.pop_back();
  fs::remove_all(run_);
  testing::write_synthetic_run(run_, without);
  summary = json::parse(read(write(o) / "summary.json"));
  EXPECT_EQ(tidy_value(summary, "normalization", "", "Pendulum-v1", "r_min"), -1225.0);
  EXPECT_NE(read(run_ / "report" / "report.md").find("r_min is the table's"), std::string::npos);
}

TEST_F(Report, FormatsBaselineAndNormalisationOptions) {
  testing::write_synthetic_run(run_, {});
  Options o = options();
  o.out_dir = root_ / "elsewhere";
  o.formats = {"csv", "json"};
  o.baseline = "random";
  o.normalize = "none";
  o.score = "last-k";
  o.last_k = 3;
  const fs::path out = write(o);
  EXPECT_EQ(out, root_ / "elsewhere");
  EXPECT_FALSE(fs::exists(out / "report.md"));
  EXPECT_FALSE(fs::exists(out / "figures"));
  EXPECT_TRUE(fs::exists(out / "tables" / "pairwise_vs_random.csv"));
  EXPECT_TRUE(fs::exists(out / "tables" / "pairwise.csv"));  // --baseline adds its table to every pair's
  EXPECT_FALSE(fs::exists(out / "tables" / "aggregate.csv"));  // nothing to aggregate without normalisation
  const json summary = json::parse(read(out / "summary.json"));
  EXPECT_EQ(summary["pgbench_report"]["score"], "last-3");
  EXPECT_TRUE(summary["pgbench_report"]["normalization"].is_null());
  std::size_t pairwise_rows = 0;
  for (const json& row : summary["rows"]) {
    if (row["table"] != "pairwise_vs_random") continue;
    EXPECT_EQ(row["versus"], "random");
    ++pairwise_rows;
  }
  EXPECT_GT(pairwise_rows, 0u);
}

TEST_F(Report, AReferenceTableFromAFile) {
  testing::write_synthetic_run(run_, {});
  const fs::path table = root_ / "table.json";
  std::ofstream(table) << R"({"name": "mine", "version": 3, "tasks": {"CartPole-v1": {"r_min": 0, "r_min_source": "a",
                            "r_max": 1000, "r_max_source": "b"}}})";
  Options o = options();
  o.normalize = table.string();
  o.formats = {"json", "md"};
  const fs::path out = write(o);
  const json summary = json::parse(read(out / "summary.json"));
  EXPECT_EQ(summary["pgbench_report"]["normalization"], "mine v3");
  EXPECT_NE(read(out / "report.md").find("Left out of the aggregates (no reference score in mine v3): Pendulum-v1"),
            std::string::npos);
}

TEST_F(Report, BadOptionsNameTheInputAndWhatIsAccepted) {
  testing::write_synthetic_run(run_, {});
  auto message_of = [&](const Options& o) {
    try {
      write(o);
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  Options o = options();
  o.score = "best";
  EXPECT_NE(message_of(o).find("accepted scores are final, last-k, auc, max"), std::string::npos);
  o = options();
  o.formats = {"docx"};
  EXPECT_NE(message_of(o).find("'docx'"), std::string::npos);
  o = options();
  o.baseline = "sac";
  EXPECT_NE(message_of(o).find("algorithms: ppo, a2c, random"), std::string::npos);
  o = options();
  o.normalize = "atari";
  EXPECT_NE(message_of(o).find("classic-control.v1"), std::string::npos);
  o = options();
  o.run_dirs = {root_ / "nowhere"};
  EXPECT_NE(message_of(o).find("nowhere"), std::string::npos);
  o = options();
  o.ci = 95;
  EXPECT_NE(message_of(o).find("between 0 and 1"), std::string::npos);
}

// A report written again into the same folder (a run that has since finished other cells, as a
// partial merge of shards) is that report alone: nothing of the old one is left beside it, and
// files that a report does not write are kept.
TEST_F(Report, AReportWrittenAgainLeavesNothingOfTheOldOne) {
  testing::write_synthetic_run(root_ / "both", {});
  testing::SyntheticRun pendulum_only;
  pendulum_only.tasks.erase(pendulum_only.tasks.begin());
  for (auto& algorithm : pendulum_only.algorithms) algorithm.final_return.erase(algorithm.final_return.begin());
  testing::write_synthetic_run(root_ / "one", pendulum_only);
  const fs::path out = root_ / "out";
  Options o = options();
  o.out_dir = out;
  o.formats = {"md", "csv", "svg"};
  o.run_dirs = {root_ / "both"};
  write(o);
  const fs::path old_figure = out / "figures" / "learning_curve_CartPole-v1.gp";
  ASSERT_TRUE(fs::exists(old_figure)) << log_;
  std::ofstream(out / "notes.txt") << "mine\n";
  std::ofstream(out / "figures" / "sketch.txt") << "mine\n";

  o.run_dirs = {root_ / "one"};
  write(o);
  EXPECT_FALSE(fs::exists(old_figure));
  EXPECT_FALSE(fs::exists(out / "figures" / "learning_curve_CartPole-v1.dat"));
  EXPECT_TRUE(fs::exists(out / "figures" / "learning_curve_Pendulum-v1.gp"));
  EXPECT_EQ(read(out / "tables" / "per_task.md").find("CartPole"), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "notes.txt"));
  EXPECT_TRUE(fs::exists(out / "figures" / "sketch.txt"));
}

TEST_F(Report, ANewRunNextToAReferenceUnderTheSameProtocolIsOneComparison) {
  // The reference's grid, and a new algorithm's grid run with the same suite and master seed.
  testing::SyntheticRun reference, next;
  next.algorithms = {{"vpg", {460.0, -300.0}, 3000}};
  testing::write_synthetic_run(root_ / "ref", reference);
  testing::write_synthetic_run(root_ / "new", next);
  Options o = options();
  o.run_dirs = {root_ / "ref", root_ / "new"};
  o.formats = {"md"};
  const std::string report = read(write(o) / "report.md");
  EXPECT_NE(report.find("| Task | ppo | a2c | vpg | random |"), std::string::npos) << report;  // random last
  EXPECT_EQ(report.find("Protocol differences"), std::string::npos);
}

TEST_F(Report, RunsUnderDifferentProtocolsAreRefusedUnlessAllowedThenMarked) {
  testing::SyntheticRun reference, next;
  next.algorithms = {{"vpg", {460.0, -300.0}, 3000}};
  next.master_seed = 7;
  next.steps = 50000;
  next.eval_every = 2500;
  testing::write_synthetic_run(root_ / "ref", reference);
  testing::write_synthetic_run(root_ / "new", next);
  Options o = options();
  o.run_dirs = {root_ / "ref", root_ / "new"};
  o.formats = {"md", "json"};
  try {
    write(o);
    FAIL() << "expected the protocol differences to be refused";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("master seed: 1 in ref, 7 in new"), std::string::npos) << message;
    EXPECT_NE(message.find("CartPole-v1: env-step budget 100000 in ref, 50000 in new"), std::string::npos) << message;
    EXPECT_NE(message.find("--allow-mismatch"), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(root_ / "ref" / "report")) << "nothing is written when refused";

  o.allow_mismatch = true;
  const fs::path out = write(o);
  const std::string report = read(out / "report.md");
  EXPECT_NE(report.find("## Protocol differences"), std::string::npos) << report;
  EXPECT_NE(report.find("master seed: 1 in ref, 7 in new (every task)"), std::string::npos) << report;
  EXPECT_NE(report.find("| CartPole-v1 † |"), std::string::npos) << report;
  const json summary = json::parse(read(out / "summary.json"));
  EXPECT_FALSE(summary["pgbench_report"]["protocol_differences"].empty());
}

TEST_F(Report, EnvironmentParametersThatDoNotAffectResultsAreNotProtocol) {
  testing::SyntheticRun reference, next;
  next.algorithms = {{"vpg", {460.0, -300.0}, 3000}};
  testing::write_synthetic_run(root_ / "ref", reference);
  testing::write_synthetic_run(root_ / "new", next);
  // CartPole differs only in a parameter declared without PGB_PARAM_AFFECTS_RESULTS; Pendulum's
  // gravity differs.
  const auto set_configs = [](const fs::path& run, int threads, double gravity) {
    json manifest = json::parse(read(run / "manifest.json"));
    json& tasks = manifest["suite"]["tasks"];
    tasks["CartPole-v1"]["config"] = {{"threads", threads}};
    tasks["CartPole-v1"]["config_not_affecting_results"] = {"threads"};
    tasks["Pendulum-v1"]["config"] = {{"g", gravity}};
    std::ofstream(run / "manifest.json") << manifest.dump();
  };
  set_configs(root_ / "ref", 1, 10.0);
  set_configs(root_ / "new", 8, 9.81);
  Options o = options();
  o.run_dirs = {root_ / "ref", root_ / "new"};
  o.formats = {"md"};
  try {
    write(o);
    FAIL() << "expected Pendulum's gravity to be refused";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("Pendulum-v1: environment parameters {\"g\":10.0} in ref, {\"g\":9.81} in new"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("CartPole-v1"), std::string::npos) << message;
  }
}

TEST_F(Report, AggregatesCompareAlgorithmsOverTheSameTasks) {
  // DDPG-like: an algorithm with runs on one of the two tasks only.
  testing::SyntheticRun run;
  run.algorithms.push_back({"ddpg", {0.0, -150.0}, 500});
  testing::write_synthetic_run(run_, run);
  json manifest = json::parse(read(run_ / "manifest.json"));
  json kept = json::array();
  for (const json& cell : manifest["cells"])
    if (!(cell["algorithm"] == "ddpg" && cell["task"] == "CartPole-v1")) kept.push_back(cell);
  manifest["cells"] = kept;
  std::ofstream(run_ / "manifest.json") << manifest.dump();

  Options o = options();
  o.formats = {"md", "json"};
  const fs::path out = write(o);
  const std::string report = read(out / "report.md");
  EXPECT_NE(report.find("Compared over the same 2 normalised tasks: CartPole-v1, Pendulum-v1."), std::string::npos)
      << report;
  EXPECT_NE(report.find("| ddpg ‡ | 1 |"), std::string::npos) << report;
  EXPECT_NE(report.find("| ppo | 2 |"), std::string::npos) << report;
  const json summary = json::parse(read(out / "summary.json"));
  for (const json& row : summary["rows"])
    if (row["table"] == "probability_of_improvement") {
      EXPECT_NE(row["algorithm"], "ddpg");
      EXPECT_NE(row["versus"], "ddpg");
    }
}

TEST_F(Report, PerTaskBoldsTheBestWithItsTiesAndMarksWhatIsSignificantlyBelow) {
  testing::SyntheticRun run;
  run.algorithms = {{"ppo", {480.0, -200.0}, 4000},
                    {"trpo", {478.0, -900.0}, 4000},  // CartPole: within noise of ppo
                    {"a2c", {300.0, -210.0}, 6000},   // Pendulum: within noise of ppo
                    {"random", {600.0, -100.0}, 20000}};  // never a contender, even when higher
  testing::write_synthetic_run(run_, run);
  Options o = options();
  o.formats = {"md", "json"};
  const fs::path out = write(o);
  const std::string report = read(out / "report.md");
  const auto row_of = [&](const std::string& task) {
    const auto at = report.find("| " + task + " |", report.find("**Score per task.**"));
    return report.substr(at, report.find('\n', at) - at);
  };
  const std::string cartpole = row_of("CartPole-v1"), pendulum = row_of("Pendulum-v1");
  // | Task | ppo | trpo | a2c | random |
  const auto cells = [](const std::string& row) {
    std::vector<std::string> out;
    for (std::size_t at = row.find('|', 1); at + 1 < row.size(); at = row.find('|', at + 1))
      out.push_back(row.substr(at + 2, row.find('|', at + 1) - at - 3));
    return out;
  };
  const auto c = cells(cartpole), p = cells(pendulum);
  ASSERT_EQ(c.size(), 4u) << cartpole;
  EXPECT_TRUE(c[0].starts_with("**") && c[1].starts_with("**")) << cartpole;  // the best and its tie
  EXPECT_TRUE(!c[2].starts_with("**") && c[2].ends_with("\\*\\*")) << cartpole;
  EXPECT_TRUE(!c[3].starts_with("**") && c[3].find('*') == std::string::npos) << cartpole;
  EXPECT_TRUE(p[0].starts_with("**") && p[2].starts_with("**")) << pendulum;
  EXPECT_TRUE(!p[1].starts_with("**") && p[1].ends_with("\\*\\*")) << pendulum;
  EXPECT_LT(tidy_value(json::parse(read(out / "summary.json")), "per_task", "a2c", "CartPole-v1",
                       "welch_p_holm_versus_best"),
            0.01);
}

TEST_F(Report, LastKBeyondTheEvaluationsIsAnErrorAndCaptionsCountTheHolmFamily) {
  testing::write_synthetic_run(run_, testing::SyntheticRun{});  // 21 evaluations per run
  Options o = options();
  o.formats = {"md"};
  o.score = "last-k";
  o.last_k = 50;
  try {
    write(o);
    FAIL() << "expected --last-k 50 to be refused";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("--last-k 50: the runs of ppo on CartPole-v1 have only 21 evaluations"),
              std::string::npos)
        << error.what();
  }
  o.last_k = 21;
  const std::string report = read(write(o) / "report.md");
  // Captions say N and the budget.
  EXPECT_NE(report.find("N = 5 runs per cell. Budget: 100k env steps per run."), std::string::npos) << report;
  // 3 algorithms, 3 pairs per task, 2 tasks: all 6 have a p-value.
  EXPECT_NE(report.find("Holm's correction over the 6 comparisons of this table that have a p-value"),
            std::string::npos)
      << report;
}

TEST_F(Report, LatexSetsMinusSignsAndNoNegativeZero) {
  testing::write_synthetic_run(run_, testing::SyntheticRun{});  // Pendulum returns are negative
  Options o = options();
  o.formats = {"tex"};
  const fs::path out = write(o);
  const std::string per_task = read(out / "tables" / "per_task.tex");
  EXPECT_NE(per_task.find("$-$"), std::string::npos) << per_task;
  for (const auto& entry : fs::directory_iterator(out / "tables")) {
    const std::string tex = read(entry.path());
    for (std::size_t i = tex.find('-'); i != std::string::npos; i = tex.find('-', i + 1))
      if (i + 1 < tex.size() && std::isdigit(static_cast<unsigned char>(tex[i + 1])) && (i == 0 || tex[i - 1] != '$'))
        ADD_FAILURE() << entry.path().filename() << ": a hyphen as a minus sign at " << tex.substr(i > 20 ? i - 20 : 0, 40);
    EXPECT_EQ(tex.find("-0.00 "), std::string::npos) << entry.path().filename();
  }
}

TEST_F(Report, WallClockAxesTurnLogarithmicWhenRunDurationsDifferTenfold) {
  testing::SyntheticRun run;  // ppo 4000, a2c 6000, random 20000 env steps/s: within 10x
  testing::write_synthetic_run(run_, run);
  Options o = options();
  o.gnuplot = "pgbench-test-no-such-gnuplot";  // the scripts are written all the same
  fs::path out = write(o);
  EXPECT_EQ(read(out / "figures" / "wallclock_curve_CartPole-v1.gp").find("set logscale x"), std::string::npos);
  run.algorithms.push_back({"slow", {100.0, -900.0}, 200});  // 100x slower than random
  fs::remove_all(run_);
  testing::write_synthetic_run(run_, run);
  out = write(o);
  EXPECT_NE(read(out / "figures" / "wallclock_curve_CartPole-v1.gp").find("set logscale x"), std::string::npos);
}

TEST_F(Report, IdenticalWhateverTheThreadCount) {
  testing::write_synthetic_run(run_, {});
  auto summary_with_threads = [&](int threads) {
    Options o = options();
    o.formats = {"json"};
    o.out_dir = root_ / ("threads-" + std::to_string(threads));
    tbb::task_arena arena(threads);
    return arena.execute([&] { return read(write(o) / "summary.json"); });
  };
  EXPECT_EQ(summary_with_threads(1), summary_with_threads(2));
}

}  // namespace
}  // namespace pgbench::report
