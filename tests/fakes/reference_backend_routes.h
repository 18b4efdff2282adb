// The HTTP routes of the reference test backend: the container's contract
// (spec §7-9) and the test-control routes under /_reference/.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_ROUTES_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_ROUTES_H_

#include <httplib.h>

#include "nlohmann/json.hpp"
#include "tests/fakes/reference_backend_args.h"
#include "tests/fakes/reference_backend_state.h"

namespace tao::fakes {

// Everything the routes read; must outlive the server.
struct RouteContext {
  const LaunchConfig* config = nullptr;
  const nlohmann::json* launch_info = nullptr;
  BackendState* state = nullptr;
};

void RegisterRoutes(const RouteContext& context, httplib::Server* server);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_ROUTES_H_
