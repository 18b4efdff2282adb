#include "tests/fakes/brev/ssh_files.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/fakes/brev/instance_machine.h"

namespace tao::fakes::brev {
namespace {

namespace fs = std::filesystem;

absl::Status WriteFile(const std::string& path, const std::string& text,
                       fs::perms mode) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      return absl::InternalError(absl::StrCat("fake-brev: cannot write ", tmp));
    }
  }
  std::error_code error;
  fs::permissions(tmp, mode, error);
  fs::rename(tmp, path, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("fake-brev: cannot write ", path, ": ", error.message()));
  }
  return absl::OkStatus();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr fs::perms kOwnerOnly = fs::perms::owner_read | fs::perms::owner_write;

}  // namespace

BrevSshPaths SshPathsFor(const std::string& home) {
  return {home + "/.brev/ssh_config", home + "/.brev/brev.pem",
          home + "/.ssh/config", home + "/.ssh"};
}

std::string HostBlock(const std::string& alias, const std::string& home,
                      const SshdBacking& sshd, const std::string& loopback) {
  const BrevSshPaths paths = SshPathsFor(home);
  return absl::StrCat("Host ", alias, "\n",                    //
                      "  Hostname ", sshd.host, "\n",          //
                      "  IdentityFile \"", paths.key, "\"\n",  //
                      "  User ", sshd.user, "\n",
                      "  ServerAliveInterval 30\n"
                      "  UserKnownHostsFile /dev/null\n"
                      "  IdentitiesOnly yes\n"
                      "  StrictHostKeyChecking no\n"
                      "  PasswordAuthentication no\n"
                      "  AddKeysToAgent yes\n"
                      "  ForwardAgent yes\n"
                      "  RequestTTY yes\n"
                      "  ControlMaster auto\n"
                      "  ControlPath ",
                      paths.control_dir, "/brev-control-%n\n",
                      "  ControlPersist 10m\n"
                      "  Port ",
                      sshd.port, "\n",  //
                      "  SetEnv FAKE_BREV_LOOPBACK=", loopback, "\n\n");
}

absl::Status WriteBrevSshFiles(const std::string& home,
                               const std::vector<RunningInstance>& running,
                               const SshdBacking* sshd) {
  const BrevSshPaths paths = SshPathsFor(home);
  std::error_code ignored;
  fs::create_directories(home + "/.brev", ignored);
  fs::create_directories(paths.control_dir, ignored);
  fs::permissions(paths.control_dir, fs::perms::owner_all, ignored);

  if (sshd != nullptr) {
    const std::string key = ReadFile(sshd->key_path);
    if (key.empty()) {
      return absl::InternalError(
          absl::StrCat("fake-brev: cannot read the key ", sshd->key_path));
    }
    if (absl::Status written = WriteFile(paths.key, key, kOwnerOnly);
        !written.ok()) {
      return written;
    }
  }
  std::string config = "# included in ~/.ssh/config\n";
  if (sshd != nullptr && !running.empty()) {
    if (absl::Status written = WriteMachineFiles(); !written.ok()) {
      return written;
    }
    for (const RunningInstance& instance : running) {
      const std::string loopback = InstanceLoopback(instance.id);
      absl::StrAppend(
          &config, HostBlock(instance.name, home, *sshd, loopback),
          HostBlock(instance.name + "-host", home, *sshd, loopback));
    }
  }
  if (absl::Status written = WriteFile(paths.config, config, kOwnerOnly);
      !written.ok()) {
    return written;
  }
  const std::string include = absl::StrCat("Include \"", paths.config, "\"");
  const std::string user_config = ReadFile(paths.user_config);
  if (absl::StrContains(user_config, include)) return absl::OkStatus();
  return WriteFile(paths.user_config, absl::StrCat(include, "\n", user_config),
                   kOwnerOnly);
}

}  // namespace tao::fakes::brev
