import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { DynamoDBSource, type DynamoDBSourceArgs } from "../../src/component";
import type { PolicyDocument } from "../../src/component/iam-policy";
import type { TrustPolicy } from "../../src/component/trust-policies";
import {
  ACCOUNT,
  byType,
  completedBefore,
  containerEnv,
  deploymentOf,
  installMocks,
  jsonInput,
  OIDC_ISSUER,
  OIDC_PROVIDER_ARN,
  one,
  recorded,
  reset,
  resolved,
  settle,
  TABLE_ARN,
  unwrap,
} from "./harness";
import { validateKubernetesObjects } from "./k8s-schemas";

const base: DynamoDBSourceArgs = {
  tableArn: TABLE_ARN,
  sink: { uri: "http://sink.events.svc.cluster.local" },
  namespace: "events",
};

async function deploy(args: Partial<DynamoDBSourceArgs>, name = "orders"): Promise<DynamoDBSource> {
  const source = new DynamoDBSource(name, { ...base, ...args });
  await settle();
  return source;
}

const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const SA = "kubernetes:core/v1:ServiceAccount";
const SECRET = "kubernetes:core/v1:Secret";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation";

/**
 * Resource types whose registration completed before the Deployment's started. Mocks do not report dependencies,
 * but the SDK registers a resource only once everything in its dependsOn is registered (see SLOW_TYPES).
 */
function registeredBeforeDeployment(): string[] {
  return completedBefore.get(one(DEPLOYMENT)) ?? [];
}

describe("component auth: none (the node's credential chain)", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("creates the policy but no role, Secret or credentials env; warns that the node role needs it", async () => {
    const source = await deploy({});
    expect(byType(ROLE)).to.have.length(0);
    expect(byType(ATTACHMENT)).to.have.length(0);
    expect(byType(SECRET)).to.have.length(0);
    expect(source.roleArn).to.equal(undefined);
    const env = deploymentOf(one(DEPLOYMENT)).spec.template.spec.containers[0]?.env ?? [];
    expect(env.map((e) => e.name)).to.not.include.members(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    expect(await resolved(source.policyArn)).to.match(/^arn:aws:iam::\d{12}:policy\//);
    const sa = unwrap(one(SA).inputs) as { metadata: { annotations?: Record<string, string> } };
    expect(sa.metadata.annotations ?? {}).to.deep.equal({});
  });
});

describe("component auth: static keys from values", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("stores the keys in a Secret it creates and references them with secretKeyRef", async () => {
    await deploy({
      auth: {
        credentials: {
          accessKeyId: "AKIAEXAMPLE",
          secretAccessKey: "wJalrEXAMPLEKEY",
          sessionToken: "FwoGEXAMPLE",
        },
      },
    });
    const secret = one(SECRET);
    const data = unwrap(secret.inputs) as {
      stringData: Record<string, string>;
      metadata: { namespace: string };
    };
    expect(data.stringData).to.deep.equal({
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrEXAMPLEKEY",
      AWS_SESSION_TOKEN: "FwoGEXAMPLE",
    });
    expect(data.metadata.namespace).to.equal("events");
    const env = deploymentOf(one(DEPLOYMENT)).spec.template.spec.containers[0]?.env ?? [];
    const refs = env
      .filter((e) => e.valueFrom?.secretKeyRef)
      .map((e) => [e.name, e.valueFrom?.secretKeyRef?.key]);
    expect(refs).to.deep.equal([
      ["AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"],
      ["AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"],
      ["AWS_SESSION_TOKEN", "AWS_SESSION_TOKEN"],
    ]);
    const secretName = env.find((e) => e.name === "AWS_ACCESS_KEY_ID")?.valueFrom?.secretKeyRef?.name;
    expect(secretName).to.equal("orders-aws-credentials-x7k2p9q1");
    expect(byType(ROLE)).to.have.length(0);
    expect(registeredBeforeDeployment()).to.include(SECRET);
    await validateKubernetesObjects(recorded);
  });

  it("omits the session token when none is given", async () => {
    await deploy({
      auth: { credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "wJalrEXAMPLEKEY" } },
    });
    const data = unwrap(one(SECRET).inputs) as { stringData: Record<string, string> };
    expect(Object.keys(data.stringData)).to.deep.equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    const env = deploymentOf(one(DEPLOYMENT)).spec.template.spec.containers[0]?.env ?? [];
    expect(env.map((e) => e.name)).to.not.include("AWS_SESSION_TOKEN");
  });
});

