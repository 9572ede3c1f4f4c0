// mujoco_env.cpp -- step and reset mechanics shared by the MuJoCo tasks.
#include "mujoco_env.hpp"

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <utility>
#include <vector>

namespace mujoco_control {
namespace {

bool all_finite(const mjtNum* values, int count) noexcept {
  for (int i = 0; i < count; ++i)
    if (!std::isfinite(values[i])) return false;
  return true;
}

}  // namespace

template <class Fn>
void MujocoEnv::call_mujoco(const char* what, Fn&& fn) {
  const MujocoCallScope scope(warnings_);
  try {
    fn();
  } catch (const MujocoError& e) {
    throw pgb::Error(PGB_ERR_INTERNAL, task_name_ + ": MuJoCo error during " + what + ": " + e.what());
  } catch (...) {
    // MuJoCo 2.2.2's model compiler swaps in its own (throwing) error handler while it runs; an
    // error raised here while another thread compiles a model arrives as its exception.
    throw pgb::Error(PGB_ERR_INTERNAL, task_name_ + ": MuJoCo error during " + what);
  }
}

Version parse_version(const std::string& text) {
  if (text == "v4") return Version::v4;
  if (text == "v5") return Version::v5;
  throw pgb::InvalidArgument("parameter 'version' = '" + text + "' is not one of " + kVersionChoices);
}

const char* version_suffix(Version version) { return version == Version::v4 ? "-v4" : "-v5"; }

CommonParams read_common_params(const pgb::Config& config) {
  return {.version = parse_version(config.get_string("version")),
          .frame_skip = static_cast<int>(config.get_int("frame_skip")),
          .model_path = config.get_string("model_path")};
}

MujocoEnv::MujocoEnv(const char* task, const CommonParams& common, const char* default_model_file, ModelShape shape)
    : MujocoEnv(std::string(task) + version_suffix(common.version), common.version,
                resolve_model_path(common.model_path, default_model_file), common.frame_skip, shape) {}

MujocoEnv::MujocoEnv(std::string task_name, Version version, const std::filesystem::path& model_file, int frame_skip,
                     ModelShape shape)
    : task_name_(std::move(task_name)), version_(version), model_(load_model(model_file)),
      data_(nullptr, mj_deleteData), frame_skip_(frame_skip) {
  if (frame_skip_ < 1) throw pgb::InvalidArgument(task_name_ + ": frame_skip must be >= 1");
  const mjModel& m = *model_;
  if (m.nq != shape.nq || m.nv != shape.nv || m.nu != shape.nu)
    throw pgb::InvalidArgument(task_name_ + ": model " + model_file.string() + " has nq " + std::to_string(m.nq) +
                               ", nv " + std::to_string(m.nv) + ", nu " + std::to_string(m.nu) + "; the task needs " +
                               std::to_string(shape.nq) + ", " + std::to_string(shape.nv) + ", " +
                               std::to_string(shape.nu));
  call_mujoco("mj_makeData", [&] { data_.reset(mj_makeData(model_.get())); });
  if (!data_) throw pgb::Error(PGB_ERR_OUT_OF_MEMORY, task_name_ + ": mj_makeData failed");
}

pgb::EnvSpec MujocoEnv::make_spec(std::size_t observation_dim, std::uint32_t max_episode_steps) const {
  const mjModel& m = *model_;
  std::vector<double> low(static_cast<std::size_t>(m.nu)), high(static_cast<std::size_t>(m.nu));
  for (int i = 0; i < m.nu; ++i) {
    low[i] = m.actuator_ctrlrange[2 * i];
    high[i] = m.actuator_ctrlrange[2 * i + 1];
  }
  return {.observation = pgb::Space::unbounded_box(observation_dim),
          .action = pgb::Space::box(std::move(low), std::move(high)),
          .frames_per_step = static_cast<std::uint32_t>(frame_skip_),
          .max_episode_steps = max_episode_steps};
}

void MujocoEnv::begin_reset() {
  call_mujoco("reset", [&] { mj_resetData(model_.get(), data_.get()); });
}

void MujocoEnv::finish_reset() {
  call_mujoco("reset", [&] { mj_forward(model_.get(), data_.get()); });
}

void MujocoEnv::reset_with_noise(double scale, VelocityNoise velocity_noise) {
  const mjModel& m = *model_;
  mjData& d = *data_;
  begin_reset();
  for (int i = 0; i < m.nq; ++i) d.qpos[i] = m.qpos0[i] + rng().uniform(-scale, scale);
  for (int i = 0; i < m.nv; ++i)
    d.qvel[i] = velocity_noise == VelocityNoise::uniform ? rng().uniform(-scale, scale) : scale * rng().normal();
  finish_reset();
}

void MujocoEnv::set_state(std::span<const double> qpos, std::span<const double> qvel) {
  if (qpos.size() != static_cast<std::size_t>(model_->nq) || qvel.size() != static_cast<std::size_t>(model_->nv))
    throw pgb::InvalidArgument(task_name_ + ": set_state needs nq qpos and nv qvel values");
  std::copy(qpos.begin(), qpos.end(), data_->qpos);
  std::copy(qvel.begin(), qvel.end(), data_->qvel);
  call_mujoco("set_state", [&] { mj_forward(model_.get(), data_.get()); });
}

void MujocoEnv::save_state(pgb::OutputArchive& out) const {
  const mjData& d = *data_;
  out.tag("mjData/2.2");
  out.pod<std::int64_t>(d.nbuffer);
  out.pod<std::int64_t>(d.nstack);
  out.bytes(&d, offsetof(mjData, buffer));
  out.bytes(d.buffer, static_cast<std::size_t>(d.nbuffer));
  // Only the stack in use (none between steps: it is MuJoCo's scratch space; contacts and
  // constraints live in the main buffer in 2.2), not its whole capacity, megabytes per sub-env.
  out.bytes(d.stack, static_cast<std::size_t>(d.pstack) * sizeof(mjtNum));
}

void MujocoEnv::load_state(pgb::InputArchive& in) {
  mjData& d = *data_;
  in.expect_tag("mjData/2.2");
  if (in.pod<std::int64_t>() != d.nbuffer || in.pod<std::int64_t>() != d.nstack)
    throw pgb::InvalidArgument(task_name_ + ": the saved state is of another model");
  in.bytes(&d, offsetof(mjData, buffer));  // pstack among it
  in.bytes(d.buffer, static_cast<std::size_t>(d.nbuffer));
  in.bytes(d.stack, static_cast<std::size_t>(d.pstack) * sizeof(mjtNum));
}

void MujocoEnv::simulate(std::span<const double> action) {
  const mjModel* m = model_.get();
  mjData* d = data_.get();
  if (action.size() != static_cast<std::size_t>(m->nu))
    throw pgb::InvalidArgument(task_name_ + ": the action needs " + std::to_string(m->nu) + " values");
  std::copy(action.begin(), action.end(), d->ctrl);

  const WarningCounts warnings_before = divergence_warning_counts();
  warnings_.clear();
  call_mujoco("step", [&] {
    for (int frame = 0; frame < frame_skip_; ++frame) mj_step(m, d);
    mj_rnePostConstraint(m, d);
  });
  check_stability(warnings_before);
}

MujocoEnv::WarningCounts MujocoEnv::divergence_warning_counts() const noexcept {
  WarningCounts counts{};
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = data_->warning[kDivergenceWarnings[i]].number;
  return counts;
}

void MujocoEnv::check_stability(const WarningCounts& before) const {
  const mjData& d = *data_;
  const WarningCounts after = divergence_warning_counts();
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (after[i] > before[i]) {
      const mjWarningStat& stat = d.warning[kDivergenceWarnings[i]];
      const std::string what =
          warnings_.message[0] ? warnings_.message : mju_warningText(kDivergenceWarnings[i], stat.lastinfo);
      throw pgb::NumericalError(task_name_ + ": the simulation diverged (MuJoCo: " + what + ")");
    }
  }
  if (!all_finite(d.qpos, model_->nq) || !all_finite(d.qvel, model_->nv))
    throw pgb::NumericalError(task_name_ + ": the simulation diverged (NaN or Inf in qpos/qvel at t = " +
                              std::to_string(d.time) + " s)");
}

int MujocoEnv::body_id(const char* name) const {
  const int id = mj_name2id(model_.get(), mjOBJ_BODY, name);
  if (id < 0) throw pgb::InvalidArgument(task_name_ + ": the model has no body '" + name + "'");
  return id;
}

int MujocoEnv::site_id(const char* name) const {
  const int id = mj_name2id(model_.get(), mjOBJ_SITE, name);
  if (id < 0) throw pgb::InvalidArgument(task_name_ + ": the model has no site '" + name + "'");
  return id;
}

void ObservationWriter::finish() const {
  if (size_ != out_.size())
    throw std::logic_error("observation layout wrote " + std::to_string(size_) + " of " +
                           std::to_string(out_.size()) + " values");
}

double sum_of_squares(std::span<const double> values) noexcept {
  double sum = 0.0;
  for (const double v : values) sum += v * v;
  return sum;
}

}  // namespace mujoco_control
