// BackendClient against the reference backend (tests/fakes), a real HTTP
// server run as a child process: readiness in both body shapes, every chat
// status, transport failures, deadlines, cancellation, redaction and
// connection reuse.
#include "server/core/backend/backend_client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/core/common/errors.h"
#include "tests/fakes/reference_backend_process.h"
#include "tests/support/free_port.h"

namespace tao::backend {
namespace {

using fakes::CosmosPredictArgs;
using fakes::CosmosRlArgs;
using fakes::ReferenceBackendProcess;
using Json = nlohmann::json;
using Kind = Readiness::Kind;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Only bounds on waiting for a state; never asserted as durations.
constexpr absl::Duration kGenerous = absl::Seconds(60);
constexpr char kSecret[] = "hf_backend_client_test_secret";

std::unique_ptr<ReferenceBackendProcess> StartBackend(
    std::vector<std::string> args) {
  ReferenceBackendProcess::Options options;
  options.args = std::move(args);
  absl::StatusOr<std::unique_ptr<ReferenceBackendProcess>> backend =
      ReferenceBackendProcess::Start(std::move(options));
  EXPECT_TRUE(backend.ok()) << backend.status();
  return backend.ok() ? std::move(*backend) : nullptr;
}

BackendClient::Options ClientOptions() {
  BackendClient::Options options;
  options.redactor = platforms::Redactor({kSecret});
  return options;
}

std::string ChatBody(const std::string& prompt, const Json& extra = {}) {
  Json body = {{"messages",
                {{{"role", "user"},
                  {"content",
                   {{{"type", "text"}, {"text", prompt}},
                    {{"type", "image_url"},
                     {"image_url",
                      {{"url", "data:image/png;base64,iVBORw0KGgo="}}}}}}}}}};
  if (extra.is_object()) body.update(extra);
  return body.dump();
}

absl::Time Later() { return absl::Now() + kGenerous; }
bool NeverCancelled() { return false; }

// A local port where nothing listens, held for the test so no one else
// takes it: connecting is refused.
std::string RefusedUrl(const tests::LoopbackSocket& port) {
  return "http://127.0.0.1:" + std::to_string(port.port());
}

// Polls readiness until `done` says so (bounded by kGenerous).
template <typename Done>
std::vector<Readiness> PollReadiness(BackendClient& client,
                                     const std::string& url, Done done) {
  std::vector<Readiness> seen;
  const absl::Time give_up = Later();
  while (absl::Now() < give_up) {
    seen.push_back(client.CheckReadiness(url));
    if (done(seen.back())) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return seen;
}

// ---- Readiness -----------------------------------------------------------

struct StateCase {
  std::string state;  // for /_reference/control
  Kind kind;
  std::string error_type;  // in the {"error":{"type"}} shape
  std::string reason;      // in the {"status":"not_ready","reason"} shape
};

const StateCase kStates[] = {
    {"initializing", Kind::kInitializing, "server_initializing",
     "server_initializing"},
    {"loading", Kind::kLoading, "model_loading", "model_loading"},
    {"not_loaded", Kind::kLoading, "model_not_ready", "model_not_loaded"},
    {"init_failed", Kind::kFailed, "initialization_error",
     "initialization_failed"},
    {"load_failed", Kind::kFailed, "model_load_error", "model_load_failed"},
    {"ready", Kind::kReady, "ready", "ready"},
};

// The parameter: the real server's body shape (knob shape-status) or not.
class ReadinessTest : public ::testing::TestWithParam<bool> {
 protected:
  std::string Knobs(const std::string& knobs) const {
    return "/models/reasoner" + knobs + (GetParam() ? "+shape-status" : "");
  }
};

TEST_P(ReadinessTest, EveryStateIsClassified) {
  auto backend = StartBackend(CosmosRlArgs(Knobs("+init-ms-600000")));
  ASSERT_NE(backend, nullptr);
  BackendClient client(ClientOptions());
  for (const StateCase& c : kStates) {
    SCOPED_TRACE(c.state);
    ASSERT_TRUE(backend->Control({{"state", c.state}}).ok());
    Readiness readiness = client.CheckReadiness(backend->url());
    EXPECT_EQ(readiness.kind, c.kind);
    EXPECT_EQ(readiness.type, GetParam() ? c.reason : c.error_type);
    EXPECT_EQ(readiness.http_status, c.kind == Kind::kReady ? 200 : 503);
    if (c.kind != Kind::kReady) {
      EXPECT_FALSE(readiness.message.empty());
    }
  }
}

TEST_P(ReadinessTest, FollowsInitThenLoadThenReady) {
  auto backend = StartBackend(CosmosRlArgs(Knobs("+init-ms-300+load-ms-300")));
  ASSERT_NE(backend, nullptr);
  BackendClient client(ClientOptions());
  std::vector<Readiness> seen =
      PollReadiness(client, backend->url(), [](const Readiness& r) {
        return r.kind == Kind::kReady || r.kind == Kind::kFailed;
      });
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().kind, Kind::kReady);
  // Never goes back: initializing, then loading, then ready.
  auto rank = [](Kind kind) {
    return kind == Kind::kInitializing ? 0 : kind == Kind::kLoading ? 1 : 2;
  };
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_LE(rank(seen[i - 1].kind), rank(seen[i].kind)) << "at poll " << i;
    EXPECT_NE(seen[i].kind, Kind::kUnreachable);
  }
}

TEST_P(ReadinessTest, FailureKnobsEndInFailed) {
  struct Case {
    std::string knob;
    std::string error_type;
    std::string reason;
  };
  for (const Case& c :
       {Case{"+fail-init", "initialization_error", "initialization_failed"},
        Case{"+load-ms-50+fail-load", "model_load_error",
             "model_load_failed"}}) {
    SCOPED_TRACE(c.knob);
    auto backend = StartBackend(CosmosRlArgs(Knobs(c.knob)));
    ASSERT_NE(backend, nullptr);
    BackendClient client(ClientOptions());
    std::vector<Readiness> seen =
        PollReadiness(client, backend->url(), [](const Readiness& r) {
          return r.kind == Kind::kReady || r.kind == Kind::kFailed;
        });
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().kind, Kind::kFailed);
    EXPECT_EQ(seen.back().type, GetParam() ? c.reason : c.error_type);
    EXPECT_THAT(seen.back().message, HasSubstr("knob"));
  }
}

