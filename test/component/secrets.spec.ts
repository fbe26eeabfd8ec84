import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { DynamoDBSource } from "../../src/component";
import {
  installMocks,
  isSecretValue,
  one,
  plainStrings,
  recorded,
  reset,
  settle,
  TABLE_ARN,
  unwrap,
} from "./harness";

const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SESSION = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";

describe("component secrets: static keys never appear unwrapped", () => {
  before(() => installMocks());
  beforeEach(reset);

  for (const [how, wrap] of [
    ["plain strings", (v: string): pulumi.Input<string> => v],
    ["pulumi.secret values", (v: string): pulumi.Input<string> => pulumi.secret(v)],
  ] as const) {
    it(`given as ${how}`, async () => {
      new DynamoDBSource("orders", {
        tableArn: TABLE_ARN,
        sink: { uri: "http://sink" },
        auth: {
          credentials: {
            accessKeyId: wrap(ACCESS_KEY),
            secretAccessKey: wrap(SECRET_KEY),
            sessionToken: wrap(SESSION),
          },
        },
      });
      await settle();
      expect(recorded.length).to.be.greaterThan(3);
      for (const record of recorded) {
        const exposed = plainStrings(record.inputs).filter((s) =>
          [ACCESS_KEY, SECRET_KEY, SESSION].some((k) => s.includes(k)),
        );
        expect(exposed, `${record.type} ${record.name}`).to.deep.equal([]);
      }
      // The component registers no inputs at all (they would be saved in state).
      const component = recorded.find((r) => r.type === "dynamodb-source:index:DynamoDBSource");
      expect(component?.inputs).to.deep.equal({});
      // The values do reach the Secret, as secrets.
      const secret = one("kubernetes:core/v1:Secret");
      const stringData = (secret.inputs as { stringData: unknown }).stringData;
      expect(isSecretValue(stringData), "stringData is sent as a secret").to.equal(true);
      expect(unwrap(stringData)).to.deep.equal({
        AWS_ACCESS_KEY_ID: ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY: SECRET_KEY,
        AWS_SESSION_TOKEN: SESSION,
      });
    });
  }

  it("the check itself finds a value that is not wrapped (it can fail)", () => {
    expect(plainStrings({ a: { b: [SECRET_KEY] } })).to.include(SECRET_KEY);
    expect(
      plainStrings({
        a: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: SECRET_KEY },
      }),
    ).to.deep.equal(["a"]);
  });
});
