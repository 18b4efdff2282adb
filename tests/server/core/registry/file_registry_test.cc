// FileRegistry: file compatibility with the original Python writer, refusal
// of corrupt files, permissions and crash safety of a single writer.
#include "server/core/registry/file_registry.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/core/registry/temp_dir.h"

namespace tao::registry {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ReadBytes;
using testing::TempDir;
using testing::TempFilesIn;
using testing::WriteBytes;

// What Python's `json.dump(state, f, indent=2)` writes for a state built the
// way the original skill builds it (entry, then "latest", then another
// entry, which moves "latest" but not its position).
constexpr char kPythonWritten[] = R"({
  "3f0c9a52-6d1e-4c1b-9a43-0b7f2e8d1c55": {
    "job_id": "3f0c9a52-6d1e-4c1b-9a43-0b7f2e8d1c55",
    "platform": "local-docker",
    "network_arch": "cosmos-rl",
    "host_url": "http://localhost:8080",
    "docker_url": "http://3f0c9a52-6d1e-4c1b-9a43-0b7f2e8d1c55:8080",
    "host_port": 8080,
    "started_at": "2026-05-03T23:30:00.123456+00:00"
  },
  "latest": "b81d2e4f-0a57-4f3e-8c1d-6e2a9f4b7d10",
  "b81d2e4f-0a57-4f3e-8c1d-6e2a9f4b7d10": {
    "job_id": "b81d2e4f-0a57-4f3e-8c1d-6e2a9f4b7d10",
    "platform": "slurm",
    "platform_job_id": "4242",
    "network_arch": "cosmos-predict2.5",
    "host_url": "http://localhost:8081",
    "host_port": 8081,
    "slurm_node": "gpu-node-07",
    "started_at": "2026-05-04T08:15:42.000001+00:00",
    "note": "caf\u00e9 \u2713"
  }
})";

// Python's json.dump(..., indent=2) of the same document after adding
// entry "c0ffee00-..." with "latest" first and entries oldest first.
constexpr char kPythonAfterAdding[] = R"({
  "latest": "c0ffee00-1111-4222-8333-444455556666",
  "3f0c9a52-6d1e-4c1b-9a43-0b7f2e8d1c55": {
    "job_id": "3f0c9a52-6d1e-4c1b-9a43-0b7f2e8d1c55",
    "platform": "local-docker",
    "network_arch": "cosmos-rl",
    "host_url": "http://localhost:8080",
    "docker_url": "http://3f0c9a52-6d1e-4c1b-9a43-0b7f2e8d1c55:8080",
    "host_port": 8080,
    "started_at": "2026-05-03T23:30:00.123456+00:00"
  },
  "b81d2e4f-0a57-4f3e-8c1d-6e2a9f4b7d10": {
    "job_id": "b81d2e4f-0a57-4f3e-8c1d-6e2a9f4b7d10",
    "platform": "slurm",
    "platform_job_id": "4242",
    "network_arch": "cosmos-predict2.5",
    "host_url": "http://localhost:8081",
    "host_port": 8081,
    "slurm_node": "gpu-node-07",
    "started_at": "2026-05-04T08:15:42.000001+00:00",
    "note": "caf\u00e9 \u2713"
  },
  "c0ffee00-1111-4222-8333-444455556666": {
    "job_id": "c0ffee00-1111-4222-8333-444455556666",
    "platform": "local-docker",
    "network_arch": "cosmos-rl",
    "host_url": "http://localhost:8082",
    "docker_url": "http://c0ffee00-1111-4222-8333-444455556666:8080",
    "host_port": 8082,
    "started_at": "2026-05-05T00:00:00+00:00",
    "num_gpus": 2
  }
})";

ServiceEntry Entry(const std::string& job_id) {
  ServiceEntry e;
  e.job_id = job_id;
  e.platform = "local-docker";
  e.network_arch = "cosmos-rl";
  e.host_url = "http://localhost:8080";
  e.started_at = "2026-05-03T23:30:00+00:00";
  return e;
}

std::unique_ptr<FileRegistry> MustCreate(const std::string& path) {
  auto registry = FileRegistry::Create({path});
  EXPECT_TRUE(registry.ok()) << registry.status();
  return registry.ok() ? *std::move(registry) : nullptr;
}

