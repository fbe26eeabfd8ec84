import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { createEventBuilder } from "../../../src/poller/events/to-cloudevent";
import { CONTEXT } from "./fixtures";
import { GOLDEN_EXAMPLES } from "./golden";

/** Golden files are written by `print-golden.ts --write`; a change here is a change to the public event format. */
const GOLDEN_DIR = join(__dirname, "golden");

describe("golden example events (the README's examples)", () => {
  for (const example of GOLDEN_EXAMPLES) {
    it(`${example.name} is unchanged`, () => {
      const build = createEventBuilder({ dataFormat: example.dataFormat, ceOverrides: {} });
      // Compared as compact JSON: key order counts, whitespace (Biome formats the files) does not.
      const actual = JSON.stringify(build(example.record, CONTEXT));
      const expected = JSON.stringify(
        JSON.parse(readFileSync(join(GOLDEN_DIR, `${example.name}.json`), "utf8")),
      );
      expect(actual).to.equal(expected);
    });
  }
});
