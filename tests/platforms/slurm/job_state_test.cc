#include "platforms/slurm/job_state.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::slurm {
namespace {

using ::testing::HasSubstr;

// Captured from `scontrol show job -o 1` (slurm-wlm 22.05) after scancel.
constexpr char kCancelledJob[] =
    "JobId=1 JobName=t.sh UserId=root(0) GroupId=root(0) MCS_label=N/A "
    "Priority=4294901759 Nice=0 Account=(null) QOS=(null) "
    "JobState=CANCELLED Reason=None Dependency=(null) Requeue=1 Restarts=0 "
    "BatchFlag=1 Reboot=0 ExitCode=0:15 RunTime=00:00:02 TimeLimit=UNLIMITED "
    "TimeMin=N/A Partition=debug AllocNode:Sid=localhost:11030 "
    "ReqNodeList=(null) ExcNodeList=(null) NodeList=tao-node1 "
    "BatchHost=tao-node1 NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 "
    "Command=/tmp/t.sh WorkDir=/tmp StdErr=/tmp/t.out StdIn=/dev/null "
    "StdOut=/tmp/t.out Power= TresPerNode=gres:gpu:1\n";

constexpr char kPendingJob[] =
    "JobId=7 JobName=tao-x JobState=PENDING Reason=PartitionDown "
    "ExitCode=0:0 NodeList=(null) BatchHost=(null)\n";

TEST(JobStateTest, ParsesScontrolLine) {
  absl::StatusOr<JobInfo> job = ParseScontrolJob(kCancelledJob);
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ(job->job_id, "1");
  EXPECT_EQ(job->state, "CANCELLED");
  EXPECT_EQ(job->reason, "");
  EXPECT_EQ(job->node_list, "tao-node1");
  EXPECT_EQ(job->exit_code, "0:15");

  job = ParseScontrolJob(kPendingJob);
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ(job->state, "PENDING");
  EXPECT_EQ(job->reason, "PartitionDown");
  EXPECT_EQ(job->node_list, "");
}

TEST(JobStateTest, ScontrolWithoutStateIsAnError) {
  EXPECT_EQ(ParseScontrolJob("slurm_load_jobs error: x").status().code(),
            absl::StatusCode::kInternal);
}

TEST(JobStateTest, ParsesSacctLine) {
  std::optional<JobInfo> job =
      ParseSacct("12|CANCELLED by 1001|0:15|tao-node1|None\n");
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->job_id, "12");
  EXPECT_EQ(job->state, "CANCELLED");
  EXPECT_EQ(job->cancelled_by, "1001");
  EXPECT_EQ(job->exit_code, "0:15");
  EXPECT_EQ(job->node_list, "tao-node1");
  EXPECT_EQ(job->reason, "");
  EXPECT_THAT(DescribeJob(*job), HasSubstr("CANCELLED (by uid 1001"));

  EXPECT_FALSE(ParseSacct("").has_value());
}

TEST(JobStateTest, ParsesSqueueLines) {
  std::vector<QueuedJob> jobs = ParseSqueue(
      "12|tao-abc|RUNNING|tao-node1|/w/"
      "abc|tao-inference;server=s;arch=cosmos-rl"
      "\n"
      "13|tao-def|PENDING||/w/def|(null)\n"
      "14|theirs|RUNNING|n2|/home/x|a|comment|with|bars\n"
      "squeue: warning: something\n");
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].job_id, "12");
  EXPECT_EQ(jobs[0].name, "tao-abc");
  EXPECT_EQ(jobs[0].state, "RUNNING");
  EXPECT_EQ(jobs[0].node_list, "tao-node1");
  EXPECT_EQ(jobs[0].work_dir, "/w/abc");
  EXPECT_EQ(jobs[0].comment, "tao-inference;server=s;arch=cosmos-rl");
  EXPECT_EQ(jobs[1].node_list, "");
  EXPECT_EQ(jobs[1].comment, "");
  EXPECT_EQ(jobs[2].comment, "a|comment|with|bars");
  EXPECT_TRUE(ParseSqueue("").empty());
}

TEST(JobStateTest, NodeAddress) {
  absl::StatusOr<std::string> addr = ParseNodeAddress(
      "NodeName=tao-node1 Arch=x86_64 NodeAddr=127.0.0.1 "
      "NodeHostName=localhost State=IDLE\n");
  ASSERT_TRUE(addr.ok());
  EXPECT_EQ(*addr, "127.0.0.1");
  addr = ParseNodeAddress("NodeName=n1 State=IDLE");
  ASSERT_TRUE(addr.ok());
  EXPECT_EQ(*addr, "n1");
  EXPECT_FALSE(ParseNodeAddress("nothing").ok());
}

