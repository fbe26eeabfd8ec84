import type {
  DescribeStreamInput,
  DescribeStreamOutput,
  GetRecordsInput,
  GetRecordsOutput,
  GetShardIteratorInput,
  GetShardIteratorOutput,
} from "@aws-sdk/client-dynamodb-streams";

/**
 * Sees a successful GetRecords response's body before it is decoded, once the call has returned (never from inside
 * `getRecords` itself). Returns true when it started another request: decoding then waits one turn of the event
 * loop, so that request is on the wire first.
 */
export type RawPageHook = (body: Uint8Array) => boolean;

/**
 * The small part of DynamoDB Streams the poller uses. The SDK client is adapted to it in `aws-clients.ts`; unit
 * tests and benches use the fake stream in `test/poller/fakes/`.
 */
export interface StreamsApi {
  describeStream(input: DescribeStreamInput, signal?: AbortSignal): Promise<DescribeStreamOutput>;
  getShardIterator(input: GetShardIteratorInput, signal?: AbortSignal): Promise<GetShardIteratorOutput>;
  getRecords(
    input: GetRecordsInput,
    signal?: AbortSignal,
    onRawPage?: RawPageHook,
  ): Promise<GetRecordsOutput>;
}

/** What `DescribeTable` says about the table's stream. */
export interface TableStreamInfo {
  /** Absent when the table never had a stream. */
  readonly latestStreamArn?: string;
  /** `StreamSpecification.StreamEnabled`: false after the stream was disabled (its ARN stays readable 24 h). */
  readonly streamEnabled: boolean;
}

export interface TableApi {
  describeTableStream(tableName: string, signal?: AbortSignal): Promise<TableStreamInfo>;
}
