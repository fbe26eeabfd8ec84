import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { DynamoDBSourceArgs } from "../../component";
import { CliUsageError } from "../command";

/** The flags of `dynamodb-source render` (all optional strings; --config supplies the rest). */
export interface RenderFlags {
  config?: string;
  name?: string;
  "table-arn"?: string;
  "sink-uri"?: string;
  "sink-ref"?: string;
  namespace?: string;
  auth?: string;
  "oidc-provider-arn"?: string;
  "oidc-issuer-url"?: string;
  "role-arn"?: string;
  "cluster-name"?: string;
  "secret-name"?: string;
  "assume-role-arn"?: string;
  "service-account"?: string;
  "checkpoint-table"?: string;
  "starting-position"?: string;
  "data-format"?: string;
  replicas?: string;
  image?: string;
}

type MutableArgs = { -readonly [K in keyof DynamoDBSourceArgs]?: DynamoDBSourceArgs[K] } & Record<
  string,
  unknown
>;

const AUTH_MODES = ["node", "irsa", "pod-identity", "keys-secret"];

/**
 * The component's name and args from `--config <file.yaml>` (`{name, args}` with the component's argument names)
 * overlaid with flags. The component validates the result and names the property of any bad value.
 */
export function renderArgs(flags: RenderFlags): { name: string; args: DynamoDBSourceArgs } {
  const fromFile = flags.config ? readConfig(flags.config) : {};
  const args: MutableArgs = { ...((fromFile.args as MutableArgs | undefined) ?? {}) };
  const set = <K extends string>(key: K, value: unknown) => {
    if (value !== undefined) args[key] = value;
  };
  set("tableArn", flags["table-arn"]);
  set("namespace", flags.namespace);
  set("image", flags.image);
  set("startingPosition", flags["starting-position"]);
  set("dataFormat", flags["data-format"]);
  if (flags.replicas !== undefined) {
    const replicas = Number(flags.replicas);
    if (!Number.isInteger(replicas))
      throw new CliUsageError(`--replicas must be an integer, got "${flags.replicas}"`);
    args.replicas = replicas;
  }
  if (flags["sink-uri"] !== undefined) args.sink = { uri: flags["sink-uri"] };
  if (flags["sink-ref"] !== undefined) args.sink = { ref: sinkRef(flags["sink-ref"]) };
  if (flags["service-account"] !== undefined)
    args.serviceAccount = { name: flags["service-account"], create: false };
  if (flags["checkpoint-table"] !== undefined)
    args.checkpoint = { tableName: flags["checkpoint-table"], create: false };
  applyAuth(args, flags);

  if (args.tableArn === undefined)
    throw new CliUsageError("--table-arn is required (or args.tableArn in --config)");
  if (args.sink === undefined)
    throw new CliUsageError("--sink-uri or --sink-ref is required (or args.sink in --config)");
  const name = flags.name ?? (typeof fromFile.name === "string" ? fromFile.name : "dynamodb-source");
  return { name, args: args as DynamoDBSourceArgs };
}

function readConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new CliUsageError(`--config: cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed: unknown = parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CliUsageError(`--config: ${file} must be a YAML mapping with "name" and "args"`);
  }
  return parsed as Record<string, unknown>;
}

/** `<apiVersion>:<kind>:<name>[:<namespace>]`, e.g. `eventing.knative.dev/v1:Broker:default`. */
function sinkRef(text: string) {
  const [apiVersion, kind, name, namespace, ...extra] = text.split(":");
  if (!apiVersion || !kind || !name || extra.length > 0) {
    throw new CliUsageError(
      `--sink-ref must be <apiVersion>:<kind>:<name>[:<namespace>], e.g. v1:Service:display or eventing.knative.dev/v1:Broker:default; got "${text}"`,
    );
  }
  return { apiVersion, kind, name, ...(namespace ? { namespace } : {}) };
}

function applyAuth(args: MutableArgs, flags: RenderFlags) {
  const assumeRoleArn = flags["assume-role-arn"];
  if (flags.auth === undefined) {
    if (assumeRoleArn !== undefined) args.auth = { ...(args.auth ?? {}), assumeRoleArn };
    return;
  }
  if (!AUTH_MODES.includes(flags.auth)) {
    throw new CliUsageError(`--auth must be one of ${AUTH_MODES.join(", ")}, got "${flags.auth}"`);
  }
  const roleArn = flags["role-arn"];
  switch (flags.auth) {
    case "node":
      args.auth = assumeRoleArn ? { assumeRoleArn } : undefined;
      break;
    case "irsa":
      args.auth = {
        irsa: roleArn
          ? { roleArn }
          : { oidcProviderArn: flags["oidc-provider-arn"], oidcIssuerUrl: flags["oidc-issuer-url"] },
        assumeRoleArn,
      };
      break;
    case "pod-identity":
      args.auth = { podIdentity: { clusterName: flags["cluster-name"] ?? "", roleArn }, assumeRoleArn };
      break;
    case "keys-secret":
      args.auth = { credentials: { secretName: flags["secret-name"] }, assumeRoleArn };
      break;
  }
}
