// swimmer.cpp -- Swimmer-v4/v5: reward = forward speed of the head - control cost; no
// termination.
#include "swimmer.hpp"

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 5, .nv = 5, .nu = 2};
constexpr int kRootX = 0;          // qpos: the head's slide along x, m
constexpr int kRootPositions = 2;  // x and y slides, left out of the observation by default
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

}  // namespace

Swimmer::Swimmer(const Params& params)
    : LocomotionEnv("Swimmer", params.common, "swimmer.xml", kShape, params.locomotion, kVelocityNoise,
                    kRootPositions) {}

Swimmer::Swimmer(const pgb::Config& config)
    : Swimmer(Params{.common = read_common_params(config), .locomotion = read_locomotion_params(config)}) {}

pgb::EnvSpec Swimmer::spec() const { return make_spec(observed_positions() + kShape.nv, kMaxEpisodeSteps); }

// The head's slide along x.
double Swimmer::forward_position() const { return data().qpos[kRootX]; }

// qpos (the head's x and y left out by default), then qvel.
void Swimmer::observe(std::span<double> observation) const {
  ObservationWriter out(observation);
  put_positions(out);
  out.put(data().qvel, kShape.nv);
  out.finish();
}

namespace {
[[maybe_unused]] const pgb::sdk::EnvRegistration& registration = register_locomotion_task<Swimmer>(
    {.id = "org.pgbench.mujoco.swimmer/1",
     .name = "Swimmer-v4",
     .description = "Make a three-link swimmer in a viscous fluid swim forward (Gymnasium Swimmer-v4; version=v5 "
                    "is identical).",
     .substep = "0.01 s",
     .bundled_models = "swimmer.xml"},
    {.root_position = "the head's x and y positions"});
}  // namespace

}  // namespace mujoco_control
