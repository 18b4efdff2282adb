#include "tests/fakes/reference_backend_health.h"

namespace tao::fakes {
namespace {

using Json = nlohmann::json;

// The error.type of the skill's shape (and of chat answers).
const char* ErrorType(Phase phase) {
  switch (phase) {
    case Phase::kInitializing:
      return "server_initializing";
    case Phase::kInitFailed:
      return "initialization_error";
    case Phase::kNotLoaded:
      return "model_not_ready";
    case Phase::kLoading:
      return "model_loading";
    case Phase::kLoadFailed:
      return "model_load_error";
    case Phase::kReady:
      break;
  }
  return "";
}

// The reason of the real server's readiness shape.
const char* NotReadyReason(Phase phase) {
  switch (phase) {
    case Phase::kInitializing:
      return "server_initializing";
    case Phase::kInitFailed:
      return "initialization_failed";
    case Phase::kNotLoaded:
      return "model_not_loaded";
    case Phase::kLoading:
      return "model_loading";
    case Phase::kLoadFailed:
      return "model_load_failed";
    case Phase::kReady:
      break;
  }
  return "";
}

const char* Stage(Phase phase) {
  switch (phase) {
    case Phase::kInitializing:
      return "initializing";
    case Phase::kLoading:
    case Phase::kNotLoaded:
      return "loading_model";
    case Phase::kReady:
      return "ready";
    case Phase::kInitFailed:
    case Phase::kLoadFailed:
      break;
  }
  return "error";
}

Json JobId(const LaunchConfig& config) {
  return config.job_id.empty() ? Json(nullptr) : Json(config.job_id);
}

}  // namespace

HttpAnswer ReadinessAnswer(const BackendState::Snapshot& state,
                           const LaunchConfig& config, absl::Time now) {
  if (state.phase == Phase::kReady) {
    return {200,
            {{"status", "ready"},
             {"message", "Server is ready to accept inference requests"},
             {"job_id", JobId(config)},
             {"model_type", ArchName(config.arch)},
             {"timestamp", IsoTimestamp(now)}}};
  }
  if (config.knobs.status_shape) {
    return {503,
            {{"status", "not_ready"},
             {"reason", NotReadyReason(state.phase)},
             {"message", state.message},
             {"job_id", JobId(config)},
             {"timestamp", IsoTimestamp(now)}}};
  }
  return ErrorAnswer(503, ErrorType(state.phase), state.message);
}

HttpAnswer LivenessAnswer(const BackendState::Snapshot& state,
                          const LaunchConfig& config, absl::Time now) {
  return {200,
          {{"status", "healthy"},
           {"model_loaded", state.phase == Phase::kReady},
           {"model_loading", state.phase == Phase::kLoading},
           {"server_initializing", state.phase == Phase::kInitializing},
           {"progress", {{"stage", Stage(state.phase)}}},
           {"job_id", JobId(config)},
           {"timestamp", IsoTimestamp(now)}}};
}

std::optional<HttpAnswer> ChatNotReadyAnswer(
    const BackendState::Snapshot& state) {
  switch (state.phase) {
    case Phase::kInitializing:
    case Phase::kLoading:
      return ErrorAnswer(202, ErrorType(state.phase), state.message);
    case Phase::kInitFailed:
    case Phase::kLoadFailed:
    case Phase::kNotLoaded:
      return ErrorAnswer(503, ErrorType(state.phase), state.message);
    case Phase::kReady:
      break;
  }
  return std::nullopt;
}

}  // namespace tao::fakes
