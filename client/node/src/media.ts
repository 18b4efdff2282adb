// Turns file paths and URLs into Media messages.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";

import { Media } from "./gen/tao/inference/v1/inference_service";

const URL_PREFIXES = ["http://", "https://", "data:"];

/**
 * A Media for a URL (sent as is) or a local file (sent as bytes). The file
 * name travels along: the server derives the MIME type from its extension
 * and checks it against the architecture.
 */
export async function mediaFrom(source: string | Media): Promise<Media> {
  if (typeof source !== "string") return source;
  if (URL_PREFIXES.some((prefix) => source.startsWith(prefix))) {
    return Media.fromPartial({ url: source });
  }
  return Media.fromPartial({ data: await readFile(source), filename: basename(source) });
}
