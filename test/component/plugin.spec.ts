import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { expect } from "chai";
import { parse } from "yaml";
import { DYNAMODB_SOURCE_TYPE, PULUMI_PACKAGE_NAME } from "../../src/component/constants";

const root = path.resolve(__dirname, "../..");

describe("multi-language plugin entry point", () => {
  const plugin = parse(readFileSync(path.join(root, "PulumiPlugin.yaml"), "utf8")) as {
    runtime: string;
    main: string;
  };

  it("is a nodejs plugin whose main is what the build produces", () => {
    expect(plugin.runtime).to.equal("nodejs");
    expect(existsSync(path.join(root, plugin.main)), `${plugin.main} (run npm run build)`).to.equal(true);
    expect(readFileSync(path.join(root, "src/provider.ts"), "utf8")).to.contain("name: PULUMI_PACKAGE_NAME");
  });

  it("names the plugin so that construct accepts the component's type token", () => {
    // The exact check Pulumi's ComponentProvider.construct runs on every resource it is asked to create.
    expect(() =>
      ComponentProvider.validateResourceType(PULUMI_PACKAGE_NAME, DYNAMODB_SOURCE_TYPE),
    ).not.to.throw();
    expect(() =>
      ComponentProvider.validateResourceType("pulumi-dynamodb-source", DYNAMODB_SOURCE_TYPE),
    ).to.throw(/Invalid package name/);
  });
});
