/** Kubernetes naming rules (RFC 1123) and the component's derived names. */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Namespaces, Service names, label-like names: at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** Most object names (ServiceAccount, Secret): at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** Lower-cases, replaces anything outside [a-z0-9-] with `-`, and trims to a valid DNS-1123 label. */
export function toDns1123Label(value: string): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
  return cleaned === "" ? "dynamodb-source" : cleaned;
}

/** Default service account name: deterministic because the IRSA trust policy and Pod Identity name it. */
export function defaultServiceAccountName(componentName: string): string {
  return toDns1123Label(`${componentName}-dynamodb-source`);
}

/** Environment variable names (C identifiers, as kubectl and most shells accept). */
export function isEnvVarName(value: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(value);
}

/** DynamoDB table names: 3-255 characters of [A-Za-z0-9_.-]. */
export function isDynamoDbTableName(value: string): boolean {
  return /^[A-Za-z0-9_.-]{3,255}$/.test(value);
}

/** CloudEvents extension attribute names: lower-case letters and digits (the spec recommends ≤ 20 characters). */
export function isCloudEventExtensionName(value: string): boolean {
  return /^[a-z0-9]{1,20}$/.test(value);
}
