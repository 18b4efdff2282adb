// Who a request is: a verified client certificate (its CN), a bearer token
// from the token file, or nobody. With neither a client CA nor tokens
// configured every request is let in (an insecure test server).
#ifndef TAO_TESTS_FAKES_KUBERNETES_AUTH_H_
#define TAO_TESTS_FAKES_KUBERNETES_AUTH_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "httplib.h"

namespace tao::fakes::kubernetes {

class Authenticator {
 public:
  // token_file: lines "token,user" (kube-apiserver's --token-auth-file has
  // "token,user,uid[,groups]"; the extra columns are ignored). "" for none.
  static absl::StatusOr<Authenticator> Create(const std::string& token_file,
                                              bool client_certs);
  bool enabled() const { return client_certs_ || !tokens_.empty(); }
  // The user, or nullopt for a 401. With auth disabled: "system:anonymous".
  std::optional<std::string> Authenticate(
      const httplib::Request& request) const;

 private:
  std::map<std::string, std::string> tokens_;
  bool client_certs_ = false;
};

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_AUTH_H_
