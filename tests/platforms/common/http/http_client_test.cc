// The shared HTTP client against a real cpp-httplib server on 127.0.0.1
// (plain and TLS, with certificates made by openssl for the test): methods,
// query escaping, headers, bodies, streaming, limits, connection reuse, and
// how each transport failure is classified.
#include "platforms/common/http/http_client.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "platforms/common/http/http_status.h"
#include "tests/support/free_port.h"
#include "tests/support/temp_dir.h"

namespace tao::platforms::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Answers every method on /echo with what it received, as JSON.
void Echo(const httplib::Request& request, httplib::Response& response) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [name, value] : request.params) params[name] = value;
  response.set_content(
      nlohmann::json{{"method", request.method},
                     {"params", params},
                     {"x_test", request.get_header_value("X-Test")},
                     {"content_type", request.get_header_value("Content-Type")},
                     {"body", request.body}}
          .dump(),
      "application/json");
}

void AddRoutes(httplib::Server& server, absl::Notification& release) {
  server.Get("/echo", Echo);
  server.Post("/echo", Echo);
  server.Put("/echo", Echo);
  server.Patch("/echo", Echo);
  server.Delete("/echo", Echo);
  server.Get(R"(/status/(\d+))",
             [](const httplib::Request& request, httplib::Response& response) {
               response.status = std::atoi(request.matches[1].str().c_str());
               response.set_content("status body", "text/plain");
             });
  server.Get("/lines",
             [](const httplib::Request&, httplib::Response& response) {
               response.set_chunked_content_provider(
                   "text/plain", [](size_t, httplib::DataSink& sink) {
                     for (const char* piece : {"one\ntw", "o\n\n  \nthree"}) {
                       sink.write(piece, std::strlen(piece));
                     }
                     sink.done();
                     return true;
                   });
             });
  server.Get("/big", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(std::string(10000, 'x'), "text/plain");
  });
  server.Get("/slow",
             [&release](const httplib::Request&, httplib::Response& response) {
               release.WaitForNotificationWithTimeout(absl::Seconds(30));
               response.set_content("late", "text/plain");
             });
}

// A server on a free loopback port, stopped at the end of the test.
template <typename Server>
class Running {
 public:
  explicit Running(std::unique_ptr<Server> server)
      : server_(std::move(server)) {
    AddRoutes(*server_, release_);
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() is a no-op until the accept loop runs.
    for (int i = 0; i < 1000 && !server_->is_running(); ++i) {
      absl::SleepFor(absl::Milliseconds(10));
    }
  }
  ~Running() {
    release_.Notify();
    server_->stop();
    thread_.join();
  }
  std::string Url(absl::string_view scheme, absl::string_view path) const {
    return absl::StrCat(scheme, "://127.0.0.1:", port_, path);
  }
  int port() const { return port_; }

 private:
  std::unique_ptr<Server> server_;
  absl::Notification release_;
  int port_ = 0;
  std::thread thread_;
};

class HttpClientTest : public ::testing::Test {
 protected:
  Running<httplib::Server> server_{std::make_unique<httplib::Server>()};
  HttpClient client_;

  HttpRequest Request(const std::string& method, absl::string_view path) {
    HttpRequest request;
    request.method = method;
    request.url = server_.Url("http", path);
    request.timeout = absl::Seconds(20);
    return request;
  }
};

TEST_F(HttpClientTest, SendsMethodQueryHeadersAndBody) {
  for (const std::string method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    HttpRequest request = Request(method, "/echo");
    request.query = {{"name", "a b&c=d/é"}, {"empty", ""}};
    request.headers = {"X-Test: yes"};
    const std::string body = method == "GET" ? "" : R"({"k":1})";
    request.body = body;
    absl::StatusOr<HttpExchange> answer = client_.Send(request, "the server");
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(answer->content_type, "application/json");
    nlohmann::json echoed = nlohmann::json::parse(answer->body);
    EXPECT_EQ(echoed["method"], method);
    EXPECT_EQ(echoed["params"]["name"], "a b&c=d/é");
    EXPECT_EQ(echoed["params"]["empty"], "");
    EXPECT_EQ(echoed["x_test"], "yes");
    EXPECT_EQ(echoed["body"], body);
    EXPECT_EQ(echoed["content_type"], body.empty() ? "" : "application/json");
  }
}

