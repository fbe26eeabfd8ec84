import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { BackoffPolicy, DataFormat, StartingPosition } from "../shared/env-contract";
import type { ContentMode, LogLevel } from "./enums";

// Every type here is a named interface and every mode an enum: Pulumi's multi-language schema inference rejects
// anonymous object types and unions. Fields that decide which resources exist are plain values (an Input would
// force resources to be created inside `apply`, invisible at preview); everything else is an `Input`.

/** A Kubernetes object that can receive events (Knative `KReference` with an optional port for Services). */
export interface SinkRefArgs {
  /** e.g. `v1`, `eventing.knative.dev/v1`, `serving.knative.dev/v1`. Plain: decides how the sink is resolved. */
  apiVersion: string;
  /** e.g. `Service`, `Broker`, `Channel`, `RedisBroker`. Plain: decides how the sink is resolved. */
  kind: string;
  name: pulumi.Input<string>;
  /** Default: the source's namespace. */
  namespace?: pulumi.Input<string>;
  /** Only for a `v1 Service`: appended as `:<port>` to its cluster DNS URL. */
  port?: pulumi.Input<number>;
}

/** Where events go: exactly one of `uri` or `ref`. */
export interface SinkArgs {
  /** An absolute http(s) URL. */
  uri?: pulumi.Input<string>;
  ref?: SinkRefArgs;
}

/** Static AWS keys: either the values (stored in a Secret the component creates) or an existing Secret. */
export interface StaticCredentialsArgs {
  accessKeyId?: pulumi.Input<string>;
  secretAccessKey?: pulumi.Input<string>;
  sessionToken?: pulumi.Input<string>;
  /** An existing Secret in the source's namespace. Plain: decides whether the component creates a Secret. */
  secretName?: string;
  /** Key of the access key id in `secretName`. Default `AWS_ACCESS_KEY_ID`. */
  accessKeyIdKey?: pulumi.Input<string>;
  /** Key of the secret access key in `secretName`. Default `AWS_SECRET_ACCESS_KEY`. */
  secretAccessKeyKey?: pulumi.Input<string>;
  /** Key of an optional session token in `secretName` (unset: no session token). */
  sessionTokenKey?: pulumi.Input<string>;
}

/** IAM Roles for Service Accounts: either create a role trusted by the cluster's OIDC provider, or use `roleArn`. */
export interface IrsaArgs {
  /** `arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>`. */
  oidcProviderArn?: pulumi.Input<string>;
  /** The cluster's OIDC issuer, with or without `https://` (pulumi-eks `cluster.oidcIssuer` / `oidcProviderUrl`). */
  oidcIssuerUrl?: pulumi.Input<string>;
  /** An existing role to use instead of creating one. Plain: decides whether a role is created. */
  roleArn?: string;
}

/** EKS Pod Identity: a role trusted by `pods.eks.amazonaws.com` (created, or `roleArn`) and an association. */
export interface PodIdentityArgs {
  clusterName: pulumi.Input<string>;
  /** An existing role to use instead of creating one. Plain: decides whether a role is created. */
  roleArn?: string;
}

/** How the poller gets AWS credentials. At most one of `credentials`, `irsa`, `podIdentity`; none = the node's. */
export interface AuthArgs {
  credentials?: StaticCredentialsArgs;
  irsa?: IrsaArgs;
  podIdentity?: PodIdentityArgs;
  /**
   * Cross-account: the poller assumes this role to read the source table and its stream (the role needs the
   * table/stream statements, see `buildSourceTableStatements`); its own identity keeps the checkpoint table.
   * Plain: decides the policy's statements.
   */
  assumeRoleArn?: string;
}

export interface ServiceAccountArgs {
  /** Default `<name>-dynamodb-source` (DNS-1123). Plain: the IRSA trust policy and Pod Identity name it. */
  name?: string;
  /** Default true. `false` reuses an existing service account called `name`. */
  create?: boolean;
}

