import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { parseAllDocuments } from "yaml";
import { validateManifest } from "../component/k8s-schemas";

const root = path.resolve(__dirname, "../..");
const TABLE_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

/** `npx dynamodb-source render …` as a user runs it: the built CLI in its own process. */
function render(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "dist/src/cli/main.js"), "render", ...args], {
      cwd: root,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

interface AwsResource {
  type: string;
  name: string;
  inputs: { policy?: { Statement: Array<{ Action: string | string[]; Resource: string | string[] }> } };
}

describe("dynamodb-source render", function () {
  this.timeout(60_000);

  it("prints Kubernetes YAML that validates against the official schemas, then the IAM JSON (IRSA)", async () => {
    const { code, stdout, stderr } = await render(
      "--name",
      "orders",
      "--table-arn",
      TABLE_ARN,
      "--sink-uri",
      "http://display.default.svc.cluster.local",
      "--namespace",
      "events",
      "--auth",
      "irsa",
      "--oidc-provider-arn",
      `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`,
      "--oidc-issuer-url",
      `https://${ISSUER}`,
    );
    expect(code, stderr).to.equal(0);
    const documents = parseAllDocuments(stdout).map((d) => d.toJS() as Record<string, unknown> | null);
    const manifests = documents.filter((d): d is Record<string, unknown> => d !== null);
    expect(manifests.map((m) => m.kind)).to.have.members(["ServiceAccount", "Deployment"]);
    for (const manifest of manifests) expect(await validateManifest(manifest)).to.equal(true);
    const sa = manifests.find((m) => m.kind === "ServiceAccount") as {
      metadata: { annotations: Record<string, string> };
    };
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).to.match(
      /^arn:aws:iam::123456789012:role\//,
    );
    expect(stdout).to.contain("# aws:iam/policy:Policy");
    expect(stdout).to.contain(`${ISSUER}:sub`);
    expect(stdout).to.contain("system:serviceaccount:events:orders-dynamodb-source");
  });

  it("prints only the IAM JSON with --only iam: the least-privilege policy on the table and its streams", async () => {
    const { code, stdout, stderr } = await render(
      "--table-arn",
      TABLE_ARN,
      "--sink-uri",
      "http://sink",
      "--only",
      "iam",
    );
    expect(code, stderr).to.equal(0);
    const resources = JSON.parse(stdout) as AwsResource[];
    const policy = resources.find((r) => r.type === "aws:iam/policy:Policy")?.inputs.policy;
    const resourcesOf = (action: string) =>
      policy?.Statement.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat());
    expect(resourcesOf("dynamodb:DescribeTable")).to.include(TABLE_ARN);
    expect(resourcesOf("dynamodb:GetRecords")).to.deep.equal([`${TABLE_ARN}/stream/*`]);
    expect(JSON.stringify(policy)).not.to.contain('"*"');
    expect(resources.map((r) => r.type)).to.include("aws:dynamodb/table:Table");
  });

  it("reads --config YAML, masks secrets and lets flags override the file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "render-"));
    const file = path.join(dir, "source.yaml");
    writeFileSync(
      file,
      [
        "name: payments",
        "args:",
        `  tableArn: ${TABLE_ARN}`,
        "  sink: { uri: http://from-file }",
        "  replicas: 2",
        "  auth:",
        "    credentials: { accessKeyId: AKIAEXAMPLEKEY, secretAccessKey: very-secret-value }",
      ].join("\n"),
    );
    const { code, stdout, stderr } = await render(
      "--config",
      file,
      "--sink-uri",
      "http://from-flag",
      "--only",
      "kubernetes",
    );
    expect(code, stderr).to.equal(0);
    expect(stdout).not.to.contain("very-secret-value");
    expect(stdout).not.to.contain("AKIAEXAMPLEKEY");
    const manifests = parseAllDocuments(stdout).map((d) => d.toJS() as Record<string, unknown>);
    expect(manifests.map((m) => m.kind)).to.include.members(["Deployment", "Secret", "PodDisruptionBudget"]);
    for (const manifest of manifests) expect(await validateManifest(manifest)).to.equal(true);
    expect(stdout).to.contain("http://from-flag");
    expect(stdout).not.to.contain("http://from-file");
  });

  it("exits 1 naming the argument the component rejects", async () => {
    const { code, stderr } = await render(
      "--table-arn",
      `${TABLE_ARN}/stream/2024-01-01T00:00:00.000`,
      "--sink-uri",
      "http://sink",
    );
    expect(code).to.equal(1);
    expect(stderr).to.match(/args\.tableArn: .*stream ARN/);
  });

  it("exits 2 naming a bad flag", async () => {
    const missing = await render("--sink-uri", "http://sink");
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain("--table-arn is required");
    const badRef = await render("--table-arn", TABLE_ARN, "--sink-ref", "Broker");
    expect(badRef.code).to.equal(2);
    expect(badRef.stderr).to.contain("--sink-ref must be <apiVersion>:<kind>:<name>");
  });
});
