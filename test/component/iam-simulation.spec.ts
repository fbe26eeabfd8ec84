/**
 * The generated documents evaluated by an IAM simulator (@cloud-copilot/iam-simulate): what the poller calls is
 * allowed on the right resources, everything else is denied.
 */
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import {
  buildPollerPolicy,
  buildSourceTablePolicy,
  type PolicyDocument,
} from "../../src/component/iam-policy";
import {
  buildIrsaTrustPolicy,
  buildPodIdentityTrustPolicy,
  type TrustPolicy,
} from "../../src/component/trust-policies";
import { ACCOUNT, OIDC_ISSUER, OIDC_PROVIDER_ARN } from "./harness";

const TABLE = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`;
const STREAM = `${TABLE}/stream/2026-11-24T10:00:00.000`;
const CHECKPOINTS = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders-checkpoints`;
const OTHER_TABLE = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/payments`;
const POD_ROLE_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/orders-poller/botocore-session`;

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

async function identityDecision(policy: PolicyDocument, action: string, resource: string): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: POD_ROLE_SESSION,
        action,
        resource: { resource, accountId: resource.split(":")[4] || ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: [{ name: "poller", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

const policy = buildPollerPolicy({ tableArn: TABLE, checkpointTableArn: CHECKPOINTS });

describe("component IAM policy (simulated)", () => {
  const allowed: Array<[string, string]> = [
    ["dynamodb:DescribeTable", TABLE],
    ["dynamodb:DescribeStream", STREAM],
    ["dynamodb:GetShardIterator", STREAM],
    ["dynamodb:GetRecords", STREAM],
    ["dynamodb:GetItem", CHECKPOINTS],
    ["dynamodb:PutItem", CHECKPOINTS],
    ["dynamodb:UpdateItem", CHECKPOINTS],
    ["dynamodb:DeleteItem", CHECKPOINTS],
    ["dynamodb:Query", CHECKPOINTS],
    ["dynamodb:DescribeTable", CHECKPOINTS],
  ];
  for (const [action, resource] of allowed) {
    it(`allows ${action} on ${resource.split(":").slice(5).join(":")}`, async () => {
      expect(await identityDecision(policy, action, resource)).to.equal("Allowed");
    });
  }

  const denied: Array<[string, string, string]> = [
    ["dynamodb:PutItem", TABLE, "writing the source table"],
    ["dynamodb:GetItem", TABLE, "reading items of the source table"],
    ["dynamodb:Scan", TABLE, "scanning the source table"],
    ["dynamodb:DeleteTable", TABLE, "deleting the source table"],
    ["dynamodb:GetRecords", `${OTHER_TABLE}/stream/2026-11-24T10:00:00.000`, "another table's stream"],
    ["dynamodb:DescribeTable", OTHER_TABLE, "another table"],
    ["dynamodb:PutItem", OTHER_TABLE, "writing another table"],
    ["dynamodb:Scan", CHECKPOINTS, "scanning the checkpoint table"],
    ["dynamodb:DeleteTable", CHECKPOINTS, "deleting the checkpoint table"],
    [
      "dynamodb:GetRecords",
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders/stream/2026-11-24T10:00:00.000`,
      "the same table name in another region",
    ],
  ];
  for (const [action, resource, what] of denied) {
    it(`denies ${action} on ${what}`, async () => {
      expect(await identityDecision(policy, action, resource)).to.equal("ImplicitlyDenied");
    });
  }

  it("with assumeRoleArn: may assume that role only, and no longer reads the table itself", async () => {
    // Same account here: cross-account, the target role's trust policy decides too (not ours to write).
    const target = `arn:aws:iam::${ACCOUNT}:role/orders-stream-reader`;
    const crossAccount = buildPollerPolicy({
      tableArn: TABLE,
      checkpointTableArn: CHECKPOINTS,
      assumeRoleArn: target,
    });
    expect(await identityDecision(crossAccount, "sts:AssumeRole", target)).to.equal("Allowed");
    expect(
      await identityDecision(crossAccount, "sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/admin`),
    ).to.equal("ImplicitlyDenied");
    expect(await identityDecision(crossAccount, "dynamodb:GetRecords", STREAM)).to.equal("ImplicitlyDenied");
    expect(await identityDecision(crossAccount, "dynamodb:PutItem", CHECKPOINTS)).to.equal("Allowed");
  });

  it("the policy for the assumed role reads the table and its stream, and nothing else", async () => {
    const reader = buildSourceTablePolicy(TABLE);
    expect(await identityDecision(reader, "dynamodb:DescribeTable", TABLE)).to.equal("Allowed");
    expect(await identityDecision(reader, "dynamodb:GetRecords", STREAM)).to.equal("Allowed");
    expect(await identityDecision(reader, "dynamodb:PutItem", CHECKPOINTS)).to.equal("ImplicitlyDenied");
  });

  it("grants nothing on a wildcard resource", () => {
    const resources = policy.Statement.flatMap((s) => s.Resource);
    expect(resources.filter((r) => r === "*" || r.endsWith(":*") || r.includes(":*:"))).to.deep.equal([]);
  });
});

/**
 * Trust policies are resource policies on the role. The simulator's validated entry point drops OIDC condition keys
 * whose issuer has a path (EKS issuers have `/id/<ID>`), so these run through its unvalidated entry point with the
 * document wrapped as a pre-validated policy (the shape `@cloud-copilot/iam-policy` defines).
 */
function trustDecision(
  trust: TrustPolicy,
  principal: string,
  action: string,
  context: Record<string, string>,
): string {
  return runUnsafeSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource: `arn:aws:iam::${ACCOUNT}:role/orders-poller`, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: { __validated: true, policyDocument: trust, metadata: { name: "trust" }, errors: [] },
    },
    {},
  );
}

