// Every model file compiles cleanly on MuJoCo 2.2.2, and a broken model or a MuJoCo error is a
// reported failure, never a dead process (MuJoCo's default error handler calls exit()).
#include "model_test_support.h"

#include <cstring>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

namespace pgbench::mujoco_test {
namespace {

// Compiles MJCF text given in memory, through MuJoCo's virtual file system.
mjModel* LoadFromText(const std::string& xml, std::string& error) {
  auto vfs = std::make_unique<mjVFS>();  // large (fixed tables): keep it off the stack
  mj_defaultVFS(vfs.get());
  const char* kFileName = "model.xml";
  if (mj_makeEmptyFileVFS(vfs.get(), kFileName, static_cast<int>(xml.size())) != 0) {
    error = "cannot create the in-memory file";
    return nullptr;
  }
  const int file = mj_findFileVFS(vfs.get(), kFileName);
  std::memcpy(vfs->filedata[file], xml.data(), xml.size());
  char buffer[1024] = "";
  mjModel* m = mj_loadXML(kFileName, vfs.get(), buffer, sizeof buffer);
  error = buffer;
  mj_deleteVFS(vfs.get());
  return m;
}

class ModelLoading : public MujocoModelTest {};

TEST_F(ModelLoading, EveryTaskModelIsPresentAndCompilesWithoutWarning) {
  const std::set<std::string> expected = {
      "half_cheetah.xml", "hopper.xml", "walker2d.xml", "walker2d_v5.xml",
      "ant.xml", "swimmer.xml", "reacher.xml", "inverted_pendulum.xml",
      "inverted_double_pendulum.xml", "humanoid.xml", "humanoidstandup.xml", "pusher.xml",
      "pusher_v5.xml"};
  std::set<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(ModelPath(""))) {
    if (entry.path().extension() == ".xml") found.insert(entry.path().filename().string());
  }
  EXPECT_EQ(found, expected);
  for (const std::string& file : found) {
    char error[1024] = "";
    mjModel* m = mj_loadXML(ModelPath(file).string().c_str(), nullptr, error, sizeof error);
    EXPECT_NE(m, nullptr) << file << ": " << error;
    EXPECT_STREQ(error, "") << file;
    if (m) mj_deleteModel(m);
  }
}

// MuJoCo 2.2.2 pitfall (spec section 1.4): autolimits is off, so a range without an explicit
// `limited` is a compile error. The loader must report it, not exit.
TEST_F(ModelLoading, RangeWithoutLimitedIsACompileErrorInMujoco222) {
  const std::string without_limited = R"(<mujoco><worldbody><body>
      <joint name="hinge" type="hinge" range="-1 1"/><geom size="0.1"/>
    </body></worldbody></mujoco>)";
  std::string error;
  mjModel* m = LoadFromText(without_limited, error);
  EXPECT_EQ(m, nullptr);
  EXPECT_NE(error.find("limited"), std::string::npos) << error;
  if (m) mj_deleteModel(m);

  const std::string with_limited = R"(<mujoco><worldbody><body>
      <joint name="hinge" type="hinge" range="-1 1" limited="true"/><geom size="0.1"/>
    </body></worldbody></mujoco>)";
  m = LoadFromText(with_limited, error);
  EXPECT_NE(m, nullptr) << error;
  if (m) mj_deleteModel(m);
}

TEST_F(ModelLoading, MujocoErrorBecomesAnExceptionInsteadOfExit) {
  EXPECT_THROW(mju_error("deliberate test error"), std::runtime_error);
}

}  // namespace
}  // namespace pgbench::mujoco_test
