/**
 * DynamoDB → CloudEvents on any Kubernetes cluster (kind, k3s, GKE …) with static AWS keys: the keys come from
 * encrypted stack config and reach the pod only through a Secret the component creates.
 */
import * as pulumi from "@pulumi/pulumi";
// In your project: `npm i pulumi-dynamodb-source` and import from "pulumi-dynamodb-source".
import { DataFormat, DynamoDBSource } from "../../src";

const config = new pulumi.Config();

const source = new DynamoDBSource("orders", {
  // An existing table with a stream.
  tableArn: config.require("tableArn"),
  namespace: config.get("namespace") ?? "default",
  sink: { uri: config.require("sinkUri") },
  auth: {
    credentials: {
      // `pulumi config set --secret`: the values stay encrypted in config and in state.
      accessKeyId: config.requireSecret("accessKeyId"),
      secretAccessKey: config.requireSecret("secretAccessKey"),
    },
  },
  // Plain JSON images instead of DynamoDB's typed attribute values.
  dataFormat: DataFormat.Plain,
});

// Attach this policy to the IAM user that owns the keys (the component cannot know who that is).
export const policyArn = source.policyArn;
export const checkpointTableName = source.checkpointTableName;
export const deploymentName = source.deploymentName;
