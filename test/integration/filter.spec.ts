import { existsSync } from "node:fs";
import path from "node:path";
import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { type DynamoDBLocal, freePort, startDynamoDBLocal } from "../../src/cli/dev/dynamodb-local";
import { type PollerProcess, startPollerProcess, waitUntilReady } from "../../src/cli/dev/poller-process";
import { createSourceTable, LOCAL_CREDENTIALS, localTableArn } from "../poller/fakes/local-tables";
import { CloudEventsReceiver } from "../support/receiver";

const FORBID_DEV_DEPS = path.resolve(__dirname, "../support/forbid-dev-deps.cjs");
const BUILT_ENTRY = path.resolve(__dirname, "../../dist/src/cli/main.js");

/** Big inserts (a numeric filter on an N attribute, Lambda's pain point) and every delete. */
const FILTER = JSON.stringify([
  { eventName: ["INSERT"], dynamodb: { NewImage: { amount: [{ numeric: [">", 100] }] } } },
  { eventName: ["REMOVE"] },
]);

describe("FILTER in the real poller process (DynamoDB Local → CloudEvents) @integration", function () {
  this.timeout(120_000);
  let local: DynamoDBLocal;
  let db: DynamoDBClient;
  let receiver: CloudEventsReceiver;
  const logs: string[] = [];
  const pollers: PollerProcess[] = [];

  before(async () => {
    expect(existsSync(BUILT_ENTRY), "run `npm run build` first (npm test does)").to.equal(true);
    local = await startDynamoDBLocal();
    db = new DynamoDBClient({ endpoint: local.endpoint, region: "ddblocal", credentials: LOCAL_CREDENTIALS });
    receiver = await CloudEventsReceiver.start();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") console.log(logs.slice(-40).join("\n"));
  });
  after(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
    await receiver?.close();
    db?.destroy();
    await local?.stop();
  });

  async function startPoller(
    table: string,
  ): Promise<{ poller: PollerProcess; metrics: () => Promise<string> }> {
    const healthPort = await freePort();
    const metricsPort = await freePort();
    const poller = startPollerProcess(
      {
        PATH: process.env.PATH,
        NODE_OPTIONS: `-r ${FORBID_DEV_DEPS}`,
        ARN: localTableArn(table),
        K_SINK: receiver.url,
        FILTER,
        STARTING_POSITION: "TRIM_HORIZON",
        CHECKPOINT_TABLE: "filter-checkpoints",
        CHECKPOINT_TABLE_CREATE: "true",
        CONSUMER_NAME: `filter/${table}`,
        POLL_INTERVAL: "100",
        HEALTH_PORT: String(healthPort),
        METRICS_PORT: String(metricsPort),
        AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: local.endpoint,
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
      },
      (line) => logs.push(line),
    );
    pollers.push(poller);
    await waitUntilReady(`http://127.0.0.1:${healthPort}/readyz`, 30_000, poller.exited);
    const metrics = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    return { poller, metrics };
  }

  const counter = (text: string, name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);

  it("delivers only matching records, counts and checkpoints the others", async () => {
    const table = "filter-orders";
    await createSourceTable(db, table, "NEW_AND_OLD_IMAGES");
    const first = await startPoller(table);

    const put = (pk: string, amount: string) =>
      db.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, amount: { N: amount } } }));
    await put("small", "50"); // INSERT, 50: filtered
    await put("big", "150"); // INSERT, 150: delivered
    await db.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: "small" } } })); // REMOVE: delivered
    await db.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: "big" } },
        UpdateExpression: "SET amount = :a",
        ExpressionAttributeValues: { ":a": { N: "151" } },
      }),
    ); // MODIFY: filtered, and the last record of the shard

    await receiver.waitForAccepted(2, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.accepted.map((e) => [e.dynamodboperation, e.partitionkey])).to.deep.equal([
      ["INSERT", "pk=S:big"],
      ["REMOVE", "pk=S:small"],
    ]);
    const before = await first.metrics();
    expect(counter(before, "dynamodb_source_records_filtered_total")).to.equal(2);
    expect(counter(before, "dynamodb_source_records_read_total")).to.equal(4);

    // The filtered tail was checkpointed: a restart reads none of the four records again.
    expect(await first.poller.stop()).to.equal(0);
    const second = await startPoller(table);
    await put("bigger", "500");
    await receiver.waitForAccepted(3, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.accepted.map((e) => e.partitionkey)).to.deep.equal([
      "pk=S:big",
      "pk=S:small",
      "pk=S:bigger",
    ]);
    const after = await second.metrics();
    expect(counter(after, "dynamodb_source_records_read_total")).to.equal(1);
    expect(counter(after, "dynamodb_source_records_filtered_total")).to.equal(0);
  });
});
