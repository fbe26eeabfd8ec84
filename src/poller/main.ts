import { createAwsClients, streamsApiOf, tableApiOf } from "./aws-clients";
import { DynamoDBCheckpointStore } from "./checkpoint/dynamodb-store";
import { MemoryCheckpointStore } from "./checkpoint/memory-store";
import type { CheckpointStore } from "./checkpoint/store";
import { awaitCheckpointTable } from "./checkpoint/table-setup";
import { ConfigError, loadConfig, type PollerConfig } from "./config";
import { createDeliverer } from "./delivery/deliverer";
import { filterRecords } from "./filter/filtering-deliverer";
import { DynamoDBLeaseTable } from "./lease/dynamodb-lease-table";
import { createLogger, type Logger } from "./ops/logger";
import { createMetrics } from "./ops/metrics";
import { startOpsServers } from "./ops/servers";
import { POLLER_TUNING, Poller, type PollerSettings, type Readiness } from "./poller";

export interface RunPollerOptions {
  /** Stops the poller like SIGTERM does (tests, the dev command). */
  readonly signal?: AbortSignal;
  /** Install SIGTERM/SIGINT handlers (default true). */
  readonly handleSignals?: boolean;
  /** Tuning not in the environment contract (tests use short intervals). */
  readonly tuning?: Partial<Omit<PollerSettings, "table" | "region">>;
  /** Where the one-line configuration error goes (default stderr). */
  readonly printError?: (line: string) => void;
}

/**
 * `dynamodb-source poll`: validates the environment, reads the stream until SIGTERM/SIGINT (or `signal`), then shuts
 * down gracefully. Resolves to the exit code: 0 after a graceful stop, 1 for invalid configuration, a checkpoint
 * table that does not exist (and may not be created) or ops ports that cannot be bound. AWS errors never end the
 * process: they are retried, with the reason on /readyz.
 */
export async function runPoller(env: NodeJS.ProcessEnv, options: RunPollerOptions = {}): Promise<number> {
  const printError = options.printError ?? ((line: string) => process.stderr.write(`${line}\n`));
  let config: PollerConfig;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    printError(`dynamodb-source poll: invalid configuration: ${err.message}`);
    return 1;
  }

  const logger = createLogger(config.logLevel, { namespace: config.namespace, name: config.name });
  for (const warning of config.warnings) logger.warn(warning);
  const metrics = createMetrics();
  const clients = createAwsClients({
    region: config.region,
    assumeRoleArn: config.assumeRoleArn,
    sessionName: `dynamodb-source-${config.name}`.slice(0, 64),
  });

  let poller: Poller | undefined;
  let startupState: Readiness = { ready: false, reason: "starting" };
  const servers = await startOpsServers({
    healthPort: config.healthPort,
    metricsPort: config.metricsPort,
    registry: metrics.registry,
    readiness: () => poller?.readiness() ?? startupState,
    logger,
  }).catch((err: unknown) => {
    logger.fatal({ err }, "cannot start the health and metrics servers");
    return undefined;
  });
  if (!servers) {
    clients.destroy();
    return 1;
  }

  const stopRequested = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested.signal.aborted) {
      logger.warn({ signal }, "second signal: aborting in-flight deliveries now");
      poller?.abortInFlight();
      return;
    }
    logger.info({ signal }, "signal received: shutting down gracefully");
    stopRequested.abort();
  };
  if (options.handleSignals !== false) {
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }
  const onExternalAbort = () => stopRequested.abort();
  options.signal?.addEventListener("abort", onExternalAbort, { once: true });
  if (options.signal?.aborted) stopRequested.abort();

  const delivering = createDeliverer(config.delivery, { logger, metrics });
  const deliverer = config.filter ? filterRecords(delivering, config.filter.matches, metrics) : delivering;
  try {
    startupState = { ready: false, reason: "checking the checkpoint table" };
    const store = await openCheckpointStore(config, clients.checkpoints, logger, {
      signal: stopRequested.signal,
      setReason: (reason) => {
        startupState = { ready: false, reason };
      },
    });
    if (store === "stopped") {
      logger.info("stopped before reading: the checkpoint table was not reachable yet");
      return 0;
    }
    if (!store) return 1;
    poller = new Poller(
      {
        tableApi: tableApiOf(clients.dynamodb),
        streamsApi: streamsApiOf(clients.streams),
        store,
        deliverer,
        logger,
        metrics,
        // Leases live in the checkpoint table; with in-memory checkpoints there is one replica and it owns every shard.
        leasing: config.checkpointTable
          ? {
              table: new DynamoDBLeaseTable(clients.checkpoints, config.checkpointTable, config.consumerName),
              settings: { workerId: config.workerId, leaseDurationMs: config.leaseDurationMs },
            }
          : undefined,
      },
      {
        ...POLLER_TUNING,
        table: config.table,
        region: config.region,
        startingPosition: config.startingPosition,
        pollIntervalMs: config.pollIntervalMs,
        progressTimeoutMs: config.progressTimeoutMs,
        ...options.tuning,
      },
    );
    logger.info(
      {
        table: config.table.arn,
        consumer: config.consumerName,
        checkpoints: store.description,
        workerId: config.checkpointTable ? config.workerId : undefined,
        leaseDurationMs: config.checkpointTable ? config.leaseDurationMs : undefined,
        sink: config.delivery.sinkUrl,
        filterPatterns: config.filter?.patterns,
      },
      "poller starting",
    );
    const running = poller.run();
    const stopping = new Promise<void>((resolve) => {
      if (stopRequested.signal.aborted) resolve();
      stopRequested.signal.addEventListener("abort", () => resolve(), { once: true });
    }).then(() => poller?.stop());
    await Promise.race([running, stopping]);
    await stopping;
    logger.info("poller stopped; checkpoints written");
    return 0;
  } catch (err) {
    logger.fatal({ err }, "poller failed");
    return 1;
  } finally {
    options.signal?.removeEventListener("abort", onExternalAbort);
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    await deliverer.close().catch((err: unknown) => logger.warn({ err }, "closing the deliverer failed"));
    await servers.close().catch((err: unknown) => logger.warn({ err }, "closing the ops servers failed"));
    clients.destroy();
  }
}

