#include "platforms/common/redactor.h"

#include <algorithm>
#include <utility>

namespace tao::platforms {

Redactor::Redactor(std::vector<std::string> secrets) {
  for (std::string& secret : secrets) {
    if (IsSecretWorthy(secret)) secrets_.push_back(std::move(secret));
  }
}

Redactor Redactor::ForValues(
    const std::map<std::string, std::string>& secrets) {
  std::vector<std::string> values;
  for (const auto& [name, value] : secrets) values.push_back(value);
  return Redactor(std::move(values));
}

std::string Redactor::Redact(absl::string_view text) const {
  // Every occurrence of every secret, overlapping ones included, as
  // [begin, end) ranges. Replacing secrets one after another would leave a
  // piece of the second of two overlapping secrets (or of a secret overlapping
  // itself, "aaaa" in "aaaaaa") in clear.
  std::vector<std::pair<size_t, size_t>> ranges;
  for (const std::string& secret : secrets_) {
    for (size_t at = text.find(secret); at != absl::string_view::npos;
         at = text.find(secret, at + 1)) {
      ranges.emplace_back(at, at + secret.size());
    }
  }
  if (ranges.empty()) return std::string(text);
  std::sort(ranges.begin(), ranges.end());

  // Overlapping ranges become one marker; merely adjacent ones stay two.
  std::string out;
  size_t copied = 0;  // text before this is already in `out`
  size_t i = 0;
  while (i < ranges.size()) {
    size_t begin = ranges[i].first;
    size_t end = ranges[i].second;
    for (++i; i < ranges.size() && ranges[i].first < end; ++i) {
      end = std::max(end, ranges[i].second);
    }
    out.append(text.data() + copied, begin - copied);
    out.append(kPlaceholder.data(), kPlaceholder.size());
    copied = end;
  }
  out.append(text.data() + copied, text.size() - copied);
  return out;
}

}  // namespace tao::platforms
