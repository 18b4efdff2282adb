// The API server's error answers as absl::Status, from the Status bodies a
// real server sends (k8s-fake-fidelity.md §4).
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/kubernetes/kube_api.h"

namespace tao::platforms::kubernetes {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

KubeCredentials Credentials() {
  KubeCredentials credentials;
  credentials.server = "https://127.0.0.1:6443";
  credentials.context = "lab";
  credentials.user = "ci";
  credentials.namespace_ = "ml";
  credentials.token = BearerTokenSource::Fixed("tok_secret_kube_1234");
  return credentials;
}

TEST(KubeErrorTest, NotFoundKeepsTheServersWords) {
  absl::Status s = KubeErrorStatus(
      Credentials(), "GET job tao-x", 404,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
          "message":"jobs.batch \"tao-x\" not found","reason":"NotFound",
          "details":{"name":"tao-x","group":"batch","kind":"jobs"},"code":404})");
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("jobs.batch \"tao-x\" not found"));
  EXPECT_THAT(s.message(), HasSubstr("https://127.0.0.1:6443"));
}

TEST(KubeErrorTest, ConflictIsAlreadyExists) {
  absl::Status s =
      KubeErrorStatus(Credentials(), "create Job tao-x", 409,
                      R"({"kind":"Status","apiVersion":"v1","status":"Failure",
          "message":"jobs.batch \"tao-x\" already exists",
          "reason":"AlreadyExists","code":409})");
  EXPECT_TRUE(absl::IsAlreadyExists(s)) << s;
}

TEST(KubeErrorTest, InvalidShowsEveryCause) {
  absl::Status s =
      KubeErrorStatus(Credentials(), "create Job Bad_Name", 422,
                      R"({"kind":"Status","apiVersion":"v1","status":"Failure",
          "message":"Job.batch \"Bad_Name\" is invalid: metadata.name: Invalid value",
          "reason":"Invalid","code":422,
          "details":{"name":"Bad_Name","group":"batch","kind":"Job","causes":[
            {"reason":"FieldValueInvalid","message":"Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain ...","field":"metadata.name"},
            {"reason":"FieldValueRequired","message":"Required value","field":"spec.template.spec.containers"}]}})");
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("metadata.name: Invalid value"));
  EXPECT_THAT(s.message(),
              HasSubstr("spec.template.spec.containers: Required value"));
}

TEST(KubeErrorTest, UnauthorizedNamesContextAndUserButNotTheToken) {
  absl::Status s = KubeErrorStatus(
      Credentials(), "GET /api", 401,
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
          "message":"Unauthorized: token tok_secret_kube_1234 expired",
          "reason":"Unauthorized","code":401})");
  EXPECT_TRUE(absl::IsUnauthenticated(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("lab"));
  EXPECT_THAT(s.message(), HasSubstr("ci"));
  EXPECT_THAT(s.message(), Not(HasSubstr("tok_secret_kube_1234")));
}

TEST(KubeErrorTest, ForbiddenIsPermissionDenied) {
  absl::Status s =
      KubeErrorStatus(Credentials(), "create Job tao-x", 403,
                      R"({"kind":"Status","apiVersion":"v1","status":"Failure",
          "message":"jobs.batch is forbidden: User \"ci\" cannot create resource \"jobs\" in API group \"batch\" in the namespace \"ml\"",
          "reason":"Forbidden","code":403})");
  EXPECT_TRUE(absl::IsPermissionDenied(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("cannot create resource"));
}

TEST(KubeErrorTest, ThrottlingAndServerErrorsAreUnavailable) {
  EXPECT_TRUE(absl::IsUnavailable(KubeErrorStatus(
      Credentials(), "GET x", 429,
      R"({"kind":"Status","apiVersion":"v1","message":"Too many requests","code":429})")));
  EXPECT_TRUE(absl::IsUnavailable(
      KubeErrorStatus(Credentials(), "GET x", 503, "service unavailable")));
  EXPECT_TRUE(absl::IsInvalidArgument(KubeErrorStatus(
      Credentials(), "create Job x", 400,
      R"({"kind":"Status","apiVersion":"v1","message":"strict decoding error: unknown field \"spec.foo\"","code":400})")));
}

}  // namespace
}  // namespace tao::platforms::kubernetes