describe("component trust policies (simulated)", () => {
  const host = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
  const trust = buildIrsaTrustPolicy(OIDC_PROVIDER_ARN, OIDC_ISSUER, "events", "orders-dynamodb-source");
  const webIdentity = (sub: string, aud = "sts.amazonaws.com", provider = OIDC_PROVIDER_ARN) =>
    trustDecision(trust, provider, "sts:AssumeRoleWithWebIdentity", {
      [`${host}:sub`]: sub,
      [`${host}:aud`]: aud,
    });

  it("IRSA: the source's service account may assume the role", () => {
    expect(webIdentity("system:serviceaccount:events:orders-dynamodb-source")).to.equal("Allowed");
  });
  it("IRSA: another service account in the namespace may not", () => {
    expect(webIdentity("system:serviceaccount:events:default")).to.equal("ImplicitlyDenied");
  });
  it("IRSA: the same service account name in another namespace may not", () => {
    expect(webIdentity("system:serviceaccount:default:orders-dynamodb-source")).to.equal("ImplicitlyDenied");
  });
  it("IRSA: a token for another audience may not", () => {
    expect(webIdentity("system:serviceaccount:events:orders-dynamodb-source", "other-audience")).to.equal(
      "ImplicitlyDenied",
    );
  });
  it("IRSA: another cluster's OIDC provider may not", () => {
    const other = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/OTHER`;
    expect(
      webIdentity("system:serviceaccount:events:orders-dynamodb-source", "sts.amazonaws.com", other),
    ).to.equal("ImplicitlyDenied");
  });
  it("IRSA: plain sts:AssumeRole is not granted", () => {
    expect(trustDecision(trust, `arn:aws:iam::${ACCOUNT}:role/someone`, "sts:AssumeRole", {})).to.equal(
      "ImplicitlyDenied",
    );
  });

  it("Pod Identity: the EKS pod identity service may assume and tag; other services may not", () => {
    const podTrust = buildPodIdentityTrustPolicy();
    expect(trustDecision(podTrust, "pods.eks.amazonaws.com", "sts:AssumeRole", {})).to.equal("Allowed");
    expect(trustDecision(podTrust, "pods.eks.amazonaws.com", "sts:TagSession", {})).to.equal("Allowed");
    expect(trustDecision(podTrust, "ec2.amazonaws.com", "sts:AssumeRole", {})).to.equal("ImplicitlyDenied");
  });
});