INSTANTIATE_TEST_SUITE_P(BothShapes, ReadinessTest, ::testing::Bool(),
                         [](const auto& info) {
                           return info.param ? "StatusShape" : "ErrorShape";
                         });

TEST(ReadinessTransportTest, NothingListeningIsUnreachable) {
  tests::LoopbackSocket port;
  BackendClient client(ClientOptions());
  Readiness readiness = client.CheckReadiness(RefusedUrl(port));
  EXPECT_EQ(readiness.kind, Kind::kUnreachable);
  EXPECT_FALSE(readiness.type.empty());
  EXPECT_FALSE(readiness.message.empty());
  EXPECT_EQ(readiness.http_status, 0);
}

TEST(ReadinessTransportTest, SecretsInMessagesAreRedacted) {
  auto backend = StartBackend(CosmosRlArgs("/models/r+init-ms-600000"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend
                  ->Control({{"state", "load_failed"},
                             {"message", std::string("bad token ") + kSecret}})
                  .ok());
  BackendClient client(ClientOptions());
  Readiness readiness = client.CheckReadiness(backend->url());
  EXPECT_EQ(readiness.kind, Kind::kFailed);
  EXPECT_EQ(readiness.message, "bad token [REDACTED]");
}

// ---- Chat answers --------------------------------------------------------

struct ChatCase {
  std::string name;
  Json control;  // applied before the request (null: none)
  std::string body;
  absl::StatusCode code;
  inference::v1::ErrorReason reason;
  std::string backend_type;
  int http_status;
  std::string message_prefix;
};

void PrintTo(const ChatCase& c, std::ostream* os) { *os << c.name; }

class ChatStatusTest : public ::testing::TestWithParam<ChatCase> {};

TEST_P(ChatStatusTest, MapsToCodeAndDetails) {
  const ChatCase& c = GetParam();
  auto backend = StartBackend(CosmosRlArgs("/models/r+init-ms-600000"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->Control({{"state", "ready"}}).ok());
  if (!c.control.is_null()) {
    ASSERT_TRUE(backend->Control(c.control).ok());
  }
  BackendClient client(ClientOptions());

  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      backend->url(), c.body, Later(), &NeverCancelled);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), c.code) << reply.status();
  EXPECT_THAT(std::string(reply.status().message()),
              StartsWith(c.message_prefix));
  std::optional<inference::v1::ErrorDetails> details =
      core::GetDetails(reply.status());
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->reason_code(), c.reason);
  EXPECT_EQ(details->backend_error_type(), c.backend_type);
  EXPECT_EQ(details->backend_http_status(), c.http_status);

  // Sent exactly once.
  absl::StatusOr<Json> requests = backend->Requests();
  ASSERT_TRUE(requests.ok()) << requests.status();
  EXPECT_EQ(requests->size(), 1u);
}

