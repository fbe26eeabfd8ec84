import type { CloudEventV1 } from "cloudevents";

/** What the receiver proves about one scenario. */
export interface Tally {
  readonly written: number;
  /** Distinct (item, version) pairs the sink accepted. */
  readonly delivered: number;
  readonly lost: number;
  /** Accepted events beyond the first of each (item, version). */
  readonly duplicated: number;
  /** First deliveries of a version lower than one already delivered for the same item. */
  readonly reorderings: number;
}

/** The writer's item key and version, read from a `DATA_FORMAT=aws` event. */
export function keyAndVersion(event: CloudEventV1<unknown>): { key: string; version: number } | undefined {
  const dynamodb = (
    event.data as { dynamodb?: { Keys?: { pk?: { S?: string } }; NewImage?: { version?: { N?: string } } } }
  )?.dynamodb;
  const key = dynamodb?.Keys?.pk?.S;
  const version = Number(dynamodb?.NewImage?.version?.N);
  return key !== undefined && Number.isInteger(version) ? { key, version } : undefined;
}

/**
 * Keeps, per item, the versions the sink has accepted, in arrival order. Order is judged the at-least-once way:
 * a redelivery of a version already seen is a duplicate, not a reordering; a version seen for the first time must be
 * higher than every version seen before for that item. Completeness: every version the writer wrote was seen.
 */
export class Ledger {
  private readonly seen = new Map<string, Set<number>>();
  private readonly highest = new Map<string, number>();
  private accepted = 0;
  private reorderings = 0;
  private firstSeen = 0;
  /** Arrival time of every first delivery (to measure recovery). */
  readonly firstSeenAt: number[] = [];

  add(events: readonly CloudEventV1<unknown>[], at = Date.now()): void {
    for (const event of events) {
      const kv = keyAndVersion(event);
      if (!kv) continue;
      this.accepted++;
      const versions = this.seen.get(kv.key) ?? new Set<number>();
      this.seen.set(kv.key, versions);
      if (versions.has(kv.version)) continue;
      versions.add(kv.version);
      this.firstSeen++;
      this.firstSeenAt.push(at);
      const top = this.highest.get(kv.key) ?? Number.NEGATIVE_INFINITY;
      if (kv.version < top) this.reorderings++;
      else this.highest.set(kv.key, kv.version);
    }
  }

  get distinct(): number {
    return this.firstSeen;
  }

  /** `written`: versions 1..n of each item, as the writer reports them. */
  tally(written: ReadonlyMap<string, number>): Tally {
    let total = 0;
    let delivered = 0;
    for (const [key, versions] of written) {
      total += versions;
      const seen = this.seen.get(key);
      for (let v = 1; v <= versions; v++) if (seen?.has(v)) delivered++;
    }
    return {
      written: total,
      delivered,
      lost: total - delivered,
      duplicated: this.accepted - this.firstSeen,
      reorderings: this.reorderings,
    };
  }
}
