#include "platforms/kubernetes/kube_credentials.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "platforms/common/log.h"
#include "platforms/kubernetes/kubeconfig.h"

namespace tao::platforms::kubernetes {
namespace {

absl::Status Fail(absl::string_view where, absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat(where, ": ", why));
}

template <typename Map>
std::string Names(const Map& map) {
  std::vector<std::string> names;
  for (const auto& [name, unused] : map) names.push_back(name);
  return names.empty() ? "none" : absl::StrJoin(names, ", ");
}

// Host and port as net.JoinHostPort: an IPv6 address in brackets.
std::string JoinHostPort(absl::string_view host, absl::string_view port) {
  if (absl::StrContains(host, ':')) return absl::StrCat("[", host, "]:", port);
  return absl::StrCat(host, ":", port);
}

// The DNS-1123 label rule namespaces follow (validation.IsDNS1123Label).
bool IsDnsLabel(absl::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return s.front() != '-' && s.back() != '-';
}

// proxy-url may carry user:password@; shown without it.
std::string WithoutUserInfo(absl::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == absl::string_view::npos) return std::string(url);
  size_t start = scheme + 3;
  size_t end = url.find('/', start);
  size_t at = url.substr(0, end).rfind('@');
  if (at == absl::string_view::npos || at < start) return std::string(url);
  return absl::StrCat(url.substr(0, start), "[REDACTED]", url.substr(at));
}

// Where the kubeconfig files come from, in order, and how to say so.
struct Candidates {
  std::vector<std::string> files;
  bool must_exist = false;
  std::string described;  // "KUBECONFIG=/a:/b"
};

Candidates FindCandidates(const KubeCredentialOptions& options,
                          const KubeIo& io) {
  Candidates c;
  if (!options.kubeconfig.empty()) {
    c.files = {options.kubeconfig};
    c.must_exist = true;
    c.described = absl::StrCat("the kubeconfig ", options.kubeconfig);
    return c;
  }
  std::optional<std::string> env = io.getenv("KUBECONFIG");
  if (env.has_value() && !env->empty()) {
    c.files = absl::StrSplit(*env, ':', absl::SkipEmpty());
    c.described = absl::StrCat("KUBECONFIG=", *env);
    return c;
  }
  std::optional<std::string> home = io.getenv("HOME");
  if (home.has_value() && !home->empty()) {
    c.files = {absl::StrCat(absl::StripSuffix(*home, "/"), "/.kube/config")};
    c.described = c.files[0];
  } else {
    c.described = "~/.kube/config (HOME is unset)";
  }
  return c;
}

// The files read, for messages: "/a, /b".
std::string FilesRead(const MergedKubeconfig& merged) {
  return absl::StrJoin(merged.files, ", ");
}

// `path` can be read; `what` ("certificate-authority") and `owner` ('cluster
// "prod"') name it. The content is not kept: it may be a key.
absl::Status CheckReadable(const KubeIo& io, const std::string& path,
                           absl::string_view what, absl::string_view owner,
                           absl::string_view where) {
  absl::StatusOr<std::string> text = io.read_file(path);
  if (text.ok()) return absl::OkStatus();
  return Fail(where, absl::StrCat("unable to read ", what, " ", path, " of ",
                                  owner, ": ", text.status().message()));
}

absl::Status ApplyCluster(const KubeconfigCluster& cluster,
                          const std::string& name, const KubeIo& io,
                          absl::string_view where, KubeCredentials& out) {
  const std::string owner = absl::StrCat("cluster \"", name, "\"");
  if (cluster.server.empty()) {
    return Fail(where, absl::StrCat("no server found for ", owner));
  }
  if (!absl::StartsWith(cluster.server, "https://") &&
      !absl::StartsWith(cluster.server, "http://")) {
    return Fail(where,
                absl::StrCat("the server \"", cluster.server, "\" of ", owner,
                             " is not an http:// or https:// URL"));
  }
  // kubectl's own messages (clientcmd validation.go, transport.go).
  if (!cluster.certificate_authority.empty() &&
      !cluster.certificate_authority_data.empty()) {
    return Fail(where, absl::StrCat("certificate-authority-data and "
                                    "certificate-authority are both "
                                    "specified for ",
                                    name, "; keep one (kubectl refuses this)"));
  }
  const bool has_ca = !cluster.certificate_authority.empty() ||
                      !cluster.certificate_authority_data.empty();
  if (cluster.insecure_skip_tls_verify && has_ca) {
    return Fail(where, absl::StrCat("specifying a root certificates file with "
                                    "the insecure flag is not allowed (",
                                    owner,
                                    " sets insecure-skip-tls-verify and a "
                                    "certificate-authority); drop one"));
  }
  if (!cluster.certificate_authority.empty()) {
    absl::Status readable =
        CheckReadable(io, cluster.certificate_authority,
                      "certificate-authority", owner, where);
    if (!readable.ok()) return readable;
  }
  out.server = std::string(absl::StripSuffix(cluster.server, "/"));
  out.tls.ca_file = cluster.certificate_authority;
  out.tls.ca_pem = cluster.certificate_authority_data;
  out.tls.insecure_skip_verify = cluster.insecure_skip_tls_verify;
  out.tls_server_name = cluster.tls_server_name;
  out.proxy_url = cluster.proxy_url;
  return absl::OkStatus();
}

