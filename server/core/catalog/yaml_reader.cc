#include "server/core/catalog/yaml_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tao::catalog {

absl::StatusOr<std::string> ReadConfigFile(const std::string& file) {
  std::error_code error;
  if (!std::filesystem::exists(file, error)) {
    return absl::NotFoundError(absl::StrCat(
        file,
        ": no such file; the catalog needs it (see config/README.md), "
        "or point tao-inferd at the right folder with --config_dir"));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": cannot be opened for reading"));
  }
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  if (in.bad()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": read failed"));
  }
  return text;
}

std::string JoinPath(absl::string_view path, absl::string_view key) {
  if (path.empty()) return std::string(key);
  return absl::StrCat(path, ".", key);
}

absl::StatusOr<YamlReader> YamlReader::Load(const std::string& file) {
  absl::StatusOr<std::string> text = ReadConfigFile(file);
  if (!text.ok()) return text.status();
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ":", e.mark.line + 1, ":", e.mark.column + 1,
                     ": not valid YAML: ", e.msg));
  }
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": ", root.IsNull() ? "is empty" : "is not a mapping",
        "; expected top-level keys (see config/README.md)"));
  }
  return YamlReader(file, std::move(root));
}

absl::Status YamlReader::Fail(const YAML::Node& node, absl::string_view path,
                              absl::string_view problem) const {
  std::string where = file_;
  if (node.IsDefined() && node.Mark().line >= 0) {
    absl::StrAppend(&where, ":", node.Mark().line + 1);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      where, ": ", path.empty() ? "(top level)" : path, ": ", problem));
}

absl::Status YamlReader::ExpectMap(
    const YAML::Node& map, absl::string_view path,
    const std::vector<std::string>& known) const {
  if (!map.IsMap()) return Fail(map, path, "must be a mapping");
  for (const auto& item : map) {
    if (!item.first.IsScalar()) return Fail(item.first, path, "bad key");
    const std::string key = item.first.Scalar();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return Fail(item.first, path,
                  absl::StrCat("unknown key '", key, "'; expected ",
                               absl::StrJoin(known, ", ")));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<YAML::Node> YamlReader::Required(const YAML::Node& map,
                                                absl::string_view path,
                                                const std::string& key) const {
  if (!map.IsMap()) return Fail(map, path, "must be a mapping");
  const YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) {
    return Fail(map, path, absl::StrCat("missing key '", key, "'"));
  }
  return value;
}

absl::StatusOr<std::string> YamlReader::RequiredString(
    const YAML::Node& map, absl::string_view path,
    const std::string& key) const {
  absl::StatusOr<YAML::Node> value = Required(map, path, key);
  if (!value.ok()) return value.status();
  if (!value->IsScalar() || value->Scalar().empty()) {
    return Fail(*value, JoinPath(path, key), "must be a non-empty string");
  }
  return value->Scalar();
}

absl::StatusOr<std::optional<std::string>> YamlReader::OptionalString(
    const YAML::Node& map, absl::string_view path,
    const std::string& key) const {
  const YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) return std::nullopt;
  if (!value.IsScalar()) {
    return Fail(value, JoinPath(path, key), "must be a single value");
  }
  return value.Scalar();
}

absl::StatusOr<bool> YamlReader::OptionalBool(const YAML::Node& map,
                                              absl::string_view path,
                                              const std::string& key,
                                              bool fallback) const {
  const YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) return fallback;
  bool result = false;
  if (!value.IsScalar() || !YAML::convert<bool>::decode(value, result)) {
    return Fail(value, JoinPath(path, key), "must be true or false");
  }
  return result;
}

absl::StatusOr<std::vector<std::string>> YamlReader::StringList(
    const YAML::Node& map, absl::string_view path,
    const std::string& key) const {
  absl::StatusOr<YAML::Node> value = Required(map, path, key);
  if (!value.ok()) return value.status();
  const std::string list_path = JoinPath(path, key);
  if (!value->IsSequence()) {
    return Fail(*value, list_path, "must be a list");
  }
  std::vector<std::string> items;
  for (size_t i = 0; i < value->size(); ++i) {
    const YAML::Node item = (*value)[i];
    if (!item.IsScalar() || item.Scalar().empty()) {
      return Fail(item, absl::StrCat(list_path, "[", i, "]"),
                  "must be a non-empty string");
    }
    items.push_back(item.Scalar());
  }
  return items;
}

}  // namespace tao::catalog
