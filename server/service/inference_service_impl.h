// gRPC handlers of tao.inference.v1.InferenceService: thin and stateless,
// each translating one call to the ServiceManager and logging one line with
// its outcome.
#ifndef TAO_SERVER_SERVICE_INFERENCE_SERVICE_IMPL_H_
#define TAO_SERVER_SERVICE_INFERENCE_SERVICE_IMPL_H_

#include "server/core/service_manager.h"
#include "server/service/in_flight_calls.h"
#include "tao/inference/v1/inference_service.grpc.pb.h"

namespace tao::service {

class InferenceServiceImpl final
    : public tao::inference::v1::InferenceService::Service {
 public:
  // `manager` must outlive this object.
  explicit InferenceServiceImpl(core::ServiceManager* manager)
      : manager_(manager) {}

  grpc::Status Start(grpc::ServerContext* context,
                     const tao::inference::v1::StartRequest* request,
                     tao::inference::v1::StartResponse* response) override;
  grpc::Status Stop(grpc::ServerContext* context,
                    const tao::inference::v1::StopRequest* request,
                    tao::inference::v1::StopResponse* response) override;
  grpc::Status List(grpc::ServerContext* context,
                    const tao::inference::v1::ListRequest* request,
                    tao::inference::v1::ListResponse* response) override;
  grpc::Status Get(grpc::ServerContext* context,
                   const tao::inference::v1::GetRequest* request,
                   tao::inference::v1::Service* response) override;
  grpc::Status WaitReady(
      grpc::ServerContext* context,
      const tao::inference::v1::WaitReadyRequest* request,
      grpc::ServerWriter<tao::inference::v1::WaitReadyEvent>* writer) override;
  grpc::Status Infer(grpc::ServerContext* context,
                     const tao::inference::v1::InferRequest* request,
                     tao::inference::v1::InferResponse* response) override;
  grpc::Status DescribeArchitectures(
      grpc::ServerContext* context,
      const tao::inference::v1::DescribeArchitecturesRequest* request,
      tao::inference::v1::DescribeArchitecturesResponse* response) override;

  // Blocks until no call runs or `deadline`; true when idle.
  bool WaitUntilIdle(absl::Time deadline) {
    return in_flight_.WaitUntilIdle(deadline);
  }

 private:
  core::ServiceManager* const manager_;
  InFlightCalls in_flight_;
};

}  // namespace tao::service

#endif  // TAO_SERVER_SERVICE_INFERENCE_SERVICE_IMPL_H_
