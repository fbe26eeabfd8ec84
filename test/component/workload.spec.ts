import { expect } from "chai";
import {
  BackoffPolicy,
  ContentMode,
  DataFormat,
  DEFAULT_POLLER_IMAGE,
  DynamoDBSource,
  type DynamoDBSourceArgs,
  LogLevel,
  StartingPosition,
} from "../../src/component";
import { PACKAGE_VERSION } from "../../src/component/constants";
import { ENV } from "../../src/shared/env-contract";
import {
  byType,
  containerEnv,
  deploymentOf,
  installMocks,
  one,
  recorded,
  reset,
  settle,
  TABLE_ARN,
  unwrap,
} from "./harness";
import { validateKubernetesObjects } from "./k8s-schemas";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const base: DynamoDBSourceArgs = {
  tableArn: TABLE_ARN,
  sink: { uri: "http://sink.events.svc.cluster.local" },
};

async function deploy(args: Partial<DynamoDBSourceArgs> = {}, name = "orders"): Promise<DynamoDBSource> {
  const source = new DynamoDBSource(name, { ...base, ...args });
  await settle();
  return source;
}

type Container = {
  ports: Array<{ name: string; containerPort: number }>;
  startupProbe: { httpGet: { path: string; port: string }; failureThreshold: number; periodSeconds: number };
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
  resources: Record<string, unknown>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
  image: string;
  imagePullPolicy?: string;
};

function container(): Container {
  return deploymentOf(one(DEPLOYMENT)).spec.template.spec.containers[0] as unknown as Container;
}

describe("component workload: poller environment contract", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("writes the defaults the poller expects, derived from the table ARN", async () => {
    await deploy({ namespace: "events" });
    const env = containerEnv(one(DEPLOYMENT));
    expect(Object.fromEntries(env)).to.deep.equal({
      [ENV.tableArn]: TABLE_ARN,
      [ENV.region]: "eu-west-1",
      [ENV.sink]: "http://sink.events.svc.cluster.local",
      [ENV.startingPosition]: "LATEST",
      [ENV.checkpointTable]: "orders-checkpoints-1a2b3c",
      [ENV.checkpointTableCreate]: "false",
      [ENV.consumerName]: "events/orders",
      [ENV.dataFormat]: "aws",
      [ENV.contentMode]: "binary",
      [ENV.healthPort]: "8080",
      [ENV.metricsPort]: "9092",
      [ENV.logLevel]: "info",
      [ENV.namespace]: "events",
      [ENV.name]: "orders",
    });
  });

  it("passes every option through, durations as given", async () => {
    await deploy({
      startingPosition: StartingPosition.TrimHorizon,
      dataFormat: DataFormat.TriggerMesh,
      contentMode: ContentMode.Structured,
      logLevel: LogLevel.Debug,
      consumerName: "orders-to-broker",
      pollInterval: "PT0.5S",
      progressTimeout: "PT5M",
      ceOverrides: { team: "orders" },
      delivery: {
        retry: 5,
        backoffPolicy: BackoffPolicy.Linear,
        backoffDelay: "PT0.2S",
        timeout: "2000",
        deadLetterSink: { uri: "http://dlq.events.svc.cluster.local" },
      },
      env: { NODE_OPTIONS: "--max-old-space-size=256" },
    });
    const env = containerEnv(one(DEPLOYMENT));
    expect(env.get(ENV.startingPosition)).to.equal("TRIM_HORIZON");
    expect(env.get(ENV.dataFormat)).to.equal("triggermesh");
    expect(env.get(ENV.contentMode)).to.equal("structured");
    expect(env.get(ENV.logLevel)).to.equal("debug");
    expect(env.get(ENV.consumerName)).to.equal("orders-to-broker");
    expect(env.get(ENV.pollInterval)).to.equal("PT0.5S");
    expect(env.get(ENV.progressTimeout)).to.equal("PT5M");
    expect(JSON.parse(env.get(ENV.ceOverrides) ?? "")).to.deep.equal({ extensions: { team: "orders" } });
    expect(env.get(ENV.deliveryRetry)).to.equal("5");
    expect(env.get(ENV.deliveryBackoffPolicy)).to.equal("linear");
    expect(env.get(ENV.deliveryBackoffDelay)).to.equal("PT0.2S");
    expect(env.get(ENV.deliveryTimeout)).to.equal("2000");
    expect(env.get(ENV.deadLetterSink)).to.equal("http://dlq.events.svc.cluster.local");
    expect(env.get("NODE_OPTIONS")).to.equal("--max-old-space-size=256");
  });

  it("passes lanes and batch mode as PARALLELISM and BATCH_*, and leaves them unset by default", async () => {
    await deploy({ parallelism: 4, batch: { size: 100, maxBytes: 262_144, window: "PT0.5S" } });
    const env = containerEnv(one(DEPLOYMENT));
    expect(env.get(ENV.parallelism)).to.equal("4");
    expect(env.get(ENV.batchSize)).to.equal("100");
    expect(env.get(ENV.batchMaxBytes)).to.equal("262144");
    expect(env.get(ENV.batchWindow)).to.equal("PT0.5S");
    reset();
    await deploy({});
    const defaults = containerEnv(one(DEPLOYMENT));
    for (const name of [ENV.parallelism, ENV.batchSize, ENV.batchMaxBytes, ENV.batchWindow]) {
      expect(defaults.has(name), name).to.equal(false);
    }
  });

  it("resolves a v1 Service dead-letter ref to its cluster URL", async () => {
    await deploy({
      namespace: "events",
      delivery: { deadLetterSink: { ref: { apiVersion: "v1", kind: "Service", name: "dlq", port: 8080 } } },
    });
    expect(containerEnv(one(DEPLOYMENT)).get(ENV.deadLetterSink)).to.equal(
      "http://dlq.events.svc.cluster.local:8080",
    );
  });
});