/**
 * The checkpoint store; undefined after a final error (logged), "stopped" when a stop came while the table was
 * still unreachable. Transient and permission errors are retried, with the reason on /readyz meanwhile.
 */
async function openCheckpointStore(
  config: PollerConfig,
  dynamodb: ReturnType<typeof createAwsClients>["dynamodb"],
  logger: Logger,
  startup: { readonly signal: AbortSignal; readonly setReason: (reason: string) => void },
): Promise<CheckpointStore | undefined | "stopped"> {
  if (!config.checkpointTable) {
    logger.warn(
      "CHECKPOINT_TABLE is not set: checkpoints are kept IN MEMORY ONLY. After a restart every shard is read again from its starting position (duplicates, or a gap with STARTING_POSITION=LATEST). Set CHECKPOINT_TABLE for durable at-least-once delivery.",
    );
    return new MemoryCheckpointStore();
  }
  const table = config.checkpointTable;
  try {
    const outcome = await awaitCheckpointTable(dynamodb, table, config.checkpointTableCreate, {
      signal: startup.signal,
      onRetry: ({ error, message, failures, delayMs }) => {
        startup.setReason(`checking the checkpoint table ${table} failed (${error}: ${message}); retrying`);
        // The first failure and every tenth after it are logged (the others at debug): a permission still
        // propagating is common and brief, and /readyz says it all along.
        const level = failures === 1 || failures % 10 === 0 ? "error" : "debug";
        logger[level](
          { table, error, failures, retryInMs: delayMs },
          `checkpoint table unreachable: ${message}`,
        );
      },
    });
    if (outcome === "created") logger.info({ table }, "checkpoint table created");
  } catch (err) {
    if (startup.signal.aborted) return "stopped";
    logger.fatal(
      { err, table: config.checkpointTable },
      err instanceof Error ? err.message : "checkpoint table unusable",
    );
    return undefined;
  }
  return new DynamoDBCheckpointStore(dynamodb, config.checkpointTable, config.consumerName);
}
