import { expect } from "chai";
import { createAwsClients } from "../../src/poller/aws-clients";
import { StreamsJsonProtocol } from "../../src/poller/streams-json-protocol";

describe("AWS clients", () => {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  before(() => {
    process.env.AWS_ACCESS_KEY_ID = "POD-OWN-KEY";
    process.env.AWS_SECRET_ACCESS_KEY = "pod-own-secret";
  });
  after(() => {
    for (const [name, value] of [
      ["AWS_ACCESS_KEY_ID", saved.id],
      ["AWS_SECRET_ACCESS_KEY", saved.secret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("reads the checkpoint table with the pod's own credentials when a cross-account role is assumed", async () => {
    const clients = createAwsClients({
      region: "eu-west-1",
      assumeRoleArn: "arn:aws:iam::210987654321:role/source-reader",
    });
    try {
      expect(clients.checkpoints).not.to.equal(clients.dynamodb);
      const own = await clients.checkpoints.config.credentials();
      expect(own.accessKeyId).to.equal("POD-OWN-KEY");
      // The source-table client goes through STS (not called here): its provider is not the default chain's.
      expect(clients.dynamodb.config.credentials).not.to.equal(clients.checkpoints.config.credentials);
    } finally {
      clients.destroy();
    }
  });

  it("uses one client for both tables without a cross-account role", () => {
    const clients = createAwsClients({ region: "eu-west-1" });
    try {
      expect(clients.checkpoints).to.equal(clients.dynamodb);
    } finally {
      clients.destroy();
    }
  });

  it("reads DynamoDB Streams with the faster GetRecords reader", () => {
    const clients = createAwsClients({ region: "eu-west-1" });
    try {
      expect(clients.streams.config.protocol).to.be.instanceOf(StreamsJsonProtocol);
    } finally {
      clients.destroy();
    }
  });
});
