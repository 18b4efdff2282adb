#include "tests/fakes/reference_backend_launch.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace tao::fakes {

nlohmann::json CollectLaunchInfo(const std::vector<std::string>& argv,
                                 char** environment, const LaunchConfig& config,
                                 int port) {
  nlohmann::json env = nlohmann::json::object();
  for (char** entry = environment; entry != nullptr && *entry != nullptr;
       ++entry) {
    const char* eq = std::strchr(*entry, '=');
    if (eq == nullptr) continue;
    env[std::string(*entry, eq - *entry)] = std::string(eq + 1);
  }
  char cwd[PATH_MAX] = {0};
  if (getcwd(cwd, sizeof(cwd)) == nullptr) cwd[0] = '\0';
  return {{"argv", argv},
          {"env", std::move(env)},
          {"cwd", std::string(cwd)},
          {"pid", static_cast<int>(getpid())},
          {"port", port},
          {"arch", ArchName(config.arch)},
          {"model_path", config.model_path}};
}

std::vector<std::string> EnvironmentNames(char** environment) {
  std::vector<std::string> names;
  for (char** entry = environment; entry != nullptr && *entry != nullptr;
       ++entry) {
    const char* eq = std::strchr(*entry, '=');
    names.emplace_back(*entry, eq == nullptr
                                   ? std::strlen(*entry)
                                   : static_cast<size_t>(eq - *entry));
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::Status WriteLaunchFile(const nlohmann::json& info,
                             const std::string& path) {
  const std::string temp = path + ".tmp";
  const std::string text = info.dump(2) + "\n";
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    return absl::InternalError(
        absl::StrCat("cannot create ", temp, ": ", std::strerror(errno)));
  }
  const bool written =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  if (!written || std::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace tao::fakes
