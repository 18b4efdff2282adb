#include "server/core/registry/file_registry.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tao::registry {
namespace {

// Mode of a registry file this server creates: it names hosts and jobs.
constexpr mode_t kNewFileMode = 0600;

std::string ErrnoText(int err) { return std::strerror(err); }

// Closes the descriptor (and so releases any flock on it) when it goes.
class ScopedFd {
 public:
  explicit ScopedFd(int fd = -1) : fd_(fd) {}
  ScopedFd(ScopedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  ScopedFd& operator=(ScopedFd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports the error (a failed close can mean lost data).
  int Close() { return close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

std::string DirectoryOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// Opens "<path>.lock" (created 0600 if missing). Every process that shares
// the registry flocks this file rather than the registry itself, because the
// registry is replaced by rename and a lock on the old inode would protect
// nothing.
absl::StatusOr<ScopedFd> OpenLockFile(const std::string& lock_path,
                                      bool read_only_ok) {
  int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kNewFileMode);
  const int err = errno;  // the first attempt's reason is the one to report
  if (fd < 0 && err == EACCES && read_only_ok) {
    fd = open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);  // enough for LOCK_SH
  }
  if (fd >= 0) return ScopedFd(fd);
  std::string hint;
  switch (err) {
    case EACCES:
    case EPERM:
      hint =
          "it may belong to another user (in a sticky directory such as /tmp "
          "only its owner may open it), or its directory is not writable; "
          "remove it as its owner, or point the server at a registry file in "
          "a directory you own";
      break;
    case ENOENT:
      hint = absl::StrCat("the directory ", DirectoryOf(lock_path),
                          " does not exist; create it or choose another "
                          "registry file");
      break;
    case EISDIR:
      hint = "it is a directory; remove it";
      break;
    default:
      hint = "check the directory's permissions and free space";
  }
  return absl::UnavailableError(
      absl::StrCat("cannot open the registry lock file ", lock_path, ": ",
                   ErrnoText(err), "; ", hint));
}

absl::Status Flock(const ScopedFd& fd, int operation,
                   const std::string& lock_path) {
  while (flock(fd.get(), operation) != 0) {
    if (errno == EINTR) continue;
    return absl::UnavailableError(
        absl::StrCat("cannot lock the registry lock file ", lock_path, ": ",
                     ErrnoText(errno)));
  }
  return absl::OkStatus();
}

struct FileSnapshot {
  bool exists = false;
  std::string bytes;
  struct stat info = {};
};

absl::StatusOr<FileSnapshot> ReadFile(const std::string& path) {
  FileSnapshot snapshot;
  ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return snapshot;
    return absl::UnavailableError(absl::StrCat("cannot open the registry file ",
                                               path, ": ", ErrnoText(errno)));
  }
  if (fstat(fd.get(), &snapshot.info) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot stat the registry file ",
                                               path, ": ", ErrnoText(errno)));
  }
  if (!S_ISREG(snapshot.info.st_mode)) {
    return absl::UnavailableError(absl::StrCat(
        "the registry file ", path,
        " is not a regular file; remove it or choose another path"));
  }
  snapshot.exists = true;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = read(fd.get(), buffer, sizeof(buffer));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(absl::StrCat(
          "cannot read the registry file ", path, ": ", ErrnoText(errno)));
    }
    snapshot.bytes.append(buffer, static_cast<size_t>(n));
  }
  return snapshot;
}

// A file with no bytes (or only whitespace) holds no services, so reading it
// as an empty registry loses nothing; e.g. `: > file` is a common reset.
// Anything else that does not parse is DATA_LOSS: unlike the original we
// never treat a corrupt registry as empty, which would forget running
// services.
absl::StatusOr<RegistryState> ParseDocument(const std::string& bytes,
                                            const std::string& path) {
  if (absl::StripAsciiWhitespace(bytes).empty()) return RegistryState();
  const std::string keep_hint =
      "; the file was left unchanged: repair it, or move it away to start "
      "with an empty registry (its services are then no longer tracked)";
  nlohmann::ordered_json document;
  try {
    document = nlohmann::ordered_json::parse(bytes);
  } catch (const nlohmann::ordered_json::parse_error& e) {
    return absl::DataLossError(absl::StrCat("the registry file ", path,
                                            " is not valid JSON (", e.what(),
                                            ")", keep_hint));
  }
  auto state = RegistryState::FromJson(document);
  if (!state.ok()) {
    return absl::DataLossError(
        absl::StrCat("the registry file ", path, " is not a valid registry (",
                     state.status().message(), ")", keep_hint));
  }
  return state;
}

