#include "tests/fakes/kubernetes/auth.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tao::fakes::kubernetes {

absl::StatusOr<Authenticator> Authenticator::Create(
    const std::string& token_file, bool client_certs) {
  Authenticator auth;
  auth.client_certs_ = client_certs;
  if (token_file.empty()) return auth;
  std::ifstream in(token_file);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the token file ", token_file,
                     "; pass --token-file with lines \"token,user\""));
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string trimmed(absl::StripAsciiWhitespace(line));
    if (trimmed.empty() || trimmed[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(trimmed, ',');
    if (fields.size() < 2 || fields[0].empty() || fields[1].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          token_file, " line ", number,
          ": expected \"token,user\" (the token itself is not shown)"));
    }
    auth.tokens_[fields[0]] = fields[1];
  }
  return auth;
}

std::optional<std::string> Authenticator::Authenticate(
    const httplib::Request& request) const {
  if (!enabled()) return "system:anonymous";
  if (client_certs_ && request.ssl != nullptr) {
    // The handshake already verified the chain against the client CA
    // (SSL_VERIFY_PEER); a missing certificate is allowed, as on a real
    // server that also takes tokens.
    X509* cert = SSL_get_peer_certificate(request.ssl);
    if (cert != nullptr) {
      bool verified = SSL_get_verify_result(request.ssl) == X509_V_OK;
      char cn[256] = {0};
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn,
                                sizeof(cn));
      X509_free(cert);
      if (verified) return std::string(cn);
    }
  }
  std::string header = request.get_header_value("Authorization");
  // The scheme is compared case-insensitively, as in
  // staging/src/k8s.io/apiserver/pkg/authentication/request/bearertoken/
  // bearertoken.go (python's in-cluster config sends "bearer").
  std::vector<std::string> parts =
      absl::StrSplit(header, ' ', absl::SkipEmpty());
  if (parts.size() == 2 && absl::EqualsIgnoreCase(parts[0], "bearer")) {
    auto it = tokens_.find(parts[1]);
    if (it != tokens_.end()) return it->second;
  }
  return std::nullopt;
}

}  // namespace tao::fakes::kubernetes
