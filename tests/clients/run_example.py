#!/usr/bin/python3
"""Builds one generated client and runs its walkthrough example against a
live tao-inferd-test (tao-inferd with the test platform, and the
reference backend).

    run_example.py --client python|go|node --source-dir REPO \
        --inferd PATH --reference-backend PATH

Like tests/integration/server_harness.cc: a private temp folder, a block of
service ports locked against other tests, the port read from the server's
"tao-inferd listening on port N" line (examples start once the log says
health is SERVING), and at the end the server and every
process whose working folder is under the temp folder are killed.
"""

import argparse
import fcntl
import os
import re
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

PORT_BLOCK = 16  # the harness's block size, so both lock the same files
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db400000000"
    "49454e44ae426082")


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
            return True
        except OSError:
            return False


def claim_port_block():
    """(first port, open lock file) of a free block no other test holds."""
    os.makedirs("/tmp/tao-test-ports", mode=0o777, exist_ok=True)
    for _ in range(1200):
        base = 20000 + PORT_BLOCK * random.randrange(600)
        lock = open(f"/tmp/tao-test-ports/{base}", "a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        if all(port_free(p) for p in range(base, base + PORT_BLOCK)):
            return base, lock
        lock.close()
    sys.exit("run_example: no free port block")


def kill_processes_under(folder: str) -> None:
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cwd = os.readlink(f"/proc/{entry}/cwd")
        except OSError:
            continue
        if cwd == folder or cwd.startswith(folder + "/"):
            try:
                os.kill(int(entry), signal.SIGKILL)
            except OSError:
                pass


def wait_for_port(server: subprocess.Popen, log_path: str) -> int:
    """The server's port, once it listens and its health says SERVING (the
    startup check of the registry runs first; the examples check health)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with open(log_path, errors="replace") as log:
            text = log.read()
        match = re.search(r"tao-inferd listening on port (\d+) ", text)
        if match and "registry checked; health SERVING" in text:
            return int(match.group(1))
        if server.poll() is not None:
            break
        time.sleep(0.05)
    with open(log_path, errors="replace") as log:
        sys.exit(f"run_example: tao-inferd did not listen:\n{log.read()}")


def example_command(client: str, source: str):
    folder = os.path.join(source, "client", client)
    if client == "python":
        return ["/usr/bin/python3", os.path.join(folder, "examples",
                                                 "walkthrough.py")]
    if client == "go":
        return [os.path.join(folder, "bin", "walkthrough")]
    return ["node", os.path.join(folder, "dist", "examples", "walkthrough.js")]


def run(args, work: str, first_port: int) -> int:
    log_path = os.path.join(work, "server.log")
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [args.inferd, "--listen=127.0.0.1:0",
             f"--state-file={work}/state.json",
             f"--config-dir={args.source_dir}/config",
             f"--test-platform-root={work}/services",
             f"--reference-backend={args.reference_backend}",
             f"--service-ports={first_port}-{first_port + PORT_BLOCK - 1}",
             "--shutdown-grace-seconds=5"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=work)
    code = 1
    try:
        port = wait_for_port(server, log_path)
        image = os.path.join(work, "photo.png")
        with open(image, "wb") as file:
            file.write(TINY_PNG)
        video = os.path.join(work, "generated.mp4")
        env = dict(os.environ,
                   PYTHONPATH=os.path.join(args.source_dir, "client", "python"),
                   TAO_INFER_SERVER="127.0.0.1:1")  # must be overridden
        command = example_command(args.client, args.source_dir) + [
            "--server", f"127.0.0.1:{port}", "--platform", "test",
            "--image", image, "--video-out", video,
            # +load-ms-500: the model "loads" for a while, so progress shows.
            "--rl-model", "/models/anything+load-ms-500",
            "--predict-model", "hf_model://nvidia/Cosmos-Predict2.5-2B",
            "--predict-key", "base-2b"]
        print("run_example:", " ".join(command), flush=True)
        try:
            code = subprocess.run(command, env=env, timeout=args.timeout,
                                  stdin=subprocess.DEVNULL).returncode
        except subprocess.TimeoutExpired:
            print(f"run_example: the example ran over {args.timeout}s")
            code = 1
        if code == 0:
            with open(video, "rb") as file:
                head = file.read(8)
            if head[4:8] != b"ftyp":
                print(f"run_example: {video} is not an MP4 ({head!r})")
                code = 1
        return code
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        kill_processes_under(work)
        if code != 0:
            with open(log_path, errors="replace") as log:
                print("---- tao-inferd log ----\n" + log.read())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", required=True,
                        choices=["python", "go", "node"])
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--inferd", required=True)
    parser.add_argument("--reference-backend", required=True)
    parser.add_argument("--timeout", type=float, default=150)
    parser.add_argument("--no-build", action="store_true",
                        help="run the example as last built")
    args = parser.parse_args()
    args.source_dir = os.path.abspath(args.source_dir)

    if not args.no_build:
        build = subprocess.run(
            [os.path.join(args.source_dir, "client", "build-all"),
             args.client], stdin=subprocess.DEVNULL)
        if build.returncode != 0:
            sys.exit(f"run_example: building the {args.client} client failed")

    first_port, lock = claim_port_block()
    work = tempfile.mkdtemp(prefix=f"tao-client-{args.client}-")
    try:
        code = run(args, work, first_port)
    finally:
        kill_processes_under(work)
        lock.close()
        if "TAO_KEEP_TEST_DIRS" not in os.environ:
            shutil.rmtree(work, ignore_errors=True)
    print(f"run_example: {args.client} {'passed' if code == 0 else 'FAILED'}")
    sys.exit(code)


if __name__ == "__main__":
    main()
