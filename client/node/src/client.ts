// A thin promise-based client for tao-inferd (tao.inference.v1).
import {
  CallOptions,
  ChannelCredentials,
  ChannelOptions,
  ClientUnaryCall,
  credentials,
  Metadata,
  ServiceError,
} from "@grpc/grpc-js";
import { readFileSync } from "node:fs";

import { HealthCheckResponse_ServingStatus, HealthClient } from "./gen/grpc/health/v1/health";
import { ServerReflectionClient } from "./gen/grpc/reflection/v1alpha/reflection";
import {
  ChatMessage,
  ContentPart,
  DeepPartial,
  DescribeArchitecturesResponse,
  InferenceServiceClient,
  InferRequest,
  InferResponse,
  ListRequest,
  ListResponse,
  Media,
  Role,
  SamplingParams,
  Service,
  ServiceState,
  StartRequest,
  StopResponse,
  WaitReadyEvent,
} from "./gen/tao/inference/v1/inference_service";
import { ServiceFailedError, TaoError, toTaoError } from "./errors";
import { mediaFrom } from "./media";

// Generated videos come back in one message; allow what the server allows.
const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
const SERVICE_NAME = "tao.inference.v1.InferenceService";

export interface ConnectOptions {
  /** Use TLS (system roots unless rootCerts is given). */
  tls?: boolean;
  /** PEM contents or a path to a PEM file; implies TLS. */
  rootCerts?: Buffer | string;
  /** Sent as "authorization: Bearer <token>" on every call. */
  token?: string;
  /** Deadline of the short calls, in milliseconds (default 60 s). */
  timeoutMs?: number;
  channelOptions?: ChannelOptions;
}

export interface InferOptions {
  /** Target: jobId, else networkArch, else the only running service. */
  jobId?: string;
  networkArch?: string;
  prompt?: string;
  system?: string;
  /** File paths (sent as bytes), http(s)/data: URLs or Media messages. */
  images?: Array<string | Media>;
  videos?: Array<string | Media>;
  sampling?: DeepPartial<SamplingParams>;
  /** Wait for the model to load instead of failing with UNAVAILABLE. */
  waitForReady?: boolean;
  /** Default 10 minutes. */
  timeoutMs?: number;
}

export interface WaitOptions {
  /** How long the server waits; default 600 s. */
  timeoutSeconds?: number;
  onProgress?: (event: WaitReadyEvent) => void;
}

