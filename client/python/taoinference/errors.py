"""Errors of the tao.inference.v1 API with their structured details."""

from typing import List, Optional

import grpc

from taoinference._proto import pb

# The trailer in which the server sends an ErrorStatus (google.rpc.Status
# wire format) holding one ErrorDetails.
DETAILS_TRAILER = "grpc-status-details-bin"


class TaoError(Exception):
    """A failed call: gRPC code, the server's message and its ErrorDetails.

    ``details`` is a ``pb.ErrorDetails`` when the server sent one (ambiguous
    target, invalid field, backend error, ...), else None.
    """

    def __init__(self, code: grpc.StatusCode, message: str,
                 details: Optional["pb.ErrorDetails"] = None):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        self.details = details

    @property
    def reason(self) -> int:
        """Stable cause: a ``pb.ErrorReason`` value such as
        ``pb.ERROR_REASON_AMBIGUOUS_TARGET`` (``pb.ErrorReason.Name()`` gives
        its name); ``pb.ERROR_REASON_UNSPECIFIED`` without details."""
        return (self.details.reason_code if self.details
                else pb.ERROR_REASON_UNSPECIFIED)

    @property
    def candidates(self) -> List["pb.Service"]:
        """Services to choose from when the target was ambiguous/unmatched."""
        return list(self.details.candidates) if self.details else []

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> "TaoError":
        return cls(error.code(), error.details() or "",
                   decode_details(error.trailing_metadata()))


class ServiceFailedError(TaoError):
    """WaitReady ended with a FAILED event; ``event`` says why."""

    def __init__(self, event: "pb.WaitReadyEvent"):
        super().__init__(
            grpc.StatusCode.FAILED_PRECONDITION,
            f"service {event.job_id} failed: {event.reason} {event.message}"
            .strip())
        self.event = event


def decode_details(trailing_metadata) -> Optional["pb.ErrorDetails"]:
    """The ErrorDetails inside the grpc-status-details-bin trailer, if any."""
    for key, value in trailing_metadata or ():
        if key != DETAILS_TRAILER:
            continue
        status = pb.ErrorStatus.FromString(value)
        for any_detail in status.details:
            if any_detail.Is(pb.ErrorDetails.DESCRIPTOR):
                details = pb.ErrorDetails()
                any_detail.Unpack(details)
                return details
    return None
