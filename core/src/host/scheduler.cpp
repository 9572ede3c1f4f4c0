#include "host/scheduler.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "host/worker.hpp"

namespace pgbench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kStderrTailBytes = 4096;          // kept of a worker's output for its failure record
constexpr auto kPollInterval = std::chrono::milliseconds(100);
constexpr auto kMemoryCheckInterval = std::chrono::milliseconds(100);
constexpr double kMemoryGraceSeconds = 0.5;             // a runaway allocation gets little time to go on

double seconds_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

std::string signal_name(int signal) {
  if (const char* abbrev = sigabbrev_np(signal)) return std::string("SIG") + abbrev;
  return fmt::format("signal {}", signal);
}

// Resident memory of a process, from /proc/PID/statm; 0 if it is gone.
std::uint64_t resident_bytes(pid_t pid) {
  std::ifstream statm(fmt::format("/proc/{}/statm", pid));
  std::uint64_t size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  static const std::uint64_t page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  return resident_pages * page;
}

struct Worker {
  const CellSpec* cell = nullptr;
  pid_t pid = -1;
  int status_fd = -1, output_fd = -1;  // read ends; -1 once at end of file
  Clock::time_point started, last_memory_check;
  bool terminating = false;            // SIGTERM sent
  Clock::time_point kill_at;           // when SIGKILL follows the SIGTERM
  bool killed = false;                 // SIGKILL sent
  std::string limit_reason;            // set when a limit ended it
  bool exited = false;
  int wait_status = 0;
  // From the status pipe.
  std::string status_partial;
  bool done = false, exit_called = false;
  std::uint64_t steps_reported = 0, step_at_failure = 0;
  bool step_known = false;
  std::string call_file, call_component, call_function;
  std::string output_tail;
};

// fork+exec of one worker; its status pipe becomes fd 3, its stdout and stderr one output pipe.
Worker spawn(const CellSpec& cell, const WorkerCommand& command) {
  int status_pipe[2], output_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0 || ::pipe2(output_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error(fmt::format("cannot create a pipe for a worker: {}", std::strerror(errno)));

  std::vector<std::string> args{command.program.string()};
  args.insert(args.end(), command.args.begin(), command.args.end());
  const auto cell_args = command.cell_args(cell);
  args.insert(args.end(), cell_args.begin(), cell_args.end());
  args.insert(args.end(), {"--status-fd", "3"});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(fmt::format("cannot start a worker: {}", std::strerror(errno)));
  if (pid == 0) {
    // The child of a multi-threaded process: only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the scheduler died before prctl took effect
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(output_pipe[1], STDOUT_FILENO);
    ::dup2(output_pipe[1], STDERR_FILENO);
    if (status_pipe[1] == 3) ::fcntl(3, F_SETFD, 0);
    else ::dup2(status_pipe[1], 3);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    // Still async-signal-safe: fixed strings and the program's path, written piece by piece.
    const bool replaced = errno == ETXTBSY || errno == ENOENT;  // rebuilt or removed under the grid
    for (const char* part : {"pgbench: cannot execute the worker program ", static_cast<const char*>(argv[0]),
                             replaced ? " (it is being rebuilt or was removed while the grid ran; resume the run "
                                        "once it is back)\n"
                                      : "\n"})
      [[maybe_unused]] const auto n = ::write(STDERR_FILENO, part, std::strlen(part));
    ::_exit(127);
  }
  ::close(status_pipe[1]);
  ::close(output_pipe[1]);
  Worker w;
  w.cell = &cell;
  w.pid = pid;
  w.status_fd = status_pipe[0];
  w.output_fd = output_pipe[0];
  w.started = w.last_memory_check = Clock::now();
  ::fcntl(w.status_fd, F_SETFL, O_NONBLOCK);
  ::fcntl(w.output_fd, F_SETFL, O_NONBLOCK);
  return w;
}

void handle_status_line(Worker& w, const std::string& line, RunControl& control) {
  if (line == "done") {
    w.done = true;
  } else if (line == "exit") {
    w.exit_called = true;
  } else if (line.rfind("steps ", 0) == 0) {
    const std::uint64_t steps = std::strtoull(line.c_str() + 6, nullptr, 10);
    if (steps > w.steps_reported) control.env_steps_done.fetch_add(steps - w.steps_reported);
    w.steps_reported = steps;
  } else if (line.rfind("resumed ", 0) == 0) {
    control.env_steps_resumed.fetch_add(std::strtoull(line.c_str() + 8, nullptr, 10));
  } else if (line.rfind("at ", 0) == 0) {
    w.step_at_failure = std::strtoull(line.c_str() + 3, nullptr, 10);
    w.step_known = true;
  } else if (line.rfind("in ", 0) == 0) {
    std::stringstream fields(line.substr(3));
    std::getline(fields, w.call_file, '\t');
    std::getline(fields, w.call_component, '\t');
    std::getline(fields, w.call_function, '\t');
  }
}

// Reads what is available; closes the fd at end of file.
void drain(Worker& w, int& fd, bool is_status, RunControl& control) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      if (is_status) {
        w.status_partial.append(buffer, static_cast<std::size_t>(n));
        for (std::size_t eol; (eol = w.status_partial.find('\n')) != std::string::npos;) {
          handle_status_line(w, w.status_partial.substr(0, eol), control);
          w.status_partial.erase(0, eol + 1);
        }
      } else {
        w.output_tail.append(buffer, static_cast<std::size_t>(n));
        if (w.output_tail.size() > 2 * kStderrTailBytes) w.output_tail.erase(0, w.output_tail.size() - kStderrTailBytes);
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    ::close(fd);  // end of file, or an error we cannot recover from
    fd = -1;
    return;
  }
}

