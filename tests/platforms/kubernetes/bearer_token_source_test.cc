#include "platforms/kubernetes/bearer_token_source.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/platforms/kubernetes/kube_test_files.h"
#include "tests/support/temp_dir.h"

namespace tao::platforms::kubernetes {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::WriteFile;

constexpr char kPath[] = "/fake/token";

FileStamp Stamp(int64_t mtime_ns, int64_t size) {
  FileStamp stamp;
  stamp.mtime_ns = mtime_ns;
  stamp.size = size;
  return stamp;
}

// A token file under test control: its content, its stamp, whether reads
// fail, and a clock; counts reads.
struct FakeFile {
  std::string content = "first-token-1111\n";
  FileStamp stamp = Stamp(1, 17);
  bool exists = true;
  bool read_fails = false;
  absl::Time now = absl::FromUnixSeconds(1000000);
  int reads = 0;

  KubeIo Io() {
    KubeIo io;
    io.stat = [this](const std::string& path) -> absl::StatusOr<FileStamp> {
      EXPECT_EQ(path, kPath);
      if (!exists) return absl::NotFoundError(absl::StrCat(path, ": gone"));
      return stamp;
    };
    io.read_file =
        [this](const std::string& path) -> absl::StatusOr<std::string> {
      ++reads;
      if (!exists) return absl::NotFoundError(absl::StrCat(path, ": gone"));
      if (read_fails) {
        return absl::PermissionDeniedError(absl::StrCat(path, ": denied"));
      }
      return content;
    };
    io.now = [this] { return now; };
    return io;
  }
};

TEST(BearerTokenSourceTest, FixedTokenNeverChanges) {
  auto source = BearerTokenSource::Fixed("fixed-abcdef");
  EXPECT_FALSE(source->from_file());
  EXPECT_EQ(*source->Current(), "fixed-abcdef");
  EXPECT_EQ(source->Description(), "a fixed token");
}

TEST(BearerTokenSourceTest, FileIsReadOnceWhileUnchanged) {
  FakeFile file;
  auto source = BearerTokenSource::FromFile(kPath, file.Io());
  EXPECT_EQ(*source->Current(), "first-token-1111");
  EXPECT_EQ(*source->Current(), "first-token-1111");
  file.now += absl::Seconds(59);
  EXPECT_EQ(*source->Current(), "first-token-1111");
  EXPECT_EQ(file.reads, 1);
}

TEST(BearerTokenSourceTest, NewStampMeansReadAgain) {
  FakeFile file;
  auto source = BearerTokenSource::FromFile(kPath, file.Io());
  EXPECT_EQ(*source->Current(), "first-token-1111");
  // The kubelet's rotation: a new file behind the ..data symlink.
  file.content = "second-token-2222";
  file.stamp.inode = 7;
  EXPECT_EQ(*source->Current(), "second-token-2222");
  file.content = "third-token-3333";
  file.stamp.mtime_ns = 2;
  EXPECT_EQ(*source->Current(), "third-token-3333");
  file.content = "fourth-token-4";
  file.stamp.size = 14;
  EXPECT_EQ(*source->Current(), "fourth-token-4");
  EXPECT_EQ(file.reads, 4);
}

TEST(BearerTokenSourceTest, ReadAgainAfterAMinuteEvenWithTheSameStamp) {
  FakeFile file;
  auto source = BearerTokenSource::FromFile(kPath, file.Io());
  EXPECT_EQ(*source->Current(), "first-token-1111");
  file.content = "same-stamp-token";
  file.now += BearerTokenSource::kMaxAge;
  EXPECT_EQ(*source->Current(), "same-stamp-token");
  EXPECT_EQ(file.reads, 2);
}

TEST(BearerTokenSourceTest, AFailedFirstReadIsNotRemembered) {
  FakeFile file;
  file.read_fails = true;
  auto source = BearerTokenSource::FromFile(kPath, file.Io());
  absl::StatusOr<std::string> token = source->Current();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(token.status().message(), HasSubstr(kPath));
  EXPECT_THAT(token.status().message(), Not(HasSubstr("first-token")));
  // Same stamp, same instant: the next call reads again.
  file.read_fails = false;
  EXPECT_EQ(*source->Current(), "first-token-1111");
  EXPECT_EQ(file.reads, 2);
}

TEST(BearerTokenSourceTest, AFailedReReadKeepsTheLastGoodTokenAndRetries) {
  FakeFile file;
  auto source = BearerTokenSource::FromFile(kPath, file.Io());
  EXPECT_EQ(*source->Current(), "first-token-1111");
  file.stamp.inode = 9;
  file.read_fails = true;
  EXPECT_EQ(*source->Current(), "first-token-1111");  // as client-go
  EXPECT_EQ(*source->Current(), "first-token-1111");
  EXPECT_EQ(file.reads, 3);  // each call tried again
  file.read_fails = false;
  file.content = "after-failure-555";
  EXPECT_EQ(*source->Current(), "after-failure-555");
}

TEST(BearerTokenSourceTest, EmptyOrMissingFileIsAnError) {
  FakeFile file;
  file.content = " \n";
  auto source = BearerTokenSource::FromFile(kPath, file.Io());
  absl::StatusOr<std::string> token = source->Current();
  ASSERT_FALSE(token.ok());
  EXPECT_THAT(token.status().message(), HasSubstr("the token file is empty"));

  file.exists = false;
  token = source->Current();
  ASSERT_FALSE(token.ok());
  EXPECT_THAT(token.status().message(), HasSubstr("/fake/token: gone"));
}

TEST(BearerTokenSourceTest, FallbackUntilTheFileIsReadable) {
  FakeFile file;
  file.exists = false;
  auto source = BearerTokenSource::FromFile(kPath, file.Io(), "fallback-777");
  EXPECT_EQ(*source->Current(), "fallback-777");
  file.exists = true;
  EXPECT_EQ(*source->Current(), "first-token-1111");
  EXPECT_EQ(source->Description(), "the token file /fake/token");
}

TEST(BearerTokenSourceTest, RealFileRotation) {
  tests::TempDir dir("kube-token");
  std::string path = WriteFile(dir.File("token"), "real-one-aaaa\n");
  auto source = BearerTokenSource::FromFile(path, KubeIo{});
  EXPECT_EQ(*source->Current(), "real-one-aaaa");
  // As the kubelet does: write a new file, rename it over the old one (new
  // inode, whatever the mtime granularity).
  WriteFile(dir.File("token.new"), "real-two-bbbb");
  std::filesystem::rename(dir.File("token.new"), path);
  EXPECT_EQ(*source->Current(), "real-two-bbbb");
}

TEST(BearerTokenSourceTest, ConcurrentCallersSeeWholeTokens) {
  FakeFile file;
  std::atomic<bool> stop{false};
  std::mutex mu;  // guards file while the rotating thread changes it
  KubeIo io = file.Io();
  KubeIo locked;
  locked.stat = [&](const std::string& p) {
    std::lock_guard<std::mutex> l(mu);
    return io.stat(p);
  };
  locked.read_file = [&](const std::string& p) {
    std::lock_guard<std::mutex> l(mu);
    return io.read_file(p);
  };
  locked.now = [&] {
    std::lock_guard<std::mutex> l(mu);
    return io.now();
  };
  auto source = BearerTokenSource::FromFile(kPath, locked);
  std::set<std::string> valid;
  for (int i = 0; i < 50; ++i) valid.insert(absl::StrCat("token-", i));
  {
    std::lock_guard<std::mutex> l(mu);
    file.content = "token-0";
  }
  std::vector<std::thread> readers;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        absl::StatusOr<std::string> token = source->Current();
        if (!token.ok() || valid.count(*token) == 0) ++bad;
      }
    });
  }
  for (int i = 1; i < 50; ++i) {
    std::lock_guard<std::mutex> l(mu);
    file.content = absl::StrCat("token-", i);
    file.stamp.inode = i;
  }
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(*source->Current(), "token-49");
}

}  // namespace
}  // namespace tao::platforms::kubernetes
