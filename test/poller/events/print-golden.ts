/**
 * Prints the golden example events as README markdown; with `--write`, (re)writes test/poller/events/golden/*.json.
 * Run: TS_NODE_TRANSPILE_ONLY=true npx ts-node test/poller/events/print-golden.ts [--write]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toOutgoingMessage } from "../../../src/poller/delivery/http-message";
import { ContentMode } from "../../../src/poller/delivery/types";
import { createEventBuilder } from "../../../src/poller/events/to-cloudevent";
import { CONTEXT } from "./fixtures";
import { GOLDEN_EXAMPLES } from "./golden";

const dir = join(__dirname, "golden");
const write = process.argv.includes("--write");
if (write) mkdirSync(dir, { recursive: true });

for (const [index, example] of GOLDEN_EXAMPLES.entries()) {
  const event = createEventBuilder({ dataFormat: example.dataFormat, ceOverrides: {} })(
    example.record,
    CONTEXT,
  );
  const json = JSON.stringify(event, null, 2);
  if (write) writeFileSync(join(dir, `${example.name}.json`), `${json}\n`);
  console.log(`#### ${example.title}\n`);
  if (index === 0) {
    const message = toOutgoingMessage(event, ContentMode.Binary);
    const headers = Object.entries(message.headers).map(([name, value]) => `${name}: ${value}`);
    console.log("As sent in binary mode (the default):\n");
    console.log(
      `\`\`\`http\nPOST / HTTP/1.1\n${headers.join("\n")}\n\n${JSON.stringify(JSON.parse(message.body), null, 2)}\n\`\`\`\n`,
    );
    console.log("The same event in structured form (`CE_CONTENT_MODE=structured` sends exactly this):\n");
  }
  console.log(`\`\`\`json\n${json}\n\`\`\`\n`);
}
