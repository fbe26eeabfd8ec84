import { expect } from "chai";
import { inferSchema, type PackageSchema, pluginPackageName, typeOf } from "./schema-inference";

/** Every input: its schema type, and whether it is plain (decides resources at preview, so not an Output). */
const INPUTS: Record<string, readonly [type: string, plain: boolean]> = {
  tableArn: ["string", false],
  sink: ["ref:SinkArgs", true],
  namespace: ["string", false],
  auth: ["ref:AuthArgs", true],
  serviceAccount: ["ref:ServiceAccountArgs", true],
  checkpoint: ["ref:CheckpointArgs", true],
  consumerName: ["string", false],
  startingPosition: ["ref:StartingPosition", false],
  dataFormat: ["ref:DataFormat", false],
  contentMode: ["ref:ContentMode", false],
  ceOverrides: ["map<string>", true],
  delivery: ["ref:DeliveryArgs", true],
  parallelism: ["number", false],
  batch: ["ref:BatchArgs", true],
  filters: ["array<string>", true],
  pollInterval: ["string", false],
  progressTimeout: ["string", false],
  logLevel: ["ref:LogLevel", false],
  replicas: ["number", true],
  image: ["string", false],
  imagePullPolicy: ["string", false],
  imagePullSecrets: ["array<string>", true],
  resources: ["ref:ResourceRequirementsArgs", true],
  nodeSelector: ["map<string>", true],
  tolerations: ["array<ref:TolerationArgs>", true],
  affinity: ["ref:Affinity", false],
  labels: ["map<string>", true],
  annotations: ["map<string>", true],
  env: ["map<string>", true],
};

const OUTPUTS: Record<string, readonly [type: string, optional: boolean]> = {
  deploymentName: ["string", false],
  serviceAccountName: ["string", false],
  roleArn: ["string", true],
  policyArn: ["string", false],
  checkpointTableName: ["string", false],
  sinkUri: ["string", true],
  ceAttributes: ["array<ref:CloudEventAttributes>", false],
};

/** Pulumi's multi-language schema inference (what `pulumi package add` runs) accepts the component as it is. */
describe("component schema (multi-language inference)", function () {
  this.timeout(180_000);
  let schema: PackageSchema;
  const resource = () => {
    const found = schema.resources[`${pluginPackageName()}:index:DynamoDBSource`];
    if (!found) throw new Error(`no DynamoDBSource in ${Object.keys(schema.resources).join(", ")}`);
    return found;
  };

  before(async () => {
    schema = await inferSchema();
  });

  it("names the package after package.json, as the plugin host does", () => {
    expect(schema.name).to.equal(pluginPackageName());
    expect(resource().isComponent).to.equal(true);
  });

  it("infers every input with its type, plainness and a description", () => {
    const inputs = resource().inputProperties;
    expect(Object.keys(inputs)).to.have.members(Object.keys(INPUTS));
    for (const [name, [type, plain]] of Object.entries(INPUTS)) {
      const property = inputs[name];
      if (!property) expect.fail(`no input ${name}`);
      expect(typeOf(property), name).to.equal(type);
      expect(property.plain === true, `${name} plain`).to.equal(plain);
      expect(property.description, `${name} description`).to.be.a("string").with.length.greaterThan(10);
    }
    expect(resource().requiredInputs).to.have.members(["tableArn", "sink"]);
  });

  it("infers every output with its type and a description", () => {
    const outputs = resource().properties;
    expect(Object.keys(outputs)).to.have.members(Object.keys(OUTPUTS));
    for (const [name, [type, optional]] of Object.entries(OUTPUTS)) {
      const property = outputs[name];
      if (!property) expect.fail(`no output ${name}`);
      expect(typeOf(property), name).to.equal(type);
      expect(property.optional === true, `${name} optional`).to.equal(optional);
      expect(property.description, `${name} description`).to.be.a("string").with.length.greaterThan(10);
    }
    expect(resource().required).to.have.members(
      Object.entries(OUTPUTS)
        .filter(([, [, optional]]) => !optional)
        .map(([name]) => name),
    );
  });

  it("describes every property of every nested type, and enums carry their values", () => {
    for (const [token, type] of Object.entries(schema.types)) {
      for (const [name, property] of Object.entries(type.properties ?? {})) {
        expect(property.description, `${token}.${name}`).to.be.a("string").and.not.equal("");
      }
    }
    const enumValues = (name: string) =>
      schema.types[`${schema.name}:index:${name}`]?.enum?.map((e) => e.value);
    expect(enumValues("StartingPosition")).to.have.members(["LATEST", "TRIM_HORIZON"]);
    expect(enumValues("DataFormat")).to.have.members(["aws", "triggermesh", "plain"]);
    expect(enumValues("BackoffPolicy")).to.have.members(["exponential", "linear"]);
  });

  it("documents filters as JSON event patterns", () => {
    expect(resource().inputProperties.filters?.description)
      .to.contain("Event patterns")
      .and.contain("at most 10");
  });
});
