"""fake-kube-apiserver against a real kubectl: exact outputs as the
reference (/work/shared/reference/k8s-fake-fidelity.md, sections 2 and 4)
says a real server produces them. Every version validates with its default
--validate: 1.29+ through the fake's OpenAPI v3, 1.27/1.28 through its
OpenAPI v2 (openapi_v2.h), 1.20 client-side against an empty v2 schema.

usage: kubectl_conformance_test.py --fake BIN --make-certs SCRIPT
           --kubectl PATH|debian --version 1.NN [unittest args]
("debian": Debian's kubectl as scripts/setup-kubernetes-clients unpacks it.)
A missing kubectl skips (exit 77) unless TAO_REQUIRE_KUBE_CLIENTS=1.
"""

import argparse
import json
import os
import subprocess
import sys
import unittest

import fake_harness

ARGS = None

JOB_YAML = """apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
spec:
  backoffLimit: 0
{extra}  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.36
        command: ["sh", "-c", "echo hi"]
        resources:
          limits:
            nvidia.com/gpu: 1
"""

SERVICE_YAML = """apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  type: LoadBalancer
  selector:
    job-name: tj1
  ports:
  - port: 8080
"""

SECRET_YAML = """apiVersion: v1
kind: Secret
metadata:
  name: s1
data:
  HF_TOKEN: YWJj
stringData:
  OTHER: xyz
"""

SUBDOMAIN_RULE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
    "characters, '-' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
DNS1035_RULE = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or "
    "'-', start with an alphabetic character, and end with an alphanumeric "
    "character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
    "'[a-z]([-a-z0-9]*[a-z0-9])?')")


def minor():
    return int(ARGS.version.split(".")[1])


