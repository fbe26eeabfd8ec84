import { DescribeTableCommand, DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { withRawPageHook } from "./get-records-raw-page";
import type { StreamsApi, TableApi } from "./stream/streams-api";
import { StreamsJsonProtocol } from "./streams-json-protocol";

export interface AwsClientOptions {
  readonly region: string;
  /** AWS_ASSUME_ROLE_ARN: cross-account access on top of the default credential chain. */
  readonly assumeRoleArn?: string;
  readonly sessionName?: string;
  /**
   * Explicit endpoints (tests). In production the SDK reads AWS_ENDPOINT_URL_DYNAMODB and
   * AWS_ENDPOINT_URL_DYNAMODB_STREAMS from the environment itself.
   */
  readonly endpoints?: { readonly dynamodb?: string; readonly streams?: string };
  /** Static credentials (tests); the default chain otherwise. */
  readonly credentials?: DynamoDBClientConfig["credentials"];
}

export interface AwsClients {
  /** The source table (DescribeTable): through the assumed role when AWS_ASSUME_ROLE_ARN is set. */
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  /**
   * The checkpoint table, always with the pod's own credentials: it lives in the pod's account, and the component
   * grants it to the pod's identity, not to the cross-account role.
   */
  readonly checkpoints: DynamoDBClient;
  destroy(): void;
}

/**
 * SDK retries stay modest (3 attempts): the poller has its own backoff with jitter around every call and never gives
 * up, so a long SDK retry chain would only hide throttling from the metrics. A request timeout keeps a hung
 * connection from stalling a shard forever.
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const credentials =
    options.credentials ??
    (options.assumeRoleArn
      ? fromTemporaryCredentials({
          params: {
            RoleArn: options.assumeRoleArn,
            RoleSessionName: options.sessionName ?? "dynamodb-source",
          },
          clientConfig: { region: options.region },
        })
      : undefined);
  const common = {
    region: options.region,
    credentials,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  };
  const dynamodb = new DynamoDBClient({ ...common, endpoint: options.endpoints?.dynamodb });
  const streams = new DynamoDBStreamsClient({
    ...common,
    endpoint: options.endpoints?.streams,
    protocol: StreamsJsonProtocol,
  });
  const checkpoints =
    options.assumeRoleArn && !options.credentials
      ? new DynamoDBClient({ ...common, credentials: undefined, endpoint: options.endpoints?.dynamodb })
      : dynamodb;
  return {
    dynamodb,
    streams,
    checkpoints,
    destroy() {
      dynamodb.destroy();
      streams.destroy();
      if (checkpoints !== dynamodb) checkpoints.destroy();
    },
  };
}

export function streamsApiOf(client: DynamoDBStreamsClient): StreamsApi {
  return {
    describeStream: (input, signal) => client.send(new DescribeStreamCommand(input), { abortSignal: signal }),
    getShardIterator: (input, signal) =>
      client.send(new GetShardIteratorCommand(input), { abortSignal: signal }),
    getRecords: (input, signal, onRawPage) => {
      const command = new GetRecordsCommand(input);
      return client.send(onRawPage ? withRawPageHook(command, onRawPage) : command, { abortSignal: signal });
    },
  };
}

export function tableApiOf(client: DynamoDBClient): TableApi {
  return {
    async describeTableStream(tableName, signal) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }), {
        abortSignal: signal,
      });
      return {
        latestStreamArn: Table?.LatestStreamArn,
        streamEnabled: Table?.StreamSpecification?.StreamEnabled === true,
      };
    },
  };
}
