#include "platforms/kubernetes/kube_credentials.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/platforms/kubernetes/kube_test_files.h"
#include "tests/support/temp_dir.h"

namespace tao::platforms::kubernetes {
namespace {

using ::testing::HasSubstr;
using testing::MapEnv;
using ::testing::Not;
using testing::WriteFile;

constexpr char kToken[] = "tok-SECRET-4f8a9c1e77";
constexpr char kOtherToken[] = "tok-OTHER-0b1c2d3e4f";
constexpr char kKeyPem[] =
    "-----BEGIN PRIVATE KEY-----\nMIIEvQKEYSECRETMATERIAL42\n"
    "-----END PRIVATE KEY-----\n";
constexpr char kCertPem[] =
    "-----BEGIN CERTIFICATE-----\nMIIBcertpublic\n-----END CERTIFICATE-----\n";
constexpr char kCaPem[] =
    "-----BEGIN CERTIFICATE-----\nMIIBcapublic\n-----END CERTIFICATE-----\n";
constexpr char kPassword[] = "pw-SECRET-99887766";

std::string B64(absl::string_view text) { return absl::Base64Escape(text); }

// A kubeconfig with one context `name` -> cluster `name` + user `name`.
// `cluster` and `user` are the YAML lines of their bodies (indented 4).
std::string OneContext(const std::string& name, const std::string& cluster,
                       const std::string& user, const std::string& current = "",
                       const std::string& ns = "") {
  std::string yaml = "apiVersion: v1\nkind: Config\n";
  if (!current.empty())
    absl::StrAppend(&yaml, "current-context: ", current, "\n");
  absl::StrAppend(&yaml, "clusters:\n- name: ", name, "\n  cluster:\n", cluster,
                  "users:\n- name: ", name, "\n  user:\n", user,
                  "contexts:\n- name: ", name,
                  "\n  context:\n    cluster: ", name, "\n    user: ", name,
                  "\n");
  if (!ns.empty()) absl::StrAppend(&yaml, "    namespace: ", ns, "\n");
  return yaml;
}

class KubeCredentialsTest : public ::testing::Test {
 protected:
  KubeCredentialsTest() { env_["HOME"] = dir_.File("home"); }

  std::string Home() const { return dir_.File("home/.kube/config"); }

  absl::StatusOr<KubeCredentials> Load(const std::string& context = "",
                                       const std::string& kubeconfig = "") {
    KubeCredentialOptions options;
    options.context = context;
    options.kubeconfig = kubeconfig;
    options.service_account_dir = dir_.File("sa");
    options.io.getenv = MapEnv(&env_);
    return LoadKubeCredentials(options);
  }

  // The message of a load that must fail, checked for secrets.
  std::string LoadError(const std::string& context = "") {
    absl::StatusOr<KubeCredentials> c = Load(context);
    EXPECT_FALSE(c.ok()) << c->DebugString();
    if (c.ok()) return "";
    EXPECT_EQ(c.status().code(), absl::StatusCode::kFailedPrecondition);
    std::string message(c.status().message());
    for (const char* secret : {kToken, kOtherToken, kPassword}) {
      EXPECT_THAT(message, Not(HasSubstr(secret)));
    }
    EXPECT_THAT(message, Not(HasSubstr("KEYSECRETMATERIAL")));
    EXPECT_THAT(message, Not(HasSubstr(B64(kKeyPem))));
    return message;
  }

  void InCluster(const std::string& host = "10.0.0.1",
                 const std::string& port = "443") {
    env_["KUBERNETES_SERVICE_HOST"] = host;
    env_["KUBERNETES_SERVICE_PORT"] = port;
    WriteFile(dir_.File("sa/token"), std::string(kToken) + "\n");
    WriteFile(dir_.File("sa/ca.crt"), kCaPem);
  }

