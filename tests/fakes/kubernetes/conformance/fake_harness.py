"""Starts fake-kube-apiserver for one test and talks to its control path.

Each FakeServer gets its own directory (HOME, kubectl --cache-dir,
kubeconfigs, manifests); the process is stopped by its PID. The CA and the
certificates (make-test-certs) are made once per test process.
"""

import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

TOKEN = "fake-token-0123456789"
USER = "alice"

_certs_dir = None


def certs(make_certs_script):
    """A throwaway CA, server and client certificates, made once."""
    global _certs_dir
    if _certs_dir is None:
        _certs_dir = tempfile.mkdtemp(prefix="kube-fake-certs-")
        subprocess.run([make_certs_script, _certs_dir], check=True)
    return _certs_dir


def cleanup_certs():
    global _certs_dir
    if _certs_dir is not None:
        shutil.rmtree(_certs_dir, ignore_errors=True)
        _certs_dir = None


class FakeServer:
    """One fake-kube-apiserver process over HTTPS with token and client-cert
    auth, plus a scratch directory for the clients that talk to it."""

    def __init__(self, binary, make_certs_script, namespaces="default,ns1",
                 tls=True):
        self.certs = certs(make_certs_script)
        self.dir = tempfile.mkdtemp(prefix="kube-fake-")
        self.home = os.path.join(self.dir, "home")
        os.makedirs(self.home)
        token_file = os.path.join(self.dir, "tokens")
        with open(token_file, "w") as f:
            f.write(f"{TOKEN},{USER}\n")
        port_file = os.path.join(self.dir, "port")
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        command = [binary, "--listen=127.0.0.1:0", f"--port-file={port_file}",
                   f"--namespaces={namespaces}"]
        if tls:
            # Plain HTTP mode has no auth at all: kubectl would not send
            # credentials over http:// anyway.
            command += [f"--tls-cert={self.certs}/server.crt",
                        f"--tls-key={self.certs}/server.key",
                        f"--client-ca={self.certs}/ca.crt",
                        f"--token-file={token_file}"]
        self.process = subprocess.Popen(command, stdout=self.log,
                                        stderr=self.log)
        deadline = time.monotonic() + 10
        while not os.path.exists(port_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    "fake-kube-apiserver did not start; see its log in "
                    + self.dir)
            time.sleep(0.01)
        with open(port_file) as f:
            self.port = int(f.read())
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._ssl = ssl.create_default_context(cafile=f"{self.certs}/ca.crt")

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def kubeconfig(self, name="kubeconfig", token=TOKEN, client_cert=False,
                   namespace=""):
        """A kubeconfig for this server: a token user, a client-cert user,
        or (token=None, client_cert=False) no credentials."""
        user = {}
        if token is not None:
            user["token"] = token
        if client_cert:
            user["client-certificate"] = f"{self.certs}/client.crt"
            user["client-key"] = f"{self.certs}/client.key"
        context = {"cluster": "fake", "user": "u"}
        cluster = {"server": self.url}
        if self.url.startswith("https:"):
            cluster["certificate-authority"] = f"{self.certs}/ca.crt"
        if namespace:
            context["namespace"] = namespace
        config = {
            "apiVersion": "v1", "kind": "Config",
            "clusters": [{"name": "fake", "cluster": cluster}],
            "users": [{"name": "u", "user": user}],
            "contexts": [{"name": "ctx", "context": context}],
            "current-context": "ctx",
        }
        # JSON is YAML; both clients read it.
        return self.write(name, json.dumps(config))

    def control(self, method, path, body=None):
        """Calls a path (the control path /_fake/..., or an API path
        without credentials); returns (status, parsed JSON)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data,
                                         method=method)
        try:
            context = self._ssl if self.url.startswith("https:") else None
            with urllib.request.urlopen(request, context=context,
                                        timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def job_pod(self, job, namespace="default"):
        status, body = self.control("GET",
                                    f"/_fake/jobs/{namespace}/{job}/pod")
        if status != 200:
            raise AssertionError(f"job {job} has no pod: {body}")
        return body["pod"]

    def script_job_pod(self, job, script, namespace="default"):
        status, body = self.control(
            "POST", f"/_fake/jobs/{namespace}/{job}/pod", script)
        if status != 200:
            raise AssertionError(f"scripting job {job}'s pod failed: {body}")
        return body["pod"]

    def requests(self):
        return self.control("GET", "/_fake/requests")[1]

    def clear_requests(self):
        self.control("DELETE", "/_fake/requests")

    def fault(self, **spec):
        status, body = self.control("POST", "/_fake/faults", spec)
        if status != 200:
            raise AssertionError(f"adding fault {spec} failed: {body}")


def wait_until(predicate, what, timeout=5.0):
    """Polls predicate (state changes of the fake's garbage collector)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")