absl::Status ApplyUser(const KubeconfigUser& user, const std::string& name,
                       const KubeIo& io, absl::string_view where,
                       KubeCredentials& out) {
  const std::string owner = absl::StrCat("user \"", name, "\"");
  auto unsupported = [&](absl::string_view what) {
    return Fail(where,
                absl::StrCat(owner, " authenticates with ", what,
                             ", which tao-inference does not support; give "
                             "it a token, tokenFile or client certificate, "
                             "or pick another context"));
  };
  if (!user.username.empty() || !user.password.empty()) {
    return unsupported("username/password (basic auth)");
  }
  if (user.has_exec) {
    return unsupported(
        absl::StrCat("an exec credential plugin",
                     user.exec_command.empty()
                         ? ""
                         : absl::StrCat(" (", user.exec_command, ")")));
  }
  if (user.has_auth_provider) {
    return unsupported(
        absl::StrCat("an auth-provider plugin",
                     user.auth_provider_name.empty()
                         ? ""
                         : absl::StrCat(" (", user.auth_provider_name, ")")));
  }
  if (user.impersonates) {
    return Fail(where, absl::StrCat(owner,
                                    " impersonates another identity (as, "
                                    "as-groups, as-uid or as-user-extra), "
                                    "which tao-inference does not support"));
  }
  const bool cert =
      !user.client_certificate.empty() || !user.client_certificate_data.empty();
  const bool key = !user.client_key.empty() || !user.client_key_data.empty();
  // kubectl's messages (clientcmd validation.go validateAuthInfo).
  if (!user.client_certificate.empty() &&
      !user.client_certificate_data.empty()) {
    return Fail(where, absl::StrCat("client-cert-data and client-cert are both "
                                    "specified for ",
                                    name, "; keep one (kubectl refuses this)"));
  }
  if (!user.client_key.empty() && !user.client_key_data.empty()) {
    return Fail(where, absl::StrCat("client-key-data and client-key are both "
                                    "specified for ",
                                    name, "; keep one (kubectl refuses this)"));
  }
  if (cert && !key) {
    return Fail(where, absl::StrCat("client-key-data or client-key must be "
                                    "specified for ",
                                    name,
                                    " to use the clientCert authentication "
                                    "method"));
  }
  if (key && !cert) {
    return Fail(where, absl::StrCat(owner,
                                    " has a client-key but no "
                                    "client-certificate; add the certificate "
                                    "or drop the key"));
  }
  if (!user.client_certificate.empty()) {
    absl::Status readable = CheckReadable(io, user.client_certificate,
                                          "client-certificate", owner, where);
    if (!readable.ok()) return readable;
  }
  if (!user.client_key.empty()) {
    absl::Status readable =
        CheckReadable(io, user.client_key, "client-key", owner, where);
    if (!readable.ok()) return readable;
  }
  out.tls.client_cert_file = user.client_certificate;
  out.tls.client_cert_pem = user.client_certificate_data;
  out.tls.client_key_file = user.client_key;
  out.tls.client_key_pem = user.client_key_data;
  // client-go: with both, the file (re-read) wins over the token.
  if (!user.token_file.empty()) {
    out.token = BearerTokenSource::FromFile(user.token_file, io, user.token);
    if (user.token.empty()) {
      // kubectl reads tokenFile at once and stops when it cannot.
      absl::StatusOr<std::string> first = out.token->Current();
      if (!first.ok()) {
        return Fail(where, absl::StrCat("tokenFile of ", owner, ": ",
                                        first.status().message()));
      }
    }
  } else if (!user.token.empty()) {
    out.token = BearerTokenSource::Fixed(user.token);
  }
  return absl::OkStatus();
}

