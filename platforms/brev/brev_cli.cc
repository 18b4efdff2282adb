#include "platforms/brev/brev_cli.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "platforms/common/redactor.h"
#include "platforms/common/subprocess.h"

namespace tao::platforms::brev {
namespace {

constexpr const char* kAlwaysKept[] = {
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "TZ", "SSH_AUTH_SOCK"};

// The last lines of brev's stderr, without colour codes, for messages.
std::string Words(const std::string& err, const std::string& out) {
  std::string text(absl::StripAsciiWhitespace(err.empty() ? out : err));
  // Colours ([B] cmderrors.go): ESC [ ... m.
  std::string plain;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      while (i < text.size() && text[i] != 'm') ++i;
      continue;
    }
    plain.push_back(text[i]);
  }
  if (plain.size() > 400)
    plain = absl::StrCat("...", plain.substr(plain.size() - 400));
  return plain.empty() ? "no message" : plain;
}

}  // namespace

absl::StatusOr<CreateChoice> CreateChoiceForGpu(const std::string& gpu) {
  CreateChoice choice;
  if (gpu.empty()) return choice;
  if (gpu.find('.') != std::string::npos) {
    choice.types = absl::StrSplit(gpu, ',', absl::SkipEmpty());
    return choice;
  }
  absl::string_view name = gpu;
  if (size_t colon = name.find(':'); colon != absl::string_view::npos) {
    int count = 0;
    if (!absl::SimpleAtoi(name.substr(colon + 1), &count) || count < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("brev.gpu: \"", gpu,
                       "\" is not NAME[:COUNT] (e.g. L40S:1) or an "
                       "instance type (e.g. g6e.xlarge)"));
    }
    name = name.substr(0, colon);
  }
  if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
        return absl::ascii_isalnum(c) || c == '-' || c == '_';
      })) {
    return absl::InvalidArgumentError(
        absl::StrCat("brev.gpu: \"", gpu,
                     "\" is not NAME[:COUNT] (e.g. L40S:1) or an "
                     "instance type (e.g. g6e.xlarge)"));
  }
  choice.gpu_name = std::string(name);
  return choice;
}

absl::StatusOr<BrevCli::Answer> BrevCli::Run(
    const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"env", "-i", "BREV_NO_ANALYTICS=1"};
  auto keep = [&](const std::string& name) {
    if (const char* value = std::getenv(name.c_str())) {
      argv.push_back(absl::StrCat(name, "=", value));
    }
  };
  for (const char* name : kAlwaysKept) keep(name);
  for (const std::string& name : options_.keep_env) keep(name);
  argv.push_back(options_.binary);
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions run;
  run.timeout = options_.timeout;
  run.separate_stderr = true;  // stdin stays /dev/null
  absl::StatusOr<RunResult> result = platforms::Run(argv, run);
  const std::string what =
      args.empty() ? "brev" : absl::StrCat("brev ", args[0]);
  if (!result.ok()) {
    return absl::UnavailableError(
        absl::StrCat(what, ": ", result.status().message()));
  }
  if (result->exit_code == 127) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot run ", options_.binary,
                     ": install the brev CLI or set BREV_BIN to it"));
  }
  return Answer{result->exit_code, std::move(result->output),
                std::move(result->error_output)};
}

