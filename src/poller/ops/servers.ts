import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "./logger";

export interface Readiness {
  ready: boolean;
  reason?: string;
}

export interface OpsServerOptions {
  healthPort: number;
  metricsPort: number;
  registry: Registry;
  readiness: () => Readiness;
  logger: Logger;
  /** Interface to listen on; all interfaces by default (kubelet probes the pod IP). */
  host?: string;
}

export interface OpsServers {
  close(): Promise<void>;
  healthPort: number;
  metricsPort: number;
}

type Route = (response: ServerResponse) => void | Promise<void>;

/**
 * Health server: `GET /healthz` 200 while the process runs (liveness); `GET /readyz` 200, or 503 with the reason,
 * as JSON; `GET /health`, TriggerMesh's startup-probe path, answers like TriggerMesh did: 204 when ready, 503 when
 * not. Metrics server: `GET /metrics` in Prometheus text format. HEAD works too; anything else is 404 (405 for
 * another method on a known path). The same port for both puts every route on one server.
 */
export async function startOpsServers(options: OpsServerOptions): Promise<OpsServers> {
  const { registry, readiness, logger } = options;
  const healthRoutes: Record<string, Route> = {
    "/healthz": (res) => sendJson(res, 200, { status: "ok" }),
    "/readyz": (res) => {
      const state = readiness();
      sendJson(
        res,
        state.ready ? 200 : 503,
        state.ready ? { ready: true } : { ready: false, reason: state.reason },
      );
    },
    "/health": (res) => {
      const state = readiness();
      if (state.ready) res.writeHead(204).end();
      else sendJson(res, 503, { ready: false, reason: state.reason });
    },
  };
  const metricsRoutes: Record<string, Route> = {
    "/metrics": async (res) => {
      const text = await registry.metrics();
      res.writeHead(200, { "content-type": registry.contentType }).end(text);
    },
  };

  const shared = options.healthPort === options.metricsPort && options.healthPort !== 0;
  const servers: Server[] = [];
  const health = await listen(
    routeServer(shared ? { ...healthRoutes, ...metricsRoutes } : healthRoutes, logger),
    options.healthPort,
    options.host,
  );
  servers.push(health.server);
  const metrics = shared
    ? health
    : await listen(routeServer(metricsRoutes, logger), options.metricsPort, options.host).catch(
        async (error) => {
          await closeServer(health.server);
          throw error;
        },
      );
  if (!shared) servers.push(metrics.server);
  logger.info({ healthPort: health.port, metricsPort: metrics.port }, "health and metrics servers listening");

  return {
    healthPort: health.port,
    metricsPort: metrics.port,
    async close() {
      await Promise.all(servers.map(closeServer));
    },
  };
}

function routeServer(routes: Record<string, Route>, logger: Logger): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route === undefined) return sendJson(res, 404, { error: "not found" });
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return sendJson(res, 405, { error: "method not allowed" });
    }
    Promise.resolve()
      .then(() => route(res))
      .catch((error: unknown) => {
        logger.error({ err: error, path }, "ops endpoint failed");
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        else res.destroy();
      });
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  // HEAD: Node drops the body itself.
  res.end(text);
}

function listen(
  server: Server,
  port: number,
  host: string | undefined,
): Promise<{ server: Server; port: number }> {
  // Probes and scrapes must not be held up by keep-alive sockets when shutting down.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
