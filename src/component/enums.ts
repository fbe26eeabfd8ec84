// The poller owns the content-mode enum; its module imports only types, so reusing it costs nothing at runtime.
export { ContentMode } from "../poller/delivery/types";
export { BackoffPolicy, DataFormat, StartingPosition } from "../shared/env-contract";

/** The poller's log level (`LOG_LEVEL`). */
export enum LogLevel {
  Debug = "debug",
  Info = "info",
  Warn = "warn",
  Error = "error",
}
