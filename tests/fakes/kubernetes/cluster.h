// The fake cluster's state and behaviour behind the HTTP routes: the object
// store, create/get/list/delete with the apiserver's defaults, validation
// and errors, the Job controller, the garbage collector and the pod runner
// seam. Thread-safe (one lock); routes translate HTTP to these calls.
#ifndef TAO_TESTS_FAKES_KUBERNETES_CLUSTER_H_
#define TAO_TESTS_FAKES_KUBERNETES_CLUSTER_H_

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/common/tcp_forwarder.h"
#include "tests/fakes/kubernetes/object_store.h"
#include "tests/fakes/kubernetes/pod_runner.h"
#include "tests/fakes/kubernetes/resources.h"
#include "tests/fakes/kubernetes/selectors.h"
#include "tests/fakes/kubernetes/status.h"

namespace tao::fakes::kubernetes {

// One API answer: a JSON body, or raw text (logs).
struct Answer {
  int code = 200;
  nlohmann::json body;
  std::string text;  // sent as text/plain when body is null
  std::vector<std::pair<std::string, std::string>> headers;
};
Answer FromError(const ApiError& error);
Answer JsonAnswer(int code, nlohmann::json body);

class ServiceNetwork;

class Cluster : public PodStatusSink {
 public:
  struct Options {
    std::vector<std::string> namespaces = {"default"};
    PodRunner* runner = nullptr;  // not owned; must outlive the cluster
    // Not owned; null: Services are objects only (no node ports, no load
    // balancer addresses unless the control path sets them).
    ServiceNetwork* network = nullptr;
    // The apiserver's --service-node-port-range (tests that open node ports
    // on this machine move it away from ports other tests use).
    int node_port_min = 30000;
    int node_port_max = 32767;
    // How long a foreground/orphan delete keeps the object (with
    // deletionTimestamp) before the garbage collector finishes it.
    absl::Duration gc_delay = absl::Milliseconds(200);
  };
  explicit Cluster(Options options);
  ~Cluster() override;
  // Wakes and ends every watch and stops the garbage collector; call before
  // stopping the HTTP server so that it need not wait for open watches.
  void Shutdown();
  bool stopping() const;

  // field_validation: "Strict", "Warn", "Ignore" or "" (Warn);
  // manager: the managedFields manager.
  Answer Create(const ResourceInfo& info, const std::string& ns,
                nlohmann::json body, const std::string& field_validation,
                const std::string& manager);
  // subresource "" or "status" (same object).
  Answer Get(const ResourceInfo& info, const std::string& ns,
             const std::string& name);
  // ns "" lists all namespaces.
  Answer List(const ResourceInfo& info, const std::string& ns,
              const LabelSelector& labels, const FieldSelector& fields);
  // options: the DeleteOptions (body first, query only when no body;
  // handlers/delete.go).
  Answer Delete(const ResourceInfo& info, const std::string& ns,
                const std::string& name, const nlohmann::json& options);
  // tail_lines: the last N lines only (-1: all); follow is not modelled
  // (the text so far is returned and the stream ends).
  Answer Logs(const std::string& ns, const std::string& pod,
              const std::string& container, int64_t tail_lines = -1);

  // Watches: the current objects as ADDED events (for a watch from "0" or
  // no resourceVersion), and new events after `after` (waits until at
  // least one event or the deadline).
  std::vector<WatchEvent> CurrentAsAdded(const ResourceInfo& info,
                                         const std::string& ns,
                                         int64_t* resource_version);
  std::vector<WatchEvent> WaitEvents(int64_t after, absl::Time deadline);

  // Control path.
  absl::Status ScriptPod(const std::string& ns, const std::string& name,
                         const nlohmann::json& script);
  // The name of the Job's newest pod.
  absl::StatusOr<std::string> JobPodName(const std::string& ns,
                                         const std::string& job);
  // ingress: {"ip":..} or {"hostname":..}, optional "ports".
  absl::Status SetLoadBalancerIngress(const std::string& ns,
                                      const std::string& name,
                                      const nlohmann::json& ingress);

  void ReportPodState(const std::string& ns, const std::string& name,
                      const PodState& state) override;

  // Where a connection to port `port_index` of Service `ns`/`name` goes:
  // the address of a Running, Ready pod it selects and the port's
  // targetPort (a number, or a container port's name).
  // Which of Service `ns`/`name`'s ports `port` is (its number or name;
  // "" with a single port). NOT_FOUND without the Service,
  // FAILED_PRECONDITION when no port matches.
  absl::StatusOr<size_t> ServicePortIndex(const std::string& ns,
                                          const std::string& name,
                                          const std::string& port) const;
  std::optional<TcpBackend> ServiceEndpoint(const std::string& ns,
                                            const std::string& name,
                                            size_t port_index) const;

 private:
  struct GcTask {
    absl::Time when;
    std::string resource, ns, name;
  };

  bool NamespaceExists(const std::string& ns) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Recomputes a Job's status; returns a pod to start, if one was made.
  std::vector<nlohmann::json> ReconcileJobLocked(const std::string& ns,
                                                 const std::string& name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::vector<nlohmann::json> OwnedPods(const std::string& ns,
                                        const std::string& uid) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Removes a pod; returns it. Its owner Job is reconciled.
  nlohmann::json RemovePodLocked(const std::string& ns, const std::string& name,
                                 std::vector<nlohmann::json>* to_start)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishDeleteLocked(const GcTask& task, std::vector<std::string>* stopped)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void GcLoop();
  void StartPods(const std::vector<nlohmann::json>& pods);
  std::string NewUid() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string RandomSuffix() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  mutable absl::Mutex mu_;
  ObjectStore store_ ABSL_GUARDED_BY(mu_);
  std::deque<GcTask> gc_ ABSL_GUARDED_BY(mu_);
  std::set<int> node_ports_ ABSL_GUARDED_BY(mu_);
  int next_cluster_ip_ ABSL_GUARDED_BY(mu_) = 10;
  uint64_t random_state_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread gc_thread_;
};

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_CLUSTER_H_
