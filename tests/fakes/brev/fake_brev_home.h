// A test's own brev world: a temporary HOME, FAKE_BREV_DIR and a bin
// folder whose `brev` is fake-brev, put first on PATH by Environment().
// Logged in by default (credentials.json holds token()). Tests run brev
// through Run() or hand Environment() to the process under test (a
// server), preset instances and faults through the state, and read back
// the calls and what the fake did.
//
// The destructor takes every instance's machine away (containers by name,
// port-forwards by pid), ends the ssh control masters left under HOME and
// removes the folder: nothing outlives the test.
#ifndef TAO_TESTS_FAKES_BREV_FAKE_BREV_HOME_H_
#define TAO_TESTS_FAKES_BREV_FAKE_BREV_HOME_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/brev/instance_state.h"
#include "tests/fakes/brev/process_run.h"

namespace tao::fakes::brev {

// The fake-brev executable this library was built with.
std::string FakeBrevBinary();

// Makes `bin_dir`/brev a symlink to FakeBrevBinary() (replacing one).
absl::Status InstallBrevShim(const std::string& bin_dir);

class FakeBrevHome {
 public:
  struct Options {
    bool logged_in = true;
    // FAKE_BREV_* knobs (and anything else) for every call; they override
    // the test defaults: 100 ms polls and ssh waits, 300 ms boot, start
    // and delete, 200 ms stop.
    std::map<std::string, std::string> env;
  };

  static absl::StatusOr<std::unique_ptr<FakeBrevHome>> Create(
      const Options& options);
  static absl::StatusOr<std::unique_ptr<FakeBrevHome>> Create() {
    return Create(Options{});
  }
  ~FakeBrevHome();
  FakeBrevHome(const FakeBrevHome&) = delete;
  FakeBrevHome& operator=(const FakeBrevHome&) = delete;

  const std::string& home() const { return home_; }
  const std::string& fake_dir() const { return fake_dir_; }
  const std::string& bin_dir() const { return bin_dir_; }
  const std::string& token() const { return token_; }
  std::string brev() const { return bin_dir_ + "/brev"; }
  std::string ssh_config() const { return home_ + "/.brev/ssh_config"; }

  // The environment brev runs with: this process's, with HOME,
  // FAKE_BREV_DIR, FAKE_BREV_TOKEN, PATH (bin_dir first) and the knobs.
  std::map<std::string, std::string> Environment() const;
  // Sets (or, with nullopt, removes) one variable for later calls.
  void SetEnv(const std::string& name, std::optional<std::string> value);

  // Runs `brev ARGS...` with stdin /dev/null, or `stdin_text` on a pipe.
  absl::StatusOr<ProcessResult> Run(
      const std::vector<std::string>& args,
      std::optional<std::string> stdin_text = std::nullopt,
      absl::Duration timeout = absl::Seconds(120)) const;

  // Adds an instance in `status` (type g6e.xlarge, L40S) as if it had
  // been created earlier; the ssh files are not refreshed.
  absl::Status Seed(const std::string& name,
                    const std::string& status = "RUNNING");
  // Changes the state under its lock (faults: health_status UNHEALTHY,
  // ssh_failures, stoppable, ...).
  absl::Status Change(const std::function<void(State&)>& change);
  // The instance stops by itself: STOPPED at once, its machine gone.
  absl::Status StopBehindOurBack(const std::string& name);
  // The stored login no longer counts (every call asks to log in).
  absl::Status ExpireToken();

  absl::StatusOr<State> ReadState() const;
  std::optional<Instance> FindInstance(const std::string& name) const;
  std::vector<nlohmann::json> Calls() const;
  std::vector<nlohmann::json> Events() const;

 private:
  FakeBrevHome() = default;
  std::string root_, home_, fake_dir_, bin_dir_, token_;
  std::map<std::string, std::string> env_;
};

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_FAKE_BREV_HOME_H_
