// pgbench --mpi: one grid shared among the ranks of an MPI job (`mpirun -n R pgbench --suite NAME
// --mpi`), thin glue over Open MPI, built when CMake finds MPI (DESIGN.md §6).
//
// How the work is shared: every rank resolves the same grid from the same arguments; rank 0 opens
// the run directory (its lock, manifest and identity checks) and tells the others its path; every
// rank then takes the next pending cell from one counter held by rank 0 (MPI-3 one-sided
// fetch-and-add), so a slow rank never holds the others up and each cell runs exactly once; each
// rank runs its cells with the same scheduler (worker processes, --threads at once) as one
// machine.
//
// Where results go: each cell's worker writes its files into the run directory itself, as on one
// machine, so the run directory must be on a filesystem every rank sees (the usual /home or
// /scratch of a cluster). Results are not shipped through MPI because they do not need to be:
// the files are written once, atomically, by the process that computed them, exactly as in a
// one-machine run, which is what makes the two byte-identical; MPI carries only the coordination.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace pgbench {

class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);  // MPI_Init_thread (MPI_THREAD_SERIALIZED)
  ~MpiSession();                        // MPI_Finalize
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }

  // Rank 0's `text` on every rank.
  std::string broadcast(const std::string& text) const;
  void barrier() const;
  // The sum over all ranks, on every rank.
  std::uint64_t sum(std::uint64_t value) const;

  // A counter on rank 0 that every rank draws from: 0, 1, 2, ... across the whole job. Collective:
  // every rank calls it once, at the same point.
  std::function<std::size_t()> shared_counter();

 private:
  int rank_ = 0, size_ = 1;
  void* window_ = nullptr;        // MPI_Win, kept opaque so that this header needs no mpi.h
  std::int64_t* counter_ = nullptr;
};

}  // namespace pgbench