absl::Status PutEntry(Registry& registry, const ServiceEntry& entry) {
  return registry.Mutate([&](RegistryState& state) {
    state.Put(entry);
    return absl::OkStatus();
  });
}

mode_t ModeOf(const std::string& path) {
  struct stat info = {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

TEST(FileRegistryTest, MissingFileIsAnEmptyRegistryAndIsNotCreatedByReads) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  auto registry = MustCreate(path);
  ASSERT_NE(registry, nullptr);
  EXPECT_EQ(registry->Describe(), path);
  auto state = registry->Read();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_TRUE(state->entries().empty());
  EXPECT_FALSE(state->latest().has_value());
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(FileRegistryTest, FirstWriteCreatesAPrivateFileInPythonFormat) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  auto registry = MustCreate(path);
  ASSERT_NE(registry, nullptr);
  ASSERT_TRUE(PutEntry(*registry, Entry("j1")).ok());
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ReadBytes(path), R"({
  "latest": "j1",
  "j1": {
    "job_id": "j1",
    "platform": "local-docker",
    "network_arch": "cosmos-rl",
    "host_url": "http://localhost:8080",
    "started_at": "2026-05-03T23:30:00+00:00"
  }
})");
  EXPECT_THAT(TempFilesIn(dir.path()), IsEmpty());
}

TEST(FileRegistryTest, RewriteKeepsTheFilesPermissions) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  WriteBytes(path, "{}");
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  auto registry = MustCreate(path);
  ASSERT_NE(registry, nullptr);
  ASSERT_TRUE(PutEntry(*registry, Entry("j1")).ok());
  EXPECT_EQ(ModeOf(path), 0644u);
  auto state = registry->Read();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_NE(state->Find("j1"), nullptr);
}

TEST(FileRegistryTest, ReadsAFileWrittenByPython) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  WriteBytes(path, kPythonWritten);
  auto registry = MustCreate(path);
  ASSERT_NE(registry, nullptr);
  auto state = registry->Read();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->latest(), "b81d2e4f-0a57-4f3e-8c1d-6e2a9f4b7d10");
  ASSERT_EQ(state->entries().size(), 2u);
  const ServiceEntry* docker =
      state->Find("3f0c9a52-6d1e-4c1b-9a43-0b7f2e8d1c55");
  ASSERT_NE(docker, nullptr);
  EXPECT_EQ(docker->started_at, "2026-05-03T23:30:00.123456+00:00");
  EXPECT_EQ(docker->host_port, 8080);
  EXPECT_EQ(docker->docker_url,
            "http://3f0c9a52-6d1e-4c1b-9a43-0b7f2e8d1c55:8080");
  const ServiceEntry* slurm =
      state->Find("b81d2e4f-0a57-4f3e-8c1d-6e2a9f4b7d10");
  ASSERT_NE(slurm, nullptr);
  EXPECT_EQ(slurm->platform_job_id, "4242");
  EXPECT_EQ(slurm->slurm_node, "gpu-node-07");
  EXPECT_EQ(slurm->started_at, "2026-05-04T08:15:42.000001+00:00");
  EXPECT_EQ(slurm->extra.at("note"), "caf\u00e9 \u2713");
}

TEST(FileRegistryTest, RewritesAPythonFileTheWayPythonWould) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  WriteBytes(path, kPythonWritten);
  auto registry = MustCreate(path);
  ASSERT_NE(registry, nullptr);
  ServiceEntry added = Entry("c0ffee00-1111-4222-8333-444455556666");
  added.host_url = "http://localhost:8082";
  added.docker_url = "http://c0ffee00-1111-4222-8333-444455556666:8080";
  added.host_port = 8082;
  added.started_at = "2026-05-05T00:00:00+00:00";
  added.num_gpus = 2;
  ASSERT_TRUE(PutEntry(*registry, added).ok());
  EXPECT_EQ(ReadBytes(path), kPythonAfterAdding);
}

