// What tests read back about how `brev` was used: every call in
// $FAKE_BREV_DIR/calls.jsonl (argv, what stdin/stdout/stderr were, the
// NAMES of the environment variables, never their values) and what the
// fake did behind it in events.jsonl (ssh runs, stdin names read,
// containers removed, port-forwards killed). One JSON object per line,
// each appended with a single write so that concurrent calls do not mix.
#ifndef TAO_TESTS_FAKES_BREV_CALL_LOG_H_
#define TAO_TESTS_FAKES_BREV_CALL_LOG_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/fakes/brev/stdio_kind.h"

namespace tao::fakes::brev {

class CallLog {
 public:
  explicit CallLog(std::string dir) : dir_(std::move(dir)) {}

  // {"time_ms","pid","argv":[...],"stdin","stdout","stderr","env":[names]}
  void RecordCall(const std::vector<std::string>& argv,
                  const StdioKinds& stdio) const;
  // `event` gets "time_ms" and "brev_pid" added; "event" names what
  // happened.
  void RecordEvent(nlohmann::json event) const;

 private:
  void Append(const std::string& file, const nlohmann::json& line) const;
  std::string dir_;
};

// The lines of a .jsonl file (for tests); unparseable lines are skipped.
std::vector<nlohmann::json> ReadJsonLines(const std::string& path);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_CALL_LOG_H_