struct PhaseCase {
  const char* state;
  JobPhase phase;
  RuntimeState::Phase runtime;
};

TEST(JobStateTest, StatesMapToPhases) {
  using P = RuntimeState::Phase;
  const PhaseCase cases[] = {
      {"PENDING", JobPhase::kPending, P::kPending},
      {"CONFIGURING", JobPhase::kPending, P::kPending},
      {"REQUEUED", JobPhase::kPending, P::kPending},
      {"SUSPENDED", JobPhase::kPending, P::kPending},
      {"RUNNING", JobPhase::kRunning, P::kRunning},
      {"COMPLETING", JobPhase::kEnded, P::kExited},
      {"COMPLETED", JobPhase::kEnded, P::kExited},
      {"CANCELLED", JobPhase::kEnded, P::kExited},
      {"FAILED", JobPhase::kEnded, P::kExited},
      {"TIMEOUT", JobPhase::kEnded, P::kExited},
      {"NODE_FAIL", JobPhase::kEnded, P::kExited},
      {"OUT_OF_MEMORY", JobPhase::kEnded, P::kExited},
      {"PREEMPTED", JobPhase::kEnded, P::kExited},
      {"BOOT_FAIL", JobPhase::kEnded, P::kExited},
      {"DEADLINE", JobPhase::kEnded, P::kExited},
  };
  for (const PhaseCase& c : cases) {
    EXPECT_EQ(PhaseOf(c.state), c.phase) << c.state;
    JobInfo job;
    job.state = c.state;
    EXPECT_EQ(ToRuntimeState(job).phase, c.runtime) << c.state;
  }
}

struct ExitCase {
  const char* exit_code;
  bool known;
  int code;
};

TEST(JobStateTest, ExitCodeOfEndedJob) {
  const ExitCase cases[] = {
      {"0:0", true, 0},    {"3:0", true, 3},
      {"0:15", true, 143},  // killed by SIGTERM
      {"0:9", true, 137},  {"", false, 0},
  };
  for (const ExitCase& c : cases) {
    JobInfo job;
    job.job_id = "5";
    job.state = "FAILED";
    job.exit_code = c.exit_code;
    RuntimeState state = ToRuntimeState(job);
    EXPECT_EQ(state.has_exit_code, c.known) << c.exit_code;
    if (c.known) {
      EXPECT_EQ(state.exit_code, c.code) << c.exit_code;
    }
  }
}

TEST(JobStateTest, DetailCarriesStateReasonAndExitCode) {
  JobInfo job;
  job.job_id = "12";
  job.state = "FAILED";
  job.reason = "NonZeroExitCode";
  job.exit_code = "1:0";
  job.node_list = "tao-node1";
  EXPECT_EQ(ToRuntimeState(job).detail,
            "SLURM job 12 is FAILED (reason NonZeroExitCode, exit code 1:0, "
            "node tao-node1)");
  job.state = "PENDING";
  job.reason = "Resources";
  job.node_list.clear();
  EXPECT_EQ(DescribeJob(job), "SLURM job 12 is PENDING (reason Resources)");
}

struct EndedCase {
  const char* state;
  absl::StatusCode code;
};

TEST(JobStateTest, EndedBeforeRunningCodes) {
  const EndedCase cases[] = {
      {"FAILED", absl::StatusCode::kFailedPrecondition},
      {"CANCELLED", absl::StatusCode::kFailedPrecondition},
      {"TIMEOUT", absl::StatusCode::kFailedPrecondition},
      {"COMPLETED", absl::StatusCode::kFailedPrecondition},
      {"OUT_OF_MEMORY", absl::StatusCode::kResourceExhausted},
      {"NODE_FAIL", absl::StatusCode::kUnavailable},
  };
  for (const EndedCase& c : cases) {
    JobInfo job;
    job.job_id = "9";
    job.state = c.state;
    absl::Status status = EndedBeforeRunning(job, "last line");
    EXPECT_EQ(status.code(), c.code) << c.state;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.state));
    EXPECT_THAT(std::string(status.message()), HasSubstr("last line"));
  }
}

}  // namespace
}  // namespace tao::platforms::slurm
