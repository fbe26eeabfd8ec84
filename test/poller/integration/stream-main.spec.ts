import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { type DynamoDBLocal, freePort, startDynamoDBLocal } from "../../../src/cli/dev/dynamodb-local";
import { DynamoDBCheckpointStore } from "../../../src/poller/checkpoint/dynamodb-store";
import { runPoller } from "../../../src/poller/main";
import { waitFor } from "../fakes/harness";
import { createSourceTable, LOCAL_CREDENTIALS, localTableArn } from "../fakes/local-tables";

/**
 * The entry point end to end: configuration from the environment, AWS endpoints from the SDK's own
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_DYNAMODB_STREAMS variables, the checkpoint table created on demand,
 * readiness on /readyz, events to K_SINK, graceful stop with exit code 0.
 */
describe("runPoller against DynamoDB Local @integration", function () {
  this.timeout(60_000);
  let local: DynamoDBLocal;
  let db: DynamoDBClient;
  let sink: Server;
  const received: IncomingHttpHeaders[] = [];
  const saved: Record<string, string | undefined> = {};
  const sdkEnv = [
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ENDPOINT_URL_DYNAMODB_STREAMS",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
  ];

  before(async () => {
    local = await startDynamoDBLocal();
    db = new DynamoDBClient({ endpoint: local.endpoint, region: "ddblocal", credentials: LOCAL_CREDENTIALS });
    sink = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received.push(req.headers);
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    for (const name of sdkEnv) saved[name] = process.env[name];
    process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
    process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = local.endpoint;
    process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  });

  after(async () => {
    for (const name of sdkEnv) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await new Promise((r) => sink?.close(r));
    db?.destroy();
    await local?.stop();
  });

  it("delivers a change as a CloudEvent, reports ready, checkpoints in CHECKPOINT_TABLE and exits 0 on stop", async () => {
    await createSourceTable(db, "main-source");
    const [healthPort, metricsPort] = [await freePort(), await freePort()];
    const stop = new AbortController();
    const exitCode = runPoller(
      {
        ARN: localTableArn("main-source"),
        K_SINK: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`,
        CHECKPOINT_TABLE: "main-checkpoints",
        CHECKPOINT_TABLE_CREATE: "true",
        CONSUMER_NAME: "it/main",
        STARTING_POSITION: "TRIM_HORIZON",
        POLL_INTERVAL: "50",
        HEALTH_PORT: String(healthPort),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: "error",
      },
      { signal: stop.signal, handleSignals: false },
    );
    let ready = false;
    const deadline = Date.now() + 20_000;
    while (!ready && Date.now() < deadline) {
      ready = await fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready, "/readyz").to.equal(true);

    await db.send(new PutItemCommand({ TableName: "main-source", Item: { pk: { S: "hello" } } }));
    await waitFor(() => received.length === 1, "the CloudEvent", 10_000);
    expect(received[0]?.["ce-type"]).to.equal("com.amazon.dynamodb.stream_record");
    expect(received[0]?.["ce-dynamodboperation"]).to.equal("INSERT");

    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
    expect(metrics).to.match(/dynamodb_source_get_records_calls_total\{result="records"\} 1/);

    stop.abort();
    expect(await exitCode).to.equal(0);
    const checkpoints = await new DynamoDBCheckpointStore(db, "main-checkpoints", "it/main").listStreams();
    expect(checkpoints).to.have.length(1);
    const state = await new DynamoDBCheckpointStore(db, "main-checkpoints", "it/main").load(
      checkpoints[0]?.streamArn ?? "",
    );
    expect([...state.shards.values()][0]?.sequenceNumber).to.be.a("string");
  });

  it("keeps retrying an unreachable checkpoint table with the reason on /readyz, and exits 0 when stopped", async () => {
    const deadPort = await freePort(); // nothing listens there
    const [healthPort, metricsPort] = [await freePort(), await freePort()];
    process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${deadPort}`;
    const stop = new AbortController();
    try {
      const exitCode = runPoller(
        {
          ARN: localTableArn("main-source"),
          K_SINK: "http://127.0.0.1:9/",
          CHECKPOINT_TABLE: "main-checkpoints",
          HEALTH_PORT: String(healthPort),
          METRICS_PORT: String(metricsPort),
          LOG_LEVEL: "silent",
        },
        { signal: stop.signal, handleSignals: false },
      );
      let reason = "";
      const deadline = Date.now() + 20_000;
      while (!reason.includes("retrying") && Date.now() < deadline) {
        const body = await fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
          (r) => r.json() as Promise<{ ready: boolean; reason?: string }>,
          () => ({ ready: false, reason: "" }),
        );
        reason = body.reason ?? "";
        if (!reason.includes("retrying")) await new Promise((r) => setTimeout(r, 100));
      }
      expect(reason).to.match(
        /^checking the checkpoint table main-checkpoints failed \(.*ECONNREFUSED.*\); retrying$/,
      );
      stop.abort();
      expect(await exitCode).to.equal(0);
    } finally {
      process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
    }
  });

  it("exits 1 when CHECKPOINT_TABLE does not exist and may not be created", async () => {
    await createSourceTable(db, "main-source-2");
    const code = await runPoller(
      {
        ARN: localTableArn("main-source-2"),
        K_SINK: "http://127.0.0.1:9/",
        CHECKPOINT_TABLE: "typo-checkpoints",
        HEALTH_PORT: String(await freePort()),
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: "silent",
      },
      { handleSignals: false },
    );
    expect(code).to.equal(1);
  });
});
