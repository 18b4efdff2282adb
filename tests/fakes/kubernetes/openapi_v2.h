// A minimal OpenAPI v2 document in protobuf (gnostic's openapi.v2.Document,
// github.com/google/gnostic openapiv2/OpenAPIv2.proto), for kubectl up to
// 1.28, which validates with /openapi/v2 (seen: 1.27 and 1.28 ask v2 only;
// 1.29+ use v3). It holds only each kind's PATCH operation with its
// x-kubernetes-group-version-kind and a fieldValidation query parameter:
// what supportsQueryParam in
// staging/src/k8s.io/cli-runtime/pkg/resource/query_param_verifier.go
// looks for, so kubectl leaves validation to the server. It has no
// definitions, so client-side schema validation (kubectl 1.20, which
// predates fieldValidation) finds no type and checks nothing.
#ifndef TAO_TESTS_FAKES_KUBERNETES_OPENAPI_V2_H_
#define TAO_TESTS_FAKES_KUBERNETES_OPENAPI_V2_H_

#include <string>

namespace tao::fakes::kubernetes {

// The serialized Document.
std::string OpenApiV2Protobuf();

// The response's Content-Type. kubectl asks for
// "application/com.github.proto-openapi.spec.v2@v1.0+protobuf", but Go's
// mime parser rejects the "@" in a response (seen), so the "." form is
// sent (what the real server sends is unverified here).
inline constexpr char kOpenApiV2ProtobufType[] =
    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_OPENAPI_V2_H_
