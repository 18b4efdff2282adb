// The real OpenSSH server on 127.0.0.1 that scripts/sshd-up starts for the
// tests, as an SshTarget read from $TAO_SSHD_DIR/sshd.env.
#ifndef TAO_TESTS_SUPPORT_TEST_SSHD_H_
#define TAO_TESTS_SUPPORT_TEST_SSHD_H_

#include "absl/status/statusor.h"
#include "platforms/common/ssh/ssh_target.h"

namespace tao::tests {

// The login of the test sshd (host, user, key, port, known_hosts), or
// UNAVAILABLE saying what to start. It does not try the login.
absl::StatusOr<platforms::SshTarget> TestSshd();

}  // namespace tao::tests

#endif  // TAO_TESTS_SUPPORT_TEST_SSHD_H_
