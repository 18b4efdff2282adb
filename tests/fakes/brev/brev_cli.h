// fake-brev's main(): records the call, finds the command (cmd/cmd.go's
// names and aliases), runs it and turns its error into brev's last line
// and exit code 1 (main.go os.Exit(1): a remote exit status never passes
// through).
#ifndef TAO_TESTS_FAKES_BREV_BREV_CLI_H_
#define TAO_TESTS_FAKES_BREV_BREV_CLI_H_

namespace tao::fakes::brev {

// Returns the exit code: 0, or 1 for every error.
int RunBrev(int argc, char** argv);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_BREV_CLI_H_
