import * as pulumi from "@pulumi/pulumi";
import type { SinkArgs, SinkRefArgs } from "./args";

/** The one kind of ref the component resolves itself: a plain Kubernetes Service has a predictable DNS name. */
export function isServiceRef(ref: Pick<SinkRefArgs, "apiVersion" | "kind">): boolean {
  return ref.apiVersion === "v1" && ref.kind === "Service";
}

export function serviceUrl(name: string, namespace: string, port?: number): string {
  return `http://${name}.${namespace}.svc.cluster.local${port === undefined ? "" : `:${port}`}`;
}

/**
 * How the poller learns its sink: a URL the component writes into K_SINK, or a Knative SinkBinding that
 * resolves any addressable (Broker, Channel, Knative Service, RedisBroker …) and injects K_SINK into the pod.
 */
export type SinkResolution =
  | { kind: "uri"; uri: pulumi.Output<string> }
  | { kind: "binding"; ref: SinkRefArgs };

export function resolveSink(sink: SinkArgs, defaultNamespace: pulumi.Input<string>): SinkResolution {
  const ref = sink.ref;
  if (ref === undefined) return { kind: "uri", uri: pulumi.output(sink.uri ?? "") };
  if (!isServiceRef(ref)) return { kind: "binding", ref };
  return {
    kind: "uri",
    uri: pulumi
      .all([ref.name, ref.namespace ?? defaultNamespace, ref.port])
      .apply(([name, namespace, port]) => serviceUrl(name, namespace, port)),
  };
}

export interface SinkBindingInput {
  namespace: pulumi.Input<string>;
  deploymentName: pulumi.Input<string>;
  ref: SinkRefArgs;
  labels: Record<string, pulumi.Input<string>>;
  /** Knative `ceOverrides`: the binding owns K_CE_OVERRIDES too (its webhook removes any value it did not set). */
  ceOverrides?: { extensions: Record<string, pulumi.Input<string>> };
}

/** A `sources.knative.dev/v1 SinkBinding` whose subject is the poller Deployment. */
export function buildSinkBinding(input: SinkBindingInput) {
  return {
    apiVersion: "sources.knative.dev/v1",
    kind: "SinkBinding",
    metadata: { namespace: input.namespace, labels: input.labels },
    spec: {
      subject: { apiVersion: "apps/v1", kind: "Deployment", name: input.deploymentName },
      sink: {
        ref: {
          apiVersion: input.ref.apiVersion,
          kind: input.ref.kind,
          name: input.ref.name,
          namespace: input.ref.namespace ?? input.namespace,
        },
      },
      ...(input.ceOverrides ? { ceOverrides: input.ceOverrides } : {}),
    },
  };
}
