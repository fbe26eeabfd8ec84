import { type DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import {
  awaitCheckpointTable,
  CheckpointTableMissingError,
} from "../../../src/poller/checkpoint/table-setup";

const FAST = { baseMs: 1, capMs: 2 };

/** A DynamoDB client whose DescribeTable answers come from `answers`, in order (an Error is thrown). */
function describeTableClient(answers: Array<Error | "ACTIVE">): {
  client: DynamoDBClient;
  calls: () => number;
} {
  let calls = 0;
  const client = {
    async send() {
      const answer = answers[Math.min(calls++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return { Table: { TableStatus: answer } };
    },
  } as unknown as DynamoDBClient;
  return { client, calls: () => calls };
}

const refused = () => Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" });
const denied = () => Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });

describe("checkpoint table at start-up", () => {
  it("retries a network error and a permission not yet granted until the table answers", async () => {
    const { client, calls } = describeTableClient([refused(), denied(), "ACTIVE"]);
    const retries: Array<{ error: string; failures: number }> = [];
    const outcome = await awaitCheckpointTable(client, "checkpoints", false, {
      signal: new AbortController().signal,
      backoff: FAST,
      onRetry: ({ error, failures }) => retries.push({ error, failures }),
    });
    expect(outcome).to.equal("exists");
    expect(calls()).to.equal(3);
    expect(retries).to.deep.equal([
      { error: "ECONNREFUSED", failures: 1 },
      { error: "AccessDeniedException", failures: 2 },
    ]);
  });

  it("does not retry a missing table that may not be created: that is a configuration error", async () => {
    const missing = new ResourceNotFoundException({ message: "no such table", $metadata: {} });
    const { client, calls } = describeTableClient([missing]);
    let retried = false;
    const failure = await awaitCheckpointTable(client, "typo", false, {
      signal: new AbortController().signal,
      backoff: FAST,
      onRetry: () => {
        retried = true;
      },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).to.be.instanceOf(CheckpointTableMissingError);
    expect(String((failure as Error).message)).to.match(
      /CHECKPOINT_TABLE typo does not exist.*CHECKPOINT_TABLE_CREATE=true/,
    );
    expect(retried).to.equal(false);
    expect(calls()).to.equal(1);
  });

  it("gives up when stopped while the table is unreachable", async () => {
    const { client } = describeTableClient([refused()]);
    const stop = new AbortController();
    const waiting = awaitCheckpointTable(client, "checkpoints", false, {
      signal: stop.signal,
      backoff: { baseMs: 60_000, capMs: 60_000 },
      onRetry: () => stop.abort(),
    });
    const failure = await waiting.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((failure as { code?: string }).code).to.equal("ECONNREFUSED");
  });
});