TEST_F(HttpClientTest, AnswersWhateverTheHttpStatus) {
  absl::StatusOr<HttpExchange> answer =
      client_.Send(Request("GET", "/status/404"), "the server");
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 404);
  EXPECT_FALSE(answer->success());
  EXPECT_EQ(answer->body, "status body");
}

TEST_F(HttpClientTest, StreamsTheLinesOfASuccessfulAnswer) {
  HttpRequest request = Request("GET", "/lines");
  std::vector<std::string> lines;
  request.on_line = [&lines](absl::string_view line) {
    lines.emplace_back(line);
  };
  HttpExchange answer = client_.Exchange(request);
  ASSERT_TRUE(answer.success()) << answer.cause;
  // Blank lines are skipped; the last line needs no newline.
  EXPECT_THAT(lines, ElementsAre("one", "two", "three"));
  EXPECT_EQ(answer.body, "");

  // An error answer is collected, not streamed.
  request.url = server_.Url("http", "/status/500");
  lines.clear();
  answer = client_.Exchange(request);
  EXPECT_EQ(answer.status, 500);
  EXPECT_EQ(answer.body, "status body");
  EXPECT_TRUE(lines.empty());
}

TEST_F(HttpClientTest, KeepsAtMostMaxBodyBytes) {
  HttpRequest request = Request("GET", "/big");
  request.max_body_bytes = 100;
  HttpExchange answer = client_.Exchange(request);
  ASSERT_TRUE(answer.success()) << answer.cause;
  EXPECT_EQ(answer.body, std::string(100, 'x'));
}

TEST_F(HttpClientTest, ReusesOneConnectionForSequentialCalls) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client_.Exchange(Request("GET", "/echo")).success());
  }
  EXPECT_EQ(client_.stats().requests, 3);
  EXPECT_EQ(client_.stats().new_connections, 1);
}

TEST_F(HttpClientTest, TimeoutAfterSendingMayHaveBeenProcessed) {
  HttpRequest request = Request("GET", "/slow");
  request.timeout = absl::Milliseconds(300);
  HttpExchange exchange = client_.Exchange(request);
  EXPECT_EQ(exchange.error, TransportError::kTimedOut);
  EXPECT_TRUE(exchange.request_started);
  absl::Status status =
      TransportStatus(exchange, "the server", request.timeout);
  EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("may still process"));
  EXPECT_FALSE(RequestNotSent(status));
}

TEST_F(HttpClientTest, CancelledWhileWaiting) {
  HttpRequest request = Request("GET", "/slow");
  std::atomic<int> polls{0};
  request.cancelled = [&polls] { return ++polls > 3; };
  absl::StatusOr<HttpExchange> answer = client_.Send(request, "the server");
  EXPECT_TRUE(absl::IsCancelled(answer.status())) << answer.status();
}

TEST(HttpClientTransportTest, ClosedPortMeansNotSent) {
  // A port nothing listens on: bound and released at once.
  const int port = tests::FreeTcpPort();
  ASSERT_NE(port, 0);
  HttpClient client;
  HttpRequest request;
  request.url = absl::StrCat("http://127.0.0.1:", port, "/x");
  absl::StatusOr<HttpExchange> answer = client.Send(request, "the server");
  EXPECT_TRUE(absl::IsUnavailable(answer.status())) << answer.status();
  EXPECT_THAT(answer.status().message(),
              HasSubstr("could not connect to the server"));
  EXPECT_TRUE(RequestNotSent(answer.status()));
}

TEST(HttpClientTransportTest, NonHttpUrlIsRefused) {
  HttpClient client;
  HttpRequest request;
  request.url = "file:///etc/passwd";
  absl::StatusOr<HttpExchange> answer = client.Send(request, "the server");
  EXPECT_TRUE(absl::IsFailedPrecondition(answer.status())) << answer.status();
}