TEST(FileRegistryTest, UnchangedDocumentIsNotRewritten) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  auto registry = MustCreate(path);
  ASSERT_NE(registry, nullptr);
  ASSERT_TRUE(PutEntry(*registry, Entry("j1")).ok());
  struct stat before = {};
  ASSERT_EQ(stat(path.c_str(), &before), 0);
  ASSERT_TRUE(
      registry->Mutate([](RegistryState&) { return absl::OkStatus(); }).ok());
  struct stat after = {};
  ASSERT_EQ(stat(path.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // a rewrite renames a new inode in
}

struct CorruptCase {
  std::string name;
  std::string bytes;
  std::string detail;  // expected in the message besides the path
};

class CorruptFileTest : public ::testing::TestWithParam<CorruptCase> {};

TEST_P(CorruptFileTest, IsDataLossAndLeftByteForByteUnchanged) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  WriteBytes(path, GetParam().bytes);
  auto matches = AllOf(HasSubstr(path), HasSubstr(GetParam().detail));

  auto created = FileRegistry::Create({path});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(created.status().message(), matches);
  EXPECT_EQ(ReadBytes(path), GetParam().bytes);

  // The file can also go bad after startup: reads and writes refuse it.
  auto registry = MustCreate(dir.File("other.json"));
  ASSERT_NE(registry, nullptr);
  std::filesystem::rename(path, dir.File("other.json"));
  auto read = registry->Read();
  EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
  bool called = false;
  absl::Status mutated = registry->Mutate([&](RegistryState& state) {
    called = true;
    state.Put(Entry("j1"));
    return absl::OkStatus();
  });
  EXPECT_EQ(mutated.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(mutated.message(), HasSubstr(dir.File("other.json")));
  EXPECT_FALSE(called);
  EXPECT_EQ(ReadBytes(dir.File("other.json")), GetParam().bytes);
  EXPECT_THAT(TempFilesIn(dir.path()), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, CorruptFileTest,
    ::testing::Values(
        CorruptCase{"Truncated", R"({"latest": "a", "a": {"job_id": )",
                    "not valid JSON"},
        CorruptCase{"Garbage", "\x01\x02not json at all", "not valid JSON"},
        CorruptCase{"TrailingGarbage", "{} {}", "not valid JSON"},
        CorruptCase{"NotAnObject", "[1, 2]", "must be a JSON object"},
        CorruptCase{"WrongFieldType", R"({"a": {"host_port": "8080"}})",
                    "host_port"},
        CorruptCase{"KeyAndJobIdDiffer", R"({"a": {"job_id": "b"}})",
                    "must be equal"}),
    [](const ::testing::TestParamInfo<CorruptCase>& info) {
      return info.param.name;
    });

TEST(FileRegistryTest, EmptyOrBlankFileIsAnEmptyRegistry) {
  for (const std::string bytes : {"", " \n\t\n"}) {
    TempDir dir;
    const std::string path = dir.File("state.json");
    WriteBytes(path, bytes);
    auto registry = MustCreate(path);
    ASSERT_NE(registry, nullptr);
    auto state = registry->Read();
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_TRUE(state->entries().empty());
    ASSERT_TRUE(PutEntry(*registry, Entry("j1")).ok());
    state = registry->Read();
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_NE(state->Find("j1"), nullptr);
  }
}

TEST(FileRegistryTest, FailedMutateWritesNothing) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  auto registry = MustCreate(path);
  ASSERT_NE(registry, nullptr);
  ASSERT_TRUE(PutEntry(*registry, Entry("j1")).ok());
  const std::string before = ReadBytes(path);

  absl::Status status = registry->Mutate([](RegistryState& state) {
    state.Put(Entry("j2"));
    state.Remove("j1");
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(status, absl::FailedPreconditionError("changed my mind"));
  EXPECT_EQ(ReadBytes(path), before);
  EXPECT_THAT(TempFilesIn(dir.path()), IsEmpty());
}

// A write that fails half-way (here: the file size limit, which even root
// cannot ignore) must leave the old file and no temp file behind. Runs in a
// child so the limit does not leak into this process.
TEST(FileRegistryTest, WriteFailureLeavesTheOldFile) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  {
    auto registry = MustCreate(path);
    ASSERT_NE(registry, nullptr);
    ASSERT_TRUE(PutEntry(*registry, Entry("j1")).ok());
  }
  const std::string before = ReadBytes(path);

  fflush(nullptr);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);  // get EFBIG instead of being killed
    struct rlimit limit = {before.size() + 16, before.size() + 16};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(10);
    auto registry = FileRegistry::Create({path});
    if (!registry.ok()) _exit(11);
    ServiceEntry big = Entry("j2");
    big.reason = std::string(4096, 'x');
    absl::Status status = PutEntry(**registry, big);
    fprintf(stderr, "child: %s\n", status.ToString().c_str());
    if (status.code() != absl::StatusCode::kUnavailable) _exit(12);
    if (status.message().find("was not changed") == absl::string_view::npos) {
      _exit(13);
    }
    _exit(0);
  }
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFEXITED(wstatus)) << wstatus;
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);
  EXPECT_EQ(ReadBytes(path), before);
  EXPECT_THAT(TempFilesIn(dir.path()), IsEmpty());
}

