import { stringify } from "yaml";
import { GENERATED, type RenderedResource } from "./mock-deployment";

const KUBERNETES = "kubernetes:";

/** Kubernetes objects as the API server would receive them. */
export function kubernetesManifests(resources: readonly RenderedResource[]): Record<string, unknown>[] {
  return resources
    .filter((r) => r.type.startsWith(KUBERNETES))
    .map((r) => {
      const { apiVersion, kind, metadata, ...rest } = r.inputs as Record<string, unknown> & {
        metadata?: Record<string, unknown>;
      };
      // The provider auto-names objects without metadata.name (`<logical name>-<random>`).
      const name = metadata?.name ?? `${r.name}-${GENERATED}`;
      return { apiVersion, kind, metadata: { ...metadata, name }, ...rest };
    });
}

/** The IAM documents and the other AWS resources, keyed by what they are. */
export function awsResources(resources: readonly RenderedResource[]) {
  return resources
    .filter((r) => r.type.startsWith("aws:"))
    .map((r) => ({ type: r.type, name: r.name, inputs: parseDocuments(r.inputs) }));
}

/** Policy documents are sent as JSON strings; show them as objects. */
function parseDocuments(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    const isDocument = (key === "policy" || key === "assumeRolePolicy") && typeof value === "string";
    out[key] = isDocument ? JSON.parse(value) : value;
  }
  return out;
}

export function toYamlDocuments(manifests: readonly Record<string, unknown>[]): string {
  return manifests.map((m) => `---\n${stringify(m, { lineWidth: 0 })}`).join("");
}

/** Kubernetes YAML first (valid multi-document YAML), then the AWS side as comments holding JSON. */
export function renderAll(resources: readonly RenderedResource[]): string {
  const aws = awsResources(resources)
    .map((r) => `# ${r.type} "${r.name}"\n${commented(JSON.stringify(r.inputs, null, 2))}`)
    .join("\n");
  const header =
    "# Rendered by `dynamodb-source render` under Pulumi mocks: what DynamoDBSource would send to the providers.\n" +
    '# Values that AWS or Pulumi generate at deploy time end in "-generated"; secrets are shown as <secret>.\n';
  return `${header}${toYamlDocuments(kubernetesManifests(resources))}\n# ---- AWS resources (JSON) ----\n${aws}\n`;
}

function commented(text: string): string {
  return text
    .split("\n")
    .map((line) => `#   ${line}`)
    .join("\n");
}
