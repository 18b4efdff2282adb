#include "platforms/lepton/deployment_status.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::lepton {
namespace {

using nlohmann::json;
using Phase = RuntimeState::Phase;
using ::testing::HasSubstr;

json Deployment(const std::string& state) {
  return {
      {"metadata", {{"name", "tao-x"}}},
      {"status",
       {{"state", state},
        {"endpoint", {{"internal_endpoint", ""}, {"external_endpoint", ""}}}}}};
}

json Readiness(const std::string& reason, const std::string& message) {
  return {{"tao-x-abc123",
           {{{"reason", reason},
             {"message", message},
             {"creationTimestamp", "2026-07-01T00:00:00Z"}}}}};
}

RuntimeState Of(const std::string& state, const json& readiness = json(),
                const json& termination = json()) {
  return DeploymentState(Deployment(state), readiness, termination);
}

TEST(DeploymentStateTest, StatesMapAsTheReferenceSays) {
  EXPECT_EQ(Of("Ready").phase, Phase::kRunning);
  EXPECT_EQ(Of("Running").phase, Phase::kRunning);
  for (const char* state :
       {"Starting", "Updating", "Scaling", "Restarting", "Migrating"}) {
    EXPECT_EQ(Of(state).phase, Phase::kPending) << state;
  }
  for (const char* state : {"Stopped", "Stopping", "Deleting"}) {
    EXPECT_EQ(Of(state).phase, Phase::kMissing) << state;
  }
  RuntimeState error = Of("Error");
  EXPECT_EQ(error.phase, Phase::kExited);
  EXPECT_FALSE(error.has_exit_code);
  EXPECT_THAT(error.detail, HasSubstr("Error"));
  EXPECT_EQ(Of("Not Ready").phase, Phase::kUnknown);
  EXPECT_EQ(Of("").phase, Phase::kUnknown);
  EXPECT_EQ(DeploymentState(json(), json(), json()).phase, Phase::kMissing);
}

TEST(DeploymentStateTest, ReadinessFailuresEndTheService) {
  for (const char* reason : {"ConfigError", "NoCapacity", "SystemError"}) {
    RuntimeState state =
        Of("Starting", Readiness(reason, "Failed to pull image: not found"));
    EXPECT_EQ(state.phase, Phase::kExited) << reason;
    EXPECT_THAT(state.detail, HasSubstr(reason));
    EXPECT_THAT(state.detail, HasSubstr("Failed to pull image: not found"));
  }
  RuntimeState pulling =
      Of("Starting", Readiness("InProgress", "Pulling image"));
  EXPECT_EQ(pulling.phase, Phase::kPending);
  EXPECT_THAT(pulling.detail, HasSubstr("Pulling image"));
  EXPECT_EQ(Of("Ready", Readiness("Ready", "")).phase, Phase::kRunning);
}

TEST(DeploymentStateTest, ATerminationRecordNamesItsExitCode) {
  const json termination = {{"tao-x-abc123",
                             {{{"started_at", 1},
                               {"finished_at", 2},
                               {"exit_code", 1},
                               {"reason", "Error"},
                               {"message", "first crash"}},
                              {{"started_at", 3},
                               {"finished_at", 4},
                               {"exit_code", 137},
                               {"reason", "OOMKilled"},
                               {"message", ""}}}}};
  // A restarted container leaves the deployment Starting or Not Ready.
  for (const char* state : {"Starting", "Not Ready", "Ready", "Error"}) {
    RuntimeState exited = Of(state, json(), termination);
    EXPECT_EQ(exited.phase, Phase::kExited) << state;
    EXPECT_TRUE(exited.has_exit_code);
    EXPECT_EQ(exited.exit_code, 137);
    EXPECT_THAT(exited.detail, HasSubstr("exited with code 137"));
    EXPECT_THAT(exited.detail, HasSubstr("OOMKilled"));
  }
  // Being deleted wins: the record is of the service being stopped.
  EXPECT_EQ(Of("Deleting", json(), termination).phase, Phase::kMissing);
  // Records without an exit code say nothing.
  EXPECT_EQ(Of("Ready", json(), {{"tao-x-abc123", {{{"reason", "x"}}}}}).phase,
            Phase::kRunning);
  EXPECT_EQ(Of("Ready", json(), json::object()).phase, Phase::kRunning);
}

}  // namespace
}  // namespace tao::platforms::lepton
