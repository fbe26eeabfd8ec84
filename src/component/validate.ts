import * as pulumi from "@pulumi/pulumi";
import { BackoffPolicy, DataFormat, ENV, StartingPosition } from "../shared/env-contract";
import type { DynamoDBSourceArgs, SinkArgs, StaticCredentialsArgs } from "./args";
import { ContentMode, LogLevel } from "./enums";
import { filterProblems } from "./filters";
import { knownValue } from "./inputs";
import { SELECTOR_LABEL_KEYS } from "./labels";
import { isEnvVarName } from "./names";
import {
  batchMaxBytesRule,
  batchSizeRule,
  batchWindowRule,
  ceExtensionNameRule,
  deliveryTimeoutRule,
  durationRule,
  dynamoDbTableNameRule,
  enumRule,
  httpUrlRule,
  issuerMatchesProvider,
  issuerUrlRule,
  namespaceRule,
  objectNameRule,
  oidcProviderArnRule,
  parallelismRule,
  pollIntervalRule,
  portRule,
  progressTimeoutRule,
  type Rule,
  retryRule,
  roleArnRule,
  serviceNameRule,
  tableArnRule,
} from "./rules";
import { isServiceRef } from "./sink";

type Problem = pulumi.InputPropertyErrorDetails;

/** Variables the component always writes (or writes from a dedicated argument): `env` must not shadow them. */
const RESERVED_ENV = new Set<string>([
  ...Object.values(ENV),
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
]);

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

class Problems {
  readonly list: Problem[] = [];

  add(propertyPath: string, reason: string): void {
    this.list.push({ propertyPath, reason });
  }

  /** Applies `rule` when the value is known now; values known later are checked inside `apply` (see checked()). */
  check<T>(propertyPath: string, input: pulumi.Input<T> | undefined, rule: Rule<T>): void {
    const known = knownValue(input);
    if (!known.known || known.value === undefined) return;
    const reason = rule(known.value);
    if (reason !== undefined) this.add(propertyPath, reason);
  }
}

/**
 * Every problem knowable from the arguments, reported before the component registers anything.
 * Throws `InputPropertyError` for one problem, `InputPropertiesError` for several.
 */
export function validateArgs(args: DynamoDBSourceArgs | undefined): void {
  const problems = new Problems();
  if (args === undefined || args === null) {
    problems.add("args", "arguments are required: at least tableArn and sink");
  } else {
    collectProblems(args, problems);
  }
  throwProblems(problems.list);
}

export function throwProblems(list: Problem[]): void {
  const [first] = list;
  if (first === undefined) return;
  if (list.length === 1) throw new pulumi.InputPropertyError(first);
  throw new pulumi.InputPropertiesError({
    message: `DynamoDBSource: ${list.length} invalid arguments: ${list.map((p) => p.propertyPath).join(", ")}`,
    errors: list,
  });
}

function collectProblems(args: DynamoDBSourceArgs, problems: Problems): void {
  if (args.tableArn === undefined || args.tableArn === null) {
    problems.add("tableArn", "required: the ARN of the table whose stream to read, e.g. table.arn");
  }
  problems.check("tableArn", args.tableArn, tableArnRule);
  problems.check("namespace", args.namespace, namespaceRule);
  checkSink("sink", args.sink, problems, true);
  checkAuth(args, problems);
  checkServiceAccount(args, problems);
  checkCheckpoint(args, problems);
  checkModes(args, problems);
  checkDelivery(args, problems);
  checkLanesAndBatches(args, problems);
  for (const problem of filterProblems(args.filters)) problems.add(problem.propertyPath, problem.reason);
  checkWorkload(args, problems);
}

