// What Catalog::Create reads from config/, checked and ready to use. Private
// to server/core/catalog.
#ifndef TAO_SERVER_CORE_CATALOG_CATALOG_DATA_H_
#define TAO_SERVER_CORE_CATALOG_CATALOG_DATA_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/catalog/catalog.h"

namespace tao::catalog {

// The shape of the inner command; each has its own builder.
enum class CommandStyle {
  kCosmosRlJob,       // cosmos-rl: --job JSON --docker_env_vars JSON
  kCosmosPredictCli,  // cosmos-predict2.5: flat tyro flags
};

// One --docker_env_vars entry; `value` may hold {execution_backend} or
// {job_id}, filled in by MakeEnvPayload.
struct EnvTemplate {
  std::string name;
  std::string value;
};

struct ArchData {
  ArchRules rules;
  CommandStyle style = CommandStyle::kCosmosRlJob;
  std::vector<EnvTemplate> env_payload;
  std::string config_file;  // <config_dir>/<arch>.config.json, for messages
  std::string image;        // its api_params.image: a key or an image reference
};

struct CatalogData {
  std::map<std::string, ArchData> archs;
  std::string images_file;
  std::string versions_file;
  // api_params.image key -> versions manifest key or image reference.
  std::map<std::string, std::string> image_mapping;
  // Flattened versions manifest: "tao_toolkit.cosmos_rl" -> image.
  std::map<std::string, std::string> manifest_images;
  std::vector<std::string> secret_names;
  std::vector<std::string> forbidden_env;
  std::vector<std::string> allowed_env;
  std::function<std::optional<std::string>(absl::string_view)> getenv;
};

// Reads and checks every file in `config_dir`. Errors name the file (and
// the line where the parser knows it): NOT_FOUND for a missing file,
// INVALID_ARGUMENT for a malformed one.
absl::StatusOr<CatalogData> LoadCatalogData(const std::string& config_dir);

// True when `value` is a container image reference ("nvcr.io/x/y:tag",
// "ubuntu:22.04", "repo@sha256:..."): it holds '/', ':' or '@', which keys
// ("COSMOS_RL") and manifest keys ("tao_toolkit.cosmos_rl") never do.
bool IsImageReference(absl::string_view value);

// True for an api_params.image key: [A-Z][A-Z0-9_]*.
bool IsImageKey(absl::string_view value);

}  // namespace tao::catalog

#endif  // TAO_SERVER_CORE_CATALOG_CATALOG_DATA_H_
