import type { GetRecordsCommand } from "@aws-sdk/client-dynamodb-streams";
import type { RawPageHook } from "./stream/streams-api";

/**
 * Hands a GetRecords call's raw response body to `hook` before the SDK decodes it.
 *
 * How: a middleware of this one command, in the SDK's `deserialize` step at low priority, so it runs inside the
 * SDK's deserializer, next to the HTTP handler, as the SDK's own body-inspecting middlewares do. It reads the body
 * stream into bytes, which the deserializer then takes as they are (the SDK would have read the stream into bytes
 * itself). Only a 200 answer is handed over; errors reach the SDK untouched.
 */
export function withRawPageHook(command: GetRecordsCommand, hook: RawPageHook): GetRecordsCommand {
  command.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const response = out.response as { statusCode?: unknown; body?: unknown };
      if (response.statusCode === 200 && isByteStream(response.body)) {
        const body = await readAll(response.body);
        response.body = body;
        // The request the hook started goes out before this page's decoding takes the thread.
        if (hook(body)) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return out;
    },
    { step: "deserialize", priority: "low", name: "rawPageHook" },
  );
  return command;
}

function isByteStream(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof (body as AsyncIterable<Uint8Array> | undefined)?.[Symbol.asyncIterator] === "function";
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}