describe("component workload: pod hardening, probes, ports", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("meets the restricted Pod Security Standard", async () => {
    await deploy();
    const pod = deploymentOf(one(DEPLOYMENT)).spec.template.spec;
    expect(pod.securityContext).to.deep.include({ runAsNonRoot: true, runAsUser: 65532 });
    expect(pod.securityContext).to.have.nested.property("seccompProfile.type", "RuntimeDefault");
    expect(container().securityContext).to.deep.equal({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    // A read-only root still needs a writable /tmp.
    expect(container().volumeMounts).to.deep.equal([{ name: "tmp", mountPath: "/tmp" }]);
    expect(pod.volumes).to.deep.equal([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
    expect(pod.automountServiceAccountToken).to.equal(false);
    expect(pod.terminationGracePeriodSeconds).to.equal(60);
  });

  it("exposes health 8080 and metrics 9092, with startup/readiness/liveness probes and scrape annotations", async () => {
    await deploy();
    const c = container();
    expect(c.ports.map((p) => [p.name, p.containerPort])).to.deep.equal([
      ["health", 8080],
      ["metrics", 9092],
    ]);
    expect(c.startupProbe.httpGet).to.deep.equal({ path: "/healthz", port: "health" });
    expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).to.be.at.least(120);
    expect(c.readinessProbe.httpGet).to.deep.equal({ path: "/readyz", port: "health" });
    expect(c.livenessProbe.httpGet).to.deep.equal({ path: "/healthz", port: "health" });
    const annotations = deploymentOf(one(DEPLOYMENT)).spec.template.metadata.annotations;
    expect(annotations).to.deep.include({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": "9092",
      "prometheus.io/path": "/metrics",
    });
  });

  it("runs the released image by default", async () => {
    await deploy();
    expect(container().image).to.equal(DEFAULT_POLLER_IMAGE);
    expect(DEFAULT_POLLER_IMAGE).to.equal(
      `ghcr.io/pulumi-dynamodb-source/dynamodb-source-poller:${PACKAGE_VERSION}`,
    );
    expect(PACKAGE_VERSION).to.equal((require("../../package.json") as { version: string }).version);
  });
});

describe("component workload: labels, names, replicas", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("labels everything with app.kubernetes.io/* and selects on name + instance only", async () => {
    await deploy({ labels: { team: "orders" } });
    const deployment = deploymentOf(one(DEPLOYMENT));
    const expected = {
      "app.kubernetes.io/name": "dynamodb-source",
      "app.kubernetes.io/instance": "orders",
      "app.kubernetes.io/component": "poller",
      "app.kubernetes.io/part-of": "pulumi-dynamodb-source",
      "app.kubernetes.io/managed-by": "pulumi",
      "app.kubernetes.io/version": PACKAGE_VERSION,
      team: "orders",
    };
    expect(deployment.metadata.labels).to.deep.equal(expected);
    expect(deployment.spec.template.metadata.labels).to.deep.equal(expected);
    expect(deployment.spec.selector.matchLabels).to.deep.equal({
      "app.kubernetes.io/name": "dynamodb-source",
      "app.kubernetes.io/instance": "orders",
    });
    expect(deployment.metadata.name).to.equal("orders-dynamodb-source");
    expect(deployment.metadata.namespace).to.equal("default");
  });

  it("one replica: Recreate (never two pollers on a shard), no PodDisruptionBudget", async () => {
    await deploy();
    const deployment = deploymentOf(one(DEPLOYMENT));
    expect(deployment.spec.replicas).to.equal(1);
    expect(deployment.spec.strategy).to.deep.equal({ type: "Recreate" });
    expect(byType(PDB)).to.have.length(0);
  });

  it("several replicas: rolling one at a time without surge, and a PodDisruptionBudget", async () => {
    await deploy({ replicas: 3 });
    const deployment = deploymentOf(one(DEPLOYMENT));
    expect(deployment.spec.replicas).to.equal(3);
    expect(deployment.spec.strategy).to.deep.equal({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    const pdb = unwrap(one(PDB).inputs) as {
      spec: { maxUnavailable: number; selector: { matchLabels: Record<string, string> } };
    };
    expect(pdb.spec.maxUnavailable).to.equal(1);
    expect(pdb.spec.selector.matchLabels).to.deep.equal(deployment.spec.selector.matchLabels);
    await validateKubernetesObjects(recorded);
  });

  it("applies the workload overrides", async () => {
    await deploy({
      image: "registry.example.com/poller:dev",
      imagePullPolicy: "Always",
      imagePullSecrets: ["registry-example-com"],
      resources: { requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
      nodeSelector: { "kubernetes.io/arch": "arm64" },
      tolerations: [{ key: "dedicated", operator: "Equal", value: "events", effect: "NoSchedule" }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }],
          },
        },
      },
      annotations: { "example.com/owner": "orders" },
    });
    const deployment = deploymentOf(one(DEPLOYMENT));
    const pod = deployment.spec.template.spec;
    expect(container().image).to.equal("registry.example.com/poller:dev");
    expect(container().imagePullPolicy).to.equal("Always");
    expect(pod.imagePullSecrets).to.deep.equal([{ name: "registry-example-com" }]);
    expect(container().resources).to.deep.equal({
      requests: { cpu: "200m", memory: "256Mi" },
      limits: { cpu: "1", memory: "1Gi" },
    });
    expect(pod.nodeSelector).to.deep.equal({ "kubernetes.io/arch": "arm64" });
    expect(pod.tolerations).to.deep.equal([
      { key: "dedicated", operator: "Equal", value: "events", effect: "NoSchedule" },
    ]);
    expect(pod.affinity).to.have.nested.property(
      "nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
    );
    expect(deployment.spec.template.metadata.annotations["example.com/owner"]).to.equal("orders");
    await validateKubernetesObjects(recorded);
  });

  it("sanitizes component names into valid Kubernetes names", async () => {
    await deploy({}, "Orders_Stream.v2");
    const deployment = deploymentOf(one(DEPLOYMENT));
    expect(deployment.metadata.name).to.equal("orders-stream-v2-dynamodb-source");
    expect(deployment.spec.template.spec.serviceAccountName).to.equal("orders-stream-v2-dynamodb-source");
    expect(deployment.metadata.labels["app.kubernetes.io/instance"]).to.equal("Orders_Stream.v2");
    await validateKubernetesObjects(recorded);
  });
});

describe("component workload: every emitted Kubernetes object validates against the official schemas", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("the default source", async () => {
    await deploy();
    expect(await validateKubernetesObjects(recorded)).to.have.members([
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:apps/v1:Deployment",
    ]);
  });

  it("a schema violation is caught (the validation is not a no-op)", async () => {
    await deploy({ tolerations: [{ key: "k", tolerationSeconds: 1.5 }] });
    let error: unknown;
    try {
      await validateKubernetesObjects(recorded);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.include("tolerationSeconds");
  });
});
