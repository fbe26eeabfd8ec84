import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  type BackoffPolicy,
  type DataFormat,
  DynamoDBSource,
  type DynamoDBSourceArgs,
  type StartingPosition,
} from "../../src/component";
import {
  installMocks,
  OIDC_ISSUER,
  OIDC_PROVIDER_ARN,
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

/** Mis-typed values, as they arrive from YAML, JSON config or JavaScript callers. */
function loosely<T>(value: unknown): T {
  return value as T;
}

const cases: Array<[string, Partial<DynamoDBSourceArgs>, string]> = [
  ["a missing tableArn", { tableArn: loosely<string>(undefined) }, "tableArn"],
  ["a malformed tableArn", { tableArn: "orders" }, "tableArn"],
  [
    "a stream ARN instead of the table ARN",
    { tableArn: `${TABLE_ARN}/stream/2026-01-01T00:00:00.000` },
    "tableArn",
  ],
  [
    "a table ARN with a short account",
    { tableArn: "arn:aws:dynamodb:eu-west-1:1234:table/orders" },
    "tableArn",
  ],
  ["no sink", { sink: loosely<DynamoDBSourceArgs["sink"]>(undefined) }, "sink"],
  ["an empty sink", { sink: {} }, "sink"],
  [
    "both sink.uri and sink.ref",
    { sink: { uri: "http://a", ref: { apiVersion: "v1", kind: "Service", name: "a" } } },
    "sink",
  ],
  ["a relative sink.uri", { sink: { uri: "/events" } }, "sink.uri"],
  ["a non-http sink.uri", { sink: { uri: "ftp://sink/" } }, "sink.uri"],
  ["a sink.ref without kind", { sink: { ref: { apiVersion: "v1", kind: "", name: "a" } } }, "sink.ref.kind"],
  [
    "a sink.ref without apiVersion",
    { sink: { ref: { apiVersion: "", kind: "Broker", name: "a" } } },
    "sink.ref.apiVersion",
  ],
  [
    "a sink.ref with an invalid name",
    { sink: { ref: { apiVersion: "v1", kind: "Service", name: "My_Sink" } } },
    "sink.ref.name",
  ],
  [
    "a port on a Broker ref",
    { sink: { ref: { apiVersion: "eventing.knative.dev/v1", kind: "Broker", name: "default", port: 80 } } },
    "sink.ref.port",
  ],
  [
    "a port out of range",
    { sink: { ref: { apiVersion: "v1", kind: "Service", name: "sink", port: 70000 } } },
    "sink.ref.port",
  ],
  ["an invalid namespace", { namespace: "Events" }, "namespace"],
  [
    "two auth modes",
    {
      auth: {
        credentials: { secretName: "aws" },
        irsa: { oidcProviderArn: OIDC_PROVIDER_ARN, oidcIssuerUrl: OIDC_ISSUER },
      },
    },
    "auth",
  ],
  ["credentials with neither values nor secretName", { auth: { credentials: {} } }, "auth.credentials"],
  [
    "credentials with both values and secretName",
    { auth: { credentials: { accessKeyId: "AKIA", secretAccessKey: "s", secretName: "aws" } } },
    "auth.credentials.secretName",
  ],
  [
    "an access key without its secret",
    { auth: { credentials: { accessKeyId: "AKIA" } } },
    "auth.credentials.secretAccessKey",
  ],
  [
    "a key name without secretName",
    { auth: { credentials: { accessKeyId: "AKIA", secretAccessKey: "s", accessKeyIdKey: "id" } } },
    "auth.credentials.accessKeyIdKey",
  ],
  ["IRSA without anything", { auth: { irsa: {} } }, "auth.irsa"],
  [
    "IRSA without issuer",
    { auth: { irsa: { oidcProviderArn: OIDC_PROVIDER_ARN } } },
    "auth.irsa.oidcIssuerUrl",
  ],
  [
    "IRSA without provider ARN",
    { auth: { irsa: { oidcIssuerUrl: OIDC_ISSUER } } },
    "auth.irsa.oidcProviderArn",
  ],
  [
    "IRSA with both roleArn and an OIDC provider",
    {
      auth: {
        irsa: {
          roleArn: "arn:aws:iam::123456789012:role/r",
          oidcProviderArn: OIDC_PROVIDER_ARN,
          oidcIssuerUrl: OIDC_ISSUER,
        },
      },
    },
    "auth.irsa.roleArn",
  ],
  [
    "IRSA with a malformed provider ARN",
    { auth: { irsa: { oidcProviderArn: "oidc", oidcIssuerUrl: OIDC_ISSUER } } },
    "auth.irsa.oidcProviderArn",
  ],
  [
    "IRSA with another cluster's issuer",
    {
      auth: {
        irsa: {
          oidcProviderArn: OIDC_PROVIDER_ARN,
          oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/OTHER",
        },
      },
    },
    "auth.irsa.oidcIssuerUrl",
  ],
  ["IRSA with a malformed roleArn", { auth: { irsa: { roleArn: "admin" } } }, "auth.irsa.roleArn"],
  [
    "Pod Identity without clusterName",
    { auth: { podIdentity: { clusterName: "" } } },
    "auth.podIdentity.clusterName",
  ],
  [
    "Pod Identity with a malformed roleArn",
    { auth: { podIdentity: { clusterName: "c", roleArn: "arn:aws:iam::123456789012:user/u" } } },
    "auth.podIdentity.roleArn",
  ],
  ["a malformed assumeRoleArn", { auth: { assumeRoleArn: "arn:aws:iam::1:role/x" } }, "auth.assumeRoleArn"],
  [
    "reusing a service account without its name",
    { serviceAccount: { create: false } },
    "serviceAccount.name",
  ],
  ["an invalid service account name", { serviceAccount: { name: "Orders Poller" } }, "serviceAccount.name"],
  ["reusing a checkpoint table without its name", { checkpoint: { create: false } }, "checkpoint.tableName"],
  ["an invalid checkpoint table name", { checkpoint: { tableName: "a" } }, "checkpoint.tableName"],
  [
    "deletion protection on a reused checkpoint table",
    { checkpoint: { create: false, tableName: "shared", deletionProtection: true } },
    "checkpoint.deletionProtection",
  ],
  [
    "an unknown startingPosition",
    { startingPosition: loosely<StartingPosition>("EARLIEST") },
    "startingPosition",
  ],
  ["an unknown dataFormat", { dataFormat: loosely<DataFormat>("json") }, "dataFormat"],
  [
    "an unknown contentMode",
    { contentMode: loosely<DynamoDBSourceArgs["contentMode"]>("batched") },
    "contentMode",
  ],
  ["an unknown logLevel", { logLevel: loosely<DynamoDBSourceArgs["logLevel"]>("trace") }, "logLevel"],
  ["an invalid pollInterval", { pollInterval: "1 second" }, "pollInterval"],
  ["a zero progressTimeout", { progressTimeout: "PT0S" }, "progressTimeout"],
  ["a pollInterval the poller would reject (5 ms)", { pollInterval: "5" }, "pollInterval"],
  ["a pollInterval longer than 5 minutes", { pollInterval: "PT6M" }, "pollInterval"],
  ["a progressTimeout under 1 s", { progressTimeout: "PT0.5S" }, "progressTimeout"],
  ["an empty consumerName", { consumerName: " " }, "consumerName"],
  [
    "an invalid CloudEvents extension name",
    { ceOverrides: { "Team-Name": "orders" } },
    "ceOverrides.Team-Name",
  ],
  ["a negative retry", { delivery: { retry: -1 } }, "delivery.retry"],
  ["a fractional retry", { delivery: { retry: 1.5 } }, "delivery.retry"],
  ["more retries than the poller accepts", { delivery: { retry: 1001 } }, "delivery.retry"],
  [
    "an unknown backoffPolicy",
    { delivery: { backoffPolicy: loosely<BackoffPolicy>("random") } },
    "delivery.backoffPolicy",
  ],
  ["an invalid backoffDelay", { delivery: { backoffDelay: "2s" } }, "delivery.backoffDelay"],
  ["a zero timeout", { delivery: { timeout: "0" } }, "delivery.timeout"],
  [
    "a dead-letter Broker ref",
    {
      delivery: {
        deadLetterSink: { ref: { apiVersion: "eventing.knative.dev/v1", kind: "Broker", name: "dlq" } },
      },
    },
    "delivery.deadLetterSink.ref.kind",
  ],
  [
    "a dead-letter sink with both uri and ref",
    {
      delivery: {
        deadLetterSink: { uri: "http://a", ref: { apiVersion: "v1", kind: "Service", name: "a" } },
      },
    },
    "delivery.deadLetterSink",
  ],
  ["zero lanes", { parallelism: 0 }, "parallelism"],
  ["more lanes than the poller accepts", { parallelism: 11 }, "parallelism"],
  ["fractional lanes", { parallelism: 2.5 }, "parallelism"],
  ["a zero batch size", { batch: { size: 0 } }, "batch.size"],
  ["a batch bigger than a GetRecords page", { batch: { size: 1001 } }, "batch.size"],
  ["a batch maxBytes under 1 KiB", { batch: { size: 10, maxBytes: 512 } }, "batch.maxBytes"],
  ["a batch maxBytes over 64 MiB", { batch: { size: 10, maxBytes: 64 * 1024 * 1024 + 1 } }, "batch.maxBytes"],
  ["a batch window that is not a duration", { batch: { size: 10, window: "1s" } }, "batch.window"],
  ["a batch window over 5 minutes", { batch: { size: 10, window: "PT6M" } }, "batch.window"],
  ["a batch window without batch mode", { batch: { window: "PT1S" } }, "batch.window"],
  ["a batch maxBytes with batch size 1", { batch: { size: 1, maxBytes: 4096 } }, "batch.maxBytes"],
  ["zero replicas", { replicas: 0 }, "replicas"],
  ["fractional replicas", { replicas: 1.5 }, "replicas"],
  ["an empty image", { image: "" }, "image"],
  ["an unknown imagePullPolicy", { imagePullPolicy: "Sometimes" }, "imagePullPolicy"],
  [
    "an image pull secret that is not a Secret name",
    { imagePullSecrets: ["ok", "Registry_Creds"] },
    "imagePullSecrets[1]",
  ],
  ["an env var the component owns", { env: { K_SINK: "http://elsewhere" } }, "env.K_SINK"],
  ["an env var shadowing static keys", { env: { AWS_SECRET_ACCESS_KEY: "x" } }, "env.AWS_SECRET_ACCESS_KEY"],
  ["an invalid env var name", { env: { "my-var": "x" } }, "env.my-var"],
  [
    "a selector label override",
    { labels: { "app.kubernetes.io/instance": "x" } },
    "labels.app.kubernetes.io/instance",
  ],
  [
    "an unknown toleration operator",
    { tolerations: [{ key: "k", operator: "In" }] },
    "tolerations[0].operator",
  ],
];

describe("component validation: bad input throws InputPropertyError before any child", () => {
  before(() => installMocks());
  beforeEach(reset);

  for (const [what, override, path] of cases) {
    it(`rejects ${what} (${path})`, async () => {
      const error = thrown(() => new DynamoDBSource("orders", { ...valid, ...override }));
      expect(propertyPaths(error)).to.include(path);
      // The reason says what to do: never an empty message.
      expect((error as Error).message).to.have.length.greaterThan(10);
      await settle();
      expect(recorded, "nothing may be registered").to.deep.equal([]);
    });
  }

  it("has at least 25 distinct bad-input cases", () => {
    expect(new Set(cases.map(([, , path]) => path)).size).to.be.at.least(25);
  });

  it("reports several problems at once as InputPropertiesError", () => {
    const error = thrown(
      () => new DynamoDBSource("orders", { ...valid, tableArn: "x", replicas: 0, namespace: "A" }),
    );
    expect(pulumi.InputPropertiesError.isInstance(error)).to.equal(true);
    expect(propertyPaths(error)).to.have.members(["tableArn", "replicas", "namespace"]);
  });

  it("rejects missing arguments altogether", () => {
    const error = thrown(() => new DynamoDBSource("orders", loosely<DynamoDBSourceArgs>(undefined)));
    expect(propertyPaths(error)).to.deep.equal(["args"]);
  });

  it("a stream ARN error names the table ARN to use instead", () => {
    const error = thrown(() => new DynamoDBSource("orders", { ...valid, tableArn: `${TABLE_ARN}/stream/x` }));
    expect((error as Error).message).to.include(TABLE_ARN);
  });

  it("accepts the valid baseline (the cases above fail for their own reason only)", async () => {
    new DynamoDBSource("orders", valid);
    await settle();
    expect(recorded.length).to.be.greaterThan(1);
  });
});
