#include "platforms/common/http/curl_handle_pool.h"

#include <mutex>

#include "absl/base/thread_annotations.h"

namespace tao::platforms::http {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

CurlHandlePool::CurlHandlePool() {
  GlobalInitOnce();
  share_ = curl_share_init();
  if (share_ != nullptr) {
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlHandlePool::LockShared);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC,
                      &CurlHandlePool::UnlockShared);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  }
}

CurlHandlePool::~CurlHandlePool() {
  {
    absl::MutexLock lock(&mu_);
    for (CURL* handle : idle_) curl_easy_cleanup(handle);
    idle_.clear();
  }
  // Closes the cached connections; every handle is detached by now.
  if (share_ != nullptr) curl_share_cleanup(share_);
}

CurlHandlePool::Lease CurlHandlePool::Acquire() {
  CURL* handle = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      handle = idle_.back();  // most recently used first
      idle_.pop_back();
    }
  }
  if (handle == nullptr) handle = curl_easy_init();
  if (handle != nullptr && share_ != nullptr) {
    curl_easy_setopt(handle, CURLOPT_SHARE, share_);
  }
  return Lease(this, handle);
}

void CurlHandlePool::Release(CURL* handle) {
  if (handle == nullptr) return;
  // Detach before reset so the connection stays in the shared cache and the
  // next user starts from default options.
  curl_easy_setopt(handle, CURLOPT_SHARE, nullptr);
  curl_easy_reset(handle);
  absl::MutexLock lock(&mu_);
  if (idle_.size() < kMaxIdleHandles) {
    idle_.push_back(handle);
    return;
  }
  curl_easy_cleanup(handle);
}

// libcurl locks in one callback and unlocks in the other, which the lock
// analysis cannot follow.
void CurlHandlePool::LockShared(CURL* /*handle*/, curl_lock_data data,
                                curl_lock_access /*access*/,
                                void* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  static_cast<CurlHandlePool*>(self)->share_locks_[data].Lock();
}

void CurlHandlePool::UnlockShared(CURL* /*handle*/, curl_lock_data data,
                                  void* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  static_cast<CurlHandlePool*>(self)->share_locks_[data].Unlock();
}

}  // namespace tao::platforms::http