TEST(HttpStatusTest, OneMappingForEveryCaller) {
  const std::pair<long, absl::StatusCode> table[] = {
      {200, absl::StatusCode::kOk},
      {204, absl::StatusCode::kOk},
      {400, absl::StatusCode::kInvalidArgument},
      {401, absl::StatusCode::kUnauthenticated},
      {403, absl::StatusCode::kPermissionDenied},
      {404, absl::StatusCode::kNotFound},
      {409, absl::StatusCode::kAlreadyExists},
      {412, absl::StatusCode::kFailedPrecondition},
      {418, absl::StatusCode::kFailedPrecondition},
      {422, absl::StatusCode::kInvalidArgument},
      {429, absl::StatusCode::kResourceExhausted},
      {499, absl::StatusCode::kCancelled},
      {500, absl::StatusCode::kInternal},
      {501, absl::StatusCode::kUnimplemented},
      {502, absl::StatusCode::kUnavailable},
      {503, absl::StatusCode::kUnavailable},
      {504, absl::StatusCode::kDeadlineExceeded},
      {304, absl::StatusCode::kInternal},
  };
  for (const auto& [http_status, code] : table) {
    EXPECT_EQ(HttpStatusCode(http_status), code) << http_status;
    absl::Status status = HttpStatusToStatus(http_status, "what happened");
    EXPECT_EQ(status.code(), code) << http_status;
    if (!status.ok()) {
      EXPECT_EQ(status.message(), "what happened");
    }
  }
}

// A CA, a server certificate for 127.0.0.1 and a client certificate, made
// with the openssl command line once per test suite.
class HttpClientTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new tests::TempDir("http-tls");
    const std::string d = dir_->path();
    std::ofstream(d + "/server.ext")
        << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    const std::string script = absl::StrCat(
        "set -e; cd ", d,
        "; openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out "
        "ca.crt -subj /CN=test-ca -days 2 2>/dev/null"
        "; for who in server client; do openssl req -newkey rsa:2048 -nodes "
        "-keyout $who.key -out $who.csr -subj /CN=$who 2>/dev/null; done"
        "; openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key "
        "-CAcreateserial -out server.crt -days 2 -extfile server.ext "
        "2>/dev/null"
        "; openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key "
        "-CAcreateserial -out client.crt -days 2 2>/dev/null");
    ASSERT_EQ(std::system(script.c_str()), 0) << "openssl failed";
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static std::string File(absl::string_view name) {
    return absl::StrCat(dir_->path(), "/", name);
  }
  static std::string Read(absl::string_view name) {
    std::ifstream in(File(name));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // A GET through a client with `tls` to a TLS server that requires a
  // client certificate when `mutual`.
  static HttpExchange Get(const TlsOptions& tls, bool mutual) {
    Running<httplib::SSLServer> server(std::make_unique<httplib::SSLServer>(
        File("server.crt").c_str(), File("server.key").c_str(),
        mutual ? File("ca.crt").c_str() : nullptr));
    ConnectionOptions connection;
    connection.tls = tls;
    HttpClient client(connection);
    HttpRequest request;
    request.url = server.Url("https", "/echo");
    request.timeout = absl::Seconds(20);
    return client.Exchange(request);
  }

  static tests::TempDir* dir_;
};

tests::TempDir* HttpClientTlsTest::dir_ = nullptr;

TEST_F(HttpClientTlsTest, VerifiesTheServerWithACaFileOrPem) {
  TlsOptions by_file;
  by_file.ca_file = File("ca.crt");
  EXPECT_TRUE(Get(by_file, false).success());
  TlsOptions by_pem;
  by_pem.ca_pem = Read("ca.crt");
  EXPECT_TRUE(Get(by_pem, false).success());
}

TEST_F(HttpClientTlsTest, RefusesAnUnknownServerUnlessTold) {
  HttpExchange refused = Get(TlsOptions(), false);
  EXPECT_FALSE(refused.answered());
  EXPECT_FALSE(refused.request_started);
  TlsOptions insecure;
  insecure.insecure_skip_verify = true;
  EXPECT_TRUE(Get(insecure, false).success());
}

TEST_F(HttpClientTlsTest, PresentsAClientCertificateFromFilesOrPem) {
  TlsOptions none;
  none.ca_file = File("ca.crt");
  EXPECT_FALSE(Get(none, true).success());

  TlsOptions files = none;
  files.client_cert_file = File("client.crt");
  files.client_key_file = File("client.key");
  EXPECT_TRUE(Get(files, true).success());

  TlsOptions pem = none;
  pem.client_cert_pem = Read("client.crt");
  pem.client_key_pem = Read("client.key");
  EXPECT_TRUE(Get(pem, true).success());
}

}  // namespace
}  // namespace tao::platforms::http