const std::string kGoodBody = ChatBody("What is in this picture?");

INSTANTIATE_TEST_SUITE_P(
    Table, ChatStatusTest,
    ::testing::Values(
        ChatCase{"Initializing",
                 {{"state", "initializing"}},
                 kGoodBody,
                 absl::StatusCode::kUnavailable,
                 inference::v1::ERROR_REASON_NOT_READY,
                 "server_initializing",
                 202,
                 "backend answered HTTP 202 server_initializing: "},
        ChatCase{"Loading",
                 {{"state", "loading"}},
                 kGoodBody,
                 absl::StatusCode::kUnavailable,
                 inference::v1::ERROR_REASON_NOT_READY,
                 "model_loading",
                 202,
                 "backend answered HTTP 202 model_loading: "},
        ChatCase{"InitFailed",
                 {{"state", "init_failed"}},
                 kGoodBody,
                 absl::StatusCode::kFailedPrecondition,
                 inference::v1::ERROR_REASON_MODEL_LOAD_FAILED,
                 "initialization_error",
                 503,
                 "backend answered HTTP 503 initialization_error: "},
        ChatCase{"LoadFailed",
                 {{"state", "load_failed"}},
                 kGoodBody,
                 absl::StatusCode::kFailedPrecondition,
                 inference::v1::ERROR_REASON_MODEL_LOAD_FAILED,
                 "model_load_error",
                 503,
                 "backend answered HTTP 503 model_load_error: "},
        ChatCase{"NotLoaded",
                 {{"state", "not_loaded"}},
                 kGoodBody,
                 absl::StatusCode::kUnavailable,
                 inference::v1::ERROR_REASON_NOT_READY,
                 "model_not_ready",
                 503,
                 "backend answered HTTP 503 model_not_ready: "},
        ChatCase{"MissingMedia", nullptr,
                 R"({"messages":[{"role":"user","content":"hi"}]})",
                 absl::StatusCode::kInvalidArgument,
                 inference::v1::ERROR_REASON_BACKEND_ERROR, "invalid_request",
                 400,
                 "backend answered HTTP 400 invalid_request: Cosmos requires "
                 "'media' parameter"},
        ChatCase{"EmptyBody", nullptr, "", absl::StatusCode::kInvalidArgument,
                 inference::v1::ERROR_REASON_BACKEND_ERROR, "invalid_request",
                 400,
                 "backend answered HTTP 400 invalid_request: Request body is "
                 "required"},
        ChatCase{
            "UnsupportedMedia", nullptr,
            R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/svg+xml;base64,AAAA"}}]}]})",
            absl::StatusCode::kInvalidArgument,
            inference::v1::ERROR_REASON_BACKEND_ERROR, "invalid_request", 400,
            "backend answered HTTP 400 invalid_request: Unsupported "
            "media type"},
        ChatCase{"InternalError",
                 {{"chat_status", 500},
                  {"error_type", "internal_error"},
                  {"message", "CUDA out of memory"}},
                 kGoodBody,
                 absl::StatusCode::kInternal,
                 inference::v1::ERROR_REASON_BACKEND_ERROR,
                 "internal_error",
                 500,
                 "backend answered HTTP 500 internal_error: CUDA out of "
                 "memory"}),
    [](const auto& info) { return info.param.name; });

