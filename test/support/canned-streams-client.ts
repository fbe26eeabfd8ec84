import { Readable } from "node:stream";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { HttpResponse } from "@smithy/core/protocols";
import { StreamsJsonProtocol } from "../../src/poller/streams-json-protocol";

/**
 * A DynamoDB Streams client that answers every request with `status` and the JSON `body`, as DynamoDB Streams would:
 * with the poller's own protocol when `fast` (its GetRecords reader, as aws-clients.ts configures it), else the
 * SDK's stock one.
 */
export function cannedStreamsClient(fast: boolean, body: unknown, status = 200): DynamoDBStreamsClient {
  const handle = async () => ({
    response: new HttpResponse({
      statusCode: status,
      headers: { "content-type": "application/x-amz-json-1.0" },
      body: Readable.from([Buffer.from(JSON.stringify(body))]),
    }),
  });
  return new DynamoDBStreamsClient({
    region: "eu-west-1",
    endpoint: "http://127.0.0.1:9",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: { handle },
    ...(fast ? { protocol: StreamsJsonProtocol } : {}),
  });
}
