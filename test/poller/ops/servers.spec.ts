import { expect } from "chai";
import pino from "pino";
import { Registry } from "prom-client";
import { createMetrics } from "../../../src/poller/ops/metrics";
import { type OpsServers, type Readiness, startOpsServers } from "../../../src/poller/ops/servers";

describe("ops servers", () => {
  let servers: OpsServers;
  let readiness: Readiness;
  let metrics: ReturnType<typeof createMetrics>;
  const health = (path: string, init?: RequestInit) =>
    fetch(`http://127.0.0.1:${servers.healthPort}${path}`, init);
  const scrape = (path: string) => fetch(`http://127.0.0.1:${servers.metricsPort}${path}`);

  beforeEach(async () => {
    readiness = { ready: false, reason: "stream not found for table orders" };
    metrics = createMetrics(new Registry());
    servers = await startOpsServers({
      healthPort: 0,
      metricsPort: 0,
      host: "127.0.0.1",
      registry: metrics.registry,
      readiness: () => readiness,
      logger: pino({ level: "silent" }),
    });
  });
  afterEach(() => servers.close());

  it("picks free ports when asked for port 0", () => {
    expect(servers.healthPort).to.be.above(0);
    expect(servers.metricsPort).to.be.above(0).and.not.equal(servers.healthPort);
  });

  it("/healthz is 200 whether ready or not (liveness)", async () => {
    const response = await health("/healthz");
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: "ok" });
  });

  it("/readyz is 503 with the reason while not ready, 200 once ready", async () => {
    let response = await health("/readyz");
    expect(response.status).to.equal(503);
    expect(response.headers.get("content-type")).to.equal("application/json");
    expect(await response.json()).to.deep.equal({
      ready: false,
      reason: "stream not found for table orders",
    });
    readiness = { ready: true };
    response = await health("/readyz");
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ ready: true });
  });

  it("/health follows readiness like TriggerMesh's probe path: 503, then 204", async () => {
    expect((await health("/health")).status).to.equal(503);
    readiness = { ready: true };
    const response = await health("/health");
    expect(response.status).to.equal(204);
    expect(await response.text()).to.equal("");
  });

  it("answers HEAD, refuses other methods on known paths, 404 elsewhere", async () => {
    expect((await health("/healthz", { method: "HEAD" })).status).to.equal(200);
    const post = await health("/healthz", { method: "POST" });
    expect(post.status).to.equal(405);
    expect(post.headers.get("allow")).to.equal("GET, HEAD");
    expect((await health("/nope")).status).to.equal(404);
    expect((await health("/metrics")).status).to.equal(404);
    expect((await scrape("/healthz")).status).to.equal(404);
  });

  it("/metrics serves the registry in Prometheus text format", async () => {
    metrics.eventsDelivered.inc({ operation: "INSERT" }, 3);
    metrics.eventsDropped.inc({ reason: "rejected" });
    const response = await scrape("/metrics?debug=1");
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal(metrics.registry.contentType);
    const text = await response.text();
    expect(text).to.include('dynamodb_source_events_delivered_total{operation="INSERT"} 3');
    expect(text).to.include('dynamodb_source_events_dropped_total{reason="rejected"} 1');
    expect(text).to.include("# TYPE dynamodb_source_sink_request_duration_seconds histogram");
  });

  it("serves every route on one server when both ports are the same", async () => {
    await servers.close();
    const probe = await startOpsServers({
      healthPort: 0,
      metricsPort: 0,
      host: "127.0.0.1",
      registry: metrics.registry,
      readiness: () => readiness,
      logger: pino({ level: "silent" }),
    });
    const port = probe.healthPort;
    await probe.close();
    servers = await startOpsServers({
      healthPort: port,
      metricsPort: port,
      host: "127.0.0.1",
      registry: metrics.registry,
      readiness: () => readiness,
      logger: pino({ level: "silent" }),
    });
    expect(servers.metricsPort).to.equal(port);
    expect((await health("/healthz")).status).to.equal(200);
    expect((await health("/metrics")).status).to.equal(200);
  });

  it("fails to start when a port is taken", async () => {
    const error = await startOpsServers({
      healthPort: 0,
      metricsPort: servers.healthPort,
      host: "127.0.0.1",
      registry: metrics.registry,
      readiness: () => readiness,
      logger: pino({ level: "silent" }),
    }).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).to.equal("EADDRINUSE");
  });

  it("a failing readiness check answers 500 instead of crashing", async () => {
    const failing = await startOpsServers({
      healthPort: 0,
      metricsPort: 0,
      host: "127.0.0.1",
      registry: metrics.registry,
      readiness: () => {
        throw new Error("boom");
      },
      logger: pino({ level: "silent" }),
    });
    try {
      expect((await fetch(`http://127.0.0.1:${failing.healthPort}/readyz`)).status).to.equal(500);
      expect((await fetch(`http://127.0.0.1:${failing.healthPort}/healthz`)).status).to.equal(200);
    } finally {
      await failing.close();
    }
  });
});
