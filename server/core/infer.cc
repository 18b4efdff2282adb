// ServiceManager::Infer: route, validate, send once, decode.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platforms/common/http/http_status.h"
#include "server/core/common/errors.h"
#include "server/core/placement.h"
#include "server/core/routing/chat_request.h"
#include "server/core/routing/router.h"
#include "server/core/service_manager.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;

// True when no connection was made, so the request was never sent.
bool IsCouldNotConnect(const absl::Status& status) {
  return platforms::http::RequestNotSent(status);
}

// True when the backend certainly did not accept the request, so sending it
// again cannot run it twice: it answered "not ready" (202/503), or no
// connection was made.
bool NotAccepted(const absl::Status& status) {
  if (!absl::IsUnavailable(status)) return false;
  std::optional<v1::ErrorDetails> details = GetDetails(status);
  if (details) return details->reason_code() == v1::ERROR_REASON_NOT_READY;
  return IsCouldNotConnect(status);
}

// Backends answering "not ready" although their readiness route says ready
// would otherwise keep a caller without deadline waiting forever.
constexpr int kMaxNotAcceptedRetries = 5;

// Request bodies never carry secrets (spec §8): text and URLs holding a
// secret's value are refused before anything is sent.
absl::Status RefuseSecretValues(const v1::InferRequest& request,
                                const platforms::Redactor& redactor) {
  for (int m = 0; m < request.messages_size(); ++m) {
    const v1::ChatMessage& message = request.messages(m);
    for (int p = 0; p < message.parts_size(); ++p) {
      const v1::ContentPart& part = message.parts(p);
      std::string text;
      std::string field = absl::StrCat("messages[", m, "].parts[", p, "]");
      if (part.has_image() && part.image().has_url()) {
        text = part.image().url();
        absl::StrAppend(&field, ".image.url");
      } else if (part.has_video() && part.video().has_url()) {
        text = part.video().url();
        absl::StrAppend(&field, ".video.url");
      } else if (part.kind_case() == v1::ContentPart::kText) {
        text = part.text();
        absl::StrAppend(&field, ".text");
      }
      if (!text.empty() && redactor.Redact(text) != text) {
        return InvalidField(field,
                            "contains the value of a secret set in "
                            "tao-inferd's environment; secrets are never "
                            "sent to a model");
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool ServiceManager::RepairPlacement(const registry::ServiceEntry& entry) {
  absl::StatusOr<platforms::Platform*> platform = PlatformOf(entry);
  if (!platform.ok()) return false;
  platforms::Placement placement = PlacementOf(entry);
  absl::StatusOr<platforms::RuntimeState> runtime =
      EnsureReachable(**platform, entry.job_id, placement);
  return runtime.ok() &&
         runtime->phase == platforms::RuntimeState::Phase::kRunning;
}

absl::StatusOr<std::vector<std::string>> ServiceManager::EndpointHeadersOf(
    const registry::ServiceEntry& entry) {
  absl::StatusOr<platforms::Platform*> platform = PlatformOf(entry);
  if (!platform.ok()) return platform.status();
  absl::StatusOr<std::vector<std::string>> headers =
      (*platform)->EndpointHeaders(PlacementOf(entry));
  if (!headers.ok()) {
    return absl::Status(
        headers.status().code(),
        absl::StrCat("cannot call service ", entry.job_id, " on platform ",
                     entry.platform, ": ",
                     redactor_.Redact(headers.status().message())));
  }
  return headers;
}

absl::StatusOr<v1::InferResponse> ServiceManager::Infer(
    const v1::InferRequest& request, absl::Time deadline,
    const std::function<bool()>& cancelled) {
  if (absl::Status s = RefuseSecretValues(request, redactor_); !s.ok()) {
    return s;
  }
  absl::StatusOr<registry::RegistryState> state = options_.registry->Read();
  if (!state.ok()) return state.status();
  routing::Target target;
  if (request.target_case() == v1::InferRequest::kJobId) {
    if (request.job_id().empty()) return InvalidField("job_id", "is empty");
    target.job_id = request.job_id();
  } else if (request.target_case() == v1::InferRequest::kNetworkArch) {
    if (request.network_arch().empty()) {
      return InvalidField("network_arch", "is empty");
    }
    target.network_arch = request.network_arch();
  }
  absl::StatusOr<registry::ServiceEntry> entry = routing::Route(*state, target);
  if (!entry.ok()) return entry.status();

  absl::StatusOr<const catalog::ArchRules*> rules =
      options_.catalog->Rules(entry->network_arch);
  if (!rules.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("service ", entry->job_id, " runs ", entry->network_arch,
                     ", which this server's catalog does not describe"));
  }
  absl::StatusOr<routing::ChatRequest> chat =
      routing::BuildChatRequest(request, **rules);
  if (!chat.ok()) return chat.status();

  absl::StatusOr<std::vector<std::string>> headers = EndpointHeadersOf(*entry);
  if (!headers.ok()) return headers.status();
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<backend::ChatReply> reply =
        options_.backend->PostChatCompletion(entry->host_url, chat->json_body,
                                             deadline, cancelled, *headers);
    if (!reply.ok()) {
      // Nothing listened: the request was never sent. EnsureReachable lets
      // the driver repair what it can (a SLURM tunnel that died), then one
      // more try is safe.
      if (attempt == 0 && IsCouldNotConnect(reply.status()) &&
          RepairPlacement(*entry)) {
        continue;
      }
      if (request.wait_for_ready() && NotAccepted(reply.status()) &&
          attempt < kMaxNotAcceptedRetries) {
        if (absl::Status s = AwaitReady(*entry, deadline, cancelled); !s.ok()) {
          return s;
        }
        continue;
      }
      return reply.status();
    }
    absl::StatusOr<v1::InferResponse> response =
        routing::ParseChatReply(reply->body);
    if (!response.ok()) return response.status();
    response->set_job_id(entry->job_id);
    response->set_network_arch(entry->network_arch);
    response->set_host_url(entry->host_url);
    *response->mutable_applied() = chat->applied;
    return response;
  }
}

}  // namespace tao::core
