import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type SinkObserver = (headers: IncomingHttpHeaders, body: string, receivedAt: number) => void;

/**
 * The bench's sink: answers 202 (after `delayMs`, if any) and hands each request to `observe`. Deliberately
 * lean: test/support/receiver.ts parses and keeps every event with the CloudEvents SDK, which would cost the
 * sink more CPU (on the same 2 cores as the poller) than the poller spends per event. Every rate here goes
 * through this same sink, the limit included, and a sample of events is validated with the SDK (events.ts).
 */
export class BenchSink {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(observe: SinkObserver, delayMs = 0): Promise<BenchSink> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        observe(req.headers, Buffer.concat(chunks).toString("utf8"), performance.now());
        if (delayMs > 0) setTimeout(() => res.writeHead(202).end(), delayMs);
        else res.writeHead(202).end();
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new BenchSink(server, `http://127.0.0.1:${port}/`);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
