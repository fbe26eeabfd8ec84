import type {
  _Record,
  DescribeStreamInput,
  DescribeStreamOutput,
  GetRecordsInput,
  GetRecordsOutput,
  GetShardIteratorInput,
  GetShardIteratorOutput,
  Shard,
} from "@aws-sdk/client-dynamodb-streams";
import type {
  RawPageHook,
  StreamsApi,
  TableApi,
  TableStreamInfo,
} from "../../../src/poller/stream/streams-api";

/**
 * A hand-written DynamoDB Streams with what DynamoDB Local cannot produce: shard splits, many shards, trimming,
 * expired iterators and throttling. Reusable by unit tests, benches and chaos scenarios.
 */

interface FakeShard {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly records: _Record[];
  closed: boolean;
  /** Records with a sequence number up to this one were trimmed (older than 24 h). */
  trimmedThrough: bigint;
}

interface FakeIterator {
  readonly streamArn: string;
  readonly shardId: string;
  /** Records after this sequence number are returned next. */
  readonly after: bigint;
  expired: boolean;
}

export type FakeOperation = "DescribeStream" | "GetShardIterator" | "GetRecords";

export interface FakeCall {
  readonly operation: FakeOperation;
  readonly at: number;
  readonly input: DescribeStreamInput | GetShardIteratorInput | GetRecordsInput;
}

export function awsError(name: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(`${name} (fake)`), { name, $metadata: { httpStatusCode } });
}

/** Sequence numbers are decimal strings of one width, so string order is numeric order too. */
export function seqString(n: bigint): string {
  return n.toString().padStart(21, "0");
}

export class FakeStream {
  readonly shards = new Map<string, FakeShard>();
  status: "ENABLED" | "DISABLED" = "ENABLED";
  private nextSeq = 100n;

  constructor(
    readonly streamArn: string,
    private readonly region = "us-east-1",
  ) {}

  addShard(shardId: string, parentShardId?: string): this {
    this.shards.set(shardId, { shardId, parentShardId, records: [], closed: false, trimmedThrough: 0n });
    return this;
  }

  /** Closes `parentShardId` and opens its children. */
  split(parentShardId: string, ...childIds: string[]): this {
    this.shard(parentShardId).closed = true;
    for (const child of childIds) this.addShard(child, parentShardId);
    return this;
  }

  closeShard(shardId: string): this {
    this.shard(shardId).closed = true;
    return this;
  }

  disable(): this {
    this.status = "DISABLED";
    for (const shard of this.shards.values()) shard.closed = true;
    return this;
  }

  /** Appends a record for item `key` (INSERT unless said otherwise); returns it. */
  put(
    shardId: string,
    key: string,
    eventName: "INSERT" | "MODIFY" | "REMOVE" = "INSERT",
    version = 0,
  ): _Record {
    const shard = this.shard(shardId);
    if (shard.closed) throw new Error(`fake: shard ${shardId} is closed`);
    const seq = seqString(this.nextSeq++);
    const record: _Record = {
      eventID: `ev-${seq}`,
      eventName,
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: this.region,
      dynamodb: {
        ApproximateCreationDateTime: new Date(),
        Keys: { pk: { S: key } },
        NewImage: { pk: { S: key }, version: { N: String(version) } },
        SequenceNumber: seq,
        SizeBytes: 20,
        StreamViewType: "NEW_IMAGE",
      },
    };
    shard.records.push(record);
    return record;
  }

  /** Puts `count` records (keys `<prefix>-<i>`) and returns them. */
  putMany(shardId: string, count: number, prefix = shardId): _Record[] {
    return Array.from({ length: count }, (_, i) => this.put(shardId, `${prefix}-${i}`, "INSERT", i));
  }

  /** Trims the first `count` records of a shard, as retention does after 24 h. */
  trim(shardId: string, count: number): void {
    const shard = this.shard(shardId);
    const last = shard.records[count - 1]?.dynamodb?.SequenceNumber;
    if (last) shard.trimmedThrough = BigInt(last);
    shard.records.splice(0, count);
  }

