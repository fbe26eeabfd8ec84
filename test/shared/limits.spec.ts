import { expect } from "chai";
import {
  batchMaxBytesRule,
  batchSizeRule,
  batchWindowRule,
  deliveryTimeoutRule,
  parallelismRule,
  pollIntervalRule,
  progressTimeoutRule,
  type Rule,
  retryRule,
} from "../../src/component/rules";
import { ConfigError, loadConfig } from "../../src/poller/config";
import { ENV } from "../../src/shared/env-contract";

const BASE = {
  ARN: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
  K_SINK: "http://sink.default.svc",
};

/** The poller's verdict on one variable: undefined when it starts, else its one-line problem. */
function pollerProblem(variable: string, value: string): string | undefined {
  try {
    loadConfig({ ...BASE, [variable]: value });
    return undefined;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message;
  }
}

type Case<T> = { argument: string; variable: string; rule: Rule<T>; values: T[] };

const DURATIONS: Case<string>[] = [
  {
    argument: "pollInterval",
    variable: ENV.pollInterval,
    rule: pollIntervalRule,
    values: ["9", "10", "PT5M", "300001"],
  },
  {
    argument: "progressTimeout",
    variable: ENV.progressTimeout,
    rule: progressTimeoutRule,
    values: ["999", "PT1S", "PT1H"],
  },
  {
    argument: "delivery.timeout",
    variable: ENV.deliveryTimeout,
    rule: deliveryTimeoutRule,
    values: ["0", "PT0S", "1", "PT30S"],
  },
  {
    argument: "batch.window",
    variable: ENV.batchWindow,
    rule: batchWindowRule,
    values: ["0", "PT5M", "PT5M0.001S"],
  },
];
const WHOLE_NUMBERS: Case<number>[] = [
  { argument: "delivery.retry", variable: ENV.deliveryRetry, rule: retryRule, values: [0, 1000, 1001, 2.5] },
  { argument: "parallelism", variable: ENV.parallelism, rule: parallelismRule, values: [0, 1, 10, 11, 1.5] },
  { argument: "batch.size", variable: ENV.batchSize, rule: batchSizeRule, values: [0, 1, 1000, 1001] },
  {
    argument: "batch.maxBytes",
    variable: ENV.batchMaxBytes,
    rule: batchMaxBytesRule,
    values: [1023, 1024, 64 * 1024 * 1024, 64 * 1024 * 1024 + 1],
  },
];

/** What the component accepts at preview is exactly what the poller accepts at start-up, with the same hint. */
describe("bounds shared by the component and the poller", () => {
  for (const { argument, variable, rule, values } of [...DURATIONS, ...WHOLE_NUMBERS] as Case<unknown>[]) {
    it(`${argument} and ${variable} accept and refuse the same values`, () => {
      let refused = 0;
      for (const value of values) {
        const atPreview = rule(value);
        const atStartUp = pollerProblem(variable, String(value));
        expect(atStartUp === undefined, `${argument}=${String(value)}: ${atPreview} / ${atStartUp}`).to.equal(
          atPreview === undefined,
        );
        if (atPreview === undefined || atStartUp === undefined) continue;
        refused++;
        const hint = atPreview.slice(atPreview.search(/ is (out of range: |not )/));
        expect(atStartUp.endsWith(hint), `${atStartUp} ends with ${hint}`).to.equal(true);
      }
      expect(refused, "a boundary case is refused").to.be.greaterThan(0);
    });
  }
});
