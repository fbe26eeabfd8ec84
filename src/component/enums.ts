export { BackoffPolicy, ContentMode, DataFormat, StartingPosition } from "../shared/env-contract";

/** The poller's log level (`LOG_LEVEL`). */
export enum LogLevel {
  Debug = "debug",
  Info = "info",
  Warn = "warn",
  Error = "error",
}
