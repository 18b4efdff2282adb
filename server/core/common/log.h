// One-line log records on stderr, safe to call from any thread. Callers pass
// only redacted text: nothing here knows what a secret is.
#ifndef TAO_SERVER_CORE_COMMON_LOG_H_
#define TAO_SERVER_CORE_COMMON_LOG_H_

#include "absl/strings/string_view.h"

namespace tao::core {

// "2026-11-27T10:00:00.123Z <level> <message>"
void Log(absl::string_view level, absl::string_view message);
inline void LogInfo(absl::string_view message) { Log("INFO", message); }
inline void LogWarning(absl::string_view message) { Log("WARN", message); }
inline void LogError(absl::string_view message) { Log("ERROR", message); }

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_COMMON_LOG_H_
