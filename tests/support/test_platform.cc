#include "tests/support/test_platform.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platforms/common/subprocess.h"

namespace tao::testing {
namespace {

constexpr const char* kEntryPoints[] = {"cosmos-rl-inference-microservice",
                                        "cosmos_predict"};

absl::Status MakeDir(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::InternalError(
        absl::StrCat("cannot create ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<pid_t> PidOf(const platforms::Placement& placement) {
  auto it = placement.attributes.find("pid");
  int pid = 0;
  if (it == placement.attributes.end() || !absl::SimpleAtoi(it->second, &pid) ||
      pid <= 0) {
    return absl::NotFoundError(
        absl::StrCat("service ", placement.job_id, " has no process id"));
  }
  return static_cast<pid_t>(pid);
}

}  // namespace

absl::StatusOr<std::unique_ptr<TestPlatform>> TestPlatform::Create(
    Options options) {
  if (absl::Status s = MakeDir(options.work_root); !s.ok()) return s;
  const std::string bin = options.work_root + "/bin";
  if (absl::Status s = MakeDir(bin); !s.ok()) return s;
  for (const char* entry : kEntryPoints) {
    std::string link = absl::StrCat(bin, "/", entry);
    unlink(link.c_str());
    if (symlink(options.reference_backend.c_str(), link.c_str()) != 0) {
      return absl::InternalError(
          absl::StrCat("cannot link ", link, ": ", std::strerror(errno)));
    }
  }
  return std::unique_ptr<TestPlatform>(new TestPlatform(std::move(options)));
}

absl::StatusOr<platforms::Placement> TestPlatform::Launch(
    const platforms::LaunchSpec& spec,
    const platforms::ProgressCallback& progress) {
  if (spec.host_port <= 0) {
    return absl::InvalidArgumentError("the test platform needs a host port");
  }
  absl::StatusOr<std::string> command = spec.inner_command(spec.host_port);
  if (!command.ok()) return command.status();
  const std::string work_dir =
      absl::StrCat(options_.work_root, "/", spec.job_id);
  if (absl::Status s = MakeDir(work_dir); !s.ok()) return s;

  platforms::SpawnOptions spawn;
  spawn.argv = {"/bin/bash", "-c", *command};
  spawn.env = spec.env;
  for (const auto& [name, value] : spec.secret_env) spawn.env[name] = value;
  spawn.env["PATH"] = absl::StrCat(options_.work_root, "/bin:/usr/bin:/bin");
  spawn.env["HOME"] = work_dir;
  spawn.working_dir = work_dir;
  spawn.output_path = work_dir + "/output.log";
  platforms::ReportProgress(progress,
                            platforms::ProgressEvent::Phase::kStarting,
                            absl::StrCat("starting process for ", spec.job_id));
  absl::StatusOr<pid_t> pid = platforms::Spawn(spawn);
  if (!pid.ok()) return pid.status();

  platforms::Placement placement;
  placement.job_id = spec.job_id;
  placement.host_port = spec.host_port;
  placement.host_url = absl::StrCat("http://127.0.0.1:", spec.host_port);
  placement.attributes["pid"] = absl::StrCat(*pid);
  placement.attributes["work_dir"] = work_dir;
  platforms::ReportPlacement(progress, absl::StrCat("started process ", *pid),
                             placement);
  return placement;
}

absl::StatusOr<platforms::RuntimeState> TestPlatform::Inspect(
    const platforms::Placement& placement) {
  platforms::RuntimeState state;
  absl::StatusOr<pid_t> pid = PidOf(placement);
  if (!pid.ok()) {
    state.phase = platforms::RuntimeState::Phase::kMissing;
    return state;
  }
  platforms::ProcessStatus status = platforms::CheckProcess(*pid);
  if (status.running) {
    state.phase = platforms::RuntimeState::Phase::kRunning;
  } else if (status.has_exit_code) {
    state.phase = platforms::RuntimeState::Phase::kExited;
    state.has_exit_code = true;
    state.exit_code = status.exit_code;
    state.detail = absl::StrCat("process exited with code ", status.exit_code);
  } else {
    state.phase = platforms::RuntimeState::Phase::kMissing;
    state.detail = "process is gone";
  }
  return state;
}

absl::Status TestPlatform::Terminate(const platforms::Placement& placement) {
  absl::StatusOr<pid_t> pid = PidOf(placement);
  if (!pid.ok()) return absl::OkStatus();  // nothing was started
  return platforms::StopProcessGroup(*pid, absl::Seconds(5));
}

absl::StatusOr<std::string> TestPlatform::Logs(
    const platforms::Placement& placement, int tail_lines) {
  auto it = placement.attributes.find("work_dir");
  if (it == placement.attributes.end()) {
    return absl::NotFoundError("no output recorded for this service");
  }
  std::ifstream in(it->second + "/output.log");
  if (!in) return absl::NotFoundError("no output recorded for this service");
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> lines = absl::StrSplit(text.str(), '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  size_t first = lines.size() > static_cast<size_t>(tail_lines)
                     ? lines.size() - tail_lines
                     : 0;
  return absl::StrJoin(lines.begin() + first, lines.end(), "\n");
}

}  // namespace tao::testing
