import type { AttributeValue } from "@aws-sdk/client-dynamodb-streams";
import type { ShardContext, StreamRecord } from "../../../src/poller/delivery/types";

export const TABLE_ARN = "arn:aws:dynamodb:us-west-2:123456789012:table/orders";
export const STREAM_ARN = `${TABLE_ARN}/stream/2026-11-24T14:00:00.000`;
export const CONTEXT: ShardContext = {
  tableArn: TABLE_ARN,
  region: "us-west-2",
  streamArn: STREAM_ARN,
  shardId: "shardId-00000001763992800000-4c0ffee1",
};

export const VIEW_TYPES = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] as const;
export type ViewType = (typeof VIEW_TYPES)[number];
export const OPERATIONS = ["INSERT", "MODIFY", "REMOVE"] as const;
export type Operation = (typeof OPERATIONS)[number];

export type Image = Record<string, AttributeValue>;

export const CREATED_AT = new Date("2026-11-24T14:03:07Z");

export interface RecordSpec {
  operation: Operation;
  viewType: ViewType;
  keys: Image;
  /** The item after the change (ignored for REMOVE). */
  newItem?: Image;
  /** The item before the change (ignored for INSERT). */
  oldItem?: Image;
  eventID?: string;
  sequenceNumber?: string;
  ttlDelete?: boolean;
}

/** A record as the Streams client returns it, images present exactly as DynamoDB sends them for the view type. */
export function makeRecord(spec: RecordSpec): StreamRecord {
  const { operation, viewType } = spec;
  const withNew = (viewType === "NEW_IMAGE" || viewType === "NEW_AND_OLD_IMAGES") && operation !== "REMOVE";
  const withOld = (viewType === "OLD_IMAGE" || viewType === "NEW_AND_OLD_IMAGES") && operation !== "INSERT";
  const record: StreamRecord = {
    eventID: spec.eventID ?? "c81e728d9d4c2f636f067f89cc14862c",
    eventName: operation,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-west-2",
    dynamodb: {
      ApproximateCreationDateTime: CREATED_AT,
      Keys: spec.keys,
      ...(withNew ? { NewImage: spec.newItem ?? spec.keys } : {}),
      ...(withOld ? { OldImage: spec.oldItem ?? spec.keys } : {}),
      SequenceNumber: spec.sequenceNumber ?? "4421584500000000017450439091",
      SizeBytes: 59,
      StreamViewType: viewType,
    },
  };
  if (spec.ttlDelete) record.userIdentity = { PrincipalId: "dynamodb.amazonaws.com", Type: "Service" };
  return record;
}

export const bytes = (...values: number[]) => new Uint8Array(values);

/** One attribute of every DynamoDB type, unicode names included. */
export const EVERY_TYPE: Image = {
  pk: { S: "order#1" },
  sk: { N: "42" },
  big: { N: "12345678901234567890123456789012345678" },
  tiny: { N: "0.00000000000000000000000000000000000001" },
  price: { N: "-19.99" },
  blob: { B: bytes(0, 1, 2, 253, 254, 255) },
  tags: { SS: ["a", "b"] },
  scores: { NS: ["1", "2.5", "99999999999999999999"] },
  blobs: { BS: [bytes(1), bytes(2, 3)] },
  nested: { M: { inner: { L: [{ S: "x" }, { N: "7" }, { NULL: true }, { B: bytes(9) }] } } },
  list: { L: [{ BOOL: false }, { M: { deep: { SS: ["z"] } } }] },
  nothing: { NULL: true },
  flag: { BOOL: true },
  名前: { S: "日本語 ünïcödé 🎉" },
};
