// What the fake `brev` reads from its environment on every call: where its
// state lives and the knobs tests turn (delays and faults). Names only, each
// with its default:
//
//   HOME                       the user's home (~/.brev, ~/.ssh live there)
//   FAKE_BREV_DIR              state.json, calls.jsonl, events.jsonl
//                              (default $HOME/.fake-brev)
//   FAKE_BREV_TOKEN            the token `login --token` accepts (unset: any)
//   FAKE_BREV_BOOT_MS          DEPLOYING -> RUNNING after create (1000)
//   FAKE_BREV_START_MS         STARTING -> RUNNING after start (1000)
//   FAKE_BREV_STOP_MS          STOPPING -> STOPPED after stop (500)
//   FAKE_BREV_DELETE_MS        DELETING -> gone after delete (500)
//   FAKE_BREV_POLL_MS          how often create/exec poll the status (5000,
//                              as the CLI's 5 s)
//   FAKE_BREV_SSH_WAIT_MS      pause between exec's "is ssh up" probes (1000)
//   FAKE_BREV_SSH_WAIT_TRIES   how many probes before giving up (40)
//   FAKE_BREV_FIRST_SSH_FAILS  this many ssh attempts to a NEW instance fail
//                              as if sshd were not up yet (0)
//   FAKE_BREV_CREATE_FAILURE   new instances end in FAILURE with this status
//                              message instead of RUNNING (unset)
//   FAKE_BREV_CREATE_ERROR     the API refuses every create with this text,
//                              a placement error (unset)
//   FAKE_BREV_LS_OUTPUT        `ls` prints this text instead of its answer
//                              (unset), the "ls returns non-JSON" fault
//   FAKE_BREV_ERROR_STREAM     "stdout" prints command errors to stdout as
//                              older CLI versions do (default stderr)
//   FAKE_BREV_SSH_USER         login user on the instance (default the
//                              user scripts/sshd-up wrote to sshd.env)
//   FAKE_BREV_INSTANCE_DOCKER_HOST  exported to every exec command, standing
//                              in for the engine an instance has at the
//                              default socket (unset: nothing exported)
//   TAO_SSHD_DIR               where sshd.env is (default /tmp/tao-sshd)
//   DOCKER_HOST                the engine whose containers delete reaps
#ifndef TAO_TESTS_FAKES_BREV_KNOBS_H_
#define TAO_TESTS_FAKES_BREV_KNOBS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tao::fakes::brev {

struct Knobs {
  std::string home;
  std::string fake_dir;
  std::optional<std::string> token;
  absl::Duration boot = absl::Milliseconds(1000);
  absl::Duration start = absl::Milliseconds(1000);
  absl::Duration stop = absl::Milliseconds(500);
  absl::Duration deletion = absl::Milliseconds(500);
  absl::Duration poll = absl::Seconds(5);
  absl::Duration ssh_wait = absl::Seconds(1);
  int ssh_wait_tries = 40;
  int first_ssh_fails = 0;
  std::optional<std::string> create_failure;
  std::optional<std::string> create_error;
  std::optional<std::string> ls_output;
  bool errors_to_stdout = false;
  std::string ssh_user;
  std::string instance_docker_host;
  std::string docker_host;
};

// The knobs of this process's environment. INVALID_ARGUMENT naming the
// variable when a number does not parse or HOME is unset.
absl::StatusOr<Knobs> ReadKnobs();

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_KNOBS_H_
