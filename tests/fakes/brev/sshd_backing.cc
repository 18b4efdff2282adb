#include "tests/fakes/brev/sshd_backing.h"

#include "absl/strings/str_cat.h"
#include "tests/support/test_sshd.h"

namespace tao::fakes::brev {

absl::StatusOr<SshdBacking> FindSshdBacking(const Knobs& knobs) {
  absl::StatusOr<platforms::SshTarget> sshd = tests::TestSshd();
  if (!sshd.ok()) {
    return absl::UnavailableError(
        absl::StrCat("fake-brev: no machine behind the instances: ",
                     sshd.status().message()));
  }
  SshdBacking backing;
  backing.host = sshd->host;
  backing.port = sshd->port;
  backing.user = knobs.ssh_user.empty() ? sshd->user : knobs.ssh_user;
  backing.key_path = sshd->key_path;
  return backing;
}

}  // namespace tao::fakes::brev
