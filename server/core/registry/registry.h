// The service registry: which services run, where, and which one is
// `latest`. The embedded implementation is one JSON file compatible with the
// original /tmp/tao-inf-ms-state.json (spec §2); others (etcd) may follow.
#ifndef TAO_SERVER_CORE_REGISTRY_REGISTRY_H_
#define TAO_SERVER_CORE_REGISTRY_REGISTRY_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace tao::registry {

// One registry entry. The named fields are the original schema (spec §2)
// plus the fields this server adds; `extra` keeps any other key found in the
// file so that a rewrite never drops what another tool wrote.
struct ServiceEntry {
  // Original schema.
  std::string job_id;
  std::string platform;
  std::string platform_job_id;  // omitted from JSON when empty
  std::string network_arch;
  std::string host_url;
  std::string docker_url;        // omitted when empty
  std::optional<int> host_port;  // omitted when unset
  std::string slurm_node;        // omitted when empty
  std::string started_at;        // ISO-8601 UTC

  // Added by this server (all omitted when empty).
  std::string image;
  std::string model_path;
  int num_gpus = 0;  // omitted when 0
  std::string instance_id;
  std::string namespace_;  // JSON key "namespace"
  std::string request_id;
  std::string state;  // last observed ServiceState name, e.g. "LOADING"
  std::string reason;
  // Driver-private placement attributes (JSON key "platform_data").
  std::map<std::string, std::string> platform_data;

  // Unknown keys, preserved verbatim and in their original order.
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();

  // `extra` compares regardless of key order.
  bool operator==(const ServiceEntry&) const;
};

// JSON is ordered so that a rewritten file lists the original schema's keys
// first, in the spec's order, then ours, then unknown keys (as Python's
// json.dump would). A plain nlohmann::json converts implicitly. The keys the
// original writes for every entry (job_id, platform, network_arch, host_url,
// started_at) are always written, empty if unknown, because Python readers
// index them directly; the others are omitted when empty.
nlohmann::ordered_json EntryToJson(const ServiceEntry& entry);
// Missing keys stay empty and JSON null counts as missing (Python writes None
// as null). Errors: INVALID_ARGUMENT naming the key whose value has the wrong
// type and the entry's job_id.
absl::StatusOr<ServiceEntry> EntryFromJson(const nlohmann::ordered_json& json);

// The whole registry document.
class RegistryState {
 public:
  const std::map<std::string, ServiceEntry>& entries() const {
    return entries_;
  }
  const std::optional<std::string>& latest() const { return latest_; }

  const ServiceEntry* Find(const std::string& job_id) const;

  // Adds or replaces an entry and points `latest` at it. The job_id must not
  // be empty or "latest" (callers use fresh UUIDs).
  void Put(ServiceEntry entry);
  // Replaces an existing entry without touching `latest`. NOT_FOUND if absent.
  absl::Status Update(ServiceEntry entry);
  // Removes an entry; when it was `latest`, `latest` moves to the remaining
  // entry with the greatest started_at, or is removed. Returns the removed
  // entry, or nullopt if there was none.
  //
  // Like the original (Python `max(..., key=started_at)`), started_at values
  // compare as strings, so "...Z" sorts after "...+00:00" for the same second.
  // Ties go to the smallest job_id: ToJson writes tied entries in job_id
  // order, and Python's max() picks the first of equal keys in file order, so
  // both tools agree on the same file.
  std::optional<ServiceEntry> Remove(const std::string& job_id);

  // The original file format: "latest" first, then job_id -> entry in
  // (started_at, job_id) order (Python appends new entries, so its files read
  // oldest first), then unknown top-level keys.
  nlohmann::ordered_json ToJson() const;
  // Errors: INVALID_ARGUMENT naming the offending key: the document is not an
  // object, "latest" is not a string, an entry has a wrongly typed field, or
  // an entry's job_id differs from its key (guessing which one is right could
  // stop the wrong service). An entry without job_id takes its key. Top-level
  // keys whose value is not an object (other than "latest") are preserved as
  // unknown. A "latest" naming no entry is kept as is, as the original does.
  static absl::StatusOr<RegistryState> FromJson(
      const nlohmann::ordered_json& json);

 private:
  std::map<std::string, ServiceEntry> entries_;
  std::optional<std::string> latest_;
  nlohmann::ordered_json unknown_ = nlohmann::ordered_json::object();
};

// Storage for the registry document. Implementations serialise every
// Mutate across threads and processes.
class Registry {
 public:
  virtual ~Registry() = default;

  // A consistent snapshot. Errors: DATA_LOSS (unparsable document; the
  // message names the file and the parse error), UNAVAILABLE (I/O error).
  virtual absl::StatusOr<RegistryState> Read() = 0;

  // Reads, applies `mutate` and writes back atomically. If `mutate` returns
  // an error nothing is written and that error is returned. A crash at any
  // point leaves either the old or the new document, never a mix. `mutate`
  // runs under the registry's locks: it must not call back into the registry.
  virtual absl::Status Mutate(
      const std::function<absl::Status(RegistryState&)>& mutate) = 0;

  // Human-readable location, e.g. the file path.
  virtual std::string Describe() const = 0;
};

}  // namespace tao::registry

#endif  // TAO_SERVER_CORE_REGISTRY_REGISTRY_H_
