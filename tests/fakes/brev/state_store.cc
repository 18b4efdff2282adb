#include "tests/fakes/brev/state_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "tests/fakes/brev/instance_clock.h"

namespace tao::fakes::brev {
namespace {

absl::Status FileError(const std::string& what, const std::string& path) {
  return absl::InternalError(absl::StrCat("fake-brev: cannot ", what, " ", path,
                                          ": ", std::strerror(errno)));
}

// Holds an exclusive flock for its lifetime.
class DirLock {
 public:
  explicit DirLock(const std::string& path)
      : fd_(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ >= 0) {
      while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
    }
  }
  ~DirLock() {
    if (fd_ >= 0) close(fd_);  // closing releases the lock
  }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

absl::StatusOr<State> Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return State{};  // nothing stored yet
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, false);
  absl::StatusOr<State> state = StateFromJson(json);
  if (!state.ok()) {
    return absl::InternalError(absl::StrCat(
        "fake-brev: ", path, " is corrupt: ", state.status().message()));
  }
  return state;
}

absl::Status Store(const std::string& path, const State& state) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << ToJson(state).dump(2) << "\n";
    out.close();
    if (!out) return FileError("write", tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return FileError("rename", tmp);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status StateStore::Update(
    const std::function<absl::Status(State&)>& change) {
  std::error_code ignored;
  std::filesystem::create_directories(dir_, ignored);
  DirLock lock(dir_ + "/state.lock");
  if (!lock.ok()) return FileError("lock", dir_ + "/state.lock");
  const std::string path = dir_ + "/state.json";
  absl::StatusOr<State> state = Load(path);
  if (!state.ok()) return state.status();
  AdvanceClock(*state, NowMillis());
  absl::Status changed = change(*state);
  absl::Status stored = Store(path, *state);
  return changed.ok() ? stored : changed;
}

absl::StatusOr<State> StateStore::Read() {
  State copy;
  absl::Status read = Update([&copy](State& state) {
    copy = state;
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return copy;
}

}  // namespace tao::fakes::brev
