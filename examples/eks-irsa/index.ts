/**
 * DynamoDB → CloudEvents on EKS with IAM Roles for Service Accounts: the component creates a role that only this
 * source's service account can assume, and the events go to an in-cluster Service (Knative's event_display).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your project: `npm i pulumi-dynamodb-source` and import from "pulumi-dynamodb-source".
import { DynamoDBSource, StartingPosition } from "../../src";

const config = new pulumi.Config();

// The table whose changes become events: its stream must be enabled.
const orders = new aws.dynamodb.Table("orders", {
  attributes: [{ name: "orderId", type: "S" }],
  hashKey: "orderId",
  billingMode: "PAY_PER_REQUEST",
  streamEnabled: true,
  streamViewType: "NEW_AND_OLD_IMAGES",
});

const namespace = new k8s.core.v1.Namespace("events", {
  metadata: { name: config.get("namespace") ?? "events" },
});

// A sink that logs every event it receives.
const labels = { "app.kubernetes.io/name": "event-display" };
const display = new k8s.apps.v1.Deployment("event-display", {
  metadata: { namespace: namespace.metadata.name, labels },
  spec: {
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "event-display",
            image: "gcr.io/knative-releases/knative.dev/eventing/cmd/event_display",
            ports: [{ name: "http", containerPort: 8080 }],
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ["ALL"] },
            },
          },
        ],
      },
    },
  },
});
const displayService = new k8s.core.v1.Service("event-display", {
  metadata: { name: "event-display", namespace: namespace.metadata.name, labels },
  spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
});

const source = new DynamoDBSource(
  "orders",
  {
    tableArn: orders.arn,
    namespace: namespace.metadata.name,
    // A v1 Service resolves to http://event-display.<namespace>.svc.cluster.local.
    sink: { ref: { apiVersion: "v1", kind: "Service", name: displayService.metadata.name } },
    auth: {
      irsa: {
        // pulumi-eks: cluster.oidcProviderArn and cluster.oidcIssuer (or read them with a StackReference).
        oidcProviderArn: config.require("oidcProviderArn"),
        oidcIssuerUrl: config.require("oidcIssuerUrl"),
      },
    },
    // The first start reads what the stream already holds (up to 24 h) instead of only new changes.
    startingPosition: StartingPosition.TrimHorizon,
  },
  { dependsOn: [display] },
);

export const tableName = orders.name;
export const roleArn = source.roleArn;
export const sinkUri = source.sinkUri;
export const deploymentName = source.deploymentName;