// Python's json.dump(state, f, indent=2): two-space indent, ": " and ","
// separators, non-ASCII escaped, no trailing newline. Invalid UTF-8 (e.g. in
// a reason copied from a container) becomes U+FFFD instead of failing.
std::string Serialize(const RegistryState& state) {
  return state.ToJson().dump(2, ' ', /*ensure_ascii=*/true,
                             nlohmann::ordered_json::error_handler_t::replace);
}

absl::Status WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(ErrnoText(errno));
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Writes `bytes` to a fresh temp file beside `path`, syncs it, renames it
// over `path` and syncs the directory, so a crash leaves the old or the new
// file, never a mix. On failure before the rename the temp file is removed
// and `path` is untouched.
absl::Status ReplaceFile(const std::string& path, const std::string& bytes,
                         const FileSnapshot& old) {
  std::string temp = absl::StrCat(path, ".tmp.", getpid(), ".XXXXXX");
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  ScopedFd fd(mkostemp(name.data(), O_CLOEXEC));  // O_EXCL, mode 0600
  if (fd.get() < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot create a temporary file in ", DirectoryOf(path),
                     " to update the registry ", path, ": ", ErrnoText(errno),
                     "; the registry was not changed"));
  }
  temp = name.data();
  const char* step = nullptr;
  int err = 0;
  auto fail = [&](const char* what) {
    step = what;
    err = errno;
  };
  const mode_t mode = old.exists ? (old.info.st_mode & 07777) : kNewFileMode;
  if (old.exists &&
      (old.info.st_uid != geteuid() || old.info.st_gid != getegid())) {
    // Best effort: only root may give a file away; otherwise the rewritten
    // file belongs to us, as a Python rewrite would.
    (void)!fchown(fd.get(), old.info.st_uid, old.info.st_gid);
  }
  absl::Status written = WriteAll(fd.get(), bytes);
  if (!written.ok()) {
    step = "write";
  } else if (fchmod(fd.get(), mode) != 0) {
    fail("chmod");
  } else if (fsync(fd.get()) != 0) {
    fail("fsync");
  } else if (fd.Close() != 0) {
    fail("close");
  } else if (rename(temp.c_str(), path.c_str()) != 0) {
    fail("rename");
  }
  if (step != nullptr) {
    const std::string reason =
        written.ok() ? ErrnoText(err) : std::string(written.message());
    unlink(temp.c_str());
    return absl::UnavailableError(absl::StrCat(
        "cannot update the registry ", path, " (", step, " of ", temp,
        " failed: ", reason, "); the registry was not changed"));
  }
  // Make the rename itself durable.
  const std::string dir = DirectoryOf(path);
  ScopedFd dir_fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0 || fsync(dir_fd.get()) != 0) {
    return absl::UnavailableError(
        absl::StrCat("the registry ", path, " was updated but its directory ",
                     dir, " could not be synced (", ErrnoText(errno),
                     "); the update may be lost if the machine crashes"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileRegistry>> FileRegistry::Create(
    Options options) {
  std::unique_ptr<FileRegistry> registry(new FileRegistry(std::move(options)));
  // Fail at startup, not at the first Start: a corrupt file or an unusable
  // lock file must be fixed by the operator.
  auto state = registry->Read();
  if (!state.ok()) return state.status();
  return registry;
}

absl::StatusOr<RegistryState> FileRegistry::Read() {
  const std::string lock_path = options_.path + ".lock";
  auto lock = OpenLockFile(lock_path, /*read_only_ok=*/true);
  if (!lock.ok()) return lock.status();
  absl::Status locked = Flock(*lock, LOCK_SH, lock_path);
  if (!locked.ok()) return locked;
  auto snapshot = ReadFile(options_.path);
  if (!snapshot.ok()) return snapshot.status();
  return ParseDocument(snapshot->bytes, options_.path);
}

absl::Status FileRegistry::Mutate(
    const std::function<absl::Status(RegistryState&)>& mutate) {
  absl::MutexLock thread_lock(&mu_);
  const std::string lock_path = options_.path + ".lock";
  auto lock = OpenLockFile(lock_path, /*read_only_ok=*/false);
  if (!lock.ok()) return lock.status();
  absl::Status locked = Flock(*lock, LOCK_EX, lock_path);
  if (!locked.ok()) return locked;

  auto snapshot = ReadFile(options_.path);
  if (!snapshot.ok()) return snapshot.status();
  auto state = ParseDocument(snapshot->bytes, options_.path);
  if (!state.ok()) return state.status();
  absl::Status mutated = mutate(*state);
  if (!mutated.ok()) return mutated;

  std::string bytes = Serialize(*state);
  if (snapshot->exists && bytes == snapshot->bytes) return absl::OkStatus();
  return ReplaceFile(options_.path, bytes, *snapshot);
}

}  // namespace tao::registry