class KubectlConformance(unittest.TestCase):

    def setUp(self):
        self.server = fake_harness.FakeServer(ARGS.fake, ARGS.make_certs)
        self.addCleanup(self.server.stop)
        self.config = self.server.kubeconfig()

    # --- helpers -----------------------------------------------------

    def kubectl(self, *args, config=None, check=None):
        """Runs kubectl with this test's HOME, cache dir and kubeconfig;
        returns (exit code, stdout, stderr)."""
        env = {"HOME": self.server.home, "PATH": "/usr/bin:/bin"}
        command = [ARGS.kubectl, f"--kubeconfig={config or self.config}",
                   f"--cache-dir={self.server.path('cache')}", *args]
        # stdin closed: without credentials kubectl would prompt on it.
        result = subprocess.run(command, cwd=self.server.dir, env=env,
                                stdin=subprocess.DEVNULL, capture_output=True,
                                text=True, timeout=60)
        if check is not None:
            self.assertEqual(result.returncode, check,
                             f"{command}: {result.stdout}{result.stderr}")
        return result.returncode, result.stdout, result.stderr

    def create_job(self, name="tj1", extra=""):
        self.server.write(f"{name}.yaml", JOB_YAML.format(name=name,
                                                          extra=extra))
        return self.kubectl("create", "-f", f"{name}.yaml")

    # --- Jobs ----------------------------------------------------------

    def test_create_job(self):
        code, out, err = self.create_job()
        self.assertEqual((code, out, err), (0, "job.batch/tj1 created\n", ""))
        posts = [r for r in self.server.requests() if r["method"] == "POST"]
        self.assertEqual(len(posts), 1)
        self.assertEqual(posts[0]["path"],
                         "/apis/batch/v1/namespaces/default/jobs")
        if minor() >= 25:
            self.assertIn("fieldValidation=Strict", posts[0]["query"])
            self.assertIn("fieldManager=kubectl-create", posts[0]["query"])
        body = json.loads(posts[0]["body"])
        self.assertEqual(body["spec"]["backoffLimit"], 0)

    def test_create_duplicate_is_already_exists(self):
        self.create_job()
        code, out, err = self.create_job()
        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertEqual(
            err, 'Error from server (AlreadyExists): error when creating '
                 '"tj1.yaml": jobs.batch "tj1" already exists\n')

    def test_bad_name_is_invalid(self):
        code, out, err = self.create_job(name="Bad_Name")
        self.assertEqual(code, 1)
        self.assertEqual(
            err, 'The Job "Bad_Name" is invalid: metadata.name: Invalid '
                 f'value: "Bad_Name": {SUBDOMAIN_RULE}\n')

    def test_unknown_field(self):
        code, out, err = self.create_job(extra="  foo: 1\n")
        if minor() >= 25:
            # --validate=strict (the default) sends fieldValidation=Strict.
            self.assertEqual(code, 1)
            self.assertEqual(
                err, 'Error from server (BadRequest): error when creating '
                     '"tj1.yaml": Job in version "v1" cannot be handled as a '
                     'Job: strict decoding error: unknown field "spec.foo"\n')
        else:
            # No fieldValidation: the server warns and creates.
            self.assertEqual(code, 0, err)
            self.assertEqual(out, "job.batch/tj1 created\n")
            self.assertEqual(err, 'Warning: unknown field "spec.foo"\n')

    def test_get_job_status_through_outputs(self):
        self.create_job()
        pod = self.server.script_job_pod("tj1", {"phase": "Running",
                                                 "ready": True})
        code, out, _ = self.kubectl("get", "job", "tj1", "-o", "json",
                                    check=0)
        job = json.loads(out)
        self.assertEqual(job["kind"], "Job")
        self.assertEqual(job["status"]["active"], 1)
        self.assertEqual(job["status"]["ready"], 1)
        uid = job["metadata"]["uid"]
        self.assertEqual(job["spec"]["selector"],
                         {"matchLabels": {
                             "batch.kubernetes.io/controller-uid": uid}})
        self.assertEqual(
            job["spec"]["template"]["spec"]["containers"][0]["resources"],
            {"limits": {"nvidia.com/gpu": "1"}})
        self.kubectl("get", "pods", "-l", "job-name=tj1", "-o", "name",
                     check=0)
        self.server.script_job_pod("tj1", {"phase": "Succeeded"})
        _, out, _ = self.kubectl(
            "get", "job", "tj1", "-o",
            "jsonpath={.status.conditions[0].type} "
            "{.status.conditions[0].reason} {.status.conditions[1].type} "
            "{.status.succeeded}", check=0)
        self.assertEqual(out, "SuccessCriteriaMet CompletionsReached "
                              "Complete 1")
        _, out, _ = self.kubectl("get", "pod", pod, "-o",
                                 "jsonpath={.status.phase} {.status."
                                 "containerStatuses[0].state.terminated."
                                 "reason}", check=0)
        self.assertEqual(out, "Succeeded Completed")

    def test_failed_job_conditions(self):
        self.create_job()
        self.server.script_job_pod(
            "tj1", {"terminated": {"exitCode": 137, "reason": "OOMKilled"}})
        _, out, _ = self.kubectl(
            "get", "job", "tj1", "-o",
            "jsonpath={.status.conditions[*].type} "
            "{.status.conditions[1].reason} {.status.failed}", check=0)
        self.assertEqual(out, "FailureTarget Failed BackoffLimitExceeded 1")

    def test_get_pods_by_job_label(self):
        self.create_job()
        pod = self.server.job_pod("tj1")
        self.assertRegex(pod, r"^tj1-[bcdfghjklmnpqrstvwxz2456789]{5}$")
        code, out, err = self.kubectl("get", "pods", "-l", "job-name=tj1",
                                      "-o", "name")
        self.assertEqual((code, out, err), (0, f"pod/{pod}\n", ""))
        _, out, _ = self.kubectl("get", "pods", "-l", "job-name=other",
                                 "-o", "name", check=0)
        self.assertEqual(out, "")
        # Plain output asks for a Table; the fake answers the object and
        # kubectl falls back to NAME/AGE columns (reference section 2).
        _, out, _ = self.kubectl("get", "pods", "-l", "job-name=tj1",
                                 check=0)
        lines = out.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "AGE"])
        self.assertEqual(lines[1].split()[0], pod)

    def test_logs_job(self):
        self.create_job()
        pod = self.server.job_pod("tj1")
        code, out, err = self.kubectl("logs", "job/tj1")
        self.assertEqual(code, 1)
        self.assertEqual(
            err, f'Error from server (BadRequest): container "main" in pod '
                 f'"{pod}" is waiting to start: ContainerCreating\n')
        self.server.script_job_pod("tj1", {"phase": "Running",
                                           "logs": "line 1\nline 2\n"})
        code, out, err = self.kubectl("logs", "job/tj1")
        self.assertEqual((code, out, err), (0, "line 1\nline 2\n", ""))
        code, out, err = self.kubectl("logs", "job/tj1", "--tail=1")
        self.assertEqual((code, out, err), (0, "line 2\n", ""))
        log_gets = [r for r in self.server.requests()
                    if r["path"].endswith("/log")]
        self.assertEqual(log_gets[-2]["path"],
                         f"/api/v1/namespaces/default/pods/{pod}/log")
        if minor() >= 27:
            self.assertEqual(log_gets[-2]["query"], "container=main")

    def test_delete_job_foreground_then_not_found(self):
        self.create_job()
        pod = self.server.job_pod("tj1")
        code, out, err = self.kubectl("delete", "job", "tj1",
                                      "--cascade=foreground")
        self.assertEqual((code, out, err), (0, 'job.batch "tj1" deleted\n', ""))
        deletes = [r for r in self.server.requests()
                   if r["method"] == "DELETE"]
        self.assertEqual(json.loads(deletes[0]["body"]),
                         {"propagationPolicy": "Foreground"})
        code, out, err = self.kubectl("get", "job", "tj1")
        self.assertEqual(code, 1)
        self.assertEqual(
            err, 'Error from server (NotFound): jobs.batch "tj1" not found\n')
        code, out, err = self.kubectl("get", "pod", pod)
        self.assertEqual(
            err, f'Error from server (NotFound): pods "{pod}" not found\n')

    def test_delete_job_default_is_background(self):
        self.create_job()
        pod = self.server.job_pod("tj1")
        code, out, err = self.kubectl("delete", "job", "tj1")
        self.assertEqual((code, out, err), (0, 'job.batch "tj1" deleted\n', ""))
        deletes = [r for r in self.server.requests()
                   if r["method"] == "DELETE"]
        self.assertEqual(json.loads(deletes[0]["body"]),
                         {"propagationPolicy": "Background"})
        code, _, err = self.kubectl("get", "pod", pod)
        self.assertEqual(
            err, f'Error from server (NotFound): pods "{pod}" not found\n')

    def test_wait_for_complete(self):
        self.create_job()
        self.server.script_job_pod("tj1", {"phase": "Succeeded"})
        code, out, err = self.kubectl("wait", "--for=condition=complete",
                                      "job/tj1", "--timeout=10s")
        self.assertEqual((code, out, err),
                         (0, "job.batch/tj1 condition met\n", ""))

    def test_delete_missing_job(self):
        code, out, err = self.kubectl("delete", "job", "nope")
        self.assertEqual(code, 1)
        self.assertEqual(
            err, 'Error from server (NotFound): jobs.batch "nope" not found\n')

    def test_namespace_from_context(self):
        config = self.server.kubeconfig("ns1-config", namespace="ns1")
        self.server.write("tj1.yaml", JOB_YAML.format(name="tj1", extra=""))
        self.kubectl("create", "-f", "tj1.yaml", config=config,
                     check=0)
        self.server.job_pod("tj1", namespace="ns1")
        code, _, err = self.kubectl("get", "job", "tj1")  # default namespace
        self.assertEqual(
            err, 'Error from server (NotFound): jobs.batch "tj1" not found\n')
        _, out, _ = self.kubectl("get", "job", "tj1", "-o",
                                 "jsonpath={.metadata.namespace}",
                                 config=config, check=0)
        self.assertEqual(out, "ns1")
        pod = self.server.job_pod("tj1", namespace="ns1")
        _, out, _ = self.kubectl("get", "pods", "--all-namespaces", "-o",
                                 "name", check=0)
        self.assertEqual(out, f"pod/{pod}\n")

    # --- Services and Secrets ------------------------------------------

    def test_service_create_get_delete(self):
        self.server.write("svc.yaml", SERVICE_YAML.format(name="svc1"))
        code, out, err = self.kubectl("create", "-f", "svc.yaml")
        self.assertEqual((code, out, err), (0, "service/svc1 created\n", ""))
        _, out, _ = self.kubectl(
            "get", "svc", "svc1", "-o",
            "jsonpath={.spec.type} {.spec.ports[0].protocol} "
            "{.spec.ports[0].targetPort} {.status.loadBalancer}", check=0)
        self.assertEqual(out, "LoadBalancer TCP 8080 {}")
        _, out, _ = self.kubectl("get", "svc", "svc1", "-o",
                                 "jsonpath={.spec.ports[0].nodePort}",
                                 check=0)
        self.assertTrue(30000 <= int(out) <= 32767, out)
        status, _ = self.server.control(
            "POST", "/_fake/services/default/svc1/ingress",
            {"ip": "203.0.113.7"})
        self.assertEqual(status, 200)
        _, out, _ = self.kubectl(
            "get", "service", "svc1", "-o",
            "jsonpath={.status.loadBalancer.ingress[0].ip}", check=0)
        self.assertEqual(out, "203.0.113.7")
        code, out, err = self.kubectl("delete", "service", "svc1")
        self.assertEqual((code, out, err), (0, 'service "svc1" deleted\n', ""))
        code, out, err = self.kubectl("get", "service", "svc1")
        self.assertEqual(
            err, 'Error from server (NotFound): services "svc1" not found\n')

    def test_service_bad_name(self):
        self.server.write("svc.yaml", SERVICE_YAML.format(name="Bad_Svc"))
        code, out, err = self.kubectl("create", "-f", "svc.yaml")
        self.assertEqual(code, 1)
        self.assertEqual(
            err, 'The Service "Bad_Svc" is invalid: metadata.name: Invalid '
                 f'value: "Bad_Svc": {DNS1035_RULE}\n')

    def test_secret_create_get_delete(self):
        # From a manifest: "kubectl create secret generic" posts protobuf,
        # which the fake does not decode (README.md).
        self.server.write("secret.yaml", SECRET_YAML)
        code, out, err = self.kubectl("create", "-f", "secret.yaml")
        self.assertEqual((code, out, err), (0, "secret/s1 created\n", ""))
        _, out, _ = self.kubectl(
            "get", "secret", "s1", "-o",
            "jsonpath={.type} {.data.HF_TOKEN} {.data.OTHER} {.stringData}",
            check=0)
        self.assertEqual(out, "Opaque YWJj eHl6 ")
        code, out, err = self.kubectl("create", "-f", "secret.yaml")
        self.assertEqual(code, 1)
        self.assertEqual(
            err, 'Error from server (AlreadyExists): error when creating '
                 '"secret.yaml": secrets "s1" already exists\n')
        code, out, err = self.kubectl("delete", "secret", "s1")
        self.assertEqual((code, out, err), (0, 'secret "s1" deleted\n', ""))
        code, out, err = self.kubectl("get", "secret", "s1")
        self.assertEqual(
            err, 'Error from server (NotFound): secrets "s1" not found\n')

    # --- Auth and injected errors --------------------------------------

    def test_wrong_token_is_unauthorized(self):
        config = self.server.kubeconfig("wrong-config", token="not-the-token")
        code, out, err = self.kubectl("get", "job", "tj1", config=config)
        self.assertEqual(code, 1)
        last = err.splitlines()[-1]
        if minor() >= 27:
            self.assertIn("couldn't get current server API group list: the "
                          "server has asked for the client to provide "
                          "credentials", err)
            self.assertEqual(last, "error: You must be logged in to the "
                                   "server (the server has asked for the "
                                   "client to provide credentials)")
        else:
            self.assertEqual(last, "error: You must be logged in to the "
                                   "server (Unauthorized)")
        self.assertTrue(all(r["authorization"]
                            for r in self.server.requests()))

    def test_no_credentials_is_unauthorized(self):
        # kubectl without credentials prompts for a password instead of
        # asking, so this one is a plain HTTPS request.
        status, body = self.server.control("GET", "/api/v1/namespaces")
        self.assertEqual(status, 401)
        self.assertEqual(body, {"kind": "Status", "apiVersion": "v1",
                                "metadata": {}, "status": "Failure",
                                "message": "Unauthorized",
                                "reason": "Unauthorized", "code": 401})

    def test_no_token_over_plain_http(self):
        # "only try to read the auth information if we are secure"
        # (clientcmd/client_config.go): over http:// kubectl sends no token.
        server = fake_harness.FakeServer(ARGS.fake, ARGS.make_certs,
                                         tls=False)
        self.addCleanup(server.stop)
        config = server.kubeconfig("http-config")
        self.assertIn('"token"', open(config).read())
        code, out, err = self.kubectl("get", "pods", "-o", "name",
                                      config=config)
        self.assertEqual((code, out, err), (0, "", ""))
        requests = server.requests()
        self.assertTrue(requests)
        self.assertFalse(any(r["authorization"] for r in requests))

    def test_client_certificate(self):
        config = self.server.kubeconfig("mtls-config", token=None,
                                        client_cert=True)
        self.server.write("tj1.yaml", JOB_YAML.format(name="tj1", extra=""))
        code, out, err = self.kubectl("create", "-f", "tj1.yaml",
                                      config=config)
        self.assertEqual((code, out, err), (0, "job.batch/tj1 created\n", ""))
        self.assertFalse(any(r["authorization"]
                             for r in self.server.requests()))

    def test_injected_forbidden_and_internal_error(self):
        self.create_job()
        self.server.fault(method="GET",
                          path="/apis/batch/v1/namespaces/default/jobs/tj1",
                          code=403)
        code, out, err = self.kubectl("get", "job", "tj1", "-o", "name")
        self.assertEqual(code, 1)
        self.assertEqual(
            err, 'Error from server (Forbidden): jobs.batch "tj1" is '
                 'forbidden: User "system:serviceaccount:default:default" '
                 'cannot get resource "jobs" in API group "batch" in the '
                 'namespace "default"\n')
        self.server.fault(method="GET", path=".*/jobs/tj1", code=500,
                          message="etcd is down")
        code, out, err = self.kubectl("get", "job", "tj1", "-o", "name")
        self.assertEqual(code, 1)
        self.assertEqual(err, "Error from server (InternalError): Internal "
                              "error occurred: etcd is down\n")
        code, out, err = self.kubectl("get", "job", "tj1", "-o", "name")
        self.assertEqual((code, out), (0, "job.batch/tj1\n"))


