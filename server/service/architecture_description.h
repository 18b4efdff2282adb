// The catalog as DescribeArchitectures answers it: what clients need to ask
// for and check sampling fields and media without a copy of config/.
#ifndef TAO_SERVER_SERVICE_ARCHITECTURE_DESCRIPTION_H_
#define TAO_SERVER_SERVICE_ARCHITECTURE_DESCRIPTION_H_

#include "server/core/catalog/catalog.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::service {

// Every architecture of `catalog`, sorted by name, with the sampling fields
// it accepts (unsupported ones left out) in prompt order.
tao::inference::v1::DescribeArchitecturesResponse DescribeArchitectures(
    const catalog::Catalog& catalog);

}  // namespace tao::service

#endif  // TAO_SERVER_SERVICE_ARCHITECTURE_DESCRIPTION_H_
