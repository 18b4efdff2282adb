#include "platforms/local_docker/pull_progress.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace tao::platforms::local_docker {
namespace {

std::string Size(int64_t bytes) {
  constexpr double kMiB = 1024.0 * 1024.0;
  if (bytes >= (int64_t{1} << 30)) {
    return absl::StrFormat("%.1f GiB", bytes / (kMiB * 1024.0));
  }
  return absl::StrFormat("%.1f MiB", bytes / kMiB);
}

}  // namespace

std::optional<std::string> PullProgress::Consume(absl::string_view line) {
  nlohmann::json event =
      nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!event.is_object()) return std::nullopt;
  const std::string prefix = absl::StrCat("pulling ", image_, ": ");
  if (event.contains("error")) {
    error_ = event["error"].is_string() ? event["error"].get<std::string>()
                                        : event["error"].dump();
    if (event.contains("errorDetail") && event["errorDetail"].is_object()) {
      error_ = event["errorDetail"].value("message", error_);
    }
    return std::nullopt;
  }
  const std::string status = event.value("status", "");
  const std::string id = event.value("id", "");
  if (status.empty()) return std::nullopt;
  // "Pulling from <repo>" carries the tag as its id; it is not a layer.
  if (id.empty() || absl::StartsWith(status, "Pulling from")) {
    return prefix + status;
  }

  layers_.insert(id);
  if (status == "Downloading" && event.contains("progressDetail") &&
      event["progressDetail"].is_object()) {
    Layer& layer = downloads_[id];
    layer.current = event["progressDetail"].value("current", layer.current);
    layer.total = event["progressDetail"].value("total", layer.total);
    const int64_t current = bytes_done();
    const int64_t total = bytes_total();
    if (total <= 0) return std::nullopt;
    const int decile = static_cast<int>(current * 10 / total);
    if (decile <= last_decile_) return std::nullopt;
    last_decile_ = decile;
    return absl::StrCat(prefix, "downloaded ", Size(current), " of ",
                        Size(total), " so far (", decile * 10, "%)");
  }
  if (status == "Download complete") {
    Layer& layer = downloads_[id];
    layer.current = layer.total;
    return std::nullopt;
  }
  if (status == "Pull complete" || status == "Already exists") {
    if (!done_.insert(id).second || status == "Already exists") {
      return std::nullopt;
    }
    return absl::StrCat(prefix, "layer ", id, " done (", done_.size(), " of ",
                        layers_.size(), " layers)");
  }
  return std::nullopt;
}

int64_t PullProgress::bytes_done() const {
  int64_t sum = 0;
  for (const auto& [unused, layer] : downloads_) sum += layer.current;
  return sum;
}

int64_t PullProgress::bytes_total() const {
  int64_t sum = 0;
  for (const auto& [unused, layer] : downloads_) sum += layer.total;
  return sum;
}

}  // namespace tao::platforms::local_docker