TEST(FileRegistryTest, LeftoverTempFileOfACrashedWriterIsHarmless) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  auto registry = MustCreate(path);
  ASSERT_NE(registry, nullptr);
  ASSERT_TRUE(PutEntry(*registry, Entry("j1")).ok());
  const std::string leftover = path + ".tmp.99999.AbCdEf";
  WriteBytes(leftover, R"({"latest": "half-writ)");

  auto reopened = MustCreate(path);
  ASSERT_NE(reopened, nullptr);
  auto state = reopened->Read();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_NE(state->Find("j1"), nullptr);
  ASSERT_TRUE(PutEntry(*reopened, Entry("j2")).ok());
  state = reopened->Read();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_NE(state->Find("j1"), nullptr);
  EXPECT_NE(state->Find("j2"), nullptr);
}

TEST(FileRegistryTest, UnusableLockFileIsReportedClearly) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  // A directory stands in for a lock file we may not open (as root,
  // permissions would not stop us).
  ASSERT_TRUE(std::filesystem::create_directory(path + ".lock"));
  auto created = FileRegistry::Create({path});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(created.status().message(),
              AllOf(HasSubstr("lock file " + path + ".lock"),
                    HasSubstr("is a directory")));
}

// The /tmp case: a lock file left by another user in a sticky directory.
// Needs root to play both users; the child drops to "nobody".
TEST(FileRegistryTest, LockFileOfAnotherUserIsReportedClearly) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to act as two users";
  TempDir dir;
  ASSERT_EQ(chmod(dir.path().c_str(), 01777), 0);
  const std::string path = dir.File("state.json");
  {
    auto registry = MustCreate(path);  // creates the lock file, 0600, root's
    ASSERT_NE(registry, nullptr);
  }
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  fflush(nullptr);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(10);
    auto created = FileRegistry::Create({path});
    std::string message = created.status().ToString();
    if (write(pipe_fds[1], message.data(), message.size()) < 0) _exit(11);
    _exit(created.ok() ? 12 : 0);
  }
  close(pipe_fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof(buffer))) > 0;) {
    message.append(buffer, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0) << message;
  EXPECT_THAT(
      message,
      AllOf(HasSubstr("UNAVAILABLE"), HasSubstr("lock file " + path + ".lock"),
            HasSubstr("Permission denied"), HasSubstr("another user")));
}

TEST(FileRegistryTest, MissingDirectoryIsReportedAtCreate) {
  TempDir dir;
  const std::string path = dir.File("no-such-dir/state.json");
  auto created = FileRegistry::Create({path});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(
      created.status().message(),
      AllOf(HasSubstr(dir.File("no-such-dir")), HasSubstr("does not exist")));
}

TEST(FileRegistryTest, DirectoryRemovedAfterStartFailsTheWrite) {
  TempDir dir;
  const std::string sub = dir.File("sub");
  ASSERT_TRUE(std::filesystem::create_directory(sub));
  auto registry = MustCreate(sub + "/state.json");
  ASSERT_NE(registry, nullptr);
  std::filesystem::remove_all(sub);
  absl::Status status = PutEntry(*registry, Entry("j1"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr(sub));
  EXPECT_FALSE(std::filesystem::exists(sub));
}

TEST(FileRegistryTest, RegistryPathThatIsADirectoryIsRefused) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  ASSERT_TRUE(std::filesystem::create_directory(path));
  auto created = FileRegistry::Create({path});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(created.status().message(), HasSubstr(path));
}

}  // namespace
}  // namespace tao::registry
