// HttpServerThread on loopback: every method reaches the handler, a port
// it cannot bind is refused, and Stop() ends the listener.
#include "tests/fakes/common/http_server_thread.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/fakes/common/loopback_test_socket.h"

namespace tao::fakes {
namespace {

// Answers "METHOD PATH BODY".
void Echo(const httplib::Request& request, httplib::Response& response) {
  response.set_content(request.method + " " + request.path + " " + request.body,
                       "text/plain");
}

std::unique_ptr<HttpServerThread> StartEcho(int port) {
  auto server = std::make_unique<HttpServerThread>();
  absl::Status started = server->Start(std::make_unique<httplib::Server>(),
                                       "127.0.0.1", port, Echo);
  EXPECT_TRUE(started.ok()) << started;
  return started.ok() ? std::move(server) : nullptr;
}

TEST(HttpServerThreadTest, EveryMethodReachesTheHandler) {
  std::unique_ptr<HttpServerThread> server = StartEcho(0);
  ASSERT_NE(server, nullptr);
  ASSERT_GT(server->port(), 0);
  httplib::Client client("127.0.0.1", server->port());
  httplib::Result get = client.Get("/a/b");
  ASSERT_TRUE(get) << httplib::to_string(get.error());
  EXPECT_EQ(get->body, "GET /a/b ");
  EXPECT_EQ(client.Post("/p", "x", "text/plain")->body, "POST /p x");
  EXPECT_EQ(client.Put("/p", "y", "text/plain")->body, "PUT /p y");
  EXPECT_EQ(client.Patch("/p", "z", "text/plain")->body, "PATCH /p z");
  EXPECT_EQ(client.Delete("/d")->body, "DELETE /d ");
}

TEST(HttpServerThreadTest, KeepsHowTheCallerSetTheServerUp) {
  auto configured = std::make_unique<httplib::Server>();
  configured->set_payload_max_length(4);
  HttpServerThread server;
  absl::Status started =
      server.Start(std::move(configured), "127.0.0.1", 0, Echo);
  ASSERT_TRUE(started.ok()) << started;
  httplib::Client client("127.0.0.1", server.port());
  httplib::Result small = client.Post("/", "abc", "text/plain");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
  httplib::Result large = client.Post("/", "abcdefgh", "text/plain");
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 413);
}

TEST(HttpServerThreadTest, ListensOnTheGivenPort) {
  std::unique_ptr<HttpServerThread> first = StartEcho(0);
  ASSERT_NE(first, nullptr);
  const int port = first->port();
  first.reset();  // frees the port for a start that names it
  std::unique_ptr<HttpServerThread> named = StartEcho(port);
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(named->port(), port);
  httplib::Client client("127.0.0.1", port);
  EXPECT_TRUE(client.Get("/"));
}

TEST(HttpServerThreadTest, RefusesAPortItCannotBind) {
  LoopbackTestSocket listener(/*listening=*/true);
  const int port = listener.port;

  HttpServerThread server;
  absl::Status taken = server.Start(std::make_unique<httplib::Server>(),
                                    "127.0.0.1", port, Echo);
  listener.Close();
  ASSERT_TRUE(absl::IsUnavailable(taken)) << taken;
  EXPECT_EQ(taken.message(),
            "cannot listen on 127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(server.port(), 0);
}

TEST(HttpServerThreadTest, AnApiListenerThatCannotBindSaysWhatToDo) {
  LoopbackTestSocket listener(/*listening=*/true);
  const int port = listener.port;

  HttpServerThread api;
  absl::Status taken =
      StartApiListener(&api, std::make_unique<httplib::Server>(), "127.0.0.1",
                       port, /*threads=*/2, Echo);
  listener.Close();
  ASSERT_TRUE(absl::IsUnavailable(taken)) << taken;
  EXPECT_EQ(taken.message(),
            "cannot listen on 127.0.0.1:" + std::to_string(port) +
                "; pick another --listen address or port 0");
}

TEST(HttpServerThreadTest, AnApiListenerTakesBodiesUpTo16MiB) {
  HttpServerThread api;
  absl::Status started =
      StartApiListener(&api, std::make_unique<httplib::Server>(), "127.0.0.1",
                       0, /*threads=*/2, Echo);
  ASSERT_TRUE(started.ok()) << started;
  httplib::Client client("127.0.0.1", api.port());
  httplib::Result fits =
      client.Post("/", std::string(16 << 20, 'x'), "text/plain");
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 200);
  httplib::Result too_large =
      client.Post("/", std::string((16 << 20) + 1, 'x'), "text/plain");
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
}

TEST(HttpServerThreadTest, StopAndDestructionEndServing) {
  std::unique_ptr<HttpServerThread> server = StartEcho(0);
  ASSERT_NE(server, nullptr);
  httplib::Client client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Get("/"));
  server->Stop();
  EXPECT_FALSE(client.Get("/"));
  server.reset();  // a second stop does nothing
  HttpServerThread never_started;
  never_started.Stop();
}

TEST(HttpServerThreadTest, ThePortIsKnownToTheFirstRequest) {
  HttpServerThread server;
  // The handler reads port() as a fake's handler may (its own address).
  absl::Status started = server.Start(
      std::make_unique<httplib::Server>(), "127.0.0.1", 0,
      [&server](const httplib::Request&, httplib::Response& response) {
        response.set_content(std::to_string(server.port()), "text/plain");
      });
  ASSERT_TRUE(started.ok()) << started;
  httplib::Client client("127.0.0.1", server.port());
  httplib::Result answer = client.Get("/");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body, std::to_string(server.port()));
}

}  // namespace
}  // namespace tao::fakes
