// mujoco_env.hpp -- the part every MuJoCo task shares: one mjData over a shared mjModel, the
// step mechanics of specs/mujoco-tasks.md §1.1, the reset protocol of §1.2, and the checks that
// turn a diverging simulation into an error instead of a silent restart.
#pragma once

#include <mujoco/mujoco.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include <pgbench/sdk/config.hpp>
#include <pgbench/sdk/environment.hpp>
#include <pgbench/sdk/errors.hpp>
#include <pgbench/sdk/plugin.hpp>

#include "mujoco_runtime.hpp"

namespace mujoco_control {

// Gymnasium's task revisions. v4 is the default everywhere: the published results use it.
enum class Version { v4, v5 };
inline constexpr const char* kVersionChoices = "v4|v5";
Version parse_version(const std::string& text);
const char* version_suffix(Version version);  // "-v4" or "-v5"

// Parameters that every task declares under the same keys.
struct CommonParams {
  Version version = Version::v4;
  int frame_skip = 1;        // mj_step calls per env step
  std::string model_path{};  // "" = the bundled model; relative paths are taken in the models folder
};
CommonParams read_common_params(const pgb::Config& config);

// The sizes a task's code relies on; a model given through model_path must have them.
struct ModelShape {
  int nq, nv, nu;
};

// How a reset perturbs the velocities around rest (spec §1.2): U(-scale, scale) or scale x N(0, 1).
enum class VelocityNoise { uniform, normal };

class MujocoEnv : public pgb::Environment {
 public:
  MujocoEnv(const MujocoEnv&) = delete;
  MujocoEnv& operator=(const MujocoEnv&) = delete;

  const mjModel& model() const noexcept { return *model_; }
  const mjData& data() const noexcept { return *data_; }
  int frame_skip() const noexcept { return frame_skip_; }
  // Seconds of simulated time per env step: timestep x frame skip.
  double dt() const noexcept { return model_->opt.timestep * frame_skip_; }
  const std::string& task_name() const noexcept { return task_name_; }
  Version version() const noexcept { return version_; }

  // Gymnasium's set_state: writes qpos and qvel, then mj_forward so that every derived quantity
  // (xpos, contacts, ...) belongs to that state. For tests and diagnostics.
  void set_state(std::span<const double> qpos, std::span<const double> qvel);

  // A checkpoint: the whole mjData as mj_copyData copies it (the info header -- time, warning
  // counts, sizes --, the main buffer and the stack in use), so that the next step, and every derived
  // quantity a task reads before it, is bit-for-bit what it would have been. The tasks keep no
  // state of their own beyond it and rng().
  void save_state(pgb::OutputArchive& out) const override;
  void load_state(pgb::InputArchive& in) override;

 protected:
  // Loads (or reuses) the compiled model -- `default_model_file` from the bundled models unless
  // common.model_path names another -- and makes this instance's mjData. `task` plus the version
  // (e.g. "Hopper-v4") prefixes every error message.
  MujocoEnv(const char* task, const CommonParams& common, const char* default_model_file, ModelShape shape);
  ~MujocoEnv() override = default;

  // Unbounded observation Box of `observation_dim`; action Box = the actuators' control ranges.
  pgb::EnvSpec make_spec(std::size_t observation_dim, std::uint32_t max_episode_steps) const;

  // A reset is begin_reset() (mj_resetData: time 0, controls 0, warnings cleared), then the task
  // writes qpos/qvel into writable_data(), then finish_reset() (mj_forward), spec §1.2.
  void begin_reset();
  void finish_reset();
  // The reset most tasks use, between the two: qpos = qpos0 + U(-scale, scale) on every entry
  // (quaternions included: mj_forward normalises them), then the velocity noise, in that order.
  void reset_with_noise(double scale, VelocityNoise velocity_noise);

