import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DataFormat, StartingPosition } from "../shared/env-contract";
import { isParseError, parseTableArn, type TableArn } from "../shared/table-arn";
import type { DynamoDBSourceArgs } from "./args";
import { checkpointTable } from "./checkpoint-table";
import {
  CLOUDEVENT_TYPE,
  DEFAULT_NAMESPACE,
  DEFAULT_POLLER_IMAGE,
  DYNAMODB_SOURCE_TYPE,
  PACKAGE_VERSION,
} from "./constants";
import { ContentMode, LogLevel } from "./enums";
import { buildPollerEnv } from "./env";
import { filterEnvValue } from "./filters";
import { buildPollerPolicy, policyJson } from "./iam-policy";
import { createPollerIdentity } from "./identity";
import { checked, optionalChecked } from "./inputs";
import { selectorLabels, standardLabels } from "./labels";
import { toDns1123Label } from "./names";
import {
  batchMaxBytesRule,
  batchSizeRule,
  batchWindowRule,
  httpUrlRule,
  namespaceRule,
  parallelismRule,
} from "./rules";
import { buildSinkBinding, resolveSink } from "./sink";
import { validateArgs } from "./validate";
import { buildDeploymentArgs, buildPodDisruptionBudgetArgs } from "./workload";

/** One CloudEvent type the source emits, as TriggerMesh's `status.ceAttributes` shows it. */
export interface CloudEventAttributes {
  /** The CloudEvents `type`, `com.amazon.dynamodb.stream_record`. */
  type: string;
  /** The CloudEvents `source`: the table ARN. */
  source: string;
}

/**
 * Reads a DynamoDB table's stream with a poller Deployment on Kubernetes and delivers every change as a CloudEvent.
 *
 * Children (all named after `name`): `aws:iam/policy:Policy` `<name>-poller`; optionally `aws:dynamodb/table:Table`
 * `<name>-checkpoints`, `aws:iam/role:Role` + `RolePolicyAttachment` `<name>-poller`,
 * `aws:eks/podIdentityAssociation:PodIdentityAssociation` `<name>`, `kubernetes:core/v1:ServiceAccount` `<name>`,
 * `kubernetes:core/v1:Secret` `<name>-aws-credentials`, `kubernetes:sources.knative.dev/v1:SinkBinding`
 * `<name>-sink`, `kubernetes:policy/v1:PodDisruptionBudget` `<name>`; always `kubernetes:apps/v1:Deployment` `<name>`.
 */
export class DynamoDBSource extends pulumi.ComponentResource {
  /** Name of the poller Deployment (`<name>-dynamodb-source`). */
  public readonly deploymentName: pulumi.Output<string>;
  /** The poller's Kubernetes service account (created or reused). */
  public readonly serviceAccountName: pulumi.Output<string>;
  /** The IRSA / Pod Identity role (created or given); absent with static keys or the node's credentials. */
  public readonly roleArn?: pulumi.Output<string>;
  /** The poller's least-privilege policy (attach it to the node role when no `auth` is given). */
  public readonly policyArn: pulumi.Output<string>;
  /** The DynamoDB table holding the checkpoints (created or reused). */
  public readonly checkpointTableName: pulumi.Output<string>;
  /** The resolved sink URL; absent when a Knative SinkBinding resolves the sink in the cluster. */
  public readonly sinkUri?: pulumi.Output<string>;
  /** The CloudEvent types and sources the source emits (TriggerMesh's `status.ceAttributes`). */
  public readonly ceAttributes: pulumi.Output<CloudEventAttributes[]>;

