// One HTTP exchange on a libcurl handle: the part of HttpClient that speaks
// libcurl. Callers use HttpClient; this is separate so it can be tested on
// its own handle.
#ifndef TAO_PLATFORMS_COMMON_HTTP_HTTP_EXCHANGE_H_
#define TAO_PLATFORMS_COMMON_HTTP_HTTP_EXCHANGE_H_

#include <curl/curl.h>

#include "platforms/common/http/http_types.h"

namespace tao::platforms::http {

// Runs `request` on `handle` (fresh from CurlHandlePool::Acquire; null
// reports kOther). A request body that was partly sent is never re-sent:
// if libcurl wants to retry it on a new connection, the exchange fails
// with kResendRefused instead.
HttpExchange PerformExchange(CURL* handle, const HttpRequest& request,
                             const ConnectionOptions& connection);

}  // namespace tao::platforms::http

#endif  // TAO_PLATFORMS_COMMON_HTTP_HTTP_EXCHANGE_H_
