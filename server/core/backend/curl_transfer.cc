#include "server/core/backend/curl_transfer.h"

#include <algorithm>
#include <cstring>

namespace tao::backend {
namespace {

// Idle keep-alive connections older than this are not reused: servers close
// idle connections after a few seconds (cpp-httplib: 5 s), and reusing one
// just as it closes would leave a sent request in doubt.
constexpr long kMaxConnectionAgeSeconds = 4;
constexpr long kBufferBytes = 512 * 1024;
constexpr curl_off_t kMaxReserveBytes = curl_off_t{1} << 32;

struct TransferState {
  CURL* handle;
  const TransferRequest* request;
  TransferResult* result;
  size_t upload_offset = 0;
  bool reserved = false;
};

size_t ReadBody(char* buffer, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const std::string& body = *state->request->post_body;
  size_t n = std::min(size * count, body.size() - state->upload_offset);
  std::memcpy(buffer, body.data() + state->upload_offset, n);
  state->upload_offset += n;
  return n;
}

// libcurl rewinds the body only to send it again on another connection
// (e.g. a reused keep-alive connection died after part of it went out).
// That could run the request twice, so only a rewind before any byte was
// read is allowed.
int SeekBody(void* user, curl_off_t offset, int origin) {
  auto* state = static_cast<TransferState*>(user);
  if (offset == 0 && origin == SEEK_SET && state->upload_offset == 0) {
    return CURL_SEEKFUNC_OK;
  }
  return CURL_SEEKFUNC_FAIL;
}

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const size_t n = size * count;
  std::string& body = state->result->body;
  if (!state->reserved) {
    state->reserved = true;
    curl_off_t length = -1;
    if (curl_easy_getinfo(state->handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
                          &length) == CURLE_OK &&
        length > 0) {
      size_t want = static_cast<size_t>(std::min(length, kMaxReserveBytes));
      body.reserve(std::min(want, state->request->max_body_bytes));
    }
  }
  if (body.size() < state->request->max_body_bytes) {
    body.append(data,
                std::min(n, state->request->max_body_bytes - body.size()));
  }
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* state = static_cast<TransferState*>(user);
  const std::function<bool()>* cancelled = state->request->cancelled;
  if (cancelled != nullptr && *cancelled && (*cancelled)()) {
    state->result->cancelled = true;
    return 1;  // aborts with CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

int BeforeRequest(void* user, char*, char*, int, int) {
  static_cast<TransferState*>(user)->result->request_started = true;
  return CURL_PREREQFUNC_OK;
}

long Milliseconds(absl::Duration d) {
  return static_cast<long>(std::max<int64_t>(1, absl::ToInt64Milliseconds(d)));
}

}  // namespace

TransferResult PerformTransfer(CURL* handle, const TransferRequest& request) {
  TransferResult result;
  if (handle == nullptr) {
    result.code = CURLE_OUT_OF_MEMORY;
    result.error = "libcurl could not create a handle";
    return result;
  }
  TransferState state{handle, &request, &result};
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, Milliseconds(request.timeout));
  curl_easy_setopt(
      handle, CURLOPT_CONNECTTIMEOUT_MS,
      Milliseconds(std::min(request.connect_timeout, request.timeout)));
  curl_easy_setopt(handle, CURLOPT_MAXAGE_CONN, kMaxConnectionAgeSeconds);
  curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, kBufferBytes);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &state);
  curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, &BeforeRequest);
  curl_easy_setopt(handle, CURLOPT_PREREQDATA, &state);

  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  if (request.post_body != nullptr) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    // No "Expect: 100-continue" round trip before large bodies.
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(handle, CURLOPT_POST, 1L);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.post_body->size()));
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, &ReadBody);
    curl_easy_setopt(handle, CURLOPT_READDATA, &state);
    curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, &SeekBody);
    curl_easy_setopt(handle, CURLOPT_SEEKDATA, &state);
    curl_easy_setopt(handle, CURLOPT_UPLOAD_BUFFERSIZE, kBufferBytes);
  } else {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);

  result.code = curl_easy_perform(handle);
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result.http_status);
  curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &result.new_connections);
  if (result.code != CURLE_OK) {
    result.error = error_buffer[0] != '\0' ? std::string(error_buffer)
                                           : curl_easy_strerror(result.code);
  }
  // The handle goes back to the pool; it must not point at our locals.
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(headers);
  return result;
}

}  // namespace tao::backend
