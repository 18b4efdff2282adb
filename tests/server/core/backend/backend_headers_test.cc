// BackendClient sends a platform's endpoint headers (Platform::
// EndpointHeaders, such as a Lepton deployment's bearer token) with every
// readiness probe and chat request, to an httplib server that refuses
// requests without them as Lepton's endpoint does.
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "server/core/backend/backend_client.h"
#include "tests/fakes/common/http_server_thread.h"

namespace tao::backend {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "endpoint-token-for-headers-test";

class BackendHeadersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One request per connection: the client's pooled connection would
    // otherwise hold the server's stop for its keep-alive timeout.
    auto server = std::make_unique<httplib::Server>();
    server->set_keep_alive_max_count(1);
    ASSERT_TRUE(
        http_
            .Start(std::move(server), "127.0.0.1", 0,
                   [](const httplib::Request& request,
                      httplib::Response& response) {
                     if (request.get_header_value("Authorization") !=
                         std::string("Bearer ") + kToken) {
                       response.status = 401;
                       response.set_content("Not Authorized", "text/plain");
                       return;
                     }
                     response.status = 200;
                     response.set_content(
                         request.path == "/v1/chat/completions"
                             ? R"({"choices":[{"message":{"content":"hi"}}]})"
                             : R"({"status":"ready"})",
                         "application/json");
                   })
            .ok());
    url_ = "http://127.0.0.1:" + std::to_string(http_.port());
  }

  BackendClient client_{BackendClient::Options()};
  fakes::HttpServerThread http_;
  std::string url_;
};

TEST_F(BackendHeadersTest, ReadinessCarriesTheHeaders) {
  EXPECT_EQ(client_.CheckReadiness(url_).http_status, 401);
  const Readiness ready = client_.CheckReadiness(
      url_, {std::string("Authorization: Bearer ") + kToken});
  EXPECT_EQ(ready.kind, Readiness::Kind::kReady) << ready.message;
}

TEST_F(BackendHeadersTest, ChatCarriesTheHeadersAndNoAnswerShowsThem) {
  absl::StatusOr<ChatReply> refused = client_.PostChatCompletion(
      url_, "{}", absl::Now() + absl::Seconds(10), nullptr,
      {"Authorization: Bearer wrong-token"});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), Not(HasSubstr("wrong-token")));
  absl::StatusOr<ChatReply> reply = client_.PostChatCompletion(
      url_, "{}", absl::Now() + absl::Seconds(10), nullptr,
      {std::string("Authorization: Bearer ") + kToken});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_THAT(reply->body, HasSubstr("hi"));
}

}  // namespace
}  // namespace tao::backend
