#include "tests/fakes/lepton/deployment_record.h"

#include <utility>

#include "absl/time/clock.h"

namespace tao::fakes::lepton {
namespace {

using nlohmann::json;

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

}  // namespace

DeploymentRecord::DeploymentRecord(json metadata, json spec,
                                   std::string replica_id,
                                   std::string internal_endpoint)
    : name_(metadata.value("name", "")),
      metadata_([&] {
        // created_at is an int in [S] types/common.py Metadata; that it is
        // milliseconds is not verified.
        metadata["created_at"] = absl::ToUnixMillis(absl::Now());
        metadata["version"] = 1;
        return metadata;
      }()),
      spec_(std::move(spec)),
      replica_id_(std::move(replica_id)),
      internal_endpoint_(std::move(internal_endpoint)),
      readiness_message_("Pulling image"),
      readiness_since_(absl::Now()) {}

std::vector<std::string> DeploymentRecord::ApiTokens() const {
  std::vector<std::string> tokens;
  for (const json& token : spec_.value("api_tokens", json::array())) {
    if (token.contains("value") && token["value"].is_string()) {
      tokens.push_back(token["value"].get<std::string>());
    }
  }
  return tokens;
}

int DeploymentRecord::ContainerPort() const {
  const json ports =
      spec_.value("container", json::object()).value("ports", json::array());
  return ports.empty() ? 0 : ports[0].value("container_port", 0);
}

void DeploymentRecord::SetExternalEndpoint(const std::string& url) {
  absl::MutexLock lock(&mu_);
  external_endpoint_ = url;
}

void DeploymentRecord::SetState(const std::string& state) {
  absl::MutexLock lock(&mu_);
  if (state_ == kDeleting) return;  // nothing brings a deleted one back
  state_ = state;
}

std::string DeploymentRecord::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

void DeploymentRecord::SetReadiness(const std::string& reason,
                                    const std::string& message) {
  absl::MutexLock lock(&mu_);
  if (reason == readiness_reason_ && message == readiness_message_) return;
  readiness_reason_ = reason;
  readiness_message_ = message;
  readiness_since_ = absl::Now();
}

void DeploymentRecord::AddTermination(const Termination& termination) {
  absl::MutexLock lock(&mu_);
  terminations_.push_back(termination);
}

void DeploymentRecord::AddEvent(const std::string& type,
                                const std::string& reason,
                                const std::string& message) {
  absl::MutexLock lock(&mu_);
  if (!events_.empty() && events_.back().type == type &&
      events_.back().reason == reason) {
    events_.back().count++;
    events_.back().message = message;
    events_.back().last_observed = absl::Now();
    return;
  }
  events_.push_back({type, reason, message, 1, absl::Now()});
}

void DeploymentRecord::SetBackend(std::optional<TcpBackend> backend) {
  absl::MutexLock lock(&mu_);
  backend_ = std::move(backend);
}

std::optional<TcpBackend> DeploymentRecord::ReadyBackend() const {
  absl::MutexLock lock(&mu_);
  if (state_ != kReady) return std::nullopt;
  return backend_;
}

json DeploymentRecord::ToJson() const {
  absl::MutexLock lock(&mu_);
  // status.endpoint is required by [S] LeptonDeploymentStatus: the SDK
  // cannot parse a deployment without it.
  return {{"metadata", metadata_},
          {"spec", spec_},
          {"status",
           {{"state", state_},
            {"endpoint",
             {{"internal_endpoint", internal_endpoint_},
              {"external_endpoint", external_endpoint_}}}}}};
}

json DeploymentRecord::ReadinessJson() const {
  absl::MutexLock lock(&mu_);
  // creationTimestamp is a string in [S] types/readiness.py; RFC 3339 is
  // the fake's guess (not verified).
  return {{replica_id_,
           json::array({{{"reason", readiness_reason_},
                         {"message", readiness_message_},
                         {"creationTimestamp", Rfc3339(readiness_since_)}}})}};
}

json DeploymentRecord::TerminationsJson() const {
  absl::MutexLock lock(&mu_);
  json list = json::array();
  for (const Termination& t : terminations_) {
    // Ints in [S] types/termination.py; Unix seconds is not verified.
    list.push_back({{"started_at", absl::ToUnixSeconds(t.started_at)},
                    {"finished_at", absl::ToUnixSeconds(t.finished_at)},
                    {"exit_code", t.exit_code},
                    {"reason", t.reason},
                    {"message", t.message}});
  }
  json out = json::object();
  if (!list.empty()) out[replica_id_] = std::move(list);
  return out;
}

json DeploymentRecord::EventsJson() const {
  absl::MutexLock lock(&mu_);
  json list = json::array();
  for (const Event& e : events_) {
    // [S] types/events.py: type, reason, regarding (a Kubernetes
    // ObjectReference), count, last_observed_time. `message` is the
    // fake's addition (Kubernetes events carry one).
    list.push_back(
        {{"type", e.type},
         {"reason", e.reason},
         {"message", e.message},
         {"regarding", {{"kind", "LeptonDeployment"}, {"name", name_}}},
         {"count", e.count},
         {"last_observed_time", Rfc3339(e.last_observed)}});
  }
  return list;
}

json DeploymentRecord::ReplicasJson() const {
  // [S] types/replica.py; the node is the fake's one machine.
  return json::array(
      {{{"id", replica_id_},
        {"metadata", {{"id", replica_id_}, {"name", replica_id_}}},
        {"status",
         {{"public_ip", ""},
          {"node", {{"name", "fake-lepton-node"}, {"id", "fake-lepton-node"}}},
          {"domains", json::array()}}}}});
}

}  // namespace tao::fakes::lepton