TEST(ChatTest, CosmosRlAnswerEchoesTheRequest) {
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  BackendClient client(ClientOptions());
  const std::string body =
      ChatBody("Count the cars", {{"max_tokens", 77}, {"temperature", 0.3}});
  // A trailing slash on host_url is fine.
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      backend->url() + "/", body, Later(), &NeverCancelled);
  ASSERT_TRUE(reply.ok()) << reply.status();
  Json answer = Json::parse(reply->body);
  EXPECT_EQ(answer["object"], "chat.completion");
  EXPECT_EQ(answer["model"], "/models/r");
  EXPECT_FALSE(answer.contains("usage"));
  EXPECT_THAT(answer["choices"][0]["message"]["content"].get<std::string>(),
              HasSubstr("prompt=\"Count the cars\" system=\"\" media=1 "
                        "max_new_tokens=77 temperature=0.3"));

  absl::StatusOr<Json> requests = backend->Requests();
  ASSERT_TRUE(requests.ok());
  ASSERT_EQ(requests->size(), 1u);
  EXPECT_EQ((*requests)[0], Json::parse(body));
}

TEST(ChatTest, CosmosPredictAnswersWithAVideo) {
  auto backend = StartBackend(CosmosPredictArgs("base-2b"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  BackendClient client(ClientOptions());
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      backend->url(),
      R"({"messages":[{"role":"user","content":"a red ball"}],"max_tokens":77,"guidance":7})",
      Later(), &NeverCancelled);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_THAT(Json::parse(reply->body)["choices"][0]["message"]["content"]
                  .get<std::string>(),
              StartsWith("data:video/mp4;base64,AAAA"));  // ftyp box size
}

TEST(ChatTest, LargeBodiesGoThrough) {
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  BackendClient client(ClientOptions());
  const std::string video(32 << 20, 'A');  // 32 MiB of base64
  Json body = {
      {"messages",
       {{{"role", "user"},
         {"content",
          {{{"type", "video_url"},
            {"video_url", {{"url", "data:video/mp4;base64," + video}}}}}}}}}};
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      backend->url(), body.dump(), Later(), &NeverCancelled);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_THAT(reply->body, HasSubstr("media=1"));
}

TEST(ChatTest, BadHostUrlIsAFailedPrecondition) {
  BackendClient client(ClientOptions());
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      "ftp://127.0.0.1:1", kGoodBody, Later(), &NeverCancelled);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kFailedPrecondition)
      << reply.status();
}

// ---- Transport failures --------------------------------------------------

TEST(ChatTransportTest, CouldNotConnectSaysSoFirst) {
  tests::LoopbackSocket port;
  BackendClient client(ClientOptions());
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      RefusedUrl(port), kGoodBody, Later(), &NeverCancelled);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(reply.status().message()),
              StartsWith("could not connect"));
  EXPECT_FALSE(core::GetDetails(reply.status()).has_value());
}

// The parameter: whether the request goes out on a kept-alive connection
// (where libcurl would like to retry) or a fresh one.
class ConnectionLostTest : public ::testing::TestWithParam<bool> {};

TEST_P(ConnectionLostTest, AfterSendIsNotCouldNotConnectAndNotResent) {
  const bool reuse = GetParam();
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  BackendClient client(ClientOptions());
  if (reuse) {
    ASSERT_TRUE(client
                    .PostChatCompletion(backend->url(), kGoodBody, Later(),
                                        &NeverCancelled)
                    .ok());
  }
  ASSERT_TRUE(backend->Control({{"close_connection", true}}).ok());
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      backend->url(), kGoodBody, Later(), &NeverCancelled);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable)
      << reply.status();
  EXPECT_THAT(std::string(reply.status().message()),
              Not(StartsWith("could not connect")));
  EXPECT_THAT(std::string(reply.status().message()),
              HasSubstr("may have been processed"));
  EXPECT_FALSE(core::GetDetails(reply.status()).has_value());

  absl::StatusOr<Json> requests = backend->Requests();
  ASSERT_TRUE(requests.ok());
  EXPECT_EQ(requests->size(), reuse ? 2u : 1u) << "the request was re-sent";
}

INSTANTIATE_TEST_SUITE_P(FreshAndReused, ConnectionLostTest, ::testing::Bool(),
                         [](const auto& info) {
                           return info.param ? "Reused" : "Fresh";
                         });

TEST(ChatTransportTest, DeadlineWhileWaitingForTheAnswer) {
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  ASSERT_TRUE(backend->Control({{"chat_delay_ms", 600000}}).ok());
  BackendClient client(ClientOptions());
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      backend->url(), kGoodBody, absl::Now() + absl::Milliseconds(500),
      &NeverCancelled);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDeadlineExceeded)
      << reply.status();
  EXPECT_THAT(std::string(reply.status().message()),
              HasSubstr("may still process"));
}

