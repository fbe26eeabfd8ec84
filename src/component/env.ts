import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ENV } from "../shared/env-contract";
import { HEALTH_PORT, METRICS_PORT } from "./constants";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Where the static keys are: a Secret and the key of each value in it. */
export interface CredentialsSecretRef {
  secretName: pulumi.Input<string>;
  accessKeyIdKey: pulumi.Input<string>;
  secretAccessKeyKey: pulumi.Input<string>;
  sessionTokenKey?: pulumi.Input<string>;
}

/** Everything the poller is told through its environment (names from src/shared/env-contract.ts). */
export interface PollerEnvInput {
  name: string;
  namespace: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  region: pulumi.Input<string>;
  /** Absent when a SinkBinding injects K_SINK (and then owns K_CE_OVERRIDES too). */
  sinkUri?: pulumi.Input<string>;
  ceOverrides?: Record<string, pulumi.Input<string>>;
  assumeRoleArn?: pulumi.Input<string>;
  startingPosition: pulumi.Input<string>;
  checkpointTableName: pulumi.Input<string>;
  consumerName: pulumi.Input<string>;
  dataFormat: pulumi.Input<string>;
  contentMode: pulumi.Input<string>;
  logLevel: pulumi.Input<string>;
  pollInterval?: pulumi.Input<string>;
  progressTimeout?: pulumi.Input<string>;
  deliveryRetry?: pulumi.Input<number>;
  deliveryBackoffPolicy?: pulumi.Input<string>;
  deliveryBackoffDelay?: pulumi.Input<string>;
  deliveryTimeout?: pulumi.Input<string>;
  deadLetterSinkUri?: pulumi.Input<string>;
  parallelism?: pulumi.Input<number>;
  batchSize?: pulumi.Input<number>;
  batchMaxBytes?: pulumi.Input<number>;
  batchWindow?: pulumi.Input<string>;
  /** FILTER: a JSON array of event patterns. */
  filter?: pulumi.Input<string>;
  credentials?: CredentialsSecretRef;
  extra?: Record<string, pulumi.Input<string>>;
}

/** The container's environment, in a fixed order so an unchanged configuration never shows a diff. */
export function buildPollerEnv(input: PollerEnvInput): EnvVar[] {
  const env: EnvVar[] = [];
  const set = (name: string, value: pulumi.Input<string> | undefined) => {
    if (value !== undefined) env.push({ name, value });
  };
  set(ENV.tableArn, input.tableArn);
  set(ENV.region, input.region);
  set(ENV.sink, input.sinkUri);
  if (
    input.sinkUri !== undefined &&
    input.ceOverrides !== undefined &&
    Object.keys(input.ceOverrides).length > 0
  ) {
    set(ENV.ceOverrides, pulumi.jsonStringify({ extensions: input.ceOverrides }));
  }
  set(ENV.assumeRoleArn, input.assumeRoleArn);
  set(ENV.startingPosition, input.startingPosition);
  set(ENV.checkpointTable, input.checkpointTableName);
  // The component owns the table's lifecycle: the poller must never create one on its own.
  set(ENV.checkpointTableCreate, "false");
  set(ENV.consumerName, input.consumerName);
  set(ENV.dataFormat, input.dataFormat);
  set(ENV.contentMode, input.contentMode);
  set(ENV.pollInterval, input.pollInterval);
  set(ENV.progressTimeout, input.progressTimeout);
  set(
    ENV.deliveryRetry,
    input.deliveryRetry === undefined ? undefined : pulumi.output(input.deliveryRetry).apply(String),
  );
  set(ENV.deliveryBackoffPolicy, input.deliveryBackoffPolicy);
  set(ENV.deliveryBackoffDelay, input.deliveryBackoffDelay);
  set(ENV.deliveryTimeout, input.deliveryTimeout);
  set(ENV.deadLetterSink, input.deadLetterSinkUri);
  set(ENV.parallelism, numberText(input.parallelism));
  set(ENV.batchSize, numberText(input.batchSize));
  set(ENV.batchMaxBytes, numberText(input.batchMaxBytes));
  set(ENV.batchWindow, input.batchWindow);
  set(ENV.filter, input.filter);
  set(ENV.healthPort, String(HEALTH_PORT));
  set(ENV.metricsPort, String(METRICS_PORT));
  set(ENV.logLevel, input.logLevel);
  set(ENV.namespace, input.namespace);
  set(ENV.name, input.name);
  if (input.credentials !== undefined) env.push(...credentialsEnv(input.credentials));
  for (const [name, value] of Object.entries(input.extra ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    set(name, value);
  }
  return env;
}

function numberText(value: pulumi.Input<number> | undefined): pulumi.Input<string> | undefined {
  return value === undefined ? undefined : pulumi.output(value).apply(String);
}

/** Static keys only ever reach the pod by reference, never as literal values in the Deployment. */
function credentialsEnv(ref: CredentialsSecretRef): EnvVar[] {
  const fromSecret = (name: string, key: pulumi.Input<string>): EnvVar => ({
    name,
    valueFrom: { secretKeyRef: { name: ref.secretName, key } },
  });
  return [
    fromSecret("AWS_ACCESS_KEY_ID", ref.accessKeyIdKey),
    fromSecret("AWS_SECRET_ACCESS_KEY", ref.secretAccessKeyKey),
    ...(ref.sessionTokenKey === undefined ? [] : [fromSecret("AWS_SESSION_TOKEN", ref.sessionTokenKey)]),
  ];
}
