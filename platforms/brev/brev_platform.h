// The "brev" platform (spec §6.2, brev-cli.md): each service is a Docker
// container on an NVIDIA Brev instance, named by its job id and published
// on the instance's host port (the lowest free from 8080 on that instance:
// host-port scope "brev:<instance>"), reached through an ssh tunnel this
// server owns by pid:
//   localhost:<local port> -> <instance>:127.0.0.1:<host port>
// The brev CLI finds, creates, starts and deletes instances (brev_cli.h);
// commands on an instance go over plain ssh with the config `brev refresh`
// writes, so their exit codes are real and secrets travel on stdin
// (remote_container.h).
//
// Placement: instance_id (the instance's name, also its ssh alias),
// host_port (on the instance), host_url http://localhost:<local port>, and
// attributes local_port, tunnel_pid, remote_addr (where `docker port` says
// the container's port is published on the instance: the tunnel's far
// end), ssh_config and created_instance ("1" when this server created the
// instance: it is deleted with its last service unless
// TAO_BREV_KEEP_INSTANCES is set).
//
// Environment (read once at server start):
//   BREV_API_TOKEN          `brev login --token` when brev is logged out
//   BREV_BIN                the brev CLI (default: brev on PATH)
//   TAO_BREV_SSH_CONFIG     ssh config with the instances' aliases
//                           (default: $HOME/.brev/ssh_config)
//   TAO_BREV_KEEP_ENV       more variables brev gets (comma list: proxies)
//   TAO_BREV_KEEP_INSTANCES 1: never delete an instance this server created
//   TAO_BREV_GPU            default brev.gpu for a new instance
//   TAO_BREV_GPUS           "none": containers get no --gpus (instances
//                           without GPUs); default "requested"
//   TAO_BREV_TUNNEL_DIR     the tunnels' ssh logs (default
//                           /tmp/tao-brev-tunnels-<uid>)
//
// Thread safety: all methods may be called concurrently.
#ifndef TAO_PLATFORMS_BREV_BREV_PLATFORM_H_
#define TAO_PLATFORMS_BREV_BREV_PLATFORM_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "platforms/brev/brev_cli.h"
#include "platforms/common/ssh/command_runner.h"
#include "platforms/common/ssh/tunnel_manager.h"
#include "platforms/platform.h"

namespace tao::platforms::brev {

class BrevPlatform : public Platform {
 public:
  struct Options {
    BrevCli::Options cli;
    std::string ssh_config;
    bool keep_instances = false;
    std::string default_gpu;
    bool request_gpus = true;  // false: no --gpus (TAO_BREV_GPUS=none)
    std::string tunnel_dir;
    int64_t shm_size_bytes = int64_t{16} << 30;
    // One ssh round trip on an instance.
    absl::Duration command_timeout = absl::Seconds(120);
    // A new instance: until brev says RUNNING, then until ssh answers
    // ([K]: 60 x 5 s, at least 600 s for the first exec).
    absl::Duration instance_wait = absl::Minutes(15);
    absl::Duration poll_min = absl::Milliseconds(500);
    absl::Duration poll_max = absl::Seconds(5);
  };

  // Errors: INVALID_ARGUMENT naming a malformed variable.
  static absl::StatusOr<Options> OptionsFromEnvironment();
  static absl::StatusOr<std::unique_ptr<BrevPlatform>> Create(Options options);

  absl::string_view name() const override { return "brev"; }
  // The skill's value for brev (spec §5.1).
  absl::string_view execution_backend() const override {
    return "local-docker";
  }
  // "brev:<instance>": ports are unique per instance. A Start without an
  // instance gets one of its own (named after the job), so 8080 again.
  std::string HostPortScope(const LaunchSpec& spec) const override;
  std::string HostPortScopeOf(const Placement& placement) const override;
  // Options: instance_id, gpu; cloud_cred_id and workspace_group_id are
  // refused (brev create has no such flags).
  absl::Status ValidateOptions(
      const std::map<std::string, std::string>& options) const override;

  absl::StatusOr<Placement> Launch(const LaunchSpec& spec,
                                   const ProgressCallback& progress) override;
  // The container's state (docker inspect over ssh); a missing instance
  // or container is kMissing, a stopped instance kExited.
  absl::StatusOr<RuntimeState> Inspect(const Placement& placement) override;
  // Inspect; for a running container also re-opens a dead tunnel (a new
  // tunnel_pid in the placement).
  absl::StatusOr<RuntimeState> EnsureReachable(Placement& placement) override;
  // EnsureReachable; when the container is missing from an instance this
  // server created (a launch cut short before its docker run), deletes the
  // instance unless another container of this server runs there.
  absl::StatusOr<RuntimeState> Reattach(Placement& placement) override;
  // Removes the container and closes the tunnel; deletes an instance this
  // server created once no container of this server is left on it.
  absl::Status Terminate(const Placement& placement) override;
  absl::StatusOr<std::string> Logs(const Placement& placement,
                                   int tail_lines) override;
  // Containers labelled with this server instance on every RUNNING
  // instance brev lists.
  absl::StatusOr<std::vector<OwnedWorkload>> ListOwned(
      absl::string_view server_instance) override;

 private:
  explicit BrevPlatform(Options options);

  // Commands on instance `name` over ssh (its alias in ssh_config).
  CommandRunner RunnerFor(const std::string& instance,
                          const std::string& ssh_config) const;
  // The instance of `spec`: the one named by its instance_id (started when
  // stopped), else a new one made for it; waits until ssh answers.
  // `created` says which.
  absl::StatusOr<std::string> InstanceFor(const LaunchSpec& spec,
                                          const ProgressCallback& progress,
                                          bool* created);
  // Polls until brev lists `name` RUNNING and ssh runs a command on it.
  absl::Status AwaitInstance(const std::string& name, const LaunchSpec& spec,
                             const ProgressCallback& progress);
  // The tunnel to the container of `placement` (re-used, adopted by pid,
  // or opened anew); its pid.
  absl::StatusOr<pid_t> EnsureTunnel(const Placement& placement);
  // Fills remote_addr and local_port when missing, then EnsureTunnel;
  // records tunnel_pid and host_url.
  absl::Status OpenTunnel(Placement& placement);
  TunnelSpec TunnelOf(const Placement& placement) const;
  // Deletes `instance` when it was made by this server and no container
  // of this server runs on it any more.
  absl::Status DeleteIfUnused(const Placement& placement);

  const Options options_;
  BrevCli cli_;
  TunnelManager tunnels_;
};

absl::StatusOr<std::unique_ptr<Platform>> CreateFromEnvironment();

}  // namespace tao::platforms::brev

#endif  // TAO_PLATFORMS_BREV_BREV_PLATFORM_H_
