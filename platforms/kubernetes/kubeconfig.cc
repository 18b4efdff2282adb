#include "platforms/kubernetes/kubeconfig.h"

#include <filesystem>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "yaml-cpp/yaml.h"

namespace tao::platforms::kubernetes {
namespace {

namespace fs = std::filesystem;

// What LoadKubeconfigs says for any problem in `file` (kubectl's prefix).
absl::Status FileError(const std::string& file, absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("error loading config file \"", file, "\": ", why));
}

// Thrown out of the parse helpers, caught once per file.
struct ParseError {
  std::string why;
};

std::string Where(const YAML::Node& node) {
  if (!node.IsDefined() || node.Mark().line < 0) return "";
  return absl::StrCat("line ", node.Mark().line + 1, ": ");
}

// A scalar field of `map` ("" when absent or null). `path` names it in
// errors, e.g. cluster "prod".server.
std::string String(const YAML::Node& map, const std::string& key,
                   absl::string_view path) {
  YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) return "";
  if (!value.IsScalar()) {
    throw ParseError{
        absl::StrCat(Where(value), path, ".", key, " must be a string")};
  }
  return value.Scalar();
}

bool Bool(const YAML::Node& map, const std::string& key,
          absl::string_view path) {
  YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) return false;
  bool result = false;
  if (!value.IsScalar() || !YAML::convert<bool>::decode(value, result)) {
    throw ParseError{
        absl::StrCat(Where(value), path, ".", key, " must be true or false")};
  }
  return result;
}

// A base64 field, decoded. The value never goes into the message: it may
// be a private key.
std::string Base64(const YAML::Node& map, const std::string& key,
                   absl::string_view path) {
  std::string text = String(map, key, path);
  std::string decoded;
  std::string compact;
  for (char c : text) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) compact += c;
  }
  if (!compact.empty() && !absl::Base64Unescape(compact, &decoded)) {
    throw ParseError{
        absl::StrCat(Where(map[key]), path, ".", key, " is not valid base64")};
  }
  return decoded;
}

// `ref` made absolute against the folder of the kubeconfig file, as
// client-go's ResolvePaths (filepath.Join cleans the result).
std::string Resolve(const std::string& ref, const fs::path& base) {
  if (ref.empty()) return "";
  fs::path path(ref);
  if (path.is_absolute()) return ref;
  return (base / path).lexically_normal().string();
}

// The entries of list `key` ("clusters"), each a mapping with `name` and
// the mapping `inner` ("cluster"); calls add(name, inner node, path).
template <typename Add>
void ForEachNamed(const YAML::Node& root, const std::string& key,
                  const std::string& inner, Add add) {
  YAML::Node list = root[key];
  if (!list.IsDefined() || list.IsNull()) return;
  if (!list.IsSequence()) {
    throw ParseError{absl::StrCat(Where(list), key, " must be a list")};
  }
  std::set<std::string> seen;
  for (const YAML::Node& item : list) {
    if (!item.IsMap()) {
      throw ParseError{absl::StrCat(Where(item), "every entry of ", key,
                                    " must be a mapping with name and ",
                                    inner)};
    }
    std::string name = String(item, "name", key);
    if (!seen.insert(name).second) {
      // kubectl: "error converting *[]NamedCluster into ...: duplicate
      // name ..." (clientcmd/api/v1/conversion.go).
      throw ParseError{absl::StrCat(Where(item), "duplicate name \"", name,
                                    "\" in ", key,
                                    "; kubectl refuses this file too")};
    }
    YAML::Node body = item[inner];
    std::string path = absl::StrCat(inner, " \"", name, "\"");
    if (body.IsDefined() && !body.IsNull() && !body.IsMap()) {
      throw ParseError{absl::StrCat(Where(body), path, " must be a mapping")};
    }
    add(name, body.IsMap() ? body : YAML::Node(YAML::NodeType::Map), path);
  }
}