  shard(shardId: string): FakeShard {
    const shard = this.shards.get(shardId);
    if (!shard) throw new Error(`fake: no shard ${shardId}`);
    return shard;
  }
}

export interface FakeStreamsOptions {
  /** DynamoDB Local ignores ShardFilter and returns every shard. */
  readonly ignoreShardFilter?: boolean;
  /** Keep every call in `calls` (default true; benches turn it off to keep memory flat). */
  readonly recordCalls?: boolean;
  /** GetRecords answers after this long, as a remote service does (0: at once). */
  readonly getRecordsLatencyMs?: number;
  /**
   * Hands each GetRecords answer to the caller's raw-page hook as the JSON the service sends, `Records` first as
   * DynamoDB Local writes it, after passing it through this (a test can alter what the raw body says).
   */
  readonly rawBody?: (json: string) => string;
}

export class FakeStreamsApi implements StreamsApi {
  readonly streams = new Map<string, FakeStream>();
  readonly calls: FakeCall[] = [];
  private readonly iterators = new Map<string, FakeIterator>();
  private readonly faults: {
    operation: FakeOperation;
    error: Error;
    remaining: number;
    when?: (input: unknown) => boolean;
  }[] = [];
  private iteratorCounter = 0;

  constructor(private readonly options: FakeStreamsOptions = {}) {}

  addStream(stream: FakeStream): FakeStream {
    this.streams.set(stream.streamArn, stream);
    return stream;
  }

  /** The next `times` calls of `operation` (matching `when`, if given) throw `error`. */
  failNext(operation: FakeOperation, error: Error, times = 1, when?: (input: unknown) => boolean): void {
    this.faults.push({ operation, error, remaining: times, when });
  }

  /** Every iterator handed out so far expires (as after 15 minutes). */
  expireAllIterators(): void {
    for (const it of this.iterators.values()) it.expired = true;
  }

