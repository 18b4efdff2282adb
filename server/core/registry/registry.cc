#include "server/core/registry/registry.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace tao::registry {
namespace {

using OrderedJson = nlohmann::ordered_json;

// String fields in the order they are written: the original schema's first
// (spec §2), then this server's. `always` marks keys the original writes for
// every entry; the others are omitted when empty.
struct StringField {
  const char* key;
  std::string ServiceEntry::*member;
  bool always;
};

constexpr StringField kOriginalFieldsBeforePort[] = {
    {"job_id", &ServiceEntry::job_id, true},
    {"platform", &ServiceEntry::platform, true},
    {"platform_job_id", &ServiceEntry::platform_job_id, false},
    {"network_arch", &ServiceEntry::network_arch, true},
    {"host_url", &ServiceEntry::host_url, true},
    {"docker_url", &ServiceEntry::docker_url, false},
};
constexpr StringField kOriginalFieldsAfterPort[] = {
    {"slurm_node", &ServiceEntry::slurm_node, false},
    {"started_at", &ServiceEntry::started_at, true},
};
constexpr StringField kServerFieldsBeforeGpus[] = {
    {"image", &ServiceEntry::image, false},
    {"model_path", &ServiceEntry::model_path, false},
};
constexpr StringField kServerFieldsAfterGpus[] = {
    {"instance_id", &ServiceEntry::instance_id, false},
    {"namespace", &ServiceEntry::namespace_, false},
    {"request_id", &ServiceEntry::request_id, false},
    {"state", &ServiceEntry::state, false},
    {"reason", &ServiceEntry::reason, false},
};
constexpr const char* kHostPort = "host_port";
constexpr const char* kNumGpus = "num_gpus";
constexpr const char* kPlatformData = "platform_data";
constexpr const char* kLatest = "latest";

template <size_t N>
bool InFields(const StringField (&fields)[N], const std::string& key) {
  return std::any_of(std::begin(fields), std::end(fields),
                     [&](const StringField& f) { return key == f.key; });
}

bool IsNamedKey(const std::string& key) {
  return InFields(kOriginalFieldsBeforePort, key) ||
         InFields(kOriginalFieldsAfterPort, key) ||
         InFields(kServerFieldsBeforeGpus, key) ||
         InFields(kServerFieldsAfterGpus, key) || key == kHostPort ||
         key == kNumGpus || key == kPlatformData;
}

template <size_t N>
void WriteStrings(const StringField (&fields)[N], const ServiceEntry& entry,
                  OrderedJson& out) {
  for (const StringField& f : fields) {
    const std::string& value = entry.*f.member;
    if (f.always || !value.empty()) out[f.key] = value;
  }
}

absl::Status TypeError(absl::string_view label, absl::string_view key,
                       absl::string_view expected, const OrderedJson& value) {
  return absl::InvalidArgumentError(
      absl::StrCat("registry entry \"", label, "\": \"", key, "\" must be ",
                   expected, ", not ", value.type_name(),
                   "; correct or remove that key in the registry file"));
}

// Reads the string at `key` into `out`. Missing or null leaves `out` alone.
absl::Status ReadString(const OrderedJson& json, const char* key,
                        absl::string_view label, std::string& out) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_string()) return TypeError(label, key, "a string", *it);
  out = it->get<std::string>();
  return absl::OkStatus();
}

