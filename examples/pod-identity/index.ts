/**
 * DynamoDB → CloudEvents on EKS with EKS Pod Identity: the component creates a role trusted by
 * pods.eks.amazonaws.com and associates it with the poller's service account; no annotation, no OIDC provider.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
// In your project: `npm i pulumi-dynamodb-source` and import from "pulumi-dynamodb-source".
import { BackoffPolicy, DynamoDBSource } from "../../src";

const config = new pulumi.Config();

const orders = new aws.dynamodb.Table("orders", {
  attributes: [{ name: "orderId", type: "S" }],
  hashKey: "orderId",
  billingMode: "PAY_PER_REQUEST",
  streamEnabled: true,
  streamViewType: "NEW_AND_OLD_IMAGES",
});

const source = new DynamoDBSource("orders", {
  tableArn: orders.arn,
  namespace: config.get("namespace") ?? "events",
  sink: { uri: config.require("sinkUri") },
  auth: { podIdentity: { clusterName: config.require("clusterName") } },
  checkpoint: { deletionProtection: true },
  delivery: {
    retry: 10,
    backoffPolicy: BackoffPolicy.Exponential,
    backoffDelay: "PT0.2S",
    deadLetterSink: { ref: { apiVersion: "v1", kind: "Service", name: "dead-letters" } },
  },
  replicas: 1,
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
});

export const roleArn = source.roleArn;
export const checkpointTableName = source.checkpointTableName;
export const ceAttributes = source.ceAttributes;
