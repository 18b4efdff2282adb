// The bearer token of a Kubernetes user: a fixed value from the kubeconfig,
// or a file (kubeconfig tokenFile, the pod's service-account token) that is
// read again when it changes, since projected tokens rotate (the kubelet
// rewrites them at 80% of their lifetime).
//
// client-go re-reads a token file once a minute and keeps the last good
// token when a re-read fails (transport/token_source.go,
// NewCachedFileTokenSource); python-kubernetes re-reads each minute. Here
// the file is stat()ed on every call and re-read as soon as its stamp
// (mtime, size, inode) changes, and at least once a minute. A failed read
// is never remembered: the next call tries again.
#ifndef TAO_PLATFORMS_KUBERNETES_BEARER_TOKEN_SOURCE_H_
#define TAO_PLATFORMS_KUBERNETES_BEARER_TOKEN_SOURCE_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platforms/kubernetes/kube_io.h"

namespace tao::platforms::kubernetes {

class BearerTokenSource {
 public:
  // A file is read again after this long even when its stamp is unchanged
  // (client-go's period), in case it was rewritten within one mtime tick.
  static constexpr absl::Duration kMaxAge = absl::Minutes(1);

  // A token that never changes (kubeconfig `token`).
  static std::shared_ptr<BearerTokenSource> Fixed(std::string token);
  // The content of `path`, whitespace trimmed. `fallback` (kubeconfig
  // `token` set next to `tokenFile`, which client-go lets the file
  // override) is used while the file has never been read successfully.
  static std::shared_ptr<BearerTokenSource> FromFile(std::string path,
                                                     KubeIo io,
                                                     std::string fallback = "");

  BearerTokenSource(const BearerTokenSource&) = delete;
  BearerTokenSource& operator=(const BearerTokenSource&) = delete;

  // The token to send now. For a file: its current content; when a re-read
  // fails after an earlier success, the last good token (as client-go) and
  // a warning in the log; else FAILED_PRECONDITION naming the file (never
  // its content). Thread-safe.
  absl::StatusOr<std::string> Current();

  bool from_file() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  // "a fixed token" or "the token file <path>"; never the token.
  std::string Description() const;

 private:
  BearerTokenSource(std::string fixed, std::string path, KubeIo io,
                    std::string fallback);

  const std::string fixed_;
  const std::string path_;
  const KubeIo io_;
  const std::string fallback_;

  absl::Mutex mu_;
  bool have_token_ ABSL_GUARDED_BY(mu_) = false;
  std::string token_ ABSL_GUARDED_BY(mu_);
  FileStamp stamp_ ABSL_GUARDED_BY(mu_);
  absl::Time read_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_BEARER_TOKEN_SOURCE_H_
