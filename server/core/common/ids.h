// Identifiers and timestamps in the formats of the original registry.
#ifndef TAO_SERVER_CORE_COMMON_IDS_H_
#define TAO_SERVER_CORE_COMMON_IDS_H_

#include <string>

#include "absl/time/time.h"

namespace tao::core {

// A random RFC 4122 version-4 UUID, like Python's str(uuid.uuid4()).
std::string NewJobId();

// Like Python's datetime.now(timezone.utc).isoformat():
// "2026-05-03T23:30:00.123456+00:00". Same-format strings sort by time,
// which the registry's `latest` rule relies on.
std::string IsoTimestamp(absl::Time time);

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_COMMON_IDS_H_