  tests::TempDir dir_{"kube-cred"};
  std::map<std::string, std::string> env_;
};

TEST_F(KubeCredentialsTest, HomeConfigWithCurrentContextTokenAndCaData) {
  WriteFile(Home(), OneContext("prod",
                               "    server: https://k8s.example.com:6443/\n"
                               "    certificate-authority-data: " +
                                   B64(kCaPem) + "\n",
                               std::string("    token: ") + kToken + "\n",
                               "prod", "ns1"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "https://k8s.example.com:6443");
  EXPECT_EQ(c->tls.ca_pem, kCaPem);
  EXPECT_TRUE(c->tls.ca_file.empty());
  EXPECT_FALSE(c->tls.insecure_skip_verify);
  EXPECT_EQ(c->namespace_, "ns1");
  EXPECT_EQ(c->context, "prod");
  EXPECT_EQ(c->cluster, "prod");
  EXPECT_EQ(c->user, "prod");
  EXPECT_FALSE(c->in_cluster);
  EXPECT_EQ(c->source, absl::StrCat("kubeconfig ", Home(), " (context prod)"));
  ASSERT_NE(c->token, nullptr);
  EXPECT_FALSE(c->token->from_file());
  EXPECT_EQ(*c->token->Current(), kToken);
}

TEST_F(KubeCredentialsTest, EmptyNamespaceMeansDefault) {
  WriteFile(Home(), OneContext("a", "    server: https://a:6443\n",
                               "    token: x1234\n", "a"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->namespace_, "default");
}

TEST_F(KubeCredentialsTest, NamedContextWinsOverCurrentContext) {
  WriteFile(Home(), R"(current-context: one
clusters:
- name: c1
  cluster: {server: "https://one:6443"}
- name: c2
  cluster: {server: "https://two:6443"}
users:
- name: u1
  user: {token: t-one-1}
- name: u2
  user: {token: t-two-2}
contexts:
- name: one
  context: {cluster: c1, user: u1}
- name: two
  context: {cluster: c2, user: u2, namespace: team}
)");
  absl::StatusOr<KubeCredentials> current = Load();
  ASSERT_TRUE(current.ok()) << current.status();
  EXPECT_EQ(current->server, "https://one:6443");
  absl::StatusOr<KubeCredentials> named = Load("two");
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->server, "https://two:6443");
  EXPECT_EQ(named->user, "u2");
  EXPECT_EQ(named->namespace_, "team");
  EXPECT_EQ(*named->token->Current(), "t-two-2");
}

// The measured rule (docs/platforms.md): file A sets current-context and
// user "tok"; file B sets the clusters, the context and another "tok".
// kubectl and python both use A's token.
TEST_F(KubeCredentialsTest, MergedListFirstFileWinsForCurrentContextAndNames) {
  std::string a = WriteFile(dir_.File("a/config"), absl::StrCat(R"(
current-context: ctx
users:
- name: tok
  user:
    token: )",
                                                                kToken, "\n"));
  std::string b =
      WriteFile(dir_.File("b/config"), absl::StrCat(R"(
current-context: other
clusters:
- name: k
  cluster:
    server: https://b.example:6443
users:
- name: tok
  user:
    token: )",
                                                    kOtherToken, R"(
    client-certificate-data: )",
                                                    B64(kCertPem), R"(
    client-key-data: )",
                                                    B64(kKeyPem), R"(
contexts:
- name: ctx
  context: {cluster: k, user: tok, namespace: nsb}
- name: other
  context: {cluster: k, user: tok}
)"));
  env_["KUBECONFIG"] = a + ":" + b;
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->context, "ctx");
  EXPECT_EQ(c->server, "https://b.example:6443");
  EXPECT_EQ(c->namespace_, "nsb");
  EXPECT_EQ(*c->token->Current(), kToken);
  // A's "tok" wins whole: nothing of B's entry of that name is used.
  EXPECT_TRUE(c->tls.client_cert_pem.empty());
  EXPECT_TRUE(c->tls.client_key_pem.empty());
  EXPECT_EQ(c->context_file, b);
  EXPECT_EQ(c->user_file, a);
  EXPECT_EQ(c->source, absl::StrCat("kubeconfig ", b, " (context ctx)"));
}

