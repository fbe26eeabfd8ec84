import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceRequirementsArgs, TolerationArgs } from "./args";
import { HEALTH_PORT, METRICS_PORT, POLLER_UID, TERMINATION_GRACE_PERIOD_SECONDS } from "./constants";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Modest defaults for one Node.js process; memory has no burst headroom to hide leaks behind. */
export const DEFAULT_RESOURCES: ResourceRequirementsArgs = {
  requests: { cpu: "50m", memory: "128Mi" },
  limits: { memory: "512Mi" },
};

export interface WorkloadInput {
  namespace: pulumi.Input<string>;
  /** Labels on the Deployment and its pods (standard labels + the user's). */
  labels: Record<string, pulumi.Input<string>>;
  selectorLabels: Record<string, string>;
  /** The user's pod annotations. */
  podAnnotations?: Record<string, pulumi.Input<string>>;
  /** Changes whenever the pod's identity changes, so pods restart and pick up new credentials. */
  identityChecksum: pulumi.Input<string>;
  replicas: number;
  image: pulumi.Input<string>;
  imagePullPolicy?: pulumi.Input<string>;
  imagePullSecrets?: pulumi.Input<string>[];
  serviceAccountName: pulumi.Input<string>;
  env: EnvVar[];
  resources?: ResourceRequirementsArgs;
  nodeSelector?: Record<string, pulumi.Input<string>>;
  tolerations?: TolerationArgs[];
  affinity?: pulumi.Input<k8s.types.input.core.v1.Affinity>;
}

export function buildDeploymentArgs(input: WorkloadInput): k8s.apps.v1.DeploymentArgs {
  return {
    metadata: { namespace: input.namespace, labels: input.labels },
    spec: {
      replicas: input.replicas,
      selector: { matchLabels: input.selectorLabels },
      strategy: rolloutStrategy(input.replicas),
      template: {
        metadata: {
          labels: input.labels,
          annotations: {
            ...input.podAnnotations,
            "prometheus.io/scrape": "true",
            "prometheus.io/port": String(METRICS_PORT),
            "prometheus.io/path": "/metrics",
            "checksum/identity": input.identityChecksum,
          },
        },
        spec: buildPodSpec(input),
      },
    },
  };
}

/**
 * One replica: `Recreate`: the old pod releases its leases on SIGTERM and the new one takes them at once, with
 * nothing gained from overlapping them. Several replicas: roll one pod at a time without surge, so the others keep
 * reading while the leases of the replaced pod move (a surge pod would only take leases from live replicas).
 */
export function rolloutStrategy(replicas: number): k8s.types.input.apps.v1.DeploymentStrategy {
  return replicas === 1
    ? { type: "Recreate" }
    : { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
}

function buildPodSpec(input: WorkloadInput): k8s.types.input.core.v1.PodSpec {
  return {
    serviceAccountName: input.serviceAccountName,
    // The poller never calls the Kubernetes API; IRSA and Pod Identity mount their own projected tokens.
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: POLLER_UID,
      runAsGroup: POLLER_UID,
      fsGroup: POLLER_UID,
      seccompProfile: { type: "RuntimeDefault" },
    },
    containers: [
      {
        name: "poller",
        image: input.image,
        imagePullPolicy: input.imagePullPolicy,
        env: input.env,
        ports: [
          { name: "health", containerPort: HEALTH_PORT, protocol: "TCP" },
          { name: "metrics", containerPort: METRICS_PORT, protocol: "TCP" },
        ],
        // Startup can take a while (DescribeTable, shard discovery, checkpoint reads): up to 3 minutes.
        startupProbe: {
          httpGet: { path: "/healthz", port: "health" },
          periodSeconds: 5,
          failureThreshold: 36,
        },
        readinessProbe: {
          httpGet: { path: "/readyz", port: "health" },
          periodSeconds: 10,
          failureThreshold: 3,
        },
        livenessProbe: {
          httpGet: { path: "/healthz", port: "health" },
          periodSeconds: 20,
          timeoutSeconds: 5,
          failureThreshold: 3,
        },
        resources: input.resources ?? DEFAULT_RESOURCES,
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      },
    ],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
    imagePullSecrets: input.imagePullSecrets?.map((name) => ({ name })),
    nodeSelector: input.nodeSelector,
    tolerations: input.tolerations,
    affinity: input.affinity,
  };
}

/** Only with several replicas: at most one poller down at a time during voluntary disruptions. */
export function buildPodDisruptionBudgetArgs(
  namespace: pulumi.Input<string>,
  labels: Record<string, pulumi.Input<string>>,
  selectorLabels: Record<string, string>,
): k8s.policy.v1.PodDisruptionBudgetArgs {
  return {
    metadata: { namespace, labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels } },
  };
}
