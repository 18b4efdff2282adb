#include "tests/fakes/common/http_server_thread.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "httplib.h"

namespace tao::fakes {

HttpServerThread::~HttpServerThread() { Stop(); }

absl::Status HttpServerThread::Start(std::unique_ptr<httplib::Server> server,
                                     const std::string& host, int port,
                                     Handler handler) {
  server_ = std::move(server);
  httplib::Server* s = server_.get();
  for (auto add :
       {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put,
        &httplib::Server::Delete, &httplib::Server::Patch}) {
    (s->*add)(".*", handler);
  }
  if (port == 0) {
    port_ = s->bind_to_any_port(host);
  } else if (s->bind_to_port(host, port)) {
    port_ = port;
  }
  if (port_ <= 0) {
    port_ = 0;
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", host, ":", port));
  }
  thread_ = std::thread([s] { s->listen_after_bind(); });
  // httplib 0.11 has no wait_until_ready(); the socket already listens
  // (bind), so connections queue until the loop runs.
  while (!s->is_running()) absl::SleepFor(absl::Milliseconds(1));
  return absl::OkStatus();
}

void HttpServerThread::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

absl::Status StartApiListener(HttpServerThread* http,
                              std::unique_ptr<httplib::Server> server,
                              const std::string& host, int port, int threads,
                              HttpServerThread::Handler handler) {
  server->new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  server->set_payload_max_length(16 << 20);
  absl::Status started =
      http->Start(std::move(server), host, port, std::move(handler));
  if (!started.ok()) {
    return absl::UnavailableError(absl::StrCat(
        started.message(), "; pick another --listen address or port 0"));
  }
  return absl::OkStatus();
}

}  // namespace tao::fakes
