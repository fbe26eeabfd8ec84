/** `app.kubernetes.io/*` labels. The selector uses only name + instance: a Deployment's selector is immutable. */

export const APP_NAME = "dynamodb-source";
export const SELECTOR_LABEL_KEYS = ["app.kubernetes.io/name", "app.kubernetes.io/instance"] as const;

/** A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
export function toLabelValue(value: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return cleaned === "" ? APP_NAME : cleaned;
}

export function selectorLabels(instance: string): Record<string, string> {
  return { "app.kubernetes.io/name": APP_NAME, "app.kubernetes.io/instance": toLabelValue(instance) };
}

export function standardLabels(instance: string, version: string): Record<string, string> {
  return {
    ...selectorLabels(instance),
    "app.kubernetes.io/component": "poller",
    "app.kubernetes.io/part-of": "pulumi-dynamodb-source",
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/version": toLabelValue(version),
  };
}
