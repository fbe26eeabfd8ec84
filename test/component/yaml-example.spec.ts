import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { compilePatternText } from "../../src/shared/event-pattern";
import {
  inferSchema,
  type PackageSchema,
  pluginPackageName,
  REPO_ROOT,
  type SchemaProperty,
} from "./schema-inference";

interface YamlProgram {
  packages?: Record<string, string>;
  resources: Record<string, { type: string; properties?: Record<string, unknown> }>;
  outputs?: Record<string, string>;
}

/**
 * Checks a YAML value against a schema property; returns every problem as `path: what`. `${...}` interpolations and
 * `fn::` calls stand for values of the declared type (a string for `fn::toJSON`).
 */
function problems(schema: PackageSchema, at: string, value: unknown, property: SchemaProperty): string[] {
  if (typeof value === "string" && /^\$\{[^}]+\}$/.test(value))
    return property.plain ? [`${at}: plain, not an output`] : [];
  if (isFunctionCall(value))
    return property.type === "string" ? [] : [`${at}: ${Object.keys(value)[0]} is not a ${property.type}`];
  if (property.$ref !== undefined) {
    const type = schema.types[property.$ref.replace("#/types/", "")];
    if (!type) return [`${at}: unknown type ${property.$ref}`];
    if (type.enum)
      return type.enum.some((e) => e.value === value)
        ? []
        : [`${at}: ${String(value)} is not one of the enum`];
    return objectProblems(schema, at, value, type.properties ?? {}, type.required ?? []);
  }
  switch (property.type) {
    case "string":
      return typeof value === "string" ? [] : [`${at}: not a string`];
    case "number":
      return typeof value === "number" ? [] : [`${at}: not a number`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${at}: not a boolean`];
    case "array":
      if (!Array.isArray(value) || !property.items) return [`${at}: not a list`];
      return value.flatMap((item, i) =>
        problems(schema, `${at}[${i}]`, item, property.items as SchemaProperty),
      );
    case "object":
      if (!isRecord(value) || !property.additionalProperties) return [`${at}: not a map`];
      return Object.entries(value).flatMap(([k, v]) =>
        problems(schema, `${at}.${k}`, v, property.additionalProperties as SchemaProperty),
      );
    default:
      return [`${at}: unhandled schema type ${property.type}`];
  }
}

function objectProblems(
  schema: PackageSchema,
  at: string,
  value: unknown,
  properties: Record<string, SchemaProperty>,
  required: readonly string[],
): string[] {
  if (!isRecord(value)) return [`${at}: not an object`];
  const missing = required.filter((name) => !(name in value)).map((name) => `${at}.${name}: required`);
  return [
    ...missing,
    ...Object.entries(value).flatMap(([name, v]) => {
      const property = properties[name];
      return property ? problems(schema, `${at}.${name}`, v, property) : [`${at}.${name}: not in the schema`];
    }),
  ];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isFunctionCall(value: unknown): value is Record<string, unknown> {
  return (
    isRecord(value) && Object.keys(value).length === 1 && (Object.keys(value)[0] ?? "").startsWith("fn::")
  );
}

/** A Pulumi YAML interpolation of another resource's output (a literal `${...}`, not a template). */
const YAML_OUTPUT = ["$", "{a.b}"].join("");

describe("examples/yaml: a Pulumi YAML program using the component package", function () {
  this.timeout(180_000);
  const program = parse(
    readFileSync(path.join(REPO_ROOT, "examples/yaml/Pulumi.yaml"), "utf8"),
  ) as YamlProgram;
  const token = `${pluginPackageName()}:index:DynamoDBSource`;
  const sources = Object.entries(program.resources).filter(([, r]) => r.type === token);
  let schema: PackageSchema;

  before(async () => {
    schema = await inferSchema();
  });

  it("declares the package under the name the plugin host gives it, and a runtime-nodejs PulumiPlugin.yaml", () => {
    expect(Object.keys(program.packages ?? {})).to.deep.equal([schema.name]);
    const plugin = parse(readFileSync(path.join(REPO_ROOT, "PulumiPlugin.yaml"), "utf8")) as {
      runtime: unknown;
    };
    expect(plugin.runtime).to.equal("nodejs");
    expect(sources, `a resource of type ${token}`).to.have.length(1);
  });

  it("sets only properties the inferred schema has, with their types", () => {
    const resource = schema.resources[token];
    if (!resource) expect.fail(`no ${token} in the schema`);
    for (const [name, source] of sources) {
      expect(
        objectProblems(schema, name, source.properties, resource.inputProperties, resource.requiredInputs),
      ).to.deep.equal([]);
    }
  });

  it("the checker catches a misspelt, a mistyped and a plain-output property", () => {
    const resource = schema.resources[token];
    if (!resource) expect.fail(`no ${token} in the schema`);
    const bad = {
      tableArn: "x",
      sink: { uri: "http://s" },
      filter: ["{}"],
      replicas: "2",
      labels: YAML_OUTPUT,
    };
    expect(
      objectProblems(schema, "r", bad, resource.inputProperties, resource.requiredInputs),
    ).to.have.members([
      "r.filter: not in the schema",
      "r.replicas: not a number",
      "r.labels: plain, not an output",
    ]);
  });

  it("reads only outputs the schema has", () => {
    const outputs = schema.resources[token]?.properties ?? {};
    const read = Object.values(program.outputs ?? {})
      .map((expression) => /^\$\{([^.]+)\.(\w+)\}$/.exec(expression))
      .filter((match) => match !== null && sources.some(([name]) => name === match[1]));
    expect(read).to.have.length.greaterThan(0);
    for (const match of read) expect(outputs, match?.[0]).to.have.property(match?.[2] as string);
  });

  it("its filters are valid event patterns (fn::toJSON ones too)", () => {
    const filters = sources.flatMap(
      ([, source]) => (source.properties?.filters as unknown[] | undefined) ?? [],
    );
    expect(filters).to.have.length.greaterThan(0);
    for (const filter of filters) {
      const text = isFunctionCall(filter) ? JSON.stringify(filter["fn::toJSON"]) : String(filter);
      const compiled = compilePatternText(text);
      expect(compiled.ok, text).to.equal(true);
    }
  });
});
