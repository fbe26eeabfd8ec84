import { expect } from "chai";
import { CloudEvent, HTTP } from "cloudevents";
import { toDeadLetterEvent } from "../../../src/poller/delivery/dead-letter";
import { recordAttributes } from "../../../src/poller/events/attributes";
import { cloudEventOf } from "../../../src/poller/events/cloudevent-of";
import { toAwsData } from "../../../src/poller/events/formats/aws";
import { toPlainData } from "../../../src/poller/events/formats/plain";
import { toTriggerMeshData } from "../../../src/poller/events/formats/triggermesh";
import { CONTEXT, makeRecord, OPERATIONS, VIEW_TYPES } from "./fixtures";

const KEYS = { pk: { S: "customer#9" }, sk: { N: "7" } };
const ITEM = { ...KEYS, blob: { B: new Uint8Array([1, 2, 255]) }, tags: { SS: ["a", "é"] } };
const FORMATS = { aws: toAwsData, triggermesh: toTriggerMeshData, plain: toPlainData };
const OVERRIDES: Record<string, string>[] = [{}, { cluster: "eu1", team: "orders" }];

/** Every own property, in order, with its value: what JSON, the HTTP bindings and the logs read of an event. */
function ownEntries(event: object): [string, unknown][] {
  return Object.keys(event).map((name) => [name, (event as Record<string, unknown>)[name]]);
}

/** The properties the event builder hands over: the record's attributes plus `data`, as in to-cloudevent.ts. */
function builderProperties(
  spec: Parameters<typeof makeRecord>[0],
  format: keyof typeof FORMATS,
  overrides: Record<string, string>,
): Record<string, unknown> {
  const record = makeRecord(spec);
  const properties: Record<string, unknown> = recordAttributes(record, CONTEXT, overrides);
  properties.data = FORMATS[format](record, CONTEXT);
  return properties;
}

describe("cloudEventOf: what new CloudEvent(properties, false) returns", () => {
  for (const format of Object.keys(FORMATS) as (keyof typeof FORMATS)[]) {
    for (const overrides of OVERRIDES) {
      it(`${format}${Object.keys(overrides).length ? ", with K_CE_OVERRIDES" : ""}: every operation and view type`, () => {
        for (const operation of OPERATIONS) {
          for (const viewType of VIEW_TYPES) {
            const spec = { operation, viewType, keys: KEYS, newItem: ITEM, oldItem: ITEM, ttlDelete: true };
            const fast = cloudEventOf<unknown>(builderProperties(spec, format, overrides));
            const sdk = new CloudEvent<unknown>(builderProperties(spec, format, overrides), false);
            const where = `${format} ${operation} ${viewType}`;
            expect(fast, where).to.be.an.instanceOf(CloudEvent);
            expect(Object.isFrozen(fast), where).to.equal(true);
            expect(ownEntries(fast), where).to.deep.equal(ownEntries(sdk));
            expect(fast.toString(), where).to.equal(sdk.toString());
            expect(HTTP.binary(fast), where).to.deep.equal(HTTP.binary(sdk));
            // The SDK's methods work on it: the dead-letter path clones events with extensions added.
            const failure = { kind: "status", status: 400, body: new Uint8Array() } as const;
            expect(toDeadLetterEvent(fast, failure, "http://sink").toString(), where).to.equal(
              toDeadLetterEvent(sdk, failure, "http://sink").toString(),
            );
          }
        }
      });
    }
  }

  it("stamps an event without a time with its creation time, as the SDK does", () => {
    const before = Date.now();
    const event = cloudEventOf({ specversion: "1.0", id: "1", type: "t", source: "s", data: {} });
    expect(Object.keys(event)).to.deep.equal(
      Object.keys(new CloudEvent({ id: "1", type: "t", source: "s", data: {} }, false)),
    );
    expect(Date.parse(event.time as string)).to.be.within(before, Date.now());
  });

  it("leaves what the poller never builds to the SDK's constructor (binary data, no id, another version)", () => {
    const binary = cloudEventOf({
      specversion: "1.0",
      id: "1",
      type: "t",
      source: "s",
      data: new Uint8Array([1]),
    });
    expect(binary.data_base64).to.equal("AQ==");
    expect(cloudEventOf({ specversion: "1.0", type: "t", source: "s" }).id).to.match(/^[0-9a-f-]{36}$/);
    expect(() =>
      cloudEventOf({ specversion: "0.3", id: "1", type: "t", source: "s", dataschema: "x" }),
    ).to.throw(TypeError, /dataschema/);
  });
});
