export interface Command {
  /** Shown for --help and after a usage error. */
  readonly usage: string;
  run(args: readonly string[]): Promise<number>;
}

/** A bad flag or argument: printed with the command's usage, exit code 2. */
export class CliUsageError extends Error {}

/** Runs a `util.parseArgs` call, turning its errors into usage errors that name the bad flag. */
export function parseFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new CliUsageError(err instanceof Error ? err.message : String(err));
  }
}

/** Parses a flag that must be a port number. */
export function portFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliUsageError(`--${flag} must be a port number between 0 and 65535, got "${value}"`);
  }
  return port;
}
