import { expect } from "chai";
import { isParseError, parseTableArn } from "../../src/shared/table-arn";

describe("parseTableArn", () => {
  it("parses an AWS table ARN", () => {
    const parsed = parseTableArn("arn:aws:dynamodb:eu-west-1:123456789012:table/orders");
    expect(parsed).to.deep.include({
      partition: "aws",
      region: "eu-west-1",
      account: "123456789012",
      tableName: "orders",
    });
  });

  it("accepts DynamoDB Local ARNs and other partitions", () => {
    expect(isParseError(parseTableArn("arn:aws:dynamodb:ddblocal:000000000000:table/demo"))).to.equal(false);
    expect(isParseError(parseTableArn("arn:aws-cn:dynamodb:cn-north-1:123456789012:table/a.b-c_d"))).to.equal(
      false,
    );
  });

  it("rejects a stream ARN with a hint naming the table ARN", () => {
    const parsed = parseTableArn(
      "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000",
    );
    expect(isParseError(parsed) && parsed.error).to.contain(
      "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
    );
    expect(isParseError(parsed) && parsed.error).to.contain("stream ARN");
  });

  for (const bad of [
    "",
    "orders",
    "arn:aws:s3:::bucket",
    "arn:aws:dynamodb:us-east-1:1234:table/orders",
    "arn:aws:dynamodb:us-east-1:123456789012:table/x",
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      const parsed = parseTableArn(bad);
      expect(isParseError(parsed) && parsed.error).to.match(/not a DynamoDB table ARN/);
    });
  }
});
