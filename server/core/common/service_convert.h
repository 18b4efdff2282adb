// Conversion between registry entries and the API's Service message.
#ifndef TAO_SERVER_CORE_COMMON_SERVICE_CONVERT_H_
#define TAO_SERVER_CORE_COMMON_SERVICE_CONVERT_H_

#include "absl/strings/string_view.h"
#include "server/core/registry/registry.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::core {

// `latest_job_id` marks the entry that the registry's `latest` points at.
tao::inference::v1::Service ToProto(const registry::ServiceEntry& entry,
                                    absl::string_view latest_job_id = "");

// "READY" <-> SERVICE_STATE_READY; unknown names map to UNKNOWN.
absl::string_view StateName(tao::inference::v1::ServiceState state);
tao::inference::v1::ServiceState StateFromName(absl::string_view name);

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_COMMON_SERVICE_CONVERT_H_
