#include "platforms/kubernetes/auth_error.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::kubernetes {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "tok-SECRET-4f8a9c1e77";

// The 401 body of a real API server (docs: k8s-fake-fidelity §4).
constexpr char kUnauthorized[] =
    R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
    R"("message":"Unauthorized","reason":"Unauthorized","code":401})";
constexpr char kForbidden[] =
    R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
    R"("message":"jobs.batch is forbidden: User \"system:serviceaccount:ns1:)"
    R"(runner\" cannot create resource \"jobs\" in API group \"batch\" in )"
    R"(the namespace \"ns1\"","reason":"Forbidden","details":{"group":)"
    R"("batch","kind":"jobs"},"code":403})";

KubeCredentials FromKubeconfig() {
  KubeCredentials c;
  c.server = "https://k8s.example.com:6443";
  c.context = "prod";
  c.user = "alice";
  c.cluster = "prod-cluster";
  c.namespace_ = "ns1";
  c.context_file = "/home/a/.kube/config";
  c.user_file = "/home/a/.kube/users";
  c.source = "kubeconfig /home/a/.kube/config (context prod)";
  c.token = BearerTokenSource::Fixed(kToken);
  return c;
}

TEST(AuthErrorTest, UnauthorizedNamesServerUserContextAndFile) {
  absl::Status s = AuthErrorStatus(FromKubeconfig(), 401, kUnauthorized);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(s.message(),
            "the API server at https://k8s.example.com:6443 refused the "
            "credentials of user \"alice\" in context \"prod\" (kubeconfig "
            "/home/a/.kube/users): Unauthorized; check that the token or "
            "client certificate of user \"alice\" is still valid (kubectl "
            "--context prod auth whoami), or pick another context");
}

TEST(AuthErrorTest, ForbiddenCarriesTheServersMessageAndTheNamespace) {
  absl::Status s = AuthErrorStatus(FromKubeconfig(), 403, kForbidden);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(),
            "the API server at https://k8s.example.com:6443 refused the "
            "request of user \"alice\" in context \"prod\" (kubeconfig "
            "/home/a/.kube/users): jobs.batch is forbidden: User "
            "\"system:serviceaccount:ns1:runner\" cannot create resource "
            "\"jobs\" in API group \"batch\" in the namespace \"ns1\"; check "
            "the RBAC rules for this identity in namespace ns1 (kubectl "
            "--context prod auth can-i --list -n ns1)");
}

TEST(AuthErrorTest, InClusterNamesTheServiceAccount) {
  KubeCredentials c;
  c.in_cluster = true;
  c.server = "https://10.0.0.1:443";
  c.namespace_ = "jobs";
  c.source = "in-cluster";
  c.token = BearerTokenSource::FromFile("/sa/token", KubeIo{}, kToken);
  absl::Status s = AuthErrorStatus(c, 401, kUnauthorized);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(s.message(),
            "the API server at https://10.0.0.1:443 refused the credentials "
            "of the pod's service account (the token file /sa/token) "
            "(in-cluster credentials): Unauthorized; check that the pod's "
            "service-account token is mounted and not expired");
}

TEST(AuthErrorTest, UserWithoutOwnFileFallsBackToTheContextsFile) {
  KubeCredentials c = FromKubeconfig();
  c.user_file.clear();
  c.user.clear();
  absl::Status s = AuthErrorStatus(c, 401, kUnauthorized);
  EXPECT_THAT(s.message(), HasSubstr("user \"(none)\" in context \"prod\" "
                                     "(kubeconfig /home/a/.kube/config)"));
}

TEST(AuthErrorTest, SecretsTheServerEchoesAreRedacted) {
  KubeCredentials c = FromKubeconfig();
  c.tls.client_key_pem = "-----BEGIN KEY-----KEYSECRET-----END KEY-----";
  std::string body = absl::StrCat(
      R"({"kind":"Status","apiVersion":"v1","message":"bad token )", kToken,
      " and key ", c.tls.client_key_pem, R"(","code":401})");
  absl::Status s = AuthErrorStatus(c, 401, body);
  EXPECT_THAT(s.message(), Not(HasSubstr(kToken)));
  EXPECT_THAT(s.message(), Not(HasSubstr("KEYSECRET")));
  EXPECT_THAT(s.message(),
              HasSubstr("bad token [REDACTED] and key [REDACTED]"));
}

TEST(AuthErrorTest, StatusMessageOfOtherBodies) {
  EXPECT_EQ(StatusMessageOf(401, ""), "HTTP 401");
  EXPECT_EQ(StatusMessageOf(403, "<html>\n<h1>Forbidden</h1>"), "<html>");
  EXPECT_EQ(
      StatusMessageOf(401, R"({"kind":"Status","reason":"Unauthorized"})"),
      "Unauthorized");
  EXPECT_EQ(StatusMessageOf(403, std::string(300, 'x')),
            std::string(200, 'x') + "...");
}

TEST(AuthErrorTest, OtherStatusesUseTheSharedMapping) {
  EXPECT_FALSE(IsAuthRejection(404));
  EXPECT_TRUE(IsAuthRejection(401));
  EXPECT_TRUE(IsAuthRejection(403));
  absl::Status s = AuthErrorStatus(
      FromKubeconfig(), 404,
      R"({"kind":"Status","apiVersion":"v1","message":"jobs.batch \"x\" not found","code":404})");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(),
            "the API server at https://k8s.example.com:6443: jobs.batch \"x\" "
            "not found");
}

}  // namespace
}  // namespace tao::platforms::kubernetes
