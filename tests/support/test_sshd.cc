#include "tests/support/test_sshd.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tao::tests {

absl::StatusOr<platforms::SshTarget> TestSshd() {
  const char* dir = std::getenv("TAO_SSHD_DIR");
  const std::string env_file = absl::StrCat(
      dir != nullptr && *dir != '\0' ? dir : "/tmp/tao-sshd", "/sshd.env");
  std::ifstream in(env_file);
  if (!in) {
    return absl::UnavailableError(
        absl::StrCat("no ", env_file, " (run scripts/sshd-up)"));
  }
  std::map<std::string, std::string> values;
  for (std::string line; std::getline(in, line);) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    values[kv.first] = kv.second;
  }
  platforms::SshTarget target;
  target.host = values["SLURM_HOSTNAME"];
  target.user = values["SLURM_USER"];
  target.key_path = values["SSH_KEY_PATH"];
  target.known_hosts = values["SLURM_SSH_KNOWN_HOSTS"];
  if (target.host.empty() ||
      !absl::SimpleAtoi(values["SLURM_SSH_PORT"], &target.port)) {
    return absl::UnavailableError(
        absl::StrCat(env_file, " lacks SLURM_HOSTNAME or SLURM_SSH_PORT"));
  }
  return target;
}

}  // namespace tao::tests