TEST_F(KubeCredentialsTest, MergedListSkipsMissingAndRepeatedFiles) {
  std::string a = WriteFile(dir_.File("a/config"),
                            OneContext("a", "    server: https://a:6443\n",
                                       "    token: aaaa\n", "a"));
  env_["KUBECONFIG"] =
      absl::StrCat(dir_.File("missing/config"), "::", a, ":", a);
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "https://a:6443");
}

TEST_F(KubeCredentialsTest, KubeconfigVariableWinsOverHome) {
  WriteFile(Home(), OneContext("home", "    server: https://home:6443\n",
                               "    token: hhhh\n", "home"));
  env_["KUBECONFIG"] =
      WriteFile(dir_.File("env/config"),
                OneContext("env", "    server: https://env:6443\n",
                           "    token: eeee\n", "env"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "https://env:6443");
}

TEST_F(KubeCredentialsTest, ExplicitKubeconfigMustExist) {
  absl::StatusOr<KubeCredentials> c = Load("", dir_.File("nope/config"));
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(),
              HasSubstr(absl::StrCat("error loading config file \"",
                                     dir_.File("nope/config"), "\"")));
}

TEST_F(KubeCredentialsTest, DuplicateNameInOneFileIsAnError) {
  WriteFile(Home(), R"(clusters:
- name: k
  cluster: {server: "https://one:6443"}
- name: k
  cluster: {server: "https://two:6443"}
)");
  std::string message = LoadError();
  EXPECT_THAT(message, HasSubstr(Home()));
  EXPECT_THAT(message, HasSubstr("duplicate name \"k\" in clusters"));
}

TEST_F(KubeCredentialsTest, RelativePathsAreRelativeToTheFileDefiningThem) {
  std::string a = WriteFile(dir_.File("a/config"), R"(current-context: c
clusters:
- name: k
  cluster:
    server: https://k:6443
    certificate-authority: pki/../pki/ca.crt
contexts:
- name: c
  context: {cluster: k, user: u}
)");
  WriteFile(dir_.File("a/pki/ca.crt"), kCaPem);
  std::string b = WriteFile(dir_.File("b/config"), R"(users:
- name: u
  user:
    client-certificate: certs/client.crt
    client-key: certs/client.key
    tokenFile: token
)");
  WriteFile(dir_.File("b/certs/client.crt"), kCertPem);
  WriteFile(dir_.File("b/certs/client.key"), kKeyPem);
  WriteFile(dir_.File("b/token"), kToken);
  env_["KUBECONFIG"] = a + ":" + b;
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->tls.ca_file, dir_.File("a/pki/ca.crt"));
  EXPECT_EQ(c->tls.client_cert_file, dir_.File("b/certs/client.crt"));
  EXPECT_EQ(c->tls.client_key_file, dir_.File("b/certs/client.key"));
  EXPECT_TRUE(c->tls.client_key_pem.empty());
  ASSERT_NE(c->token, nullptr);
  EXPECT_EQ(c->token->path(), dir_.File("b/token"));
  EXPECT_EQ(*c->token->Current(), kToken);
}

