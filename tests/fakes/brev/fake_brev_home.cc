#include "tests/fakes/brev/fake_brev_home.h"

#include <stdlib.h>

#include <filesystem>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/fakes/brev/auth.h"
#include "tests/fakes/brev/call_log.h"
#include "tests/fakes/brev/child_process.h"
#include "tests/fakes/brev/instance_clock.h"
#include "tests/fakes/brev/instance_teardown.h"
#include "tests/fakes/brev/state_store.h"
#include "tests/fakes/common/docker_containers.h"

extern char** environ;

namespace tao::fakes::brev {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> ThisEnvironment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const size_t eq = text.find('=');
    if (eq != std::string::npos) env[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return env;
}

// What the fake's own code needs to act on this home from the test.
Knobs KnobsOf(const std::map<std::string, std::string>& env) {
  Knobs knobs;
  auto get = [&env](const std::string& name) {
    auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  knobs.home = get("HOME");
  knobs.fake_dir = get("FAKE_BREV_DIR");
  if (env.count("FAKE_BREV_TOKEN") > 0) knobs.token = get("FAKE_BREV_TOKEN");
  knobs.docker_host =
      get("DOCKER_HOST").empty() ? DefaultDockerHost() : get("DOCKER_HOST");
  return knobs;
}

// Ends every ssh control master whose socket is in `dir`, by its socket.
void StopControlMasters(const std::string& dir) {
  std::error_code ignored;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(dir, ignored)) {
    if (entry.path().filename().string().rfind("brev-control-", 0) != 0) {
      continue;
    }
    RunChild({"ssh", "-F", "/dev/null", "-o",
              absl::StrCat("ControlPath=", entry.path().string()), "-O", "exit",
              "fake-brev-master"},
             ChildStdio::kSilent)
        .status()
        .IgnoreError();
  }
}

}  // namespace

std::string FakeBrevBinary() { return TAO_FAKE_BREV_PATH; }

absl::Status InstallBrevShim(const std::string& bin_dir) {
  std::error_code error;
  fs::create_directories(bin_dir, error);
  const fs::path link = fs::path(bin_dir) / "brev";
  fs::remove(link, error);
  fs::create_symlink(FakeBrevBinary(), link, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot link ", link.string(), ": ", error.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<FakeBrevHome>> FakeBrevHome::Create(
    const Options& options) {
  // Short, under /tmp: the ssh ControlPath HOME/.ssh/brev-control-<40 hex>
  // must fit a Unix socket path (108 bytes).
  char pattern[] = "/tmp/fbrev.XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    return absl::InternalError("mkdtemp /tmp/fbrev.XXXXXX failed");
  }
  std::unique_ptr<FakeBrevHome> fake(new FakeBrevHome());
  fake->root_ = pattern;
  fake->home_ = fake->root_ + "/home";
  fake->fake_dir_ = fake->root_ + "/fake";
  fake->bin_dir_ = fake->root_ + "/bin";
  std::random_device random;
  fake->token_ =
      absl::StrFormat("fake-brev-token-%08x%08x", random(), random());
  std::error_code ignored;
  fs::create_directories(fake->home_, ignored);
  fs::create_directories(fake->fake_dir_, ignored);
  if (absl::Status shim = InstallBrevShim(fake->bin_dir_); !shim.ok()) {
    return shim;
  }

  fake->env_ = ThisEnvironment();
  const std::string path = fake->env_["PATH"];
  fake->env_["PATH"] =
      path.empty() ? fake->bin_dir_ : absl::StrCat(fake->bin_dir_, ":", path);
  fake->env_["HOME"] = fake->home_;
  fake->env_["FAKE_BREV_DIR"] = fake->fake_dir_;
  fake->env_["FAKE_BREV_TOKEN"] = fake->token_;
  for (const auto& [name, value] :
       std::map<std::string, std::string>{{"FAKE_BREV_POLL_MS", "100"},
                                          {"FAKE_BREV_SSH_WAIT_MS", "100"},
                                          {"FAKE_BREV_BOOT_MS", "300"},
                                          {"FAKE_BREV_START_MS", "300"},
                                          {"FAKE_BREV_STOP_MS", "200"},
                                          {"FAKE_BREV_DELETE_MS", "300"}}) {
    fake->env_.emplace(name, value);  // a knob the caller set stays
  }
  // Exec commands reach the engine the fake reaps through, which an
  // instance would have at the default socket.
  const std::string engine = KnobsOf(fake->env_).docker_host;
  if (engine != "unix:///var/run/docker.sock") {
    fake->env_.emplace("FAKE_BREV_INSTANCE_DOCKER_HOST", engine);
  }
  for (const auto& [name, value] : options.env) fake->env_[name] = value;

  if (options.logged_in) {
    StateStore store(fake->fake_dir_);
    if (absl::Status login =
            LogInWithToken(KnobsOf(fake->env_), store, fake->token_);
        !login.ok()) {
      return login;
    }
  }
  return fake;
}