// The full overload of a generated unary method.
type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** Connects to tao-inferd; every method rejects with TaoError on failure. */
export class TaoClient {
  /** The generated client, for calls this wrapper does not cover. */
  readonly stub: InferenceServiceClient;
  private readonly credentials: ChannelCredentials;
  private readonly channelOptions: ChannelOptions;
  private readonly token?: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly address: string,
    options: ConnectOptions = {},
  ) {
    if (options.tls || options.rootCerts !== undefined) {
      const roots =
        typeof options.rootCerts === "string" ? readFileSync(options.rootCerts) : options.rootCerts;
      this.credentials = credentials.createSsl(roots ?? null);
    } else {
      this.credentials = credentials.createInsecure();
    }
    this.channelOptions = {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
      ...options.channelOptions,
    };
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.stub = new InferenceServiceClient(address, this.credentials, this.channelOptions);
  }

  close(): void {
    this.stub.close();
  }

  /** Starts a service and returns it (usually not READY yet; see wait). */
  async start(request: DeepPartial<StartRequest>): Promise<Service> {
    const answer = await this.unary(this.stub.start, StartRequest.fromPartial(request));
    if (answer.service === undefined) throw new Error("Start answered without a service");
    return answer.service;
  }

  /** Every WaitReady progress event until READY or FAILED. */
  async *waitEvents(jobId: string, timeoutSeconds = 600): AsyncGenerator<WaitReadyEvent> {
    const call = this.stub.waitReady(
      { jobId, timeout: { seconds: timeoutSeconds, nanos: 0 } },
      this.metadata(),
      // The call's own deadline leaves room for the server's answer.
      { deadline: Date.now() + (timeoutSeconds + 30) * 1000 },
    );
    try {
      for await (const event of call) yield event as WaitReadyEvent;
    } catch (error) {
      throw toTaoError(error);
    } finally {
      call.cancel();
    }
  }

  /**
   * Resolves with the READY event; rejects with ServiceFailedError when the
   * service failed and TaoError (e.g. DEADLINE_EXCEEDED) otherwise.
   */
  async wait(jobId: string, options: WaitOptions = {}): Promise<WaitReadyEvent> {
    let last: WaitReadyEvent | undefined;
    for await (const event of this.waitEvents(jobId, options.timeoutSeconds)) {
      options.onProgress?.(event);
      last = event;
    }
    if (last === undefined) throw new Error(`WaitReady for ${jobId} ended without an event`);
    if (last.state !== ServiceState.SERVICE_STATE_READY) throw new ServiceFailedError(last);
    return last;
  }

  /** Sends one chat-completion request. */
  async infer(options: InferOptions): Promise<InferResponse> {
    const parts: ContentPart[] = [];
    for (const image of options.images ?? []) {
      parts.push(ContentPart.fromPartial({ image: await mediaFrom(image) }));
    }
    for (const video of options.videos ?? []) {
      parts.push(ContentPart.fromPartial({ video: await mediaFrom(video) }));
    }
    if (options.prompt) parts.push(ContentPart.fromPartial({ text: options.prompt }));
    const messages: ChatMessage[] = [];
    if (options.system) {
      messages.push({ role: Role.ROLE_SYSTEM, parts: [ContentPart.fromPartial({ text: options.system })] });
    }
    messages.push({ role: Role.ROLE_USER, parts });
    const request = InferRequest.fromPartial({
      messages,
      sampling: options.sampling ?? {},
      waitForReady: options.waitForReady ?? false,
    });
    if (options.jobId) request.jobId = options.jobId;
    else if (options.networkArch) request.networkArch = options.networkArch;
    return this.unary(this.stub.infer, request, options.timeoutMs ?? 600_000);
  }

  /** The registry's services and its latest job id. */
  list(filter: DeepPartial<ListRequest> = {}): Promise<ListResponse> {
    return this.unary(this.stub.list, ListRequest.fromPartial(filter));
  }

  get(jobId: string, refresh = false): Promise<Service> {
    return this.unary(this.stub.get, { jobId, refresh });
  }

  /** Stops a service; the answer names the new latest service. */
  stop(jobId: string): Promise<StopResponse> {
    return this.unary(this.stub.stop, { jobId });
  }

  /**
   * The server's catalog: per architecture, the sampling fields it accepts
   * (type, default, bounds) and the media it takes.
   */
  describeArchitectures(): Promise<DescribeArchitecturesResponse> {
    return this.unary(this.stub.describeArchitectures, {});
  }

  /** True when grpc.health.v1 reports the InferenceService SERVING. */
  async healthy(): Promise<boolean> {
    const health = new HealthClient(this.address, this.credentials, this.channelOptions);
    try {
      const answer = await this.unary(health.check, { service: SERVICE_NAME }, undefined, health);
      return answer.status === HealthCheckResponse_ServingStatus.SERVING;
    } finally {
      health.close();
    }
  }

  /** Service names the server offers, read through gRPC reflection. */
  async grpcServices(): Promise<string[]> {
    const reflection = new ServerReflectionClient(this.address, this.credentials, this.channelOptions);
    const call = reflection.serverReflectionInfo(this.metadata(), {
      deadline: Date.now() + this.timeoutMs,
    });
    try {
      call.write({ host: "", listServices: "" });
      call.end();
      for await (const answer of call) {
        return (answer.listServicesResponse?.service ?? []).map((s: { name: string }) => s.name);
      }
      return [];
    } catch (error) {
      throw toTaoError(error);
    } finally {
      reflection.close();
    }
  }

  private metadata(): Metadata {
    const metadata = new Metadata();
    if (this.token) metadata.set("authorization", `Bearer ${this.token}`);
    return metadata;
  }

  private unary<Req, Res>(
    method: UnaryMethod<Req, Res>,
    request: Req,
    timeoutMs = this.timeoutMs,
    target: object = this.stub,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      method.call(target, request, this.metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
        error ? reject(TaoError.fromServiceError(error)) : resolve(response),
      );
    });
  }
}
