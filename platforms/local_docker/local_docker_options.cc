#include "platforms/local_docker/local_docker_options.h"

#include <sys/utsname.h>

#include <cstdlib>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tao::platforms::local_docker {
namespace {

std::optional<std::string> GetEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

absl::Status BadVariable(const char* name, const std::string& value,
                         absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(name, "='", value, "': expected ", expected));
}

}  // namespace

absl::StatusOr<int64_t> ParseByteSize(const std::string& text) {
  std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  if (absl::EndsWith(t, "ib")) {
    t.resize(t.size() - 2);
  } else if (absl::EndsWith(t, "b")) {
    t.resize(t.size() - 1);
  }
  int shift = 0;
  if (!t.empty()) {
    switch (t.back()) {
      case 'k':
        shift = 10;
        break;
      case 'm':
        shift = 20;
        break;
      case 'g':
        shift = 30;
        break;
      case 't':
        shift = 40;
        break;
      default:
        break;
    }
    if (shift != 0) t.pop_back();
  }
  int64_t value = 0;
  if (!absl::SimpleAtoi(t, &value) || value <= 0 ||
      value > (std::numeric_limits<int64_t>::max() >> shift)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a size such as 16g, 512m or 4096"));
  }
  return value << shift;
}

bool IsTegraHost() {
  struct utsname u;
  if (uname(&u) != 0) return false;
  const std::string all = absl::AsciiStrToLower(
      absl::StrCat(u.sysname, " ", u.nodename, " ", u.release, " ", u.version,
                   " ", u.machine));
  return absl::StrContains(all, "tegra");
}

absl::StatusOr<LocalDockerOptions> OptionsFromEnvironment(
    const EnvLookup& lookup) {
  const EnvLookup get = lookup ? lookup : EnvLookup(&GetEnv);
  auto value = [&get](const char* name) { return get(name).value_or(""); };
  LocalDockerOptions options;
  options.docker_host = value("DOCKER_HOST");
  if (std::string v = value("DOCKER_NETWORK"); !v.empty()) {
    options.container.network = v;
  }
  if (std::string v = value("TAO_DOCKER_BIND_ADDRESS"); !v.empty()) {
    options.container.bind_address = v;
  }

  const std::string gpus = value("TAO_DOCKER_GPUS");
  if (gpus == "none") {
    options.container.gpus_enabled = false;
  } else if (!gpus.empty() && gpus != "requested") {
    return BadVariable("TAO_DOCKER_GPUS", gpus, "none or requested");
  }

  const std::string tegra = value("TAO_DOCKER_TEGRA");
  if (tegra.empty() || tegra == "auto") {
    options.container.tegra = IsTegraHost();
  } else if (tegra == "1" || tegra == "true") {
    options.container.tegra = true;
  } else if (tegra == "0" || tegra == "false") {
    options.container.tegra = false;
  } else {
    return BadVariable("TAO_DOCKER_TEGRA", tegra, "auto, 1 or 0");
  }

  if (std::string v = value("TAO_DOCKER_SHM_SIZE"); !v.empty()) {
    absl::StatusOr<int64_t> size = ParseByteSize(v);
    if (!size.ok()) return BadVariable("TAO_DOCKER_SHM_SIZE", v, "e.g. 16g");
    options.container.shm_size_bytes = *size;
  }
  if (std::string v = value("TAO_DOCKER_STOP_GRACE_SECONDS"); !v.empty()) {
    int seconds = 0;
    if (!absl::SimpleAtoi(v, &seconds) || seconds < 0) {
      return BadVariable("TAO_DOCKER_STOP_GRACE_SECONDS", v,
                         "a whole number of seconds");
    }
    options.stop_grace = absl::Seconds(seconds);
  }
  options.ngc_api_key = value("NGC_API_KEY");
  if (options.ngc_api_key.empty()) options.ngc_api_key = value("NGC_KEY");
  return options;
}

}  // namespace tao::platforms::local_docker
