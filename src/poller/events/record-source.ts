import type { ShardContext } from "../delivery/types";

/** What a data format needs to know about where a record came from. */
export type RecordSource = Pick<ShardContext, "region" | "streamArn">;
