// Errors of the tao.inference.v1 API with their structured details.
import { Metadata, ServiceError, status } from "@grpc/grpc-js";

import {
  ErrorDetails,
  ErrorReason,
  ErrorStatus,
  Service,
  WaitReadyEvent,
} from "./gen/tao/inference/v1/inference_service";

// The trailer in which the server sends an ErrorStatus (google.rpc.Status
// wire format) holding one ErrorDetails.
export const DETAILS_TRAILER = "grpc-status-details-bin";
const DETAILS_TYPE_URL = "type.googleapis.com/tao.inference.v1.ErrorDetails";

/** A failed call: gRPC code, the server's message and its ErrorDetails. */
export class TaoError extends Error {
  constructor(
    readonly code: status,
    readonly serverMessage: string,
    /** Undefined when the server sent no details. */
    readonly details?: ErrorDetails,
  ) {
    super(`${status[code] ?? code}: ${serverMessage}`);
    this.name = "TaoError";
  }

  /**
   * Stable cause such as ErrorReason.ERROR_REASON_AMBIGUOUS_TARGET
   * (errorReasonToJSON gives its name); ERROR_REASON_UNSPECIFIED without
   * details.
   */
  get reason(): ErrorReason {
    return this.details?.reasonCode ?? ErrorReason.ERROR_REASON_UNSPECIFIED;
  }

  /** Services to choose from when the target was ambiguous or unmatched. */
  get candidates(): Service[] {
    return this.details?.candidates ?? [];
  }

  static fromServiceError(error: ServiceError): TaoError {
    return new TaoError(error.code, error.details, decodeDetails(error.metadata));
  }
}

/** WaitReady ended with a FAILED event; `event` says why. */
export class ServiceFailedError extends Error {
  constructor(readonly event: WaitReadyEvent) {
    super(`service ${event.jobId} failed: ${event.reason} ${event.message}`.trim());
    this.name = "ServiceFailedError";
  }
}

/** The ErrorDetails inside the grpc-status-details-bin trailer, if any. */
export function decodeDetails(trailers: Metadata | undefined): ErrorDetails | undefined {
  for (const value of trailers?.get(DETAILS_TRAILER) ?? []) {
    if (typeof value === "string") continue;
    const errorStatus = ErrorStatus.decode(value);
    const detail = errorStatus.details.find((any) => any.typeUrl === DETAILS_TYPE_URL);
    if (detail !== undefined) return ErrorDetails.decode(detail.value);
  }
  return undefined;
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && "code" in error && "metadata" in error;
}

/** A TaoError for gRPC failures; anything else unchanged. */
export function toTaoError(error: unknown): unknown {
  return isServiceError(error) ? TaoError.fromServiceError(error) : error;
}
