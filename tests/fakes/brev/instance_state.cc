#include "tests/fakes/brev/instance_state.h"

#include <random>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tao::fakes::brev {

using nlohmann::json;

Instance* State::Find(const std::string& name) {
  for (Instance& instance : instances) {
    if (instance.name == name) return &instance;
  }
  return nullptr;
}

std::string NewInstanceId() {
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  std::string id;
  for (int i = 0; i < 9; ++i) id += kChars[random() % 36];
  return id;
}

namespace {

json ToJson(const PortForward& forward) {
  return {{"pid", forward.pid},
          {"start_ticks", forward.start_ticks},
          {"local_port", forward.local_port},
          {"remote_port", forward.remote_port},
          {"alias", forward.alias}};
}

json ToJson(const Instance& instance) {
  json out = {{"name", instance.name},
              {"id", instance.id},
              {"status", instance.status},
              {"build_status", instance.build_status},
              {"health_status", instance.health_status},
              {"instance_type", instance.instance_type},
              {"instance_kind", instance.instance_kind},
              {"gpu", instance.gpu},
              {"status_message", instance.status_message},
              {"created_ms", instance.created_ms},
              {"stoppable", instance.stoppable},
              {"ssh_failures", instance.ssh_failures},
              {"deploy_result", instance.deploy_result},
              {"containers", instance.containers},
              {"port_forwards", json::array()},
              {"transition", nullptr}};
  for (const PortForward& forward : instance.port_forwards) {
    out["port_forwards"].push_back(ToJson(forward));
  }
  if (instance.transition.has_value()) {
    out["transition"] = {{"to", instance.transition->to},
                         {"at_ms", instance.transition->at_ms}};
  }
  return out;
}

Instance InstanceFromJson(const json& in) {
  Instance instance;
  instance.name = in.value("name", "");
  instance.id = in.value("id", "");
  instance.status = in.value("status", "");
  instance.build_status = in.value("build_status", "");
  instance.health_status = in.value("health_status", "");
  instance.instance_type = in.value("instance_type", "");
  instance.instance_kind = in.value("instance_kind", "gpu");
  instance.gpu = in.value("gpu", "");
  instance.status_message = in.value("status_message", "");
  instance.created_ms = in.value("created_ms", int64_t{0});
  instance.stoppable = in.value("stoppable", true);
  instance.ssh_failures = in.value("ssh_failures", 0);
  instance.deploy_result = in.value("deploy_result", "RUNNING");
  instance.containers = in.value("containers", std::vector<std::string>{});
  for (const json& forward : in.value("port_forwards", json::array())) {
    instance.port_forwards.push_back(
        {forward.value("pid", 0), forward.value("start_ticks", uint64_t{0}),
         forward.value("local_port", 0), forward.value("remote_port", 0),
         forward.value("alias", "")});
  }
  const json transition = in.value("transition", json());
  if (transition.is_object()) {
    instance.transition = Transition{transition.value("to", ""),
                                     transition.value("at_ms", int64_t{0})};
  }
  return instance;
}

}  // namespace

json ToJson(const State& state) {
  json out = {{"token_expired", state.token_expired},
              {"instances", json::array()}};
  for (const Instance& instance : state.instances) {
    out["instances"].push_back(ToJson(instance));
  }
  return out;
}

absl::StatusOr<State> StateFromJson(const json& json) {
  if (!json.is_object() ||
      !json.value("instances", nlohmann::json()).is_array()) {
    return absl::InvalidArgumentError("not a fake-brev state");
  }
  State state;
  try {
    state.token_expired = json.value("token_expired", false);
    for (const nlohmann::json& instance : json["instances"]) {
      state.instances.push_back(InstanceFromJson(instance));
    }
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a fake-brev state: ", e.what()));
  }
  return state;
}

}  // namespace tao::fakes::brev
