// The fake's pieces in-process: pflag's parsing and refusals, the
// container names exec commands give, the status clock, the ssh Host block
// and the state's JSON.
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/brev/brev_flags.h"
#include "tests/fakes/brev/container_names.h"
#include "tests/fakes/brev/instance_clock.h"
#include "tests/fakes/brev/instance_machine.h"
#include "tests/fakes/brev/instance_state.h"
#include "tests/fakes/brev/ssh_files.h"

namespace tao::fakes::brev {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<FlagSpec> kSpecs = {
    {"type", 't', FlagType::kString, "", "types"},
    {"detached", 'd', FlagType::kBool, "false", "detach"},
    {"count", 'c', FlagType::kInt, "1", "count"},
    {"timeout", 0, FlagType::kInt, "300", "timeout"}};

TEST(BrevFlagsTest, ReadsLongShortBundledAndInterleavedFlags) {
  absl::StatusOr<ParsedFlags> parsed = ParseFlags(
      {"a", "--type=g5.xlarge", "-dc", "3", "b", "--timeout", "9"}, kSpecs);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Get("type"), "g5.xlarge");
  EXPECT_TRUE(parsed->Bool("detached"));
  EXPECT_EQ(parsed->Int("count"), 3);
  EXPECT_EQ(parsed->Int("timeout"), 9);
  EXPECT_THAT(parsed->args(), ElementsAre("a", "b"));
}

TEST(BrevFlagsTest, DefaultsAndDoubleDash) {
  absl::StatusOr<ParsedFlags> parsed =
      ParseFlags({"-tg6e.xlarge", "inst", "--", "docker", "--type"}, kSpecs);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Get("type"), "g6e.xlarge");
  EXPECT_EQ(parsed->Int("timeout"), 300);
  EXPECT_FALSE(parsed->IsSet("timeout"));
  // The [K] trap: after `--` every word is an argument.
  EXPECT_THAT(parsed->args(), ElementsAre("inst", "docker", "--type"));
}

TEST(BrevFlagsTest, RefusesAsPflagDoes) {
  EXPECT_EQ(ParseFlags({"--gpu", "L40S:1"}, kSpecs).status().message(),
            "unknown flag: --gpu");
  EXPECT_EQ(ParseFlags({"--cloud-cred-id=x"}, kSpecs).status().message(),
            "unknown flag: --cloud-cred-id");
  EXPECT_EQ(ParseFlags({"-dx"}, kSpecs).status().message(),
            "unknown shorthand flag: 'x' in -dx");
  EXPECT_EQ(ParseFlags({"--type"}, kSpecs).status().message(),
            "flag needs an argument: --type");
  EXPECT_EQ(ParseFlags({"-t"}, kSpecs).status().message(),
            "flag needs an argument: 't' in -t");
  EXPECT_EQ(ParseFlags({"--count", "two"}, kSpecs).status().message(),
            "invalid argument \"two\" for \"-c, --count\" flag: "
            "strconv.ParseInt: parsing \"two\": invalid syntax");
}

TEST(BrevFlagsTest, HelpListsTheFlags) {
  const std::string help = HelpText("create NAME", "Create.", kSpecs);
  EXPECT_THAT(help, HasSubstr("  -t, --type string"));
  EXPECT_THAT(help, HasSubstr("      --timeout int"));
  EXPECT_THAT(help, HasSubstr("(default 300)"));
  EXPECT_THAT(help, HasSubstr("-h, --help"));
}

TEST(ContainerNamesTest, FindsDockerNames) {
  EXPECT_THAT(ContainerNamesIn("docker rm -f old; docker run -d --name "
                               "tao-1 -p 8080:8080 img && docker run "
                               "--name='tao-2' img; docker run --name=tao-1"),
              ElementsAre("tao-1", "tao-2"));
  EXPECT_THAT(ContainerNamesIn("echo --name"), ElementsAre());
  EXPECT_THAT(ContainerNamesIn("run --name $(x)"), ElementsAre());
}

TEST(InstanceClockTest, TransitionsHappenWhenDue) {
  State state;
  Instance instance;
  instance.name = "a";
  Schedule(instance, "DEPLOYING", "RUNNING", absl::Milliseconds(100), 1000);
  state.instances.push_back(instance);
  AdvanceClock(state, 1099);
  EXPECT_EQ(state.instances[0].status, "DEPLOYING");
  EXPECT_EQ(state.instances[0].build_status, "PENDING");
  EXPECT_EQ(ShellStatus(state.instances[0]), "NOT READY");
  AdvanceClock(state, 1100);
  EXPECT_EQ(state.instances[0].status, "RUNNING");
  EXPECT_EQ(ShellStatus(state.instances[0]), "READY");
  state.instances[0].health_status = "UNHEALTHY";
  EXPECT_EQ(DisplayStatus(state.instances[0]), "UNHEALTHY");
  Schedule(state.instances[0], "DELETING", kGone, absl::Milliseconds(5), 2000);
  AdvanceClock(state, 2005);
  EXPECT_TRUE(state.instances.empty());
}

TEST(StateJsonTest, RoundTrips) {
  State state;
  state.token_expired = true;
  Instance instance;
  instance.name = "a";
  instance.containers = {"c1"};
  instance.port_forwards.push_back({123, 456, 8000, 8080, "a"});
  instance.transition = Transition{"RUNNING", 42};
  state.instances.push_back(instance);
  absl::StatusOr<State> back = StateFromJson(ToJson(state));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->token_expired);
  ASSERT_EQ(back->instances.size(), 1u);
  EXPECT_THAT(back->instances[0].containers, ElementsAre("c1"));
  EXPECT_EQ(back->instances[0].port_forwards[0].start_ticks, 456u);
  EXPECT_EQ(back->instances[0].transition->at_ms, 42);
  EXPECT_FALSE(StateFromJson(nlohmann::json::array()).ok());
}

TEST(SshFilesTest, HostBlockFollowsTheV3TemplateWithAbsolutePaths) {
  SshdBacking sshd{"127.0.0.1", 22220, "taoslurm", "/k"};
  const std::string block = HostBlock("tao-a", "/h", sshd, "127.9.8.7");
  EXPECT_THAT(block, HasSubstr("Host tao-a\n  Hostname 127.0.0.1\n"
                               "  IdentityFile \"/h/.brev/brev.pem\"\n"
                               "  User taoslurm\n"));
  EXPECT_THAT(block, HasSubstr("  ControlMaster auto\n"
                               "  ControlPath /h/.ssh/brev-control-%n\n"
                               "  ControlPersist 10m\n  Port 22220\n"
                               "  SetEnv FAKE_BREV_LOOPBACK=127.9.8.7\n"));
  EXPECT_THAT(block, Not(HasSubstr("~")));
}

TEST(InstanceMachineTest, EachInstanceHasALoopbackOfItsOwn) {
  const std::string a = InstanceLoopback("abc123def");
  EXPECT_EQ(a, InstanceLoopback("abc123def"));
  EXPECT_NE(a, InstanceLoopback("abc123deg"));
  EXPECT_THAT(a, ::testing::StartsWith("127."));
  EXPECT_THAT(a, Not(::testing::StartsWith("127.0.0.")));
}

}  // namespace
}  // namespace tao::fakes::brev
