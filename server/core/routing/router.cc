#include "server/core/routing/router.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/common/errors.h"
#include "server/core/common/service_convert.h"

namespace tao::routing {
namespace {

namespace v1 = ::tao::inference::v1;
using registry::RegistryState;
using registry::ServiceEntry;

constexpr absl::string_view kStartHint = "start one with `tao-infer start`";

// Oldest first, so that a prompt lists services in the order they started;
// job_id breaks ties to keep the order stable.
std::vector<const ServiceEntry*> OldestFirst(const RegistryState& state,
                                             bool (*keep)(const ServiceEntry&,
                                                          const Target&),
                                             const Target& target) {
  std::vector<const ServiceEntry*> entries;
  for (const auto& [job_id, entry] : state.entries()) {
    if (keep(entry, target)) entries.push_back(&entry);
  }
  std::sort(entries.begin(), entries.end(),
            [](const ServiceEntry* a, const ServiceEntry* b) {
              return std::tie(a->started_at, a->job_id) <
                     std::tie(b->started_at, b->job_id);
            });
  return entries;
}

bool Any(const ServiceEntry&, const Target&) { return true; }
bool SameArch(const ServiceEntry& entry, const Target& target) {
  return entry.network_arch == target.network_arch;
}

// "a (cosmos-rl, started 2026-05-03T23:30:00Z), b (...)".
std::string Describe(const std::vector<const ServiceEntry*>& entries) {
  return absl::StrJoin(
      entries, ", ", [](std::string* out, const ServiceEntry* entry) {
        absl::StrAppend(out, entry->job_id, " (", entry->network_arch,
                        ", started ", entry->started_at, ")");
      });
}

absl::Status Refuse(absl::Status status, v1::ErrorReason reason,
                    const RegistryState& state,
                    const std::vector<const ServiceEntry*>& candidates) {
  v1::ErrorDetails details;
  details.set_reason_code(reason);
  const std::string latest = state.latest().value_or("");
  for (const ServiceEntry* entry : candidates) {
    *details.add_candidates() = core::ToProto(*entry, latest);
  }
  return core::WithDetails(std::move(status), details);
}

absl::Status NoService(const RegistryState& state, absl::string_view what) {
  std::vector<const ServiceEntry*> all = OldestFirst(state, Any, Target{});
  std::string message =
      all.empty() ? absl::StrCat(what, "; no service is running; ", kStartHint)
                  : absl::StrCat(what, "; running: ", Describe(all),
                                 "; pass one of these job ids as job_id, or ",
                                 kStartHint);
  return Refuse(absl::NotFoundError(message), v1::ERROR_REASON_NO_SERVICE,
                state, all);
}

absl::Status Ambiguous(const RegistryState& state,
                       const std::vector<const ServiceEntry*>& candidates,
                       absl::string_view what) {
  return Refuse(
      absl::FailedPreconditionError(absl::StrCat(
          candidates.size(), " ", what, ": ", Describe(candidates),
          "; pass job_id to choose one (the registry's `latest` is never "
          "used to choose)")),
      v1::ERROR_REASON_AMBIGUOUS_TARGET, state, candidates);
}

}  // namespace

absl::StatusOr<ServiceEntry> Route(const RegistryState& state,
                                   const Target& target) {
  if (!target.job_id.empty()) {
    if (const ServiceEntry* entry = state.Find(target.job_id)) return *entry;
    std::string what = absl::StrCat("no service with job_id ", target.job_id);
    if (target.job_id == "latest") {
      absl::StrAppend(&what, " (\"latest\" is not a job id)");
    }
    return NoService(state, what);
  }

  if (!target.network_arch.empty()) {
    std::vector<const ServiceEntry*> matches =
        OldestFirst(state, SameArch, target);
    if (matches.size() == 1) return *matches.front();
    if (matches.empty()) {
      return NoService(state, absl::StrCat("no service runs network_arch ",
                                           target.network_arch));
    }
    return Ambiguous(state, matches,
                     absl::StrCat("services run ", target.network_arch));
  }

  std::vector<const ServiceEntry*> all = OldestFirst(state, Any, target);
  if (all.size() == 1) return *all.front();
  if (all.empty()) {
    return Refuse(
        absl::NotFoundError(absl::StrCat("no service is running; ", kStartHint,
                                         " and send the request again")),
        v1::ERROR_REASON_NO_SERVICE, state, all);
  }
  return Ambiguous(state, all,
                   "services are running and the request names neither "
                   "job_id nor network_arch");
}

}  // namespace tao::routing
