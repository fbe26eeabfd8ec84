import path from "node:path";
import { Worker } from "node:worker_threads";
import type { GetRecordsInput, GetRecordsOutput } from "@aws-sdk/client-dynamodb-streams";
import type { AwsClientOptions } from "../aws-clients";
import type { StreamsApi } from "./streams-api";

export type GetRecordsRequest =
  | { readonly type: "get"; readonly id: number; readonly input: GetRecordsInput }
  | { readonly type: "abort"; readonly id: number };

/** An AWS SDK error as data: what classifyAwsError and the logs read of it. */
export interface PlainAwsError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly $fault?: string;
  readonly $metadata?: Record<string, unknown>;
}

export type GetRecordsReply =
  | { readonly id: number; readonly ok: true; readonly out: GetRecordsOutput }
  | { readonly id: number; readonly ok: false; readonly error: PlainAwsError };

interface Pending {
  resolve(out: GetRecordsOutput): void;
  reject(err: unknown): void;
}

/**
 * GetRecords in a worker thread. Decoding a page of 1,000 records is the largest piece of CPU work of a draining
 * poller besides HTTP itself (a fifth of the thread, profiled with `npm run bench -- --profile`), and it used to run
 * on the thread that delivers events; in a thread of its own it overlaps with delivery. Records come back by
 * structured cloning (Dates and binary attributes survive it). Errors come back with their name and metadata, so
 * the reader classifies them as before; an abort rejects at once with an AbortError.
 */
export class GetRecordsWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: AwsClientOptions) {}

  readonly getRecords: StreamsApi["getRecords"] = (input, signal) => {
    if (signal?.aborted || this.closed) return Promise.reject(abortError());
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<GetRecordsOutput>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        worker.postMessage({ type: "abort", id } satisfies GetRecordsRequest);
        reject(abortError());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const settle = () => signal?.removeEventListener("abort", onAbort);
      this.pending.set(id, {
        resolve: (out) => {
          settle();
          resolve(out);
        },
        reject: (err) => {
          settle();
          reject(err);
        },
      });
      worker.postMessage({ type: "get", id, input } satisfies GetRecordsRequest);
    });
  };

  /** Ends the thread; calls still pending reject with an AbortError. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD_ENTRY, {
      workerData: this.options,
      execArgv: THREAD_EXEC_ARGV,
      resourceLimits: THREAD_HEAP_LIMITS,
    });
    worker.on("message", (reply: GetRecordsReply) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!pending) return;
      if (reply.ok) pending.resolve(reply.out);
      else pending.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    const fail = (reason: string) => {
      if (this.worker === worker) this.worker = undefined;
      // The next call starts a new thread; the reader backs off and retries the ones that fail here.
      const error = this.closed
        ? abortError()
        : Object.assign(new Error(`the GetRecords worker thread ${reason}`), {
            name: "GetRecordsWorkerFailed",
          });
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    worker.on("error", (err) => fail(`failed: ${err.message}`));
    worker.on("exit", (code) => fail(`exited with code ${code}`));
    this.worker = worker;
    return worker;
  }
}

function abortError(): Error {
  return Object.assign(new Error("GetRecords aborted"), { name: "AbortError" });
}

/**
 * The thread's pages are garbage as soon as they are posted. Without limits V8 sized its heap as for a whole
 * process and the thread cost ~25 MB of RSS; with these it costs ~12 MB (bench memory scenario, peak RSS 151 ->
 * 139-144 MB). 256 MB of old generation still holds about fifty 1 MB pages decoded at once; should it ever run
 * out, the thread exits, its calls fail, and the readers back off and retry on a new thread.
 */
const THREAD_HEAP_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

// Built: the .js beside this file. Under ts-node (tests), the .ts, with ts-node loaded in the thread too.
const RUNNING_TS = __filename.endsWith(".ts");
const THREAD_ENTRY = path.join(__dirname, `get-records-thread${RUNNING_TS ? ".ts" : ".js"}`);
const THREAD_EXEC_ARGV = RUNNING_TS ? ["-r", "ts-node/register/transpile-only"] : [];
