import { partitionKeyOf } from "../events/partition-key";
import type { StreamRecord } from "./types";

/**
 * The lane of a record: FNV-1a (32-bit) of its canonical `partitionkey`, modulo the lane count. Every event of an
 * item carries the same key, so it always lands in the same lane, whatever the order of its key attributes.
 */
export function laneOf(record: StreamRecord, laneCount: number): number {
  if (laneCount <= 1) return 0;
  const key = partitionKeyOf(record.dynamodb?.Keys ?? {});
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % laneCount;
}

/**
 * Positions of `records` per lane, each in stream order; empty lanes are left out. One lane (PARALLELISM 1) skips
 * the hashing altogether.
 */
export function assignLanes(records: readonly StreamRecord[], laneCount: number): number[][] {
  if (laneCount <= 1) return [records.map((_, i) => i)];
  const lanes: number[][] = Array.from({ length: laneCount }, () => []);
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record !== undefined) lanes[laneOf(record, laneCount)]?.push(i);
  }
  return lanes.filter((lane) => lane.length > 0);
}
