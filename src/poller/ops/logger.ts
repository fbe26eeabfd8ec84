import pino from "pino";

export type Logger = pino.Logger;

/** JSON logs on stdout (what Kubernetes collects); fields such as `shardId` and `sequenceNumber` go in objects. */
export function createLogger(level: string, bindings: Record<string, string> = {}): Logger {
  return pino({ level, base: { ...bindings }, timestamp: pino.stdTimeFunctions.isoTime });
}
