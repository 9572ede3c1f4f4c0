#include "host/worker.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include "host/instances.hpp"
#include "host/run_loop.hpp"

namespace pgbench {

namespace {

// Read by the signal and exit handlers, which may use nothing else.
int g_status_fd = -1;
RunControl* g_control = nullptr;
volatile sig_atomic_t g_cell_done = 0;

// write(2) of a whole buffer; async-signal-safe.
void write_all(int fd, const char* data, std::size_t size) noexcept {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void write_text(int fd, const char* text) noexcept { write_all(fd, text, std::strlen(text)); }

// "at STEP\n", then "in FILE\tNAME\tCALL\n" for the plugin call in progress (nothing outside
// plugin code).
void report_call_site() noexcept {
  if (g_status_fd < 0) return;
  char digits[24];
  std::size_t d = sizeof digits;
  digits[--d] = '\n';
  std::uint64_t step = current_cell_env_steps();
  do {
    digits[--d] = static_cast<char>('0' + step % 10);
    step /= 10;
  } while (step > 0);
  write_text(g_status_fd, "at ");
  write_all(g_status_fd, digits + d, sizeof digits - d);

  const PluginCallSite call = current_plugin_call();
  if (!call.plugin_file) return;
  char line[1024];
  std::size_t n = 0;
  for (const char* part : {"in ", call.plugin_file, "\t", call.component, "\t", call.function, "\n"})
    for (const char* c = part; *c && n < sizeof line; ++c) line[n++] = *c;
  line[n - 1] = '\n';  // a cut line still ends
  write_all(g_status_fd, line, n);
}

extern "C" void on_fatal_signal(int signal) {
  report_call_site();
  // SA_RESETHAND restored the default action: re-raise, so the scheduler sees the real signal.
  ::raise(signal);
}

extern "C" void on_stop_signal(int) {
  report_call_site();
  if (g_control) g_control->stop.store(true, std::memory_order_relaxed);
}

extern "C" void on_exit_called() {
  if (g_cell_done || g_status_fd < 0) return;
  write_text(g_status_fd, "exit\n");
  report_call_site();
}

void install_handlers() {
  // A stack of its own for the handlers, so that a stack overflow is reported too.
  static char alternate_stack[64 * 1024];
  stack_t ss{};
  ss.ss_sp = alternate_stack;
  ss.ss_size = sizeof alternate_stack;
  ::sigaltstack(&ss, nullptr);

  struct sigaction fatal {};
  fatal.sa_handler = on_fatal_signal;
  fatal.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
  sigemptyset(&fatal.sa_mask);
  for (int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS}) ::sigaction(s, &fatal, nullptr);

  struct sigaction stop {};
  stop.sa_handler = on_stop_signal;
  sigemptyset(&stop.sa_mask);
  ::sigaction(SIGTERM, &stop, nullptr);
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
  std::atexit(on_exit_called);
}

// Sends what the progress counters gained since the last report: a resume, then the steps.
void report_progress(const RunControl& control) {
  static std::mutex mutex;
  static std::uint64_t last_steps = 0, last_resumed = 0;
  const std::lock_guard lock(mutex);
  // Steps first: a resumed cell counts its steps only after it has counted its resume, so any
  // steps read here come with the resume, which is sent before them.
  const std::uint64_t steps = control.env_steps_done.load(std::memory_order_acquire);
  const std::uint64_t resumed = control.env_steps_resumed.load(std::memory_order_relaxed);
  std::string lines;
  if (resumed != last_resumed) lines += "resumed " + std::to_string(resumed) + "\n";
  if (steps != last_steps) lines += "steps " + std::to_string(steps) + "\n";
  last_resumed = resumed;
  last_steps = steps;
  if (!lines.empty()) write_all(g_status_fd, lines.data(), lines.size());
}

// Reports progress about twice a second, with every signal blocked so that SIGTERM reaches the
// thread running the cell (whose call site it reports).
std::thread start_progress_reporter(const RunControl& control) {
  sigset_t all, previous;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  std::thread reporter([&control] {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      report_progress(control);
    }
  });
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return reporter;
}

}  // namespace

void run_worker(const CellSpec& cell, const RunDirectory& run, int status_fd) {
  static RunControl control;
  g_status_fd = status_fd;
  g_control = &control;
  install_handlers();
  start_progress_reporter(control).detach();

  const CheckpointPolicy checkpoints = run.checkpoints(cell);
  const CellResult result = run_cell(cell, control, &checkpoints);
  if (result.status == CellResult::Status::Interrupted) ::_exit(kWorkerInterrupted);
  report_progress(control);  // a cell shorter than the reporter's period counts too
  try {
    run.write_cell(cell, result);
  } catch (const std::exception& e) {
    std::cerr << "pgbench worker: could not write the results of " << cell.dir() << ": " << e.what() << std::endl;
    g_cell_done = 1;
    ::_exit(3);
  }
  g_cell_done = 1;
  std::fflush(nullptr);  // what plugins printed, before _exit discards stdio buffers
  write_text(status_fd, "done\n");
  ::_exit(0);
}

}  // namespace pgbench
