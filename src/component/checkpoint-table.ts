import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CHECKPOINT_TABLE_KEY } from "../shared/checkpoint-table";
import type { TableArn } from "../shared/table-arn";
import type { CheckpointArgs } from "./args";
import { siblingTableArn } from "./iam-policy";

export interface CheckpointTable {
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
  /** The created table, for `dependsOn`; absent when an existing table is reused. */
  resource?: aws.dynamodb.Table;
}

/** Arguments of the checkpoint table the component creates: the key schema the poller expects, nothing to size. */
export function buildCheckpointTableArgs(
  region: pulumi.Input<string>,
  args: CheckpointArgs | undefined,
): aws.dynamodb.TableArgs {
  return {
    name: args?.tableName,
    // The poller's AWS_REGION is the source table's region, so its checkpoint table lives there too.
    region,
    billingMode: "PAY_PER_REQUEST",
    hashKey: CHECKPOINT_TABLE_KEY.partitionKey,
    rangeKey: CHECKPOINT_TABLE_KEY.sortKey,
    attributes: [
      { name: CHECKPOINT_TABLE_KEY.partitionKey, type: "S" },
      { name: CHECKPOINT_TABLE_KEY.sortKey, type: "S" },
    ],
    // Checkpoints are small but losing them means re-reading (or skipping) up to 24 h of stream.
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: args?.deletionProtection ?? false,
    // Server-side encryption: DynamoDB always encrypts at rest (AWS owned key unless configured otherwise).
  };
}

/**
 * Creates the checkpoint table, or describes the existing one: in the source table's partition and region, and in
 * the account of the pod's own identity (the source table's account, unless the source is read through
 * `assumeRoleArn`; then the account of the AWS provider, which is where the pod's identity lives).
 */
export function checkpointTable(
  name: string,
  table: pulumi.Output<TableArn>,
  args: CheckpointArgs | undefined,
  crossAccount: boolean,
  opts: pulumi.CustomResourceOptions,
): CheckpointTable {
  if (args?.create === false && args.tableName !== undefined) {
    const tableName = args.tableName;
    const account = crossAccount
      ? aws.getCallerIdentityOutput({}, { parent: opts.parent }).accountId
      : table.apply((t) => t.account);
    return {
      name: pulumi.output(tableName),
      arn: pulumi.all([table, account]).apply(([t, a]) => siblingTableArn({ ...t, account: a }, tableName)),
    };
  }
  const resource = new aws.dynamodb.Table(
    `${name}-checkpoints`,
    buildCheckpointTableArgs(
      table.apply((t) => t.region),
      args,
    ),
    opts,
  );
  return { name: resource.name, arn: resource.arn, resource };
}
