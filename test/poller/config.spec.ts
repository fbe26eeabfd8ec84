import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/poller/config";
import { ContentMode } from "../../src/poller/delivery/types";
import { runPoller } from "../../src/poller/main";
import { BackoffPolicy, DataFormat, StartingPosition } from "../../src/shared/env-contract";

const BASE = {
  ARN: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
  K_SINK: "http://broker-ingress.knative-eventing.svc.cluster.local/default/default",
};

function problem(env: Record<string, string>): string {
  try {
    loadConfig({ ...BASE, ...env });
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message, "one line").not.to.include("\n");
    return message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe("poller configuration", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig(BASE);
    expect(config.region).to.equal("eu-west-1");
    expect(config.startingPosition).to.equal(StartingPosition.Latest);
    expect(config.checkpointTable).to.equal(undefined);
    expect(config.checkpointTableCreate).to.equal(false);
    expect(config.consumerName).to.equal("default/dynamodb-source");
    expect(config.pollIntervalMs).to.equal(1000);
    expect(config.progressTimeoutMs).to.equal(300_000);
    expect(config.healthPort).to.equal(8080);
    expect(config.metricsPort).to.equal(9092);
    expect(config.logLevel).to.equal("info");
    expect(config.delivery).to.deep.equal({
      sinkUrl: BASE.K_SINK,
      retry: 10,
      backoffPolicy: BackoffPolicy.Exponential,
      backoffDelayMs: 200,
      timeoutMs: 10_000,
      deadLetterSinkUrl: undefined,
      ceOverrides: {},
      dataFormat: DataFormat.Aws,
      contentMode: ContentMode.Binary,
      parallelism: 1,
      batch: undefined,
    });
    expect(config.warnings).to.deep.equal([]);
  });

  it("reads every variable", () => {
    const config = loadConfig({
      ARN: "arn:aws:dynamodb:ddblocal:000000000000:table/local-table",
      K_SINK: "https://sink.example.com/events",
      K_CE_OVERRIDES: '{"extensions":{"team":"orders","env":"prod"}}',
      AWS_REGION: "us-east-1",
      AWS_ASSUME_ROLE_ARN: "arn:aws:iam::210987654321:role/reader",
      STARTING_POSITION: "trim_horizon",
      CHECKPOINT_TABLE: "dynamodb-source-checkpoints",
      CHECKPOINT_TABLE_CREATE: "TRUE",
      CONSUMER_NAME: "shop/orders-to-broker",
      DATA_FORMAT: "plain",
      POLL_INTERVAL: "PT0.25S",
      PROGRESS_TIMEOUT: "120000",
      DELIVERY_RETRY: "0",
      DELIVERY_BACKOFF_POLICY: "linear",
      DELIVERY_BACKOFF_DELAY: "PT1S",
      DELIVERY_TIMEOUT: "PT30S",
      DEAD_LETTER_SINK: "http://dls.default.svc",
      HEALTH_PORT: "8081",
      METRICS_PORT: "9093",
      LOG_LEVEL: "debug",
      NAMESPACE: "shop",
      NAME: "orders",
      CE_CONTENT_MODE: "structured",
      PARALLELISM: "4",
      BATCH_SIZE: "50",
      BATCH_MAX_BYTES: "262144",
      BATCH_WINDOW: "PT0.5S",
    });
    expect(config.table.tableName).to.equal("local-table");
    expect(config.region).to.equal("us-east-1");
    expect(config.assumeRoleArn).to.equal("arn:aws:iam::210987654321:role/reader");
    expect(config.startingPosition).to.equal(StartingPosition.TrimHorizon);
    expect(config.checkpointTable).to.equal("dynamodb-source-checkpoints");
    expect(config.checkpointTableCreate).to.equal(true);
    expect(config.consumerName).to.equal("shop/orders-to-broker");
    expect(config.pollIntervalMs).to.equal(250);
    expect(config.progressTimeoutMs).to.equal(120_000);
    expect(config.delivery).to.deep.equal({
      sinkUrl: "https://sink.example.com/events",
      retry: 0,
      backoffPolicy: BackoffPolicy.Linear,
      backoffDelayMs: 1000,
      timeoutMs: 30_000,
      deadLetterSinkUrl: "http://dls.default.svc",
      ceOverrides: { team: "orders", env: "prod" },
      dataFormat: DataFormat.Plain,
      contentMode: ContentMode.Structured,
      parallelism: 4,
      batch: { maxEvents: 50, maxBytes: 262_144, windowMs: 500 },
    });
    expect([config.healthPort, config.metricsPort, config.logLevel]).to.deep.equal([8081, 9093, "debug"]);
  });

  it("defaults CONSUMER_NAME to <NAMESPACE>/<NAME>", () => {
    expect(loadConfig({ ...BASE, NAMESPACE: "shop", NAME: "orders" }).consumerName).to.equal("shop/orders");
  });

  it("turns batch mode on only with BATCH_SIZE > 1 (1 MiB and no window by default)", () => {
    expect(loadConfig({ ...BASE, BATCH_SIZE: "1" }).delivery.batch).to.equal(undefined);
    expect(loadConfig({ ...BASE, BATCH_SIZE: "1000" }).delivery.batch).to.deep.equal({
      maxEvents: 1000,
      maxBytes: 1_048_576,
      windowMs: 0,
    });
  });

  it("warns that BATCH_MAX_BYTES and BATCH_WINDOW do nothing without BATCH_SIZE > 1", () => {
    expect(loadConfig({ ...BASE, BATCH_MAX_BYTES: "2048", BATCH_WINDOW: "PT1S" }).warnings).to.deep.equal([
      "BATCH_MAX_BYTES has no effect without BATCH_SIZE > 1",
      "BATCH_WINDOW has no effect without BATCH_SIZE > 1",
    ]);
  });

  it("warns when AWS_REGION differs from the table's region", () => {
    expect(loadConfig({ ...BASE, AWS_REGION: "us-east-1" }).warnings[0]).to.match(
      /AWS_REGION=us-east-1 differs/,
    );
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    ["ARN missing", { ARN: "" }, /^ARN: required/],
    ["ARN not an ARN", { ARN: "orders" }, /^ARN: "orders" is not a DynamoDB table ARN/],
    [
      "ARN of a stream",
      { ARN: `${BASE.ARN}/stream/2026-01-01T00:00:00.000` },
      /^ARN: .* is a stream ARN; give the table ARN/,
    ],
    ["K_SINK missing", { K_SINK: " " }, /^K_SINK: required/],
    ["PARALLELISM 0", { PARALLELISM: "0" }, /^PARALLELISM: "0" is not a whole number of lanes from 1 to 10$/],
    [
      "PARALLELISM 11",
      { PARALLELISM: "11" },
      /^PARALLELISM: "11" is not a whole number of lanes from 1 to 10$/,
    ],
    ["PARALLELISM not a number", { PARALLELISM: "four" }, /^PARALLELISM: "four" is not/],
    ["BATCH_SIZE 0", { BATCH_SIZE: "0" }, /^BATCH_SIZE: "0" is not a whole number of events from 1/],
    ["BATCH_SIZE over a page", { BATCH_SIZE: "1001" }, /^BATCH_SIZE: "1001" is not .* to 1000$/],
    ["BATCH_SIZE fractional", { BATCH_SIZE: "2.5" }, /^BATCH_SIZE: "2.5" is not/],
    [
      "BATCH_MAX_BYTES too small",
      { BATCH_SIZE: "10", BATCH_MAX_BYTES: "100" },
      /^BATCH_MAX_BYTES: "100" is not .* from 1024/,
    ],
    [
      "BATCH_MAX_BYTES with a unit",
      { BATCH_SIZE: "10", BATCH_MAX_BYTES: "1Mi" },
      /^BATCH_MAX_BYTES: "1Mi" is not/,
    ],
    [
      "BATCH_WINDOW not a duration",
      { BATCH_SIZE: "10", BATCH_WINDOW: "soon" },
      /^BATCH_WINDOW: "soon" is not a duration/,
    ],
    [
      "BATCH_WINDOW over 5 min",
      { BATCH_SIZE: "10", BATCH_WINDOW: "PT6M" },
      /^BATCH_WINDOW: 360000 ms is out of range/,
    ],
    ["K_SINK not a URL", { K_SINK: "broker" }, /^K_SINK: "broker" is not a URL/],
    ["K_SINK not http", { K_SINK: "ftp://x/y" }, /^K_SINK: "ftp:\/\/x\/y" must use http or https, not ftp/],
    ["DEAD_LETTER_SINK not a URL", { DEAD_LETTER_SINK: "dls" }, /^DEAD_LETTER_SINK: "dls" is not a URL/],
    ["K_CE_OVERRIDES not JSON", { K_CE_OVERRIDES: "{extensions" }, /^K_CE_OVERRIDES: is not JSON/],
    [
      "K_CE_OVERRIDES wrong shape",
      { K_CE_OVERRIDES: '{"extensions":{"a":1}}' },
      /^K_CE_OVERRIDES: expected .* at extensions\.a/,
    ],
    ["K_CE_OVERRIDES unknown key", { K_CE_OVERRIDES: '{"ext":{}}' }, /^K_CE_OVERRIDES: expected/],
    [
      "K_CE_OVERRIDES bad name",
      { K_CE_OVERRIDES: '{"extensions":{"Team-Name":"x"}}' },
      /^K_CE_OVERRIDES: extension name "Team-Name" must be 1-20 lower-case/,
    ],
    [
      "K_CE_OVERRIDES long name",
      { K_CE_OVERRIDES: '{"extensions":{"abcdefghijklmnopqrstu":"x"}}' },
      /^K_CE_OVERRIDES: extension name .* 1-20/,
    ],
    [
      "K_CE_OVERRIDES reserved",
      { K_CE_OVERRIDES: '{"extensions":{"source":"x"}}' },
      /^K_CE_OVERRIDES: extension "source" is set by the source/,
    ],
    [
      "AWS_ASSUME_ROLE_ARN",
      { AWS_ASSUME_ROLE_ARN: "reader" },
      /^AWS_ASSUME_ROLE_ARN: "reader" is not an IAM role ARN/,
    ],
    [
      "STARTING_POSITION",
      { STARTING_POSITION: "EARLIEST" },
      /^STARTING_POSITION: "EARLIEST" is not one of LATEST, TRIM_HORIZON/,
    ],
    [
      "CHECKPOINT_TABLE",
      { CHECKPOINT_TABLE: "a b" },
      /^CHECKPOINT_TABLE: "a b" is not a DynamoDB table name/,
    ],
    [
      "CHECKPOINT_TABLE_CREATE",
      { CHECKPOINT_TABLE_CREATE: "yes" },
      /^CHECKPOINT_TABLE_CREATE: "yes" is not true or false/,
    ],
    [
      "CHECKPOINT_TABLE_CREATE alone",
      { CHECKPOINT_TABLE_CREATE: "true" },
      /^CHECKPOINT_TABLE_CREATE: is true but CHECKPOINT_TABLE is not set/,
    ],
    ["CONSUMER_NAME", { CONSUMER_NAME: "x".repeat(1025) }, /^CONSUMER_NAME: must be at most 1024/],
    ["DATA_FORMAT", { DATA_FORMAT: "json" }, /^DATA_FORMAT: "json" is not one of aws, triggermesh, plain/],
    ["POLL_INTERVAL syntax", { POLL_INTERVAL: "1s" }, /^POLL_INTERVAL: "1s" is not a duration/],
    [
      "POLL_INTERVAL zero",
      { POLL_INTERVAL: "0" },
      /^POLL_INTERVAL: 0 ms is out of range: use 10 ms to 5 min \(each GetRecords is billed/,
    ],
    ["POLL_INTERVAL too long", { POLL_INTERVAL: "PT20M" }, /^POLL_INTERVAL: 1200000 ms is out of range/],
    [
      "PROGRESS_TIMEOUT",
      { PROGRESS_TIMEOUT: "500" },
      /^PROGRESS_TIMEOUT: 500 ms is out of range: use at least 1 s \(PT1S\)$/,
    ],
    [
      "PROGRESS_TIMEOUT syntax",
      { PROGRESS_TIMEOUT: "5 minutes" },
      /^PROGRESS_TIMEOUT: "5 minutes" is not a duration/,
    ],
    [
      "DELIVERY_RETRY",
      { DELIVERY_RETRY: "-1" },
      /^DELIVERY_RETRY: "-1" is not a whole number of retries from 0 to 1000/,
    ],
    ["DELIVERY_RETRY huge", { DELIVERY_RETRY: "1001" }, /^DELIVERY_RETRY: "1001"/],
    [
      "DELIVERY_BACKOFF_POLICY",
      { DELIVERY_BACKOFF_POLICY: "fibonacci" },
      /^DELIVERY_BACKOFF_POLICY: "fibonacci" is not one of exponential, linear/,
    ],
    [
      "DELIVERY_BACKOFF_DELAY",
      { DELIVERY_BACKOFF_DELAY: "soon" },
      /^DELIVERY_BACKOFF_DELAY: "soon" is not a duration/,
    ],
    [
      "DELIVERY_TIMEOUT",
      { DELIVERY_TIMEOUT: "PT0S" },
      /^DELIVERY_TIMEOUT: 0 ms is out of range: use more than 0 ms/,
    ],
    ["HEALTH_PORT", { HEALTH_PORT: "http" }, /^HEALTH_PORT: "http" is not a TCP port/],
    ["METRICS_PORT", { METRICS_PORT: "70000" }, /^METRICS_PORT: "70000" is not a TCP port/],
    ["METRICS_PORT = HEALTH_PORT", { METRICS_PORT: "8080" }, /^METRICS_PORT: 8080 is also HEALTH_PORT/],
    [
      "LOG_LEVEL",
      { LOG_LEVEL: "verbose" },
      /^LOG_LEVEL: "verbose" is not one of fatal, error, warn, info, debug, trace, silent/,
    ],
    [
      "CE_CONTENT_MODE",
      { CE_CONTENT_MODE: "batch" },
      /^CE_CONTENT_MODE: "batch" is not one of binary, structured/,
    ],
  ];
  for (const [title, env, message] of invalid) {
    it(`rejects ${title} with a one-line message naming the variable`, () => {
      expect(problem(env)).to.match(message);
    });
  }
});

describe("runPoller with an invalid environment", () => {
  it("prints one line naming the variable and returns exit code 1", async () => {
    const lines: string[] = [];
    const code = await runPoller(
      { ...BASE, POLL_INTERVAL: "soon" },
      { handleSignals: false, printError: (l) => lines.push(l) },
    );
    expect(code).to.equal(1);
    expect(lines).to.deep.equal([
      'dynamodb-source poll: invalid configuration: POLL_INTERVAL: "soon" is not a duration; use ISO-8601 (e.g. PT0.5S, PT2S, PT1M) or milliseconds (e.g. 500)',
    ]);
  });
});
