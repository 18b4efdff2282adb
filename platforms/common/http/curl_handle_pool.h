// libcurl setup shared by every HttpClient: one curl_global_init per
// process, and a pool of easy handles whose connections live in one shared
// cache, so keep-alive connections are reused across calls and threads.
#ifndef TAO_PLATFORMS_COMMON_HTTP_CURL_HANDLE_POOL_H_
#define TAO_PLATFORMS_COMMON_HTTP_CURL_HANDLE_POOL_H_

#include <curl/curl.h>

#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace tao::platforms::http {

// Thread-safe. Handles are handed out one caller at a time; the pool must
// outlive every Lease.
class CurlHandlePool {
 public:
  // A handle borrowed from the pool; returned (options reset, connections
  // kept in the shared cache) when the lease ends.
  class Lease {
   public:
    Lease(CurlHandlePool* pool, CURL* handle) : pool_(pool), handle_(handle) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_->Release(handle_); }
    CURL* get() const { return handle_; }

   private:
    CurlHandlePool* pool_;
    CURL* handle_;
  };

  CurlHandlePool();
  ~CurlHandlePool();
  CurlHandlePool(const CurlHandlePool&) = delete;
  CurlHandlePool& operator=(const CurlHandlePool&) = delete;

  // A ready-to-configure handle attached to the shared connection cache.
  // Returns a lease whose get() is nullptr only if libcurl is out of memory.
  Lease Acquire();

 private:
  // Idle handles kept beyond this are freed (their connections stay cached).
  static constexpr size_t kMaxIdleHandles = 32;

  void Release(CURL* handle);
  static void LockShared(CURL* handle, curl_lock_data data,
                         curl_lock_access access, void* self);
  static void UnlockShared(CURL* handle, curl_lock_data data, void* self);

  CURLSH* share_ = nullptr;
  // One lock per kind of shared data, as libcurl asks for.
  absl::Mutex share_locks_[CURL_LOCK_DATA_LAST];
  absl::Mutex mu_;
  std::vector<CURL*> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::platforms::http

#endif  // TAO_PLATFORMS_COMMON_HTTP_CURL_HANDLE_POOL_H_
