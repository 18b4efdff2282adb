// FileRegistry under concurrent writers: threads of one process, several
// registry objects in one process, several processes, and a writer killed
// mid-flight. Every test checks that no update is lost and the file stays
// valid; the lock, not luck, is what makes them pass.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/core/registry/file_registry.h"
#include "tests/server/core/registry/temp_dir.h"

namespace tao::registry {
namespace {

using testing::TempDir;

ServiceEntry Entry(const std::string& job_id) {
  ServiceEntry e;
  e.job_id = job_id;
  e.platform = "local-docker";
  e.network_arch = "cosmos-rl";
  e.host_url = "http://localhost:8080";
  e.started_at = "2026-05-03T23:30:00+00:00";
  return e;
}

// Read-modify-write of a shared counter on top of adding the entry, so an
// interleaved writer would also show up as a lost increment.
absl::Status AddEntry(Registry& registry, const std::string& job_id) {
  return registry.Mutate([&](RegistryState& state) {
    ServiceEntry counter = Entry("counter");
    if (const ServiceEntry* old = state.Find("counter")) counter = *old;
    counter.num_gpus += 1;
    state.Put(counter);
    state.Put(Entry(job_id));
    return absl::OkStatus();
  });
}

void ExpectAllPresent(Registry& registry, const std::vector<std::string>& ids) {
  auto state = registry.Read();
  ASSERT_TRUE(state.ok()) << state.status();
  for (const std::string& id : ids) {
    EXPECT_NE(state->Find(id), nullptr) << id << " was lost";
  }
  const ServiceEntry* counter = state->Find("counter");
  ASSERT_NE(counter, nullptr);
  EXPECT_EQ(counter->num_gpus, static_cast<int>(ids.size()));
  EXPECT_EQ(state->entries().size(), ids.size() + 1);
}

std::unique_ptr<FileRegistry> MustCreate(const std::string& path) {
  auto registry = FileRegistry::Create({path});
  EXPECT_TRUE(registry.ok()) << registry.status();
  return registry.ok() ? *std::move(registry) : nullptr;
}

void RunThreads(std::vector<Registry*> registries, int threads, int per_thread,
                std::vector<std::string>& ids) {
  std::vector<std::thread> workers;
  std::vector<absl::Status> results(threads);
  for (int t = 0; t < threads; ++t) {
    for (int i = 0; i < per_thread; ++i)
      ids.push_back(absl::StrCat("t", t, "-", i));
    workers.emplace_back([&, t] {
      Registry& registry = *registries[t % registries.size()];
      for (int i = 0; i < per_thread && results[t].ok(); ++i) {
        results[t] = AddEntry(registry, absl::StrCat("t", t, "-", i));
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (const absl::Status& result : results) EXPECT_TRUE(result.ok()) << result;
}

TEST(FileRegistryConcurrencyTest, ThreadsSharingOneRegistryLoseNothing) {
  TempDir dir;
  auto registry = MustCreate(dir.File("state.json"));
  ASSERT_NE(registry, nullptr);
  std::vector<std::string> ids;
  RunThreads({registry.get()}, 8, 15, ids);
  ExpectAllPresent(*registry, ids);
}

// Two objects on one path have separate mutexes: only flock (which also
// excludes separate open files of one process) keeps them apart.
TEST(FileRegistryConcurrencyTest, TwoRegistryObjectsInOneProcessLoseNothing) {
  TempDir dir;
  auto first = MustCreate(dir.File("state.json"));
  auto second = MustCreate(dir.File("state.json"));
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  std::vector<std::string> ids;
  RunThreads({first.get(), second.get()}, 6, 15, ids);
  ExpectAllPresent(*first, ids);
}

TEST(FileRegistryConcurrencyTest, ProcessesSharingTheFileLoseNothing) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  constexpr int kChildren = 4;
  constexpr int kPerChild = 25;
  std::vector<pid_t> children;
  std::vector<std::string> ids;
  fflush(nullptr);
  for (int c = 0; c < kChildren; ++c) {
    for (int i = 0; i < kPerChild; ++i)
      ids.push_back(absl::StrCat("p", c, "-", i));
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto registry = FileRegistry::Create({path});
      if (!registry.ok()) {
        fprintf(stderr, "child %d: %s\n", c,
                registry.status().ToString().c_str());
        _exit(1);
      }
      for (int i = 0; i < kPerChild; ++i) {
        absl::Status status =
            AddEntry(**registry, absl::StrCat("p", c, "-", i));
        if (!status.ok()) {
          fprintf(stderr, "child %d: %s\n", c, status.ToString().c_str());
          _exit(2);
        }
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int wstatus = 0;
    ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
    EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) << wstatus;
  }
  auto registry = MustCreate(path);
  ASSERT_NE(registry, nullptr);
  ExpectAllPresent(*registry, ids);
}

// A writer killed at an arbitrary point leaves a valid file holding a prefix
// of its updates, and the kernel drops its lock so others can go on.
TEST(FileRegistryConcurrencyTest, KilledWriterLeavesAValidFileAndNoLock) {
  TempDir dir;
  const std::string path = dir.File("state.json");
  fflush(nullptr);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto registry = FileRegistry::Create({path});
    if (!registry.ok()) _exit(1);
    for (int i = 0;; ++i) {
      if (!AddEntry(**registry, absl::StrCat("k", i)).ok()) _exit(2);
    }
  }
  auto registry = MustCreate(path);
  ASSERT_NE(registry, nullptr);
  // Wait for some progress. The deadline only stops a broken child from
  // hanging the test; passing never depends on it.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::minutes(2);
  size_t seen = 0;
  while (seen < 10 && std::chrono::steady_clock::now() < deadline) {
    int wstatus = 0;
    ASSERT_EQ(waitpid(child, &wstatus, WNOHANG), 0) << "writer exited early";
    auto state = registry->Read();
    ASSERT_TRUE(state.ok()) << state.status();
    seen = state->entries().size();
    std::this_thread::yield();
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_GE(seen, 10u) << "the writer made no progress";

  auto state = registry->Read();
  ASSERT_TRUE(state.ok()) << state.status();
  const ServiceEntry* counter = state->Find("counter");
  ASSERT_NE(counter, nullptr);
  const int written = counter->num_gpus;
  std::vector<std::string> ids;
  for (int i = 0; i < written; ++i) ids.push_back(absl::StrCat("k", i));
  ExpectAllPresent(*registry, ids);

  // Would block forever if the dead writer's lock were still held.
  ids.push_back("after-crash");
  ASSERT_TRUE(AddEntry(*registry, "after-crash").ok());
  ExpectAllPresent(*registry, ids);
}

}  // namespace
}  // namespace tao::registry