TEST(ChatTransportTest, RequestTimeoutAppliesWithoutADeadline) {
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  ASSERT_TRUE(backend->Control({{"chat_delay_ms", 600000}}).ok());
  BackendClient::Options options = ClientOptions();
  options.request_timeout = absl::Milliseconds(500);
  BackendClient client(options);
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      backend->url(), kGoodBody, absl::InfiniteFuture(), &NeverCancelled);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDeadlineExceeded)
      << reply.status();
}

TEST(ChatTransportTest, PassedDeadlineSendsNothing) {
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  BackendClient client(ClientOptions());
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      backend->url(), kGoodBody, absl::Now() - absl::Seconds(1),
      &NeverCancelled);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDeadlineExceeded);
  absl::StatusOr<Json> requests = backend->Requests();
  ASSERT_TRUE(requests.ok());
  EXPECT_TRUE(requests->empty());
}

TEST(ChatTransportTest, CancelWhileWaitingForTheAnswer) {
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  ASSERT_TRUE(backend->Control({{"chat_delay_ms", 600000}}).ok());
  BackendClient client(ClientOptions());
  std::atomic<bool> cancel{false};
  // Cancels once the backend holds the request.
  std::thread canceller([&] {
    const absl::Time give_up = Later();
    while (absl::Now() < give_up) {
      absl::StatusOr<Json> requests = backend->Requests();
      if (requests.ok() && !requests->empty()) break;
      absl::SleepFor(absl::Milliseconds(20));
    }
    cancel = true;
  });
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      backend->url(), kGoodBody, Later(), [&] { return cancel.load(); });
  canceller.join();
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kCancelled)
      << reply.status();
}

TEST(ChatTransportTest, CancelledBeforehandSendsNothing) {
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  BackendClient client(ClientOptions());
  absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
      backend->url(), kGoodBody, Later(), [] { return true; });
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kCancelled);
  absl::StatusOr<Json> requests = backend->Requests();
  ASSERT_TRUE(requests.ok());
  EXPECT_TRUE(requests->empty());
}

// ---- Secrets and connection reuse ----------------------------------------

TEST(ChatSecretsTest, BackendMessagesAreRedacted) {
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  for (int status : {400, 500, 503}) {
    SCOPED_TRACE(status);
    ASSERT_TRUE(backend
                    ->Control({{"chat_status", status},
                               {"message", std::string("HF_TOKEN=") + kSecret +
                                               " was refused"}})
                    .ok());
    BackendClient client(ClientOptions());
    absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
        backend->url(), kGoodBody, Later(), &NeverCancelled);
    ASSERT_FALSE(reply.ok());
    EXPECT_THAT(std::string(reply.status().message()), Not(HasSubstr(kSecret)));
    EXPECT_THAT(std::string(reply.status().message()),
                HasSubstr("HF_TOKEN=[REDACTED] was refused"));
  }
}

TEST(ConnectionReuseTest, SequentialRequestsShareConnections) {
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  BackendClient client(ClientOptions());
  constexpr int kRequests = 20;
  for (int i = 0; i < kRequests; ++i) {
    absl::StatusOr<ChatReply> reply = client.PostChatCompletion(
        backend->url(), ChatBody("n" + std::to_string(i)), Later(),
        &NeverCancelled);
    ASSERT_TRUE(reply.ok()) << i << ": " << reply.status();
    EXPECT_THAT(reply->body, HasSubstr("prompt=\\\"n" + std::to_string(i)));
  }
  EXPECT_EQ(client.stats().requests, kRequests);
  EXPECT_GE(client.stats().new_connections, 1);
  EXPECT_LT(client.stats().new_connections, kRequests);
}

TEST(ConnectionReuseTest, ConcurrentRequestsEachArriveOnce) {
  auto backend = StartBackend(CosmosRlArgs("/models/r"));
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  BackendClient client(ClientOptions());
  constexpr int kThreads = 8;
  constexpr int kEach = 5;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        if (client
                .PostChatCompletion(backend->url(), kGoodBody, Later(),
                                    &NeverCancelled)
                .ok()) {
          ++ok;
        }
        client.CheckReadiness(backend->url());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  absl::StatusOr<Json> requests = backend->Requests();
  ASSERT_TRUE(requests.ok());
  EXPECT_EQ(requests->size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_LT(client.stats().new_connections, client.stats().requests);
}

}  // namespace
}  // namespace tao::backend
