// Build provenance, recorded in every manifest. Filled in at build time (version.cpp.in).
#pragma once

namespace pgbench {

extern const char* const kVersion;        // "0.1.0"
extern const char* const kGitCommit;      // "<sha>[-dirty]" or "unknown" outside a git checkout
extern const char* const kCompiler;       // "GNU 12.2.0"
extern const char* const kCompileFlags;   // the C++ flags of the build type in use
extern const char* const kBuildType;      // "Release"

}  // namespace pgbench
