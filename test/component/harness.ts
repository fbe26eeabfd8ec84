/**
 * Pulumi mocks for the component tests: records what would be sent to the providers and answers like them.
 * Install in `before()` of each describe (mocha runs all spec files in one process; the last setMocks wins).
 */
import * as pulumi from "@pulumi/pulumi";

export const ACCOUNT = "123456789012";
/** The AWS provider's account in cross-account tests (the table lives in ACCOUNT). */
export const POD_ACCOUNT = "210987654321";
export const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`;
export const OIDC_ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
export const OIDC_PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;

export const recorded: pulumi.runtime.MockResourceArgs[] = [];
/** For each registration, the types whose registration had completed before it started. */
export const completedBefore = new Map<pulumi.runtime.MockResourceArgs, string[]>();
const completed: string[] = [];
let inFlight = 0;

/**
 * Registrations of these types take a little while, as they do against AWS: a resource that does not dependsOn
 * them registers before they complete, so `completedBefore` reveals a missing dependency.
 */
const SLOW_TYPES = new Set([
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  "aws:dynamodb/table:Table",
  "kubernetes:core/v1:Secret",
  "kubernetes:sources.knative.dev/v1:SinkBinding",
]);
/** Types of the invokes the code under test made (the mocks answer none: an invoke is a finding). */
export const invokes: string[] = [];

type State = Record<string, unknown>;

/** Provider-computed outputs, as AWS and Kubernetes would fill them in. */
function computedState(args: pulumi.runtime.MockResourceArgs): State {
  const inputs = args.inputs as State;
  const metadata = (inputs.metadata ?? {}) as State;
  switch (args.type) {
    case "aws:iam/policy:Policy":
      return { arn: `arn:aws:iam::${ACCOUNT}:policy/${args.name}-1a2b3c` };
    case "aws:iam/role:Role":
      return { name: `${args.name}-1a2b3c`, arn: `arn:aws:iam::${ACCOUNT}:role/${args.name}-1a2b3c` };
    case "aws:dynamodb/table:Table": {
      const name = (inputs.name as string | undefined) ?? `${args.name}-1a2b3c`;
      const region = (inputs.region as string | undefined) ?? "us-east-1";
      return { name, arn: `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}` };
    }
    default:
      if (args.type.startsWith("kubernetes:")) {
        // The Kubernetes provider auto-names objects without metadata.name: `<logical>-<random>`.
        return {
          metadata: { ...metadata, name: (metadata.name as string | undefined) ?? `${args.name}-x7k2p9q1` },
        };
      }
      return {};
  }
}

export async function installMocks(preview = false, project = "dynamodb-source"): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        recorded.push(args);
        completedBefore.set(args, [...completed]);
        if (!args.custom) return { id: undefined, state: {} };
        if (SLOW_TYPES.has(args.type)) {
          inFlight++;
          await new Promise((resolve) => setTimeout(resolve, 30));
          inFlight--;
        }
        completed.push(args.type);
        // In preview, an empty id and no computed state make every provider output unknown, as in a real preview.
        if (preview) return { id: "", state: { ...args.inputs } };
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computedState(args) } };
      },
      call(args) {
        invokes.push(args.token);
        if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
          return {
            accountId: POD_ACCOUNT,
            arn: `arn:aws:iam::${POD_ACCOUNT}:user/deployer`,
            userId: "AIDAEXAMPLE",
          };
        }
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    project,
    "test",
    preview,
  );
}

export function reset(): void {
  recorded.length = 0;
  completed.length = 0;
  completedBefore.clear();
  invokes.length = 0;
}

export function byType(type: string): pulumi.runtime.MockResourceArgs[] {
  return recorded.filter((r) => r.type === type);
}

export function one(type: string): pulumi.runtime.MockResourceArgs {
  const found = byType(type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, got ${found.length}`);
  return found[0] as pulumi.runtime.MockResourceArgs;
}

/** Waits until the registrations stop (children register asynchronously, in no guaranteed order). */
export async function settle(): Promise<void> {
  let last = -1;
  let stableFor = 0;
  for (let i = 0; i < 400 && stableFor < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    stableFor = recorded.length === last && inFlight === 0 ? stableFor + 1 : 0;
    last = recorded.length;
  }
}

/** The value of a known Output (never use on an unknown one: it would never resolve). */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

interface OutputInternals {
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
}

/** Known-aware inspection (internal Output fields, stripped from the .d.ts). */
export async function peek<T>(output: pulumi.Output<T>): Promise<{ known: boolean; secret: boolean }> {
  const internals = output as unknown as OutputInternals;
  return { known: await internals.isKnown, secret: await internals.isSecret };
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export function isSecretValue(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG] !== undefined
  );
}

/** Deep copy with secret envelopes replaced by their values. */
export function unwrap(value: unknown): unknown {
  if (isSecretValue(value)) return unwrap(value.value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  }
  return value;
}

/** Every string in `value` outside secret envelopes (what would be stored in plain text). */
export function plainStrings(value: unknown, out: string[] = []): string[] {
  if (isSecretValue(value)) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) plainStrings(v, out);
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      plainStrings(v, out);
    }
  }
  return out;
}

export interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

/** The poller container's environment as a map of literal values (secretKeyRef entries excluded). */
export function containerEnv(deployment: pulumi.runtime.MockResourceArgs): Map<string, string> {
  const env = (unwrap(deployment.inputs) as DeploymentShape).spec.template.spec.containers[0]?.env ?? [];
  return new Map(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));
}

export interface DeploymentShape {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    replicas: number;
    strategy: { type: string; rollingUpdate?: Record<string, unknown> };
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        serviceAccountName: string;
        containers: Array<{ image: string; env?: EnvEntry[]; [k: string]: unknown }>;
        [k: string]: unknown;
      };
    };
  };
}

export function deploymentOf(record: pulumi.runtime.MockResourceArgs): DeploymentShape {
  return unwrap(record.inputs) as DeploymentShape;
}

/** Runs `fn` and returns the error it throws (fails the test when it throws nothing). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error, none was thrown");
}

/** Property paths named by an InputPropertyError or InputPropertiesError. */
export function propertyPaths(error: unknown): string[] {
  if (pulumi.InputPropertyError.isInstance(error)) return [error.propertyPath];
  if (pulumi.InputPropertiesError.isInstance(error)) return error.errors.map((e) => e.propertyPath);
  throw error;
}

/** Parses a JSON document input (policies are sent as strings). */
export function jsonInput<T = Record<string, unknown>>(
  record: pulumi.runtime.MockResourceArgs,
  key: string,
): T {
  const value = unwrap((record.inputs as Record<string, unknown>)[key]);
  if (typeof value !== "string") throw new Error(`${record.type}.${key} is not a JSON string`);
  return JSON.parse(value) as T;
}
