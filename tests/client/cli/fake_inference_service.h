// An in-process InferenceService for the CLI's end-to-end tests: canned
// answers per RPC, and a record of what the CLI sent. Not a server model.
#ifndef TAO_TESTS_CLIENT_CLI_FAKE_INFERENCE_SERVICE_H_
#define TAO_TESTS_CLIENT_CLI_FAKE_INFERENCE_SERVICE_H_

#include <grpcpp/server.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "tao/inference/v1/inference_service.grpc.pb.h"

namespace tao::cli::testing {

// A status whose binary details pack `details` the way tao-inferd does.
grpc::Status RichStatus(grpc::StatusCode code, const std::string& message,
                        const tao::inference::v1::ErrorDetails& details);

class FakeInferenceService final
    : public tao::inference::v1::InferenceService::Service {
 public:
  // Canned answers; set them before the CLI runs.
  tao::inference::v1::StartResponse start_response;
  grpc::Status start_status;
  // Start answers only when the client gives up (a job pending for ever).
  bool start_never_answers = false;
  // List hangs like a server that accepted the call and never answers.
  bool list_never_answers = false;
  tao::inference::v1::StopResponse stop_response;
  grpc::Status stop_status;
  tao::inference::v1::ListResponse list_response;
  grpc::Status list_status;
  // Get answers the service of list_response with the requested job id;
  // NOT_FOUND otherwise, unless get_status is set.
  grpc::Status get_status;
  std::vector<tao::inference::v1::WaitReadyEvent> wait_events;
  grpc::Status wait_status;
  tao::inference::v1::InferResponse infer_response;
  grpc::Status infer_status;
  tao::inference::v1::DescribeArchitecturesResponse describe_response;
  grpc::Status describe_status;

  // What arrived, in order.
  struct Calls {
    std::vector<tao::inference::v1::StartRequest> start;
    std::vector<tao::inference::v1::StopRequest> stop;
    std::vector<tao::inference::v1::ListRequest> list;
    std::vector<tao::inference::v1::GetRequest> get;
    std::vector<tao::inference::v1::WaitReadyRequest> wait;
    std::vector<tao::inference::v1::InferRequest> infer;
    int describe = 0;
    // Every call's method name and the deadline the server saw for it.
    std::vector<std::pair<std::string, std::chrono::system_clock::time_point>>
        deadlines;
  };
  Calls calls() const;

  grpc::Status Start(grpc::ServerContext*,
                     const tao::inference::v1::StartRequest* request,
                     tao::inference::v1::StartResponse* response) override;
  grpc::Status Stop(grpc::ServerContext*,
                    const tao::inference::v1::StopRequest* request,
                    tao::inference::v1::StopResponse* response) override;
  grpc::Status List(grpc::ServerContext*,
                    const tao::inference::v1::ListRequest* request,
                    tao::inference::v1::ListResponse* response) override;
  grpc::Status Get(grpc::ServerContext*,
                   const tao::inference::v1::GetRequest* request,
                   tao::inference::v1::Service* response) override;
  grpc::Status WaitReady(
      grpc::ServerContext*, const tao::inference::v1::WaitReadyRequest* request,
      grpc::ServerWriter<tao::inference::v1::WaitReadyEvent>* writer) override;
  grpc::Status Infer(grpc::ServerContext*,
                     const tao::inference::v1::InferRequest* request,
                     tao::inference::v1::InferResponse* response) override;
  grpc::Status DescribeArchitectures(
      grpc::ServerContext*,
      const tao::inference::v1::DescribeArchitecturesRequest* request,
      tao::inference::v1::DescribeArchitecturesResponse* response) override;

 private:
  // Records the call's deadline under `rpc`; mutex_ held.
  void Saw(const char* rpc, const grpc::ServerContext& context);

  mutable std::mutex mutex_;
  Calls calls_;
};

// The fake served on 127.0.0.1:<free port>.
class FakeServer {
 public:
  FakeServer();
  ~FakeServer();
  FakeInferenceService& service() { return service_; }
  const std::string& address() const { return address_; }

 private:
  FakeInferenceService service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace tao::cli::testing

#endif  // TAO_TESTS_CLIENT_CLI_FAKE_INFERENCE_SERVICE_H_
