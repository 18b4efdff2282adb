// $FAKE_BREV_DIR/state.json under a lock: several `brev` processes (a
// server's threads, a test) may run at once, so every read-modify-write
// holds an exclusive flock on DIR/state.lock and the file is replaced by a
// rename, never rewritten in place.
#ifndef TAO_TESTS_FAKES_BREV_STATE_STORE_H_
#define TAO_TESTS_FAKES_BREV_STATE_STORE_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/fakes/brev/instance_state.h"

namespace tao::fakes::brev {

class StateStore {
 public:
  // Creates `dir` when missing (on first use).
  explicit StateStore(std::string dir) : dir_(std::move(dir)) {}

  // Under the lock: reads the state (empty when there is none), applies
  // the transitions due now, runs `change` and writes the result, also
  // when `change` fails (the transitions are facts). Returns `change`'s
  // status, or INTERNAL naming the file when it cannot be read or written.
  absl::Status Update(const std::function<absl::Status(State&)>& change);

  // The state now (transitions applied and stored).
  absl::StatusOr<State> Read();

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_STATE_STORE_H_
