import { AwsJson1_0Protocol, JsonCodec2, JsonShapeDeserializer2 } from "@aws-sdk/core/protocols";
import { NormalizedSchema } from "@smithy/core/schema";
import { fromBase64 } from "@smithy/core/serde";

/**
 * The DynamoDB Streams client's own protocol (awsJson1_0), with a faster reader for GetRecords' records.
 *
 * Why: the SDK's generic JSON deserializer walks every AttributeValue as a union of ten members, and every record
 * and stream record member by member. On 1 KB items that cost ~30 µs of the poller's one thread per record, most of
 * a raw read. The SDK gives `@aws-sdk/client-dynamodb` a DynamoDB-specific codec for the same reason
 * (`@aws-sdk/dynamodb-codec`), but not the Streams client, whose AttributeValue lives in another namespace.
 *
 * How: the client's `protocol` option (the SDK's runtime protocol selection) takes this class; it is the default
 * protocol with a `jsonCodec` whose deserializer reads `Record` with a reader compiled once from the SDK's own schema,
 * and reads AttributeValues in place (only blobs need converting), like the DynamoDB codec. Anything the fast path
 * does not know (timestamps, numbers, unknown or malformed union members) goes to the SDK's own rules, so the output
 * is the SDK's, value for value: `streams-json-protocol.spec.ts` compares both on generated records of every type.
 * One difference on purpose: an attribute named `__proto__` keeps its value, which the SDK's map reader loses.
 */
export class StreamsJsonProtocol extends AwsJson1_0Protocol {
  constructor(settings: ConstructorParameters<typeof AwsJson1_0Protocol>[0]) {
    super({ ...settings, jsonCodec: new StreamsJsonCodec() });
  }
}

const RECORD = "com.amazonaws.dynamodbstreams#Record";
const ATTRIBUTE_VALUE = "com.amazonaws.dynamodbstreams#AttributeValue";

/** Turns one parsed JSON value into what the SDK returns for it. */
type ValueReader = (value: unknown) => unknown;

type JsonObject = Record<string, unknown>;

type Schema = Parameters<JsonShapeDeserializer2["readObject"]>[0];

class StreamsJsonCodec extends JsonCodec2 {
  constructor() {
    // The settings AwsJsonRpcProtocol gives its default codec: epoch-seconds timestamps, no jsonName.
    super({ timestampFormat: { useTrait: true, default: 7 }, jsonName: false });
  }

  override createDeserializer(): ReturnType<JsonCodec2["createDeserializer"]> {
    const deserializer = new StreamsShapeDeserializer(this.settings);
    if (this.serdeContext) deserializer.setSerdeContext(this.serdeContext);
    return deserializer;
  }
}

class StreamsShapeDeserializer extends JsonShapeDeserializer2 {
  private recordReader: ValueReader | undefined;

  protected override _read(schema: Schema, value: unknown): unknown {
    const ns = NormalizedSchema.of(schema);
    if (isObject(value) && ns.isStructSchema()) {
      const name = ns.getName(true);
      if (name === RECORD) {
        this.recordReader ??= this.structReader(ns, new Set());
        return this.recordReader(value);
      }
      if (name === ATTRIBUTE_VALUE) return this.readAttributeValue(value, ns);
    }
    return super._read(ns, value);
  }

  /**
   * A reader for a (non-union) struct, built from its schema: the members in schema order, absent and null members
   * left out, unknown members dropped, as the SDK's struct reader does (which keeps them only beside a `__type`).
   */
  private structReader(ns: NormalizedSchema, compiling: Set<string>): ValueReader {
    const name = ns.getName(true) ?? "";
    compiling.add(name);
    const members: [string, ValueReader][] = [];
    for (const [memberName, member] of ns.structIterator()) {
      members.push([memberName, this.memberReader(member, compiling)]);
    }
    compiling.delete(name);
    return (value) => {
      if (!isObject(value) || typeof value.__type === "string") return super._read(ns, value);
      const out: JsonObject = {};
      for (const [memberName, read] of members) {
        const member = value[memberName];
        if (member != null) out[memberName] = read(member);
      }
      return out;
    };
  }

  private memberReader(member: NormalizedSchema, compiling: Set<string>): ValueReader {
    if (isAttributeValue(member)) return (value) => this.readAttributeValueOrSdk(value, member);
    if (member.isMapSchema() && isAttributeValue(member.getValueSchema())) {
      const attributeValue = member.getValueSchema();
      return (value) =>
        isObject(value) ? this.readAttributeMap(value, attributeValue) : super._read(member, value);
    }
    const plain =
      (member.isStringSchema() && !member.getMergedTraits().mediaType) || member.isBooleanSchema();
    if (plain) return (value) => value;
    const nested = member.isStructSchema() && !member.isUnionSchema();
    if (nested && !compiling.has(member.getName(true) ?? "")) return this.structReader(member, compiling);
    // Timestamps, numbers, blobs and whatever a later model adds: the SDK's own rules.
    return (value) => super._read(member, value);
  }

  /** In place, like `@aws-sdk/dynamodb-codec`: a well-formed AttributeValue has one member and only blobs change. */
  private readAttributeValue(av: JsonObject, schema: NormalizedSchema): unknown {
    const member = onlyMember(av);
    const value = member === undefined ? undefined : av[member];
    switch (member) {
      case "S":
      case "N":
      case "NULL":
      case "BOOL":
        return av;
      case "SS":
      case "NS":
        if (Array.isArray(value)) return av;
        break;
      case "B":
        if (typeof value === "string") {
          av.B = this.decodeBase64(value);
          return av;
        }
        break;
      case "BS":
        if (Array.isArray(value) && value.every((blob) => typeof blob === "string")) {
          av.BS = value.map((blob: string) => this.decodeBase64(blob));
          return av;
        }
        break;
      case "M":
        if (isObject(value)) {
          this.readAttributeMap(value, schema);
          return av;
        }
        break;
      case "L":
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) value[i] = this.readAttributeValueOrSdk(value[i], schema);
          return av;
        }
        break;
    }
    // No member, several, a null one, one this reader does not know, or a value of the wrong type: the SDK's rules.
    return super._read(schema, av);
  }

  /** A map of AttributeValues, in place. Own keys only: JSON.parse makes even `__proto__` an own data property. */
  private readAttributeMap(map: JsonObject, attributeValue: NormalizedSchema): JsonObject {
    for (const key of Object.keys(map)) map[key] = this.readAttributeValueOrSdk(map[key], attributeValue);
    return map;
  }

  private readAttributeValueOrSdk(value: unknown, schema: NormalizedSchema): unknown {
    return isObject(value) ? this.readAttributeValue(value, schema) : super._read(schema, value);
  }

  private decodeBase64(value: string): Uint8Array {
    return (this.serdeContext?.base64Decoder ?? fromBase64)(value);
  }
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isAttributeValue(ns: NormalizedSchema): boolean {
  return ns.isStructSchema() && ns.getName(true) === ATTRIBUTE_VALUE;
}

/** The key of `object`'s one non-null member; undefined when it has none or several. */
function onlyMember(object: JsonObject): string | undefined {
  let only: string | undefined;
  for (const key in object) {
    if (only !== undefined) return undefined;
    only = key;
  }
  return only !== undefined && object[only] != null ? only : undefined;
}
