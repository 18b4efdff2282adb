#include "tests/fakes/common/fake_main.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tao::fakes {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnStopSignal(int) { g_stop = 1; }

}  // namespace

Flag SplitFlag(const std::string& arg) {
  const size_t eq = arg.find('=');
  return {arg.substr(0, eq), eq == std::string::npos ? "" : arg.substr(eq + 1)};
}

bool ParseListen(const std::string& value, std::string* host, int* port) {
  const size_t colon = value.rfind(':');
  int parsed = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(value.substr(colon + 1), &parsed)) {
    return false;
  }
  *host = value.substr(0, colon);
  *port = parsed;
  return true;
}

int Usage(const std::string& name, const std::string& flags,
          const std::string& why) {
  std::fprintf(stderr, "%s: %s\nusage: %s %s\n", name.c_str(), why.c_str(),
               name.c_str(), flags.c_str());
  return 2;
}

int Failed(const std::string& name, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", name.c_str(),
               std::string(status.message()).c_str());
  return 1;
}

void PrintServing(const std::string& name, const std::string& url) {
  std::fprintf(stderr, "%s: serving %s\n", name.c_str(), url.c_str());
}

absl::Status WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << port << "\n";
    out.close();
    if (!out) {
      return absl::InternalError(
          absl::StrCat("cannot write the port file ", tmp));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot rename ", tmp, " to ", path));
  }
  return absl::OkStatus();
}

int FakeCommandLine::Read(int argc, char** argv, std::string* host, int* port,
                          const ReadFlag& read) {
  for (int i = 1; i < argc; ++i) {
    const Flag flag = SplitFlag(argv[i]);
    if (flag.key == "--listen") {
      if (!ParseListen(flag.value, host, port)) {
        return Usage("--listen wants HOST:PORT, e.g. 127.0.0.1:0");
      }
    } else if (flag.key == "--port-file") {
      port_file_ = flag.value;
    } else if (absl::Status taken = read(flag.key, flag.value); !taken.ok()) {
      return Usage(absl::IsNotFound(taken) ? "unknown flag " + flag.key
                                           : std::string(taken.message()));
    }
  }
  return 0;
}

int FakeCommandLine::Usage(const std::string& why) const {
  return tao::fakes::Usage(name_, flags_, why);
}

void CatchStopSignals() {
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGINT, OnStopSignal);
}

void WaitForStopSignal() {
  while (!g_stop) pause();
}

}  // namespace tao::fakes