/** The table the poller keeps its checkpoints (and later leases) in. */
export interface CheckpointArgs {
  /** Default true: the component creates a table. `false` reuses `tableName`. */
  create?: boolean;
  /** Required with `create: false`; with `create: true`, the name of the created table (default: generated). */
  tableName?: string;
  /** Protect the created table against deletion. Default false. */
  deletionProtection?: pulumi.Input<boolean>;
}

/** Knative-style delivery settings. */
export interface DeliveryArgs {
  /** Attempts after the first one (≥ 0). */
  retry?: pulumi.Input<number>;
  backoffPolicy?: pulumi.Input<BackoffPolicy>;
  /** ISO-8601 (e.g. `PT0.2S`) or milliseconds: the base of the backoff. */
  backoffDelay?: pulumi.Input<string>;
  /** ISO-8601 or milliseconds: per attempt. */
  timeout?: pulumi.Input<string>;
  /** Where undeliverable events go: a uri or a `v1 Service` ref. */
  deadLetterSink?: SinkArgs;
}

/** Container resources, as Kubernetes quantities (e.g. `{ cpu: "100m", memory: "128Mi" }`). */
export interface ResourceRequirementsArgs {
  requests?: { [resource: string]: pulumi.Input<string> };
  limits?: { [resource: string]: pulumi.Input<string> };
}

/** A Kubernetes toleration. */
export interface TolerationArgs {
  key?: pulumi.Input<string>;
  operator?: pulumi.Input<string>;
  value?: pulumi.Input<string>;
  effect?: pulumi.Input<string>;
  tolerationSeconds?: pulumi.Input<number>;
}

export interface DynamoDBSourceArgs {
  /** `arn:<partition>:dynamodb:<region>:<account>:table/<name>` (not a stream ARN). */
  tableArn: pulumi.Input<string>;
  sink: SinkArgs;
  /** Default `default`. */
  namespace?: pulumi.Input<string>;
  auth?: AuthArgs;
  serviceAccount?: ServiceAccountArgs;
  checkpoint?: CheckpointArgs;
  /** Checkpoint namespace inside the checkpoint table. Default `<namespace>/<name>`. */
  consumerName?: pulumi.Input<string>;
  /** Default `LATEST`. */
  startingPosition?: pulumi.Input<StartingPosition>;
  /** Default `aws`. */
  dataFormat?: pulumi.Input<DataFormat>;
  /** CloudEvents HTTP content mode. Default `binary`. */
  contentMode?: pulumi.Input<ContentMode>;
  /** CloudEvents extensions added to every event (`K_CE_OVERRIDES`), e.g. `{ team: "orders" }`. */
  ceOverrides?: { [extension: string]: pulumi.Input<string> };
  delivery?: DeliveryArgs;
  /** Idle wait between empty GetRecords per shard (ISO-8601 or ms). GetRecords is billed: longer is cheaper. */
  pollInterval?: pulumi.Input<string>;
  /** A shard that makes no progress for this long marks the poller not ready (ISO-8601 or ms). */
  progressTimeout?: pulumi.Input<string>;
  /** Default `info`. */
  logLevel?: pulumi.Input<LogLevel>;
  /** Default 1. Plain: a PodDisruptionBudget exists only when > 1. */
  replicas?: number;
  /** Default `DEFAULT_POLLER_IMAGE`. */
  image?: pulumi.Input<string>;
  imagePullPolicy?: pulumi.Input<string>;
  resources?: ResourceRequirementsArgs;
  nodeSelector?: { [label: string]: pulumi.Input<string> };
  tolerations?: TolerationArgs[];
  /** Kubernetes `Affinity`, passed through as given. */
  affinity?: pulumi.Input<k8s.types.input.core.v1.Affinity>;
  /** Extra labels on the Deployment and its pods (the selector labels cannot be overridden). */
  labels?: { [key: string]: pulumi.Input<string> };
  /** Extra annotations on the pods. */
  annotations?: { [key: string]: pulumi.Input<string> };
  /** Extra environment variables (the poller's contract variables have their own arguments). */
  env?: { [name: string]: pulumi.Input<string> };
}