function checkSink(
  path: string,
  sink: SinkArgs | undefined,
  problems: Problems,
  anyAddressable: boolean,
): void {
  if (sink === undefined || sink === null) {
    if (anyAddressable)
      problems.add(path, "required: give sink.uri (a URL) or sink.ref (a Kubernetes object)");
    return;
  }
  if (sink.uri !== undefined && sink.ref !== undefined) {
    problems.add(path, `give exactly one of ${path}.uri and ${path}.ref, not both`);
    return;
  }
  if (sink.uri === undefined && sink.ref === undefined) {
    problems.add(path, `give exactly one of ${path}.uri (a URL) or ${path}.ref (a Kubernetes object)`);
    return;
  }
  problems.check(`${path}.uri`, sink.uri, httpUrlRule);
  const ref = sink.ref;
  if (ref === undefined) return;
  if (!ref.apiVersion)
    problems.add(`${path}.ref.apiVersion`, 'required, e.g. "v1" or "eventing.knative.dev/v1"');
  if (!ref.kind) problems.add(`${path}.ref.kind`, 'required, e.g. "Service" or "Broker"');
  if (ref.name === undefined || ref.name === "")
    problems.add(`${path}.ref.name`, "required: the object's name");
  const service = isServiceRef(ref);
  problems.check(`${path}.ref.name`, ref.name, service ? serviceNameRule : objectNameRule);
  problems.check(`${path}.ref.namespace`, ref.namespace, namespaceRule);
  if (ref.port !== undefined && !service) {
    problems.add(
      `${path}.ref.port`,
      "only a v1 Service ref takes a port; addressables publish their own URL",
    );
  }
  problems.check(`${path}.ref.port`, ref.port, portRule);
  if (!anyAddressable && !service && ref.apiVersion && ref.kind) {
    problems.add(
      `${path}.ref.kind`,
      `${ref.apiVersion} ${ref.kind} cannot be resolved here: the poller delivers dead letters itself and needs a URL; give ${path}.uri (e.g. the Broker's status.address.url) or a v1 Service ref`,
    );
  }
}

function checkAuth(args: DynamoDBSourceArgs, problems: Problems): void {
  const auth = args.auth;
  if (auth === undefined) return;
  const modes = (["credentials", "irsa", "podIdentity"] as const).filter((m) => auth[m] !== undefined);
  if (modes.length > 1) {
    problems.add(
      "auth",
      `choose one of auth.credentials, auth.irsa and auth.podIdentity (got ${modes.map((m) => `auth.${m}`).join(" and ")}); auth.assumeRoleArn combines with any of them`,
    );
  }
  if (auth.credentials !== undefined) checkCredentials(auth.credentials, problems);
  const irsa = auth.irsa;
  if (irsa !== undefined) {
    const creates = irsa.oidcProviderArn !== undefined || irsa.oidcIssuerUrl !== undefined;
    if (irsa.roleArn !== undefined && creates) {
      problems.add(
        "auth.irsa.roleArn",
        "give either roleArn (use an existing role) or oidcProviderArn + oidcIssuerUrl (create one), not both",
      );
    } else if (irsa.roleArn === undefined && !creates) {
      problems.add(
        "auth.irsa",
        "give oidcProviderArn + oidcIssuerUrl (to create a role) or roleArn (to use one)",
      );
    } else if (creates) {
      if (irsa.oidcProviderArn === undefined) {
        problems.add(
          "auth.irsa.oidcProviderArn",
          "required with oidcIssuerUrl (pulumi-eks: cluster.oidcProviderArn)",
        );
      }
      if (irsa.oidcIssuerUrl === undefined) {
        problems.add(
          "auth.irsa.oidcIssuerUrl",
          "required with oidcProviderArn (pulumi-eks: cluster.oidcIssuer)",
        );
      }
    }
    problems.check("auth.irsa.roleArn", irsa.roleArn, roleArnRule);
    problems.check("auth.irsa.oidcProviderArn", irsa.oidcProviderArn, oidcProviderArnRule);
    problems.check("auth.irsa.oidcIssuerUrl", irsa.oidcIssuerUrl, issuerUrlRule);
    const arn = knownValue(irsa.oidcProviderArn);
    const issuer = knownValue(irsa.oidcIssuerUrl);
    if (arn.known && issuer.known && arn.value !== undefined && issuer.value !== undefined) {
      const reason = issuerMatchesProvider(arn.value, issuer.value);
      if (reason !== undefined) problems.add("auth.irsa.oidcIssuerUrl", reason);
    }
  }
  const podIdentity = auth.podIdentity;
  if (podIdentity !== undefined) {
    if (podIdentity.clusterName === undefined || podIdentity.clusterName === "") {
      problems.add("auth.podIdentity.clusterName", "required: the EKS cluster the association belongs to");
    }
    problems.check("auth.podIdentity.roleArn", podIdentity.roleArn, roleArnRule);
  }
  problems.check("auth.assumeRoleArn", auth.assumeRoleArn, roleArnRule);
}

