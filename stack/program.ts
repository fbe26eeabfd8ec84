/**
 * The root Pulumi project's program: one DynamoDBSource per stack, configured entirely from stack config, so each
 * environment is a `Pulumi.<stack>.yaml` (see Pulumi.dev.yaml / Pulumi.prod.yaml at the repository root).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  type AuthArgs,
  type DataFormat,
  DynamoDBSource,
  type DynamoDBSourceArgs,
  type LogLevel,
  type SinkArgs,
  type SinkRefArgs,
  type StartingPosition,
} from "../src";

/** How the poller authenticates (config `authMode`). */
export enum AuthMode {
  /** The node's credentials (attach the `policyArn` output to the node role). */
  Node = "node",
  Irsa = "irsa",
  PodIdentity = "podIdentity",
  AccessKeys = "accessKeys",
}

export interface StackOutputs {
  deploymentName: pulumi.Output<string>;
  serviceAccountName: pulumi.Output<string>;
  policyArn: pulumi.Output<string>;
  checkpointTableName: pulumi.Output<string>;
  roleArn?: pulumi.Output<string>;
  sinkUri?: pulumi.Output<string>;
}

/** Reads the stack config and creates the source; throws InputPropertyError naming the config key on bad input. */
export function dynamoDbSourceStack(config: pulumi.Config = new pulumi.Config()): StackOutputs {
  const source = new DynamoDBSource(config.get("name") ?? "dynamodb-source", {
    tableArn: config.require("tableArn"),
    namespace: config.get("namespace"),
    sink: sinkFromConfig(config),
    auth: authFromConfig(config),
    serviceAccount: config.get("serviceAccountName")
      ? { name: config.get("serviceAccountName"), create: config.getBoolean("serviceAccountCreate") ?? true }
      : undefined,
    checkpoint: {
      tableName: config.get("checkpointTableName"),
      create: config.getBoolean("checkpointTableCreate") ?? true,
      deletionProtection: config.getBoolean("checkpointTableDeletionProtection"),
    },
    startingPosition: config.get("startingPosition") as StartingPosition | undefined,
    dataFormat: config.get("dataFormat") as DataFormat | undefined,
    logLevel: config.get("logLevel") as LogLevel | undefined,
    pollInterval: config.get("pollInterval"),
    replicas: config.getNumber("replicas"),
    image: config.get("image"),
    ceOverrides: config.getObject<Record<string, string>>("ceOverrides"),
    delivery: deliveryFromConfig(config),
    filters: filtersFromConfig(config),
  } satisfies DynamoDBSourceArgs);
  return {
    deploymentName: source.deploymentName,
    serviceAccountName: source.serviceAccountName,
    policyArn: source.policyArn,
    checkpointTableName: source.checkpointTableName,
    roleArn: source.roleArn,
    sinkUri: source.sinkUri,
  };
}

/** Config `filters`: a list of event patterns, each written as YAML (an object) or as a JSON string. */
function filtersFromConfig(config: pulumi.Config): string[] | undefined {
  return config
    .getObject<unknown[]>("filters")
    ?.map((pattern) => (typeof pattern === "string" ? pattern : JSON.stringify(pattern)));
}

function sinkFromConfig(config: pulumi.Config): SinkArgs {
  const ref = config.getObject<SinkRefArgs>("sinkRef");
  return ref === undefined ? { uri: config.get("sinkUri") } : { ref };
}

function deliveryFromConfig(config: pulumi.Config): DynamoDBSourceArgs["delivery"] {
  const deadLetterSinkUri = config.get("deadLetterSinkUri");
  return {
    retry: config.getNumber("deliveryRetry"),
    backoffDelay: config.get("deliveryBackoffDelay"),
    timeout: config.get("deliveryTimeout"),
    deadLetterSink: deadLetterSinkUri === undefined ? undefined : { uri: deadLetterSinkUri },
  };
}

function authFromConfig(config: pulumi.Config): AuthArgs {
  const mode = config.get("authMode") ?? AuthMode.Node;
  const assumeRoleArn = config.get("assumeRoleArn");
  switch (mode) {
    case AuthMode.Node:
      return { assumeRoleArn };
    case AuthMode.Irsa:
      return {
        assumeRoleArn,
        irsa: {
          roleArn: config.get("roleArn"),
          oidcProviderArn: config.get("oidcProviderArn"),
          oidcIssuerUrl: config.get("oidcIssuerUrl"),
        },
      };
    case AuthMode.PodIdentity:
      return {
        assumeRoleArn,
        podIdentity: { clusterName: config.require("clusterName"), roleArn: config.get("roleArn") },
      };
    case AuthMode.AccessKeys: {
      const secretName = config.get("credentialsSecretName");
      return {
        assumeRoleArn,
        credentials:
          secretName !== undefined
            ? { secretName }
            : {
                accessKeyId: config.requireSecret("accessKeyId"),
                secretAccessKey: config.requireSecret("secretAccessKey"),
              },
      };
    }
    default:
      throw new pulumi.InputPropertyError({
        propertyPath: "authMode",
        reason: `"${mode}" is not one of ${Object.values(AuthMode).join(", ")} (config key ${config.name}:authMode)`,
      });
  }
}
