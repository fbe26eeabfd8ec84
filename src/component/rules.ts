/**
 * Pure checks of single values: each returns a sentence saying what is wrong and how to fix it, or undefined.
 * Used at construction for known values and inside `apply` for values known only later (same messages).
 */
import { isDurationError, parseDuration } from "../shared/duration";
import {
  BATCH_MAX_BYTES_RANGE,
  BATCH_SIZE_RANGE,
  BATCH_WINDOW_RANGE,
  DELIVERY_RETRY_RANGE,
  DELIVERY_TIMEOUT_RANGE,
  durationRangeProblem,
  PARALLELISM_RANGE,
  POLL_INTERVAL_RANGE,
  PROGRESS_TIMEOUT_RANGE,
  type Range,
  wholeNumberProblem,
} from "../shared/limits";
import { isParseError, parseTableArn } from "../shared/table-arn";
import { isCloudEventExtensionName, isDns1123Label, isDns1123Subdomain, isDynamoDbTableName } from "./names";
import { issuerHost } from "./trust-policies";

export type Rule<T> = (value: T) => string | undefined;

export const tableArnRule: Rule<string> = (value) => {
  const parsed = parseTableArn(String(value));
  return isParseError(parsed) ? parsed.error : undefined;
};

export const namespaceRule: Rule<string> = (value) =>
  isDns1123Label(value)
    ? undefined
    : `"${value}" is not a valid namespace; use lower-case letters, digits and '-' (at most 63), e.g. "events"`;

export const objectNameRule: Rule<string> = (value) =>
  isDns1123Subdomain(value)
    ? undefined
    : `"${value}" is not a valid Kubernetes name; use lower-case letters, digits, '-' and '.' (e.g. "orders-poller")`;

export const serviceNameRule: Rule<string> = (value) =>
  isDns1123Label(value)
    ? undefined
    : `"${value}" is not a valid Service name; use lower-case letters, digits and '-' (at most 63)`;

export const httpUrlRule: Rule<string> = (value) => {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return undefined;
  } catch {
    // fall through to the reason below
  }
  return `"${value}" is not an absolute http(s) URL; e.g. http://broker-ingress.knative-eventing.svc.cluster.local/default/default`;
};

export const durationRule: Rule<string> = (value) => {
  const parsed = parseDuration(String(value));
  return isDurationError(parsed) ? parsed.error : undefined;
};

/** The poller's own range check (shared/limits), so both sides refuse the same values. */
function durationInRangeRule(range: Range): Rule<string> {
  return (value) => {
    const parsed = parseDuration(String(value));
    if (isDurationError(parsed)) return parsed.error;
    return durationRangeProblem(parsed, `"${value}"`, range);
  };
}

function wholeNumberRule(range: Range): Rule<number> {
  return (value) => wholeNumberProblem(value, String(value), range);
}

export const retryRule = wholeNumberRule(DELIVERY_RETRY_RANGE);
export const deliveryTimeoutRule = durationInRangeRule(DELIVERY_TIMEOUT_RANGE);
export const pollIntervalRule = durationInRangeRule(POLL_INTERVAL_RANGE);
export const progressTimeoutRule = durationInRangeRule(PROGRESS_TIMEOUT_RANGE);
export const parallelismRule = wholeNumberRule(PARALLELISM_RANGE);
export const batchSizeRule = wholeNumberRule(BATCH_SIZE_RANGE);
export const batchMaxBytesRule = wholeNumberRule(BATCH_MAX_BYTES_RANGE);
export const batchWindowRule = durationInRangeRule(BATCH_WINDOW_RANGE);

export const portRule: Rule<number> = (value) =>
  Number.isInteger(value) && value >= 1 && value <= 65535
    ? undefined
    : `${value} is not a port; use an integer from 1 to 65535`;

export function enumRule<E extends string>(values: Record<string, E>): Rule<string> {
  const allowed = Object.values(values);
  return (value) =>
    (allowed as string[]).includes(value)
      ? undefined
      : `"${value}" is not one of ${allowed.map((v) => `"${v}"`).join(", ")}`;
}

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
export const roleArnRule: Rule<string> = (value) =>
  IAM_ROLE_ARN.test(value)
    ? undefined
    : `"${value}" is not an IAM role ARN; expected arn:<partition>:iam::<12-digit account>:role/<name>`;

const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(.+)$/;
export const oidcProviderArnRule: Rule<string> = (value) =>
  OIDC_PROVIDER_ARN.test(value)
    ? undefined
    : `"${value}" is not an OIDC provider ARN; expected arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID> (pulumi-eks: cluster.oidcProviderArn)`;

export const issuerUrlRule: Rule<string> = (value) => {
  const host = issuerHost(value);
  return /^[a-z0-9.-]+(\/[\w.-]+)*$/i.test(host) && !host.includes("://")
    ? undefined
    : `"${value}" is not an OIDC issuer; expected https://oidc.eks.<region>.amazonaws.com/id/<ID> (pulumi-eks: cluster.oidcIssuer)`;
};

/** The provider ARN names its issuer; a mismatch would make every AssumeRoleWithWebIdentity fail at runtime. */
export function issuerMatchesProvider(oidcProviderArn: string, issuerUrl: string): string | undefined {
  const m = OIDC_PROVIDER_ARN.exec(oidcProviderArn);
  if (!m) return undefined;
  return m[1] === issuerHost(issuerUrl)
    ? undefined
    : `issuer "${issuerHost(issuerUrl)}" is not the one of oidcProviderArn ("${m[1]}"); pass the same cluster's issuer`;
}

export const dynamoDbTableNameRule: Rule<string> = (value) =>
  isDynamoDbTableName(value)
    ? undefined
    : `"${value}" is not a DynamoDB table name; use 3-255 characters of letters, digits, '_', '-' and '.'`;

export const ceExtensionNameRule: Rule<string> = (value) =>
  isCloudEventExtensionName(value)
    ? undefined
    : `"${value}" is not a CloudEvents extension name; use 1-20 lower-case letters or digits (e.g. "team")`;
