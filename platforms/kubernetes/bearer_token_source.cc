#include "platforms/kubernetes/bearer_token_source.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platforms/common/log.h"

namespace tao::platforms::kubernetes {

std::shared_ptr<BearerTokenSource> BearerTokenSource::Fixed(std::string token) {
  return std::shared_ptr<BearerTokenSource>(
      new BearerTokenSource(std::move(token), "", KubeIo{}, ""));
}

std::shared_ptr<BearerTokenSource> BearerTokenSource::FromFile(
    std::string path, KubeIo io, std::string fallback) {
  return std::shared_ptr<BearerTokenSource>(new BearerTokenSource(
      "", std::move(path), WithDefaults(std::move(io)), std::move(fallback)));
}

BearerTokenSource::BearerTokenSource(std::string fixed, std::string path,
                                     KubeIo io, std::string fallback)
    : fixed_(std::move(fixed)),
      path_(std::move(path)),
      io_(std::move(io)),
      fallback_(std::move(fallback)) {}

std::string BearerTokenSource::Description() const {
  if (!from_file()) return "a fixed token";
  return absl::StrCat("the token file ", path_);
}

absl::StatusOr<std::string> BearerTokenSource::Current() {
  if (!from_file()) return fixed_;
  absl::MutexLock lock(&mu_);
  const absl::Time now = io_.now();
  // Stat before reading: a change after the stat shows as a new stamp on
  // the next call, so no version is missed.
  absl::StatusOr<FileStamp> stamp = io_.stat(path_);
  if (have_token_ && stamp.ok() && *stamp == stamp_ &&
      now - read_at_ < kMaxAge) {
    return token_;
  }
  absl::Status problem;
  std::string token;
  if (!stamp.ok()) {
    problem = stamp.status();
  } else if (!stamp->regular_file) {
    problem = absl::FailedPreconditionError(
        absl::StrCat(path_, ": is not a regular file"));
  } else {
    absl::StatusOr<std::string> text = io_.read_file(path_);
    if (!text.ok()) {
      problem = text.status();
    } else {
      token = std::string(absl::StripAsciiWhitespace(*text));
      if (token.empty()) {
        problem = absl::FailedPreconditionError(
            absl::StrCat(path_, ": the token file is empty"));
      }
    }
  }
  if (problem.ok()) {
    token_ = std::move(token);
    stamp_ = *stamp;
    read_at_ = now;
    have_token_ = true;
    return token_;
  }
  // Nothing of the failure is kept: the next call reads again.
  if (have_token_) {
    LogWarning(absl::StrCat(
        "kubernetes: could not read the bearer token "
        "again (",
        problem.message(), "); still sending the one read before"));
    return token_;
  }
  if (!fallback_.empty()) return fallback_;
  return absl::FailedPreconditionError(
      absl::StrCat("cannot read the bearer token: ", problem.message()));
}

}  // namespace tao::platforms::kubernetes
