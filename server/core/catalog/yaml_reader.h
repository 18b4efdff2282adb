// Typed reads from a YAML config file whose errors say where the problem is:
// "<file>:<line>: <path>: <problem>", path like "architectures.cosmos-rl".
// Private to server/core/catalog.
#ifndef TAO_SERVER_CORE_CATALOG_YAML_READER_H_
#define TAO_SERVER_CORE_CATALOG_YAML_READER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "yaml-cpp/yaml.h"

namespace tao::catalog {

// The whole file; NOT_FOUND "<file>: ..." when it does not exist.
absl::StatusOr<std::string> ReadConfigFile(const std::string& file);

// "a.b" from ("a", "b"); "b" from ("", "b").
std::string JoinPath(absl::string_view path, absl::string_view key);

class YamlReader {
 public:
  // Reads and parses `file`; its top level must be a mapping.
  static absl::StatusOr<YamlReader> Load(const std::string& file);

  const std::string& file() const { return file_; }
  const YAML::Node& root() const { return root_; }

  // INVALID_ARGUMENT "<file>:<line of node>: <path>: <problem>".
  absl::Status Fail(const YAML::Node& node, absl::string_view path,
                    absl::string_view problem) const;

  // `map` (at `path`) must be a mapping holding only `known` keys.
  absl::Status ExpectMap(const YAML::Node& map, absl::string_view path,
                         const std::vector<std::string>& known) const;

  // The value at `key` of mapping `map`: missing is an error.
  absl::StatusOr<YAML::Node> Required(const YAML::Node& map,
                                      absl::string_view path,
                                      const std::string& key) const;
  // A non-empty scalar at `key`.
  absl::StatusOr<std::string> RequiredString(const YAML::Node& map,
                                             absl::string_view path,
                                             const std::string& key) const;
  // A scalar at `key`, or nullopt when the key is absent.
  absl::StatusOr<std::optional<std::string>> OptionalString(
      const YAML::Node& map, absl::string_view path,
      const std::string& key) const;
  // true/false at `key`, `fallback` when the key is absent.
  absl::StatusOr<bool> OptionalBool(const YAML::Node& map,
                                    absl::string_view path,
                                    const std::string& key,
                                    bool fallback) const;
  // A sequence of non-empty scalars at `key` (required).
  absl::StatusOr<std::vector<std::string>> StringList(
      const YAML::Node& map, absl::string_view path,
      const std::string& key) const;

 private:
  YamlReader(std::string file, YAML::Node root)
      : file_(std::move(file)), root_(std::move(root)) {}

  std::string file_;
  YAML::Node root_;
};

}  // namespace tao::catalog

#endif  // TAO_SERVER_CORE_CATALOG_YAML_READER_H_
