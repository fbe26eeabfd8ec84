import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { DynamoDBSource } from "../../src/component";
import { optionalChecked } from "../../src/component/inputs";
import { parallelismRule } from "../../src/component/rules";
import { installMocks, reset, settle } from "./harness";

/** The rejection of an Output's value (internal `promise()`, stripped from the .d.ts). */
async function rejectionOf(output: pulumi.Output<unknown>): Promise<unknown> {
  try {
    await (output as unknown as { promise(): Promise<unknown> }).promise();
  } catch (e) {
    return e;
  }
  throw new Error("expected the output to reject");
}

describe("component validation of values known only later (Outputs)", () => {
  before(() => installMocks());
  beforeEach(reset);

  it("a malformed tableArn Output fails with the same InputPropertyError once known", async () => {
    const source = new DynamoDBSource("late", {
      tableArn: pulumi.output("arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/x"),
      sink: { uri: "http://sink" },
    });
    const error = await rejectionOf(source.ceAttributes);
    expect(pulumi.InputPropertyError.isInstance(error)).to.equal(true);
    expect((error as pulumi.InputPropertyError).propertyPath).to.equal("tableArn");
    expect((error as Error).message).to.include("stream ARN");
    await settle();
  });

  it("a relative sink.uri Output fails with an InputPropertyError naming sink.uri", async () => {
    const source = new DynamoDBSource("late-sink", {
      tableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
      sink: { uri: pulumi.output("/events") },
    });
    const error = await rejectionOf(source.sinkUri ?? pulumi.output(""));
    expect((error as pulumi.InputPropertyError).propertyPath).to.equal("sink.uri");
    await settle();
  });

  it("a parallelism Output out of range fails with an InputPropertyError naming parallelism", async () => {
    const error = await rejectionOf(
      pulumi.output(optionalChecked("parallelism", pulumi.output(11), parallelismRule)),
    );
    expect((error as pulumi.InputPropertyError).propertyPath).to.equal("parallelism");
    expect((error as Error).message).to.include("from 1 to 10");
    expect(optionalChecked("parallelism", undefined, parallelismRule)).to.equal(undefined);
  });
});
