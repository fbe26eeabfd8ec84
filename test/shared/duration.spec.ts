import { expect } from "chai";
import { isDurationError, parseDuration } from "../../src/shared/duration";

describe("parseDuration", () => {
  const cases: Array<[string, number]> = [
    ["250", 250],
    ["PT0.5S", 500],
    ["PT2S", 2000],
    ["PT1M", 60_000],
    ["PT1H30M", 5_400_000],
    ["P1D", 86_400_000],
    ["pt0.25s", 250],
  ];
  for (const [text, ms] of cases) {
    it(`${text} is ${ms} ms`, () => expect(parseDuration(text)).to.equal(ms));
  }
  for (const bad of ["", "P", "PT", "1s", "-5", "P1Y", "PT1.5"]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      const parsed = parseDuration(bad);
      expect(isDurationError(parsed) && parsed.error).to.contain("ISO-8601");
    });
  }
});