void ParseInto(const YAML::Node& root, const std::string& file,
               MergedKubeconfig& merged) {
  const fs::path base = fs::path(file).parent_path();
  // First file wins for every name: entries already there are kept whole.
  ForEachNamed(root, "clusters", "cluster",
               [&](const std::string& name, const YAML::Node& c,
                   const std::string& path) {
                 KubeconfigCluster cluster;
                 cluster.origin = file;
                 cluster.server = String(c, "server", path);
                 cluster.certificate_authority =
                     Resolve(String(c, "certificate-authority", path), base);
                 cluster.certificate_authority_data =
                     Base64(c, "certificate-authority-data", path);
                 cluster.insecure_skip_tls_verify =
                     Bool(c, "insecure-skip-tls-verify", path);
                 cluster.tls_server_name = String(c, "tls-server-name", path);
                 cluster.proxy_url = String(c, "proxy-url", path);
                 merged.clusters.emplace(name, std::move(cluster));
               });
  ForEachNamed(
      root, "users", "user",
      [&](const std::string& name, const YAML::Node& u,
          const std::string& path) {
        KubeconfigUser user;
        user.origin = file;
        user.token = String(u, "token", path);
        user.token_file = Resolve(String(u, "tokenFile", path), base);
        user.client_certificate =
            Resolve(String(u, "client-certificate", path), base);
        user.client_certificate_data =
            Base64(u, "client-certificate-data", path);
        user.client_key = Resolve(String(u, "client-key", path), base);
        user.client_key_data = Base64(u, "client-key-data", path);
        user.username = String(u, "username", path);
        user.password = String(u, "password", path);
        YAML::Node exec = u["exec"];
        if (exec.IsDefined() && !exec.IsNull()) {
          user.has_exec = true;
          if (exec.IsMap()) user.exec_command = String(exec, "command", path);
        }
        YAML::Node provider = u["auth-provider"];
        if (provider.IsDefined() && !provider.IsNull()) {
          user.has_auth_provider = true;
          if (provider.IsMap()) {
            user.auth_provider_name = String(provider, "name", path);
          }
        }
        for (const char* key : {"as", "as-uid", "as-groups", "as-user-extra"}) {
          YAML::Node value = u[key];
          if (value.IsDefined() && !value.IsNull() &&
              !(value.IsScalar() && value.Scalar().empty()) &&
              !(value.IsSequence() && value.size() == 0) &&
              !(value.IsMap() && value.size() == 0)) {
            user.impersonates = true;
          }
        }
        merged.users.emplace(name, std::move(user));
      });
  ForEachNamed(root, "contexts", "context",
               [&](const std::string& name, const YAML::Node& c,
                   const std::string& path) {
                 KubeconfigContext context;
                 context.origin = file;
                 context.cluster = String(c, "cluster", path);
                 context.user = String(c, "user", path);
                 context.namespace_ = String(c, "namespace", path);
                 merged.contexts.emplace(name, std::move(context));
               });
  if (merged.current_context.empty()) {
    merged.current_context = String(root, "current-context", "(top level)");
  }
}

}  // namespace

absl::StatusOr<MergedKubeconfig> LoadKubeconfigs(
    const std::vector<std::string>& files, bool must_exist, const KubeIo& io) {
  MergedKubeconfig merged;
  std::set<std::string> done;
  for (const std::string& name : files) {
    if (name.empty()) continue;
    std::error_code ignored;
    std::string file = fs::absolute(name, ignored).lexically_normal().string();
    if (file.empty()) file = name;
    // KUBECONFIG=a:a reads a once (client-go's deduplicate).
    if (!done.insert(file).second) continue;
    absl::StatusOr<std::string> text = io.read_file(file);
    if (absl::IsNotFound(text.status()) && !must_exist) continue;
    if (!text.ok()) return FileError(file, text.status().message());
    merged.files.push_back(file);
    try {
      YAML::Node root = YAML::Load(*text);
      if (root.IsNull()) continue;  // an empty file is an empty config
      if (!root.IsMap()) {
        return FileError(file, "the top level is not a mapping");
      }
      ParseInto(root, file, merged);
    } catch (const ParseError& e) {
      return FileError(file, e.why);
    } catch (const YAML::Exception& e) {
      return FileError(file, absl::StrCat("line ", e.mark.line + 1,
                                          ": not valid YAML: ", e.msg));
    }
  }
  return merged;
}

}  // namespace tao::platforms::kubernetes
