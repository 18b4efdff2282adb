// The calls a platform's end-to-end test makes to a running tao-inferd
// (through the generated C++ stub and the tao-infer binary), each keeping
// what the client was shown, so that a test can prove a secret never
// reached a client, the server log or the registry file.
#ifndef TAO_TESTS_INTEGRATION_E2E_CALLS_H_
#define TAO_TESTS_INTEGRATION_E2E_CALLS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/integration/server_harness.h"

namespace tao::integration {

// "<prefix>-canary-<random>", a value that must never show up in text.
std::string Canary(const std::string& prefix);

class E2eCalls {
 public:
  explicit E2eCalls(const ServerHarness* server) : server_(server) {}
  // A new stub (after the server was restarted).
  void Reconnect() { stub_ = server_->NewStub(); }
  v1::InferenceService::Stub& stub();

  grpc::Status Start(const v1::StartRequest& request,
                     v1::StartResponse* response,
                     absl::Duration deadline = absl::Seconds(120));
  // Start, then WaitReady until READY (a test failure otherwise); the
  // service.
  v1::Service StartReady(const v1::StartRequest& request,
                         absl::Duration patience = absl::Seconds(90));
  WaitResult Wait(const std::string& job_id,
                  absl::Duration patience = absl::Seconds(90));
  grpc::Status Infer(const v1::InferRequest& request,
                     v1::InferResponse* response);
  grpc::Status Stop(const std::string& job_id, v1::StopResponse* response);
  grpc::Status List(v1::ListResponse* response,
                    const v1::ListRequest& request = v1::ListRequest());
  // tao-infer against the server; its output is kept.
  RunOutput Cli(const std::vector<std::string>& args);

  // A user message with `text` and, when `with_image`, a tiny PNG.
  static v1::InferRequest ChatRequest(const std::string& text, bool with_image);

  void Saw(const google::protobuf::Message& message);
  void Saw(const grpc::Status& status);
  void Saw(const RunOutput& output);
  const std::string& seen() const { return seen_; }

  // Test failures when `secret` is in what a client was shown, the server
  // log or the registry file; `what` names it in the message.
  void ExpectNowhere(const std::string& secret, const std::string& what) const;

 private:
  const ServerHarness* server_;
  std::unique_ptr<v1::InferenceService::Stub> stub_;
  std::string seen_;
};

}  // namespace tao::integration

#endif  // TAO_TESTS_INTEGRATION_E2E_CALLS_H_
