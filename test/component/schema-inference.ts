import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { DynamoDBSource } from "../../src/component";
import { PULUMI_PACKAGE_NAME } from "../../src/component/constants";

export const REPO_ROOT = path.resolve(__dirname, "../..");

export interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  plain?: boolean;
  optional?: boolean;
  description?: string;
}

export interface SchemaType {
  type: string;
  properties?: Record<string, SchemaProperty>;
  required?: string[];
  enum?: { name: string; value: string }[];
}

export interface PackageSchema {
  name: string;
  resources: Record<
    string,
    {
      isComponent: boolean;
      requiredInputs: string[];
      required: string[];
      properties: Record<string, SchemaProperty>;
      inputProperties: Record<string, SchemaProperty>;
    }
  >;
  types: Record<string, SchemaType>;
}

/** The package name `pulumi package add` gives this plugin: src/provider.ts names it explicitly. */
export function pluginPackageName(): string {
  return PULUMI_PACKAGE_NAME;
}

let schema: Promise<PackageSchema> | undefined;

/** Pulumi's component-provider schema inference over this repository (slow: a TypeScript program; done once). */
export function inferSchema(): Promise<PackageSchema> {
  schema ??= new ComponentProvider({
    components: [DynamoDBSource],
    name: pluginPackageName(),
    dirname: REPO_ROOT,
  })
    .getSchema()
    .then((text) => JSON.parse(text) as PackageSchema);
  return schema;
}

/** The type a property is declared with, in one short string: `string`, `ref:SinkArgs`, `array<string>`, `map<string>`. */
export function typeOf(property: SchemaProperty): string {
  if (property.$ref !== undefined) return `ref:${property.$ref.split(":").at(-1)}`;
  if (property.type === "array" && property.items) return `array<${typeOf(property.items)}>`;
  if (property.type === "object" && property.additionalProperties)
    return `map<${typeOf(property.additionalProperties)}>`;
  return property.type ?? "?";
}