function checkCredentials(credentials: StaticCredentialsArgs, problems: Problems): void {
  const path = "auth.credentials";
  const hasValues =
    credentials.accessKeyId !== undefined ||
    credentials.secretAccessKey !== undefined ||
    credentials.sessionToken !== undefined;
  const keyNames = (["accessKeyIdKey", "secretAccessKeyKey", "sessionTokenKey"] as const).filter(
    (k) => credentials[k] !== undefined,
  );
  if (hasValues && credentials.secretName !== undefined) {
    problems.add(
      `${path}.secretName`,
      "give either the key values or secretName (an existing Secret), not both",
    );
    return;
  }
  if (!hasValues && credentials.secretName === undefined) {
    problems.add(
      path,
      "give accessKeyId + secretAccessKey, or secretName (an existing Secret with the keys)",
    );
    return;
  }
  if (hasValues) {
    if (credentials.accessKeyId === undefined)
      problems.add(`${path}.accessKeyId`, "required with secretAccessKey");
    if (credentials.secretAccessKey === undefined) {
      problems.add(`${path}.secretAccessKey`, "required with accessKeyId");
    }
    for (const key of keyNames) problems.add(`${path}.${key}`, "key names only apply with secretName");
    return;
  }
  problems.check(`${path}.secretName`, credentials.secretName, objectNameRule);
  for (const key of keyNames) {
    problems.check(`${path}.${key}`, credentials[key], (v: string) =>
      SECRET_KEY.test(v) ? undefined : `"${v}" is not a Secret key; use letters, digits, '-', '_' and '.'`,
    );
  }
}

function checkServiceAccount(args: DynamoDBSourceArgs, problems: Problems): void {
  const sa = args.serviceAccount;
  if (sa === undefined) return;
  if (sa.create === false && !sa.name) {
    problems.add(
      "serviceAccount.name",
      "required with create: false: the existing service account to run as",
    );
  }
  problems.check("serviceAccount.name", sa.name, objectNameRule);
}

function checkCheckpoint(args: DynamoDBSourceArgs, problems: Problems): void {
  const checkpoint = args.checkpoint;
  if (checkpoint === undefined) return;
  if (checkpoint.create === false && !checkpoint.tableName) {
    problems.add("checkpoint.tableName", "required with create: false: the existing checkpoint table");
  }
  problems.check("checkpoint.tableName", checkpoint.tableName, dynamoDbTableNameRule);
  if (checkpoint.create === false && checkpoint.deletionProtection !== undefined) {
    problems.add(
      "checkpoint.deletionProtection",
      "only applies to a table the component creates (create: true)",
    );
  }
}

