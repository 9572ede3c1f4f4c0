// half_cheetah.cpp -- HalfCheetah-v4/v5: reward = forward speed of the root minus a control cost;
// no health condition, the episode only ends at the time limit.
#include "half_cheetah.hpp"

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 9, .nv = 9, .nu = 6};
constexpr int kRootX = 0;          // qpos index of the root's horizontal slide, m
constexpr int kRootPositions = 1;  // rootx, left out of the observation by default
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

}  // namespace

HalfCheetah::HalfCheetah(const Params& params)
    : LocomotionEnv("HalfCheetah", params.common, "half_cheetah.xml", kShape, params.locomotion, kVelocityNoise,
                    kRootPositions) {}

HalfCheetah::HalfCheetah(const pgb::Config& config)
    : HalfCheetah(Params{.common = read_common_params(config), .locomotion = read_locomotion_params(config)}) {}

pgb::EnvSpec HalfCheetah::spec() const { return make_spec(observed_positions() + kShape.nv, kMaxEpisodeSteps); }

// The root's horizontal slide.
double HalfCheetah::forward_position() const { return data().qpos[kRootX]; }

// qpos (rootx left out by default), then qvel.
void HalfCheetah::observe(std::span<double> observation) const {
  ObservationWriter out(observation);
  put_positions(out);
  out.put(data().qvel, kShape.nv);
  out.finish();
}

namespace {
[[maybe_unused]] const pgb::sdk::EnvRegistration& registration = register_locomotion_task<HalfCheetah>(
    {.id = "org.pgbench.mujoco.half-cheetah/1",
     .name = "HalfCheetah-v4",
     .description = "Make a planar two-legged cheetah run forward as fast as possible (Gymnasium HalfCheetah-v4; "
                    "version=v5 selects v5, identical in dynamics, reward and observation).",
     .substep = "0.01 s",
     .bundled_models = "half_cheetah.xml"},
    {.root_position = "the root's x position"});
}  // namespace

}  // namespace mujoco_control
