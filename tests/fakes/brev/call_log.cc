#include "tests/fakes/brev/call_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/fakes/brev/instance_clock.h"

extern char** environ;

namespace tao::fakes::brev {
namespace {

std::vector<std::string> EnvironmentNames() {
  std::vector<std::string> names;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    names.push_back(text.substr(0, text.find('=')));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

void CallLog::RecordCall(const std::vector<std::string>& argv,
                         const StdioKinds& stdio) const {
  Append("calls.jsonl", {{"time_ms", NowMillis()},
                         {"pid", getpid()},
                         {"argv", argv},
                         {"stdin", stdio.in},
                         {"stdout", stdio.out},
                         {"stderr", stdio.err},
                         {"env", EnvironmentNames()}});
}

void CallLog::RecordEvent(nlohmann::json event) const {
  event["time_ms"] = NowMillis();
  event["brev_pid"] = getpid();
  Append("events.jsonl", event);
}

void CallLog::Append(const std::string& file,
                     const nlohmann::json& line) const {
  std::error_code ignored;
  std::filesystem::create_directories(dir_, ignored);
  const std::string path = dir_ + "/" + file;
  const int fd =
      open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return;  // the log is for tests; brev's behaviour goes on
  const std::string text = line.dump() + "\n";
  // O_APPEND: one write lands whole at the end, even with other writers.
  ssize_t ignored_size = write(fd, text.data(), text.size());
  (void)ignored_size;
  close(fd);
}

std::vector<nlohmann::json> ReadJsonLines(const std::string& path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
    if (!parsed.is_discarded()) lines.push_back(std::move(parsed));
  }
  return lines;
}

}  // namespace tao::fakes::brev