FakeBrevHome::~FakeBrevHome() {
  const Knobs knobs = KnobsOf(env_);
  const CallLog log(fake_dir_);
  std::vector<Teardown> teardowns;
  StateStore(fake_dir_)
      .Update([&teardowns](State& state) {
        for (Instance& instance : state.instances) {
          teardowns.push_back(TakeTeardown(instance));
        }
        return absl::OkStatus();
      })
      .IgnoreError();
  for (const Teardown& teardown : teardowns) RunTeardown(teardown, knobs, log);
  StopControlMasters(home_ + "/.ssh");
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

std::map<std::string, std::string> FakeBrevHome::Environment() const {
  return env_;
}

void FakeBrevHome::SetEnv(const std::string& name,
                          std::optional<std::string> value) {
  if (value.has_value()) {
    env_[name] = *value;
  } else {
    env_.erase(name);
  }
}

absl::StatusOr<ProcessResult> FakeBrevHome::Run(
    const std::vector<std::string>& args, std::optional<std::string> stdin_text,
    absl::Duration timeout) const {
  ProcessSpec spec;
  spec.argv = {brev()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = env_;
  spec.stdin_text = std::move(stdin_text);
  spec.timeout = timeout;
  return RunProcess(spec);
}

absl::Status FakeBrevHome::Seed(const std::string& name,
                                const std::string& status) {
  return Change([&](State& state) {
    Instance instance;
    instance.name = name;
    instance.id = NewInstanceId();
    instance.instance_type = "g6e.xlarge";
    instance.gpu = "L40S";
    instance.created_ms = NowMillis();
    SetStatus(instance, status);
    state.instances.push_back(std::move(instance));
  });
}

absl::Status FakeBrevHome::Change(const std::function<void(State&)>& change) {
  return StateStore(fake_dir_).Update([&change](State& state) {
    change(state);
    return absl::OkStatus();
  });
}

absl::Status FakeBrevHome::StopBehindOurBack(const std::string& name) {
  std::optional<Teardown> teardown;
  absl::Status changed = StateStore(fake_dir_).Update([&](State& state) {
    Instance* instance = state.Find(name);
    if (instance == nullptr) {
      return absl::NotFoundError(absl::StrCat("no instance ", name));
    }
    teardown = TakeTeardown(*instance);
    instance->transition.reset();
    SetStatus(*instance, "STOPPED");
    return absl::OkStatus();
  });
  if (teardown.has_value()) {
    RunTeardown(*teardown, KnobsOf(env_), CallLog(fake_dir_));
  }
  return changed;
}

absl::Status FakeBrevHome::ExpireToken() {
  return Change([](State& state) { state.token_expired = true; });
}

absl::StatusOr<State> FakeBrevHome::ReadState() const {
  return StateStore(fake_dir_).Read();
}

std::optional<Instance> FakeBrevHome::FindInstance(
    const std::string& name) const {
  absl::StatusOr<State> state = ReadState();
  if (!state.ok()) return std::nullopt;
  Instance* found = state->Find(name);
  if (found == nullptr) return std::nullopt;
  return *found;
}

std::vector<nlohmann::json> FakeBrevHome::Calls() const {
  return ReadJsonLines(fake_dir_ + "/calls.jsonl");
}

std::vector<nlohmann::json> FakeBrevHome::Events() const {
  return ReadJsonLines(fake_dir_ + "/events.jsonl");
}

}  // namespace tao::fakes::brev
