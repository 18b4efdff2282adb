#!/usr/bin/python3
"""Walks through the tao-inferd API with the Python client.

Reads what each architecture accepts, starts a cosmos-rl service, waits
for it (printing progress), asks it about an image, starts
cosmos-predict2.5 and writes the video it generates, lists and stops
everything, and shows how an ambiguous target is refused with the
candidates to choose from. Each step checks what came back and exits 1 when
it is not what the API promises, so CI runs this file as a test.

    PYTHONPATH=client/python /usr/bin/python3 \
        client/python/examples/walkthrough.py --server 127.0.0.1:50051 \
        --image photo.png --video-out out.mp4
"""

import argparse
import os
import sys

from taoinference import Client, TaoError, pb


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"walkthrough: FAILED: {what}")


def print_progress(event: "pb.WaitReadyEvent") -> None:
    print(f"  {pb.ServiceState.Name(event.state)} {pb.Phase.Name(event.phase)}"
          f" {event.reason} {event.message}".rstrip())


def start_and_wait(client: Client, args, arch: str, model: str,
                   key: str = "") -> "pb.Service":
    service = client.start(arch, model, platform=args.platform, model_key=key)
    print(f"started {arch} {service.job_id}, waiting")
    ready = client.wait(service.job_id, timeout=120, on_progress=print_progress)
    check(ready.state == pb.SERVICE_STATE_READY, f"{arch} is not READY")
    return service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get(
        "TAO_INFER_SERVER", "127.0.0.1:50051"))
    parser.add_argument("--token", default=os.environ.get("TAO_INFER_TOKEN"))
    parser.add_argument("--platform", default="local-docker")
    parser.add_argument("--image", required=True)
    parser.add_argument("--video-out", default="generated.mp4")
    parser.add_argument("--rl-model", default="hf_model://nvidia/Cosmos-Reason1-7B")
    parser.add_argument("--predict-model",
                        default="hf_model://nvidia/Cosmos-Predict2.5-2B")
    parser.add_argument("--predict-key", default="base-2b")
    args = parser.parse_args()

    with Client(args.server, token=args.token) as client:
        check(client.healthy(), "health check is not SERVING")
        check("tao.inference.v1.InferenceService" in client.grpc_services(),
              "reflection does not list the InferenceService")

        # What each architecture accepts, from the server's catalog.
        fields = {}
        for arch in client.describe_architectures().architectures:
            print(f"{arch.network_arch}: " + ", ".join(
                f.name for f in arch.sampling_fields))
            fields.update({(arch.network_arch, f.name): f
                           for f in arch.sampling_fields})
        top_p = fields.get(("cosmos-rl", "top_p"))
        check(top_p is not None and top_p.HasField("min")
              and top_p.min.exclusive and top_p.min.value == 0,
              "cosmos-rl top_p is not described as above 0")
        seed = fields.get(("cosmos-predict2.5", "seed"))
        check(seed is not None and seed.min.value == 0
              and not seed.min.exclusive, "cosmos-predict2.5 seed has no min 0")

        # cosmos-rl: a question about an image.
        rl = start_and_wait(client, args, "cosmos-rl", args.rl_model)
        answer = client.infer("What is in this picture?", job_id=rl.job_id,
                              images=[args.image], sampling={"max_tokens": 64})
        text = answer.choices[0].text
        print(f"cosmos-rl answered: {text}")
        check(answer.job_id == rl.job_id, "answer from another service")
        check(bool(text), "empty cosmos-rl answer")
        if args.platform == "test":  # the reference backend echoes its input
            check("What is in this picture?" in text and "media=1" in text,
                  "the reference backend did not see the prompt and image")

        # cosmos-predict2.5: text to video, written to a file.
        predict = start_and_wait(client, args, "cosmos-predict2.5",
                                 args.predict_model, args.predict_key)
        video = client.infer("A robot arm stacks red cubes",
                             job_id=predict.job_id).choices[0]
        with open(args.video_out, "wb") as file:
            file.write(video.media)
        print(f"cosmos-predict2.5 wrote {len(video.media)} bytes "
              f"({video.media_mime_type}) to {args.video_out}")
        check(video.media[4:8] == b"ftyp", "the video is not an MP4")

        listed = client.list()
        for service in listed.services:
            print(f"  {service.job_id} {service.network_arch} "
                  f"{pb.ServiceState.Name(service.state)}")
        job_ids = {s.job_id for s in listed.services}
        check({rl.job_id, predict.job_id} <= job_ids, "list misses a service")

        # Two cosmos-rl services: a target by architecture is ambiguous and
        # the error carries both as candidates.
        rl2 = start_and_wait(client, args, "cosmos-rl", args.rl_model)
        try:
            client.infer("Hello", network_arch="cosmos-rl", images=[args.image])
            check(False, "an ambiguous target was accepted")
        except TaoError as error:
            reason = pb.ErrorReason.Name(error.reason)
            print(f"refused as expected: {error.code.name} {reason}")
            for candidate in error.candidates:
                print(f"  candidate {candidate.job_id} {candidate.model_path}")
            check(error.reason == pb.ERROR_REASON_AMBIGUOUS_TARGET,
                  f"reason {reason}, not ERROR_REASON_AMBIGUOUS_TARGET")
            check({c.job_id for c in error.candidates} ==
                  {rl.job_id, rl2.job_id}, "wrong candidate list")

        for service in (rl, predict, rl2):
            client.stop(service.job_id)
            print(f"stopped {service.job_id}")
        remaining = {s.job_id for s in client.list().services}
        check(not remaining & {rl.job_id, predict.job_id, rl2.job_id},
              "a stopped service is still listed")
    print("walkthrough: OK")


if __name__ == "__main__":
    main()
