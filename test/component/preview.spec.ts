import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { DynamoDBSource } from "../../src/component";
import {
  byType,
  installMocks,
  OIDC_ISSUER,
  OIDC_PROVIDER_ARN,
  one,
  peek,
  recorded,
  reset,
  settle,
} from "./harness";

describe("component preview: a table ARN that is not known yet", () => {
  before(() => installMocks(true));
  beforeEach(reset);

  it("registers every child without crashing; values derived from the ARN stay unknown", async () => {
    // A table created in the same program: its ARN is unknown during the first preview.
    const table = new aws.dynamodb.Table("orders", {
      attributes: [{ name: "id", type: "S" }],
      hashKey: "id",
      billingMode: "PAY_PER_REQUEST",
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
    });
    const source = new DynamoDBSource("orders", {
      tableArn: table.arn,
      namespace: "events",
      sink: { uri: "http://sink" },
      auth: { irsa: { oidcProviderArn: OIDC_PROVIDER_ARN, oidcIssuerUrl: OIDC_ISSUER } },
    });
    await settle();
    expect(recorded.map((r) => r.type)).to.include.members([
      "dynamodb-source:index:DynamoDBSource",
      "aws:dynamodb/table:Table",
      "aws:iam/policy:Policy",
      "aws:iam/role:Role",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:apps/v1:Deployment",
    ]);
    expect(pulumi.isUnknown((one("aws:iam/policy:Policy").inputs as { policy: unknown }).policy)).to.equal(
      true,
    );
    // The trust policy does not depend on the table: it is complete at preview.
    expect(
      pulumi.isUnknown((one("aws:iam/role:Role").inputs as { assumeRolePolicy: unknown }).assumeRolePolicy),
    ).to.equal(false);
    expect((await peek(source.ceAttributes)).known).to.equal(false);
    expect((await peek(source.serviceAccountName)).known).to.equal(true);
    expect(byType("kubernetes:apps/v1:Deployment")).to.have.length(1);
  });
});
