/** Pure builders and rules, without the Pulumi runtime. */
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { buildPollerPolicy, policyJson } from "../../src/component/iam-policy";
import { roleNameFromArn } from "../../src/component/identity";
import { selectorLabels, toLabelValue } from "../../src/component/labels";
import { defaultServiceAccountName, isDns1123Label, toDns1123Label } from "../../src/component/names";
import { readPackageVersion } from "../../src/component/package-version";
import { httpUrlRule, issuerMatchesProvider, roleArnRule } from "../../src/component/rules";
import { isServiceRef, serviceUrl } from "../../src/component/sink";
import { issuerHost } from "../../src/component/trust-policies";
import { rolloutStrategy } from "../../src/component/workload";
import { OIDC_ISSUER, OIDC_PROVIDER_ARN, TABLE_ARN } from "./harness";

describe("component builders", () => {
  it("the policy JSON is byte-for-byte stable (no diff on unchanged input)", () => {
    const input = { tableArn: TABLE_ARN, checkpointTableArn: `${TABLE_ARN}-checkpoints` };
    expect(policyJson(buildPollerPolicy(input))).to.equal(policyJson(buildPollerPolicy({ ...input })));
    expect(policyJson(buildPollerPolicy(input))).to.match(
      /^\{"Version":"2012-10-17","Statement":\[\{"Sid":"DescribeSourceTable"/,
    );
  });

  it("issuer hosts lose the scheme and trailing slashes only", () => {
    expect(issuerHost(OIDC_ISSUER)).to.equal(
      "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
    );
    expect(issuerHost("oidc.example.com/")).to.equal("oidc.example.com");
    expect(issuerMatchesProvider(OIDC_PROVIDER_ARN, `${OIDC_ISSUER}/`)).to.equal(undefined);
    expect(issuerMatchesProvider(OIDC_PROVIDER_ARN, "https://oidc.example.com")).to.be.a("string");
  });

  it("Kubernetes names are sanitized to DNS-1123 labels", () => {
    expect(toDns1123Label("Orders_Stream.v2")).to.equal("orders-stream-v2");
    expect(toDns1123Label("---")).to.equal("dynamodb-source");
    const long = defaultServiceAccountName("x".repeat(100));
    expect(isDns1123Label(long)).to.equal(true);
    expect(long).to.have.length(63);
    expect(toLabelValue(`${"a".repeat(70)}-`)).to.have.length(63);
    expect(selectorLabels("orders")).to.deep.equal({
      "app.kubernetes.io/name": "dynamodb-source",
      "app.kubernetes.io/instance": "orders",
    });
  });

  it("only a core v1 Service is resolved to a URL by the component", () => {
    expect(isServiceRef({ apiVersion: "v1", kind: "Service" })).to.equal(true);
    expect(isServiceRef({ apiVersion: "serving.knative.dev/v1", kind: "Service" })).to.equal(false);
    expect(serviceUrl("sink", "events")).to.equal("http://sink.events.svc.cluster.local");
    expect(serviceUrl("sink", "events", 8080)).to.equal("http://sink.events.svc.cluster.local:8080");
  });

  it("rules accept good values and explain bad ones", () => {
    expect(httpUrlRule("http://sink.default.svc.cluster.local")).to.equal(undefined);
    expect(httpUrlRule("sink")).to.include("absolute");
    expect(roleArnRule("arn:aws-cn:iam::123456789012:role/path/to/r")).to.equal(undefined);
    expect(roleNameFromArn("arn:aws:iam::123456789012:role/path/to/r")).to.equal("r");
  });

  it("Recreate for one replica, surge-free rolling updates otherwise", () => {
    expect(rolloutStrategy(1)).to.deep.equal({ type: "Recreate" });
    expect(rolloutStrategy(2)).to.deep.equal({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
  });

  it("finds the package version from the sources and fails clearly elsewhere", () => {
    expect(readPackageVersion()).to.match(/^\d+\.\d+\.\d+/);
    expect(() => readPackageVersion(path.join(os.tmpdir(), "no", "such", "dir"))).to.throw(/package\.json/);
  });
});