void kill_now(Worker& w) {
  if (w.exited || w.killed) return;
  ::kill(w.pid, SIGKILL);
  w.killed = true;
}

// SIGTERM: the worker reports where it is and stops at its next step; SIGKILL after `grace`.
void terminate(Worker& w, double grace) {
  if (w.exited || w.terminating) return;
  ::kill(w.pid, SIGTERM);
  w.terminating = true;
  w.kill_at = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(grace));
}

// What became of a worker that has exited and whose pipes are closed.
WorkerOutcome outcome_of(const Worker& w, bool stop_requested) {
  WorkerOutcome out;
  if (w.done && w.limit_reason.empty()) return out;  // Finished
  const bool stopped_by_us = w.terminating || w.killed ||
                             (WIFEXITED(w.wait_status) && WEXITSTATUS(w.wait_status) == kWorkerInterrupted);
  if (stop_requested && w.limit_reason.empty() && stopped_by_us) {
    out.kind = WorkerOutcome::Kind::Interrupted;
    return out;
  }
  out.kind = WorkerOutcome::Kind::Failed;
  CellResult& r = out.failure;
  r.status = CellResult::Status::Failed;
  std::string reason;
  if (!w.limit_reason.empty()) {
    reason = w.limit_reason;
  } else if (WIFSIGNALED(w.wait_status)) {
    const int sig = WTERMSIG(w.wait_status);
    reason = "killed by " + signal_name(sig);
    if (sig == SIGKILL)
      reason += ", not sent by pgbench (the kernel's out-of-memory killer does this when memory runs out, or a user did)";
  } else if (WIFEXITED(w.wait_status)) {
    const int code = WEXITSTATUS(w.wait_status);
    if (w.exit_called) reason = fmt::format("the plugin called exit({})", code);
    else if (code == kWorkerInterrupted) reason = "the worker was stopped by SIGTERM, not sent by pgbench";
    else reason = fmt::format("the worker ended with exit status {} before the cell finished", code);
  }
  if (!w.call_function.empty())
    reason += fmt::format(" in {} of '{}'", w.call_function, w.call_component);
  r.error = reason;
  r.failed_plugin = std::filesystem::path(w.call_file).filename().string();
  r.env_steps = w.step_known ? w.step_at_failure : w.steps_reported;
  r.stderr_tail = w.output_tail.size() > kStderrTailBytes ? w.output_tail.substr(w.output_tail.size() - kStderrTailBytes)
                                                          : w.output_tail;
  return out;
}

}  // namespace

std::string duration_text_exact(double seconds) {
  const auto s = static_cast<long long>(seconds);
  if (s >= 3600 && s % 3600 == 0) return fmt::format("{} h", s / 3600);
  if (s >= 60 && s % 60 == 0) return fmt::format("{} min", s / 60);
  return fmt::format("{} s", seconds);
}

