// Reads config/ into CatalogData and checks it, so that a bad file stops
// tao-inferd at start with a message naming the file, not a Start later.
#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "server/core/catalog/catalog_data.h"
#include "server/core/catalog/yaml_reader.h"

namespace tao::catalog {
namespace {

constexpr absl::string_view kImagesFile = "images.yaml";
constexpr absl::string_view kVersionsFile = "versions.yaml";
constexpr absl::string_view kArchitecturesFile = "architectures.yaml";

std::string InDir(const std::string& dir, absl::string_view name) {
  return (std::filesystem::path(dir) / std::string(name)).string();
}

// Environment variable names: [A-Z_][A-Z0-9_]*.
bool IsEnvName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

bool IsArchName(absl::string_view name) {
  return !name.empty() && name[0] != '-' && name[0] != '.' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
         });
}

// Dotted versions.yaml key: two or more [A-Za-z0-9_-]+ segments.
bool IsManifestKey(absl::string_view value) {
  std::vector<absl::string_view> parts = absl::StrSplit(value, '.');
  if (parts.size() < 2) return false;
  return std::all_of(parts.begin(), parts.end(), [](absl::string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
      return absl::ascii_isalnum(c) || c == '_' || c == '-';
    });
  });
}

absl::StatusOr<std::vector<std::string>> EnvNameList(const YamlReader& yaml,
                                                     const YAML::Node& map,
                                                     absl::string_view path,
                                                     const std::string& key) {
  absl::StatusOr<std::vector<std::string>> names =
      yaml.StringList(map, path, key);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    if (!IsEnvName(name)) {
      return yaml.Fail(map[key], JoinPath(path, key),
                       absl::StrCat("'", name,
                                    "' is not an environment variable name "
                                    "([A-Z_][A-Z0-9_]*)"));
    }
  }
  return names;
}

absl::Status LoadEnvironment(const YamlReader& yaml, CatalogData* data) {
  const std::string path = "environment";
  absl::StatusOr<YAML::Node> env = yaml.Required(yaml.root(), "", path);
  if (!env.ok()) return env.status();
  if (absl::Status s =
          yaml.ExpectMap(*env, path, {"secrets", "forbidden", "allowed"});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<std::string>> secrets =
      EnvNameList(yaml, *env, path, "secrets");
  if (!secrets.ok()) return secrets.status();
  absl::StatusOr<std::vector<std::string>> forbidden =
      EnvNameList(yaml, *env, path, "forbidden");
  if (!forbidden.ok()) return forbidden.status();
  absl::StatusOr<std::vector<std::string>> allowed =
      EnvNameList(yaml, *env, path, "allowed");
  if (!allowed.ok()) return allowed.status();
  data->secret_names = *std::move(secrets);
  data->forbidden_env = *std::move(forbidden);
  data->allowed_env = *std::move(allowed);
  return absl::OkStatus();
}

absl::StatusOr<CommandStyle> ParseCommandStyle(const YamlReader& yaml,
                                               const YAML::Node& arch,
                                               absl::string_view path) {
  absl::StatusOr<std::string> command =
      yaml.RequiredString(arch, path, "command");
  if (!command.ok()) return command.status();
  if (*command == "cosmos-rl-job") return CommandStyle::kCosmosRlJob;
  if (*command == "cosmos-predict-cli") return CommandStyle::kCosmosPredictCli;
  return yaml.Fail(arch["command"], JoinPath(path, "command"),
                   absl::StrCat("unknown command '", *command,
                                "'; this server builds cosmos-rl-job and "
                                "cosmos-predict-cli"));
}

absl::StatusOr<std::vector<EnvTemplate>> ParseEnvPayload(
    const YamlReader& yaml, const YAML::Node& arch, absl::string_view path,
    const CatalogData& data) {
  const std::string list_path = JoinPath(path, "env_payload");
  absl::StatusOr<YAML::Node> list = yaml.Required(arch, path, "env_payload");
  if (!list.ok()) return list.status();
  if (!list->IsSequence()) return yaml.Fail(*list, list_path, "must be a list");
  std::vector<EnvTemplate> payload;
  std::set<std::string> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    const YAML::Node item = (*list)[i];
    const std::string item_path = absl::StrCat(list_path, "[", i, "]");
    if (absl::Status s = yaml.ExpectMap(item, item_path, {"name", "value"});
        !s.ok()) {
      return s;
    }
    absl::StatusOr<std::string> name =
        yaml.RequiredString(item, item_path, "name");
    if (!name.ok()) return name.status();
    absl::StatusOr<std::optional<std::string>> value =
        yaml.OptionalString(item, item_path, "value");
    if (!value.ok()) return value.status();
    if (!value->has_value()) {
      return yaml.Fail(item, item_path, "missing key 'value'");
    }
    if (!IsEnvName(*name)) {
      return yaml.Fail(item, item_path, "name is not an environment variable");
    }
    if (!seen.insert(*name).second) {
      return yaml.Fail(item, item_path, absl::StrCat(*name, " appears twice"));
    }
    const auto& secrets = data.secret_names;
    const auto& forbidden = data.forbidden_env;
    if (std::count(secrets.begin(), secrets.end(), *name) > 0) {
      return yaml.Fail(item, item_path,
                       absl::StrCat(*name,
                                    " is a secret; secrets never go into "
                                    "--docker_env_vars (the container prints "
                                    "it)"));
    }
    if (std::count(forbidden.begin(), forbidden.end(), *name) > 0) {
      return yaml.Fail(item, item_path,
                       absl::StrCat(*name, " is forbidden (environment)"));
    }
    // Only the two known placeholders may appear.
    std::string rest = **value;
    for (absl::string_view known : {"{execution_backend}", "{job_id}"}) {
      rest = absl::StrJoin(absl::StrSplit(rest, known), "");
    }
    if (rest.find_first_of("{}") != std::string::npos) {
      return yaml.Fail(item, item_path,
                       "value may only use the placeholders "
                       "{execution_backend} and {job_id}");
    }
    payload.push_back({*name, **value});
  }
  return payload;
}

