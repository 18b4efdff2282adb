// The architecture catalog: data the project owns under config/ (image
// mapping, versions manifest, per-arch config and request rules) and the
// builders that turn it into what a container needs: image reference, inner
// command and environment payload (spec §4, §5, §8).
#ifndef TAO_SERVER_CORE_CATALOG_CATALOG_H_
#define TAO_SERVER_CORE_CATALOG_CATALOG_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tao::catalog {

// Ordered (name, value) pairs: the order is the JSON key order of
// --docker_env_vars, which must match the original byte for byte.
using EnvPayload = std::vector<std::pair<std::string, std::string>>;

// One sampling field of the chat-completions body, for one architecture.
struct SamplingField {
  enum class Type { kInt, kFloat, kString };
  std::string name;  // request field, e.g. "max_tokens"
  Type type = Type::kInt;
  bool supported = true;  // false: refused in requests, never sent
  std::optional<double> min;
  std::optional<double> max;
  // Default applied when the caller leaves the field unset; nullopt: the
  // field is sent only when the caller sets it (negative_prompt).
  std::optional<std::string> default_value;  // textual ("1024", "0.7")
  std::string description;                   // shown by the CLI prompt
  // True when `min` itself is refused (top_p must be > 0).
  bool min_exclusive = false;
};

// Request rules for one architecture (request.yaml network_arch_constraints).
struct ArchRules {
  std::string network_arch;
  bool media_required = false;
  std::vector<std::string> image_extensions;  // lower case, with dot
  std::vector<std::string> video_extensions;
  std::vector<std::string> image_mime_types;  // e.g. image/png
  std::vector<std::string> video_mime_types;
  // Every field the base schema or the arch defines, in prompt order;
  // unsupported ones are listed with supported=false.
  std::vector<SamplingField> sampling;
  // True when the answer's content is a data: URI (cosmos-predict2.5).
  bool media_response = false;

  const SamplingField* Field(absl::string_view name) const;
};

// What the inner command needs.
struct CommandInputs {
  std::string network_arch;
  std::string job_id;
  std::string model_path;
  std::string model_key;   // cosmos-predict2.5 with hf_model:// only
  EnvPayload env_payload;  // cosmos-rl: encoded into --docker_env_vars
  int container_port = 8080;
};

struct CatalogData;  // what Create loaded; defined in catalog_data.h

// Immutable after Create: every method is const and safe to call from any
// thread (IMAGE_<KEY> is read through Options.getenv on each ResolveImage).
class Catalog {
 public:
  struct Options {
    // Folder holding images.yaml, versions.yaml, architectures.yaml and
    // <network_arch>.config.json.
    std::string config_dir = "config";
    // Reads the server's environment (IMAGE_<KEY> overrides). Tests inject.
    std::function<std::optional<std::string>(absl::string_view)> getenv;
  };

  // Loads every file. Errors: INVALID_ARGUMENT / NOT_FOUND naming the file
  // and what is wrong with it.
  static absl::StatusOr<std::unique_ptr<Catalog>> Create(Options options);

  // Supported architectures, e.g. {"cosmos-predict2.5", "cosmos-rl"}.
  std::vector<std::string> architectures() const;

  // INVALID_ARGUMENT naming network_arch and listing the supported ones.
  absl::StatusOr<const ArchRules*> Rules(absl::string_view network_arch) const;

  // The rules of every architecture, sorted by network_arch.
  std::vector<const ArchRules*> AllRules() const;

  // Spec §4: <arch>.config.json api_params.image (an image reference there
  // is returned as is) -> IMAGE_<KEY> from getenv when non-empty ->
  // images.yaml mapping -> versions.yaml. Errors: FAILED_PRECONDITION naming
  // the unresolvable key, the file and the IMAGE_<KEY> variable to set;
  // INVALID_ARGUMENT for an unknown network_arch.
  absl::StatusOr<std::string> ResolveImage(
      absl::string_view network_arch) const;

  // Checks model_path (and model_key) for the architecture. Errors:
  // INVALID_ARGUMENT naming the field (model_path or model_key).
  absl::Status ValidateModelPath(absl::string_view network_arch,
                                 absl::string_view model_path,
                                 absl::string_view model_key) const;

  // The byte-exact inner command (spec §5.2, §5.3). Validates model_path
  // and model_key first; refuses a secret's name in env_payload (the
  // container prints --docker_env_vars). cosmos-rl adds --port only when
  // container_port is not 8080, cosmos-predict2.5 always passes it.
  absl::StatusOr<std::string> InnerCommand(const CommandInputs& inputs) const;

  // Spec §5.1: the env payload for an architecture on a platform whose
  // TAO_EXECUTION_BACKEND value is `execution_backend`.
  EnvPayload MakeEnvPayload(absl::string_view network_arch,
                            absl::string_view execution_backend,
                            absl::string_view job_id) const;

  // Names whose values are secrets (HF_TOKEN, WANDB_API_KEY, ...).
  const std::vector<std::string>& secret_names() const;
  // Names a caller may set through StartRequest.env: the allow-list minus
  // secrets and forbidden names.
  bool IsAllowedExtraEnv(absl::string_view name) const;
  bool IsSecretName(absl::string_view name) const;
  bool IsForbiddenEnv(absl::string_view name) const;

  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

 private:
  explicit Catalog(std::unique_ptr<const CatalogData> data);

  std::unique_ptr<const CatalogData> data_;
};

}  // namespace tao::catalog

#endif  // TAO_SERVER_CORE_CATALOG_CATALOG_H_
