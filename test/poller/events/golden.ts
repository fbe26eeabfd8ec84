import type { StreamRecord } from "../../../src/poller/delivery/types";
import { DataFormat } from "../../../src/shared/env-contract";
import { makeRecord } from "./fixtures";

export interface GoldenExample {
  /** File name under golden/ and the README's heading. */
  name: string;
  title: string;
  dataFormat: DataFormat;
  record: StreamRecord;
}

const order = {
  pk: { S: "customer#42" },
  sk: { S: "order#2026-11-24#0007" },
};

/** The README's example events: real output of the code, checked byte for byte by golden.spec.ts. */
export const GOLDEN_EXAMPLES: GoldenExample[] = [
  {
    name: "aws-modify",
    title: "`DATA_FORMAT=aws` (default): a MODIFY with NEW_AND_OLD_IMAGES",
    dataFormat: DataFormat.Aws,
    record: makeRecord({
      operation: "MODIFY",
      viewType: "NEW_AND_OLD_IMAGES",
      keys: order,
      oldItem: {
        ...order,
        status: { S: "pending" },
        total: { N: "129.95" },
        items: { L: [{ M: { sku: { S: "A-1" }, qty: { N: "2" } } }] },
      },
      newItem: {
        ...order,
        status: { S: "shipped" },
        total: { N: "129.95" },
        items: { L: [{ M: { sku: { S: "A-1" }, qty: { N: "2" } } }] },
        tags: { SS: ["gift", "priority"] },
      },
      eventID: "7de3041dd709b024af6f29e4fa13d34c",
      sequenceNumber: "4421584500000000017450439091",
    }),
  },
  {
    name: "aws-ttl-remove",
    title: "`DATA_FORMAT=aws`: a REMOVE made by TTL (OLD_IMAGE), with `userIdentity`",
    dataFormat: DataFormat.Aws,
    record: makeRecord({
      operation: "REMOVE",
      viewType: "OLD_IMAGE",
      keys: { session: { S: "s-81f2" } },
      oldItem: { session: { S: "s-81f2" }, expiresAt: { N: "1795528900" } },
      eventID: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
      sequenceNumber: "4421584600000000017450439555",
      ttlDelete: true,
    }),
  },
  {
    name: "triggermesh-insert",
    title: "`DATA_FORMAT=triggermesh`: an INSERT with NEW_IMAGE, in the seed's shape",
    dataFormat: DataFormat.TriggerMesh,
    record: makeRecord({
      operation: "INSERT",
      viewType: "NEW_IMAGE",
      keys: { id: { N: "123" } },
      newItem: { id: { N: "123" }, enabled: { BOOL: true } },
      eventID: "1234567890abcdef1234567890abcdef",
      sequenceNumber: "12345678901234567890",
    }),
  },
  {
    name: "plain-modify",
    title: "`DATA_FORMAT=plain`: a MODIFY with NEW_AND_OLD_IMAGES (38-digit number, binary, sets, map, list)",
    dataFormat: DataFormat.Plain,
    record: makeRecord({
      operation: "MODIFY",
      viewType: "NEW_AND_OLD_IMAGES",
      keys: { device: { B: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) }, ts: { N: "1795528987" } },
      oldItem: {
        device: { B: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) },
        ts: { N: "1795528987" },
        reading: { N: "21.5" },
      },
      newItem: {
        device: { B: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) },
        ts: { N: "1795528987" },
        reading: { N: "21.75" },
        counter: { N: "12345678901234567890123456789012345678" },
        labels: { SS: ["kitchen", "sensor"] },
        limits: { NS: ["-40", "85"] },
        meta: { M: { firmware: { S: "2.1.0" }, calibrated: { BOOL: true }, note: { NULL: true } } },
        history: { L: [{ N: "21.5" }, { N: "21.75" }] },
      },
      eventID: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
      sequenceNumber: "4421584700000000017450440001",
    }),
  },
];
