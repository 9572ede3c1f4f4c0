// float32.hpp -- single-precision rounding shared by the classic-control tasks.
//
// Gymnasium returns these tasks' observations as float32 (and stores MountainCarContinuous's
// state as float32). The ABI carries doubles, so a value is rounded to the nearest float and
// widened back: the agent sees exactly the numbers a Gymnasium agent would see.
#pragma once

namespace classic_control {

inline double round_to_float32(double value) noexcept {
  // Why volatile: GCC 12.2 at -O2 (Debian 12's compiler) miscompiles six consecutive
  // double -> float -> double round trips into one structure: its SLP vectoriser drops the
  // rounding of the last two. Passing the float through memory keeps each trip scalar and exact.
  const volatile float rounded = static_cast<float>(value);
  return rounded;
}

}  // namespace classic_control
