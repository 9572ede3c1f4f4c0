#include "host/run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include <fmt/format.h>

namespace pgbench {

namespace {

std::string read_all(int fd) {
  std::string text;
  char buffer[512];
  ::lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string this_holder() {
  char host[256] = "?";
  ::gethostname(host, sizeof host - 1);
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  return fmt::format("PID {} on host {}, since {}", ::getpid(), host, when);
}

}  // namespace

RunLock::RunLock(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / ".lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(fmt::format("cannot open {}: {}", file.string(), std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string holder = read_all(fd_);
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw std::invalid_argument(fmt::format(
          "{} is in use by another pgbench ({}); wait for it to end, stop it, or choose another --out",
          dir.string(), holder.empty() ? "holder unknown" : holder));
    throw std::runtime_error(fmt::format("cannot lock {}: {}", file.string(), std::strerror(err)));
  }
  previous_holder_ = read_all(fd_);
  const std::string me = this_holder() + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size()))
    throw std::runtime_error(fmt::format("cannot write {}: {}", file.string(), std::strerror(errno)));
}

RunLock::~RunLock() {
  if (fd_ < 0) return;
  // Empty the file first: a lock file with a holder in it means its holder did not end cleanly.
  [[maybe_unused]] const int truncated = ::ftruncate(fd_, 0);
  ::close(fd_);
}

}  // namespace pgbench
