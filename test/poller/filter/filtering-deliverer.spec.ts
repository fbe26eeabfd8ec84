import type { _Record as StreamRecord } from "@aws-sdk/client-dynamodb-streams";
import { expect } from "chai";
import { Registry } from "prom-client";
import { ConfigError, loadConfig } from "../../../src/poller/config";
import type { RecordDeliverer, SettledOutcome, ShardContext } from "../../../src/poller/delivery/types";
import { filterRecords } from "../../../src/poller/filter/filtering-deliverer";
import { createMetrics, type Metrics } from "../../../src/poller/ops/metrics";
import { compileFilterText } from "../../../src/shared/event-pattern";

const CONTEXT: ShardContext = {
  tableArn: "arn",
  region: "eu-west-1",
  streamArn: "stream",
  shardId: "shard-1",
};

function record(seq: number, eventName: string): StreamRecord {
  return {
    eventID: `e${seq}`,
    eventName: eventName as StreamRecord["eventName"],
    dynamodb: { SequenceNumber: String(seq), Keys: { pk: { S: `k${seq}` } } },
  };
}

/** Settles each record it is given, in order, after a macrotask (a sink with latency); can fail at one record. */
class SlowInner implements RecordDeliverer {
  readonly received: string[] = [];
  failAt: string | undefined;
  async deliver(
    records: readonly StreamRecord[],
    _context: ShardContext,
    onSettled: (record: StreamRecord, outcome: SettledOutcome) => void,
  ): Promise<void> {
    for (const r of records) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (r.eventID === this.failAt) throw new Error("sink down");
      this.received.push(r.eventID ?? "");
      onSettled(r, "delivered");
    }
  }
  async close(): Promise<void> {}
}

const onlyInserts = () => {
  const compiled = compileFilterText('{"eventName":["INSERT"]}');
  if (!compiled.ok) throw new Error("pattern");
  return compiled.value.filter;
};

async function filteredCount(metrics: Metrics): Promise<number> {
  return (await metrics.recordsFiltered.get()).values[0]?.value ?? 0;
}

describe("FILTER in front of the deliverer", () => {
  const batch = [
    record(1, "MODIFY"),
    record(2, "INSERT"),
    record(3, "REMOVE"),
    record(4, "MODIFY"),
    record(5, "INSERT"),
    record(6, "REMOVE"),
  ];

  it("sends only matching records and settles every record in stream order", async () => {
    const inner = new SlowInner();
    const metrics = createMetrics(new Registry());
    const settled: string[] = [];
    await filterRecords(inner, onlyInserts(), metrics).deliver(
      batch,
      CONTEXT,
      (r, outcome) => settled.push(`${r.eventID}:${outcome}`),
      new AbortController().signal,
    );
    expect(inner.received).to.deep.equal(["e2", "e5"]);
    expect(settled).to.deep.equal([
      "e1:filtered",
      "e2:delivered",
      "e3:filtered",
      "e4:filtered",
      "e5:delivered",
      "e6:filtered",
    ]);
    expect(await filteredCount(metrics)).to.equal(4);
  });

  it("never settles a filtered record after an undelivered one", async () => {
    const inner = new SlowInner();
    inner.failAt = "e5";
    const metrics = createMetrics(new Registry());
    const settled: string[] = [];
    const delivering = filterRecords(inner, onlyInserts(), metrics).deliver(
      batch,
      CONTEXT,
      (r) => settled.push(r.eventID ?? ""),
      new AbortController().signal,
    );
    const failure = await delivering.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).to.be.instanceOf(Error).with.property("message", "sink down");
    expect(settled).to.deep.equal(["e1", "e2", "e3", "e4"]);
    expect(await filteredCount(metrics)).to.equal(3);
  });

  it("passes batch mode's page window on", () => {
    const inner = Object.assign(new SlowInner(), { pageFill: { records: 100, windowMs: 250 } });
    const metrics = createMetrics(new Registry());
    expect(filterRecords(inner, onlyInserts(), metrics).pageFill).to.deep.equal({
      records: 100,
      windowMs: 250,
    });
  });

  it("does not call the deliverer when nothing matches", async () => {
    const inner = new SlowInner();
    const settled: string[] = [];
    await filterRecords(inner, onlyInserts(), createMetrics(new Registry())).deliver(
      [record(1, "REMOVE"), record(2, "MODIFY")],
      CONTEXT,
      (r) => settled.push(r.eventID ?? ""),
      new AbortController().signal,
    );
    expect(inner.received).to.deep.equal([]);
    expect(settled).to.deep.equal(["e1", "e2"]);
  });
});

describe("FILTER configuration", () => {
  const BASE = { ARN: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders", K_SINK: "http://sink" };

  it("compiles one pattern or a list", () => {
    expect(loadConfig(BASE).filter).to.equal(undefined);
    expect(loadConfig({ ...BASE, FILTER: '{"eventName":["INSERT"]}' }).filter?.patterns).to.equal(1);
    const two = loadConfig({ ...BASE, FILTER: '[{"eventName":["INSERT"]},{"eventName":["REMOVE"]}]' }).filter;
    expect(two?.patterns).to.equal(2);
    expect(
      [record(1, "INSERT"), record(2, "MODIFY"), record(3, "REMOVE")].map((r) => two?.matches(r)),
    ).to.deep.equal([true, false, true]);
  });

  it("rejects an invalid pattern in one line naming FILTER and the position", () => {
    const message = (env: string) => {
      try {
        loadConfig({ ...BASE, FILTER: env });
      } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error("accepted");
    };
    expect(message('{"dynamodb":{"NewImage":{"amount":[{"numeric":[">","1"]}]}}}')).to.equal(
      "FILTER: pattern at $.dynamodb.NewImage.amount[0].numeric[1]: expected a number",
    );
    expect(message('{"eventName":["INSERT"')).to.equal(
      "FILTER: pattern is not valid JSON at character 22: unexpected end of JSON: missing ']'",
    );
  });
});
