#include "platforms/common/http/http_exchange.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace tao::platforms::http {
namespace {

constexpr long kBufferBytes = 512 * 1024;
constexpr curl_off_t kMaxReserveBytes = curl_off_t{1} << 32;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct ExchangeState {
  CURL* handle = nullptr;
  const HttpRequest* request = nullptr;
  HttpExchange* result = nullptr;
  size_t upload_offset = 0;
  bool reserved = false;
  bool cancelled = false;
  std::string pending_line;  // streaming: the unfinished last line
};

size_t ReadBody(char* buffer, size_t size, size_t count, void* user) {
  auto* state = static_cast<ExchangeState*>(user);
  const absl::string_view body = state->request->body;
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
  auto* state = static_cast<ExchangeState*>(user);
  if (offset == 0 && origin == SEEK_SET && state->upload_offset == 0) {
    return CURL_SEEKFUNC_OK;
  }
  return CURL_SEEKFUNC_FAIL;
}

void Collect(ExchangeState& state, const char* data, size_t n) {
  std::string& body = state.result->body;
  const size_t limit = state.request->max_body_bytes;
  if (!state.reserved) {
    state.reserved = true;
    curl_off_t length = -1;
    if (curl_easy_getinfo(state.handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
                          &length) == CURLE_OK &&
        length > 0) {
      size_t want = static_cast<size_t>(std::min(length, kMaxReserveBytes));
      body.reserve(std::min(want, limit));
    }
  }
  if (body.size() < limit) body.append(data, std::min(n, limit - body.size()));
}

void StreamLines(ExchangeState& state, const char* data, size_t n) {
  std::string& pending = state.pending_line;
  pending.append(data, n);
  size_t start = 0;
  for (size_t newline = pending.find('\n', start); newline != std::string::npos;
       newline = pending.find('\n', start)) {
    absl::string_view line(pending.data() + start, newline - start);
    if (!absl::StripAsciiWhitespace(line).empty()) state.request->on_line(line);
    start = newline + 1;
  }
  pending.erase(0, start);
}

bool IsSuccess(long status) { return status >= 200 && status < 300; }

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<ExchangeState*>(user);
  const size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(state->handle, CURLINFO_RESPONSE_CODE, &status);
  if (state->request->on_line && IsSuccess(status)) {
    StreamLines(*state, data, n);
  } else {
    Collect(*state, data, n);
  }
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* state = static_cast<ExchangeState*>(user);
  if (state->request->cancelled && state->request->cancelled()) {
    state->cancelled = true;
    return 1;  // aborts with CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

int BeforeRequest(void* user, char*, char*, int, int) {
  static_cast<ExchangeState*>(user)->result->request_started = true;
  return CURL_PREREQFUNC_OK;
}

long Milliseconds(absl::Duration d) {
  return static_cast<long>(std::max<int64_t>(1, absl::ToInt64Milliseconds(d)));
}

bool SendsBody(const HttpRequest& request) {
  return !request.body.empty() || request.method == "POST" ||
         request.method == "PUT" || request.method == "PATCH";
}

std::string UrlWithQuery(CURL* handle, const HttpRequest& request) {
  std::string url = request.url;
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : request.query) {
    char* escaped =
        curl_easy_escape(handle, value.data(), static_cast<int>(value.size()));
    absl::StrAppend(&url, std::string(1, separator), name, "=",
                    escaped != nullptr ? escaped : "");
    curl_free(escaped);
    separator = '&';
  }
  return url;
}

// PEM text handed to libcurl in memory (kubeconfig's *-data fields).
curl_blob Blob(const std::string& pem) {
  return curl_blob{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
}

void SetTls(CURL* handle, const TlsOptions& tls) {
  if (tls.insecure_skip_verify) {
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!tls.ca_file.empty()) {
    curl_easy_setopt(handle, CURLOPT_CAINFO, tls.ca_file.c_str());
  }
  if (!tls.ca_pem.empty()) {
    curl_blob blob = Blob(tls.ca_pem);
    curl_easy_setopt(handle, CURLOPT_CAINFO_BLOB, &blob);
  }
  if (!tls.client_cert_file.empty()) {
    curl_easy_setopt(handle, CURLOPT_SSLCERT, tls.client_cert_file.c_str());
  }
  if (!tls.client_cert_pem.empty()) {
    curl_blob blob = Blob(tls.client_cert_pem);
    curl_easy_setopt(handle, CURLOPT_SSLCERT_BLOB, &blob);
    curl_easy_setopt(handle, CURLOPT_SSLCERTTYPE, "PEM");
  }
  if (!tls.client_key_file.empty()) {
    curl_easy_setopt(handle, CURLOPT_SSLKEY, tls.client_key_file.c_str());
  }
  if (!tls.client_key_pem.empty()) {
    curl_blob blob = Blob(tls.client_key_pem);
    curl_easy_setopt(handle, CURLOPT_SSLKEY_BLOB, &blob);
    curl_easy_setopt(handle, CURLOPT_SSLKEYTYPE, "PEM");
  }
}

TransportError Classify(CURLcode code, const ExchangeState& state,
                        bool whole_timeout_passed) {
  switch (code) {
    case CURLE_OK:
      return TransportError::kNone;
    case CURLE_ABORTED_BY_CALLBACK:
      return TransportError::kCancelled;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return TransportError::kBadUrl;
    case CURLE_SEND_FAIL_REWIND:
      return TransportError::kResendRefused;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportError::kCouldNotConnect;
    case CURLE_OPERATION_TIMEDOUT:
      // Timing out while connecting, with time left, is a connection
      // failure: nothing was sent.
      if (state.result->request_started || whole_timeout_passed) {
        return TransportError::kTimedOut;
      }
      return TransportError::kCouldNotConnect;
    default:
      return state.result->request_started ? TransportError::kOther
                                           : TransportError::kCouldNotConnect;
  }
}

}  // namespace

HttpExchange PerformExchange(CURL* handle, const HttpRequest& request,
                             const ConnectionOptions& connection) {
  HttpExchange result;
  if (handle == nullptr) {
    result.error = TransportError::kOther;
    result.cause = "libcurl could not create a handle";
    return result;
  }
  ExchangeState state;
  state.handle = handle;
  state.request = &request;
  state.result = &result;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  const std::string url = UrlWithQuery(handle, request);
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!connection.unix_socket.empty()) {
    curl_easy_setopt(handle, CURLOPT_UNIX_SOCKET_PATH,
                     connection.unix_socket.c_str());
  }
  if (!connection.use_environment_proxy) {
    curl_easy_setopt(handle, CURLOPT_PROXY, "");
  }
  SetTls(handle, connection.tls);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, Milliseconds(request.timeout));
  curl_easy_setopt(
      handle, CURLOPT_CONNECTTIMEOUT_MS,
      Milliseconds(std::min(connection.connect_timeout, request.timeout)));
  curl_easy_setopt(
      handle, CURLOPT_MAXAGE_CONN,
      static_cast<long>(absl::ToInt64Seconds(connection.max_connection_age)));
  curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, kBufferBytes);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &state);
  curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, &BeforeRequest);
  curl_easy_setopt(handle, CURLOPT_PREREQDATA, &state);

  // No "Expect: 100-continue" round trip before large bodies.
  Slist headers(curl_slist_append(nullptr, "Expect:"));
  auto add_header = [&headers](const std::string& header) {
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  };
  for (const std::string& header : request.headers) add_header(header);
  if (SendsBody(request)) {
    if (!request.body.empty() && !request.content_type.empty()) {
      add_header(absl::StrCat("Content-Type: ", request.content_type));
    }
    curl_easy_setopt(handle, CURLOPT_POST, 1L);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, &ReadBody);
    curl_easy_setopt(handle, CURLOPT_READDATA, &state);
    curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, &SeekBody);
    curl_easy_setopt(handle, CURLOPT_SEEKDATA, &state);
    curl_easy_setopt(handle, CURLOPT_UPLOAD_BUFFERSIZE, kBufferBytes);
    if (request.method != "POST") {
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
  } else if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    if (request.method != "GET") {
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
  }
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());

  const absl::Time started = absl::Now();
  const CURLcode code = curl_easy_perform(handle);
  result.error =
      Classify(code, state, absl::Now() - started >= request.timeout);
  if (state.cancelled) result.error = TransportError::kCancelled;
  curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &result.new_connections);
  if (result.answered()) {
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result.status);
    char* content_type = nullptr;
    curl_easy_getinfo(handle, CURLINFO_CONTENT_TYPE, &content_type);
    if (content_type != nullptr) result.content_type = content_type;
    if (request.on_line && IsSuccess(result.status) &&
        !absl::StripAsciiWhitespace(state.pending_line).empty()) {
      request.on_line(state.pending_line);
    }
  } else {
    result.cause = error_buffer[0] != '\0' ? std::string(error_buffer)
                                           : curl_easy_strerror(code);
  }
  // The handle goes back to the pool; it must not point at our locals.
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  return result;
}

}  // namespace tao::platforms::http
