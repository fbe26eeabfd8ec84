/** Trust (assume-role) policies of the role the component creates for the poller. */

export interface TrustStatement {
  Effect: "Allow";
  Principal: { Federated: string } | { Service: string };
  Action: string | string[];
  Condition?: { StringEquals: Record<string, string> };
}

export interface TrustPolicy {
  Version: "2012-10-17";
  Statement: TrustStatement[];
}

/** The issuer as IAM condition keys want it: no scheme, no trailing slash (`oidc.eks.<region>.amazonaws.com/id/X`). */
export function issuerHost(issuerUrl: string): string {
  return issuerUrl
    .trim()
    .replace(/^https:\/\//, "")
    .replace(/\/+$/, "");
}

export function serviceAccountSubject(namespace: string, serviceAccountName: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccountName}`;
}

/** IRSA: only this service account, only tokens minted for STS. */
export function buildIrsaTrustPolicy(
  oidcProviderArn: string,
  issuerUrl: string,
  namespace: string,
  serviceAccountName: string,
): TrustPolicy {
  const host = issuerHost(issuerUrl);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${host}:sub`]: serviceAccountSubject(namespace, serviceAccountName),
            [`${host}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

/** EKS Pod Identity: the agent assumes the role and tags the session; the association scopes it to one SA. */
export function buildPodIdentityTrustPolicy(): TrustPolicy {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
      },
    ],
  };
}