template <size_t N>
absl::Status ReadStrings(const StringField (&fields)[N],
                         const OrderedJson& json, absl::string_view label,
                         ServiceEntry& entry) {
  for (const StringField& f : fields) {
    absl::Status status = ReadString(json, f.key, label, entry.*f.member);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// An integer in [min, max]; floats (even 8080.0) are rejected because
// Python writes ints without a fraction.
absl::StatusOr<std::optional<int>> ReadInt(const OrderedJson& json,
                                           const char* key,
                                           absl::string_view label, int min,
                                           int max) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return std::optional<int>();
  const std::string expected =
      absl::StrCat("an integer from ", min, " to ", max);
  if (!it->is_number_integer()) return TypeError(label, key, expected, *it);
  bool in_range;
  int64_t value = 0;
  if (it->is_number_unsigned()) {
    uint64_t u = it->get<uint64_t>();
    in_range = u <= static_cast<uint64_t>(max);
    value = in_range ? static_cast<int64_t>(u) : 0;
  } else {
    value = it->get<int64_t>();
    in_range = value >= min && value <= max;
  }
  if (!in_range) {
    return absl::InvalidArgumentError(
        absl::StrCat("registry entry \"", label, "\": \"", key, "\" must be ",
                     expected, ", not ", it->dump(),
                     "; correct or remove that key in the registry file"));
  }
  return std::optional<int>(static_cast<int>(value));
}

absl::Status ReadPlatformData(const OrderedJson& json, absl::string_view label,
                              std::map<std::string, std::string>& out) {
  auto it = json.find(kPlatformData);
  if (it == json.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_object()) {
    return TypeError(label, kPlatformData, "an object of strings", *it);
  }
  for (const auto& [name, value] : it->items()) {
    if (!value.is_string()) {
      return TypeError(label, absl::StrCat(kPlatformData, ".", name),
                       "a string", value);
    }
    out[name] = value.get<std::string>();
  }
  return absl::OkStatus();
}

// `label` names the entry in error messages (its job_id or registry key).
absl::StatusOr<ServiceEntry> ParseEntry(const OrderedJson& json,
                                        absl::string_view label) {
  if (!json.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat("registry entry \"", label,
                                                   "\" must be an object, not ",
                                                   json.type_name()));
  }
  ServiceEntry entry;
  for (absl::Status status :
       {ReadStrings(kOriginalFieldsBeforePort, json, label, entry),
        ReadStrings(kOriginalFieldsAfterPort, json, label, entry),
        ReadStrings(kServerFieldsBeforeGpus, json, label, entry),
        ReadStrings(kServerFieldsAfterGpus, json, label, entry),
        ReadPlatformData(json, label, entry.platform_data)}) {
    if (!status.ok()) return status;
  }
  auto port = ReadInt(json, kHostPort, label, 0, 65535);
  if (!port.ok()) return port.status();
  entry.host_port = *port;
  auto gpus =
      ReadInt(json, kNumGpus, label, 0, std::numeric_limits<int>::max());
  if (!gpus.ok()) return gpus.status();
  entry.num_gpus = gpus->value_or(0);

  for (const auto& [key, value] : json.items()) {
    if (!IsNamedKey(key)) entry.extra[key] = value;
  }
  return entry;
}

}  // namespace

bool ServiceEntry::operator==(const ServiceEntry& o) const {
  return job_id == o.job_id && platform == o.platform &&
         platform_job_id == o.platform_job_id &&
         network_arch == o.network_arch && host_url == o.host_url &&
         docker_url == o.docker_url && host_port == o.host_port &&
         slurm_node == o.slurm_node && started_at == o.started_at &&
         image == o.image && model_path == o.model_path &&
         num_gpus == o.num_gpus && instance_id == o.instance_id &&
         namespace_ == o.namespace_ && request_id == o.request_id &&
         state == o.state && reason == o.reason &&
         platform_data == o.platform_data &&
         nlohmann::json(extra) == nlohmann::json(o.extra);
}

OrderedJson EntryToJson(const ServiceEntry& entry) {
  OrderedJson out = OrderedJson::object();
  WriteStrings(kOriginalFieldsBeforePort, entry, out);
  if (entry.host_port.has_value()) out[kHostPort] = *entry.host_port;
  WriteStrings(kOriginalFieldsAfterPort, entry, out);
  WriteStrings(kServerFieldsBeforeGpus, entry, out);
  if (entry.num_gpus != 0) out[kNumGpus] = entry.num_gpus;
  WriteStrings(kServerFieldsAfterGpus, entry, out);
  if (!entry.platform_data.empty()) out[kPlatformData] = entry.platform_data;
  if (entry.extra.is_object()) {
    // A named key always wins over a stray copy in `extra`.
    for (const auto& [key, value] : entry.extra.items()) {
      if (!IsNamedKey(key)) out[key] = value;
    }
  }
  return out;
}

