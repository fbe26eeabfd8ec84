import { existsSync } from "node:fs";
import path from "node:path";
import {
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  type AttributeValue as TableAttributeValue,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import type { CloudEventV1 } from "cloudevents";
import { type DynamoDBLocal, freePort, startDynamoDBLocal } from "../../src/cli/dev/dynamodb-local";
import { type PollerProcess, startPollerProcess, waitUntilReady } from "../../src/cli/dev/poller-process";
import { seedValidator } from "../poller/events/formats/seed-schema";
import { createSourceTable, LOCAL_CREDENTIALS, localTableArn } from "../poller/fakes/local-tables";
import { CloudEventsReceiver } from "../support/receiver";

/**
 * The whole product path, as the image runs it: `node dist/src/cli/main.js poll` as its own process (with a guard
 * that fails any require of a dev or peer dependency), DynamoDB Local's real stream, and a real HTTP receiver that
 * parses every event with the cloudevents SDK.
 */

const FORBID_DEV_DEPS = path.resolve(__dirname, "../support/forbid-dev-deps.cjs");
const BUILT_ENTRY = path.resolve(__dirname, "../../dist/src/cli/main.js");

type Data = Record<string, unknown>;
type Event = CloudEventV1<Data>;

/** Every DynamoDB attribute type, a 38-digit number and unicode. */
const EVERY_TYPE: Record<string, TableAttributeValue> = {
  s: { S: "héllo wörld ✓ 日本語" },
  n38: { N: "12345678901234567890123456789012345678" },
  nsmall: { N: "-0.5" },
  b: { B: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]) },
  ss: { SS: ["a", "b"] },
  ns: { NS: ["1", "99999999999999999999999999999999999999"] },
  bs: { BS: [Uint8Array.from([1]), Uint8Array.from([2, 3])] },
  m: { M: { inner: { S: "x" }, deep: { M: { n: { N: "7" } } } } },
  l: { L: [{ S: "a" }, { N: "1" }, { BOOL: false }] },
  nul: { NULL: true },
  bool: { BOOL: true },
  // A legal attribute name that a naive `object[name] = value` turns into a prototype (the stock SDK reader loses it).
  ["__proto__"]: { M: { under: { S: "proto" } } },
};

