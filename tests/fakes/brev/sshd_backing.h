// The machine behind every fake instance: the real OpenSSH server that
// scripts/sshd-up runs on 127.0.0.1 (its address, login user and client key
// from $TAO_SSHD_DIR/sshd.env, read by tests/support/test_sshd.h). A
// `docker run` sent through exec therefore runs on the real engine of this
// host, if the login user may use it.
#ifndef TAO_TESTS_FAKES_BREV_SSHD_BACKING_H_
#define TAO_TESTS_FAKES_BREV_SSHD_BACKING_H_

#include <string>

#include "absl/status/statusor.h"
#include "tests/fakes/brev/knobs.h"

namespace tao::fakes::brev {

struct SshdBacking {
  std::string host;
  int port = 0;
  std::string user;  // FAKE_BREV_SSH_USER, else sshd.env's
  std::string key_path;
};

// UNAVAILABLE saying what to start when there is no sshd.env.
absl::StatusOr<SshdBacking> FindSshdBacking(const Knobs& knobs);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_SSHD_BACKING_H_