def debian_kubectl():
    """Where scripts/setup-kubernetes-clients unpacks Debian's kubectl."""
    cache = os.environ.get("XDG_CACHE_HOME",
                           os.path.join(os.path.expanduser("~"), ".cache"))
    root = os.environ.get(
        "TAO_KUBE_CLIENTS_DIR",
        os.path.join(cache, "tao-inference", "kubernetes-client"))
    return os.path.join(root, "usr", "bin", "kubectl")


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--fake", required=True)
    parser.add_argument("--make-certs", required=True)
    parser.add_argument("--kubectl", required=True)
    parser.add_argument("--version", required=True)
    ARGS, rest = parser.parse_known_args()
    if ARGS.kubectl == "debian":
        ARGS.kubectl = debian_kubectl()
    if not os.access(ARGS.kubectl, os.X_OK):
        message = (f"kubectl {ARGS.version} is not at {ARGS.kubectl}; "
                   "run scripts/setup-kubernetes-clients (1.20) or use an "
                   "image with the Cloud SDK's kubectl.1.NN")
        if os.environ.get("TAO_REQUIRE_KUBE_CLIENTS") == "1":
            print("FAIL: " + message, file=sys.stderr)
            return 1
        print("SKIP: " + message, file=sys.stderr)
        return 77
    try:
        program = unittest.main(argv=[sys.argv[0], *rest], exit=False,
                                verbosity=2)
    finally:
        fake_harness.cleanup_certs()
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
