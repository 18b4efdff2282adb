// `brev create NAME` (alias provision; cmd/gpucreate; brev-cli.md §4):
// checks the name, picks the instance types (--type, then types piped on
// stdin, then --gpu-name, then the default), refuses a taken name, creates
// the instance DEPLOYING and, unless -d, polls until RUNNING (then writes
// the ssh files, §9), FAILURE or --timeout. Progress goes to stdout, or to
// stderr when stdout is piped, which then gets only the names. The
// progress lines follow an older gpucreate.go (unverified for @12d39b75).
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/brev/auth.h"
#include "tests/fakes/brev/brev_flags.h"
#include "tests/fakes/brev/command_helpers.h"
#include "tests/fakes/brev/commands.h"
#include "tests/fakes/brev/instance_clock.h"
#include "tests/fakes/brev/instance_types.h"

namespace tao::fakes::brev {
namespace {

const std::vector<FlagSpec>& CreateFlags() {
  static const std::vector<FlagSpec> flags = {
      {"type", 't', FlagType::kString, "",
       "Comma-separated list of instance types to try"},
      {"gpu-name", 'g', FlagType::kString, "", "Filter by GPU name"},
      {"provider", 0, FlagType::kString, "", "Filter by cloud provider"},
      {"min-vram", 'v', FlagType::kString, "", "Minimum VRAM per GPU (GB)"},
      {"min-total-vram", 0, FlagType::kString, "", "Minimum total VRAM (GB)"},
      {"min-disk", 0, FlagType::kString, "", "Minimum disk size (GB)"},
      {"min-capability", 0, FlagType::kString, "",
       "Minimum GPU compute capability"},
      {"max-boot-time", 0, FlagType::kString, "",
       "Maximum boot time (minutes)"},
      {"stoppable", 0, FlagType::kBool, "false", "Only stoppable instances"},
      {"sort", 0, FlagType::kString, "", "Sort by (price, ...)"},
      {"desc", 0, FlagType::kBool, "false", "Sort in descending order"},
      {"count", 'c', FlagType::kInt, "1", "Number of instances to create"},
      {"parallel", 'p', FlagType::kInt, "1",
       "Number of parallel creation attempts"},
      {"detached", 'd', FlagType::kBool, "false",
       "Don't wait for instances to be ready"},
      {"timeout", 0, FlagType::kInt, "300",
       "Timeout in seconds for each instance to become ready"},
      {"startup-script", 's', FlagType::kString, "",
       "Startup script to run on instance (string or @filepath)"},
      {"mode", 'm', FlagType::kString, "", "vm, k8s, container or compose"},
      {"container-image", 0, FlagType::kString, "", "Container image"},
      {"compose-file", 0, FlagType::kString, "", "Docker compose file"},
      {"launchable", 'l', FlagType::kString, "", "Launchable id"},
      {"jupyter", 0, FlagType::kBool, "false", "Install Jupyter"},
      {"dry-run", 0, FlagType::kBool, "false",
       "Show what would be created without creating it"}};
  return flags;
}

// names/validate.go: ^[a-zA-Z0-9][a-zA-Z0-9._-]*$, at most 63 characters.
// Unverified: the words of the refusal.
absl::Status CheckName(const std::string& name) {
  static const std::regex rule("^[a-zA-Z0-9][a-zA-Z0-9._-]*$");
  if (name.size() <= 63 && std::regex_match(name, rule)) {
    return absl::OkStatus();
  }
  return ValidationError(absl::StrCat(
      "invalid instance name \"", name,
      "\": must start with a letter or digit, contain only letters, digits, "
      "'.', '_' or '-', and be at most 63 characters"));
}

bool LooksLikeInstanceType(const std::string& word) {
  bool letter = false, digit = false;
  for (char c : word) {
    letter |= std::isalpha(static_cast<unsigned char>(c)) != 0;
    digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
  }
  return word.size() >= 2 && letter && digit;
}

// parseInstanceTypes: --type a,b then, when stdin is not a character
// device, `brev gpus` output on it (a JSON array or its table).
std::vector<std::string> RequestedTypes(const std::string& flag) {
  std::vector<std::string> types;
  for (absl::string_view t : absl::StrSplit(flag, ',', absl::SkipEmpty())) {
    types.emplace_back(absl::StripAsciiWhitespace(t));
  }
  if (!IsPiped(STDIN_FILENO)) return types;
  std::string input;
  char buffer[4096];
  for (ssize_t n; (n = read(STDIN_FILENO, buffer, sizeof(buffer))) > 0;) {
    input.append(buffer, static_cast<size_t>(n));
  }
  const std::string trimmed(absl::StripAsciiWhitespace(input));
  if (absl::StartsWith(trimmed, "[")) {
    nlohmann::json rows = nlohmann::json::parse(trimmed, nullptr, false);
    if (rows.is_array()) {
      for (const nlohmann::json& row : rows) {
        if (row.is_object()) types.push_back(row.value("type", ""));
      }
    }
    return types;
  }
  bool first = true;
  for (absl::string_view line : absl::StrSplit(trimmed, '\n')) {
    const bool header = first && (absl::StrContains(line, "TYPE") ||
                                  absl::StrContains(line, "GPU"));
    first = false;
    line = absl::StripAsciiWhitespace(line);
    if (header || line.empty() || absl::StartsWith(line, "Found ")) continue;
    const std::string word(line.substr(0, line.find_first_of(" \t")));
    if (LooksLikeInstanceType(word)) types.push_back(word);
  }
  return types;
}

// One CreateWorkspace call: "" on success, else the API's words.
std::string TryCreate(Context& ctx, const std::string& name,
                      const std::string& type) {
  std::string error;
  absl::Status stored = ctx.store.Update([&](State& state) {
    if (state.Find(name) != nullptr) {
      error = "duplicate workspace";  // the API's word brev looks for
      return absl::OkStatus();
    }
    if (ctx.knobs.create_error.has_value()) {
      error = *ctx.knobs.create_error;
      return absl::OkStatus();
    }
    const InstanceType* known = FindInstanceType(type);
    if (known == nullptr) {
      // Unverified: the API's words for a type it does not offer.
      error = absl::StrCat("instance type ", type, " is not available");
      return absl::OkStatus();
    }
    Instance instance;
    instance.name = name;
    instance.id = NewInstanceId();
    instance.instance_type = known->type;
    instance.gpu = known->gpu;
    instance.instance_kind = known->kind;
    instance.created_ms = NowMillis();
    instance.ssh_failures = ctx.knobs.first_ssh_fails;
    if (ctx.knobs.create_failure.has_value()) {
      instance.deploy_result = "FAILURE";
      instance.status_message = *ctx.knobs.create_failure;
    }
    Schedule(instance, "DEPLOYING", instance.deploy_result, ctx.knobs.boot,
             instance.created_ms);
    state.instances.push_back(std::move(instance));
    return absl::OkStatus();
  });
  return stored.ok() ? error : std::string(stored.message());
}

// Waits for `name` as pollUntilReady does, logging the outcome.
void WaitUntilReady(Context& ctx, const std::string& name,
                    absl::Duration timeout) {
  const std::string status =
      PollStatus(ctx, name, {"RUNNING", "FAILURE"}, timeout);
  if (status == "RUNNING") {
    // The reference's fake design (§9): on RUNNING do what refresh does.
    if (absl::Status refreshed = RefreshSshFiles(ctx); !refreshed.ok()) {
      ctx.out.Progress(absl::StrCat(refreshed.message(), "\n"));
    }
    ctx.out.Progress(absl::StrCat("  ", name, ": Ready\n"));
  } else if (status == "FAILURE") {
    // Unverified: that create still exits 0 after this line (the older
    // source treats FAILURE like the timeout).
    std::optional<Instance> failed = Lookup(ctx, name);
    ctx.out.Progress(absl::StrCat("  instance ", name, " failed: ",
                                  failed ? failed->status_message : "", "\n"));
  } else {
    // A timeout only logs; create still exits 0 (§4).
    ctx.out.Progress(
        absl::StrCat("  ", name, ": Timeout waiting for ready state\n"));
  }
}

}  // namespace

absl::Status CreateCommand(Context& ctx, const Args& args) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(args, CreateFlags());
  if (!flags.ok()) return flags.status();
  if (flags->help()) {
    ctx.out.Out(HelpText("create NAME [flags]",
                         "Create GPU instances with automatic retry across "
                         "multiple instance types.",
                         CreateFlags()));
    return absl::OkStatus();
  }
  // Unverified: cobra's ExactArgs(1) words for the positional name.
  if (flags->args().size() != 1) {
    return ValidationError(
        absl::StrCat("accepts 1 arg(s), received ", flags->args().size()));
  }
  const std::string base = flags->args()[0];
  if (absl::Status name = CheckName(base); !name.ok()) return name;
  const int count = flags->Int("count");
  if (count < 1) return ValidationError("--count must be at least 1");

