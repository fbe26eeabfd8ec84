/**
 * Every example program runs under mocks: imported (they are top-level Pulumi programs) after the mocks and their
 * stack config are installed, once per process.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  byType,
  containerEnv,
  installMocks,
  OIDC_ISSUER,
  OIDC_PROVIDER_ARN,
  one,
  plainStrings,
  recorded,
  reset,
  settle,
  TABLE_ARN,
  unwrap,
} from "./harness";
import { validateKubernetesObjects } from "./k8s-schemas";

/** Example configs must not leak into suites that run later in the same process. */
const clearConfig = () => pulumi.runtime.setAllConfig({});

async function runExample(
  dir: string,
  project: string,
  config: Record<string, string>,
  secretKeys: string[] = [],
) {
  await installMocks(false, project);
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`${project}:${k}`, v])),
    secretKeys.map((k) => `${project}:${k}`),
  );
  reset();
  // require, not import(): these CommonJS tests keep import() native (for kubernetes-models), and native ESM
  // cannot load TypeScript; ts-node's require hook can. A program runs once per process (module cache).
  require(`../../examples/${dir}/index`);
  await settle();
}

describe("example eks-irsa (under mocks)", () => {
  after(clearConfig);
  before(() =>
    runExample("eks-irsa", "dynamodb-source-eks-irsa", {
      oidcProviderArn: OIDC_PROVIDER_ARN,
      oidcIssuerUrl: OIDC_ISSUER,
    }),
  );

  it("creates the table, the sink, and an IRSA source wired to them", async () => {
    expect(byType("aws:dynamodb/table:Table")).to.have.length(2); // the orders table + the checkpoint table
    const trust = JSON.parse(
      unwrap((one("aws:iam/role:Role").inputs as { assumeRolePolicy: string }).assumeRolePolicy) as string,
    );
    expect(JSON.stringify(trust)).to.include("system:serviceaccount:events:orders-dynamodb-source");
    const poller = byType("kubernetes:apps/v1:Deployment").find((d) => d.name === "orders");
    expect(poller).to.not.equal(undefined);
    if (poller)
      expect(containerEnv(poller).get("K_SINK")).to.equal("http://event-display.events.svc.cluster.local");
    await validateKubernetesObjects(recorded);
  });
});

describe("example access-keys (under mocks)", () => {
  after(clearConfig);
  before(() =>
    runExample(
      "access-keys",
      "dynamodb-source-access-keys",
      {
        tableArn: TABLE_ARN,
        sinkUri: "http://sink.default.svc.cluster.local",
        accessKeyId: "AKIAEXAMPLEKEYID",
        secretAccessKey: "EXAMPLE/SECRET/KEY",
      },
      ["accessKeyId", "secretAccessKey"],
    ),
  );

  it("stores the keys from secret config in a Secret, never in plain text", async () => {
    for (const record of recorded) {
      expect(
        plainStrings(record.inputs).filter(
          (s) => s.includes("EXAMPLE/SECRET/KEY") || s.includes("AKIAEXAMPLEKEYID"),
        ),
      ).to.deep.equal([]);
    }
    expect(byType("kubernetes:core/v1:Secret")).to.have.length(1);
    expect(containerEnv(one("kubernetes:apps/v1:Deployment")).get("DATA_FORMAT")).to.equal("plain");
    await validateKubernetesObjects(recorded);
  });
});

describe("example knative-broker (under mocks)", () => {
  after(clearConfig);
  before(() =>
    runExample("knative-broker", "dynamodb-source-knative-broker", {
      tableArn: TABLE_ARN,
      clusterName: "my-eks",
    }),
  );

  it("binds the poller to the Broker and filters INSERTs with a Trigger", async () => {
    const binding = unwrap(one("kubernetes:sources.knative.dev/v1:SinkBinding").inputs) as {
      spec: {
        sink: { ref: { kind: string; name: string } };
        ceOverrides: { extensions: Record<string, string> };
      };
    };
    expect(binding.spec.sink.ref).to.include({ kind: "Broker", name: "default" });
    expect(binding.spec.ceOverrides.extensions).to.deep.equal({ table: "orders" });
    const trigger = unwrap(one("kubernetes:eventing.knative.dev/v1:Trigger").inputs) as {
      spec: {
        broker: string;
        filter: { attributes: Record<string, string> };
        subscriber: { ref: { name: string } };
      };
    };
    expect(trigger.spec.broker).to.equal("default");
    expect(trigger.spec.filter.attributes).to.deep.equal({
      type: "com.amazon.dynamodb.stream_record",
      dynamodboperation: "INSERT",
      table: "orders",
    });
    expect(trigger.spec.subscriber.ref.name).to.equal("order-created");
    expect(containerEnv(one("kubernetes:apps/v1:Deployment")).has("K_SINK")).to.equal(false);
    await validateKubernetesObjects(recorded);
  });
});

describe("example pod-identity (under mocks)", () => {
  after(clearConfig);
  before(() =>
    runExample("pod-identity", "dynamodb-source-pod-identity", {
      clusterName: "my-eks",
      sinkUri: "http://sink.events.svc.cluster.local",
    }),
  );

  it("associates a Pod Identity role and protects the checkpoint table", async () => {
    expect(
      (unwrap(one("aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs) as { clusterName: string })
        .clusterName,
    ).to.equal("my-eks");
    const checkpoint = byType("aws:dynamodb/table:Table").find((t) => t.name === "orders-checkpoints");
    expect(checkpoint?.inputs).to.have.property("deletionProtectionEnabled", true);
    expect(containerEnv(one("kubernetes:apps/v1:Deployment")).get("DEAD_LETTER_SINK")).to.equal(
      "http://dead-letters.events.svc.cluster.local",
    );
    await validateKubernetesObjects(recorded);
  });
});
