/**
 * Validates emitted Kubernetes objects against the official OpenAPI schemas (kubernetes-models, ESM-only: loaded
 * with a dynamic import from these CommonJS tests).
 */
import type * as pulumi from "@pulumi/pulumi";
import { unwrap } from "./harness";

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

async function modelFor(type: string): Promise<ModelClass | undefined> {
  switch (type) {
    case "kubernetes:apps/v1:Deployment":
      return (await import("kubernetes-models/apps/v1/Deployment")).Deployment as unknown as ModelClass;
    case "kubernetes:core/v1:ServiceAccount":
      return (await import("kubernetes-models/v1/ServiceAccount")).ServiceAccount as unknown as ModelClass;
    case "kubernetes:core/v1:Secret":
      return (await import("kubernetes-models/v1/Secret")).Secret as unknown as ModelClass;
    case "kubernetes:core/v1:Service":
      return (await import("kubernetes-models/v1/Service")).Service as unknown as ModelClass;
    case "kubernetes:core/v1:Namespace":
      return (await import("kubernetes-models/v1/Namespace")).Namespace as unknown as ModelClass;
    case "kubernetes:policy/v1:PodDisruptionBudget":
      return (await import("kubernetes-models/policy/v1/PodDisruptionBudget"))
        .PodDisruptionBudget as unknown as ModelClass;
    default:
      return undefined;
  }
}

/** The object as the API server would receive it: Pulumi's auto-name filled in like the provider does. */
function asSubmitted(record: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const obj = unwrap(record.inputs) as Record<string, unknown>;
  const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
  return { ...obj, metadata: { ...metadata, name: metadata.name ?? `${record.name}-x7k2p9q1` } };
}

/** Knative custom resources: no published models; their shapes are asserted by hand in the tests that emit them. */
const CUSTOM_RESOURCES = new Set([
  "kubernetes:sources.knative.dev/v1:SinkBinding",
  "kubernetes:eventing.knative.dev/v1:Broker",
  "kubernetes:eventing.knative.dev/v1:Trigger",
]);

/** Validates every Kubernetes object in `records` (custom resources aside); returns the types it validated. */
export async function validateKubernetesObjects(
  records: pulumi.runtime.MockResourceArgs[],
): Promise<string[]> {
  const validated: string[] = [];
  for (const record of records.filter((r) => r.type.startsWith("kubernetes:"))) {
    if (CUSTOM_RESOURCES.has(record.type)) continue;
    const Model = await modelFor(record.type);
    if (Model === undefined) throw new Error(`no schema for ${record.type}: add it to k8s-schemas.ts`);
    new Model(asSubmitted(record)).validate();
    validated.push(record.type);
  }
  return validated;
}

/**
 * Validates one manifest as `kubectl apply` would receive it (e.g. from `dynamodb-source render`); returns false for
 * Knative custom resources, which have no published models.
 */
export async function validateManifest(manifest: Record<string, unknown>): Promise<boolean> {
  const apiVersion = String(manifest.apiVersion);
  const type = `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${String(manifest.kind)}`;
  if (CUSTOM_RESOURCES.has(type)) return false;
  const Model = await modelFor(type);
  if (Model === undefined) throw new Error(`no schema for ${type}: add it to k8s-schemas.ts`);
  new Model(manifest).validate();
  return true;
}
