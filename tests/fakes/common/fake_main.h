// What the fakes' binaries (fake-kube-apiserver, fake-lepton) share: their
// --key=value flags and --listen=HOST:PORT, the usage message, and serving
// until SIGTERM/SIGINT with the port written to a file for the test that
// started them.
#ifndef TAO_TESTS_FAKES_COMMON_FAKE_MAIN_H_
#define TAO_TESTS_FAKES_COMMON_FAKE_MAIN_H_

#include <functional>
#include <string>
#include <utility>

#include "absl/status/status.h"

namespace tao::fakes {

struct Flag {
  std::string key;    // "--listen"
  std::string value;  // "" when the flag has no "="
};

// "--key=value" split at its first "=".
Flag SplitFlag(const std::string& arg);

// --listen's HOST:PORT, split at the last colon. False (and nothing
// written) when there is no colon or PORT is not a number.
bool ParseListen(const std::string& value, std::string* host, int* port);

// Prints "NAME: WHY" and "usage: NAME FLAGS" on stderr; returns 2, the
// exit code of a usage error.
int Usage(const std::string& name, const std::string& flags,
          const std::string& why);

// Prints "NAME: MESSAGE" on stderr; returns 1, the exit code of a fake
// that could not start.
int Failed(const std::string& name, const absl::Status& status);

// Prints "NAME: serving URL" on stderr (a URL carries no secret).
void PrintServing(const std::string& name, const std::string& url);

// Writes "PORT\n" to PATH.tmp, then renames it to `path`, so a reader
// never sees a partial port. Errors: INTERNAL naming the file.
absl::Status WritePortFile(const std::string& path, int port);

// From now on SIGTERM and SIGINT end WaitForStopSignal(). Called before
// the fake starts, so that a signal during its start is not lost.
void CatchStopSignals();
// Returns once SIGTERM or SIGINT has come (at once if one already has).
void WaitForStopSignal();

// The command line of a fake's binary: --listen=HOST:PORT and
// --port-file=PATH, which every fake takes, and the fake's own flags.
class FakeCommandLine {
 public:
  // OK: the flag is taken; NOT_FOUND: it is not one of the fake's; another
  // error: its message says what the value wants.
  using ReadFlag = std::function<absl::Status(const std::string& key,
                                              const std::string& value)>;

  // `name` as messages give it ("fake-lepton"); `flags` the usage line
  // after the name.
  FakeCommandLine(std::string name, std::string flags)
      : name_(std::move(name)), flags_(std::move(flags)) {}

  // Reads argv[1..], each --key=value: --listen into *host and *port,
  // --port-file into port_file(), every other flag through `read`.
  // Returns 0, or Usage()'s exit code after a bad or unknown flag.
  int Read(int argc, char** argv, std::string* host, int* port,
           const ReadFlag& read);
  // Usage(name, flags, why).
  int Usage(const std::string& why) const;
  // ServeUntilStopped(name, port_file(), start).
  template <typename StartFn>
  int Serve(StartFn start) const;

  const std::string& port_file() const { return port_file_; }

 private:
  const std::string name_;
  const std::string flags_;
  std::string port_file_;
};

// The end of a fake's main(): catches the stop signals, starts the fake
// (`start` returns absl::StatusOr<std::unique_ptr<Fake>>, Fake with port()
// and url()), writes its port to `port_file` (unless ""), prints "NAME:
// serving URL" and serves until a stop signal; the fake is destroyed (and
// cleans up) on return. Returns the exit code.
template <typename StartFn>
int ServeUntilStopped(const std::string& name, const std::string& port_file,
                      StartFn start) {
  CatchStopSignals();
  auto fake = start();
  if (!fake.ok()) return Failed(name, fake.status());
  if (!port_file.empty()) {
    absl::Status written = WritePortFile(port_file, (*fake)->port());
    if (!written.ok()) return Failed(name, written);
  }
  PrintServing(name, (*fake)->url());
  WaitForStopSignal();
  return 0;
}

template <typename StartFn>
int FakeCommandLine::Serve(StartFn start) const {
  return ServeUntilStopped(name_, port_file_, std::move(start));
}

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_COMMON_FAKE_MAIN_H_
