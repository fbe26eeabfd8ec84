import type { BenchContext } from "./context";
import { createStreamTable, preload } from "./table";

/** A table whose stream holds `items` bench items; shared by the drain and memory scenarios (preloading is slow). */
export interface BacklogTable {
  readonly name: string;
  readonly tableArn: string;
  readonly streamArn: string;
  items: number;
}

/** A fresh table preloaded with `items`; also returns how long preloading took. */
export async function createBacklog(ctx: BenchContext, items: number) {
  const name = `${ctx.runId}-backlog`;
  const { tableArn, streamArn } = await createStreamTable(ctx.db, name);
  const table: BacklogTable = { name, tableArn, streamArn, items: 0 };
  const preloadSeconds = await growBacklog(ctx, table, items);
  return { table, preloadSeconds };
}

/** Appends items up to `items` in all; returns the seconds it took (BatchWriteItem runs at ~2.6k items/s). */
export async function growBacklog(ctx: BenchContext, table: BacklogTable, items: number): Promise<number> {
  if (items <= table.items) return 0;
  const started = performance.now();
  const added = items - table.items;
  ctx.log(`preloading items ${table.items}..${items - 1} into ${table.name}`);
  await preload(ctx.db, table.name, table.items, items, ctx.config.itemBytes);
  table.items = items;
  const seconds = (performance.now() - started) / 1000;
  ctx.log(`preloaded in ${seconds.toFixed(1)} s (${Math.round(added / seconds)} items/s)`);
  return seconds;
}
