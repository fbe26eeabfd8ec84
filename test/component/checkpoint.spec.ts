import { expect } from "chai";
import { DynamoDBSource, type DynamoDBSourceArgs } from "../../src/component";
import type { PolicyDocument } from "../../src/component/iam-policy";
import { ENV } from "../../src/shared/env-contract";
import {
  ACCOUNT,
  byType,
  containerEnv,
  installMocks,
  invokes,
  jsonInput,
  one,
  POD_ACCOUNT,
  reset,
  resolved,
  settle,
  TABLE_ARN,
  unwrap,
} from "./harness";

const TABLE = "aws:dynamodb/table:Table";
const POLICY = "aws:iam/policy:Policy";

async function deploy(extra: Partial<DynamoDBSourceArgs> = {}): Promise<DynamoDBSource> {
  const source = new DynamoDBSource("orders", {
    tableArn: TABLE_ARN,
    sink: { uri: "http://sink" },
    ...extra,
  });
  await settle();
  return source;
}

describe("component checkpoint table: created", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("has the poller's key schema, on demand, point-in-time recovery, in the source table's region", async () => {
    const source = await deploy();
    const table = unwrap(one(TABLE).inputs) as Record<string, unknown>;
    expect(table).to.deep.include({
      region: "eu-west-1",
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      rangeKey: "sk",
      deletionProtectionEnabled: false,
    });
    expect(table.attributes).to.deep.equal([
      { name: "pk", type: "S" },
      { name: "sk", type: "S" },
    ]);
    expect(table.pointInTimeRecovery).to.deep.equal({ enabled: true });
    expect(await resolved(source.checkpointTableName)).to.equal("orders-checkpoints-1a2b3c");
  });

  it("honours a name and deletion protection", async () => {
    const source = await deploy({
      checkpoint: { tableName: "orders-stream-checkpoints", deletionProtection: true },
    });
    const table = unwrap(one(TABLE).inputs) as Record<string, unknown>;
    expect(table).to.deep.include({ name: "orders-stream-checkpoints", deletionProtectionEnabled: true });
    expect(await resolved(source.checkpointTableName)).to.equal("orders-stream-checkpoints");
  });

  it("the policy grants checkpoint access on that table only", async () => {
    await deploy();
    const policy = jsonInput<PolicyDocument>(one(POLICY), "policy");
    const checkpoint = policy.Statement.find((s) => s.Sid === "UseCheckpointTable");
    expect(checkpoint?.Resource).to.deep.equal([
      `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders-checkpoints-1a2b3c`,
    ]);
    expect(policy.Statement.map((s) => [s.Sid, s.Resource])).to.deep.equal([
      ["DescribeSourceTable", [TABLE_ARN]],
      ["ReadSourceTableStream", [`${TABLE_ARN}/stream/*`]],
      ["UseCheckpointTable", [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders-checkpoints-1a2b3c`]],
    ]);
  });
});

describe("component checkpoint table: reused", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("creates no table and grants access to the named one in the source table's account and region", async () => {
    const source = await deploy({ checkpoint: { create: false, tableName: "shared-checkpoints" } });
    expect(byType(TABLE)).to.have.length(0);
    const policy = jsonInput<PolicyDocument>(one(POLICY), "policy");
    expect(policy.Statement.find((s) => s.Sid === "UseCheckpointTable")?.Resource).to.deep.equal([
      `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/shared-checkpoints`,
    ]);
    expect(containerEnv(one("kubernetes:apps/v1:Deployment")).get(ENV.checkpointTable)).to.equal(
      "shared-checkpoints",
    );
    expect(await resolved(source.checkpointTableName)).to.equal("shared-checkpoints");
  });

  it("cross-account (assumeRoleArn): the reused table is in the pod's own account, not the table's", async () => {
    await deploy({
      checkpoint: { create: false, tableName: "shared-checkpoints" },
      auth: { assumeRoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-stream-reader` },
    });
    const policy = jsonInput<PolicyDocument>(one(POLICY), "policy");
    expect(policy.Statement.find((s) => s.Sid === "UseCheckpointTable")?.Resource).to.deep.equal([
      `arn:aws:dynamodb:eu-west-1:${POD_ACCOUNT}:table/shared-checkpoints`,
    ]);
    expect(invokes).to.deep.equal(["aws:index/getCallerIdentity:getCallerIdentity"]);
  });

  it("same account: no invoke is needed", async () => {
    await deploy({ checkpoint: { create: false, tableName: "shared-checkpoints" } });
    expect(invokes).to.deep.equal([]);
  });
});
