import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { DynamoDBSource, type DynamoDBSourceArgs } from "../../src/component";
import { ENV } from "../../src/shared/env-contract";
import {
  byType,
  completedBefore,
  containerEnv,
  installMocks,
  one,
  recorded,
  reset,
  resolved,
  settle,
  TABLE_ARN,
  unwrap,
} from "./harness";
import { validateKubernetesObjects } from "./k8s-schemas";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const BINDING = "kubernetes:sources.knative.dev/v1:SinkBinding";

async function deploy(
  sink: DynamoDBSourceArgs["sink"],
  extra: Partial<DynamoDBSourceArgs> = {},
): Promise<DynamoDBSource> {
  const source = new DynamoDBSource("orders", { tableArn: TABLE_ARN, namespace: "events", sink, ...extra });
  await settle();
  return source;
}

interface SinkBindingShape {
  apiVersion: string;
  kind: string;
  metadata: { namespace: string; labels: Record<string, string> };
  spec: {
    subject: { apiVersion: string; kind: string; name: string };
    sink: { ref: { apiVersion: string; kind: string; name: string; namespace: string } };
    ceOverrides?: { extensions: Record<string, string> };
  };
}

describe("component sink: uri", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("writes K_SINK and outputs sinkUri; no SinkBinding", async () => {
    const source = await deploy({ uri: "https://events.example.com/ingest" });
    expect(containerEnv(one(DEPLOYMENT)).get(ENV.sink)).to.equal("https://events.example.com/ingest");
    expect(await resolved(source.sinkUri ?? pulumi.output(""))).to.equal("https://events.example.com/ingest");
    expect(byType(BINDING)).to.have.length(0);
  });
});

describe("component sink: v1 Service ref", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("resolves to the Service's cluster DNS URL in the source's namespace", async () => {
    const source = await deploy({ ref: { apiVersion: "v1", kind: "Service", name: "event-display" } });
    expect(await resolved(source.sinkUri ?? pulumi.output(""))).to.equal(
      "http://event-display.events.svc.cluster.local",
    );
    expect(containerEnv(one(DEPLOYMENT)).get(ENV.sink)).to.equal(
      "http://event-display.events.svc.cluster.local",
    );
  });

  it("honours another namespace and a port", async () => {
    const source = await deploy({
      ref: { apiVersion: "v1", kind: "Service", name: "ingest", namespace: "sinks", port: 8080 },
    });
    expect(await resolved(source.sinkUri ?? pulumi.output(""))).to.equal(
      "http://ingest.sinks.svc.cluster.local:8080",
    );
  });
});

describe("component sink: Knative addressable ref (SinkBinding)", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("binds the Deployment to the Broker before the Deployment exists; no K_SINK and no sinkUri output", async () => {
    const source = await deploy(
      { ref: { apiVersion: "eventing.knative.dev/v1", kind: "Broker", name: "default" } },
      { ceOverrides: { team: "orders" } },
    );
    const binding = unwrap(one(BINDING).inputs) as SinkBindingShape;
    expect(binding.apiVersion).to.equal("sources.knative.dev/v1");
    expect(binding.kind).to.equal("SinkBinding");
    expect(binding.metadata.namespace).to.equal("events");
    expect(binding.spec.subject).to.deep.equal({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "orders-dynamodb-source",
    });
    expect(binding.spec.sink.ref).to.deep.equal({
      apiVersion: "eventing.knative.dev/v1",
      kind: "Broker",
      name: "default",
      namespace: "events",
    });
    // Knative's webhook removes any K_CE_OVERRIDES it did not set: the binding carries the overrides.
    expect(binding.spec.ceOverrides).to.deep.equal({ extensions: { team: "orders" } });
    const env = containerEnv(one(DEPLOYMENT));
    expect(env.has(ENV.sink)).to.equal(false);
    expect(env.has(ENV.ceOverrides)).to.equal(false);
    expect(source.sinkUri).to.equal(undefined);
    expect(completedBefore.get(one(DEPLOYMENT))).to.include(BINDING);
    expect(await resolved(source.deploymentName)).to.equal(binding.spec.subject.name);
    await validateKubernetesObjects(recorded);
  });

  it("works for any addressable kind (TriggerMesh RedisBroker in another namespace)", async () => {
    await deploy({
      ref: {
        apiVersion: "eventing.triggermesh.io/v1alpha1",
        kind: "RedisBroker",
        name: "rb",
        namespace: "mesh",
      },
    });
    const binding = unwrap(one(BINDING).inputs) as SinkBindingShape;
    expect(binding.spec.sink.ref).to.deep.equal({
      apiVersion: "eventing.triggermesh.io/v1alpha1",
      kind: "RedisBroker",
      name: "rb",
      namespace: "mesh",
    });
    expect(binding.spec.ceOverrides).to.equal(undefined);
  });
});
