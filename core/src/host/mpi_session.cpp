#include "host/mpi_session.hpp"

#include <stdexcept>
#include <vector>

#ifdef PGBENCH_HAVE_MPI
#include <mpi.h>
#endif

namespace pgbench {

#ifdef PGBENCH_HAVE_MPI

namespace {

void check(int status, const char* call) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + call + " failed");
}

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  int provided = 0;
  check(MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
  if (provided < MPI_THREAD_SERIALIZED) throw std::runtime_error("MPI: this MPI library cannot be called from several threads");
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (window_) {
    MPI_Win* window = static_cast<MPI_Win*>(window_);
    MPI_Win_unlock_all(*window);
    MPI_Win_free(window);
    delete window;
  }
  MPI_Finalize();
}

std::string MpiSession::broadcast(const std::string& text) const {
  unsigned long long length = text.size();
  check(MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD), "MPI_Bcast");
  std::vector<char> bytes(text.begin(), text.end());
  bytes.resize(length);
  if (length > 0) check(MPI_Bcast(bytes.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
  return std::string(bytes.begin(), bytes.end());
}

void MpiSession::barrier() const { check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }

std::uint64_t MpiSession::sum(std::uint64_t value) const {
  unsigned long long in = value, out = 0;
  check(MPI_Allreduce(&in, &out, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
  return out;
}

std::function<std::size_t()> MpiSession::shared_counter() {
  auto* window = new MPI_Win;
  window_ = window;
  check(MPI_Win_allocate(rank_ == 0 ? sizeof(std::int64_t) : 0, sizeof(std::int64_t), MPI_INFO_NULL, MPI_COMM_WORLD,
                         &counter_, window),
        "MPI_Win_allocate");
  if (rank_ == 0) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, *window);
    *counter_ = 0;
    MPI_Win_unlock(0, *window);
  }
  barrier();
  MPI_Win_lock_all(0, *window);
  return [window] {
    const std::int64_t one = 1;
    std::int64_t taken = 0;
    check(MPI_Fetch_and_op(&one, &taken, MPI_INT64_T, 0, 0, MPI_SUM, *window), "MPI_Fetch_and_op");
    check(MPI_Win_flush(0, *window), "MPI_Win_flush");
    return static_cast<std::size_t>(taken);
  };
}

#else  // built without MPI: a job of one rank at most, and none can be started

MpiSession::MpiSession(int*, char***) {
  throw std::invalid_argument("--mpi: this pgbench was built without MPI (apt-get install libopenmpi-dev, then rebuild)");
}
MpiSession::~MpiSession() = default;
std::string MpiSession::broadcast(const std::string& text) const { return text; }
void MpiSession::barrier() const {}
std::uint64_t MpiSession::sum(std::uint64_t value) const { return value; }
std::function<std::size_t()> MpiSession::shared_counter() {
  return [next = std::size_t{0}]() mutable { return next++; };
}

#endif

}  // namespace pgbench
