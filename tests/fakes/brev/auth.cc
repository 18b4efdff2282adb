#include "tests/fakes/brev/auth.h"

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/brev/instance_clock.h"

namespace tao::fakes::brev {
namespace {

constexpr char kAutoLogin[] = "auto-login";

// auth.go isAccessTokenValid: parses without verifying; valid claims.
bool IsUnexpiredJwt(const std::string& token) {
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  std::string payload;
  if (parts.size() != 3 || !absl::WebSafeBase64Unescape(parts[1], &payload)) {
    return false;
  }
  nlohmann::json claims = nlohmann::json::parse(payload, nullptr, false);
  if (!claims.is_object()) return false;
  if (!claims.contains("exp")) return true;
  return claims["exp"].is_number() &&
         claims["exp"].get<double>() * 1000 > NowMillis();
}

// The token a credentials file holds, "" when there is none.
std::string StoredToken(const std::string& home) {
  std::ifstream in(CredentialsPath(home));
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json credentials =
      nlohmann::json::parse(text.str(), nullptr, false);
  if (!credentials.is_object()) return "";
  const std::string access = credentials.value("access_token", "");
  return access != kAutoLogin ? access : credentials.value("refresh_token", "");
}

// One line of stdin, as bufio.Reader.ReadString('\n') reads it.
absl::StatusOr<std::string> ReadAnswer() {
  std::string line;
  char c;
  while (true) {
    const ssize_t n = read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return absl::UnknownError("EOF");
    if (c == '\n') return line;
    line += c;
  }
}

}  // namespace

std::string CredentialsPath(const std::string& home) {
  return home + "/.brev/credentials.json";
}

absl::Status RequireLogin(const Knobs& knobs, StateStore& store,
                          const Output& out) {
  absl::StatusOr<State> state = store.Read();
  if (!state.ok()) return state.status();
  const std::string token = StoredToken(knobs.home);
  const bool valid = !token.empty() && !state->token_expired &&
                     (!knobs.token.has_value() || token == *knobs.token);
  if (valid) return absl::OkStatus();
  out.Out(kLoginPrompt);
  absl::StatusOr<std::string> answer = ReadAnswer();
  if (!answer.ok()) return answer.status();
  const std::string said =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(*answer));
  if (said == "n" || said == "no") return BrevError("declined to login");
  return BrevError(
      "fake-brev: the interactive device login is not implemented; run brev "
      "login --token TOKEN");
}

absl::Status LogInWithToken(const Knobs& knobs, StateStore& store,
                            const std::string& token) {
  // Unverified: the words of a refused token (the real CLI fails later,
  // when it fetches the user with it).
  if (token.empty() || (knobs.token.has_value() && token != *knobs.token)) {
    return BrevError("failed to log in: the token was refused");
  }
  const bool jwt = IsUnexpiredJwt(token);
  const nlohmann::json credentials = {
      {"access_token", jwt ? token : kAutoLogin},
      {"refresh_token", jwt ? kAutoLogin : token}};
  std::error_code ignored;
  std::filesystem::create_directories(knobs.home + "/.brev", ignored);
  const std::string path = CredentialsPath(knobs.home);
  {
    std::ofstream out(path, std::ios::trunc);
    out << credentials.dump() << "\n";
    if (!out) return BrevError("fake-brev: cannot write " + path);
  }
  std::filesystem::permissions(
      path,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      ignored);
  return store.Update([](State& state) {
    state.token_expired = false;
    return absl::OkStatus();
  });
}

}  // namespace tao::fakes::brev