absl::StatusOr<std::vector<std::string>> LowerCaseList(
    const YamlReader& yaml, const YAML::Node& arch, absl::string_view path,
    const std::string& key, absl::string_view prefix) {
  absl::StatusOr<std::vector<std::string>> items =
      yaml.StringList(arch, path, key);
  if (!items.ok()) return items.status();
  for (const std::string& item : *items) {
    if (item != absl::AsciiStrToLower(item) ||
        !absl::StartsWith(item, prefix) || item.size() <= prefix.size()) {
      return yaml.Fail(arch[key], JoinPath(path, key),
                       absl::StrCat("'", item,
                                    "' must be lower case and start "
                                    "with '",
                                    prefix, "'"));
    }
  }
  return items;
}

// Checks `text` as a value of `field`'s type and range.
absl::Status CheckValue(const SamplingField& field, absl::string_view text) {
  double number = 0;
  if (field.type == SamplingField::Type::kString) return absl::OkStatus();
  if (field.type == SamplingField::Type::kInt) {
    int64_t whole = 0;
    if (!absl::SimpleAtoi(text, &whole)) {
      return absl::InvalidArgumentError("is not a whole number");
    }
    number = static_cast<double>(whole);
  } else if (!absl::SimpleAtod(text, &number)) {
    return absl::InvalidArgumentError("is not a number");
  }
  if (field.min.has_value() &&
      (number < *field.min || (field.min_exclusive && number == *field.min))) {
    return absl::InvalidArgumentError("is below min");
  }
  if (field.max.has_value() && number > *field.max) {
    return absl::InvalidArgumentError("is above max");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<double>> OptionalNumber(const YamlReader& yaml,
                                                     const YAML::Node& map,
                                                     absl::string_view path,
                                                     const std::string& key) {
  absl::StatusOr<std::optional<std::string>> text =
      yaml.OptionalString(map, path, key);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return std::nullopt;
  double number = 0;
  if (!absl::SimpleAtod(**text, &number)) {
    return yaml.Fail(map[key], JoinPath(path, key), "must be a number");
  }
  return number;
}

absl::StatusOr<SamplingField> ParseSamplingField(const YamlReader& yaml,
                                                 const YAML::Node& item,
                                                 absl::string_view path) {
  if (absl::Status s =
          yaml.ExpectMap(item, path,
                         {"name", "type", "supported", "min", "min_exclusive",
                          "max", "default", "description"});
      !s.ok()) {
    return s;
  }
  SamplingField field;
  absl::StatusOr<std::string> name = yaml.RequiredString(item, path, "name");
  if (!name.ok()) return name.status();
  field.name = *name;
  absl::StatusOr<std::string> type = yaml.RequiredString(item, path, "type");
  if (!type.ok()) return type.status();
  if (*type == "int") {
    field.type = SamplingField::Type::kInt;
  } else if (*type == "float") {
    field.type = SamplingField::Type::kFloat;
  } else if (*type == "string") {
    field.type = SamplingField::Type::kString;
  } else {
    return yaml.Fail(item["type"], JoinPath(path, "type"),
                     "must be int, float or string");
  }
  absl::StatusOr<bool> supported =
      yaml.OptionalBool(item, path, "supported", true);
  if (!supported.ok()) return supported.status();
  field.supported = *supported;
  absl::StatusOr<bool> exclusive =
      yaml.OptionalBool(item, path, "min_exclusive", false);
  if (!exclusive.ok()) return exclusive.status();
  field.min_exclusive = *exclusive;
  absl::StatusOr<std::optional<double>> min =
      OptionalNumber(yaml, item, path, "min");
  if (!min.ok()) return min.status();
  field.min = *min;
  absl::StatusOr<std::optional<double>> max =
      OptionalNumber(yaml, item, path, "max");
  if (!max.ok()) return max.status();
  field.max = *max;
  absl::StatusOr<std::optional<std::string>> default_value =
      yaml.OptionalString(item, path, "default");
  if (!default_value.ok()) return default_value.status();
  field.default_value = *default_value;
  absl::StatusOr<std::string> description =
      yaml.RequiredString(item, path, "description");
  if (!description.ok()) return description.status();
  field.description = *description;

  const bool has_range = field.min.has_value() || field.max.has_value();
  if (field.type == SamplingField::Type::kString && has_range) {
    return yaml.Fail(item, path, "a string field has no min or max");
  }
  if (field.min_exclusive && !field.min.has_value()) {
    return yaml.Fail(item, path, "min_exclusive needs min");
  }
  if (field.min.has_value() && field.max.has_value() &&
      *field.min > *field.max) {
    return yaml.Fail(item, path, "min is above max");
  }
  if (!field.supported && (has_range || field.default_value.has_value())) {
    return yaml.Fail(item, path,
                     "an unsupported field has no min, max or default");
  }
  if (field.default_value.has_value()) {
    if (absl::Status s = CheckValue(field, *field.default_value); !s.ok()) {
      return yaml.Fail(
          item["default"], JoinPath(path, "default"),
          absl::StrCat("'", *field.default_value, "' ", s.message()));
    }
  }
  return field;
}

absl::StatusOr<std::vector<SamplingField>> ParseSampling(
    const YamlReader& yaml, const YAML::Node& arch, absl::string_view path) {
  const std::string list_path = JoinPath(path, "sampling");
  absl::StatusOr<YAML::Node> list = yaml.Required(arch, path, "sampling");
  if (!list.ok()) return list.status();
  if (!list->IsSequence()) return yaml.Fail(*list, list_path, "must be a list");
  std::vector<SamplingField> fields;
  std::set<std::string> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string item_path = absl::StrCat(list_path, "[", i, "]");
    absl::StatusOr<SamplingField> field =
        ParseSamplingField(yaml, (*list)[i], item_path);
    if (!field.ok()) return field.status();
    if (!seen.insert(field->name).second) {
      return yaml.Fail((*list)[i], item_path,
                       absl::StrCat(field->name, " appears twice"));
    }
    fields.push_back(*std::move(field));
  }
  return fields;
}

absl::StatusOr<ArchData> ParseArch(const YamlReader& yaml,
                                   const std::string& name,
                                   const YAML::Node& arch,
                                   const CatalogData& data) {
  const std::string path = JoinPath("architectures", name);
  if (absl::Status s = yaml.ExpectMap(
          arch, path,
          {"command", "env_payload", "media_required", "media_response",
           "image_extensions", "video_extensions", "image_mime_types",
           "video_mime_types", "sampling"});
      !s.ok()) {
    return s;
  }
  ArchData result;
  result.rules.network_arch = name;
  absl::StatusOr<CommandStyle> style = ParseCommandStyle(yaml, arch, path);
  if (!style.ok()) return style.status();
  result.style = *style;
  absl::StatusOr<std::vector<EnvTemplate>> payload =
      ParseEnvPayload(yaml, arch, path, data);
  if (!payload.ok()) return payload.status();
  result.env_payload = *std::move(payload);
  absl::StatusOr<bool> media_required =
      yaml.OptionalBool(arch, path, "media_required", false);
  if (!media_required.ok()) return media_required.status();
  result.rules.media_required = *media_required;
  absl::StatusOr<bool> media_response =
      yaml.OptionalBool(arch, path, "media_response", false);
  if (!media_response.ok()) return media_response.status();
  result.rules.media_response = *media_response;

  struct ListSpec {
    const char* key;
    const char* prefix;
    std::vector<std::string>* out;
  };
  for (const ListSpec& list : {
           ListSpec{"image_extensions", ".", &result.rules.image_extensions},
           ListSpec{"video_extensions", ".", &result.rules.video_extensions},
           ListSpec{"image_mime_types", "image/",
                    &result.rules.image_mime_types},
           ListSpec{"video_mime_types", "video/",
                    &result.rules.video_mime_types},
       }) {
    absl::StatusOr<std::vector<std::string>> items =
        LowerCaseList(yaml, arch, path, list.key, list.prefix);
    if (!items.ok()) return items.status();
    *list.out = *std::move(items);
  }
  absl::StatusOr<std::vector<SamplingField>> sampling =
      ParseSampling(yaml, arch, path);
  if (!sampling.ok()) return sampling.status();
  result.rules.sampling = *std::move(sampling);
  return result;
}

// <config_dir>/<arch>.config.json: api_params.image.
absl::Status LoadArchConfigJson(const std::string& config_dir,
                                const std::string& arch, ArchData* data) {
  data->config_file = InDir(
      config_dir, absl::StrCat(absl::AsciiStrToLower(arch), ".config.json"));
  absl::StatusOr<std::string> text = ReadConfigFile(data->config_file);
  if (!text.ok()) return text.status();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() says "... at line L, column C: ...".
    return absl::InvalidArgumentError(
        absl::StrCat(data->config_file, ": not valid JSON: ", e.what()));
  }
  const auto fail = [&](absl::string_view problem) {
    return absl::InvalidArgumentError(
        absl::StrCat(data->config_file, ": api_params.image: ", problem));
  };
  if (!json.is_object() || !json.contains("api_params") ||
      !json["api_params"].is_object() ||
      !json["api_params"].contains("image")) {
    return fail("missing; it names the image key, e.g. \"COSMOS_RL\"");
  }
  const nlohmann::json& image = json["api_params"]["image"];
  if (!image.is_string() || image.get<std::string>().empty()) {
    return fail("must be a non-empty string");
  }
  data->image = image.get<std::string>();
  if (!IsImageKey(data->image) && !IsImageReference(data->image)) {
    return fail(absl::StrCat("'", data->image,
                             "' is neither an image key ([A-Z][A-Z0-9_]*) "
                             "nor an image reference (with '/' or ':')"));
  }
  return absl::OkStatus();
}

