#include "platforms/local_docker/container_state.h"

#include "gtest/gtest.h"

namespace tao::platforms::local_docker {
namespace {

using Phase = RuntimeState::Phase;

struct StateCase {
  const char* inspect;
  Phase phase;
  bool has_exit_code;
  int exit_code;
  const char* detail;
};

TEST(DockerStateFromInspectTest, MapsEngineStates) {
  const StateCase cases[] = {
      {R"({"State":{"Status":"created","ExitCode":0}})", Phase::kPending, false,
       0, "created"},
      {R"({"State":{"Status":"restarting"}})", Phase::kPending, false, 0,
       "restarting"},
      {R"({"State":{"Status":"running","ExitCode":0}})", Phase::kRunning, false,
       0, "running"},
      {R"({"State":{"Status":"paused"}})", Phase::kRunning, false, 0, "paused"},
      {R"({"State":{"Status":"exited","ExitCode":3}})", Phase::kExited, true, 3,
       "exited with code 3"},
      {R"({"State":{"Status":"exited","ExitCode":0}})", Phase::kExited, true, 0,
       "exited with code 0"},
      {R"({"State":{"Status":"exited","ExitCode":137,"OOMKilled":true}})",
       Phase::kExited, true, 137, "exited with code 137 (OOMKilled)"},
      {R"({"State":{"Status":"exited","ExitCode":127,"Error":"exec failed"}})",
       Phase::kExited, true, 127, "exited with code 127: exec failed"},
      {R"({"State":{"Status":"dead"}})", Phase::kUnknown, false, 0, "dead"},
      {R"({"State":{"Status":"removing"}})", Phase::kUnknown, false, 0,
       "removing"},
      {R"({"Id":"x"})", Phase::kUnknown, false, 0,
       "the engine reported no container state"},
  };
  for (const StateCase& c : cases) {
    SCOPED_TRACE(c.inspect);
    RuntimeState state = StateFromInspect(nlohmann::json::parse(c.inspect));
    EXPECT_EQ(state.phase, c.phase);
    EXPECT_EQ(state.has_exit_code, c.has_exit_code);
    EXPECT_EQ(state.exit_code, c.exit_code);
    EXPECT_EQ(state.detail, c.detail);
  }
}

}  // namespace
}  // namespace tao::platforms::local_docker
