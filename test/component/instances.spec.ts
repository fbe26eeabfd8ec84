import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { DynamoDBSource } from "../../src/component";
import { installMocks, recorded, reset, resolved, settle, TABLE_ARN } from "./harness";

describe("component instances: two sources in one stack", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("register distinct URNs and distinct Kubernetes names, every child under its component", async () => {
    const a = new DynamoDBSource("orders", { tableArn: TABLE_ARN, sink: { uri: "http://a" } });
    const b = new DynamoDBSource("payments", {
      tableArn: TABLE_ARN.replace("orders", "payments"),
      sink: { uri: "http://b" },
      checkpoint: { create: false, tableName: "shared-checkpoints" },
    });
    await settle();
    const urns = recorded.map((r) => `${r.type}::${r.name}`);
    expect(new Set(urns).size).to.equal(urns.length);
    expect(await resolved(a.deploymentName)).to.equal("orders-dynamodb-source");
    expect(await resolved(b.deploymentName)).to.equal("payments-dynamodb-source");
    expect(await resolved(a.serviceAccountName)).to.not.equal(await resolved(b.serviceAccountName));
    const components = recorded.filter((r) => r.type === "dynamodb-source:index:DynamoDBSource");
    expect(components.map((c) => c.name)).to.have.members(["orders", "payments"]);
    // Every child name starts with its component's name.
    for (const child of recorded.filter((r) => r.custom)) {
      expect(child.name).to.match(/^(orders|payments)(-|$)/);
    }
    expect(await resolved(a.ceAttributes)).to.deep.equal([
      { type: "com.amazon.dynamodb.stream_record", source: TABLE_ARN },
    ]);
  });

  it("parents every child to the component", async () => {
    // Legacy transformations run in the SDK (also under mocks) and see each child's options.
    const parents: Array<[string, pulumi.Resource | undefined]> = [];
    const source = new DynamoDBSource(
      "orders",
      {
        tableArn: TABLE_ARN,
        sink: { ref: { apiVersion: "eventing.knative.dev/v1", kind: "Broker", name: "default" } },
        replicas: 2,
        auth: { podIdentity: { clusterName: "c" } },
      },
      {
        transformations: [
          (args) => {
            // The component's own transformations also see the component itself.
            if (args.type !== "dynamodb-source:index:DynamoDBSource")
              parents.push([args.type, args.opts.parent]);
            return undefined;
          },
        ],
      },
    );
    await settle();
    const childTypes = recorded.filter((r) => r.custom).map((r) => r.type);
    expect(parents.map(([type]) => type)).to.have.members(childTypes);
    expect(childTypes).to.have.length.greaterThan(7);
    for (const [type, parent] of parents) expect(parent, type).to.equal(source);
  });
});

describe("component providers", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("children use the providers given to the component, per package", async () => {
    const awsProvider = new aws.Provider("data-account", { region: "eu-west-1" });
    const k8sProvider = new k8s.Provider("cluster", { context: "prod" });
    new DynamoDBSource(
      "orders",
      { tableArn: TABLE_ARN, sink: { uri: "http://a" }, auth: { podIdentity: { clusterName: "c" } } },
      { providers: { aws: awsProvider, kubernetes: k8sProvider } },
    );
    await settle();
    const children = recorded.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    expect(children.length).to.be.greaterThan(5);
    for (const child of children) {
      const expected = child.type.startsWith("aws:")
        ? "pulumi:providers:aws::data-account"
        : "pulumi:providers:kubernetes::cluster";
      expect(child.provider, child.type).to.include(expected);
    }
  });
});
