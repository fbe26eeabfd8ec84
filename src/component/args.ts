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
  /** Name of the object. */
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
  /** A Kubernetes object that receives events (Service, Broker, Channel, ...). */
  ref?: SinkRefArgs;
}

/** Static AWS keys: either the values (stored in a Secret the component creates) or an existing Secret. */
export interface StaticCredentialsArgs {
  /** AWS access key id; stored in a Secret the component creates (secret). */
  accessKeyId?: pulumi.Input<string>;
  /** AWS secret access key; stored in the created Secret (secret). */
  secretAccessKey?: pulumi.Input<string>;
  /** Optional session token of temporary keys; stored in the created Secret. */
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
  /** The EKS cluster the Pod Identity association is created in. */
  clusterName: pulumi.Input<string>;
  /** An existing role to use instead of creating one. Plain: decides whether a role is created. */
  roleArn?: string;
}

/** How the poller gets AWS credentials. At most one of `credentials`, `irsa`, `podIdentity`; none = the node's. */
export interface AuthArgs {
  /** Static AWS keys (values, or an existing Secret). */
  credentials?: StaticCredentialsArgs;
  /** IAM Roles for Service Accounts (EKS). */
  irsa?: IrsaArgs;
  /** EKS Pod Identity. */
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
  /** `exponential` (default) or `linear`. */
  backoffPolicy?: pulumi.Input<BackoffPolicy>;
  /** ISO-8601 (e.g. `PT0.2S`) or milliseconds: the base of the backoff. */
  backoffDelay?: pulumi.Input<string>;
  /** ISO-8601 or milliseconds: per attempt. */
  timeout?: pulumi.Input<string>;
  /** Where undeliverable events go: a uri or a `v1 Service` ref. */
  deadLetterSink?: SinkArgs;
}

/**
 * CloudEvents batch mode: events go to the sink as `application/cloudevents-batch+json` requests (a JSON array of
 * structured events) instead of one request per event. Only for sinks that accept batches.
 */
export interface BatchArgs {
  /** Events per request, 1-1000. Default 1: no batching. */
  size?: pulumi.Input<number>;
  /** Bytes per request, 1024 to 64 MiB. Default 1048576 (1 MiB). A bigger single event still goes, alone. */
  maxBytes?: pulumi.Input<number>;
  /**
   * ISO-8601 or ms, up to 5 min. Default 0. After a page of fewer than `size` records, the poller waits this long
   * (from that read) before reading the shard again, so records that trickle in fill bigger batches; adds up to this
   * much latency.
   */
  window?: pulumi.Input<string>;
}

/** Container resources, as Kubernetes quantities (e.g. `{ cpu: "100m", memory: "128Mi" }`). */
export interface ResourceRequirementsArgs {
  /** Minimum resources, e.g. `{ cpu: "50m", memory: "96Mi" }`. */
  requests?: { [resource: string]: pulumi.Input<string> };
  /** Maximum resources, e.g. `{ memory: "256Mi" }`. */
  limits?: { [resource: string]: pulumi.Input<string> };
}

/** A Kubernetes toleration. */
export interface TolerationArgs {
  /** Taint key the toleration matches (empty with `Exists`: every key). */
  key?: pulumi.Input<string>;
  /** `Equal` (default) or `Exists`. */
  operator?: pulumi.Input<string>;
  /** Taint value (with `Equal`). */
  value?: pulumi.Input<string>;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute` (empty: all). */
  effect?: pulumi.Input<string>;
  /** With `NoExecute`: how long the pod stays bound after the taint appears. */
  tolerationSeconds?: pulumi.Input<number>;
}

export interface DynamoDBSourceArgs {
  /** `arn:<partition>:dynamodb:<region>:<account>:table/<name>` (not a stream ARN). */
  tableArn: pulumi.Input<string>;
  /** Where events go: a `uri`, or a `ref` to a Service, Broker or Channel. */
  sink: SinkArgs;
  /** Default `default`. */
  namespace?: pulumi.Input<string>;
  /** How the poller gets AWS credentials. Default: the node's (attach `policyArn` to the node role). */
  auth?: AuthArgs;
  /** The poller's Kubernetes service account. */
  serviceAccount?: ServiceAccountArgs;
  /** The DynamoDB table of checkpoints. Default: created by the component. */
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
  /** Retries, backoff, timeout and dead-letter sink (Knative `delivery` semantics). */
  delivery?: DeliveryArgs;
  /**
   * Per-key ordered delivery lanes per shard, 1-10 (Lambda's ParallelizationFactor). Default 1. Events of one item
   * stay in order; different items are delivered concurrently.
   */
  parallelism?: pulumi.Input<number>;
  /** CloudEvents batch mode. Default: one event per request. */
  batch?: BatchArgs;
  /**
   * Event patterns (EventBridge / Lambda syntax), each a JSON string; at most 10, OR-ed. Only records that match one
   * are delivered; the others are checkpointed and counted. Images are matched as plain values (numbers as numbers),
   * e.g. `{"eventName":["INSERT"],"dynamodb":{"NewImage":{"amount":[{"numeric":[">",100]}]}}}`. Default: every record.
   */
  filters?: pulumi.Input<string>[];
  /** Idle wait between empty GetRecords per shard (ISO-8601 or ms). GetRecords is billed: longer is cheaper. */
  pollInterval?: pulumi.Input<string>;
  /** A shard that makes no progress for this long marks the poller not ready (ISO-8601 or ms). */
  progressTimeout?: pulumi.Input<string>;
  /** Default `info`. */
  logLevel?: pulumi.Input<LogLevel>;
  /**
   * Default 1. Replicas split the shards through leases in the checkpoint table (each holds about
   * ceil(shards / replicas)); replicas beyond the number of open shards are hot standbys. Plain: a
   * PodDisruptionBudget exists only when > 1.
   */
  replicas?: number;
  /** Default `DEFAULT_POLLER_IMAGE`. */
  image?: pulumi.Input<string>;
  /** `Always`, `IfNotPresent` or `Never`. Default: Kubernetes' default for the image tag. */
  imagePullPolicy?: pulumi.Input<string>;
  /**
   * Names of `kubernetes.io/dockerconfigjson` Secrets in `namespace` for pulling `image` from a private registry
   * (the pod's `imagePullSecrets`). Default: none (the service account's, if it has any).
   */
  imagePullSecrets?: pulumi.Input<string>[];
  /** CPU and memory requests and limits of the poller container. */
  resources?: ResourceRequirementsArgs;
  /** Node labels the poller pod must run on. */
  nodeSelector?: { [label: string]: pulumi.Input<string> };
  /** Taints the poller pod tolerates. */
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
