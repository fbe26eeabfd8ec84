/**
 * Parsing of DynamoDB table ARNs. Shared because the component validates `tableArn` at preview time and the
 * poller validates `ARN` at start-up with the same rules and the same hints.
 */

export interface TableArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly tableName: string;
  /** The ARN exactly as given (the CloudEvents `source`). */
  readonly arn: string;
}

// Partition (aws, aws-cn, aws-us-gov, …), region (us-east-1, or DynamoDB Local's "ddblocal"), 12-digit account,
// table name per DynamoDB's rules: 3-255 characters of [A-Za-z0-9_.-].
const TABLE_ARN = /^arn:(aws[a-z-]*):dynamodb:([a-z0-9-]+):(\d{12}):table\/([A-Za-z0-9_.-]{3,255})$/;
const STREAM_ARN = /^(arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255})\/stream\/.+$/;

/** Returns the parsed ARN, or a sentence saying what is wrong and how to fix it. */
export function parseTableArn(value: string): TableArn | { error: string } {
  const trimmed = value.trim();
  const stream = STREAM_ARN.exec(trimmed);
  if (stream) {
    return {
      error: `"${value}" is a stream ARN; give the table ARN instead (${stream[1]}): the stream is found through DescribeTable and followed when it changes`,
    };
  }
  const m = TABLE_ARN.exec(trimmed);
  if (!m) {
    return {
      error: `"${value}" is not a DynamoDB table ARN; expected arn:<partition>:dynamodb:<region>:<12-digit account>:table/<name>, e.g. arn:aws:dynamodb:us-east-1:123456789012:table/orders`,
    };
  }
  const [, partition, region, account, tableName] = m as unknown as [string, string, string, string, string];
  return { partition, region, account, tableName, arn: trimmed };
}

export function isParseError(v: TableArn | { error: string }): v is { error: string } {
  return "error" in v;
}