absl::Status LoadArchitectures(const std::string& config_dir,
                               CatalogData* data) {
  absl::StatusOr<YamlReader> yaml =
      YamlReader::Load(InDir(config_dir, kArchitecturesFile));
  if (!yaml.ok()) return yaml.status();
  if (absl::Status s =
          yaml->ExpectMap(yaml->root(), "", {"environment", "architectures"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = LoadEnvironment(*yaml, data); !s.ok()) return s;
  absl::StatusOr<YAML::Node> archs =
      yaml->Required(yaml->root(), "", "architectures");
  if (!archs.ok()) return archs.status();
  if (!archs->IsMap() || archs->size() == 0) {
    return yaml->Fail(*archs, "architectures",
                      "must map each network_arch to its description");
  }
  for (const auto& item : *archs) {
    const std::string name = item.first.Scalar();
    // The name becomes a file name and, for cosmos-rl-job, part of an
    // unquoted executable name in the inner command.
    if (!IsArchName(name)) {
      return yaml->Fail(item.first, JoinPath("architectures", name),
                        "names are letters, digits, '.', '_' and '-'");
    }
    absl::StatusOr<ArchData> arch = ParseArch(*yaml, name, item.second, *data);
    if (!arch.ok()) return arch.status();
    if (absl::Status s = LoadArchConfigJson(config_dir, name, &*arch);
        !s.ok()) {
      return s;
    }
    data->archs[name] = *std::move(arch);
  }
  return absl::OkStatus();
}

absl::Status LoadImages(const std::string& config_dir, CatalogData* data) {
  data->images_file = InDir(config_dir, kImagesFile);
  absl::StatusOr<YamlReader> yaml = YamlReader::Load(data->images_file);
  if (!yaml.ok()) return yaml.status();
  if (absl::Status s = yaml->ExpectMap(yaml->root(), "", {"mapping"});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<YAML::Node> mapping =
      yaml->Required(yaml->root(), "", "mapping");
  if (!mapping.ok()) return mapping.status();
  if (!mapping->IsMap())
    return yaml->Fail(*mapping, "mapping", "must be a mapping");
  for (const auto& item : *mapping) {
    const std::string key = item.first.Scalar();
    const std::string path = JoinPath("mapping", key);
    if (!IsImageKey(key)) {
      return yaml->Fail(item.first, path, "keys are [A-Z][A-Z0-9_]*");
    }
    if (!item.second.IsScalar() || (!IsManifestKey(item.second.Scalar()) &&
                                    !IsImageReference(item.second.Scalar()))) {
      return yaml->Fail(item.second, path,
                        "must be a versions.yaml key (group.name) or an image "
                        "reference");
    }
    data->image_mapping[key] = item.second.Scalar();
  }
  return absl::OkStatus();
}

// Flattens images.<group>.<name>: leaves keyed "group.name".
absl::Status FlattenManifest(const YamlReader& yaml, const YAML::Node& node,
                             const std::string& key, CatalogData* data) {
  const std::string path = JoinPath("images", key);
  if (node.IsScalar()) {
    if (!IsImageReference(node.Scalar())) {
      return yaml.Fail(node, path, "must be an image reference");
    }
    data->manifest_images[key] = node.Scalar();
    return absl::OkStatus();
  }
  if (!node.IsMap()) {
    return yaml.Fail(node, path, "must be an image or a group of images");
  }
  for (const auto& item : node) {
    if (absl::Status s = FlattenManifest(
            yaml, item.second, JoinPath(key, item.first.Scalar()), data);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status LoadVersions(const std::string& config_dir, CatalogData* data) {
  data->versions_file = InDir(config_dir, kVersionsFile);
  absl::StatusOr<YamlReader> yaml = YamlReader::Load(data->versions_file);
  if (!yaml.ok()) return yaml.status();
  // Other sections (wheels) of the shared manifest format are ignored.
  absl::StatusOr<YAML::Node> images =
      yaml->Required(yaml->root(), "", "images");
  if (!images.ok()) return images.status();
  if (!images->IsMap())
    return yaml->Fail(*images, "images", "must be a mapping");
  return FlattenManifest(*yaml, *images, "", data);
}

}  // namespace

bool IsImageReference(absl::string_view value) {
  return value.find_first_of("/:@") != absl::string_view::npos;
}

bool IsImageKey(absl::string_view value) {
  if (value.empty() || !absl::ascii_isupper(value[0])) return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

absl::StatusOr<CatalogData> LoadCatalogData(const std::string& config_dir) {
  CatalogData data;
  if (absl::Status s = LoadArchitectures(config_dir, &data); !s.ok()) return s;
  if (absl::Status s = LoadImages(config_dir, &data); !s.ok()) return s;
  if (absl::Status s = LoadVersions(config_dir, &data); !s.ok()) return s;
  return data;
}

}  // namespace tao::catalog
