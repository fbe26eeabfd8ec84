import { parseArgs } from "node:util";
import type * as Pulumi from "@pulumi/pulumi";
import { CliUsageError, type Command, parseFlags } from "../command";

const ONLY = ["all", "kubernetes", "iam"];

export const renderCommand: Command = {
  usage: `Usage: dynamodb-source render [--config file.yaml] [flags]

Prints what DynamoDBSource would create, without any cloud or cluster (the component runs under Pulumi's mocks):
the Kubernetes objects as YAML, then the IAM policy, trust policy and other AWS resources as JSON. Like
'helm template': for code review and GitOps. Secrets are masked; names AWS generates end in "-generated".
  --config FILE             YAML with "name" and "args" (the component's arguments, same names); flags override it
  --name NAME               the component's name (default: dynamodb-source)
  --table-arn ARN           source table ARN (required here or in --config)
  --sink-uri URL            sink URL, or
  --sink-ref REF            <apiVersion>:<kind>:<name>[:<namespace>], e.g. eventing.knative.dev/v1:Broker:default
  --namespace NS            Kubernetes namespace (default: default)
  --auth MODE               node | irsa | pod-identity | keys-secret
  --oidc-provider-arn ARN   with --auth irsa: the cluster's OIDC provider
  --oidc-issuer-url URL     with --auth irsa: the cluster's OIDC issuer
  --role-arn ARN            with --auth irsa or pod-identity: use this existing role
  --cluster-name NAME       with --auth pod-identity
  --secret-name NAME        with --auth keys-secret: existing Secret holding the keys
  --assume-role-arn ARN     cross-account role the poller assumes
  --service-account NAME    reuse this existing service account
  --checkpoint-table NAME   reuse this existing checkpoint table
  --starting-position P     LATEST | TRIM_HORIZON
  --data-format F           aws | triggermesh | plain
  --replicas N              replicas of the poller
  --image IMAGE             poller image
  --only WHAT               all (default) | kubernetes (YAML only) | iam (JSON only)`,

  async run(args) {
    const { values: flags } = parseFlags(() =>
      parseArgs({
        args: [...args],
        strict: true,
        allowPositionals: false,
        options: {
          config: { type: "string" },
          name: { type: "string" },
          "table-arn": { type: "string" },
          "sink-uri": { type: "string" },
          "sink-ref": { type: "string" },
          namespace: { type: "string" },
          auth: { type: "string" },
          "oidc-provider-arn": { type: "string" },
          "oidc-issuer-url": { type: "string" },
          "role-arn": { type: "string" },
          "cluster-name": { type: "string" },
          "secret-name": { type: "string" },
          "assume-role-arn": { type: "string" },
          "service-account": { type: "string" },
          "checkpoint-table": { type: "string" },
          "starting-position": { type: "string" },
          "data-format": { type: "string" },
          replicas: { type: "string" },
          image: { type: "string" },
          only: { type: "string", default: "all" },
        },
      }),
    );
    if (!ONLY.includes(flags.only)) throw new CliUsageError(`--only must be one of ${ONLY.join(", ")}`);
    // Loaded here, not at the top: Pulumi is a peer dependency that `poll` (the image) never loads.
    const { renderArgs } = require("../render/render-args") as typeof import("../render/render-args");
    const { renderComponent } =
      require("../render/mock-deployment") as typeof import("../render/mock-deployment");
    const format = require("../render/format") as typeof import("../render/format");
    const pulumi = require("@pulumi/pulumi") as typeof Pulumi;

    const { name, args: componentArgs } = renderArgs(flags);
    let resources: Awaited<ReturnType<typeof renderComponent>>;
    try {
      resources = await renderComponent(name, componentArgs);
    } catch (err) {
      if (pulumi.InputPropertyError.isInstance(err)) {
        process.stderr.write(`dynamodb-source render: args.${err.propertyPath}: ${err.reason}\n`);
        return 1;
      }
      if (pulumi.InputPropertiesError.isInstance(err)) {
        for (const e of err.errors)
          process.stderr.write(`dynamodb-source render: args.${e.propertyPath}: ${e.reason}\n`);
        return 1;
      }
      throw err;
    }
    if (flags.only === "kubernetes") {
      process.stdout.write(format.toYamlDocuments(format.kubernetesManifests(resources)));
    } else if (flags.only === "iam") {
      process.stdout.write(`${JSON.stringify(format.awsResources(resources), null, 2)}\n`);
    } else {
      process.stdout.write(format.renderAll(resources));
    }
    return 0;
  },
};
