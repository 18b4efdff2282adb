#include "tests/fakes/kubernetes/control_routes.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"
#include "tests/fakes/kubernetes/faults.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

void Reply(const absl::Status& status, json ok_body,
           httplib::Response& response) {
  if (status.ok()) {
    response.status = 200;
    response.set_content(ok_body.dump(), "application/json");
    return;
  }
  int code = 400;
  if (absl::IsNotFound(status)) code = 404;
  if (absl::IsFailedPrecondition(status)) code = 409;
  response.status = code;
  response.set_content(json{{"error", std::string(status.message())}}.dump(),
                       "application/json");
}

}  // namespace

void HandleControlRequest(const ControlContext& context,
                          const httplib::Request& request,
                          httplib::Response& response) {
  std::vector<std::string> parts =
      absl::StrSplit(request.path, '/', absl::SkipEmpty());
  // parts[0] == "_fake"
  const std::string& method = request.method;
  json body = request.body.empty() ? json::object()
                                   : json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    Reply(absl::InvalidArgumentError("the body is not valid JSON"), nullptr,
          response);
    return;
  }
  if (parts.size() == 2 && parts[1] == "healthz") {
    Reply(absl::OkStatus(), "ok", response);
  } else if (parts.size() == 4 && parts[1] == "pods" && method == "POST") {
    Reply(context.cluster->ScriptPod(parts[2], parts[3], body),
          {{"pod", parts[3]}}, response);
  } else if (parts.size() == 5 && parts[1] == "jobs" && parts[4] == "pod") {
    absl::StatusOr<std::string> pod =
        context.cluster->JobPodName(parts[2], parts[3]);
    if (!pod.ok()) {
      Reply(pod.status(), nullptr, response);
    } else if (method == "POST") {
      Reply(context.cluster->ScriptPod(parts[2], *pod, body), {{"pod", *pod}},
            response);
    } else {
      Reply(absl::OkStatus(), {{"pod", *pod}}, response);
    }
  } else if (parts.size() == 5 && parts[1] == "services" &&
             parts[4] == "ingress" && method == "POST") {
    Reply(context.cluster->SetLoadBalancerIngress(parts[2], parts[3], body),
          {{"service", parts[3]}}, response);
  } else if (parts.size() == 2 && parts[1] == "faults") {
    if (method == "DELETE") {
      context.faults->Clear();
      Reply(absl::OkStatus(), json::object(), response);
    } else {
      absl::StatusOr<Fault> fault = FaultFromJson(body);
      if (fault.ok()) context.faults->Add(*std::move(fault));
      Reply(fault.status(), json::object(), response);
    }
  } else if (parts.size() == 2 && parts[1] == "requests") {
    if (method == "DELETE") {
      context.requests->Clear();
      Reply(absl::OkStatus(), json::object(), response);
    } else {
      Reply(absl::OkStatus(), context.requests->Entries(), response);
    }
  } else {
    Reply(absl::NotFoundError("no such control route; see "
                              "tests/fakes/kubernetes/control_routes.h"),
          nullptr, response);
  }
}

}  // namespace tao::fakes::kubernetes
