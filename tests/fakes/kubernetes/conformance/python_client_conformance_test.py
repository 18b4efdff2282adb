"""fake-kube-apiserver against Debian's python3-kubernetes (22.6), with
strict client-side validation, so that any missing required field in what
the fake returns raises (reference section 3).

usage: python_client_conformance_test.py --fake BIN --make-certs SCRIPT
Run with /usr/bin/python3. A missing python3-kubernetes skips (exit 77)
unless TAO_REQUIRE_KUBE_CLIENTS=1.
"""

import argparse
import base64
import json
import os
import sys
import threading
import unittest

import fake_harness

ARGS = None
k8s = None  # kubernetes.client, imported in main()
ApiException = None

JOB = {
    "apiVersion": "batch/v1", "kind": "Job",
    "metadata": {"name": "pj", "labels": {"app": "tao"}},
    "spec": {"backoffLimit": 0, "template": {"spec": {
        "restartPolicy": "Never",
        "containers": [{
            "name": "main", "image": "busybox:1.36",
            "command": ["/bin/bash", "-c", "serve"],
            "env": [{"name": "A", "value": "1"}],
            "envFrom": [{"secretRef": {"name": "pj-env"}}],
            "resources": {"limits": {"nvidia.com/gpu": 1}},
            "volumeMounts": [{"name": "shm", "mountPath": "/dev/shm"}]}],
        "volumes": [{"name": "shm", "emptyDir": {"medium": "Memory"}}],
        "imagePullSecrets": [{"name": "regcred"}]}}},
}

SUBDOMAIN_RULE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
    "characters, '-' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")

# Every pod state the driver must map (reference section 5), as scripts.
POD_SCRIPTS = {
    "creating": {},
    "unschedulable": {"unschedulable":
                      "0/1 nodes are available: 1 Insufficient nvidia.com/gpu."},
    "pull-backoff": {"waiting": {"reason": "ImagePullBackOff",
                                 "message": 'Back-off pulling image "x"'}},
    "config-error": {"waiting": {"reason": "CreateContainerConfigError",
                                 "message": 'secret "x" not found'}},
    "running": {"phase": "Running"},
    "ready": {"phase": "Running", "ready": True},
    "crash-loop": {"phase": "Running", "restartCount": 3,
                   "waiting": {"reason": "CrashLoopBackOff",
                               "message": "back-off 40s restarting"}},
    "oom": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}},
    "succeeded": {"phase": "Succeeded"},
}


