import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { expect } from "chai";
import { DynamoDBSource } from "../../src/component";

interface PackageSchema {
  resources: Record<
    string,
    {
      requiredInputs: string[];
      required: string[];
      properties: Record<string, unknown>;
      inputProperties: Record<string, { plain?: boolean }>;
    }
  >;
}

/** Pulumi's multi-language schema inference accepts the component: named interfaces, enums, no unions or `any`. */
describe("component schema (multi-language inference)", function () {
  this.timeout(180_000);

  it("infers the schema: required inputs, plain structural choices, optional outputs", async () => {
    const provider = new ComponentProvider({
      components: [DynamoDBSource],
      name: "dynamodb-source",
      dirname: path.resolve(__dirname, "../.."),
    });
    const schema = JSON.parse(await provider.getSchema()) as PackageSchema;
    const resource = schema.resources["dynamodb-source:index:DynamoDBSource"];
    expect(resource?.requiredInputs).to.have.members(["tableArn", "sink"]);
    expect(resource?.required).to.have.members([
      "deploymentName",
      "serviceAccountName",
      "policyArn",
      "checkpointTableName",
      "ceAttributes",
    ]);
    expect(Object.keys(resource?.properties ?? {})).to.have.members([
      "deploymentName",
      "serviceAccountName",
      "roleArn",
      "policyArn",
      "checkpointTableName",
      "sinkUri",
      "ceAttributes",
    ]);
    for (const structural of ["sink", "auth", "serviceAccount", "checkpoint", "replicas"]) {
      expect(resource?.inputProperties[structural]?.plain, structural).to.equal(true);
    }
    expect(resource?.inputProperties.tableArn?.plain).to.equal(undefined);
  });
});
