import { expect } from "chai";
import { main } from "../../src/cli/main";

/** Runs the CLI in-process and captures what it writes. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => {
    err += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

describe("dynamodb-source CLI", () => {
  it("lists the commands with --help", async () => {
    const { code, out } = await run("--help");
    expect(code).to.equal(0);
    for (const command of ["poll", "dev", "put", "render"])
      expect(out).to.match(new RegExp(`^  ${command} `, "m"));
  });

  it("exits 2 and shows the usage without a command", async () => {
    const { code, out } = await run();
    expect(code).to.equal(2);
    expect(out).to.contain("Usage: dynamodb-source <command>");
  });

  it("names an unknown command", async () => {
    const { code, err } = await run("pol");
    expect(code).to.equal(2);
    expect(err).to.contain('unknown command "pol"');
  });

  for (const command of ["poll", "dev", "put", "render"]) {
    it(`prints ${command} --help`, async () => {
      const { code, out } = await run(command, "--help");
      expect(code).to.equal(0);
      expect(out).to.contain(`Usage: dynamodb-source ${command}`);
    });
  }

  const badFlags: Array<[string[], RegExp]> = [
    [["dev", "--nope"], /--nope/],
    [["dev", "--data-format", "xml"], /--data-format must be one of aws, triggermesh, plain/],
    [["dev", "--port", "99999"], /--port must be a port number/],
    [["dev", "--sink", "ftp://x"], /--sink must be an http\(s\) URL/],
    [["dev", "--table", "a"], /--table must be 3-255 characters/],
    [["put"], /--item is required/],
    [["put", "--item", "{"], /--item is not valid JSON/],
    [["put", "--item", "[1]"], /--item must be a JSON object/],
  ];
  for (const [argv, message] of badFlags) {
    it(`rejects ${argv.join(" ")} naming the flag`, async () => {
      const { code, err } = await run(...argv);
      expect(code).to.equal(2);
      expect(err).to.match(message);
    });
  }
});
