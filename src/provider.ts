/**
 * Entry point of the multi-language component package (PulumiPlugin.yaml `main`): Pulumi's nodejs plugin host
 * loads it after `pulumi package add` and it serves DynamoDBSource to YAML, Python, Go, C# and Java programs.
 *
 * Explicit rather than Pulumi's default discovery because the default names the package after package.json
 * (`pulumi-dynamodb-source`), while the component's type token is `dynamodb-source:index:DynamoDBSource`: the
 * plugin's name must match the token's package part, or `construct` rejects every resource. Not exported from the
 * package's index: importing it starts the provider.
 */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { DynamoDBSource } from "./component";
import { PULUMI_PACKAGE_NAME } from "./component/constants";
import { findPackageRoot } from "./component/package-version";

void componentProviderHost({
  name: PULUMI_PACKAGE_NAME,
  components: [DynamoDBSource],
  // The analyzer infers the schema from the sources next to package.json (tsconfig.json, src/index.ts).
  dirname: findPackageRoot(),
});
