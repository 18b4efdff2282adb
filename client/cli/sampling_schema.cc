#include "client/cli/sampling_schema.h"

namespace tao::cli {

std::optional<CliError> DescribeSamplingFields(
    const CliContext& context, const std::string& network_arch,
    absl::Duration timeout, std::optional<SamplingFields>* fields) {
  tao::inference::v1::DescribeArchitecturesResponse response;
  const grpc::Status status = context.stub.DescribeArchitectures(
      context.NewCall(timeout).get(),
      tao::inference::v1::DescribeArchitecturesRequest(), &response);
  if (!status.ok()) return context.RpcError(status, timeout);
  fields->reset();
  for (const auto& arch : response.architectures()) {
    if (arch.network_arch() != network_arch) continue;
    *fields = SamplingFields(arch.sampling_fields().begin(),
                             arch.sampling_fields().end());
  }
  return std::nullopt;
}

}  // namespace tao::cli
