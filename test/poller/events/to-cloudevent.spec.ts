import { expect } from "chai";
import { MalformedRecordError } from "../../../src/poller/events/attributes";
import { createEventBuilder } from "../../../src/poller/events/to-cloudevent";
import { DataFormat } from "../../../src/shared/env-contract";
import { CONTEXT, CREATED_AT, makeRecord, OPERATIONS, TABLE_ARN, VIEW_TYPES } from "./fixtures";

const KEYS = { sk: { N: "7" }, pk: { S: "customer#9" } };
const NEW_ITEM = { ...KEYS, status: { S: "shipped" } };
const OLD_ITEM = { ...KEYS, status: { S: "pending" } };

/** Where each format keeps the images, so one matrix can check all three. */
const IMAGE_PATHS: Record<
  DataFormat,
  { newImage: (d: Record<string, unknown>) => unknown; oldImage: (d: Record<string, unknown>) => unknown }
> = {
  [DataFormat.Aws]: {
    newImage: (d) => (d.dynamodb as Record<string, unknown>).NewImage,
    oldImage: (d) => (d.dynamodb as Record<string, unknown>).OldImage,
  },
  [DataFormat.TriggerMesh]: {
    newImage: (d) => (d.Dynamodb as Record<string, unknown>).NewImage,
    oldImage: (d) => (d.Dynamodb as Record<string, unknown>).OldImage,
  },
  [DataFormat.Plain]: { newImage: (d) => d.newImage, oldImage: (d) => d.oldImage },
};

describe("record → CloudEvent", () => {
  for (const dataFormat of Object.values(DataFormat)) {
    const build = createEventBuilder({ dataFormat, ceOverrides: {} });
    for (const operation of OPERATIONS) {
      for (const viewType of VIEW_TYPES) {
        it(`${dataFormat}: ${operation} with ${viewType} has every attribute and the right images`, () => {
          const record = makeRecord({
            operation,
            viewType,
            keys: KEYS,
            newItem: NEW_ITEM,
            oldItem: OLD_ITEM,
            eventID: `id-${operation}`,
          });
          const event = build(record, CONTEXT);
          expect(event.specversion).to.equal("1.0");
          expect(event.type).to.equal("com.amazon.dynamodb.stream_record");
          expect(event.source).to.equal(TABLE_ARN);
          expect(event.id).to.equal(`id-${operation}`);
          expect(event.subject).to.equal("pk,sk");
          expect(event.time).to.equal(CREATED_AT.toISOString());
          expect(event.datacontenttype).to.equal("application/json");
          expect(event.dynamodboperation).to.equal(operation);
          expect(event.partitionkey).to.equal("pk=S:customer#9,sk=N:7");
          expect(event.dynamodbsequence).to.equal("4421584500000000017450439091");

          const data = event.data as Record<string, unknown>;
          const paths = IMAGE_PATHS[dataFormat];
          const hasNew =
            (viewType === "NEW_IMAGE" || viewType === "NEW_AND_OLD_IMAGES") && operation !== "REMOVE";
          const hasOld =
            (viewType === "OLD_IMAGE" || viewType === "NEW_AND_OLD_IMAGES") && operation !== "INSERT";
          const absent = dataFormat === DataFormat.Aws ? undefined : null;
          if (hasNew) expect(JSON.stringify(paths.newImage(data))).to.include("shipped");
          else expect(paths.newImage(data)).to.equal(absent);
          if (hasOld) expect(JSON.stringify(paths.oldImage(data))).to.include("pending");
          else expect(paths.oldImage(data)).to.equal(absent);
        });
      }
    }
  }

  it("adds K_CE_OVERRIDES extensions to every event", () => {
    const build = createEventBuilder({
      dataFormat: DataFormat.Aws,
      ceOverrides: { team: "payments", env: "prod" },
    });
    const event = build(makeRecord({ operation: "INSERT", viewType: "KEYS_ONLY", keys: KEYS }), CONTEXT);
    expect(event.team).to.equal("payments");
    expect(event.env).to.equal("prod");
  });

  for (const reserved of [
    "id",
    "source",
    "type",
    "subject",
    "time",
    "partitionkey",
    "dynamodboperation",
    "knativeerrorcode",
  ]) {
    it(`refuses a K_CE_OVERRIDES extension named ${reserved}`, () => {
      expect(() =>
        createEventBuilder({ dataFormat: DataFormat.Aws, ceOverrides: { [reserved]: "x" } }),
      ).to.throw(/K_CE_OVERRIDES: extension "\w+" is set by the source/);
    });
  }

  it("refuses K_CE_OVERRIDES names that are not valid CloudEvents attribute names", () => {
    expect(() =>
      createEventBuilder({ dataFormat: DataFormat.Aws, ceOverrides: { "Bad-Name": "x" } }),
    ).to.throw(/lower-case letters or digits/);
  });

  it("refuses a record without eventID instead of inventing one", () => {
    const build = createEventBuilder({ dataFormat: DataFormat.Aws, ceOverrides: {} });
    const record = makeRecord({ operation: "INSERT", viewType: "KEYS_ONLY", keys: KEYS });
    delete record.eventID;
    expect(() => build(record, CONTEXT)).to.throw(MalformedRecordError);
  });

  it("keeps the record's time with DynamoDB Local's minute rounding intact", () => {
    const build = createEventBuilder({ dataFormat: DataFormat.Plain, ceOverrides: {} });
    const record = makeRecord({ operation: "INSERT", viewType: "KEYS_ONLY", keys: KEYS });
    (record.dynamodb as { ApproximateCreationDateTime: Date }).ApproximateCreationDateTime = new Date(
      "2026-01-02T03:04:00Z",
    );
    expect(build(record, CONTEXT).time).to.equal("2026-01-02T03:04:00.000Z");
  });
});