  // The physics of one env step, spec §1.1: ctrl = action (unclipped: MuJoCo clamps limited
  // actuators itself), frame_skip x mj_step, then mj_rnePostConstraint so that cfrc_ext is
  // filled. Nothing is recomputed afterwards: derived quantities lag qpos by one substep, as in
  // the reference. Throws pgb::NumericalError when the simulation diverged.
  void simulate(std::span<const double> action);

  mjData& writable_data() noexcept { return *data_; }

  // Ids of named model elements; throw pgb::InvalidArgument naming the task when absent.
  int body_id(const char* name) const;
  int site_id(const char* name) const;

 private:
  MujocoEnv(std::string task_name, Version version, const std::filesystem::path& model_file, int frame_skip,
            ModelShape shape);

  // Runs MuJoCo calls with this instance as the receiver of their warnings; a MuJoCo error
  // becomes a pgb::Error naming the task and what it was doing.
  template <class Fn>
  void call_mujoco(const char* what, Fn&& fn);

  // The warnings MuJoCo raises when the state or the control is not a finite number of sane size
  // (|x| > 1e10). MuJoCo's answer is to reset mjData and carry on, which would hide a diverged
  // simulation or a diverged agent inside a normal-looking episode; we make them errors instead.
  static constexpr std::array<int, 4> kDivergenceWarnings = {mjWARN_BADQPOS, mjWARN_BADQVEL, mjWARN_BADQACC,
                                                            mjWARN_BADCTRL};
  using WarningCounts = std::array<int, kDivergenceWarnings.size()>;
  WarningCounts divergence_warning_counts() const noexcept;
  void check_stability(const WarningCounts& before) const;

  std::string task_name_;
  Version version_;
  std::shared_ptr<const mjModel> model_;
  std::unique_ptr<mjData, void (*)(mjData*)> data_;
  int frame_skip_;
  WarningSink warnings_;
};

// Fills an observation front to back, so that a task's layout reads like the spec's table.
class ObservationWriter {
 public:
  explicit ObservationWriter(std::span<double> out) noexcept : out_(out) {}
  void put(double value) noexcept { out_[size_++] = value; }
  void put(const mjtNum* values, int count) noexcept {
    std::copy_n(values, count, out_.begin() + static_cast<std::ptrdiff_t>(size_));
    size_ += static_cast<std::size_t>(count);
  }
  void put_clipped(const mjtNum* values, int count, double low, double high) noexcept {
    for (int i = 0; i < count; ++i) put(std::clamp(values[i], low, high));
  }
  // Throws std::logic_error unless exactly the whole observation was written (a layout bug).
  void finish() const;

 private:
  std::span<double> out_;
  std::size_t size_ = 0;
};

// sum(x_i^2): the control costs are weights times this, on the raw action.
double sum_of_squares(std::span<const double> values) noexcept;

// What the host lists about a task besides its parameters.
struct TaskListing {
  const char* id;              // stable across releases, e.g. "org.pgbench.mujoco.hopper/1"
  const char* name;            // Gymnasium's id of the default revision, e.g. "Hopper-v4"
  const char* description;
  const char* substep;         // the bundled model's timestep, e.g. "0.002 s"
  const char* bundled_models;  // e.g. "walker2d.xml / walker2d_v5.xml"
};

// Registers `Env` with the parameters every task declares (version, frame_skip, model_path),
// their defaults taken from Env::Params; the task chains its own parameters.
template <class Env>
pgb::sdk::EnvRegistration& register_task(const TaskListing& task) {
  const typename Env::Params defaults;
  return pgb::sdk::register_env<Env>(task.id)
      .name(task.name)
      .description(task.description)
      .dependencies(std::string("mujoco ") + mj_versionString())  // the library it runs on
      .param("version", "v4", "Gymnasium revision whose behaviour to reproduce", kVersionChoices)
      .param("frame_skip", defaults.common.frame_skip, std::string("MuJoCo steps of ") + task.substep + " per env step",
             1.0, 1000.0)
      .param("model_path", "",
             std::string("MJCF file to load instead of the bundled ") + task.bundled_models +
                 " (relative: in the models folder)");
}

}  // namespace mujoco_control
