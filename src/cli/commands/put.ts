import { parseArgs } from "node:util";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { CliUsageError, type Command, parseFlags } from "../command";

export const putCommand: Command = {
  usage: `Usage: dynamodb-source put --item '<json>' [--table demo] [--endpoint URL] [--region R]

Writes one item, given as plain JSON (numbers, strings, booleans, lists, maps), to a DynamoDB table.
  --item JSON       the item, including its key attributes, e.g. '{"id":"42","total":19.5}'
  --table NAME      table name (default: demo, the table 'dynamodb-source dev' creates)
  --endpoint URL    DynamoDB endpoint (default: $AWS_ENDPOINT_URL_DYNAMODB, else http://127.0.0.1:8000)
  --region R        region (default: $AWS_REGION, else us-east-1)`,
  async run(args) {
    const { values: flags } = parseFlags(() =>
      parseArgs({
        args: [...args],
        strict: true,
        allowPositionals: false,
        options: {
          item: { type: "string" },
          table: { type: "string", default: "demo" },
          endpoint: { type: "string" },
          region: { type: "string" },
        },
      }),
    );
    if (flags.item === undefined) throw new CliUsageError("--item is required");
    let item: unknown;
    try {
      item = JSON.parse(flags.item);
    } catch (err) {
      throw new CliUsageError(`--item is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new CliUsageError('--item must be a JSON object, e.g. \'{"id":"42"}\'');
    }
    const client = new DynamoDBClient({
      endpoint: flags.endpoint ?? process.env.AWS_ENDPOINT_URL_DYNAMODB ?? "http://127.0.0.1:8000",
      region: flags.region ?? process.env.AWS_REGION ?? "us-east-1",
      // DynamoDB Local accepts any credentials; real AWS uses the default chain when these are unset.
      credentials: process.env.AWS_ACCESS_KEY_ID
        ? undefined
        : { accessKeyId: "local", secretAccessKey: "local" },
    });
    try {
      await client.send(
        new PutItemCommand({
          TableName: flags.table,
          Item: marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false }),
        }),
      );
    } finally {
      client.destroy();
    }
    process.stdout.write(`put ${JSON.stringify(item)} into ${flags.table}\n`);
    return 0;
  },
};
