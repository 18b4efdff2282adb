// Catalog: loading, lookups and the environment rules. Images, model paths
// and inner commands live in their own files.
#include "server/core/catalog/catalog.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "server/core/catalog/catalog_data.h"
#include "server/core/common/errors.h"

namespace tao::catalog {
namespace {

bool Contains(const std::vector<std::string>& names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<std::string> ProcessGetenv(absl::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace

const SamplingField* ArchRules::Field(absl::string_view name) const {
  for (const SamplingField& field : sampling) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

Catalog::Catalog(std::unique_ptr<const CatalogData> data)
    : data_(std::move(data)) {}

Catalog::~Catalog() = default;

absl::StatusOr<std::unique_ptr<Catalog>> Catalog::Create(Options options) {
  absl::StatusOr<CatalogData> data = LoadCatalogData(options.config_dir);
  if (!data.ok()) return data.status();
  data->getenv = options.getenv ? std::move(options.getenv) : ProcessGetenv;
  return std::unique_ptr<Catalog>(
      new Catalog(std::make_unique<const CatalogData>(*std::move(data))));
}

std::vector<std::string> Catalog::architectures() const {
  std::vector<std::string> names;
  for (const auto& [name, arch] : data_->archs) names.push_back(name);
  return names;
}

std::vector<const ArchRules*> Catalog::AllRules() const {
  std::vector<const ArchRules*> rules;
  for (const auto& [name, arch] : data_->archs) rules.push_back(&arch.rules);
  return rules;
}

absl::StatusOr<const ArchRules*> Catalog::Rules(
    absl::string_view network_arch) const {
  auto it = data_->archs.find(std::string(network_arch));
  if (it == data_->archs.end()) {
    return core::InvalidField(
        "network_arch",
        absl::StrCat("'", network_arch, "' is not supported; use one of ",
                     absl::StrJoin(architectures(), ", ")));
  }
  return &it->second.rules;
}

EnvPayload Catalog::MakeEnvPayload(absl::string_view network_arch,
                                   absl::string_view execution_backend,
                                   absl::string_view job_id) const {
  EnvPayload payload;
  auto it = data_->archs.find(std::string(network_arch));
  if (it == data_->archs.end()) return payload;
  for (const EnvTemplate& entry : it->second.env_payload) {
    payload.emplace_back(
        entry.name, absl::StrReplaceAll(entry.value, {{"{execution_backend}",
                                                       execution_backend},
                                                      {"{job_id}", job_id}}));
  }
  return payload;
}

const std::vector<std::string>& Catalog::secret_names() const {
  return data_->secret_names;
}

bool Catalog::IsSecretName(absl::string_view name) const {
  return Contains(data_->secret_names, name);
}

bool Catalog::IsForbiddenEnv(absl::string_view name) const {
  return Contains(data_->forbidden_env, name);
}

bool Catalog::IsAllowedExtraEnv(absl::string_view name) const {
  if (!Contains(data_->allowed_env, name) || IsSecretName(name) ||
      IsForbiddenEnv(name)) {
    return false;
  }
  // The payload's own names carry values the server decides.
  for (const auto& [arch_name, arch] : data_->archs) {
    for (const EnvTemplate& entry : arch.env_payload) {
      if (entry.name == name) return false;
    }
  }
  return true;
}

}  // namespace tao::catalog