absl::StatusOr<KubeCredentials> FromKubeconfig(
    const MergedKubeconfig& merged, const KubeCredentialOptions& options,
    const KubeIo& io) {
  const std::string files = FilesRead(merged);
  std::string name = options.context;
  if (name.empty()) name = merged.current_context;
  if (name.empty()) {
    return Fail(absl::StrCat("kubeconfig ", files),
                absl::StrCat("no current-context is set and no context was "
                             "named; name one (contexts there: ",
                             Names(merged.contexts),
                             ") or run kubectl config use-context"));
  }
  auto context = merged.contexts.find(name);
  if (context == merged.contexts.end()) {
    return Fail(absl::StrCat("kubeconfig ", files),
                absl::StrCat("context \"", name,
                             "\" not found (contexts "
                             "there: ",
                             Names(merged.contexts), ")"));
  }
  const KubeconfigContext& ctx = context->second;
  KubeCredentials out;
  out.context = name;
  out.context_file = ctx.origin;
  out.source = absl::StrCat("kubeconfig ", ctx.origin, " (context ", name, ")");
  const std::string& where = out.source;

  if (ctx.cluster.empty()) {
    return Fail(where, absl::StrCat("context \"", name, "\" names no cluster"));
  }
  auto cluster = merged.clusters.find(ctx.cluster);
  if (cluster == merged.clusters.end()) {
    return Fail(
        where, absl::StrCat("cluster \"", ctx.cluster, "\" of context \"", name,
                            "\" not found in kubeconfig ", files,
                            " (clusters there: ", Names(merged.clusters), ")"));
  }
  out.cluster = ctx.cluster;
  absl::Status applied =
      ApplyCluster(cluster->second, ctx.cluster, io, where, out);
  if (!applied.ok()) return applied;

  if (!ctx.user.empty()) {
    auto user = merged.users.find(ctx.user);
    if (user == merged.users.end()) {
      return Fail(where,
                  absl::StrCat("user \"", ctx.user, "\" of context \"", name,
                               "\" not found in kubeconfig ", files,
                               " (users there: ", Names(merged.users), ")"));
    }
    out.user = ctx.user;
    out.user_file = user->second.origin;
    applied = ApplyUser(user->second, ctx.user, io, where, out);
    if (!applied.ok()) return applied;
  }

  out.namespace_ = ctx.namespace_.empty() ? "default" : ctx.namespace_;
  if (!IsDnsLabel(out.namespace_)) {
    return Fail(where, absl::StrCat("namespace \"", out.namespace_,
                                    "\" of context \"", name,
                                    "\" is not a valid namespace name "
                                    "(lower-case letters, digits and '-', "
                                    "at most 63)"));
  }
  // kubectl sends no credentials to a plain-http server.
  if (absl::StartsWith(out.server, "http://")) {
    out.tls = http::TlsOptions{};
    out.token = nullptr;
  }
  return out;
}

// What in-cluster mode needs, or why it is not possible (for messages).
absl::StatusOr<KubeCredentials> InCluster(const KubeCredentialOptions& options,
                                          const KubeIo& io,
                                          std::string* why_not) {
  const std::string host = io.getenv("KUBERNETES_SERVICE_HOST").value_or("");
  const std::string port = io.getenv("KUBERNETES_SERVICE_PORT").value_or("");
  const std::string dir =
      std::string(absl::StripSuffix(options.service_account_dir, "/"));
  const std::string token_file = absl::StrCat(dir, "/token");
  if (host.empty() || port.empty()) {
    *why_not =
        "not in a pod (KUBERNETES_SERVICE_HOST or "
        "KUBERNETES_SERVICE_PORT is unset)";
    return absl::NotFoundError(*why_not);
  }
  absl::StatusOr<FileStamp> stamp = io.stat(token_file);
  if (!stamp.ok() || !stamp->regular_file) {
    *why_not = absl::StrCat("not in a pod (no service-account token file ",
                            token_file, ")");
    return absl::NotFoundError(*why_not);
  }
  KubeCredentials out;
  out.in_cluster = true;
  out.source = "in-cluster";
  out.server = absl::StrCat("https://", JoinHostPort(host, port));
  // client-go logs an unreadable ca.crt and goes on with the system roots.
  const std::string ca = absl::StrCat(dir, "/ca.crt");
  absl::StatusOr<std::string> ca_text = io.read_file(ca);
  if (ca_text.ok()) {
    out.tls.ca_file = ca;
  } else {
    LogWarning(
        absl::StrCat("kubernetes in-cluster: ", ca_text.status().message(),
                     "; verifying the API server with the system's "
                     "CA certificates"));
  }
  std::string ns = io.getenv("POD_NAMESPACE").value_or("");
  if (ns.empty()) {
    absl::StatusOr<std::string> text =
        io.read_file(absl::StrCat(dir, "/namespace"));
    if (text.ok()) ns = std::string(absl::StripAsciiWhitespace(*text));
  }
  out.namespace_ = ns.empty() ? "default" : ns;
  out.token = BearerTokenSource::FromFile(token_file, io);
  absl::StatusOr<std::string> first = out.token->Current();
  if (!first.ok()) {
    return Fail("in-cluster", absl::StrCat("service-account token: ",
                                           first.status().message()));
  }
  return out;
}

}  // namespace

