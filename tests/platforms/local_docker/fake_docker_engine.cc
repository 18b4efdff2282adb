#include "tests/platforms/local_docker/fake_docker_engine.h"

#include <httplib.h>

#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"

namespace tao::platforms::local_docker::testing {
namespace {

void Json(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

}  // namespace

FakeDockerEngine::FakeDockerEngine(Script script)
    : script_(std::move(script)), server_(std::make_unique<httplib::Server>()) {
  httplib::Server& s = *server_;
  const std::string v = absl::StrCat("/v", script_.min_api_version);
  auto record = [this](const httplib::Request& request) {
    Recorded r;
    r.method = request.method;
    r.path = request.path;
    for (const auto& [key, value] : request.params) r.query[key] = value;
    r.registry_auth = request.get_header_value("X-Registry-Auth");
    r.body = request.body;
    Record(r);
  };

  s.Get("/version", [this, record](const httplib::Request& request,
                                   httplib::Response& response) {
    record(request);
    Json(response, 200,
         {{"ApiVersion", script_.api_version},
          {"MinAPIVersion", script_.min_api_version},
          {"Version", "fake"}});
  });
  s.Get(v + R"(/images/(.+)/json)",
        [this, record](const httplib::Request& request,
                       httplib::Response& response) {
          record(request);
          absl::MutexLock lock(&mu_);
          if (image_present_) {
            Json(response, 200, {{"Id", "sha256:fake"}});
          } else {
            Json(response, 404,
                 {{"message",
                   absl::StrCat("No such image: ", request.matches[1].str())}});
          }
        });
  s.Post(v + "/images/create", [this, record](const httplib::Request& request,
                                              httplib::Response& response) {
    record(request);
    bool failed = false;
    for (const std::string& line : script_.pull_lines) {
      failed = failed || absl::StrContains(line, "\"error\"");
    }
    {
      absl::MutexLock lock(&mu_);
      image_present_ = !failed;
    }
    // Streamed in chunks, as the engine does.
    auto lines = std::make_shared<std::vector<std::string>>(script_.pull_lines);
    response.set_chunked_content_provider(
        "application/json",
        [lines, delay = script_.pull_line_delay, next = size_t{0}](
            size_t, httplib::DataSink& sink) mutable {
          if (next < lines->size()) {
            absl::SleepFor(delay);
            const std::string chunk = (*lines)[next++] + "\r\n";
            sink.write(chunk.data(), chunk.size());
          } else {
            sink.done();
          }
          return true;
        });
  });
  s.Get(v + R"(/networks/(.+))",
        [record](const httplib::Request& request, httplib::Response& response) {
          record(request);
          Json(response, 200, {{"Name", request.matches[1].str()}});
        });
  s.Post(v + "/containers/create", [record](const httplib::Request& request,
                                            httplib::Response& response) {
    record(request);
    Json(response, 201, {{"Id", "fakecontainer"}, {"Warnings", nullptr}});
  });
  s.Post(
      v + R"(/containers/([^/]+)/start)",
      [record](const httplib::Request& request, httplib::Response& response) {
        record(request);
        response.status = 204;
      });
  s.Get(v + R"(/containers/([^/]+)/json)",
        [this, record](const httplib::Request& request,
                       httplib::Response& response) {
          record(request);
          const bool running = script_.container_status == "running";
          Json(response, 200,
               {{"State",
                 {{"Status", script_.container_status},
                  {"Running", running},
                  {"ExitCode", running ? 0 : script_.container_exit_code}}}});
        });
  // A container made without a TTY: stdout and stderr multiplexed in frames
  // of an 8-byte header (stream type, 3 zero bytes, big-endian length) and
  // the payload ("Stream format" in the ContainerAttach reference; the
  // Content-Type is the one API 1.42+ sends).
  s.Get(v + R"(/containers/([^/]+)/logs)", [this, record](
                                               const httplib::Request& request,
                                               httplib::Response& response) {
    record(request);
    std::string body;
    const std::string& text = script_.container_logs;
    if (!text.empty()) {
      body.assign("\x01\0\0\0", 4);  // stdout
      const uint32_t size = static_cast<uint32_t>(text.size());
      for (int shift : {24, 16, 8, 0}) {
        body.push_back(static_cast<char>((size >> shift) & 0xff));
      }
      body += text;
    }
    response.status = 200;
    response.set_content(body, "application/vnd.docker.multiplexed-stream");
  });
  s.set_error_handler(
      [record](const httplib::Request& request, httplib::Response& response) {
        if (response.status == 404 && response.body.empty()) {
          record(request);
          Json(response, 404, {{"message", "page not found"}});
        }
      });

  port_ = s.bind_to_any_port("127.0.0.1");
  // The socket listens from bind on: requests queue until the loop runs.
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

FakeDockerEngine::~FakeDockerEngine() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakeDockerEngine::docker_host() const {
  return absl::StrCat("tcp://127.0.0.1:", port_);
}

std::vector<FakeDockerEngine::Recorded> FakeDockerEngine::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

void FakeDockerEngine::Record(const Recorded& request) {
  absl::MutexLock lock(&mu_);
  requests_.push_back(request);
}

}  // namespace tao::platforms::local_docker::testing
