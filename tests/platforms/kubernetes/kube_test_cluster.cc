#include "tests/platforms/kubernetes/kube_test_cluster.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "platforms/kubernetes/kube_api.h"

namespace tao::platforms::kubernetes::testing {

absl::StatusOr<std::unique_ptr<KubeTestCluster>> KubeTestCluster::Start(
    fakes::kubernetes::FakeKubeApiServer::Options options) {
  std::unique_ptr<KubeTestCluster> cluster(new KubeTestCluster());
  cluster->certs_ = cluster->dir_.File("certs");
  cluster->kubeconfig_ = cluster->dir_.File("kubeconfig");
  const char* source = std::getenv("TAO_SOURCE_DIR");
  if (source == nullptr) {
    return absl::FailedPreconditionError("TAO_SOURCE_DIR is not set");
  }
  const std::string make_certs =
      absl::StrCat(source, "/tests/fakes/kubernetes/make-test-certs ",
                   cluster->certs_, " >/dev/null 2>&1");
  if (std::system(make_certs.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("failed: ", make_certs));
  }
  const std::string tokens = cluster->dir_.File("tokens");
  cluster->tokens_ = tokens;
  std::ofstream(tokens) << kTestToken << ",driver-user\n";
  options.tls_cert = cluster->certs_ + "/server.crt";
  options.tls_key = cluster->certs_ + "/server.key";
  options.client_ca = cluster->certs_ + "/ca.crt";
  options.token_file = tokens;
  absl::StatusOr<std::unique_ptr<fakes::kubernetes::FakeKubeApiServer>> fake =
      fakes::kubernetes::FakeKubeApiServer::Start(std::move(options));
  if (!fake.ok()) return fake.status();
  cluster->fake_ = *std::move(fake);
  cluster->WriteKubeconfig(kTestToken);
  return cluster;
}

void KubeTestCluster::WriteKubeconfig(const std::string& token,
                                      const std::string& server) {
  WriteKubeconfigAs("kubeconfig", User{token, "", false}, server);
}

std::string KubeTestCluster::WriteKubeconfigAs(const std::string& file_name,
                                               const User& user,
                                               const std::string& server) {
  std::string credentials;
  if (!user.token.empty())
    absl::StrAppend(&credentials, "    token: ", user.token, "\n");
  if (!user.token_file.empty()) {
    absl::StrAppend(&credentials, "    tokenFile: ", user.token_file, "\n");
  }
  if (user.client_cert) {
    absl::StrAppend(&credentials,
                    "    client-certificate: certs/client.crt\n"
                    "    client-key: certs/client.key\n");
  }
  const std::string path = dir_.File(file_name);
  std::ofstream(path) << absl::StrCat(
      "apiVersion: v1\nkind: Config\ncurrent-context: lab\n"
      "clusters:\n- name: fake\n  cluster:\n    server: ",
      server.empty() ? fake_->url() : server,
      "\n    certificate-authority: certs/ca.crt\n"
      "users:\n- name: driver\n  user:\n",
      credentials,
      "contexts:\n- name: lab\n  context:\n"
      "    cluster: fake\n    user: driver\n    namespace: default\n");
  return path;
}

absl::Status KubeTestCluster::AcceptTokens(
    const std::vector<std::string>& tokens) {
  {
    std::ofstream out(tokens_);
    for (const std::string& token : tokens) out << token << ",driver-user\n";
  }
  return fake_->ReloadTokens();
}

KubeCredentials KubeTestCluster::Credentials() const {
  KubeCredentialOptions options;
  options.kubeconfig = kubeconfig_;
  absl::StatusOr<KubeCredentials> credentials = LoadKubeCredentials(options);
  EXPECT_TRUE(credentials.ok()) << credentials.status();
  return credentials.value_or(KubeCredentials());
}

int KubeTestCluster::StatusOf(const std::string& path) const {
  KubeApi api(Credentials());
  absl::StatusOr<nlohmann::json> got = api.Get(path);
  if (got.ok()) return 200;
  return absl::IsNotFound(got.status()) ? 404 : 500;
}

}  // namespace tao::platforms::kubernetes::testing
