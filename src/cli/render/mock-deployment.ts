import * as pulumi from "@pulumi/pulumi";
import { DynamoDBSource, type DynamoDBSourceArgs } from "../../component";
import { isParseError, parseTableArn } from "../../shared/table-arn";

/** One resource the component would ask a provider to create. */
export interface RenderedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** Suffix shown where Pulumi or the provider would generate a name. */
export const GENERATED = "generated";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/**
 * Runs `DynamoDBSource` under Pulumi's mocks (no engine, no cloud, no cluster) and returns what it would send to
 * the providers, in registration order. Provider-computed values (ARNs, auto-generated names) are placeholders
 * derived from the table ARN's partition and account, with the suffix "-generated".
 */
export async function renderComponent(name: string, args: DynamoDBSourceArgs): Promise<RenderedResource[]> {
  const recorded: RenderedResource[] = [];
  const tableArn = typeof args.tableArn === "string" ? parseTableArn(args.tableArn) : undefined;
  const partition = tableArn && !isParseError(tableArn) ? tableArn.partition : "aws";
  const account = tableArn && !isParseError(tableArn) ? tableArn.account : "123456789012";
  const region = tableArn && !isParseError(tableArn) ? tableArn.region : "us-east-1";
  let pending = 0;

  await pulumi.runtime.setMocks(
    {
      newResource(resource) {
        pending++;
        try {
          const inputs = resource.inputs as Record<string, unknown>;
          if (resource.custom) recorded.push({ type: resource.type, name: resource.name, inputs });
          return {
            id: resource.custom ? `${resource.name}-id` : undefined,
            state: {
              ...inputs,
              ...computed(resource.type, resource.name, inputs, { partition, account, region }),
            },
          };
        } finally {
          pending--;
        }
      },
      call(call) {
        if (call.token === "aws:index/getCallerIdentity:getCallerIdentity") {
          return {
            accountId: account,
            arn: `arn:${partition}:iam::${account}:user/deployer`,
            userId: "DEPLOYER",
          };
        }
        throw new Error(`render cannot answer the invoke ${call.token}`);
      },
    },
    "render",
    "render",
    false,
  );

  const source = new DynamoDBSource(name, args);
  await new Promise<void>((resolve) =>
    pulumi
      .all([
        source.urn,
        source.deploymentName,
        source.policyArn,
        source.serviceAccountName,
        source.checkpointTableName,
      ])
      .apply(() => resolve()),
  );
  // Children register asynchronously: wait until registrations stop arriving.
  for (let last = -1, stable = 0; stable < 5; ) {
    await new Promise((r) => setTimeout(r, 10));
    stable = recorded.length === last && pending === 0 ? stable + 1 : 0;
    last = recorded.length;
  }
  return recorded.map((r) => ({ ...r, inputs: maskSecrets(r.inputs) as Record<string, unknown> }));
}

interface Placement {
  partition: string;
  account: string;
  region: string;
}

/** What the providers would compute: ARNs and generated names. */
function computed(type: string, name: string, inputs: Record<string, unknown>, at: Placement) {
  const generated = `${name}-${GENERATED}`;
  switch (type) {
    case "aws:iam/policy:Policy":
      return { arn: `arn:${at.partition}:iam::${at.account}:policy/${generated}` };
    case "aws:iam/role:Role":
      return { name: generated, arn: `arn:${at.partition}:iam::${at.account}:role/${generated}` };
    case "aws:dynamodb/table:Table": {
      const tableName = (inputs.name as string | undefined) ?? generated;
      const region = (inputs.region as string | undefined) ?? at.region;
      return {
        name: tableName,
        arn: `arn:${at.partition}:dynamodb:${region}:${at.account}:table/${tableName}`,
      };
    }
    default: {
      const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
      return type.startsWith("kubernetes:")
        ? { metadata: { ...metadata, name: metadata.name ?? generated } }
        : {};
    }
  }
}

/** Replaces every secret value by a marker: render output goes to code review and Git. */
function maskSecrets(value: unknown, inSecret = false): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, inSecret));
  if (value === null || typeof value !== "object")
    return inSecret && value !== undefined ? "<secret>" : value;
  const record = value as Record<string, unknown>;
  // A secret map (e.g. a Secret's stringData) keeps its keys, so the manifest stays valid; its values are masked.
  if (record[SECRET_SIG] !== undefined) return maskSecrets(record.value, true);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, maskSecrets(v, inSecret)]));
}
