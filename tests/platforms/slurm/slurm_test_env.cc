#include "tests/platforms/slurm/slurm_test_env.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "platforms/common/subprocess.h"
#include "platforms/slurm/command_runner.h"
#include "platforms/slurm/shell_quote.h"

namespace tao::platforms::slurm::testing {
namespace {

std::string Env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

bool SlurmRequired() { return std::getenv("TAO_REQUIRE_SLURM") != nullptr; }

absl::StatusOr<SlurmTestEnv> FindSlurmTestEnv() {
  // Fast checks only: every test case of a binary runs this in its own
  // process. Without a configuration the tools would go looking for a
  // configless controller, which takes long.
  const std::string conf = Env("SLURM_CONF", "/etc/slurm/slurm.conf");
  if (access(conf.c_str(), R_OK) != 0) {
    return absl::UnavailableError(
        absl::StrCat("no SLURM configuration at ", conf,
                     " (run scripts/setup-slurm and scripts/slurm-up)"));
  }
  absl::StatusOr<RunResult> ping = Run({"scontrol", "ping"}, absl::Seconds(10));
  if (!ping.ok() || ping->exit_code != 0 ||
      !absl::StrContains(ping->output, "is UP")) {
    return absl::UnavailableError(
        absl::StrCat("slurmctld does not answer (run scripts/slurm-up): ",
                     ping.ok() ? ping->output : ping.status().ToString()));
  }
  const std::string env_file =
      Env("TAO_SSHD_DIR", "/tmp/tao-sshd") + std::string("/sshd.env");
  std::ifstream in(env_file);
  if (!in) {
    return absl::UnavailableError(absl::StrCat(
        "no ", env_file, " (run scripts/sshd-up for the tunnels)"));
  }
  std::map<std::string, std::string> values;
  for (std::string line; std::getline(in, line);) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    values[kv.first] = kv.second;
  }
  SlurmTestEnv env;
  env.sshd.host = values["SLURM_HOSTNAME"];
  env.sshd.user = values["SLURM_USER"];
  env.sshd.key_path = values["SSH_KEY_PATH"];
  env.sshd.known_hosts = values["SLURM_SSH_KNOWN_HOSTS"];
  absl::SimpleAtoi(values["SLURM_SSH_PORT"], &env.sshd.port);
  CommandRunner probe(env.sshd, absl::Seconds(20));
  absl::StatusOr<RunResult> login = probe.Run("true");
  if (!login.ok() || login->exit_code != 0) {
    return absl::UnavailableError(
        absl::StrCat("the test sshd refuses logins (run scripts/sshd-up): ",
                     login.ok() ? login->output : login.status().ToString()));
  }
  return env;
}

int FreeHostPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

absl::StatusOr<HttpAnswer> HttpGet(const std::string& url) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  HttpAnswer answer;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  }
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("GET ", url, ": ", curl_easy_strerror(code)));
  }
  return answer;
}

absl::StatusOr<HttpAnswer> HttpGetUntilOk(const std::string& url,
                                          absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  std::string last;
  while (absl::Now() < give_up) {
    absl::StatusOr<HttpAnswer> answer = HttpGet(url);
    if (answer.ok() && answer->status == 200) return answer;
    last = answer.ok()
               ? absl::StrCat("HTTP ", answer->status, " ", answer->body)
               : answer.status().ToString();
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("GET ", url, " never answered 200; last: ", last));
}

std::string Shell(const std::string& command) {
  absl::StatusOr<RunResult> result =
      Run({"/bin/sh", "-c", command}, absl::Seconds(30));
  return result.ok() ? result->output : result.status().ToString();
}

std::string JobsNamed(const std::string& name) {
  return std::string(absl::StripAsciiWhitespace(Shell(
      absl::StrCat("squeue -h -t all -o '%i|%T' --name=", ShellQuote(name)))));
}

std::string ScontrolState(const std::string& slurm_job_id) {
  const std::string out =
      Shell(absl::StrCat("scontrol show job -o ", ShellQuote(slurm_job_id)));
  for (absl::string_view token : absl::StrSplit(out, ' ')) {
    if (absl::ConsumePrefix(&token, "JobState=")) return std::string(token);
  }
  return "";
}

std::string SettledJobState(const std::string& slurm_job_id) {
  std::string state = ScontrolState(slurm_job_id);
  for (int i = 0; i < 300 && state == "COMPLETING"; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    state = ScontrolState(slurm_job_id);
  }
  return state;
}

std::string JobIdNamed(const std::string& name) {
  const std::string jobs = JobsNamed(name);
  return jobs.substr(0, jobs.find('|'));
}

std::vector<pid_t> ForwardingProcesses(int host_port) {
  std::vector<pid_t> pids;
  const std::string forward = absl::StrCat("127.0.0.1:", host_port, ":");
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return pids;
  while (dirent* entry = readdir(proc)) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry->d_name, &pid)) continue;
    std::ifstream in(absl::StrCat("/proc/", pid, "/cmdline"), std::ios::binary);
    std::stringstream raw;
    raw << in.rdbuf();
    std::vector<std::string> argv =
        absl::StrSplit(raw.str(), '\0', absl::SkipEmpty());
    if (argv.empty() || !absl::EndsWith(argv[0], "ssh")) continue;
    for (const std::string& arg : argv) {
      if (absl::StartsWith(arg, forward)) pids.push_back(pid);
    }
  }
  closedir(proc);
  return pids;
}

absl::StatusOr<std::string> MakeTestRoot() {
  std::string root_template = "/tmp/tao-slurm-test-XXXXXX";
  if (mkdtemp(root_template.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", strerror(errno)));
  }
  const std::string root = root_template;
  const std::string bin = root + "/bin";
  if (chmod(root.c_str(), 0755) != 0 || mkdir(bin.c_str(), 0755) != 0) {
    return absl::InternalError(absl::StrCat(root, ": ", strerror(errno)));
  }
  for (const char* entry :
       {"cosmos-rl-inference-microservice", "cosmos_predict"}) {
    const std::string link = absl::StrCat(bin, "/", entry);
    if (symlink(TAO_REFERENCE_BACKEND_PATH, link.c_str()) != 0) {
      return absl::InternalError(absl::StrCat(link, ": ", strerror(errno)));
    }
  }
  return root;
}

}  // namespace tao::platforms::slurm::testing
