import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { dynamoDbSourceStack } from "../../stack/program";
import { containerEnv, installMocks, one, propertyPaths, reset, settle, TABLE_ARN, thrown } from "./harness";

const PROJECT = "pulumi-dynamodb-source";

function setConfig(config: Record<string, string>): void {
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
  );
}

describe("root stack program: config `filters`", () => {
  before(() => installMocks(false, PROJECT));
  beforeEach(reset);
  after(() => pulumi.runtime.setAllConfig({}));

  it("takes patterns as YAML objects or JSON strings and writes them to FILTER", async () => {
    setConfig({
      tableArn: TABLE_ARN,
      sinkUri: "http://sink",
      filters: JSON.stringify([{ eventName: ["INSERT"] }, '{"eventName":["REMOVE"]}']),
    });
    dynamoDbSourceStack();
    await settle();
    const filter = containerEnv(one("kubernetes:apps/v1:Deployment")).get("FILTER");
    expect(JSON.parse(filter ?? "null")).to.deep.equal([
      { eventName: ["INSERT"] },
      { eventName: ["REMOVE"] },
    ]);
  });

  it("rejects an invalid pattern naming its index", () => {
    setConfig({
      tableArn: TABLE_ARN,
      sinkUri: "http://sink",
      filters: JSON.stringify([{ eventName: "INSERT" }]),
    });
    expect(propertyPaths(thrown(() => dynamoDbSourceStack()))).to.deep.equal(["filters[0]"]);
  });
});