  constructor(name: string, args: DynamoDBSourceArgs, opts?: pulumi.ComponentResourceOptions) {
    validateArgs(args);
    // Never the raw args: component inputs are saved in state, and they may hold static keys.
    super(DYNAMODB_SOURCE_TYPE, name, {}, opts);
    const parent = { parent: this };

    const namespace = checked("namespace", args.namespace ?? DEFAULT_NAMESPACE, namespaceRule);
    const table = parsedTableArn(args.tableArn);
    const labels = { ...args.labels, ...standardLabels(name, PACKAGE_VERSION) };
    const selector = selectorLabels(name);
    const assumeRoleArn = args.auth?.assumeRoleArn;

    const checkpoint = checkpointTable(name, table, args.checkpoint, assumeRoleArn !== undefined, parent);
    const policy = new aws.iam.Policy(
      `${name}-poller`,
      {
        description: pulumi.interpolate`dynamodb-source poller ${namespace}/${name}: read ${table.tableName}'s stream, keep checkpoints`,
        policy: pulumi
          .all([table, checkpoint.arn])
          .apply(([t, checkpointTableArn]) =>
            policyJson(buildPollerPolicy({ tableArn: t.arn, checkpointTableArn, assumeRoleArn })),
          ),
      },
      parent,
    );

    const identity = createPollerIdentity(args.auth, args.serviceAccount, {
      name,
      namespace,
      labels,
      policyArn: policy.arn,
      parent: this,
    });
    if (args.auth?.credentials === undefined && identity.roleArn === undefined) {
      pulumi.log.warn(
        "no auth given: the poller uses the node's AWS credentials (instance profile); attach this source's policyArn to the node role, or use auth.irsa / auth.podIdentity",
        this,
      );
    }

    const sink = resolveSink(args.sink, namespace);
    const sinkUri = sink.kind === "uri" ? checkedUri("sink.uri", sink.uri) : undefined;
    const deadLetter = args.delivery?.deadLetterSink;
    const deadLetterSinkUri =
      deadLetter === undefined
        ? undefined
        : checkedUri("delivery.deadLetterSink.uri", resolveDeadLetter(deadLetter, namespace));
    const deploymentName = toDns1123Label(`${name}-dynamodb-source`);

    // The binding exists before the Deployment so Knative's webhook injects K_SINK into its very first pods.
    const binding =
      sink.kind === "binding"
        ? new k8s.apiextensions.CustomResource(
            `${name}-sink`,
            buildSinkBinding({
              namespace,
              deploymentName,
              ref: sink.ref,
              labels,
              ceOverrides: args.ceOverrides ? { extensions: args.ceOverrides } : undefined,
            }),
            parent,
          )
        : undefined;

    const env = buildPollerEnv({
      name,
      namespace,
      tableArn: table.arn,
      region: table.region,
      sinkUri,
      ceOverrides: args.ceOverrides,
      assumeRoleArn,
      startingPosition: args.startingPosition ?? StartingPosition.Latest,
      checkpointTableName: checkpoint.name,
      consumerName: args.consumerName ?? pulumi.interpolate`${namespace}/${name}`,
      dataFormat: args.dataFormat ?? DataFormat.Aws,
      contentMode: args.contentMode ?? ContentMode.Binary,
      logLevel: args.logLevel ?? LogLevel.Info,
      pollInterval: args.pollInterval,
      progressTimeout: args.progressTimeout,
      deliveryRetry: args.delivery?.retry,
      deliveryBackoffPolicy: args.delivery?.backoffPolicy,
      deliveryBackoffDelay: args.delivery?.backoffDelay,
      deliveryTimeout: args.delivery?.timeout,
      deadLetterSinkUri,
      // Values known only at deployment are checked when they resolve, with the preview's messages.
      parallelism: optionalChecked("parallelism", args.parallelism, parallelismRule),
      batchSize: optionalChecked("batch.size", args.batch?.size, batchSizeRule),
      batchMaxBytes: optionalChecked("batch.maxBytes", args.batch?.maxBytes, batchMaxBytesRule),
      batchWindow: optionalChecked("batch.window", args.batch?.window, batchWindowRule),
      filter: filterEnvValue(args.filters),
      credentials: identity.credentials,
      extra: args.env,
    });

    const replicas = args.replicas ?? 1;
    const deploymentArgs = buildDeploymentArgs({
      namespace,
      labels,
      selectorLabels: selector,
      podAnnotations: args.annotations,
      identityChecksum: pulumi.all(identity.fingerprint).apply(sha256),
      replicas,
      image: args.image ?? DEFAULT_POLLER_IMAGE,
      imagePullPolicy: args.imagePullPolicy,
      imagePullSecrets: args.imagePullSecrets,
      serviceAccountName: identity.serviceAccountName,
      env,
      resources: args.resources,
      nodeSelector: args.nodeSelector,
      tolerations: args.tolerations,
      affinity: args.affinity,
    });
    const deployment = new k8s.apps.v1.Deployment(
      name,
      { ...deploymentArgs, metadata: { ...deploymentArgs.metadata, name: deploymentName } },
      {
        parent: this,
        // Pods never start without their permissions, their Secret or (with a binding) their sink.
        dependsOn: [
          ...identity.dependencies,
          ...(checkpoint.resource ? [checkpoint.resource] : []),
          ...(binding ? [binding] : []),
        ],
      },
    );
    if (replicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(
        name,
        buildPodDisruptionBudgetArgs(namespace, labels, selector),
        parent,
      );
    }

    this.deploymentName = deployment.metadata.name;
    this.serviceAccountName = identity.serviceAccountName;
    this.roleArn = identity.roleArn;
    this.policyArn = policy.arn;
    this.checkpointTableName = checkpoint.name;
    this.sinkUri = sinkUri;
    this.ceAttributes = table.apply((t) => [{ type: CLOUDEVENT_TYPE, source: t.arn }]);
    this.registerOutputs({
      deploymentName: this.deploymentName,
      serviceAccountName: this.serviceAccountName,
      roleArn: this.roleArn,
      policyArn: this.policyArn,
      checkpointTableName: this.checkpointTableName,
      sinkUri: this.sinkUri,
      ceAttributes: this.ceAttributes,
    });
  }
}

/** The table ARN, parsed once it is known (at preview for plain values; validated earlier with the same rule). */
function parsedTableArn(tableArn: pulumi.Input<string>): pulumi.Output<TableArn> {
  return pulumi.output(tableArn).apply((value) => {
    const parsed = parseTableArn(value);
    if (isParseError(parsed))
      throw new pulumi.InputPropertyError({ propertyPath: "tableArn", reason: parsed.error });
    return parsed;
  });
}

function checkedUri(propertyPath: string, uri: pulumi.Output<string>): pulumi.Output<string> {
  return pulumi.output(checked(propertyPath, uri, httpUrlRule));
}

function resolveDeadLetter(
  deadLetter: NonNullable<NonNullable<DynamoDBSourceArgs["delivery"]>["deadLetterSink"]>,
  namespace: pulumi.Input<string>,
): pulumi.Output<string> {
  const resolved = resolveSink(deadLetter, namespace);
  // validateArgs admits only a uri or a v1 Service ref here, both of which resolve to a URL.
  return resolved.kind === "uri" ? resolved.uri : pulumi.output("");
}

function sha256(parts: string[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}
