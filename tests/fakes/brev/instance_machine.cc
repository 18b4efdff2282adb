#include "tests/fakes/brev/instance_machine.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace tao::fakes::brev {
namespace {

namespace fs = std::filesystem;

// The instance's `docker`: marks the containers it runs with the instance,
// shows only those in `docker ps`, rewrites publish specs, then runs the
// next docker on PATH.
constexpr char kDockerWrapper[] = R"sh(#!/bin/bash
# fake-brev: the docker of a fake brev instance (instance_machine.h).
here="$(cd "$(dirname "$0")" && pwd)"
PATH="${PATH//$here:/}"
rebind() {
  local spec="$1" lb="$FAKE_BREV_LOOPBACK"
  case "$spec" in
    127.0.0.1:*) echo "$lb:${spec#127.0.0.1:}" ;;
    0.0.0.0:*) echo "$lb:${spec#0.0.0.0:}" ;;
    *:*:*|\[*) echo "$spec" ;;
    *:*) echo "$lb:$spec" ;;
    *) echo "$lb::$spec" ;;
  esac
}
mark="ai.tao.fake-brev.instance=$FAKE_BREV_LOOPBACK"
if [ -n "$FAKE_BREV_LOOPBACK" ] && [ "$1" = ps ]; then
  shift
  set -- ps --filter "label=$mark" "$@"
elif [ -n "$FAKE_BREV_LOOPBACK" ] && { [ "$1" = run ] || [ "$1" = create ]; }; then
  args=("$1" --label "$mark")
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      -p|--publish) args+=("$1" "$(rebind "$2")"); shift 2 ;;
      --publish=*) args+=("--publish=$(rebind "${1#--publish=}")"); shift ;;
      *) args+=("$1"); shift ;;
    esac
  done
  set -- "${args[@]}"
fi
exec docker "$@"
)sh";

absl::Status Write(const std::string& path, const std::string& text,
                   fs::perms mode) {
  const std::string tmp = absl::StrCat(path, ".", getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.good()) {
      return absl::InternalError(absl::StrCat("fake-brev: cannot write ", tmp));
    }
  }
  std::error_code error;
  fs::permissions(tmp, mode, error);
  if (!error) fs::rename(tmp, path, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("fake-brev: cannot write ", path, ": ", error.message()));
  }
  return absl::OkStatus();
}

}  // namespace

std::string InstanceLoopback(const std::string& instance_id) {
  const size_t hash = std::hash<std::string>{}(instance_id);
  return absl::StrCat("127.", 1 + hash % 254, ".", (hash >> 8) % 256, ".",
                      1 + (hash >> 16) % 254);
}

absl::Status WriteMachineFiles() {
  const std::string dir = kMachineDir;
  const std::string wrapper = dir + "/docker";
  {
    std::ifstream in(wrapper);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str() == kDockerWrapper) return absl::OkStatus();
  }
  std::error_code error;
  fs::create_directories(dir, error);
  const fs::perms readable = fs::perms::owner_all | fs::perms::group_read |
                             fs::perms::group_exec | fs::perms::others_read |
                             fs::perms::others_exec;
  fs::permissions(dir, readable, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("fake-brev: cannot make ", dir, ": ", error.message()));
  }
  return Write(wrapper, kDockerWrapper, readable);
}

}  // namespace tao::fakes::brev
