#include "platforms/slurm/slurm_settings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::slurm {
namespace {

using ::testing::HasSubstr;

TEST(SlurmSettingsTest, DefaultsWithoutEnvironment) {
  absl::StatusOr<SlurmSettings> s = SettingsFromEnvironment({});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->time_limit, "04:00:00");
  EXPECT_EQ(s->cpus_per_task, 16);
  EXPECT_TRUE(s->request_gpus);
  EXPECT_EQ(s->runtime, ContainerRuntime::kPyxis);
  EXPECT_TRUE(s->login.host.empty());  // local SLURM tools
  EXPECT_EQ(EffectiveTunnelHost(*s), "127.0.0.1");
  EXPECT_EQ(s->node_port_min, 20000);
  EXPECT_EQ(s->node_port_max, 29999);
}

TEST(SlurmSettingsTest, EnvironmentSetsServerDefaults) {
  absl::StatusOr<SlurmSettings> s = SettingsFromEnvironment({
      {"SLURM_HOSTNAME", " login1.example.com, login2.example.com"},
      {"SLURM_USER", "alice"},
      {"SSH_KEY_PATH", "/keys/id_ed25519"},
      {"SLURM_SSH_PORT", "2222"},
      {"SLURM_SSH_KNOWN_HOSTS", "/keys/known_hosts"},
      {"SLURM_PARTITION", "polar,polar3"},
      {"SLURM_ACCOUNT", "tao"},
      {"TAO_SLURM_TIME_LIMIT", "1-00:00:00"},
      {"TAO_SLURM_CPUS_PER_TASK", "8"},
      {"TAO_SLURM_GRES", "none"},
      {"TAO_SLURM_RUNTIME", "docker"},
      {"TAO_SLURM_CONTAINER_MOUNTS", "/lustre:/lustre"},
      {"TAO_SLURM_WORK_DIR", "~/tao"},
      {"TAO_SLURM_NODE_PORTS", "31000-31100"},
      {"UNRELATED", "x"},
  });
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->login.host, "login1.example.com");  // first of the list
  EXPECT_EQ(s->login.user, "alice");
  EXPECT_EQ(s->login.key_path, "/keys/id_ed25519");
  EXPECT_EQ(s->login.port, 2222);
  EXPECT_EQ(s->login.known_hosts, "/keys/known_hosts");
  EXPECT_EQ(EffectiveTunnelHost(*s), "login1.example.com");
  EXPECT_EQ(s->partition, "polar,polar3");
  EXPECT_EQ(s->account, "tao");
  EXPECT_EQ(s->time_limit, "1-00:00:00");
  EXPECT_EQ(s->cpus_per_task, 8);
  EXPECT_FALSE(s->request_gpus);
  EXPECT_EQ(s->runtime, ContainerRuntime::kDocker);
  EXPECT_EQ(s->container_mounts, "/lustre:/lustre");
  EXPECT_EQ(s->work_dir, "~/tao");
  EXPECT_EQ(s->node_port_min, 31000);
  EXPECT_EQ(s->node_port_max, 31100);
}

struct BadEnvCase {
  const char* name;
  const char* value;
};

TEST(SlurmSettingsTest, BadEnvironmentNamesTheVariable) {
  const BadEnvCase cases[] = {
      {"TAO_SLURM_CPUS_PER_TASK", "many"}, {"TAO_SLURM_CPUS_PER_TASK", "0"},
      {"TAO_SLURM_RUNTIME", "podman"},     {"TAO_SLURM_GRES", "tpu"},
      {"SLURM_SSH_PORT", "70000"},         {"TAO_SLURM_WORK_DIR", "rel/dir"},
      {"TAO_SLURM_NODE_PORTS", "9-5"},     {"SLURM_HOSTNAME", "-oProxy=x"},
      {"SLURM_PARTITION", "a b"},
  };
  for (const BadEnvCase& c : cases) {
    absl::StatusOr<SlurmSettings> s =
        SettingsFromEnvironment({{c.name, c.value}});
    ASSERT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name << "=" << c.value;
    EXPECT_THAT(std::string(s.status().message()), HasSubstr(c.name));
  }
}

