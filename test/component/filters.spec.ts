import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { DynamoDBSource, type DynamoDBSourceArgs } from "../../src/component";
import { filterEnvValue } from "../../src/component/filters";
import { compileFilterText } from "../../src/shared/event-pattern";
import {
  byType,
  containerEnv,
  installMocks,
  propertyPaths,
  recorded,
  reset,
  settle,
  TABLE_ARN,
  thrown,
} from "./harness";

const valid: DynamoDBSourceArgs = {
  tableArn: TABLE_ARN,
  sink: { uri: "http://sink.default.svc.cluster.local" },
};
const INSERTS = '{"eventName": ["INSERT"]}';
const BIG_ORDERS = '{"dynamodb": {"NewImage": {"amount": [{"numeric": [">", 100]}]}}}';

function deploymentEnv(): Map<string, string> {
  const [deployment] = byType("kubernetes:apps/v1:Deployment");
  if (!deployment) throw new Error("no Deployment");
  return containerEnv(deployment);
}

describe("component filters (FILTER)", () => {
  before(() => installMocks());
  beforeEach(reset);

  const bad: Array<[string, string[], string, string]> = [
    [
      "JSON syntax, with the character",
      ['{"eventName": ["INSERT"'],
      "filters[0]",
      "not valid JSON at character 23",
    ],
    [
      "a numeric bound that is a string, with the JSON path",
      [INSERTS, '{"dynamodb": {"NewImage": {"amount": [{"numeric": [">", "100"]}]}}}'],
      "filters[1]",
      "at $.dynamodb.NewImage.amount[0].numeric[1]: expected a number",
    ],
    ["an unknown operator", ['{"eventName": [{"prefx": "I"}]}'], "filters[0]", 'unknown operator "prefx"'],
    ["a value that is not a list", ['{"eventName": "INSERT"}'], "filters[0]", "at $.eventName"],
    [
      "more than 10 patterns",
      Array.from({ length: 11 }, () => INSERTS),
      "filters",
      "11 patterns; at most 10",
    ],
    [
      "a pattern over 4096 characters",
      [`{"eventID": ["${"x".repeat(4100)}"]}`],
      "filters[0]",
      "at most 4096",
    ],
  ];
  for (const [what, filters, path, says] of bad) {
    it(`rejects ${what} at preview (${path})`, async () => {
      const error = thrown(() => new DynamoDBSource("orders", { ...valid, filters }));
      expect(propertyPaths(error)).to.deep.equal([path]);
      expect((error as Error).message).to.contain(says);
      await settle();
      expect(recorded, "nothing may be registered").to.deep.equal([]);
    });
  }

  it("writes FILTER as a JSON array the poller compiles, ten patterns at most", async () => {
    const filters = [INSERTS, ...Array.from({ length: 8 }, (_, i) => `{"eventID": ["e${i}"]}`), BIG_ORDERS];
    new DynamoDBSource("orders", { ...valid, filters });
    await settle();
    const text = deploymentEnv().get("FILTER");
    if (text === undefined) expect.fail("FILTER is not set");
    const compiled = compileFilterText(text);
    if (!compiled.ok) expect.fail(JSON.stringify(compiled.problem));
    expect(compiled.value.patterns).to.equal(10);
    expect(compiled.value.filter({ eventName: "INSERT" })).to.equal(true);
    expect(
      compiled.value.filter({ eventName: "MODIFY", dynamodb: { NewImage: { amount: { N: "101" } } } }),
    ).to.equal(true);
    expect(
      compiled.value.filter({ eventName: "MODIFY", dynamodb: { NewImage: { amount: { N: "99" } } } }),
    ).to.equal(false);
  });

  it("sets no FILTER without filters (or with an empty list)", async () => {
    new DynamoDBSource("orders", valid);
    new DynamoDBSource("orders-empty", { ...valid, filters: [] });
    await settle();
    for (const deployment of byType("kubernetes:apps/v1:Deployment")) {
      expect(containerEnv(deployment).has("FILTER")).to.equal(false);
    }
  });

  it("checks a pattern known only later, naming its index", async () => {
    const value = filterEnvValue([INSERTS, pulumi.output('{"eventName": []}')]);
    // The rejection of an Output's value (internal `promise()`, stripped from the .d.ts).
    const internals = pulumi.output(value) as unknown as { promise(): Promise<unknown> };
    const error = await internals.promise().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(pulumi.InputPropertyError.isInstance(error)).to.equal(true);
    expect((error as pulumi.InputPropertyError).propertyPath).to.equal("filters[1]");
  });
});