class PythonClientConformance(unittest.TestCase):

    def setUp(self):
        self.server = fake_harness.FakeServer(ARGS.fake, ARGS.make_certs)
        self.addCleanup(self.server.stop)
        self.api_client = self.client()
        self.batch = k8s.BatchV1Api(self.api_client)
        self.core = k8s.CoreV1Api(self.api_client)

    def client(self, token=fake_harness.TOKEN, client_cert=False,
               scheme="Bearer"):
        config = k8s.Configuration()
        config.host = self.server.url
        config.ssl_ca_cert = f"{self.server.certs}/ca.crt"
        config.client_side_validation = True
        if token is not None:
            config.api_key = {"authorization": f"{scheme} {token}"}
        if client_cert:
            config.cert_file = f"{self.server.certs}/client.crt"
            config.key_file = f"{self.server.certs}/client.key"
        api_client = k8s.ApiClient(config)
        # Close the pooled connections too (ApiClient.close() leaves them),
        # so the server stops at once.
        self.addCleanup(api_client.rest_client.pool_manager.clear)
        self.addCleanup(api_client.close)
        return api_client

    def api_error(self, call, *args, **kwargs):
        with self.assertRaises(ApiException) as caught:
            call(*args, **kwargs)
        return caught.exception.status, json.loads(caught.exception.body)

    def create_job(self, name="pj"):
        # The Secret its envFrom names: without it the kubelet would wait
        # in CreateContainerConfigError instead of ContainerCreating.
        try:
            self.core.create_namespaced_secret("default", {
                "metadata": {"name": "pj-env"}, "stringData": {"K": "v"}})
        except ApiException as e:
            if e.status != 409:
                raise
        body = json.loads(json.dumps(JOB))
        body["metadata"]["name"] = name
        return self.batch.create_namespaced_job("default", body)

    # --- Jobs ----------------------------------------------------------

    def test_create_and_read_job(self):
        job = self.create_job()
        self.assertEqual(job.kind, "Job")
        self.assertEqual(job.spec.backoff_limit, 0)
        self.assertEqual(job.spec.completions, 1)
        self.assertEqual(job.spec.parallelism, 1)
        self.assertEqual(job.spec.completion_mode, "NonIndexed")
        uid = job.metadata.uid
        self.assertEqual(job.spec.selector.match_labels,
                         {"batch.kubernetes.io/controller-uid": uid})
        self.assertEqual(job.spec.template.metadata.labels,
                         {"batch.kubernetes.io/controller-uid": uid,
                          "batch.kubernetes.io/job-name": "pj",
                          "controller-uid": uid, "job-name": "pj"})
        self.assertEqual(job.metadata.generation, 1)
        self.assertEqual(job.metadata.managed_fields[0].manager,
                         "OpenAPI-Generator")
        post = [r for r in self.server.requests() if r["method"] == "POST"][0]
        self.assertEqual(post["query"], "")  # no fieldManager/fieldValidation
        self.assertEqual(post["content_type"], "application/json")
        container = self.batch.read_namespaced_job(
            "pj", "default").spec.template.spec.containers[0]
        self.assertEqual(container.command, ["/bin/bash", "-c", "serve"])
        self.assertEqual(container.env_from[0].secret_ref.name, "pj-env")
        self.assertEqual(container.resources.limits, {"nvidia.com/gpu": "1"})
        status = self.batch.read_namespaced_job_status("pj", "default").status
        self.assertEqual(status.active, 1)
        self.assertEqual(status.uncounted_terminated_pods.to_dict(),
                         {"failed": None, "succeeded": None})
        self.assertTrue(any(r["path"].endswith("/jobs/pj/status")
                            for r in self.server.requests()))

    def test_errors_are_real_status_bodies(self):
        self.create_job()
        self.assertEqual(self.api_error(self.create_job), (409, {
            "kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure", "message": 'jobs.batch "pj" already exists',
            "reason": "AlreadyExists",
            "details": {"name": "pj", "group": "batch", "kind": "jobs"},
            "code": 409}))
        self.assertEqual(
            self.api_error(self.batch.read_namespaced_job, "nope", "default"),
            (404, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                   "status": "Failure",
                   "message": 'jobs.batch "nope" not found',
                   "reason": "NotFound",
                   "details": {"name": "nope", "group": "batch",
                               "kind": "jobs"},
                   "code": 404}))
        cause = f'Invalid value: "Bad_Name": {SUBDOMAIN_RULE}'
        self.assertEqual(self.api_error(self.create_job, "Bad_Name"), (422, {
            "kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure",
            "message": f'Job.batch "Bad_Name" is invalid: metadata.name: '
                       f'{cause}',
            "reason": "Invalid",
            "details": {"name": "Bad_Name", "group": "batch", "kind": "Job",
                        "causes": [{"reason": "FieldValueInvalid",
                                    "message": cause,
                                    "field": "metadata.name"}]},
            "code": 422}))
        status, body = self.api_error(self.core.read_namespaced_service,
                                      "nope", "default")
        self.assertEqual((status, body["message"], body["details"]),
                         (404, 'services "nope" not found',
                          {"name": "nope", "group": "", "kind": "services"}))

    def test_long_job_name_fails_through_the_pod_label(self):
        name = "j" * 64
        status, body = self.api_error(self.create_job, name)
        self.assertEqual(status, 422)
        self.assertEqual(
            body["message"],
            f'Job.batch "{name}" is invalid: spec.template.labels: Invalid '
            f'value: "{name}": must be no more than 63 characters')

    def test_every_scripted_pod_state_deserializes(self):
        for case, script in POD_SCRIPTS.items():
            with self.subTest(case=case):
                job_name = f"pj-{case}"
                self.create_job(job_name)
                if script:
                    self.server.script_job_pod(job_name, script)
                pods = self.core.list_namespaced_pod(
                    "default", label_selector=f"job-name={job_name}")
                self.assertEqual(len(pods.items), 1)
                pod = pods.items[0]
                self.assertEqual(pod.metadata.owner_references[0].kind, "Job")
                self.assertTrue(pod.metadata.owner_references[0].controller)
                self.assertEqual(pod.metadata.generate_name, f"{job_name}-")
                job = self.batch.read_namespaced_job_status(job_name,
                                                            "default")
                self.check_state(case, pod, job)

    def check_state(self, case, pod, job):
        status = pod.status
        cs = (status.container_statuses or [None])[0]
        if case == "unschedulable":
            self.assertEqual(status.phase, "Pending")
            self.assertIsNone(status.container_statuses)
            self.assertEqual(
                (status.conditions[0].type, status.conditions[0].status,
                 status.conditions[0].reason),
                ("PodScheduled", "False", "Unschedulable"))
        elif case in ("creating", "pull-backoff", "config-error"):
            self.assertEqual(status.phase, "Pending")
            self.assertEqual(cs.state.waiting.reason, {
                "creating": "ContainerCreating",
                "pull-backoff": "ImagePullBackOff",
                "config-error": "CreateContainerConfigError"}[case])
            self.assertEqual(job.status.active, 1)
        elif case in ("running", "ready"):
            self.assertEqual(status.phase, "Running")
            self.assertIsNotNone(cs.state.running.started_at)
            self.assertEqual(cs.ready, case == "ready")
            # V1JobStatus of 22.6 has no "ready" (newer than the client);
            # read it from the raw body.
            raw = json.loads(self.batch.read_namespaced_job_status(
                job.metadata.name, "default", _preload_content=False).data)
            self.assertEqual(raw["status"]["ready"],
                             1 if case == "ready" else 0)
            self.assertIsNotNone(status.pod_ip)
        elif case == "crash-loop":
            self.assertEqual(status.phase, "Running")
            self.assertEqual(cs.state.waiting.reason, "CrashLoopBackOff")
            self.assertEqual(cs.restart_count, 3)
        elif case == "oom":
            self.assertEqual(status.phase, "Failed")
            self.assertEqual((cs.state.terminated.exit_code,
                              cs.state.terminated.reason), (137, "OOMKilled"))
            self.assertEqual(job.status.failed, 1)
            self.assertEqual(
                [(c.type, c.reason) for c in job.status.conditions],
                [("FailureTarget", "BackoffLimitExceeded"),
                 ("Failed", "BackoffLimitExceeded")])
            self.assertIsNone(job.status.completion_time)
        elif case == "succeeded":
            self.assertEqual(status.phase, "Succeeded")
            self.assertEqual((cs.state.terminated.exit_code,
                              cs.state.terminated.reason), (0, "Completed"))
            self.assertEqual(job.status.succeeded, 1)
            self.assertEqual(
                [(c.type, c.reason) for c in job.status.conditions],
                [("SuccessCriteriaMet", "CompletionsReached"),
                 ("Complete", "CompletionsReached")])
            self.assertIsNotNone(job.status.completion_time)
        else:
            self.fail(f"no check for {case}")

    def test_pod_log_bytes(self):
        self.create_job()
        pod = self.server.job_pod("pj")
        status, body = self.api_error(self.core.read_namespaced_pod_log, pod,
                                      "default", container="main")
        self.assertEqual((status, body["message"]), (
            400, f'container "main" in pod "{pod}" is waiting to start: '
                 f'ContainerCreating'))
        # One JSON value: the preloaded form would come back as a Python
        # repr (kubernetes-client/python #811), so read the raw bytes.
        self.server.script_job_pod("pj", {"phase": "Running",
                                          "logs": '{"a": 1}'})
        response = self.core.read_namespaced_pod_log(
            pod, "default", container="main", _preload_content=False)
        self.assertEqual(response.data, b'{"a": 1}')
        self.assertEqual(self.server.requests()[-1]["query"], "container=main")

    def test_delete_foreground_without_body(self):
        self.create_job()
        pod = self.server.job_pod("pj")
        self.server.clear_requests()
        result = self.batch.delete_namespaced_job(
            "pj", "default", propagation_policy="Foreground")
        self.assertIsInstance(result, k8s.V1Status)
        request = self.server.requests()[0]
        self.assertEqual((request["method"], request["query"],
                          request["body"]),
                         ("DELETE", "propagationPolicy=Foreground", ""))
        fake_harness.wait_until(lambda: self.missing_job("pj"),
                                "the foreground delete to finish")
        status, _ = self.api_error(self.core.read_namespaced_pod, pod,
                                   "default")
        self.assertEqual(status, 404)

    def missing_job(self, name):
        try:
            self.batch.read_namespaced_job(name, "default")
            return False
        except ApiException as e:
            return e.status == 404

    def test_delete_body_wins_over_query(self):
        self.create_job()
        # Query says Orphan, body says Background: the body counts
        # (handlers/delete.go), so the Job goes at once with its pod.
        result = self.batch.delete_namespaced_job(
            "pj", "default", propagation_policy="Orphan",
            body=k8s.V1DeleteOptions(propagation_policy="Background"))
        self.assertEqual(result.status, "Success")
        self.assertEqual(result.details.kind, "jobs")
        self.assertTrue(self.missing_job("pj"))
        self.assertEqual(self.core.list_namespaced_pod(
            "default", label_selector="job-name=pj").items, [])

    def test_delete_without_policy_orphans_and_warns(self):
        self.create_job()
        pod = self.server.job_pod("pj")
        _, _, headers = self.batch.delete_namespaced_job_with_http_info(
            "pj", "default")
        self.assertIn("child pods are preserved by default",
                      headers.get("Warning", ""))
        fake_harness.wait_until(lambda: self.missing_job("pj"),
                                "the orphan delete to finish")
        kept = self.core.read_namespaced_pod(pod, "default")
        self.assertIsNone(kept.metadata.owner_references)

    def test_watch_streams_pod_events(self):
        self.create_job()
        pods = self.core.list_namespaced_pod("default",
                                             label_selector="job-name=pj")
        self.server.script_job_pod("pj", {"phase": "Running", "ready": True})
        from kubernetes import watch
        events = list(watch.Watch().stream(
            self.core.list_namespaced_pod, "default",
            label_selector="job-name=pj",
            resource_version=pods.metadata.resource_version,
            timeout_seconds=1))
        self.assertEqual([e["type"] for e in events], ["MODIFIED"])
        self.assertEqual(events[0]["object"].status.phase, "Running")

    # --- Services and Secrets ------------------------------------------

    def test_service_and_secret(self):
        service = self.core.create_namespaced_service("default", {
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "pj"},
            "spec": {"type": "NodePort", "selector": {"job-name": "pj"},
                     "ports": [{"port": 8080}]}})
        port = service.spec.ports[0]
        self.assertEqual((port.protocol, port.target_port), ("TCP", 8080))
        self.assertTrue(30000 <= port.node_port <= 32767)
        self.assertEqual(service.spec.cluster_ip, service.spec.cluster_i_ps[0])
        status, body = self.api_error(
            self.core.create_namespaced_service, "default", {
                "metadata": {"name": "other"},
                "spec": {"type": "NodePort",
                         "ports": [{"port": 80, "nodePort": 8080}]}})
        self.assertEqual(
            (status, body["message"]),
            (422, 'Service "other" is invalid: spec.ports[0].nodePort: '
                  'Invalid value: 8080: provided port is not in the valid '
                  'range. The range of valid ports is 30000-32767'))
        self.core.delete_namespaced_service("pj", "default")
        status, _ = self.api_error(self.core.read_namespaced_service, "pj",
                                   "default")
        self.assertEqual(status, 404)

        secret = self.core.create_namespaced_secret("default", {
            "metadata": {"name": "pj-env"},
            "stringData": {"HF_TOKEN": "hf_secret"}})
        self.assertEqual(secret.type, "Opaque")
        self.assertIsNone(secret.string_data)
        read = self.core.read_namespaced_secret("pj-env", "default")
        self.assertEqual(base64.b64decode(read.data["HF_TOKEN"]),
                         b"hf_secret")
        result = self.core.delete_namespaced_secret("pj-env", "default")
        self.assertEqual((result.status, result.details.kind),
                         ("Success", "secrets"))

    def test_load_balancer_ingress(self):
        self.core.create_namespaced_service("default", {
            "metadata": {"name": "lb"},
            "spec": {"type": "LoadBalancer", "ports": [{"port": 8080}]}})
        self.assertEqual(self.core.read_namespaced_service(
            "lb", "default").status.load_balancer.ingress, None)
        self.server.control("POST", "/_fake/services/default/lb/ingress",
                            {"hostname": "lb.example.com",
                             "ports": [{"port": 8080, "protocol": "TCP"}]})
        ingress = self.core.read_namespaced_service(
            "lb", "default").status.load_balancer.ingress[0]
        self.assertEqual((ingress.hostname, ingress.ip),
                         ("lb.example.com", None))
        self.assertEqual(ingress.ports[0].port, 8080)

    # --- Auth ----------------------------------------------------------

    def test_bearer_scheme_is_case_insensitive(self):
        core = k8s.CoreV1Api(self.client(scheme="bearer"))
        self.assertEqual(
            core.read_namespace("ns1").status.phase, "Active")

    def test_wrong_or_missing_token_is_401(self):
        for token in ("wrong", None):
            core = k8s.CoreV1Api(self.client(token=token))
            self.assertEqual(
                self.api_error(core.list_namespaced_pod, "default"),
                (401, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                       "status": "Failure", "message": "Unauthorized",
                       "reason": "Unauthorized", "code": 401}))

    def test_token_is_sent_over_plain_http(self):
        # Unlike kubectl, the python client sends its token to http:// too.
        server = fake_harness.FakeServer(ARGS.fake, ARGS.make_certs,
                                         tls=False)
        self.addCleanup(server.stop)
        config = k8s.Configuration()
        config.host = server.url
        config.api_key = {"authorization": f"Bearer {fake_harness.TOKEN}"}
        api_client = k8s.ApiClient(config)
        self.addCleanup(api_client.rest_client.pool_manager.clear)
        self.addCleanup(api_client.close)
        self.assertEqual(k8s.CoreV1Api(api_client).list_namespaced_secret(
            "default").items, [])
        self.assertTrue(server.requests()[-1]["authorization"])

    def test_client_certificate(self):
        core = k8s.CoreV1Api(self.client(token=None, client_cert=True))
        self.assertEqual(core.list_namespaced_pod("default").items, [])
        self.assertFalse(self.server.requests()[-1]["authorization"])

    def test_injected_429_is_retried_after_retry_after(self):
        # urllib3 retries a 429 that carries Retry-After (1 s here).
        self.server.fault(method="GET", path=".*/pods", code=429)
        self.server.clear_requests()
        self.assertEqual(self.core.list_namespaced_pod("default").items, [])
        self.assertEqual([r["path"] for r in self.server.requests()],
                         ["/api/v1/namespaces/default/pods"] * 2)

    def test_injected_500_and_delay(self):
        self.server.fault(method="POST", path=".*/jobs", code=500,
                          message="etcdserver: request timed out")
        status, body = self.api_error(self.create_job)
        self.assertEqual((status, body["reason"], body["message"]), (
            500, "InternalError",
            "Internal error occurred: etcdserver: request timed out"))
        self.server.fault(method="GET", path=".*/pods", delay_ms=10)
        self.assertEqual(self.core.list_namespaced_pod("default").items, [])


def main():
    global ARGS, k8s, ApiException
    parser = argparse.ArgumentParser()
    parser.add_argument("--fake", required=True)
    parser.add_argument("--make-certs", required=True)
    ARGS, rest = parser.parse_known_args()
    try:
        import kubernetes.client
        from kubernetes.client.rest import ApiException as api_exception
    except ImportError:
        message = ("python3-kubernetes is not installed for "
                   f"{sys.executable}; run scripts/setup-kubernetes-clients")
        if os.environ.get("TAO_REQUIRE_KUBE_CLIENTS") == "1":
            print("FAIL: " + message, file=sys.stderr)
            return 1
        print("SKIP: " + message, file=sys.stderr)
        return 77
    k8s = kubernetes.client
    ApiException = api_exception
    try:
        program = unittest.main(argv=[sys.argv[0], *rest], exit=False,
                                verbosity=2)
    finally:
        fake_harness.cleanup_certs()
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