absl::StatusOr<ServiceEntry> EntryFromJson(const OrderedJson& json) {
  std::string label = "(without job_id)";
  if (json.is_object()) {
    auto it = json.find("job_id");
    if (it != json.end() && it->is_string()) label = it->get<std::string>();
  }
  return ParseEntry(json, label);
}

const ServiceEntry* RegistryState::Find(const std::string& job_id) const {
  auto it = entries_.find(job_id);
  return it == entries_.end() ? nullptr : &it->second;
}

void RegistryState::Put(ServiceEntry entry) {
  std::string job_id = entry.job_id;
  unknown_.erase(job_id);  // an entry replaces a same-named unknown value
  entries_[job_id] = std::move(entry);
  latest_ = std::move(job_id);
}

absl::Status RegistryState::Update(ServiceEntry entry) {
  auto it = entries_.find(entry.job_id);
  if (it == entries_.end()) {
    return absl::NotFoundError(
        absl::StrCat("no registry entry for job_id \"", entry.job_id,
                     "\"; it may have been stopped meanwhile"));
  }
  it->second = std::move(entry);
  return absl::OkStatus();
}

std::optional<ServiceEntry> RegistryState::Remove(const std::string& job_id) {
  auto it = entries_.find(job_id);
  if (it == entries_.end()) return std::nullopt;
  ServiceEntry removed = std::move(it->second);
  entries_.erase(it);
  if (latest_ == job_id) {
    latest_.reset();
    const ServiceEntry* newest = nullptr;
    // Ascending job_id with a strict '>' keeps the smallest job_id on ties.
    for (const auto& [id, entry] : entries_) {
      if (newest == nullptr || entry.started_at > newest->started_at) {
        newest = &entry;
        latest_ = id;
      }
    }
  }
  return removed;
}

OrderedJson RegistryState::ToJson() const {
  OrderedJson out = OrderedJson::object();
  if (latest_.has_value()) out[kLatest] = *latest_;
  std::vector<const std::pair<const std::string, ServiceEntry>*> ordered;
  ordered.reserve(entries_.size());
  for (const auto& item : entries_) ordered.push_back(&item);
  std::stable_sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) {
    return a->second.started_at < b->second.started_at;
  });
  for (const auto* item : ordered) out[item->first] = EntryToJson(item->second);
  for (const auto& [key, value] : unknown_.items()) {
    if (key != kLatest && entries_.count(key) == 0) out[key] = value;
  }
  return out;
}

absl::StatusOr<RegistryState> RegistryState::FromJson(const OrderedJson& json) {
  if (!json.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the registry document must be a JSON object of job_id -> entry, not ",
        json.type_name()));
  }
  RegistryState state;
  for (const auto& [key, value] : json.items()) {
    if (key == kLatest) {
      if (value.is_string()) {
        state.latest_ = value.get<std::string>();
      } else if (!value.is_null()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "registry key \"latest\" must be a job_id string, not ",
            value.type_name(), "; correct or remove it in the registry file"));
      }
    } else if (value.is_object()) {
      auto entry = ParseEntry(value, key);
      if (!entry.ok()) return entry.status();
      if (entry->job_id.empty()) {
        entry->job_id = key;
      } else if (entry->job_id != key) {
        return absl::InvalidArgumentError(absl::StrCat(
            "registry entry \"", key, "\" has job_id \"", entry->job_id,
            "\"; the key and its job_id must be equal; correct the registry "
            "file"));
      }
      state.entries_.emplace(key, *std::move(entry));
    } else {
      state.unknown_[key] = value;
    }
  }
  return state;
}

}  // namespace tao::registry
