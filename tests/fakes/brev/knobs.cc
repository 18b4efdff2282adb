#include "tests/fakes/brev/knobs.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/fakes/common/docker_containers.h"

namespace tao::fakes::brev {
namespace {

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

absl::Status ReadInt(const char* name, int* out) {
  std::optional<std::string> value = Env(name);
  if (!value.has_value() || value->empty()) return absl::OkStatus();
  if (!absl::SimpleAtoi(*value, out) || *out < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " wants a whole number >= 0"));
  }
  return absl::OkStatus();
}

absl::Status ReadMillis(const char* name, absl::Duration* out) {
  int millis = -1;
  if (absl::Status read = ReadInt(name, &millis); !read.ok()) return read;
  if (millis >= 0) *out = absl::Milliseconds(millis);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Knobs> ReadKnobs() {
  Knobs knobs;
  std::optional<std::string> home = Env("HOME");
  if (!home.has_value() || home->empty()) {
    return absl::InvalidArgumentError("HOME is not set");
  }
  knobs.home = *home;
  knobs.fake_dir = Env("FAKE_BREV_DIR").value_or("");
  if (knobs.fake_dir.empty()) knobs.fake_dir = knobs.home + "/.fake-brev";
  knobs.token = Env("FAKE_BREV_TOKEN");
  for (auto [name, field] : {std::pair{"FAKE_BREV_BOOT_MS", &knobs.boot},
                             {"FAKE_BREV_START_MS", &knobs.start},
                             {"FAKE_BREV_STOP_MS", &knobs.stop},
                             {"FAKE_BREV_DELETE_MS", &knobs.deletion},
                             {"FAKE_BREV_POLL_MS", &knobs.poll},
                             {"FAKE_BREV_SSH_WAIT_MS", &knobs.ssh_wait}}) {
    if (absl::Status read = ReadMillis(name, field); !read.ok()) return read;
  }
  for (auto [name, field] :
       {std::pair{"FAKE_BREV_SSH_WAIT_TRIES", &knobs.ssh_wait_tries},
        {"FAKE_BREV_FIRST_SSH_FAILS", &knobs.first_ssh_fails}}) {
    if (absl::Status read = ReadInt(name, field); !read.ok()) return read;
  }
  knobs.create_failure = Env("FAKE_BREV_CREATE_FAILURE");
  knobs.create_error = Env("FAKE_BREV_CREATE_ERROR");
  knobs.ls_output = Env("FAKE_BREV_LS_OUTPUT");
  knobs.errors_to_stdout = Env("FAKE_BREV_ERROR_STREAM") == "stdout";
  knobs.ssh_user = Env("FAKE_BREV_SSH_USER").value_or("");
  knobs.instance_docker_host =
      Env("FAKE_BREV_INSTANCE_DOCKER_HOST").value_or("");
  knobs.docker_host = DefaultDockerHost();
  return knobs;
}

}  // namespace tao::fakes::brev
