#include "tests/fakes/reference_backend_state.h"

#include "absl/strings/str_cat.h"

namespace tao::fakes {
namespace {

using Json = nlohmann::json;

void CutLongStrings(Json& json) {
  if (json.is_string()) {
    const std::string& text = json.get_ref<const std::string&>();
    if (text.size() > kMaxLoggedStringChars) {
      json = absl::StrCat(text.substr(0, kKeptChars), "...[",
                          text.size() - kKeptChars, " more characters]");
    }
  } else if (json.is_structured()) {
    for (Json& child : json) CutLongStrings(child);
  }
}

}  // namespace

absl::StatusOr<Phase> PhaseFromName(absl::string_view name) {
  if (name == "initializing") return Phase::kInitializing;
  if (name == "init_failed") return Phase::kInitFailed;
  if (name == "not_loaded") return Phase::kNotLoaded;
  if (name == "loading") return Phase::kLoading;
  if (name == "load_failed") return Phase::kLoadFailed;
  if (name == "ready") return Phase::kReady;
  return absl::InvalidArgumentError(absl::StrCat(
      "state must be initializing, init_failed, not_loaded, loading, "
      "load_failed or ready, got '",
      name, "'"));
}

BackendState::Snapshot BackendState::Current() const {
  absl::MutexLock lock(&mu_);
  return {phase_, message_};
}

bool BackendState::Advance(Phase phase, absl::string_view message) {
  absl::MutexLock lock(&mu_);
  if (overridden_) return false;
  phase_ = phase;
  message_ = std::string(message);
  return true;
}

void BackendState::Override(Phase phase, absl::string_view message) {
  absl::MutexLock lock(&mu_);
  overridden_ = true;
  phase_ = phase;
  message_ = std::string(message);
}

void BackendState::AddScript(ChatScript script) {
  absl::MutexLock lock(&mu_);
  if (script.count != 0) scripts_.push_back(std::move(script));
}

void BackendState::ClearScripts() {
  absl::MutexLock lock(&mu_);
  scripts_.clear();
}

std::optional<ChatScript> BackendState::NextScript() {
  absl::MutexLock lock(&mu_);
  if (scripts_.empty()) return std::nullopt;
  ChatScript script = scripts_.front();
  if (scripts_.front().count > 0 && --scripts_.front().count == 0) {
    scripts_.pop_front();
  }
  return script;
}

void BackendState::RecordRequest(absl::string_view body) {
  Json json = Json::parse(body.begin(), body.end(), nullptr,
                          /*allow_exceptions=*/false);
  if (json.is_discarded()) json = std::string(body);
  CutLongStrings(json);
  absl::MutexLock lock(&mu_);
  requests_.push_back(std::move(json));
}

Json BackendState::Requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

}  // namespace tao::fakes
