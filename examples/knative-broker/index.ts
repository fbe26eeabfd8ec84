/**
 * DynamoDB → a Knative Broker, and a Trigger that routes only new items (INSERT) to a subscriber. The Broker is not
 * a plain Service, so the component binds its Deployment to it with a Knative SinkBinding: Knative resolves the
 * Broker's address and injects K_SINK into the poller's pods.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your project: `npm i pulumi-dynamodb-source` and import from "pulumi-dynamodb-source".
import { CLOUDEVENT_TYPE, DynamoDBSource } from "../../src";

const config = new pulumi.Config();
const namespace = config.get("namespace") ?? "default";

const broker = new k8s.apiextensions.CustomResource("default", {
  apiVersion: "eventing.knative.dev/v1",
  kind: "Broker",
  metadata: { name: "default", namespace },
});

const source = new DynamoDBSource(
  "orders",
  {
    tableArn: config.require("tableArn"),
    namespace,
    sink: { ref: { apiVersion: "eventing.knative.dev/v1", kind: "Broker", name: "default" } },
    // Every event carries this extension too, so Triggers can tell sources apart.
    ceOverrides: { table: "orders" },
    auth: { podIdentity: { clusterName: config.require("clusterName") } },
  },
  { dependsOn: [broker] },
);

// New orders only: the poller sets the `dynamodboperation` extension to INSERT, MODIFY or REMOVE.
const newOrders = new k8s.apiextensions.CustomResource("new-orders", {
  apiVersion: "eventing.knative.dev/v1",
  kind: "Trigger",
  metadata: { namespace },
  spec: {
    broker: "default",
    filter: { attributes: { type: CLOUDEVENT_TYPE, dynamodboperation: "INSERT", table: "orders" } },
    subscriber: {
      ref: {
        apiVersion: "serving.knative.dev/v1",
        kind: "Service",
        name: config.get("subscriber") ?? "order-created",
      },
    },
  },
});

export const deploymentName = source.deploymentName;
export const triggerName = newOrders.metadata.name;
// Absent: Knative resolves the Broker in the cluster (see the SinkBinding).
export const sinkUri = source.sinkUri;
