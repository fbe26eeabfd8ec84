import { spawn } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import { freePort } from "../../src/cli/dev/dynamodb-local";

const root = path.resolve(__dirname, "../..");

/** Runs a command to completion (bounded), returning its exit code and output. */
function runToEnd(
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, CI: "true" } });
    let output = "";
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      output += c.toString();
    });
    const timer = setTimeout(() => child.kill("SIGINT"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("npm start -- --once (the README's first command) @integration", function () {
  this.timeout(180_000);

  it("runs DynamoDB Local, the poller and the printing sink, prints the demo CloudEvents and exits 0", async () => {
    const port = await freePort();
    const { code, output } = await runToEnd(
      "npm",
      ["start", "--silent", "--", "--once", "--port", String(port)],
      150_000,
    );
    expect(output, output).to.contain(`DynamoDB Local: http://127.0.0.1:${port}`);
    expect(code, output).to.equal(0);
    for (const operation of ["INSERT", "MODIFY", "REMOVE"]) {
      expect(output).to.match(new RegExp(`── event #\\d+: ${operation}`));
    }
    expect(output).to.contain("type:      com.amazon.dynamodb.stream_record");
    expect(output).to.contain("source:    arn:aws:dynamodb:ddblocal:000000000000:table/demo");
    expect(output).to.contain("subject:   id");
    expect(output).to.contain("✔ 3 demo changes arrived as CloudEvents");
  });
});
