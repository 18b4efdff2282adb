// SIGKILL during a burst of Starts: the registry file must stay valid and
// hold every service that was reported started; a Start cut off in flight
// may or may not have been recorded, and retrying it with its request_id
// after the restart neither loses nor duplicates it.
#include <signal.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/server_harness.h"

namespace tao::integration {
namespace {

// Workloads launched but not yet recorded when the server dies keep their
// ports, so the retries after the restart need up to 2 * kStarts -
// kKillAfterReplies ports of the harness's 16.
constexpr int kStarts = 8;
constexpr int kKillAfterReplies = 3;

v1::StartRequest BurstRequest(int i) {
  v1::StartRequest request;
  request.set_platform("test");
  request.set_network_arch("cosmos-rl");
  request.set_model_path(absl::StrCat("/models/burst-", i));
  request.set_request_id(absl::StrCat("burst-", i));
  return request;
}

TEST(CrashTest, SigkillDuringBurstOfStartsLosesNothingReported) {
  ServerHarness server;
  ASSERT_TRUE(server.Start().ok()) << server.Log();

  std::mutex mu;
  std::map<std::string, std::string> reported;  // request_id -> job_id
  absl::Notification enough_replies;
  std::vector<std::thread> threads;
  for (int i = 0; i < kStarts; ++i) {
    threads.emplace_back([&, i] {
      auto stub = server.NewStub();
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(60));
      v1::StartResponse response;
      if (stub->Start(&context, BurstRequest(i), &response).ok()) {
        std::lock_guard<std::mutex> lock(mu);
        reported[BurstRequest(i).request_id()] = response.service().job_id();
        if (reported.size() == kKillAfterReplies) enough_replies.Notify();
      }
    });
  }
  ASSERT_TRUE(enough_replies.WaitForNotificationWithTimeout(absl::Seconds(60)));
  server.Signal(SIGKILL);
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(server.WaitExit(absl::Seconds(10)).ok());

  // The file is whole JSON and holds every reported service.
  nlohmann::json state = server.ReadState();
  ASSERT_FALSE(state.is_discarded()) << "registry is not valid JSON";
  ASSERT_TRUE(state.is_object());
  std::map<std::string, std::string> recorded;  // request_id -> job_id
  std::set<std::string> launching;              // request_ids recorded PENDING
  for (const auto& [key, entry] : state.items()) {
    if (key == "latest") continue;
    ASSERT_TRUE(entry.contains("request_id")) << entry.dump();
    recorded[entry["request_id"]] = key;
    EXPECT_EQ(entry["job_id"], key);
    if (entry.value("state", "") == "PENDING") {
      launching.insert(entry["request_id"]);
    }
  }
  for (const auto& [request_id, job_id] : reported) {
    ASSERT_TRUE(recorded.count(request_id)) << request_id << " was lost";
    EXPECT_EQ(recorded[request_id], job_id);
  }
  if (state.contains("latest")) {
    EXPECT_TRUE(state.contains(state["latest"].get<std::string>()));
  }

  // After a restart, every request retried with its request_id ends with
  // exactly one service: the launched ones are replayed, not duplicated. A
  // launch the kill cut short (recorded PENDING) is adopted when its
  // workload runs, else its entry is dropped and the retry starts afresh.
  ASSERT_TRUE(server.Start().ok()) << server.Log();
  auto stub = server.NewStub();
  std::set<std::string> job_ids;
  for (int i = 0; i < kStarts; ++i) {
    grpc::ClientContext context;
    v1::StartResponse response;
    grpc::Status status = stub->Start(&context, BurstRequest(i), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    const std::string request_id = BurstRequest(i).request_id();
    if (recorded.count(request_id) && !launching.count(request_id)) {
      EXPECT_TRUE(response.replayed()) << request_id;
    }
    if (!recorded.count(request_id)) {
      EXPECT_FALSE(response.replayed()) << request_id;
    }
    if (response.replayed()) {
      EXPECT_EQ(response.service().job_id(), recorded[request_id]);
    }
    job_ids.insert(response.service().job_id());
  }
  EXPECT_EQ(job_ids.size(), static_cast<size_t>(kStarts));
  grpc::ClientContext context;
  v1::ListResponse listed;
  ASSERT_TRUE(stub->List(&context, v1::ListRequest(), &listed).ok());
  EXPECT_EQ(listed.services_size(), kStarts);
}

}  // namespace
}  // namespace tao::integration