function checkModes(args: DynamoDBSourceArgs, problems: Problems): void {
  problems.check("startingPosition", args.startingPosition, enumRule(StartingPosition));
  problems.check("dataFormat", args.dataFormat, enumRule(DataFormat));
  problems.check("contentMode", args.contentMode, enumRule(ContentMode));
  problems.check("logLevel", args.logLevel, enumRule(LogLevel));
  problems.check("pollInterval", args.pollInterval, pollIntervalRule);
  problems.check("progressTimeout", args.progressTimeout, progressTimeoutRule);
  problems.check("consumerName", args.consumerName, (v: string) =>
    v.trim() === "" ? "must not be empty; leave it unset for <namespace>/<name>" : undefined,
  );
  for (const [extension, value] of Object.entries(args.ceOverrides ?? {})) {
    problems.check(`ceOverrides.${extension}`, extension, ceExtensionNameRule);
    if (value === undefined || value === null) problems.add(`ceOverrides.${extension}`, "needs a value");
  }
}

function checkDelivery(args: DynamoDBSourceArgs, problems: Problems): void {
  const delivery = args.delivery;
  if (delivery === undefined) return;
  problems.check("delivery.retry", delivery.retry, retryRule);
  problems.check("delivery.backoffPolicy", delivery.backoffPolicy, enumRule(BackoffPolicy));
  problems.check("delivery.backoffDelay", delivery.backoffDelay, durationRule);
  problems.check("delivery.timeout", delivery.timeout, deliveryTimeoutRule);
  if (delivery.deadLetterSink !== undefined) {
    checkSink("delivery.deadLetterSink", delivery.deadLetterSink, problems, false);
  }
}

function checkLanesAndBatches(args: DynamoDBSourceArgs, problems: Problems): void {
  problems.check("parallelism", args.parallelism, parallelismRule);
  const batch = args.batch;
  if (batch === undefined) return;
  problems.check("batch.size", batch.size, batchSizeRule);
  problems.check("batch.maxBytes", batch.maxBytes, batchMaxBytesRule);
  problems.check("batch.window", batch.window, batchWindowRule);
  const size = knownValue(batch.size);
  if (size.known && (size.value === undefined || size.value === 1)) {
    for (const name of ["maxBytes", "window"] as const) {
      if (batch[name] !== undefined)
        problems.add(`batch.${name}`, "only applies with batch.size > 1 (batch mode)");
    }
  }
}

function checkWorkload(args: DynamoDBSourceArgs, problems: Problems): void {
  if (args.replicas !== undefined && !(Number.isInteger(args.replicas) && args.replicas >= 1)) {
    problems.add("replicas", `${args.replicas} is not a replica count; use an integer ≥ 1`);
  }
  problems.check("image", args.image, (v: string) =>
    v.trim() === "" ? "must not be empty; leave it unset for the released poller image" : undefined,
  );
  problems.check(
    "imagePullPolicy",
    args.imagePullPolicy,
    enumRule({ Always: "Always", IfNotPresent: "IfNotPresent", Never: "Never" }),
  );
  (args.imagePullSecrets ?? []).forEach((secret, i) => {
    problems.check(`imagePullSecrets[${i}]`, secret, objectNameRule);
  });
  for (const name of Object.keys(args.env ?? {})) {
    if (!isEnvVarName(name)) {
      problems.add(
        `env.${name}`,
        `"${name}" is not an environment variable name; use letters, digits and '_'`,
      );
    } else if (RESERVED_ENV.has(name)) {
      problems.add(`env.${name}`, `${name} is set by the component; use its dedicated argument instead`);
    }
  }
  for (const key of Object.keys(args.labels ?? {})) {
    if ((SELECTOR_LABEL_KEYS as readonly string[]).includes(key)) {
      problems.add(
        `labels.${key}`,
        `${key} is a selector label the component owns; choose another label key`,
      );
    }
  }
  (args.tolerations ?? []).forEach((toleration, i) => {
    problems.check(
      `tolerations[${i}].operator`,
      toleration.operator,
      enumRule({ Exists: "Exists", Equal: "Equal" }),
    );
    problems.check(
      `tolerations[${i}].effect`,
      toleration.effect,
      enumRule({ NoSchedule: "NoSchedule", PreferNoSchedule: "PreferNoSchedule", NoExecute: "NoExecute" }),
    );
  });
}
