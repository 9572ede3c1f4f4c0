// One writer per run directory (DESIGN.md §6): an advisory lock on DIR/.lock, held by the pgbench
// process that runs, resumes or merges into the directory for as long as it does.
//
// The lock is flock(2) on an open file, so the kernel releases it when its holder dies, however it
// dies: a stale lock file of a dead process is simply taken over. The file holds the holder's PID,
// host and start time, so that a refusal can name them.
#pragma once

#include <filesystem>
#include <string>

namespace pgbench {

class RunLock {
 public:
  // Takes the lock of `dir` (which must exist) or throws std::invalid_argument naming the process
  // that holds it. `previous_holder()` says whose lock was taken over, if one was left behind.
  explicit RunLock(const std::filesystem::path& dir);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  // "PID 1234 on host node7, since 2026-12-01 10:05:00" of a lock left by a process that is gone;
  // "" if the lock was free.
  const std::string& previous_holder() const noexcept { return previous_holder_; }

 private:
  int fd_ = -1;
  std::string previous_holder_;
};

}  // namespace pgbench
