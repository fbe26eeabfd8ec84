import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";

const root = path.resolve(__dirname, "../..");

/** Whether `pid` is a live process (a zombie waiting for its reaper is not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("DynamoDB Local (dev CLI, tests, bench) @integration", function () {
  this.timeout(60_000);

  it("dies with the process that started it, even one killed with SIGKILL", async function () {
    if (process.platform !== "linux") this.skip();
    // The compiled module (pretest builds it), as the dev CLI and the bench load it.
    const script = `
      const { startDynamoDBLocal } = require(${JSON.stringify(path.join(root, "dist/src/cli/dev/dynamodb-local.js"))});
      startDynamoDBLocal().then((local) => console.log("jvm " + local.pid));
      setInterval(() => {}, 1000);
    `;
    const starter = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let jvm: number | undefined;
    try {
      jvm = await new Promise<number>((resolve, reject) => {
        let output = "";
        starter.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /jvm (\d+)/.exec(output);
          if (match) resolve(Number(match[1]));
        });
        starter.once("exit", (code) => reject(new Error(`the starter exited (${code}) first: ${output}`)));
      });
      expect(alive(jvm), "the JVM runs").to.equal(true);
      starter.kill("SIGKILL");
      const deadline = Date.now() + 10_000;
      while (alive(jvm) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(alive(jvm), "the JVM outlived the process that started it").to.equal(false);
    } finally {
      starter.kill("SIGKILL");
      if (jvm !== undefined && alive(jvm)) process.kill(jvm, "SIGKILL");
    }
  });
});
