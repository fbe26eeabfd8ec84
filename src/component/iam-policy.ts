import type { TableArn } from "../shared/table-arn";

/** The subset of the IAM policy grammar the component writes. */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** Exactly the calls the poller makes on the source table and its stream. */
export const SOURCE_TABLE_ACTIONS = ["dynamodb:DescribeTable"] as const;
export const STREAM_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
] as const;
/** Exactly the calls the poller makes on its checkpoint table (no ConditionCheckItem, no Scan, no batch calls). */
export const CHECKPOINT_TABLE_ACTIONS = [
  "dynamodb:DeleteItem",
  "dynamodb:DescribeTable",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:UpdateItem",
] as const;

/** ARN of a table in the same partition, region and account as `table`. */
export function siblingTableArn(table: TableArn, tableName: string): string {
  return `arn:${table.partition}:dynamodb:${table.region}:${table.account}:table/${tableName}`;
}

/**
 * Statements for whoever reads the source table: the pod's own identity, or with `assumeRoleArn` the assumed role
 * (attach `buildSourceTablePolicy(...)` to that role in the table's account).
 */
export function buildSourceTableStatements(tableArn: string): PolicyStatement[] {
  return [
    { Sid: "DescribeSourceTable", Effect: "Allow", Action: [...SOURCE_TABLE_ACTIONS], Resource: [tableArn] },
    // Any stream of the table: the ARN changes whenever the stream is disabled and re-enabled.
    {
      Sid: "ReadSourceTableStream",
      Effect: "Allow",
      Action: [...STREAM_ACTIONS],
      Resource: [`${tableArn}/stream/*`],
    },
  ];
}

/** Policy for the role the poller assumes in the table's account (cross-account setups). */
export function buildSourceTablePolicy(tableArn: string): PolicyDocument {
  return { Version: "2012-10-17", Statement: buildSourceTableStatements(tableArn) };
}

export interface PollerPolicyInput {
  tableArn: string;
  checkpointTableArn: string;
  /** When set, the source table is read through this role, so the pod's identity only needs to assume it. */
  assumeRoleArn?: string;
}

/** The least-privilege policy of the poller's own identity. Nothing on `*`. */
export function buildPollerPolicy(input: PollerPolicyInput): PolicyDocument {
  const sourceAccess: PolicyStatement[] = input.assumeRoleArn
    ? [
        {
          Sid: "AssumeSourceTableRole",
          Effect: "Allow",
          Action: ["sts:AssumeRole"],
          Resource: [input.assumeRoleArn],
        },
      ]
    : buildSourceTableStatements(input.tableArn);
  return {
    Version: "2012-10-17",
    Statement: [
      ...sourceAccess,
      {
        Sid: "UseCheckpointTable",
        Effect: "Allow",
        Action: [...CHECKPOINT_TABLE_ACTIONS],
        Resource: [input.checkpointTableArn],
      },
    ],
  };
}

/** Stable JSON (statement and key order fixed by the builders) so an unchanged policy never shows a diff. */
export function policyJson(document: PolicyDocument): string {
  return JSON.stringify(document);
}
