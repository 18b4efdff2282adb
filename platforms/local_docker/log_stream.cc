#include "platforms/local_docker/log_stream.h"

#include <algorithm>
#include <cstdint>

namespace tao::platforms::local_docker {
namespace {

constexpr size_t kHeaderSize = 8;

bool LooksLikeFrameHeader(absl::string_view data) {
  if (data.size() < kHeaderSize) return false;
  const unsigned char stream = static_cast<unsigned char>(data[0]);
  return stream <= 2 && data[1] == 0 && data[2] == 0 && data[3] == 0;
}

}  // namespace

std::string Demultiplex(absl::string_view raw) {
  if (!LooksLikeFrameHeader(raw)) return std::string(raw);
  std::string out;
  while (LooksLikeFrameHeader(raw)) {
    uint32_t size = 0;
    for (size_t i = 4; i < kHeaderSize; ++i) {
      size = (size << 8) | static_cast<unsigned char>(raw[i]);
    }
    raw.remove_prefix(kHeaderSize);
    const size_t take = std::min<size_t>(size, raw.size());
    out.append(raw.data(), take);
    raw.remove_prefix(take);
  }
  return out;
}

std::string LastLines(absl::string_view text, int count) {
  if (count <= 0) return "";
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  size_t start = text.size();
  int lines = 0;
  while (start > 0) {
    const size_t newline = text.rfind('\n', start - 1);
    if (newline == absl::string_view::npos) {
      start = 0;
      break;
    }
    if (++lines == count) {
      start = newline + 1;
      break;
    }
    start = newline;
  }
  return std::string(text.substr(start));
}

}  // namespace tao::platforms::local_docker