describe("component auth: static keys from an existing Secret", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("creates no Secret and references the given keys", async () => {
    await deploy({
      auth: { credentials: { secretName: "aws-keys", accessKeyIdKey: "id", secretAccessKeyKey: "secret" } },
    });
    expect(byType(SECRET)).to.have.length(0);
    const env = deploymentOf(one(DEPLOYMENT)).spec.template.spec.containers[0]?.env ?? [];
    expect(env.filter((e) => e.valueFrom).map((e) => e.valueFrom?.secretKeyRef)).to.deep.equal([
      { name: "aws-keys", key: "id" },
      { name: "aws-keys", key: "secret" },
    ]);
  });
});

describe("component auth: IRSA with a created role", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("trusts exactly this service account, attaches the policy, annotates the SA", async () => {
    const source = await deploy({
      auth: { irsa: { oidcProviderArn: OIDC_PROVIDER_ARN, oidcIssuerUrl: OIDC_ISSUER } },
    });
    const trust = jsonInput<TrustPolicy>(one(ROLE), "assumeRolePolicy");
    const host = OIDC_ISSUER.replace("https://", "");
    expect(trust.Statement).to.deep.equal([
      {
        Effect: "Allow",
        Principal: { Federated: OIDC_PROVIDER_ARN },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${host}:sub`]: "system:serviceaccount:events:orders-dynamodb-source",
            [`${host}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ]);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/orders-poller-1a2b3c`;
    expect(await resolved(source.roleArn ?? pulumi.output(""))).to.equal(roleArn);
    const attachment = unwrap(one(ATTACHMENT).inputs) as { role: string; policyArn: string };
    expect(attachment).to.deep.equal({
      role: "orders-poller-1a2b3c",
      policyArn: await resolved(source.policyArn),
    });
    const sa = unwrap(one(SA).inputs) as {
      metadata: { name: string; namespace: string; annotations: Record<string, string> };
    };
    expect(sa.metadata.name).to.equal("orders-dynamodb-source");
    expect(sa.metadata.namespace).to.equal("events");
    expect(sa.metadata.annotations).to.deep.equal({ "eks.amazonaws.com/role-arn": roleArn });
    const pod = deploymentOf(one(DEPLOYMENT)).spec.template.spec;
    expect(pod.serviceAccountName).to.equal("orders-dynamodb-source");
    expect(registeredBeforeDeployment()).to.include.members([ATTACHMENT, SA]);
    await validateKubernetesObjects(recorded);
  });

  it("names a reused service account in the trust policy and leaves the SA alone", async () => {
    await deploy({
      serviceAccount: { create: false, name: "shared-aws-reader" },
      auth: { irsa: { oidcProviderArn: OIDC_PROVIDER_ARN, oidcIssuerUrl: `${OIDC_ISSUER}/` } },
    });
    expect(byType(SA)).to.have.length(0);
    const trust = jsonInput<TrustPolicy>(one(ROLE), "assumeRolePolicy");
    const condition = trust.Statement[0]?.Condition?.StringEquals ?? {};
    expect(Object.values(condition)).to.include("system:serviceaccount:events:shared-aws-reader");
    // Trailing slash and scheme never reach the condition keys (IAM rejects them).
    expect(Object.keys(condition).every((k) => !k.includes("https://") && !k.includes("/:"))).to.equal(true);
    expect(deploymentOf(one(DEPLOYMENT)).spec.template.spec.serviceAccountName).to.equal("shared-aws-reader");
  });
});

describe("component auth: IRSA with an existing role", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("creates no role, attaches the policy to the given one and annotates the SA with it", async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/platform/orders-reader`;
    const source = await deploy({ auth: { irsa: { roleArn } } });
    expect(byType(ROLE)).to.have.length(0);
    expect((unwrap(one(ATTACHMENT).inputs) as { role: string }).role).to.equal("orders-reader");
    const sa = unwrap(one(SA).inputs) as { metadata: { annotations: Record<string, string> } };
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).to.equal(roleArn);
    expect(await resolved(source.roleArn ?? pulumi.output(""))).to.equal(roleArn);
  });
});

