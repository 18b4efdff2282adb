// Walks through the tao-inferd API with the TypeScript client.
//
// Reads what each architecture accepts, starts a cosmos-rl service, waits
// for it (printing progress), asks it about an image, starts cosmos-predict2.5 and writes the video it
// generates, lists and stops everything, and shows how an ambiguous target
// is refused with the candidates to choose from. Each step checks what came
// back and exits 1 when it is not what the API promises, so CI runs this
// file as a test.
//
//   node dist/examples/walkthrough.js --server 127.0.0.1:50051 \
//     --image photo.png --video-out out.mp4
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import {
  ErrorReason,
  errorReasonToJSON,
  phaseToJSON,
  SamplingFieldDescription,
  Service,
  serviceStateToJSON,
  TaoClient,
  TaoError,
  WaitReadyEvent,
} from "../src";

const { values: args } = parseArgs({
  options: {
    server: { type: "string", default: process.env.TAO_INFER_SERVER ?? "127.0.0.1:50051" },
    token: { type: "string", default: process.env.TAO_INFER_TOKEN },
    platform: { type: "string", default: "local-docker" },
    image: { type: "string" },
    "video-out": { type: "string", default: "generated.mp4" },
    "rl-model": { type: "string", default: "hf_model://nvidia/Cosmos-Reason1-7B" },
    "predict-model": { type: "string", default: "hf_model://nvidia/Cosmos-Predict2.5-2B" },
    "predict-key": { type: "string", default: "base-2b" },
  },
});

function check(ok: boolean, what: string): void {
  if (!ok) {
    console.error(`walkthrough: FAILED: ${what}`);
    process.exit(1);
  }
}

function printProgress(event: WaitReadyEvent): void {
  console.log(
    `  ${serviceStateToJSON(event.state)} ${phaseToJSON(event.phase)} ${event.reason} ${event.message}`,
  );
}

async function startAndWait(client: TaoClient, networkArch: string, modelPath: string, modelKey = "") {
  const service = await client.start({ networkArch, modelPath, modelKey, platform: args.platform });
  console.log(`started ${networkArch} ${service.jobId}, waiting`);
  await client.wait(service.jobId, { timeoutSeconds: 120, onProgress: printProgress });
  return service;
}

const jobIds = (services: Service[]) => services.map((s) => s.jobId).sort();

async function main(): Promise<void> {
  check(args.image !== undefined, "--image is required");
  const client = new TaoClient(args.server!, { token: args.token });
  try {
    check(await client.healthy(), "health check is not SERVING");
    check(
      (await client.grpcServices()).includes("tao.inference.v1.InferenceService"),
      "reflection does not list the InferenceService",
    );

    // What each architecture accepts, from the server's catalog.
    const fields = new Map<string, SamplingFieldDescription>();
    for (const arch of (await client.describeArchitectures()).architectures) {
      console.log(`${arch.networkArch}: ${arch.samplingFields.map((f) => f.name).join(", ")}`);
      for (const field of arch.samplingFields) fields.set(`${arch.networkArch} ${field.name}`, field);
    }
    const topP = fields.get("cosmos-rl top_p");
    check(
      topP?.min?.exclusive === true && topP.min.value === 0,
      "cosmos-rl top_p is not described as above 0",
    );
    const seed = fields.get("cosmos-predict2.5 seed");
    check(seed?.min?.exclusive === false && seed.min.value === 0, "cosmos-predict2.5 seed has no min 0");

    // cosmos-rl: a question about an image.
    const rl = await startAndWait(client, "cosmos-rl", args["rl-model"]!);
    const answer = await client.infer({
      jobId: rl.jobId,
      prompt: "What is in this picture?",
      images: [args.image!],
      sampling: { maxTokens: 64 },
    });
    const text = answer.choices[0].text;
    console.log(`cosmos-rl answered: ${text}`);
    check(answer.jobId === rl.jobId, "answer from another service");
    check(text.length > 0, "empty cosmos-rl answer");
    if (args.platform === "test") {
      // The reference backend echoes its input.
      check(
        text.includes("What is in this picture?") && text.includes("media=1"),
        "the reference backend did not see the prompt and image",
      );
    }

    // cosmos-predict2.5: text to video, written to a file.
    const predict = await startAndWait(
      client, "cosmos-predict2.5", args["predict-model"]!, args["predict-key"]!);
    const video = (await client.infer({ jobId: predict.jobId, prompt: "A robot arm stacks red cubes" }))
      .choices[0];
    await writeFile(args["video-out"]!, video.media);
    console.log(
      `cosmos-predict2.5 wrote ${video.media.length} bytes (${video.mediaMimeType}) to ${args["video-out"]}`,
    );
    check(video.media.subarray(4, 8).toString("latin1") === "ftyp", "the video is not an MP4");

    const listed = await client.list();
    for (const service of listed.services) {
      console.log(`  ${service.jobId} ${service.networkArch} ${serviceStateToJSON(service.state)}`);
    }
    const listedIds = jobIds(listed.services);
    check(listedIds.includes(rl.jobId) && listedIds.includes(predict.jobId), "list misses a service");

    // Two cosmos-rl services: a target by architecture is ambiguous and the
    // error carries both as candidates.
    const rl2 = await startAndWait(client, "cosmos-rl", args["rl-model"]!);
    try {
      await client.infer({ networkArch: "cosmos-rl", prompt: "Hello", images: [args.image!] });
      check(false, "an ambiguous target was accepted");
    } catch (error) {
      check(error instanceof TaoError, `unexpected error ${error}`);
      const refusal = error as TaoError;
      console.log(`refused as expected: ${refusal.message} (${errorReasonToJSON(refusal.reason)})`);
      for (const candidate of refusal.candidates) {
        console.log(`  candidate ${candidate.jobId} ${candidate.modelPath}`);
      }
      check(
        refusal.reason === ErrorReason.ERROR_REASON_AMBIGUOUS_TARGET,
        `reason ${errorReasonToJSON(refusal.reason)}, not ERROR_REASON_AMBIGUOUS_TARGET`,
      );
      check(
        jobIds(refusal.candidates).join(" ") === jobIds([rl, rl2]).join(" "),
        `wrong candidate list ${jobIds(refusal.candidates)}`,
      );
    }

    for (const service of [rl, predict, rl2]) {
      await client.stop(service.jobId);
      console.log(`stopped ${service.jobId}`);
    }
    const remaining = jobIds((await client.list()).services);
    check(
      [rl, predict, rl2].every((s) => !remaining.includes(s.jobId)),
      "a stopped service is still listed",
    );
    console.log("walkthrough: OK");
  } finally {
    client.close();
  }
}

main().catch((error) => {
  console.error(`walkthrough: FAILED: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
