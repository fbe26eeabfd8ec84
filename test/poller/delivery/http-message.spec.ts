import { expect } from "chai";
import { CloudEvent, HTTP } from "cloudevents";
import { Agent } from "undici";
import { toDeadLetterEvent } from "../../../src/poller/delivery/dead-letter";
import {
  encodeHeaderValue,
  structuredJson,
  toOutgoingMessage,
} from "../../../src/poller/delivery/http-message";
import { HttpSink } from "../../../src/poller/delivery/http-sink";
import { ContentMode } from "../../../src/poller/delivery/types";

const event = new CloudEvent(
  {
    id: "1",
    source: "arn:x",
    type: "t",
    subject: "naïve key",
    data: { a: 1 },
    datacontenttype: "application/json",
  },
  false,
);

describe("HTTP messages", () => {
  it("percent-encodes exactly what the HTTP binding requires in ce-* headers", () => {
    expect(encodeHeaderValue("arn:aws:dynamodb:us-west-2:1:table/t")).to.equal(
      "arn:aws:dynamodb:us-west-2:1:table/t",
    );
    expect(encodeHeaderValue("pk=S:a\\,b#c")).to.equal("pk=S:a\\,b#c");
    expect(encodeHeaderValue('a b"c%d')).to.equal("a%20b%22c%25d");
    expect(encodeHeaderValue("é🎉")).to.equal("%C3%A9%F0%9F%8E%89");
    expect(encodeHeaderValue("tab\there")).to.equal("tab%09here");
  });

  it("binary mode: JSON body and ce-* headers, encoded", () => {
    const message = toOutgoingMessage(event, ContentMode.Binary);
    expect(message.body).to.equal('{"a":1}');
    expect(message.headers).to.include({
      "content-type": "application/json",
      "ce-id": "1",
      "ce-subject": "na%C3%AFve%20key",
    });
  });

  it("structured mode: one JSON document, attributes unencoded inside it", () => {
    const message = toOutgoingMessage(event, ContentMode.Structured);
    expect(message.headers["content-type"]).to.match(/^application\/cloudevents\+json/);
    expect(JSON.parse(message.body)).to.include({ id: "1", subject: "naïve key" });
  });

  it("structured mode writes, character for character, the SDK's HTTP.structured message", () => {
    const events: CloudEvent<unknown>[] = [
      event,
      // Extensions, unicode and characters JSON must escape, a nested Date (its own toJSON still applies).
      new CloudEvent(
        {
          id: "2",
          source: "arn:x",
          type: "t",
          time: "2026-12-02T10:00:00.000Z",
          partitionkey: 'pk=S:"é\n🎉"',
          dynamodbsequence: "100",
          data: { text: 'line\n"quoted"\u0001', when: new Date(0), list: [1, null, { n: "1" }] },
        },
        false,
      ),
      // A time not in toISOString's form, and one given as a Date: re-formatted, as toJSON does.
      new CloudEvent({ id: "3", source: "s", type: "t", time: "2026-12-02T10:00:00Z" }, false),
      new CloudEvent({ id: "4", source: "s", type: "t", time: new Date(1) as unknown as string }, false),
      // Binary data: the SDK writes data_base64 only.
      new CloudEvent({ id: "5", source: "s", type: "t", data: new Uint8Array([1, 2, 255]) }, false),
      new CloudEvent({ id: "6", source: "s", type: "t", data: "plain text", subject: undefined }, false),
    ];
    for (const each of events) {
      const sdk = HTTP.structured(each);
      const ours = toOutgoingMessage(each, ContentMode.Structured);
      expect(ours.body, each.id).to.equal(sdk.body);
      expect(structuredJson(each), each.id).to.equal(each.toString());
      expect(ours.headers).to.deep.equal(sdk.headers);
    }
  });
});

describe("dead-letter event", () => {
  it("truncates knativeerrordata at Knative's 1024 characters", () => {
    const letter = toDeadLetterEvent(
      event,
      { kind: "status", status: 413, body: new Uint8Array(5000).fill(65) },
      "http://sink/",
    );
    expect(String(letter.knativeerrordata)).to.have.length(1024);
    expect(letter.knativeerrorcode).to.equal(413);
    expect(letter.data).to.deep.equal({ a: 1 });
  });

  it("reports a failure without an answer as 500 with Knative's dispatch error text", () => {
    const letter = toDeadLetterEvent(
      event,
      { kind: "timeout", message: "no answer within 10 ms" },
      "http://sink/",
    );
    expect(letter.knativeerrorcode).to.equal(500);
    expect(Buffer.from(String(letter.knativeerrordata), "base64").toString()).to.equal(
      "dispatch error: timeout: no answer within 10 ms",
    );
  });
});

describe("binary serialisation matches the cloudevents SDK", () => {
  it("writes ce-time as HTTP.binary does, whatever form the time came in", () => {
    for (const time of ["2026-11-24T14:03:07.000Z", "2026-11-24T14:03:07Z", "2026-11-24T16:03:07.5+02:00"]) {
      const timed = new CloudEvent({ id: "e1", source: "s", type: "t", time, data: {} }, false);
      expect(toOutgoingMessage(timed, ContentMode.Binary).headers["ce-time"], time).to.equal(
        HTTP.binary(timed).headers["ce-time"],
      );
    }
  });

  it("writes the same headers and body as HTTP.binary for an ASCII event", () => {
    const ascii = new CloudEvent(
      {
        id: "e1",
        source: "arn:aws:dynamodb:us-west-2:1:table/t",
        type: "com.amazon.dynamodb.stream_record",
        subject: "pk,sk",
        time: "2026-11-24T14:03:07.000Z",
        datacontenttype: "application/json",
        partitionkey: "pk=S:a,sk=N:1",
        dynamodbsequence: "42",
        data: { x: [1, "two"] },
      },
      false,
    );
    const ours = toOutgoingMessage(ascii, ContentMode.Binary);
    const sdk = HTTP.binary(ascii);
    expect(ours.headers).to.deep.equal(sdk.headers);
    expect(ours.body).to.equal(sdk.body);
  });
});

describe("HttpSink", () => {
  it("refuses a URL that is not http or https at construction", () => {
    expect(() => new HttpSink("ftp://example.com/", new Agent(), 1000)).to.throw(
      /must be http:\/\/ or https:\/\//,
    );
    expect(() => new HttpSink("not a url", new Agent(), 1000)).to.throw();
    expect(new HttpSink("https://example.com/a?b=1", new Agent(), 1000).url).to.equal(
      "https://example.com/a?b=1",
    );
  });
});