std::string bytes_text(std::uint64_t bytes) {
  constexpr std::uint64_t KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024;
  if (bytes >= GiB && bytes % GiB == 0) return fmt::format("{} GiB", bytes / GiB);
  if (bytes >= GiB) return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / GiB);
  if (bytes >= MiB) return fmt::format("{} MiB", bytes / MiB);
  return fmt::format("{} bytes", bytes);
}

void run_in_workers(const CellSource& next_cell, unsigned parallel, const WorkerCommand& command,
                    RunControl& control, const std::function<void(const CellSpec&, const WorkerOutcome&)>& on_finish) {
  std::vector<Worker> running;
  bool stop_handled = false, exhausted = false;
  for (;;) {
    const bool stopping = control.stop.load();
    while (!stopping && !exhausted && running.size() < parallel) {
      const CellSpec* cell = next_cell();
      if (cell) running.push_back(spawn(*cell, command));
      else exhausted = true;
    }
    if (running.empty()) break;

    std::vector<pollfd> fds;
    bool exiting = false;  // a worker has closed its pipes: its exit is a matter of moments
    for (const auto& w : running) {
      for (int fd : {w.status_fd, w.output_fd})
        if (fd >= 0) fds.push_back({fd, POLLIN, 0});
      exiting = exiting || (w.status_fd < 0 && w.output_fd < 0 && !w.exited);
    }
    ::poll(fds.data(), fds.size(), exiting ? 1 : static_cast<int>(kPollInterval.count()));

    const auto now = Clock::now();
    if (stopping && !stop_handled) {
      for (auto& w : running) terminate(w, kStopGraceSeconds);
      stop_handled = true;
    }
    for (auto& w : running) {
      // Reap first: once a worker has exited, everything it wrote is in its pipes, so one drain
      // reads it all, and the pipes can be closed even if a process it started still holds them.
      int status = 0;
      if (::waitpid(w.pid, &status, WNOHANG) == w.pid) {
        w.exited = true;
        w.wait_status = status;
      }
      if (w.status_fd >= 0) drain(w, w.status_fd, true, control);
      if (w.output_fd >= 0) drain(w, w.output_fd, false, control);
      if (w.exited) {
        for (int* fd : {&w.status_fd, &w.output_fd})
          if (*fd >= 0) {
            ::close(*fd);
            *fd = -1;
          }
        continue;
      }
      // Limits, and the escalation from SIGTERM to SIGKILL.
      const TaskSpec& task = *w.cell->task;
      const double age = seconds_between(w.started, now);
      if (w.limit_reason.empty() && task.time_limit_s > 0 && age > task.time_limit_s) {
        w.limit_reason = fmt::format("exceeded the {} cell time limit", duration_text_exact(task.time_limit_s));
        terminate(w, kStopGraceSeconds);
      }
      if (w.limit_reason.empty() && task.memory_limit_bytes > 0 && now - w.last_memory_check >= kMemoryCheckInterval) {
        w.last_memory_check = now;
        const std::uint64_t rss = resident_bytes(w.pid);
        if (rss > task.memory_limit_bytes) {
          w.limit_reason = fmt::format("exceeded the {} cell memory limit (resident memory reached {})",
                                       bytes_text(task.memory_limit_bytes), bytes_text(rss));
          terminate(w, kMemoryGraceSeconds);
        }
      }
      if (w.terminating && now >= w.kill_at) kill_now(w);
    }
    for (auto it = running.begin(); it != running.end();) {
      if (!it->exited) {
        ++it;
        continue;
      }
      if (!it->status_partial.empty()) handle_status_line(*it, it->status_partial, control);
      const WorkerOutcome outcome = outcome_of(*it, control.stop.load());
      const CellSpec& cell = *it->cell;
      it = running.erase(it);
      on_finish(cell, outcome);
    }
  }
  WorkerOutcome interrupted;
  interrupted.kind = WorkerOutcome::Kind::Interrupted;
  if (!exhausted)
    while (const CellSpec* cell = next_cell()) on_finish(*cell, interrupted);
}

}  // namespace pgbench
