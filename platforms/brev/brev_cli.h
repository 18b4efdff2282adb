// The brev CLI as the driver runs it (brev-cli.md): stdin is /dev/null
// (brev reads instance names or types from any other stdin, §0), stdout is
// read apart from stderr (only stdout is parsed, and only where the
// reference gives its shape), the environment is a clean one (none of the
// server's secrets), and analytics are off (BREV_NO_ANALYTICS=1). Error
// text is never parsed: what went wrong is read back with `brev ls
// --json`. Remote commands do not go through `brev exec` (a failing
// command runs twice and its exit code is lost, §5) but over plain ssh
// with the config `brev refresh` writes (SshTarget::config_file).
//
// Thread safety: all methods may be called concurrently (brev keeps its
// own state in ~/.brev; concurrent calls are what its CLI allows).
#ifndef TAO_PLATFORMS_BREV_BREV_CLI_H_
#define TAO_PLATFORMS_BREV_BREV_CLI_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platforms/brev/brev_instances.h"

namespace tao::platforms::brev {

// How `brev create` picks the machine: instance types tried in order
// (--type) or a GPU name (--gpu-name); neither: brev's own pick.
struct CreateChoice {
  std::vector<std::string> types;
  std::string gpu_name;
};

// The choice for BrevOptions.gpu: "L40S:1" or "L40S" -> --gpu-name L40S
// (brev create has no --gpu flag; the count comes with the type), a value
// with a '.' ("g6e.xlarge") -> --type. INVALID_ARGUMENT for a value that
// is neither, starting with the option's field path "brev.gpu".
absl::StatusOr<CreateChoice> CreateChoiceForGpu(const std::string& gpu);

class BrevCli {
 public:
  struct Options {
    std::string binary = "brev";
    // BREV_API_TOKEN: `brev login --token` before the first call and once
    // again when brev says it is logged out; empty: brev's own login. A
    // secret: never in a message. (It is on brev's command line while the
    // login runs: the CLI takes it no other way.)
    std::string api_token;
    // Variables of the server's environment brev gets besides PATH, HOME,
    // USER, LOGNAME, LANG, TZ and SSH_AUTH_SOCK (proxies, ...).
    std::vector<std::string> keep_env;
    absl::Duration timeout = absl::Seconds(120);
  };

  explicit BrevCli(Options options) : options_(std::move(options)) {}

  // `brev login --token`. FAILED_PRECONDITION when there is no token or
  // brev refuses it (the token is wrong or expired).
  absl::Status Login();
  // `brev ls --json`, logging in once first when brev is logged out and a
  // token is set. FAILED_PRECONDITION when logged out without a token.
  absl::StatusOr<std::vector<BrevInstance>> List();
  // The instance named `name` (List); NOT_FOUND naming it.
  absl::StatusOr<BrevInstance> Find(const std::string& name);
  // `brev create NAME [--type ..|--gpu-name ..] --detached`: returns once
  // brev accepted it; the caller polls List. INVALID_ARGUMENT for a bad
  // name; brev's refusal (a taken name, no capacity) as FAILED_PRECONDITION
  // with brev's words.
  absl::Status Create(const std::string& name, const CreateChoice& choice);
  // `brev start NAME` / `brev delete NAME` (asynchronous: the instance
  // shows DELETING, then is gone). NOT_FOUND when brev lists no such
  // instance.
  absl::Status Start(const std::string& name);
  absl::Status Delete(const std::string& name);
  // `brev refresh`: writes ~/.brev/ssh_config for the RUNNING instances.
  absl::Status Refresh();

 private:
  struct Answer {
    int exit_code = 0;
    std::string out;
    std::string err;
  };
  absl::StatusOr<Answer> Run(const std::vector<std::string>& args) const;
  // A failed `brev <what>` as FAILED_PRECONDITION with brev's stderr (the
  // token removed), unless `name` is then missing from List (NOT_FOUND).
  absl::Status Failed(const std::string& what, const Answer& answer,
                      const std::string& name);

  const Options options_;
};

}  // namespace tao::platforms::brev

#endif  // TAO_PLATFORMS_BREV_BREV_CLI_H_
