"""A thin, blocking client for tao-inferd (tao.inference.v1)."""

import os
from typing import (Callable, Dict, Iterator, List, Optional, Sequence,
                    Tuple, Union)

import grpc
from google.protobuf import duration_pb2

from taoinference._proto import (health_pb2, health_pb2_grpc, pb, pb_grpc,
                                 reflection_pb2, reflection_pb2_grpc)
from taoinference.errors import ServiceFailedError, TaoError
from taoinference.media import media_from

MediaSource = Union[str, os.PathLike, "pb.Media"]
ProgressCallback = Callable[["pb.WaitReadyEvent"], None]

# Generated videos come back in one message; allow what the server allows.
_MAX_MESSAGE_BYTES = 512 * 1024 * 1024
_SERVICE_NAME = "tao.inference.v1.InferenceService"


class Client:
    """Connects to tao-inferd; every method raises TaoError on failure.

    Args:
      address: "host:port" of tao-inferd.
      tls: use TLS (system roots unless root_certificates is given).
      root_certificates: PEM bytes or a path to a PEM file; implies TLS.
      token: sent as "authorization: Bearer <token>" on every call.
      timeout: default deadline in seconds for the short calls.
    """

    def __init__(self, address: str, *, tls: bool = False,
                 root_certificates: Union[bytes, str, None] = None,
                 token: Optional[str] = None, timeout: float = 60.0):
        options = [("grpc.max_receive_message_length", _MAX_MESSAGE_BYTES),
                   ("grpc.max_send_message_length", _MAX_MESSAGE_BYTES)]
        if tls or root_certificates is not None:
            if isinstance(root_certificates, str):
                with open(root_certificates, "rb") as file:
                    root_certificates = file.read()
            credentials = grpc.ssl_channel_credentials(root_certificates)
            self._channel = grpc.secure_channel(address, credentials, options)
        else:
            self._channel = grpc.insecure_channel(address, options)
        self._metadata: Tuple[Tuple[str, str], ...] = (
            (("authorization", f"Bearer {token}"),) if token else ())
        self._timeout = timeout
        self._stub = pb_grpc.InferenceServiceStub(self._channel)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def stub(self) -> "pb_grpc.InferenceServiceStub":
        """The generated stub, for calls this wrapper does not cover."""
        return self._stub

    def _unary(self, method, request, timeout: Optional[float]):
        try:
            return method(request, timeout=timeout or self._timeout,
                          metadata=self._metadata)
        except grpc.RpcError as error:
            raise TaoError.from_rpc_error(error) from None

    def start(self, network_arch: str, model_path: str, *,
              platform: str = "local-docker", model_key: str = "",
              num_gpus: Optional[int] = None, request_id: str = "",
              timeout: Optional[float] = None,
              **fields) -> "pb.Service":
        """Starts a service and returns it (usually not READY yet).

        Further StartRequest fields (image, env, host_port, docker=..., ...)
        go in ``fields``.
        """
        request = pb.StartRequest(network_arch=network_arch,
                                  model_path=model_path, platform=platform,
                                  model_key=model_key, request_id=request_id,
                                  **fields)
        if num_gpus is not None:
            request.num_gpus = num_gpus
        return self._unary(self._stub.Start, request, timeout).service

    def wait_events(self, job_id: str, timeout: float = 600.0
                    ) -> Iterator["pb.WaitReadyEvent"]:
        """Yields every WaitReady progress event until READY or FAILED."""
        request = pb.WaitReadyRequest(
            job_id=job_id, timeout=duration_pb2.Duration(seconds=int(timeout)))
        # The call's own deadline leaves room for the server's answer.
        stream = self._stub.WaitReady(request, timeout=timeout + 30,
                                      metadata=self._metadata)
        try:
            yield from stream
        except grpc.RpcError as error:
            raise TaoError.from_rpc_error(error) from None
        finally:
            stream.cancel()  # a caller that stops early ends the call

    def wait(self, job_id: str, timeout: float = 600.0,
             on_progress: Optional[ProgressCallback] = None
             ) -> "pb.WaitReadyEvent":
        """Waits until the service is READY and returns that event.

        Raises ServiceFailedError when it failed and TaoError (for example
        DEADLINE_EXCEEDED) otherwise.
        """
        last = None
        for event in self.wait_events(job_id, timeout):
            if on_progress is not None:
                on_progress(event)
            last = event
        if last is None:
            raise TaoError(grpc.StatusCode.UNKNOWN,
                           f"WaitReady for {job_id} ended without an event")
        if last.state != pb.SERVICE_STATE_READY:
            raise ServiceFailedError(last)
        return last

    def infer(self, prompt: str = "", *, job_id: str = "",
              network_arch: str = "",
              images: Sequence[MediaSource] = (),
              videos: Sequence[MediaSource] = (),
              system: str = "",
              sampling: Optional[Dict[str, object]] = None,
              wait_for_ready: bool = False,
              timeout: Optional[float] = 600.0) -> "pb.InferResponse":
        """Sends one chat-completion request.

        Target: ``job_id``, else ``network_arch``, else the only running
        service. Images and videos are file paths (sent as bytes) or URLs.
        ``sampling`` holds SamplingParams fields, e.g. {"temperature": 0.2}.
        """
        parts = [pb.ContentPart(image=media_from(i)) for i in images]
        parts += [pb.ContentPart(video=media_from(v)) for v in videos]
        if prompt:
            parts.append(pb.ContentPart(text=prompt))
        messages = []
        if system:
            messages.append(pb.ChatMessage(
                role=pb.ROLE_SYSTEM, parts=[pb.ContentPart(text=system)]))
        messages.append(pb.ChatMessage(role=pb.ROLE_USER, parts=parts))
        request = pb.InferRequest(messages=messages,
                                  sampling=pb.SamplingParams(**(sampling or {})),
                                  wait_for_ready=wait_for_ready)
        if job_id:
            request.job_id = job_id
        elif network_arch:
            request.network_arch = network_arch
        return self._unary(self._stub.Infer, request, timeout)

    def list(self, *, network_arch: str = "", platform: str = "",
             refresh: bool = False) -> "pb.ListResponse":
        """The registry's services (``.services``) and ``.latest_job_id``."""
        request = pb.ListRequest(network_arch=network_arch, platform=platform,
                                 refresh=refresh)
        return self._unary(self._stub.List, request, None)

    def get(self, job_id: str, *, refresh: bool = False) -> "pb.Service":
        return self._unary(self._stub.Get,
                           pb.GetRequest(job_id=job_id, refresh=refresh), None)

    def stop(self, job_id: str) -> "pb.StopResponse":
        """Stops a service; ``.latest_job_id`` is the new latest."""
        return self._unary(self._stub.Stop, pb.StopRequest(job_id=job_id),
                           None)

    def describe_architectures(self) -> "pb.DescribeArchitecturesResponse":
        """The server's catalog: per architecture (``.architectures``), the
        sampling fields it accepts with type, default and bounds, and the
        media it takes. Prompt for and check sampling values from it."""
        return self._unary(self._stub.DescribeArchitectures,
                           pb.DescribeArchitecturesRequest(), None)

    def healthy(self, service: str = _SERVICE_NAME) -> bool:
        """True when grpc.health.v1 reports ``service`` SERVING."""
        stub = health_pb2_grpc.HealthStub(self._channel)
        answer = self._unary(stub.Check,
                             health_pb2.HealthCheckRequest(service=service),
                             None)
        return answer.status == health_pb2.HealthCheckResponse.SERVING

    def grpc_services(self) -> List[str]:
        """Service names the server offers, read through gRPC reflection."""
        stub = reflection_pb2_grpc.ServerReflectionStub(self._channel)
        requests = [reflection_pb2.ServerReflectionRequest(list_services="")]
        try:
            for answer in stub.ServerReflectionInfo(
                    iter(requests), timeout=self._timeout,
                    metadata=self._metadata):
                return [s.name for s in answer.list_services_response.service]
        except grpc.RpcError as error:
            raise TaoError.from_rpc_error(error) from None
        return []
