#include "host/grid.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

namespace pgbench {

namespace {

std::string duration_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace

GridOutcome run_grid(const ResolvedSuite& suite, const RunDirectory& run, const GridOptions& options,
                     RunControl& control, std::ostream& log) {
  GridOutcome outcome;
  outcome.total = suite.cells.size();
  std::vector<const CellSpec*> pending;
  std::uint64_t grid_steps = 0, finished_steps = 0;  // env-step budgets of all cells, of those already finished
  for (const auto& cell : suite.cells) {
    grid_steps += cell.task->steps;
    if (run.finished(cell)) {
      ++outcome.already_finished;
      finished_steps += cell.task->steps;
    } else {
      pending.push_back(&cell);
    }
  }
  if (outcome.already_finished)
    log << fmt::format("resuming: {} of {} cells already finished\n", outcome.already_finished, outcome.total);

  const unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  std::mutex mutex;  // guards outcome counters and the log
  std::size_t done = outcome.already_finished;
  const auto started = std::chrono::steady_clock::now();
  const auto seconds_since_start = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  // The grid's env steps done count those of the cells finished before, and those a resumed cell
  // took before its checkpoint; the rate counts only the steps taken by this run.
  const auto status_line = [&] {
    const double t = seconds_since_start();
    const std::uint64_t taken = control.env_steps_done.load();
    const double rate = t > 0 ? static_cast<double>(taken) / t : 0;
    if (!options.log_name.empty())  // one of several processes: its own rate, not the grid's counts
      return fmt::format("[{}] {:.0f} env steps/s, elapsed {}", options.log_name, rate, duration_text(t));
    const std::uint64_t steps = std::min(grid_steps, finished_steps + control.env_steps_resumed.load() + taken);
    const double eta = rate > 0 ? static_cast<double>(grid_steps - steps) / rate : NAN;
    return fmt::format("[{}/{} cells{}] {} of {} env steps, {:.0f} env steps/s, elapsed {}, ETA {}", done, outcome.total,
                       outcome.failed ? fmt::format(", {} failed", outcome.failed) : "", steps, grid_steps, rate,
                       duration_text(t), duration_text(eta));
  };

  // On a terminal one status line, redrawn twice a second; in a log file (a background or batch
  // run) the same line every progress_every_s, so that a long cell shows how far it has come.
  std::condition_variable wake;
  bool finished = false;
  std::thread display;
  if (options.live_progress) {
    display = std::thread([&] {
      std::unique_lock lock(mutex);
      while (!finished) {
        log << "\r\033[K" << status_line() << std::flush;
        wake.wait_for(lock, std::chrono::milliseconds(500));
      }
      log << "\r\033[K" << std::flush;
    });
  } else if (options.progress_every_s > 0) {
    display = std::thread([&] {
      const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(std::min(options.progress_every_s, 365 * 86400.0)));
      std::unique_lock lock(mutex);
      while (!wake.wait_for(lock, interval, [&] { return finished; })) log << status_line() << std::endl;
    });
  }

  // One cell is over: count it, log it, record it. Called under `mutex`.
  const auto finish = [&](const CellSpec& cell, const CellSummary& summary) {
    ++done;
    outcome.profiles.push_back({cell.task->name, cell.algo->name, summary.time, summary.env_steps, summary.updates});
    ++(summary.ok ? outcome.ok : outcome.failed);
    if (!summary.ok) outcome.failures.push_back(cell.dir() + ": " + summary.error);
    run.record_cell_run(cell);
    const std::string what = summary.ok ? fmt::format("final eval return {:.2f}", summary.final_eval_return)
                                        : "FAILED: " + summary.error;
    if (options.live_progress) log << "\r\033[K";
    if (options.log_name.empty())
      log << fmt::format("[{}/{}] {}: {} ({:.1f} s)\n", done, outcome.total, cell.dir(), what, summary.time.wall);
    else
      log << fmt::format("[{}] {}: {} ({:.1f} s)\n", options.log_name, cell.dir(), what, summary.time.wall);
    if (!options.live_progress && !summary.ok) log << std::flush;
  };

  // The next pending cell, or nullptr: positions from options.next_pending, or 0, 1, 2, ...
  std::mutex source_mutex;
  std::size_t next_position = 0;
  const CellSource next_cell = [&]() -> const CellSpec* {
    std::lock_guard lock(source_mutex);
    const std::size_t i = options.next_pending ? options.next_pending() : next_position++;
    return i < pending.size() ? pending[i] : nullptr;
  };

  if (options.isolation == Isolation::Process) {
    run_in_workers(next_cell, threads, options.worker, control, [&](const CellSpec& cell, const WorkerOutcome& worker) {
      if (worker.kind == WorkerOutcome::Kind::Interrupted) {
        std::lock_guard lock(mutex);
        ++outcome.interrupted;
        return;
      }
      if (worker.kind == WorkerOutcome::Kind::Failed) run.write_cell(cell, worker.failure);
      const CellSummary summary = run.read_summary(cell);
      std::lock_guard lock(mutex);
      finish(cell, summary);
    });
  } else {
    // `threads` TBB tasks, each taking cells until none is left.
    tbb::task_arena arena(static_cast<int>(threads));
    arena.execute([&] {
      tbb::task_group group;
      for (unsigned t = 0; t < threads; ++t)
        group.run([&] {
          while (const CellSpec* next = next_cell()) {
            const CellSpec& cell = *next;
            if (control.stop.load()) {
              std::lock_guard lock(mutex);
              ++outcome.interrupted;
              continue;
            }
            const CheckpointPolicy checkpoints = run.checkpoints(cell);
            const CellResult result = run_cell(cell, control, &checkpoints);
            if (result.status != CellResult::Status::Interrupted) run.write_cell(cell, result);
            std::lock_guard lock(mutex);
            if (result.status == CellResult::Status::Interrupted) {
              ++outcome.interrupted;
              continue;
            }
            const bool ok = result.status == CellResult::Status::Ok;
            finish(cell, {ok, result.error, ok ? result.curve.back().eval_return_mean : NAN, result.time,
                          result.env_steps, result.updates});
          }
        });
      group.wait();
    });
  }

  {
    std::lock_guard lock(mutex);
    finished = true;
  }
  wake.notify_all();
  if (display.joinable()) display.join();
  return outcome;
}

}  // namespace pgbench
