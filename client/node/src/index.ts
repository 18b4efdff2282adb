// TypeScript client for tao-inferd, the tao.inference.v1 control plane.
export { ConnectOptions, InferOptions, TaoClient, WaitOptions } from "./client";
export { decodeDetails, DETAILS_TRAILER, ServiceFailedError, TaoError } from "./errors";
export { mediaFrom } from "./media";
// The generated messages, enums and the raw client.
export * from "./gen/tao/inference/v1/inference_service";
