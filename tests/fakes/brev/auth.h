// Logging in (brev-cli.md §2, §0): `login --token T` stores T in
// ~/.brev/credentials.json when it equals $FAKE_BREV_TOKEN; every command
// that needs the API then finds it there. Without valid credentials (none,
// another token, or the state's token_expired knob) brev asks on STDOUT
// "You are currently logged out, would you like to log in? [Y/n]: " and
// reads a line from stdin; /dev/null gives EOF, the error "EOF" (exit 1).
#ifndef TAO_TESTS_FAKES_BREV_AUTH_H_
#define TAO_TESTS_FAKES_BREV_AUTH_H_

#include <string>

#include "absl/status/status.h"
#include "tests/fakes/brev/brev_output.h"
#include "tests/fakes/brev/knobs.h"
#include "tests/fakes/brev/state_store.h"

namespace tao::fakes::brev {

inline constexpr char kLoginPrompt[] =
    "You are currently logged out, would you like to log in? [Y/n]: ";

// OK when logged in; else the prompt and its answer: "EOF" at end of
// input, "declined to login" for "n". A "y" or empty answer would start the
// device login (a browser, a wait): the fake refuses it instead.
absl::Status RequireLogin(const Knobs& knobs, StateStore& store,
                          const Output& out);

// Checks `token` against FAKE_BREV_TOKEN and writes credentials.json as
// LoginWithToken does: a JWT that parses and is unexpired becomes the
// access token (refresh "auto-login"), anything else the refresh token
// (access "auto-login"). Clears the token_expired knob.
absl::Status LogInWithToken(const Knobs& knobs, StateStore& store,
                            const std::string& token);

std::string CredentialsPath(const std::string& home);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_AUTH_H_