std::string KubeCredentials::DebugString() const {
  auto pem = [](const std::string& text) {
    return absl::StrCat("PEM (", text.size(), " bytes)");
  };
  std::vector<std::string> parts;
  parts.push_back(absl::StrCat("server=", server));
  parts.push_back(absl::StrCat("source=", source));
  if (!in_cluster) {
    parts.push_back(absl::StrCat("context=", context));
    parts.push_back(absl::StrCat("cluster=", cluster));
    parts.push_back(absl::StrCat("user=", user.empty() ? "(none)" : user));
  }
  parts.push_back(absl::StrCat("namespace=", namespace_));
  if (!tls.ca_file.empty()) {
    parts.push_back(absl::StrCat("ca=file ", tls.ca_file));
  } else if (!tls.ca_pem.empty()) {
    parts.push_back(absl::StrCat("ca=", pem(tls.ca_pem)));
  } else if (absl::StartsWith(server, "https://")) {
    parts.push_back("ca=system roots");
  }
  if (tls.insecure_skip_verify) parts.push_back("insecure-skip-tls-verify");
  if (!tls.client_cert_file.empty()) {
    parts.push_back(absl::StrCat("client-cert=file ", tls.client_cert_file));
  } else if (!tls.client_cert_pem.empty()) {
    parts.push_back(absl::StrCat("client-cert=", pem(tls.client_cert_pem)));
  }
  if (!tls.client_key_file.empty()) {
    parts.push_back(absl::StrCat("client-key=file ", tls.client_key_file));
  } else if (!tls.client_key_pem.empty()) {
    parts.push_back(absl::StrCat("client-key=", pem(tls.client_key_pem)));
  }
  parts.push_back(
      absl::StrCat("token=", token ? token->Description() : "none"));
  if (!tls_server_name.empty()) {
    parts.push_back(absl::StrCat("tls-server-name=", tls_server_name));
  }
  if (!proxy_url.empty()) {
    parts.push_back(absl::StrCat("proxy-url=", WithoutUserInfo(proxy_url)));
  }
  return absl::StrJoin(parts, " ");
}

absl::StatusOr<KubeCredentials> LoadKubeCredentials(
    const KubeCredentialOptions& options) {
  const KubeIo io = WithDefaults(options.io);
  const Candidates candidates = FindCandidates(options, io);
  absl::StatusOr<MergedKubeconfig> merged =
      LoadKubeconfigs(candidates.files, candidates.must_exist, io);
  if (!merged.ok()) return merged.status();
  if (!merged->empty()) return FromKubeconfig(*merged, options, io);
  if (candidates.must_exist) {
    return Fail(candidates.described,
                "the file defines no context, cluster or user");
  }
  const std::string looked =
      merged->files.empty()
          ? absl::StrCat("no kubeconfig file found (looked at ",
                         candidates.described, ")")
          : absl::StrCat("the kubeconfig files ", FilesRead(*merged),
                         " are empty");
  // In-cluster credentials have no contexts: a named one cannot be meant.
  if (!options.context.empty()) {
    return Fail(absl::StrCat("context \"", options.context, "\""),
                absl::StrCat("not found: ", looked));
  }
  std::string why_not;
  absl::StatusOr<KubeCredentials> in_cluster = InCluster(options, io, &why_not);
  if (in_cluster.ok() || why_not.empty()) return in_cluster;
  return absl::FailedPreconditionError(
      absl::StrCat("no Kubernetes credentials: ", looked, ", and ", why_not,
                   "; set KUBECONFIG or create ~/.kube/config (kubectl config "
                   "set-cluster / set-credentials / set-context)"));
}

}  // namespace tao::platforms::kubernetes
