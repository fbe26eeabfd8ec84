import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CloudEventV1, HTTP } from "cloudevents";

/** A local CloudEvents sink that pretty-prints what it receives: what `dynamodb-source dev` delivers to. */
export interface PrintingSink {
  readonly url: string;
  /** Number of events received so far. */
  readonly received: number;
  /** Resolves once `count` events have arrived. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startPrintingSink(print: (text: string) => void, port = 0): Promise<PrintingSink> {
  let received = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const server: Server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        try {
          const parsed = HTTP.toEvent({ headers: req.headers, body });
          for (const event of Array.isArray(parsed) ? parsed : [parsed]) {
            received += 1;
            print(formatEvent(event, received));
          }
          res.writeHead(202).end();
        } catch (err) {
          print(`!! not a CloudEvent: ${(err as Error).message}`);
          res.writeHead(400).end();
        }
        for (const waiter of waiters.filter((w) => received >= w.count)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      },
      () => res.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}/`,
    get received() {
      return received;
    },
    waitFor(count, timeoutMs) {
      if (received >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${received} of ${count} events arrived within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** One event as a person reads it: the routing attributes first, then the data. */
export function formatEvent(event: CloudEventV1<unknown>, index: number): string {
  const operation = String(event.dynamodboperation ?? "?");
  const lines = [
    `── event #${index}: ${operation} ${"─".repeat(Math.max(0, 50 - operation.length))}`,
    `  type:      ${event.type}`,
    `  source:    ${event.source}`,
    `  subject:   ${event.subject ?? ""}`,
    `  id:        ${event.id}`,
    `  time:      ${event.time ?? ""}`,
    `  partitionkey: ${String(event.partitionkey ?? "")}  dynamodbsequence: ${String(event.dynamodbsequence ?? "")}`,
    `  data:      ${JSON.stringify(event.data, null, 2).replace(/\n/g, "\n  ")}`,
  ];
  return lines.join("\n");
}
