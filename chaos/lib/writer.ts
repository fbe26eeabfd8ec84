import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * Changes `items` items round-robin, each write carrying the item's next version (1, 2, 3…), so the receiver can
 * prove order and completeness per item. A BatchWriteItem never holds the same item twice: the stream order of one
 * item's versions is the order of the batches.
 */
export class VersionWriter {
  /** Item key → highest version written (acknowledged by DynamoDB). */
  readonly written = new Map<string, number>();
  private next = 0;

  constructor(
    private readonly db: DynamoDBClient,
    private readonly table: string,
    private readonly items: number,
  ) {}

  get total(): number {
    let n = 0;
    for (const v of this.written.values()) n += v;
    return n;
  }

  /** Writes `count` versions at about `perSecond`, in batches of 25. */
  async write(count: number, perSecond: number, signal?: AbortSignal): Promise<void> {
    const started = Date.now();
    let done = 0;
    while (done < count && !signal?.aborted) {
      const size = Math.min(25, count - done, this.items);
      const batch: { key: string; version: number }[] = [];
      for (let i = 0; i < size; i++) {
        const key = `item-${this.next++ % this.items}`;
        batch.push({ key, version: (this.written.get(key) ?? 0) + 1 });
      }
      await this.put(batch);
      for (const b of batch) this.written.set(b.key, b.version);
      done += size;
      const aheadMs = (done / perSecond) * 1000 - (Date.now() - started);
      if (aheadMs > 0) await new Promise((r) => setTimeout(r, aheadMs));
    }
  }

  private async put(batch: readonly { key: string; version: number }[]): Promise<void> {
    let requests: { PutRequest: { Item: Record<string, AttributeValue> } }[] = batch.map((b) => ({
      PutRequest: {
        Item: { pk: { S: b.key }, version: { N: String(b.version) }, pad: { S: "x".repeat(200) } },
      },
    }));
    // Unprocessed items are retried; bounded, since DynamoDB Local hardly ever throttles.
    for (let attempt = 0; attempt < 50 && requests.length > 0; attempt++) {
      const out = await this.db.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: requests } }));
      requests = (out.UnprocessedItems?.[this.table] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
      );
      if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
    if (requests.length > 0) throw new Error(`writer: ${requests.length} items left unprocessed`);
  }
}