  std::vector<std::string> types = RequestedTypes(flags->Get("type"));
  if (types.empty() && flags->IsSet("gpu-name")) {
    for (const InstanceType& t : TypesWithGpu(flags->Get("gpu-name"))) {
      types.push_back(t.type);
    }
    if (types.empty()) {
      // Unverified wording.
      return ValidationError(
          absl::StrCat("no GPU instances match the filters (gpu-name ",
                       flags->Get("gpu-name"),
                       "). Try 'brev gpus' to see available options"));
    }
  }
  if (types.empty()) {
    ctx.out.Progress(
        "No instance types specified, using defaults: min-total-vram=20GB, "
        "min-disk=500GB, min-capability=8.0, max-boot-time=7m\n\n");
    types.push_back(DefaultInstanceType().type);
  }
  if (absl::Status login = RequireLogin(ctx.knobs, ctx.store, ctx.out);
      !login.ok()) {
    return login;
  }
  if (flags->Bool("dry-run")) {
    // Unverified: the dry run's report.
    ctx.out.Out(absl::StrCat("Dry run: would create ", count,
                             " instance(s) named ", base, " with ",
                             absl::StrJoin(types, ", "), "\n"));
    return absl::OkStatus();
  }

  ctx.out.Progress(absl::StrCat(
      "Attempting to create ", count, " instance(s) with ",
      std::max(1, flags->Int("parallel")), " parallel attempts\n",
      "Instance types to try: ", absl::StrJoin(types, ", "), "\n\n"));
  std::vector<std::string> created;
  bool stop = false;
  for (int i = 0; i < count && !stop; ++i) {
    const std::string name = count > 1 ? absl::StrCat(base, "-", i + 1) : base;
    for (const std::string& type : types) {
      ctx.out.Progress(absl::StrCat("[Worker 1] Trying ", type,
                                    " for instance '", name, "'...\n"));
      const std::string error = TryCreate(ctx, name, type);
      if (error.empty()) {
        ctx.out.Progress(absl::StrCat(
            "[Worker 1] ", type, " Success! Created instance '", name, "'\n"));
        created.push_back(name);
        break;
      }
      ctx.out.Progress(
          absl::StrCat("[Worker 1] ", type, " Failed: ", error, "\n"));
      if (error == "duplicate workspace") {
        ctx.out.Progress(absl::StrCat(
            "\nworkspace '", name,
            "' already exists. Use a different name or delete the existing "
            "workspace\n"));
        stop = true;
        break;
      }
    }
  }
  if (static_cast<int>(created.size()) < count) {
    ctx.out.Progress(absl::StrCat("\nWarning: Only created ", created.size(),
                                  "/", count, " instances\n"));
    return ValidationError(absl::StrCat("could only create ", created.size(),
                                        "/", count, " instances"));
  }

  if (!flags->Bool("detached")) {
    ctx.out.Progress(
        "\nWaiting for instance(s) to be ready...\n"
        "You can safely ctrl+c to exit\n");
    for (const std::string& name : created) {
      WaitUntilReady(ctx, name, absl::Seconds(flags->Int("timeout")));
    }
  }
  if (ctx.out.stdout_piped()) {
    for (const std::string& name : created) ctx.out.Out(name + "\n");
    return absl::OkStatus();
  }
  ctx.out.Out(absl::StrCat("\nSuccessfully created ", created.size(),
                           " instance(s)!\n\n"));
  for (const std::string& name : created) {
    std::optional<Instance> instance = Lookup(ctx, name);
    ctx.out.Out(absl::StrCat(
        "Instance: ", name, "\n  ID: ", instance ? instance->id : "",
        "\n  Type: ", instance ? instance->instance_type : "",
        "\n  Connect:\n    brev open ", name, "\n    brev shell ", name,
        "\n\n"));
  }
  return absl::OkStatus();
}

}  // namespace tao::fakes::brev
