// Hand-built request rules matching spec §8.1 / §8.2, so that these tests do
// not depend on config/.
#ifndef TAO_TESTS_SERVER_CORE_ROUTING_TEST_RULES_H_
#define TAO_TESTS_SERVER_CORE_ROUTING_TEST_RULES_H_

#include <optional>
#include <string>

#include "server/core/catalog/catalog.h"

namespace tao::routing::testing {

inline catalog::SamplingField MakeField(
    std::string name, catalog::SamplingField::Type type, bool supported,
    std::optional<double> min, std::optional<double> max,
    std::optional<std::string> default_value) {
  catalog::SamplingField field;
  field.name = std::move(name);
  field.type = type;
  field.supported = supported;
  field.min = min;
  field.max = max;
  field.default_value = std::move(default_value);
  return field;
}

inline catalog::ArchRules CosmosRlRules() {
  using Type = catalog::SamplingField::Type;
  catalog::ArchRules rules;
  rules.network_arch = "cosmos-rl";
  rules.media_required = true;
  rules.image_extensions = {".jpg", ".jpeg", ".png", ".bmp", ".tiff"};
  rules.video_extensions = {".mp4", ".mkv", ".webm", ".avi", ".mov"};
  rules.image_mime_types = {"image/jpeg", "image/png", "image/bmp",
                            "image/tiff"};
  rules.video_mime_types = {"video/mp4",  "video/x-matroska", "video/mkv",
                            "video/webm", "video/avi",        "video/mov"};
  rules.sampling = {
      MakeField("max_tokens", Type::kInt, true, 1, std::nullopt, "1024"),
      MakeField("temperature", Type::kFloat, true, 0, 2, "0.7"),
      MakeField("top_p", Type::kFloat, true, 0, 1, "0.8"),
  };
  rules.sampling[2].min_exclusive = true;  // top_p must be above 0
  return rules;
}

inline catalog::ArchRules CosmosPredictRules() {
  using Type = catalog::SamplingField::Type;
  catalog::ArchRules rules;
  rules.network_arch = "cosmos-predict2.5";
  rules.media_required = false;
  rules.media_response = true;
  rules.image_extensions = {".png", ".jpg", ".jpeg", ".webp"};
  rules.video_extensions = {".mp4"};
  rules.image_mime_types = {"image/jpeg", "image/jpg", "image/png",
                            "image/webp"};
  rules.video_mime_types = {"video/mp4"};
  rules.sampling = {
      MakeField("max_tokens", Type::kInt, true, 1, std::nullopt, "77"),
      MakeField("top_p", Type::kFloat, false, std::nullopt, std::nullopt,
                std::nullopt),
      MakeField("temperature", Type::kFloat, false, std::nullopt, std::nullopt,
                std::nullopt),
      MakeField("guidance", Type::kInt, true, 0, 7, "7"),
      MakeField("num_steps", Type::kInt, true, 1, std::nullopt, "35"),
      MakeField("seed", Type::kInt, true, 0, std::nullopt, "0"),
      MakeField("negative_prompt", Type::kString, true, std::nullopt,
                std::nullopt, std::nullopt),
  };
  return rules;
}

}  // namespace tao::routing::testing

#endif  // TAO_TESTS_SERVER_CORE_ROUTING_TEST_RULES_H_
