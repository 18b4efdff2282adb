// Random job ids for tests, in the server's format (RFC 4122 version 4,
// like Python's str(uuid.uuid4())), unique across concurrent test
// processes.
#ifndef TAO_TESTS_SUPPORT_RANDOM_JOB_ID_H_
#define TAO_TESTS_SUPPORT_RANDOM_JOB_ID_H_

#include <cstdint>
#include <mutex>
#include <random>
#include <string>

#include "absl/strings/str_format.h"

namespace tao::tests {

inline std::string RandomJobId() {
  static std::mutex mu;
  static std::mt19937_64 random(std::random_device{}());
  std::lock_guard<std::mutex> lock(mu);
  const uint64_t a = random(), b = random();
  return absl::StrFormat("%08x-%04x-4%03x-%04x-%012x", a >> 32,
                         (a >> 16) & 0xFFFF, a & 0xFFF,
                         0x8000 | ((b >> 48) & 0x3FFF), b & 0xFFFFFFFFFFFF);
}

}  // namespace tao::tests

#endif  // TAO_TESTS_SUPPORT_RANDOM_JOB_ID_H_