TEST_F(KubeCredentialsTest, ClientCertificateAndKeyAsData) {
  WriteFile(Home(),
            OneContext("m", "    server: https://m:6443\n",
                       "    client-certificate-data: " + B64(kCertPem) +
                           "\n    client-key-data: " + B64(kKeyPem) + "\n",
                       "m"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->tls.client_cert_pem, kCertPem);
  EXPECT_EQ(c->tls.client_key_pem, kKeyPem);
  EXPECT_EQ(c->token, nullptr);
}

TEST_F(KubeCredentialsTest, CaFileAndDataTogetherIsAnError) {
  WriteFile(dir_.File("home/.kube/ca.crt"), kCaPem);
  WriteFile(Home(), OneContext("prod",
                               "    server: https://p:6443\n"
                               "    certificate-authority: ca.crt\n"
                               "    certificate-authority-data: " +
                                   B64(kCaPem) + "\n",
                               "    token: x1234\n", "prod"));
  EXPECT_THAT(LoadError(), HasSubstr("certificate-authority-data and "
                                     "certificate-authority are both "
                                     "specified for prod"));
}

TEST_F(KubeCredentialsTest, InsecureWithCaIsAnError) {
  WriteFile(Home(), OneContext("prod",
                               "    server: https://p:6443\n"
                               "    insecure-skip-tls-verify: true\n"
                               "    certificate-authority-data: " +
                                   B64(kCaPem) + "\n",
                               "    token: x1234\n", "prod"));
  EXPECT_THAT(LoadError(), HasSubstr("specifying a root certificates file "
                                     "with the insecure flag is not allowed"));
}

TEST_F(KubeCredentialsTest, InsecureWithoutCa) {
  WriteFile(Home(), OneContext("lab",
                               "    server: https://lab:6443\n"
                               "    insecure-skip-tls-verify: true\n",
                               "    token: x1234\n", "lab"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->tls.insecure_skip_verify);
  EXPECT_THAT(c->DebugString(), HasSubstr("insecure-skip-tls-verify"));
}

TEST_F(KubeCredentialsTest, MissingCaFileIsAnErrorNamingIt) {
  WriteFile(Home(), OneContext("prod",
                               "    server: https://p:6443\n"
                               "    certificate-authority: /no/such/ca.crt\n",
                               "    token: x1234\n", "prod"));
  std::string message = LoadError();
  EXPECT_THAT(message, HasSubstr("unable to read certificate-authority "
                                 "/no/such/ca.crt of cluster \"prod\""));
  EXPECT_THAT(message, HasSubstr(absl::StrCat("kubeconfig ", Home(),
                                              " (context prod)")));
}

TEST_F(KubeCredentialsTest, ClientCertificateRules) {
  const std::string server = "    server: https://p:6443\n";
  WriteFile(
      Home(),
      OneContext("u", server,
                 "    client-certificate-data: " + B64(kCertPem) + "\n", "u"));
  EXPECT_THAT(LoadError(), HasSubstr("client-key-data or client-key must be "
                                     "specified for u to use the clientCert "
                                     "authentication method"));

  WriteFile(dir_.File("home/.kube/c.crt"), kCertPem);
  WriteFile(Home(), OneContext("u", server,
                               "    client-certificate: c.crt\n"
                               "    client-certificate-data: " +
                                   B64(kCertPem) + "\n    client-key-data: " +
                                   B64(kKeyPem) + "\n",
                               "u"));
  EXPECT_THAT(LoadError(), HasSubstr("client-cert-data and client-cert are "
                                     "both specified for u"));

  WriteFile(dir_.File("home/.kube/c.key"), kKeyPem);
  WriteFile(Home(), OneContext("u", server,
                               "    client-certificate: c.crt\n"
                               "    client-key: c.key\n"
                               "    client-key-data: " +
                                   B64(kKeyPem) + "\n",
                               "u"));
  EXPECT_THAT(LoadError(), HasSubstr("client-key-data and client-key are both "
                                     "specified for u"));

  WriteFile(Home(),
            OneContext("u", server,
                       "    client-key-data: " + B64(kKeyPem) + "\n", "u"));
  EXPECT_THAT(LoadError(), HasSubstr("user \"u\" has a client-key but no "
                                     "client-certificate"));

  WriteFile(Home(), OneContext("u", server,
                               "    client-certificate: c.crt\n"
                               "    client-key: missing.key\n",
                               "u"));
  EXPECT_THAT(LoadError(),
              HasSubstr(absl::StrCat("unable to read client-key ",
                                     dir_.File("home/.kube/missing.key"),
                                     " of user \"u\"")));
}

TEST_F(KubeCredentialsTest, TokenFileMustBeReadableAtLoad) {
  WriteFile(Home(), OneContext("t", "    server: https://t:6443\n",
                               "    tokenFile: gone/token\n", "t"));
  std::string message = LoadError();
  EXPECT_THAT(message, HasSubstr("tokenFile of user \"t\""));
  EXPECT_THAT(message, HasSubstr(dir_.File("home/.kube/gone/token")));
}

TEST_F(KubeCredentialsTest, TokenFileWinsOverTokenOnceReadable) {
  WriteFile(Home(), OneContext("t", "    server: https://t:6443\n",
                               absl::StrCat("    token: ", kToken,
                                            "\n    tokenFile: token\n"),
                               "t"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_NE(c->token, nullptr);
  // No file yet: the kubeconfig's token, as client-go.
  EXPECT_EQ(*c->token->Current(), kToken);
  WriteFile(dir_.File("home/.kube/token"), kOtherToken);
  EXPECT_EQ(*c->token->Current(), kOtherToken);
}

TEST_F(KubeCredentialsTest, TlsServerNameAndProxyUrlAreKept) {
  WriteFile(Home(), OneContext("p",
                               "    server: https://10.1.2.3:6443\n"
                               "    tls-server-name: api.internal\n"
                               "    proxy-url: http://bob:" +
                                   std::string(kPassword) + "@proxy:3128\n",
                               "    token: x1234\n", "p"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->tls_server_name, "api.internal");
  EXPECT_EQ(c->proxy_url,
            absl::StrCat("http://bob:", kPassword, "@proxy:3128"));
  std::string debug = c->DebugString();
  EXPECT_THAT(debug, HasSubstr("tls-server-name=api.internal"));
  EXPECT_THAT(debug, HasSubstr("proxy-url=http://[REDACTED]@proxy:3128"));
  EXPECT_THAT(debug, Not(HasSubstr(kPassword)));
}

TEST_F(KubeCredentialsTest, UnsupportedAuthenticationNamesTheUser) {
  const std::string server = "    server: https://p:6443\n";
  WriteFile(
      Home(),
      OneContext(
          "basic", server,
          absl::StrCat("    username: admin\n    password: ", kPassword, "\n"),
          "basic"));
  EXPECT_THAT(LoadError(),
              HasSubstr("user \"basic\" authenticates with username/password "
                        "(basic auth), which tao-inference does not support"));

  WriteFile(Home(), OneContext("eks", server,
                               "    exec:\n"
                               "      apiVersion: "
                               "client.authentication.k8s.io/v1beta1\n"
                               "      command: aws\n",
                               "eks"));
  EXPECT_THAT(LoadError(),
              HasSubstr("user \"eks\" authenticates with an exec credential "
                        "plugin (aws), which tao-inference does not support"));

  WriteFile(Home(), OneContext("gke", server,
                               "    auth-provider:\n      name: gcp\n", "gke"));
  EXPECT_THAT(LoadError(),
              HasSubstr("user \"gke\" authenticates with an auth-provider "
                        "plugin (gcp), which tao-inference does not support"));

  WriteFile(Home(), OneContext("imp", server,
                               absl::StrCat("    token: ", kToken,
                                            "\n    as: system:admin\n"),
                               "imp"));
  EXPECT_THAT(LoadError(), HasSubstr("user \"imp\" impersonates"));
}

TEST_F(KubeCredentialsTest, MissingContextClusterOrUserNamesItAndTheFiles) {
  WriteFile(Home(), R"(current-context: nope
clusters:
- name: k
  cluster: {server: "https://k:6443"}
users:
- name: u
  user: {token: x1234}
contexts:
- name: no-cluster
  context: {cluster: gone, user: u}
- name: no-user
  context: {cluster: k, user: ghost}
)");
  std::string message = LoadError();
  EXPECT_THAT(message, HasSubstr("context \"nope\" not found"));
  EXPECT_THAT(message, HasSubstr(Home()));
  EXPECT_THAT(message, HasSubstr("no-cluster, no-user"));

  message = LoadError("no-cluster");
  EXPECT_THAT(message, HasSubstr("cluster \"gone\" of context \"no-cluster\" "
                                 "not found in kubeconfig " +
                                 Home()));

  message = LoadError("no-user");
  EXPECT_THAT(message, HasSubstr("user \"ghost\" of context \"no-user\" not "
                                 "found in kubeconfig " +
                                 Home()));
}

TEST_F(KubeCredentialsTest, NoCurrentContextAndNoNameIsAnError) {
  WriteFile(Home(), OneContext("a", "    server: https://a:6443\n",
                               "    token: x1234\n"));
  EXPECT_THAT(LoadError(), HasSubstr("no current-context is set and no "
                                     "context was named; name one (contexts "
                                     "there: a)"));
}

TEST_F(KubeCredentialsTest, PlainHttpServerGetsNoCredentials) {
  WriteFile(Home(),
            OneContext("dev", "    server: http://127.0.0.1:8080\n",
                       std::string("    token: ") + kToken + "\n", "dev"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "http://127.0.0.1:8080");
  EXPECT_EQ(c->token, nullptr);
}

TEST_F(KubeCredentialsTest, ServerMustBeAnHttpUrl) {
  WriteFile(Home(), OneContext("x", "    server: k8s.example.com:6443\n",
                               "    token: x1234\n", "x"));
  EXPECT_THAT(LoadError(), HasSubstr("the server \"k8s.example.com:6443\" of "
                                     "cluster \"x\" is not an http:// or "
                                     "https:// URL"));
  WriteFile(Home(), OneContext("x", "    insecure-skip-tls-verify: true\n",
                               "    token: x1234\n", "x"));
  EXPECT_THAT(LoadError(), HasSubstr("no server found for cluster \"x\""));
}

TEST_F(KubeCredentialsTest, BadNamespaceIsAnError) {
  WriteFile(Home(), OneContext("a", "    server: https://a:6443\n",
                               "    token: x1234\n", "a", "Team_A"));
  EXPECT_THAT(LoadError(), HasSubstr("namespace \"Team_A\" of context \"a\" "
                                     "is not a valid namespace name"));
}

TEST_F(KubeCredentialsTest, InClusterWhenNoKubeconfigExists) {
  InCluster();
  WriteFile(dir_.File("sa/namespace"), "jobs\n");
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->in_cluster);
  EXPECT_EQ(c->source, "in-cluster");
  EXPECT_EQ(c->server, "https://10.0.0.1:443");
  EXPECT_EQ(c->tls.ca_file, dir_.File("sa/ca.crt"));
  EXPECT_EQ(c->namespace_, "jobs");
  ASSERT_NE(c->token, nullptr);
  EXPECT_EQ(c->token->path(), dir_.File("sa/token"));
  EXPECT_EQ(*c->token->Current(), kToken);  // trimmed
}

TEST_F(KubeCredentialsTest, InClusterNamespaceAndIpv6Host) {
  InCluster("fd00::1", "6443");
  WriteFile(dir_.File("sa/namespace"), "from-file");
  env_["POD_NAMESPACE"] = "from-env";
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "https://[fd00::1]:6443");
  EXPECT_EQ(c->namespace_, "from-env");

  env_.erase("POD_NAMESPACE");
  std::filesystem::remove(dir_.File("sa/namespace"));
  c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->namespace_, "default");
}

TEST_F(KubeCredentialsTest, InClusterWithoutCaUsesTheSystemRoots) {
  InCluster();
  std::filesystem::remove(dir_.File("sa/ca.crt"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->tls.ca_file.empty());
  EXPECT_TRUE(c->tls.ca_pem.empty());
}

TEST_F(KubeCredentialsTest, KubeconfigWinsOverInCluster) {
  InCluster();
  WriteFile(Home(), OneContext("home", "    server: https://home:6443\n",
                               "    token: hhhh\n", "home"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->in_cluster);
  EXPECT_EQ(c->server, "https://home:6443");
}

TEST_F(KubeCredentialsTest, EmptyKubeconfigFallsBackToInCluster) {
  InCluster();
  WriteFile(Home(), "");
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->in_cluster);
}

TEST_F(KubeCredentialsTest, InClusterNeedsBothVariablesAndTheTokenFile) {
  InCluster();
  env_["KUBERNETES_SERVICE_PORT"] = "";
  std::string message = LoadError();
  EXPECT_THAT(message,
              HasSubstr("no kubeconfig file found (looked at " + Home() + ")"));
  EXPECT_THAT(message, HasSubstr("KUBERNETES_SERVICE_PORT is unset"));

  env_["KUBERNETES_SERVICE_PORT"] = "443";
  std::filesystem::remove(dir_.File("sa/token"));
  message = LoadError();
  EXPECT_THAT(message, HasSubstr("no service-account token file " +
                                 dir_.File("sa/token")));

  // A folder where the token should be is not a token file.
  std::filesystem::create_directories(dir_.File("sa/token"));
  EXPECT_THAT(LoadError(), HasSubstr("no service-account token file"));
}

TEST_F(KubeCredentialsTest, NamedContextWithoutKubeconfigIsAnError) {
  InCluster();
  env_["KUBECONFIG"] = dir_.File("missing");
  std::string message = LoadError("prod");
  EXPECT_THAT(message, HasSubstr("context \"prod\": not found: no kubeconfig "
                                 "file found (looked at KUBECONFIG=" +
                                 dir_.File("missing") + ")"));
}

TEST_F(KubeCredentialsTest, NoHomeAndNoClusterSaysWhatWasTried) {
  env_.erase("HOME");
  std::string message = LoadError();
  EXPECT_THAT(message, HasSubstr("HOME is unset"));
  EXPECT_THAT(message, HasSubstr("set KUBECONFIG"));
}

TEST_F(KubeCredentialsTest, MalformedFilesAreErrorsWithoutTheirSecrets) {
  // Not YAML at all, right after a token.
  WriteFile(Home(), absl::StrCat("users:\n- name: u\n  user:\n    token: ",
                                 kToken, "\n  : [\n"));
  std::string message = LoadError();
  EXPECT_THAT(message, HasSubstr("error loading config file \"" + Home()));
  EXPECT_THAT(message, HasSubstr("not valid YAML"));

  // Bad base64 in a key.
  WriteFile(Home(), OneContext("u", "    server: https://p:6443\n",
                               "    client-certificate-data: " + B64(kCertPem) +
                                   "\n    client-key-data: '" +
                                   std::string(kKeyPem).substr(0, 40) + "%%'\n",
                               "u"));
  EXPECT_THAT(LoadError(),
              HasSubstr("user \"u\".client-key-data is not valid base64"));

  WriteFile(Home(), "- just\n- a list\n");
  EXPECT_THAT(LoadError(), HasSubstr("the top level is not a mapping"));
}

TEST_F(KubeCredentialsTest, DebugStringHasNoSecrets) {
  WriteFile(
      Home(),
      OneContext("m",
                 "    server: https://m:6443\n"
                 "    certificate-authority-data: " +
                     B64(kCaPem) + "\n",
                 absl::StrCat("    token: ", kToken,
                              "\n    client-certificate-data: ", B64(kCertPem),
                              "\n    client-key-data: ", B64(kKeyPem), "\n"),
                 "m"));
  absl::StatusOr<KubeCredentials> c = Load();
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->tls.client_key_pem, kKeyPem);
  std::string debug = c->DebugString();
  EXPECT_THAT(debug, Not(HasSubstr(kToken)));
  EXPECT_THAT(debug, Not(HasSubstr("KEYSECRETMATERIAL")));
  EXPECT_THAT(debug, Not(HasSubstr(B64(kKeyPem))));
  EXPECT_THAT(debug, HasSubstr("token=a fixed token"));
  EXPECT_THAT(debug, HasSubstr(absl::StrCat("client-key=PEM (",
                                            sizeof(kKeyPem) - 1, " bytes)")));
  EXPECT_THAT(debug, HasSubstr("server=https://m:6443"));
  EXPECT_THAT(debug, HasSubstr("user=m"));
}

}  // namespace
}  // namespace tao::platforms::kubernetes