TEST(SlurmSettingsTest, OptionsOverrideDefaultsIncludingAliases) {
  SlurmSettings s;
  ASSERT_TRUE(ApplyOptions({{"partition", "debug"},
                            {"account", "acct"},
                            {"time_limit", "00:30:00"},
                            {"cpus", "2"},
                            {"runtime", "none"},
                            {"container_mounts", "/a:/b"},
                            {"login_host", "login"},
                            {"ssh_user", "bob"},
                            {"ssh_key", "/k"},
                            {"ssh_port", "22"},
                            {"known_hosts", "/kh"},
                            {"tunnel_host", "gateway"},
                            {"gres", "none"},
                            {"path_prepend", "/opt/bin"},
                            {"work_dir", "/scratch/tao"}},
                           s)
                  .ok());
  EXPECT_EQ(s.partition, "debug");
  EXPECT_EQ(s.account, "acct");
  EXPECT_EQ(s.time_limit, "00:30:00");
  EXPECT_EQ(s.cpus_per_task, 2);
  EXPECT_EQ(s.runtime, ContainerRuntime::kNone);
  EXPECT_EQ(s.container_mounts, "/a:/b");
  EXPECT_EQ(s.login.host, "login");
  EXPECT_EQ(s.login.user, "bob");
  EXPECT_EQ(s.login.key_path, "/k");
  EXPECT_EQ(s.login.port, 22);
  EXPECT_EQ(s.login.known_hosts, "/kh");
  EXPECT_EQ(EffectiveTunnelHost(s), "gateway");
  EXPECT_FALSE(s.request_gpus);
  EXPECT_EQ(s.path_prepend, "/opt/bin");
  EXPECT_EQ(s.work_dir, "/scratch/tao");

  // The API's own key names (launch_options.cc) work as well.
  ASSERT_TRUE(ApplyOptions({{"cpus_per_task", "4"},
                            {"container_runtime", "pyxis"},
                            {"user", "carol"}},
                           s)
                  .ok());
  EXPECT_EQ(s.cpus_per_task, 4);
  EXPECT_EQ(s.runtime, ContainerRuntime::kPyxis);
  EXPECT_EQ(s.login.user, "carol");
}

TEST(SlurmSettingsTest, EmptyOptionKeepsDefault) {
  SlurmSettings s;
  s.partition = "server-default";
  ASSERT_TRUE(ApplyOptions({{"partition", ""}}, s).ok());
  EXPECT_EQ(s.partition, "server-default");
}

struct BadOptionCase {
  const char* key;
  const char* value;
};

TEST(SlurmSettingsTest, BadOptionsNameTheOption) {
  const BadOptionCase cases[] = {
      {"partition", "debug\n#SBATCH --x"},
      {"account", "a;b"},
      {"time_limit", "soon"},
      {"cpus_per_task", "-1"},
      {"container_runtime", "k8s"},
      {"ssh_port", "0"},
      {"login_host", "host name"},
      {"user", "-oX"},
      {"work_dir", "~other/x"},
      {"nonsense", "1"},
  };
  for (const BadOptionCase& c : cases) {
    SlurmSettings s;
    absl::Status status = ApplyOptions({{c.key, c.value}}, s);
    ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << c.key << "=" << c.value;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.key));
  }
}

TEST(SlurmSettingsTest, AccessRoundTripsThroughAttributes) {
  SlurmSettings s;
  s.login = {"login", "alice", "/k", 2222, "/kh", ""};
  std::map<std::string, std::string> attributes;
  StoreAccess(s, attributes);
  SshTarget login = LoginFromAttributes(attributes);
  EXPECT_EQ(login.host, "login");
  EXPECT_EQ(login.user, "alice");
  EXPECT_EQ(login.key_path, "/k");
  EXPECT_EQ(login.port, 2222);
  EXPECT_EQ(login.known_hosts, "/kh");
  SshTarget tunnel = TunnelFromAttributes(attributes);
  EXPECT_EQ(tunnel.host, "login");
  EXPECT_EQ(tunnel.user, "alice");

  SlurmSettings local;
  std::map<std::string, std::string> local_attributes;
  StoreAccess(local, local_attributes);
  EXPECT_TRUE(LoginFromAttributes(local_attributes).host.empty());
  EXPECT_EQ(TunnelFromAttributes(local_attributes).host, "127.0.0.1");
}

}  // namespace
}  // namespace tao::platforms::slurm
