import { parentPort, workerData } from "node:worker_threads";
import { GetRecordsCommand, type GetRecordsInput } from "@aws-sdk/client-dynamodb-streams";
import { type AwsClientOptions, createStreamsClient } from "../aws-clients";
import type { GetRecordsReply, GetRecordsRequest, PlainAwsError } from "./get-records-worker";

/**
 * The worker thread of GetRecordsWorker: GetRecords calls, response decoding included, off the delivery thread.
 * Errors go back as plain data (structured cloning keeps neither an SDK exception's name nor its metadata).
 */
const port = parentPort;
if (port === null) throw new Error("get-records-thread runs as a worker thread only");
const client = createStreamsClient(workerData as AwsClientOptions);
const inFlight = new Map<number, AbortController>();

port.on("message", (message: GetRecordsRequest) => {
  if (message.type === "abort") {
    inFlight.get(message.id)?.abort();
    return;
  }
  void getRecords(message.id, message.input);
});

async function getRecords(id: number, input: GetRecordsInput): Promise<void> {
  const controller = new AbortController();
  inFlight.set(id, controller);
  let reply: GetRecordsReply;
  try {
    reply = {
      id,
      ok: true,
      out: await client.send(new GetRecordsCommand(input), { abortSignal: controller.signal }),
    };
  } catch (err) {
    reply = { id, ok: false, error: plainError(err) };
  } finally {
    inFlight.delete(id);
  }
  port?.postMessage(reply);
}

function plainError(err: unknown): PlainAwsError {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as Record<
    string,
    unknown
  >;
  return {
    name: typeof e.name === "string" ? e.name : "Error",
    message: typeof e.message === "string" ? e.message : String(err),
    code: typeof e.code === "string" ? e.code : undefined,
    $fault: typeof e.$fault === "string" ? e.$fault : undefined,
    $metadata: typeof e.$metadata === "object" && e.$metadata !== null ? { ...e.$metadata } : undefined,
  };
}
