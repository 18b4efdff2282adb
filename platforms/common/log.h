// One-line log records on stderr, safe to call from any thread; the server
// core and every driver log through it. Callers pass only redacted text
// (see redactor.h): nothing here knows what a secret is.
#ifndef TAO_PLATFORMS_COMMON_LOG_H_
#define TAO_PLATFORMS_COMMON_LOG_H_

#include "absl/strings/string_view.h"

namespace tao::platforms {

// "2026-11-27T10:00:00.123Z <level> <message>"
void Log(absl::string_view level, absl::string_view message);
inline void LogInfo(absl::string_view message) { Log("INFO", message); }
inline void LogWarning(absl::string_view message) { Log("WARN", message); }
inline void LogError(absl::string_view message) { Log("ERROR", message); }

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_COMMON_LOG_H_