absl::Status BrevCli::Login() {
  if (options_.api_token.empty()) {
    return absl::FailedPreconditionError(
        "brev is not logged in on this machine: set BREV_API_TOKEN in "
        "tao-inferd's environment, or run `brev login` as its user");
  }
  absl::StatusOr<Answer> answer = Run({"login", "--token", options_.api_token});
  if (!answer.ok()) return answer.status();
  if (answer->exit_code != 0) {
    const Redactor redactor({options_.api_token});
    return absl::FailedPreconditionError(
        absl::StrCat("brev refused BREV_API_TOKEN (wrong or expired?): ",
                     redactor.Redact(Words(answer->err, answer->out))));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<BrevInstance>> BrevCli::List() {
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<Answer> answer = Run({"ls", "--json"});
    if (!answer.ok()) return answer.status();
    if (IsLoggedOutPrompt(answer->out)) {
      if (attempt > 0) {
        return absl::FailedPreconditionError(
            "brev is still logged out after `brev login --token`: check "
            "BREV_API_TOKEN");
      }
      if (absl::Status s = Login(); !s.ok()) return s;
      continue;
    }
    if (answer->exit_code != 0) {
      return absl::UnavailableError(absl::StrCat(
          "`brev ls --json` failed: ", Words(answer->err, answer->out)));
    }
    return ParseInstanceList(answer->out);
  }
}

absl::StatusOr<BrevInstance> BrevCli::Find(const std::string& name) {
  absl::StatusOr<std::vector<BrevInstance>> instances = List();
  if (!instances.ok()) return instances.status();
  for (BrevInstance& instance : *instances) {
    if (instance.name == name || instance.id == name) return instance;
  }
  return absl::NotFoundError(absl::StrCat("brev lists no instance \"", name,
                                          "\" (`brev ls` shows them)"));
}

absl::Status BrevCli::Failed(const std::string& what, const Answer& answer,
                             const std::string& name) {
  // Never parse brev's error text: ask again what is there.
  absl::StatusOr<BrevInstance> found = Find(name);
  if (absl::IsNotFound(found.status())) return found.status();
  return absl::FailedPreconditionError(absl::StrCat(
      "`brev ", what, " ", name, "` failed: ", Words(answer.err, answer.out)));
}

absl::Status BrevCli::Create(const std::string& name,
                             const CreateChoice& choice) {
  if (!IsInstanceName(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", name,
        "\" is not a Brev instance name (letters, digits, '.', '_' and '-', "
        "starting with a letter or digit, at most 63)"));
  }
  std::vector<std::string> args = {"create", name, "--detached"};
  if (!choice.types.empty()) {
    args.push_back("--type");
    args.push_back(absl::StrJoin(choice.types, ","));
  }
  if (!choice.gpu_name.empty()) {
    args.push_back("--gpu-name");
    args.push_back(choice.gpu_name);
  }
  absl::StatusOr<Answer> answer = Run(args);
  if (!answer.ok()) return answer.status();
  if (answer->exit_code == 0) return absl::OkStatus();
  if (IsLoggedOutPrompt(answer->out)) {
    if (absl::Status s = Login(); !s.ok()) return s;
    answer = Run(args);
    if (!answer.ok()) return answer.status();
    if (answer->exit_code == 0) return absl::OkStatus();
  }
  // Brev's words cannot tell a refusal from an API it cannot reach: ask
  // again (an unreachable API fails the list too).
  absl::StatusOr<std::vector<BrevInstance>> listed = List();
  if (absl::IsUnavailable(listed.status())) return listed.status();
  return absl::FailedPreconditionError(absl::StrCat(
      "`brev create ", name, "` failed: ", Words(answer->err, answer->out)));
}

absl::Status BrevCli::Start(const std::string& name) {
  absl::StatusOr<Answer> answer = Run({"start", name});
  if (!answer.ok()) return answer.status();
  return answer->exit_code == 0 ? absl::OkStatus()
                                : Failed("start", *answer, name);
}

absl::Status BrevCli::Delete(const std::string& name) {
  absl::StatusOr<Answer> answer = Run({"delete", name});
  if (!answer.ok()) return answer.status();
  return answer->exit_code == 0 ? absl::OkStatus()
                                : Failed("delete", *answer, name);
}

absl::Status BrevCli::Refresh() {
  absl::StatusOr<Answer> answer = Run({"refresh"});
  if (!answer.ok()) return answer.status();
  if (answer->exit_code != 0) {
    return absl::UnavailableError(absl::StrCat(
        "`brev refresh` failed: ", Words(answer->err, answer->out)));
  }
  return absl::OkStatus();
}

}  // namespace tao::platforms::brev
