import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AuthArgs, ServiceAccountArgs } from "./args";
import type { CredentialsSecretRef } from "./env";
import { checked } from "./inputs";
import { defaultServiceAccountName } from "./names";
import { issuerMatchesProvider, issuerUrlRule, oidcProviderArnRule } from "./rules";
import { buildIrsaTrustPolicy, buildPodIdentityTrustPolicy } from "./trust-policies";

export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** Who the poller runs as, and what its pods must wait for. */
export interface PollerIdentity {
  serviceAccountName: pulumi.Output<string>;
  roleArn?: pulumi.Output<string>;
  /** Static keys, by reference. */
  credentials?: CredentialsSecretRef;
  /** Resources without which the pods would start without permissions (attachment, association, Secret). */
  dependencies: pulumi.Resource[];
  /** Values whose change must restart the pods (credentials are read once, at start-up). */
  fingerprint: pulumi.Input<string>[];
}

export interface IdentityContext {
  name: string;
  namespace: pulumi.Input<string>;
  labels: Record<string, pulumi.Input<string>>;
  policyArn: pulumi.Output<string>;
  parent: pulumi.Resource;
}

/** `arn:aws:iam::1:role/path/name` → `name`: what RolePolicyAttachment needs. */
export function roleNameFromArn(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

export function createPollerIdentity(
  auth: AuthArgs | undefined,
  serviceAccount: ServiceAccountArgs | undefined,
  ctx: IdentityContext,
): PollerIdentity {
  const opts = { parent: ctx.parent };
  const saName = serviceAccount?.name ?? defaultServiceAccountName(ctx.name);
  const dependencies: pulumi.Resource[] = [];

  const role = createRole(auth, saName, ctx);
  if (role !== undefined) dependencies.push(role.attachment);

  let serviceAccountName: pulumi.Output<string> = pulumi.output(saName);
  if (serviceAccount?.create !== false) {
    // With IRSA the annotation is the whole wiring: the EKS webhook injects the web identity token for that role.
    const annotations: Record<string, pulumi.Input<string>> = auth?.irsa !== undefined && role !== undefined
      ? { [IRSA_ROLE_ANNOTATION]: role.arn }
      : {};
    const sa = new k8s.core.v1.ServiceAccount(
      ctx.name,
      { metadata: { name: saName, namespace: ctx.namespace, labels: ctx.labels, annotations } },
      opts,
    );
    serviceAccountName = sa.metadata.name;
    dependencies.push(sa);
  }

  if (auth?.podIdentity !== undefined && role !== undefined) {
    const association = new aws.eks.PodIdentityAssociation(
      ctx.name,
      {
        clusterName: auth.podIdentity.clusterName,
        namespace: ctx.namespace,
        serviceAccount: serviceAccountName,
        roleArn: role.arn,
      },
      opts,
    );
    dependencies.push(association);
  }

  const credentials = createCredentials(auth, ctx);
  if (credentials?.secret !== undefined) dependencies.push(credentials.secret);

  return {
    serviceAccountName,
    roleArn: role?.arn,
    credentials: credentials?.ref,
    dependencies,
    fingerprint: [role?.arn ?? "", auth?.assumeRoleArn ?? "", credentials?.ref.secretName ?? ""],
  };
}

interface PollerRole {
  arn: pulumi.Output<string>;
  attachment: aws.iam.RolePolicyAttachment;
}

/** The IRSA or Pod Identity role (created, or the given one), with the poller policy attached. */
function createRole(
  auth: AuthArgs | undefined,
  saName: string,
  ctx: IdentityContext,
): PollerRole | undefined {
  const opts = { parent: ctx.parent };
  const existingArn = auth?.irsa?.roleArn ?? auth?.podIdentity?.roleArn;
  const trustPolicy = trustPolicyJson(auth, saName, ctx.namespace);
  if (existingArn === undefined && trustPolicy === undefined) return undefined;

  let arn: pulumi.Output<string>;
  let roleName: pulumi.Input<string>;
  if (existingArn !== undefined) {
    // An existing role still gets exactly this source's permissions, instead of leaving the user to over-grant.
    arn = pulumi.output(existingArn);
    roleName = roleNameFromArn(existingArn);
  } else {
    const role = new aws.iam.Role(
      `${ctx.name}-poller`,
      {
        assumeRolePolicy: trustPolicy ?? "",
        description: pulumi.interpolate`dynamodb-source poller ${ctx.namespace}/${saName}`,
      },
      opts,
    );
    arn = role.arn;
    roleName = role.name;
  }
  const attachment = new aws.iam.RolePolicyAttachment(
    `${ctx.name}-poller`,
    { role: roleName, policyArn: ctx.policyArn },
    opts,
  );
  return { arn, attachment };
}

function trustPolicyJson(
  auth: AuthArgs | undefined,
  saName: string,
  namespace: pulumi.Input<string>,
): pulumi.Output<string> | undefined {
  const irsa = auth?.irsa;
  if (irsa !== undefined && irsa.roleArn === undefined && irsa.oidcProviderArn && irsa.oidcIssuerUrl) {
    // Keys of the condition contain the issuer, so the document is built from resolved values (never an Output
    // inside a template-literal key).
    return pulumi
      .all([
        checked("auth.irsa.oidcProviderArn", irsa.oidcProviderArn, oidcProviderArnRule),
        checked("auth.irsa.oidcIssuerUrl", irsa.oidcIssuerUrl, issuerUrlRule),
        namespace,
      ])
      .apply(([providerArn, issuer, ns]) => {
        const mismatch = issuerMatchesProvider(providerArn, issuer);
        if (mismatch !== undefined) {
          throw new pulumi.InputPropertyError({ propertyPath: "auth.irsa.oidcIssuerUrl", reason: mismatch });
        }
        return JSON.stringify(buildIrsaTrustPolicy(providerArn, issuer, ns, saName));
      });
  }
  if (auth?.podIdentity !== undefined && auth.podIdentity.roleArn === undefined) {
    return pulumi.output(JSON.stringify(buildPodIdentityTrustPolicy()));
  }
  return undefined;
}

interface Credentials {
  ref: CredentialsSecretRef;
  secret?: k8s.core.v1.Secret;
}

/** Static keys: a Secret the component creates from secret values, or the user's Secret. */
function createCredentials(auth: AuthArgs | undefined, ctx: IdentityContext): Credentials | undefined {
  const credentials = auth?.credentials;
  if (credentials === undefined) return undefined;
  if (credentials.secretName !== undefined) {
    return {
      ref: {
        secretName: credentials.secretName,
        accessKeyIdKey: credentials.accessKeyIdKey ?? "AWS_ACCESS_KEY_ID",
        secretAccessKeyKey: credentials.secretAccessKeyKey ?? "AWS_SECRET_ACCESS_KEY",
        sessionTokenKey: credentials.sessionTokenKey,
      },
    };
  }
  const stringData: Record<string, pulumi.Input<string>> = {
    // pulumi.secret: the values are encrypted in state even if the caller passed plain strings.
    AWS_ACCESS_KEY_ID: pulumi.secret(credentials.accessKeyId ?? ""),
    AWS_SECRET_ACCESS_KEY: pulumi.secret(credentials.secretAccessKey ?? ""),
  };
  if (credentials.sessionToken !== undefined)
    stringData.AWS_SESSION_TOKEN = pulumi.secret(credentials.sessionToken);
  const secret = new k8s.core.v1.Secret(
    `${ctx.name}-aws-credentials`,
    { metadata: { namespace: ctx.namespace, labels: ctx.labels }, type: "Opaque", stringData },
    { parent: ctx.parent },
  );
  return {
    secret,
    ref: {
      secretName: secret.metadata.name,
      accessKeyIdKey: "AWS_ACCESS_KEY_ID",
      secretAccessKeyKey: "AWS_SECRET_ACCESS_KEY",
      sessionTokenKey: credentials.sessionToken === undefined ? undefined : "AWS_SESSION_TOKEN",
    },
  };
}