  callsOf(operation: FakeOperation): FakeCall[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  async describeStream(input: DescribeStreamInput): Promise<DescribeStreamOutput> {
    this.record("DescribeStream", input);
    const stream = this.stream(input.StreamArn);
    let shards = [...stream.shards.values()];
    const filter = input.ShardFilter;
    if (filter?.Type === "CHILD_SHARDS" && !this.options.ignoreShardFilter) {
      shards = shards.filter((s) => s.parentShardId === filter.ShardId);
    }
    const startIndex = input.ExclusiveStartShardId
      ? shards.findIndex((s) => s.shardId === input.ExclusiveStartShardId) + 1
      : 0;
    const limit = Math.min(input.Limit ?? 100, 100);
    const page = shards.slice(startIndex, startIndex + limit);
    const more = startIndex + limit < shards.length;
    return {
      StreamDescription: {
        StreamArn: stream.streamArn,
        StreamStatus: stream.status,
        Shards: page.map(toShard),
        LastEvaluatedShardId: more ? page[page.length - 1]?.shardId : undefined,
      },
    };
  }

  async getShardIterator(input: GetShardIteratorInput): Promise<GetShardIteratorOutput> {
    this.record("GetShardIterator", input);
    const stream = this.stream(input.StreamArn);
    const shard = stream.shards.get(input.ShardId ?? "");
    if (!shard) throw awsError("ResourceNotFoundException");
    const lastSeq = lastSequence(shard);
    let after: bigint;
    switch (input.ShardIteratorType) {
      case "TRIM_HORIZON":
        after = shard.trimmedThrough;
        break;
      case "LATEST":
        after = lastSeq;
        break;
      case "AFTER_SEQUENCE_NUMBER":
      case "AT_SEQUENCE_NUMBER": {
        const seq = BigInt(input.SequenceNumber ?? "0");
        if (seq <= shard.trimmedThrough) throw awsError("TrimmedDataAccessException");
        after = input.ShardIteratorType === "AT_SEQUENCE_NUMBER" ? seq - 1n : seq;
        break;
      }
      default:
        throw awsError("ValidationException");
    }
    return { ShardIterator: this.issue(stream.streamArn, shard.shardId, after) };
  }

  async getRecords(
    input: GetRecordsInput,
    _signal?: AbortSignal,
    onRawPage?: RawPageHook,
  ): Promise<GetRecordsOutput> {
    const out = this.answerGetRecords(input);
    const latencyMs = this.options.getRecordsLatencyMs ?? 0;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (onRawPage) {
      // As over a socket, the body comes in a later turn of the event loop, never within this call.
      if (latencyMs === 0) await new Promise((resolve) => setImmediate(resolve));
      const json = JSON.stringify({ Records: out.Records, NextShardIterator: out.NextShardIterator });
      const body = Buffer.from(this.options.rawBody?.(json) ?? json);
      if (onRawPage(body)) await new Promise((resolve) => setImmediate(resolve));
    }
    return out;
  }

  private answerGetRecords(input: GetRecordsInput): GetRecordsOutput {
    this.record("GetRecords", input);
    const it = this.iterators.get(input.ShardIterator ?? "");
    if (!it) throw awsError("ValidationException");
    if (it.expired) throw awsError("ExpiredIteratorException");
    const shard = this.stream(it.streamArn).shards.get(it.shardId);
    if (!shard) throw awsError("ResourceNotFoundException");
    if (it.after < shard.trimmedThrough) throw awsError("TrimmedDataAccessException");
    const limit = input.Limit ?? 1000;
    const first = firstIndexAfter(shard.records, it.after);
    const records = shard.records.slice(first, first + limit);
    // A used iterator is forgotten (benches run millions of calls); a failed call keeps it for the retry.
    this.iterators.delete(input.ShardIterator ?? "");
    const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
    const after = last ? BigInt(last) : it.after;
    const exhausted = after >= lastSequence(shard);
    const next = shard.closed && exhausted ? undefined : this.issue(it.streamArn, it.shardId, after);
    return { Records: records, NextShardIterator: next };
  }

  private record(operation: FakeOperation, input: FakeCall["input"]): void {
    if (this.options.recordCalls !== false) this.calls.push({ operation, at: Date.now(), input });
    const fault = this.faults.find(
      (f) => f.operation === operation && f.remaining > 0 && (!f.when || f.when(input)),
    );
    if (fault) {
      fault.remaining--;
      throw fault.error;
    }
  }

  private issue(streamArn: string, shardId: string, after: bigint): string {
    const token = `it-${++this.iteratorCounter}`;
    this.iterators.set(token, { streamArn, shardId, after, expired: false });
    return token;
  }

  private stream(arn: string | undefined): FakeStream {
    const stream = this.streams.get(arn ?? "");
    if (!stream) throw awsError("ResourceNotFoundException");
    return stream;
  }
}

/** DescribeTable for the fake: the table's latest stream, switchable by tests. */
export class FakeTableApi implements TableApi {
  info: TableStreamInfo = { streamEnabled: false };
  calls = 0;

  setStream(streamArn: string | undefined, enabled = streamArn !== undefined): void {
    this.info = { latestStreamArn: streamArn, streamEnabled: enabled };
  }

  async describeTableStream(): Promise<TableStreamInfo> {
    this.calls++;
    return this.info;
  }
}

/** Records are in sequence order: binary search for the first one after `after`. */
function firstIndexAfter(records: readonly _Record[], after: bigint): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (BigInt(records[mid]?.dynamodb?.SequenceNumber ?? "0") > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function lastSequence(shard: FakeShard): bigint {
  const last = shard.records[shard.records.length - 1]?.dynamodb?.SequenceNumber;
  return last ? BigInt(last) : shard.trimmedThrough;
}

function toShard(shard: FakeShard): Shard {
  return {
    ShardId: shard.shardId,
    ParentShardId: shard.parentShardId,
    SequenceNumberRange: {
      StartingSequenceNumber: shard.records[0]?.dynamodb?.SequenceNumber ?? "0",
      EndingSequenceNumber: shard.closed
        ? (shard.records[shard.records.length - 1]?.dynamodb?.SequenceNumber ?? "1")
        : undefined,
    },
  };
}
