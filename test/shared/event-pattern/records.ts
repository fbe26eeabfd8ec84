import type { _Record as StreamRecord } from "@aws-sdk/client-dynamodb-streams";

/** Stream records as the SDK returns them (typed images, Date timestamps), for pattern tests. */

export const INSERT: StreamRecord = {
  eventID: "e-1",
  eventName: "INSERT",
  eventSource: "aws:dynamodb",
  eventVersion: "1.1",
  awsRegion: "eu-west-1",
  dynamodb: {
    ApproximateCreationDateTime: new Date("2026-01-01T00:00:00Z"),
    Keys: { pk: { S: "order#42" }, sk: { N: "7" } },
    NewImage: {
      pk: { S: "order#42" },
      sk: { N: "7" },
      amount: { N: "150.5" },
      status: { S: "Shipped" },
      code: { S: "100" },
      note: { NULL: true },
      empty: { S: "" },
      paid: { BOOL: true },
      tags: { SS: ["red", "blue"] },
      scores: { NS: ["3", "90"] },
      none: { L: [] },
      blob: { B: Uint8Array.from([1, 2]) },
      address: { M: { city: { S: "Paris" }, zip: { N: "75001" }, geo: { M: { lat: { N: "48.8" } } } } },
      lines: {
        L: [{ M: { sku: { S: "A" }, qty: { N: "1" } } }, { M: { sku: { S: "B" }, qty: { N: "5" } } }],
      },
    },
    SequenceNumber: "100",
    SizeBytes: 120,
    StreamViewType: "NEW_AND_OLD_IMAGES",
  },
};

export const MODIFY: StreamRecord = {
  eventID: "e-2",
  eventName: "MODIFY",
  eventSource: "aws:dynamodb",
  awsRegion: "eu-west-1",
  dynamodb: {
    Keys: { pk: { S: "order#43" } },
    OldImage: { pk: { S: "order#43" }, status: { S: "pending" }, amount: { N: "10" } },
    NewImage: { pk: { S: "order#43" }, status: { S: "PAID" }, amount: { N: "12" } },
    SequenceNumber: "200",
  },
};

/** A TTL expiry: a REMOVE made by the DynamoDB service. */
export const TTL_REMOVE: StreamRecord = {
  eventID: "e-3",
  eventName: "REMOVE",
  eventSource: "aws:dynamodb",
  awsRegion: "eu-west-1",
  userIdentity: { Type: "Service", PrincipalId: "dynamodb.amazonaws.com" },
  dynamodb: {
    Keys: { pk: { S: "session#1" } },
    OldImage: { pk: { S: "session#1" }, expiresAt: { N: "1767225600" } },
    SequenceNumber: "300",
  },
};

export const USER_REMOVE: StreamRecord = {
  eventID: "e-4",
  eventName: "REMOVE",
  awsRegion: "eu-west-1",
  dynamodb: { Keys: { pk: { S: "session#2" } }, OldImage: { pk: { S: "session#2" } }, SequenceNumber: "400" },
};