describe("component auth: EKS Pod Identity", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("creates a role trusted by pods.eks.amazonaws.com and an association for the SA", async () => {
    const source = await deploy({ auth: { podIdentity: { clusterName: "prod-eks" } } });
    const trust = jsonInput<TrustPolicy>(one(ROLE), "assumeRolePolicy");
    expect(trust.Statement).to.deep.equal([
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
      },
    ]);
    const association = unwrap(one(ASSOCIATION).inputs) as Record<string, string>;
    expect(association).to.deep.include({
      clusterName: "prod-eks",
      namespace: "events",
      serviceAccount: "orders-dynamodb-source",
      roleArn: await resolved(source.roleArn ?? pulumi.output("")),
    });
    const sa = unwrap(one(SA).inputs) as { metadata: { annotations: Record<string, string> } };
    expect(sa.metadata.annotations).to.deep.equal({});
    expect(registeredBeforeDeployment()).to.include.members([ATTACHMENT, ASSOCIATION]);
  });

  it("with an existing role: no role, still the association and the attachment", async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/orders-reader`;
    await deploy({ auth: { podIdentity: { clusterName: "prod-eks", roleArn } } });
    expect(byType(ROLE)).to.have.length(0);
    expect((unwrap(one(ASSOCIATION).inputs) as Record<string, string>).roleArn).to.equal(roleArn);
    expect(byType(ATTACHMENT)).to.have.length(1);
  });
});

describe("component auth: cross-account assumeRoleArn", () => {
  before(() => installMocks());
  beforeEach(reset);

  const target = "arn:aws:iam::210987654321:role/orders-stream-reader";

  it("combines with IRSA: the pod's policy may assume the role and keep checkpoints, nothing on the table", async () => {
    await deploy({
      auth: {
        assumeRoleArn: target,
        irsa: { oidcProviderArn: OIDC_PROVIDER_ARN, oidcIssuerUrl: OIDC_ISSUER },
      },
    });
    const policy = jsonInput<PolicyDocument>(one("aws:iam/policy:Policy"), "policy");
    expect(policy.Statement.map((s) => s.Sid)).to.deep.equal(["AssumeSourceTableRole", "UseCheckpointTable"]);
    expect(policy.Statement[0]?.Resource).to.deep.equal([target]);
    expect(containerEnv(one(DEPLOYMENT)).get("AWS_ASSUME_ROLE_ARN")).to.equal(target);
  });

  it("combines with static keys", async () => {
    await deploy({ auth: { assumeRoleArn: target, credentials: { secretName: "aws-keys" } } });
    expect(containerEnv(one(DEPLOYMENT)).get("AWS_ASSUME_ROLE_ARN")).to.equal(target);
  });

  it("rolls the pods when the identity changes (checksum annotation)", async () => {
    await deploy({ auth: { assumeRoleArn: target, credentials: { secretName: "aws-keys" } } });
    const first = deploymentOf(one(DEPLOYMENT)).spec.template.metadata.annotations["checksum/identity"];
    reset();
    await deploy({
      auth: {
        assumeRoleArn: "arn:aws:iam::210987654321:role/other",
        credentials: { secretName: "aws-keys" },
      },
    });
    const second = deploymentOf(one(DEPLOYMENT)).spec.template.metadata.annotations["checksum/identity"];
    expect(first).to.match(/^[0-9a-f]{64}$/);
    expect(second).to.match(/^[0-9a-f]{64}$/);
    expect(second).to.not.equal(first);
  });
});
