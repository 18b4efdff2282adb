// The mutable state of the reference test backend: its lifecycle phase, the
// answers tests scripted through /_reference/control, and the chat request
// bodies it received. Thread-safe.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_STATE_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_STATE_H_

#include <deque>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"

namespace tao::fakes {

enum class Phase {
  kInitializing,  // server_initializing
  kInitFailed,    // initialization_error / initialization_failed
  kNotLoaded,     // model_not_ready / model_not_loaded
  kLoading,       // model_loading
  kLoadFailed,    // model_load_error / model_load_failed
  kReady,
};

// "initializing", "init_failed", "not_loaded", "loading", "load_failed",
// "ready" (the names /_reference/control accepts). Errors: INVALID_ARGUMENT.
absl::StatusOr<Phase> PhaseFromName(absl::string_view name);

// What the next chat requests get instead of (or before) a normal answer.
struct ChatScript {
  int delay_ms = 0;               // wait this long first
  bool close_connection = false;  // then drop the connection, no answer
  int status = 0;                 // else answer this HTTP status (0: normal)
  std::string error_type;         // ... with {"error":{"type","message"}}
  std::string message;
  int count = 1;  // how many requests it applies to; < 0: all from now on
};

// Strings longer than this are cut in the request log (media data URIs can
// be hundreds of MiB); the first kKeptChars characters stay.
inline constexpr size_t kMaxLoggedStringChars = 64 * 1024;
inline constexpr size_t kKeptChars = 256;

class BackendState {
 public:
  struct Snapshot {
    Phase phase;
    std::string message;  // why it failed, or what it is doing
  };

  Snapshot Current() const;
  // Lifecycle thread: moves to `phase` unless a test has taken control of
  // the phase; returns false then (the lifecycle should stop).
  bool Advance(Phase phase, absl::string_view message);
  // /_reference/control: sets the phase; the lifecycle no longer moves it.
  void Override(Phase phase, absl::string_view message);

  void AddScript(ChatScript script);
  void ClearScripts();
  // The script for the request being answered, if any (uses it up once).
  std::optional<ChatScript> NextScript();

  // Records a chat request body (JSON, or the raw text when not JSON), with
  // long strings cut.
  void RecordRequest(absl::string_view body);
  nlohmann::json Requests() const;  // a JSON array, oldest first

 private:
  mutable absl::Mutex mu_;
  Phase phase_ ABSL_GUARDED_BY(mu_) = Phase::kInitializing;
  std::string message_ ABSL_GUARDED_BY(mu_) = "Server is initializing";
  bool overridden_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<ChatScript> scripts_ ABSL_GUARDED_BY(mu_);
  nlohmann::json requests_ ABSL_GUARDED_BY(mu_) = nlohmann::json::array();
};

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_STATE_H_