describe("poller process end to end (DynamoDB Local → CloudEvents) @integration", function () {
  this.timeout(120_000);
  let local: DynamoDBLocal;
  let db: DynamoDBClient;
  let receiver: CloudEventsReceiver;
  const pollers: PollerProcess[] = [];
  const logs: string[] = [];

  before(async () => {
    expect(existsSync(BUILT_ENTRY), "run `npm run build` first (npm test does)").to.equal(true);
    local = await startDynamoDBLocal();
    db = new DynamoDBClient({ endpoint: local.endpoint, region: "ddblocal", credentials: LOCAL_CREDENTIALS });
  });
  beforeEach(async () => {
    receiver = await CloudEventsReceiver.start();
    logs.length = 0;
  });
  afterEach(async function () {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
    await receiver.close();
    if (this.currentTest?.state === "failed") console.log(logs.slice(-40).join("\n"));
  });
  after(async () => {
    db?.destroy();
    await local?.stop();
  });

  async function startPoller(table: string, extra: Record<string, string> = {}): Promise<PollerProcess> {
    const healthPort = await freePort();
    const poller = startPollerProcess(
      {
        PATH: process.env.PATH,
        NODE_OPTIONS: `-r ${FORBID_DEV_DEPS}`,
        ARN: localTableArn(table),
        K_SINK: receiver.url,
        STARTING_POSITION: "TRIM_HORIZON",
        CHECKPOINT_TABLE: "e2e-checkpoints",
        CHECKPOINT_TABLE_CREATE: "true",
        CONSUMER_NAME: `e2e/${table}`,
        POLL_INTERVAL: "100",
        HEALTH_PORT: String(healthPort),
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: "info",
        AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: local.endpoint,
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        ...extra,
      },
      (line) => logs.push(line),
    );
    pollers.push(poller);
    await waitUntilReady(`http://127.0.0.1:${healthPort}/readyz`, 30_000, poller.exited);
    return poller;
  }

  async function writeInsertModifyRemove(
    table: string,
    id: string,
    item: Record<string, TableAttributeValue>,
  ) {
    await db.send(new PutItemCommand({ TableName: table, Item: { pk: { S: id }, ...item } }));
    await db.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: id } },
        UpdateExpression: "SET #v = :v",
        ExpressionAttributeNames: { "#v": "version" },
        ExpressionAttributeValues: { ":v": { N: "2" } },
      }),
    );
    await db.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: id } } }));
  }

  function eventsOf(id: string): Event[] {
    return (receiver.accepted as Event[]).filter((e) => String(e.partitionkey).includes(id));
  }

  it("delivers INSERT, MODIFY and REMOVE with every attribute, typed data, and resumes after SIGTERM with no gap or duplicate", async () => {
    const table = "e2e-main";
    await createSourceTable(db, table, "NEW_AND_OLD_IMAGES");
    const { Table } = await db.send(new DescribeTableCommand({ TableName: table }));
    const streamArn = Table?.LatestStreamArn;
    const poller = await startPoller(table);

    await writeInsertModifyRemove(table, "ünï-1", EVERY_TYPE);
    await receiver.waitForAccepted(3, 20_000);
    const events = eventsOf("ünï-1");
    expect(events.map((e) => e.dynamodboperation)).to.deep.equal(["INSERT", "MODIFY", "REMOVE"]);

    const sequences = events.map((e) => BigInt(String(e.dynamodbsequence)));
    expect(sequences).to.deep.equal([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const event of events) {
      const data = event.data as Data & { dynamodb: Data };
      expect(event.specversion).to.equal("1.0");
      expect(event.type).to.equal("com.amazon.dynamodb.stream_record");
      expect(event.source).to.equal(localTableArn(table));
      expect(event.id).to.equal(data.eventID);
      expect(event.subject).to.equal("pk");
      expect(event.datacontenttype).to.equal("application/json");
      expect(event.partitionkey).to.equal("pk=S:ünï-1");
      expect(String(event.dynamodbsequence)).to.equal(data.dynamodb.SequenceNumber);
      // DynamoDB Local rounds ApproximateCreationDateTime to the minute; the event time is that value.
      const approx = Number(data.dynamodb.ApproximateCreationDateTime) * 1000;
      expect(new Date(String(event.time)).getTime()).to.equal(approx);
      expect(Math.abs(approx - Date.now())).to.be.lessThan(3 * 60_000);
      expect(data.eventName).to.equal(event.dynamodboperation);
      expect(data.eventSource).to.equal("aws:dynamodb");
      expect(data.eventSourceARN).to.equal(streamArn);
      expect(data.dynamodb.StreamViewType).to.equal("NEW_AND_OLD_IMAGES");
      expect(data.dynamodb.Keys).to.deep.equal({ pk: { S: "ünï-1" } });
    }
    const first = events[0]?.data as { dynamodb: { NewImage: Record<string, unknown> } } | undefined;
    const inserted = first?.dynamodb.NewImage ?? {};
    expect(inserted.n38).to.deep.equal({ N: "12345678901234567890123456789012345678" });
    expect(inserted.b).to.deep.equal({ B: "3q2+7w==" });
    expect(inserted.bs).to.deep.equal({ BS: ["AQ==", "AgM="] });
    expect(inserted.ns).to.deep.equal({ NS: ["1", "99999999999999999999999999999999999999"] });
    expect(inserted.m).to.deep.equal({ M: { inner: { S: "x" }, deep: { M: { n: { N: "7" } } } } });
    expect(inserted.l).to.deep.equal({ L: [{ S: "a" }, { N: "1" }, { BOOL: false }] });
    expect(inserted.nul).to.deep.equal({ NULL: true });
    expect(inserted.s).to.deep.equal({ S: "héllo wörld ✓ 日本語" });
    expect(Object.getOwnPropertyDescriptor(inserted, "__proto__")?.value).to.deep.equal({
      M: { under: { S: "proto" } },
    });
    const removed = events[2]?.data as { dynamodb: Data } | undefined;
    expect(removed?.dynamodb.NewImage).to.equal(undefined);
    expect((removed?.dynamodb.OldImage as Data | undefined)?.version).to.deep.equal({ N: "2" });

    // Graceful stop: exit 0 after the final checkpoint; changes made while it is down arrive after the restart,
    // and nothing delivered before is delivered again.
    expect(await poller.stop()).to.equal(0);
    await writeInsertModifyRemove(table, "ünï-2", { big: { S: "x".repeat(390 * 1024) } });
    await startPoller(table);
    await receiver.waitForAccepted(6, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.accepted.map((e) => e.dynamodboperation)).to.deep.equal([
      "INSERT",
      "MODIFY",
      "REMOVE",
      "INSERT",
      "MODIFY",
      "REMOVE",
    ]);
    const big = eventsOf("ünï-2")[0]?.data as { dynamodb: { NewImage: { big: { S: string } } } } | undefined;
    expect(big?.dynamodb.NewImage.big.S).to.have.length(390 * 1024);
  });

  for (const viewType of ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] as const) {
    it(`carries the images that the ${viewType} view type gives`, async () => {
      const table = `e2e-view-${viewType.toLowerCase().replace(/_/g, "-")}`;
      await createSourceTable(db, table, viewType);
      await startPoller(table);
      await writeInsertModifyRemove(table, "v-1", { a: { S: "1" } });
      await receiver.waitForAccepted(3, 20_000);
      const images = receiver.accepted.map((e) => {
        const dynamodb = (e.data as { dynamodb: Data }).dynamodb;
        return [dynamodb.NewImage !== undefined, dynamodb.OldImage !== undefined];
      });
      const hasNew = viewType === "NEW_IMAGE" || viewType === "NEW_AND_OLD_IMAGES";
      const hasOld = viewType === "OLD_IMAGE" || viewType === "NEW_AND_OLD_IMAGES";
      expect(images).to.deep.equal([
        [hasNew, false],
        [hasNew, hasOld],
        [false, hasOld],
      ]);
    });
  }

  it("emits TriggerMesh's data shape (valid against the seed's schema) with DATA_FORMAT=triggermesh", async () => {
    const table = "e2e-triggermesh";
    await createSourceTable(db, table, "NEW_AND_OLD_IMAGES");
    await startPoller(table, { DATA_FORMAT: "triggermesh" });
    await writeInsertModifyRemove(table, "tm-1", EVERY_TYPE);
    await receiver.waitForAccepted(3, 20_000);
    const validate = seedValidator();
    for (const event of receiver.accepted) {
      expect(validate(event.data), JSON.stringify(validate.errors)).to.equal(true);
      expect((event.data as Data).EventName).to.equal(event.dynamodboperation);
    }
  });

  it("emits lossless plain JSON with DATA_FORMAT=plain, in structured mode", async () => {
    const table = "e2e-plain";
    await createSourceTable(db, table, "NEW_AND_OLD_IMAGES");
    await startPoller(table, { DATA_FORMAT: "plain", CE_CONTENT_MODE: "structured" });
    await writeInsertModifyRemove(table, "p-1", EVERY_TYPE);
    await receiver.waitForAccepted(3, 20_000);
    expect(receiver.requests.every((r) => r.mode === "structured")).to.equal(true);
    const inserted = receiver.accepted[0]?.data as { keys: Data; newImage: Data };
    expect(inserted.keys).to.deep.equal({ pk: "p-1" });
    expect(inserted.newImage).to.deep.include({
      n38: "12345678901234567890123456789012345678",
      nsmall: -0.5,
      b: "3q2+7w==",
      nul: null,
      bool: true,
      s: "héllo wörld ✓ 日本語",
    });
    expect(inserted.newImage.ss).to.have.members(["a", "b"]);
    expect(inserted.newImage.l).to.deep.equal(["a", 1, false]);
  });

  it("PARALLELISM and BATCH_SIZE: batches per lane in order per item, and a refused event bisected out and dropped", async () => {
    const table = "e2e-lanes-batches";
    await createSourceTable(db, table, "NEW_AND_OLD_IMAGES");
    const items = Array.from({ length: 12 }, (_, i) => `lb-${i}`);
    for (const id of items) await writeInsertModifyRemove(table, id, { n: { N: "1" } });
    // The sink cannot take lb-7's MODIFY: any batch holding it gets a 400.
    const poison = (e: CloudEventV1<unknown>) =>
      String(e.partitionkey) === "pk=S:lb-7" && e.dynamodboperation === "MODIFY";
    receiver.respondWith((request) => (request.events.some(poison) ? { status: 400 } : { status: 202 }));
    await startPoller(table, { PARALLELISM: "4", BATCH_SIZE: "50", DELIVERY_RETRY: "0" });
    await receiver.waitForAccepted(items.length * 3 - 1, 30_000);

    expect(receiver.requests.every((r) => r.mode === "batch")).to.equal(true);
    expect(receiver.requests.some((r) => r.events.length > 1)).to.equal(true);
    const operationsOf = (id: string) =>
      receiver.accepted
        .filter((e) => String(e.partitionkey) === `pk=S:${id}`)
        .map((e) => e.dynamodboperation);
    for (const id of items) {
      expect(operationsOf(id), id).to.deep.equal(
        id === "lb-7" ? ["INSERT", "REMOVE"] : ["INSERT", "MODIFY", "REMOVE"],
      );
    }
    expect(receiver.accepted.some(poison)).to.equal(false);
    // The drop is logged (the child's output arrives asynchronously).
    const dropped = (line: string) => line.includes("event dropped") && line.includes('"reason":"rejected"');
    for (let waited = 0; !logs.some(dropped) && waited < 5_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(logs.some(dropped)).to.equal(true);
  });
});
