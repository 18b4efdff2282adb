// ServiceManager::ReconcileAtStartup: the registry against the platforms,
// once per server start, while the server already answers RPCs.
#include <map>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platforms/common/log.h"
#include "server/core/common/service_convert.h"
#include "server/core/placement.h"
#include "server/core/service_manager.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;

// A platform that answered UNAVAILABLE: why, and how many of its entries
// were not asked after that.
struct Unreachable {
  std::string reason;
  int skipped = 0;
};

}  // namespace

void ServiceManager::ReconcileAtStartup(const std::function<bool()>& stopped) {
  absl::StatusOr<registry::RegistryState> state = options_.registry->Read();
  if (!state.ok()) {
    platforms::LogError(absl::StrCat("startup check: cannot read the registry ",
                                     options_.registry->Describe(), ": ",
                                     state.status().message(),
                                     "; no registry entry was checked"));
    return;
  }
  OwnedByPlatform owned;
  std::map<std::string, Unreachable> unreachable;
  for (const auto& [id, entry] : state->entries()) {
    if (stopped && stopped()) return;
    if (auto it = unreachable.find(entry.platform); it != unreachable.end()) {
      ++it->second.skipped;
      continue;
    }
    absl::StatusOr<platforms::Platform*> platform =
        options_.platforms->Find(entry.platform);
    if (!platform.ok()) {
      platforms::LogWarning(absl::StrCat("registry entry ", id,
                                         " is on platform ", entry.platform,
                                         ", which this server does not offer"));
      continue;
    }
    // A PENDING entry that no launch of this server runs: the server that
    // launched it stopped mid-launch. The platform may know more of the
    // workload than the launch could record.
    const bool interrupted =
        IsUnfinishedLaunch(entry) && !launches_.Find(id).has_value();
    platforms::Placement placement = PlacementOf(entry);
    const absl::StatusOr<std::vector<platforms::OwnedWorkload>>* listed =
        nullptr;
    if (interrupted) {
      listed = &OwnedOn(**platform, owned);
      if (listed->ok()) {
        for (const platforms::OwnedWorkload& workload : **listed) {
          if (workload.job_id == id) FillMissing(workload.placement, placement);
        }
      }
    }
    const platforms::Placement before = PlacementOf(entry);
    absl::StatusOr<platforms::RuntimeState> runtime =
        (*platform)->Reattach(placement);
    // A re-opened tunnel's pid must survive the next restart too.
    if (!SamePlacement(before, placement)) {
      StoreChangedPlacement(id, placement);
    }
    if (!runtime.ok()) {
      const std::string reason = redactor_.Redact(runtime.status().message());
      platforms::LogWarning(absl::StrCat("registry entry ", id,
                                         ": could not reattach: ", reason));
      if (absl::IsUnavailable(runtime.status())) {
        unreachable[entry.platform].reason = reason;
      }
      continue;
    }
    v1::Service live =
        WithRuntime(ToProto(entry, ""), **platform, placement, runtime);
    const std::string where =
        absl::StrCat(" (", entry.network_arch, " on ", entry.platform, ")");
    if (interrupted && live.state() == v1::SERVICE_STATE_STOPPED &&
        !(listed != nullptr && !listed->ok() &&
          !absl::IsUnimplemented(listed->status()))) {
      // Nothing of it runs: the registry must not claim it does.
      const std::string removed_id = id;  // lambdas capture no bindings
      absl::Status removed =
          options_.registry->Mutate([&](registry::RegistryState& st) {
            st.Remove(removed_id);
            return absl::OkStatus();
          });
      platforms::LogWarning(absl::StrCat(
          "registry entry ", id, where,
          ": tao-inferd stopped while launching it, before the platform ran "
          "anything; ",
          removed.ok()
              ? "removed it (start it again)"
              : absl::StrCat("could not remove it: ", removed.message())));
      continue;
    }
    if (interrupted) {
      platforms::LogInfo(absl::StrCat(
          "registry entry ", id, where,
          ": adopted the workload of a launch cut short by a restart; it is ",
          StateName(live.state())));
    }
    // Marks what the platform said; an entry already marked ended keeps
    // its own reason (a failed launch says why it failed).
    const bool ended = entry.state == StateName(v1::SERVICE_STATE_FAILED) ||
                       entry.state == StateName(v1::SERVICE_STATE_STOPPED);
    if (!ended && (interrupted || live.state() == v1::SERVICE_STATE_STOPPED ||
                   live.state() == v1::SERVICE_STATE_FAILED)) {
      RecordState(id, live.state(), live.reason());
    }
    if (live.state() == v1::SERVICE_STATE_STOPPED ||
        live.state() == v1::SERVICE_STATE_FAILED) {
      platforms::LogWarning(absl::StrCat(
          "registry entry ", id, where, ": ", live.reason(),
          "; kept in the registry until `tao-infer stop ", id, "`"));
    }
  }
  std::set<std::string> unreachable_names;
  for (const auto& [name, why] : unreachable) {
    unreachable_names.insert(name);
    if (why.skipped == 0) continue;
    platforms::LogWarning(absl::StrCat(
        "platform ", name, " is unreachable: the ", why.skipped,
        " other registry entries on it were not checked (`tao-infer list "
        "--refresh` asks again)"));
  }
  if (stopped && stopped()) return;
  ReportUnregisteredWorkloads(*state, unreachable_names, owned);
}

const absl::StatusOr<std::vector<platforms::OwnedWorkload>>&
ServiceManager::OwnedOn(platforms::Platform& platform, OwnedByPlatform& cache) {
  const std::string name(platform.name());
  auto it = cache.find(name);
  if (it == cache.end()) {
    it = cache.emplace(name, platform.ListOwned(server_instance_)).first;
  }
  return it->second;
}

void ServiceManager::ReportUnregisteredWorkloads(
    const registry::RegistryState& state,
    const std::set<std::string>& unreachable, OwnedByPlatform& owned_cache) {
  for (const std::string& name : options_.platforms->names()) {
    if (unreachable.count(name) > 0) continue;  // logged above
    absl::StatusOr<platforms::Platform*> platform =
        options_.platforms->Find(name);
    if (!platform.ok()) continue;
    const absl::StatusOr<std::vector<platforms::OwnedWorkload>>& owned =
        OwnedOn(**platform, owned_cache);
    // UNIMPLEMENTED: the platform cannot tell; nothing to report.
    if (absl::IsUnimplemented(owned.status())) continue;
    if (!owned.ok()) {
      platforms::LogInfo(absl::StrCat(
          name, ": could not look for services missing from ",
          "the registry: ", redactor_.Redact(owned.status().message())));
      continue;
    }
    for (const platforms::OwnedWorkload& workload : *owned) {
      // A Start that began after the registry was read is no stray.
      if (state.entries().count(workload.job_id) > 0 ||
          launches_.Find(workload.job_id).has_value()) {
        continue;
      }
      platforms::LogWarning(absl::StrCat(
          name, " runs ", workload.job_id, " (", workload.network_arch,
          "), started by this server but not in the registry ",
          options_.registry->Describe(), ": ",
          redactor_.Redact(workload.detail)));
    }
  }
}

}  // namespace tao::core
