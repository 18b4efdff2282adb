#include "platforms/common/log.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tao::platforms {

void Log(absl::string_view level, absl::string_view message) {
  static absl::Mutex mu(absl::kConstInit);
  // Line breaks are escaped so that every record is one line and a message
  // (say, a backend's error text) cannot forge further records.
  std::string line = absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                       absl::UTCTimeZone()),
      " ", level, " ",
      absl::StrReplaceAll(message, {{"\n", "\\n"}, {"\r", "\\r"}}), "\n");
  absl::MutexLock lock(&mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace tao::platforms
